"""Data for the levels page: the pipeline as a funnel, flows per year, conversion, time between.

The pipeline is 申报 → 列入市级培育名单 → 认定为市级 → 省级 → 国家级 (POLICY.md §3). Two readings
of "how many at each stage" sit side by side: what centers hold on the date (the counts the
targets use, POLICY.md §2) and what they ever reached by the date, even if later cancelled or
revoked. Everything counts events on or before as_of only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from mic_tracker import db
from mic_tracker.policy import load_plan
from mic_tracker.report import METRICS, Filters

# Funnel stages in pipeline order; 申报中 is the stage below the cultivation list.
STAGES = ("applying", *METRICS)
APPLYING_LABEL = "申报中"  # on the date: applied, not (yet) listed
APPLIED_LABEL = "已申报"  # reached: ever applied or listed
DAYS_PER_MONTH = 365.25 / 12


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


def _params(as_of: dt.date, filters: Filters) -> dict[str, Any]:
    return {"as_of": as_of, **filters.params()}


def funnel(con: duckdb.DuckDBPyConnection, as_of: dt.date, filters: Filters) -> pd.DataFrame:
    """One row per stage: `held` on the date (申报中 / titles held) and `ever` reached by it.

    `label` names the stage on the date, `ever_label` the stage reached (已申报 for applying).
    """
    row = db.rows(con, "levels_funnel", **_params(as_of, filters))[0]
    labels = stage_labels()
    return pd.DataFrame(
        [
            {
                "stage": s,
                "label": labels[s],
                "ever_label": APPLIED_LABEL if s == "applying" else labels[s],
                "held": int(row[f"held_{s}"]),
                "ever": int(row[f"ever_{s}"]),
            }
            for s in STAGES
        ]
    )


def flows(con: duckdb.DuckDBPyConnection, as_of: dt.date, filters: Filters) -> pd.DataFrame:
    """Per period and metric, centers that entered and left (events on or before as_of).

    Periods are the years from the plan's first year to as_of's year; earlier events (titles
    that predate the plan) are gathered in one period "YYYY年以前" that appears only when there
    are any. Every period × metric is present, zeros included. Columns: period, metric,
    entered, left.
    """
    first = load_plan().applies_from.year
    raw = db.run(con, "levels_flows", **_params(as_of, filters)).df()
    early = f"{first}年以前"
    periods = [f"{y}年" for y in range(first, as_of.year + 1)]
    if (raw["year"] < first).any():
        periods.insert(0, early)
    raw["period"] = [early if y < first else f"{y}年" for y in raw["year"]]
    sums = raw.groupby(["period", "metric"])[["entered", "left_count"]].sum()
    rows = []
    for period in periods:
        for metric in METRICS:
            got = sums.loc[(period, metric)] if (period, metric) in sums.index else None
            rows.append(
                {
                    "period": period,
                    "metric": metric,
                    "entered": int(got["entered"]) if got is not None else 0,
                    "left": int(got["left_count"]) if got is not None else 0,
                }
            )
    return pd.DataFrame(rows, columns=["period", "metric", "entered", "left"])


def conversion(con: duckdb.DuckDBPyConnection, as_of: dt.date, filters: Filters) -> dict[str, Any]:
    """Conversion between stages among centers that reached the stage below, by as_of.

    `rates`: one dict per step (key, label, metric, numerator, denominator, share or None),
    each counted on centers (first events). `counts`: the raw counts, including titles that
    came without city history (province_no_city, national_no_city) and national titles
    without a provincial one (national_no_province).
    """
    c = {
        k: int(v)
        for k, v in db.rows(con, "levels_conversion", **_params(as_of, filters))[0].items()
    }
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


def durations(con: duckdb.DuckDBPyConnection, as_of: dt.date, filters: Filters) -> pd.DataFrame:
    """Median days (and months) between consecutive stages, with n, min and max per step.

    Only pairs whose later event is on or before as_of. Columns: step, label, metric, n,
    median_days, median_months, min_days, max_days (medians None when n = 0).
    """
    frame = db.run(con, "levels_durations", **_params(as_of, filters)).df()
    steps = {s.key: s for s in STEPS}
    frame["label"] = [steps[k].label for k in frame["step"]]
    frame["metric"] = [steps[k].metric for k in frame["step"]]
    frame["n"] = frame["n"].astype(int)
    frame["median_months"] = (frame["median_days"] / DAYS_PER_MONTH).round(1)
    cols = ["step", "label", "metric", "n", "median_days", "median_months", "min_days", "max_days"]
    return frame[cols]
