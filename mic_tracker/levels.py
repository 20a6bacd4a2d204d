"""Data for the levels page: the pipeline as a funnel, flows per year, conversion, time between.

The pipeline is 申报 → 列入市级培育名单 → 认定为市级 → 省级 → 国家级 (POLICY.md §3). Two readings
of "how many at each stage" sit side by side: what centers hold on the date (the counts the
targets use, POLICY.md §2) and what they ever reached by the date, even if later cancelled or
revoked. Everything counts events on or before as_of only.

All four parts come from one query (queries/levels_pipeline.sql): planning a query over the
report macros costs more than running it at city scale. They are plain tuples, not frames: the
page's figure cache hashes its arguments on every rerun, and a tuple hashes in a fraction of a
frame's time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, NamedTuple

import duckdb

from mic_tracker import db
from mic_tracker.policy import load_plan
from mic_tracker.report import METRICS, Filters

# Funnel stages in pipeline order; 申报中 is the stage below the cultivation list.
STAGES = ("applying", *METRICS)
APPLYING_LABEL = "申报中"  # on the date: applied, not (yet) listed
APPLIED_LABEL = "已申报"  # reached: ever applied or listed
DAYS_PER_MONTH = 365.25 / 12
# The conversion counts of levels_pipeline (see the query's header for each).
CONVERSION_COUNTS = (
    "listed",
    "listed_city",
    "listed_cancelled",
    "city",
    "city_province",
    "province",
    "province_national",
    "province_no_city",
    "national",
    "national_no_city",
    "national_no_province",
)


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    metric: str  # the metric the step leads to, for the level filter


STEPS = (
    Step("apply_listing", "申报 → 列入市级培育名单", "cultivation"),
    Step("listing_city", "列入市级培育名单 → 认定为市级", "city"),
    Step("city_province", "认定为市级 → 认定为省级", "province"),
    Step("province_national", "认定为省级 → 认定为国家级", "national"),
)


class Stage(NamedTuple):
    """One funnel stage: `held` on the date (申报中 / titles held) and `ever` reached by it;
    `label` names the stage on the date, `ever_label` the stage reached (已申报 for applying)."""

    stage: str
    label: str
    ever_label: str
    held: int
    ever: int


class Flow(NamedTuple):
    """Centers that entered and left one level in one period."""

    period: str
    metric: str
    entered: int
    left: int


class Duration(NamedTuple):
    """Days between two consecutive stages (medians and extremes None when n = 0)."""

    step: str
    label: str
    metric: str
    n: int
    median_days: float | None
    median_months: float | None
    min_days: int | None
    max_days: int | None


@dataclass(frozen=True)
class Pipeline:
    """Everything the levels page shows, as of one date under one set of filters.

    funnel: one Stage per stage in pipeline order. flows: per period and metric (periods in
    order, metrics in METRICS order), zeros included. conversion: `rates`, one dict per step
    (key, label, metric, numerator, denominator, share or None) counted on centers' first
    events, and `counts`, the raw counts (CONVERSION_COUNTS), including titles that came
    without city history (province_no_city, national_no_city) and national titles without a
    provincial one (national_no_province). durations: one Duration per step of STEPS.
    """

    funnel: tuple[Stage, ...]
    flows: tuple[Flow, ...]
    conversion: dict[str, Any]
    durations: tuple[Duration, ...]


def stage_labels() -> dict[str, str]:
    """Stage key → the Chinese name used on the funnel (the plan's metric labels)."""
    return {"applying": APPLYING_LABEL, **load_plan().metrics}


def shown_stages(metrics: tuple[str, ...]) -> list[str]:
    """The funnel stages for the chosen levels: each chosen level and the stage just below it
    (where its centers come from), in pipeline order — all five when every level is chosen."""
    keep = set()
    for metric in metrics:
        i = STAGES.index(metric)
        keep.update(STAGES[i - 1 : i + 1])
    return [s for s in STAGES if s in keep]


def pipeline(con: duckdb.DuckDBPyConnection, as_of: dt.date, filters: Filters) -> Pipeline:
    """The funnel, yearly flows, conversion and durations by as_of, from one query."""
    row = db.rows(con, "levels_pipeline", as_of=as_of, **filters.params())[0]
    return Pipeline(
        funnel=_funnel(row),
        flows=_flows(row["flows"], as_of),
        conversion=_conversion(row),
        durations=_durations(row["durations"]),
    )


def _funnel(row: dict[str, Any]) -> tuple[Stage, ...]:
    labels = stage_labels()
    return tuple(
        Stage(
            stage=s,
            label=labels[s],
            ever_label=APPLIED_LABEL if s == "applying" else labels[s],
            held=int(row[f"held_{s}"]),
            ever=int(row[f"ever_{s}"]),
        )
        for s in STAGES
    )


def _flows(raw: list[dict[str, Any]], as_of: dt.date) -> tuple[Flow, ...]:
    """Periods are the years from the plan's first year to as_of's year; earlier events
    (titles that predate the plan) are gathered in one period "YYYY年以前" that appears only
    when there are any."""
    first = load_plan().applies_from.year
    early = f"{first}年以前"
    periods = [f"{y}年" for y in range(first, as_of.year + 1)]
    if any(r["year"] < first for r in raw):
        periods.insert(0, early)
    sums: dict[tuple[str, str], tuple[int, int]] = {}
    for r in raw:
        key = (early if r["year"] < first else f"{r['year']}年", r["metric"])
        entered, left = sums.get(key, (0, 0))
        sums[key] = (entered + int(r["entered"]), left + int(r["left_count"]))
    return tuple(Flow(p, m, *sums.get((p, m), (0, 0))) for p in periods for m in METRICS)


def _conversion(row: dict[str, Any]) -> dict[str, Any]:
    c = {k: int(row[k]) for k in CONVERSION_COUNTS}
    steps = (
        ("listed_city", "培育对象 → 市级", "city", c["listed_city"], c["listed"]),
        ("city_province", "市级 → 省级", "province", c["city_province"], c["city"]),
        ("province_national", "省级 → 国家级", "national", c["province_national"], c["province"]),
        ("listed_cancelled", "培育资格被取消", "cultivation", c["listed_cancelled"], c["listed"]),
    )
    rates = [
        {
            "key": key,
            "label": label,
            "metric": metric,
            "numerator": num,
            "denominator": den,
            "share": num / den if den else None,
        }
        for key, label, metric, num, den in steps
    ]
    return {"rates": rates, "counts": c}


def _durations(raw: list[dict[str, Any]]) -> tuple[Duration, ...]:
    """Only pairs whose later event is on or before as_of (the query sees no later events)."""
    steps = {s.key: s for s in STEPS}
    out = []
    for r in raw:
        step = steps[r["step"]]
        median = r["median_days"]
        out.append(
            Duration(
                step=step.key,
                label=step.label,
                metric=step.metric,
                n=int(r["n"]),
                median_days=median,
                median_months=None if median is None else round(median / DAYS_PER_MONTH, 1),
                min_days=r["min_days"],
                max_days=r["max_days"],
            )
        )
    return tuple(out)
