"""Counts and target status as of any date (POLICY.md §2), with the report's filters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, TypeVar

import duckdb
import numpy as np

from mic_tracker import db
from mic_tracker.errors import UnknownName
from mic_tracker.narrowing import ByDims
from mic_tracker.policy import Plan, Target, load_plan
from mic_tracker.reference import load_resolver
from mic_tracker.scope import city_totals

T = TypeVar("T")
METRICS = ("cultivation", "city", "province", "national")


@dataclass(frozen=True)
class Filters:
    """Report filters; empty tuples mean "all". Counties are today's reporting-unit codes."""

    sectors: tuple[str, ...] = ()
    fields: tuple[int, ...] = ()
    counties: tuple[str, ...] = ()
    forms: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        return any((self.sectors, self.fields, self.counties, self.forms))

    def params(self) -> dict[str, list[Any] | None]:
        return {k: (list(v) or None) for k, v in asdict(self).items()}

    def as_json(self) -> dict[str, list[Any]]:
        return {k: list(v) for k, v in asdict(self).items()}

    def keeps(
        self, sector: np.ndarray, field_seq: np.ndarray, county_code: np.ndarray, form: np.ndarray
    ) -> np.ndarray:
        """Which centers, given as columns of their sector, field 序号, today's county code and
        form, the filters keep: the filtered_centers macro's rule (queries/macros.sql), for
        narrowing a city-wide result in memory. A missing value matches no filter."""
        kept = np.ones(len(sector), dtype=bool)
        for chosen, values in (
            (self.sectors, sector),
            (self.fields, field_seq),
            (self.counties, county_code),
            (self.forms, form),
        ):
            if chosen:
                kept &= np.isin(np.asarray(values, dtype=object), list(chosen))
        return kept


def make_filters(
    sectors: list[str] | None = None,
    fields: list[str] | None = None,
    counties: list[str] | None = None,
    forms: list[str] | None = None,
    plan: Plan | None = None,
) -> Filters:
    """Filters from what a person types: sector names, field names or 序号, any county name."""
    plan = plan or load_plan()
    resolver = load_resolver()
    for s in sectors or []:
        if s not in plan.sectors:
            raise UnknownName("行业分类", s, "、".join(plan.sectors))
    for f in forms or []:
        if f not in plan.forms.values():
            raise UnknownName("建设形式", f, "、".join(plan.forms.values()))
    return Filters(
        sectors=_unique(sectors or ()),
        fields=_unique(field_seq(f, plan) for f in fields or ()),
        counties=_unique(resolver.current(c).code for c in counties or ()),
        forms=_unique(forms or ()),
    )


def _unique(values: Iterable[T]) -> tuple[T, ...]:
    return tuple(dict.fromkeys(values))


def field_seq(text: str | int, plan: Plan) -> int:
    """A key field by its 序号 (1–31) or its name in the annex."""
    value = str(text).strip()
    if value.isdigit() and 1 <= int(value) <= len(plan.fields):
        return int(value)
    for f in plan.fields:
        if f.name == value:
            return f.seq
    raise UnknownName(
        "重点领域",
        value,
        f"序号 1–{len(plan.fields)} 或附件导向目录中的领域名称，如 机器人及智能制造",
    )


@city_totals
def counts(con: duckdb.DuckDBPyConnection, as_of: dt.date, filters: Filters) -> dict[str, int]:
    """Titles held and pipelines (pipe_<metric>) as of the date."""
    return counts_at(con, [as_of], filters)[as_of]


@city_totals
def counts_at(
    con: duckdb.DuckDBPyConnection, dates: Iterable[dt.date], filters: Filters
) -> dict[dt.date, dict[str, int]]:
    """counts at each of the dates, read in one query."""
    dates = list(dates)
    got = db.rows(con, "counts_at", dates=dates, grouped=False, **filters.params())
    return counts_from(got, dates)


@city_totals
def count_groups(
    con: duckdb.DuckDBPyConnection, dates: Iterable[dt.date], filters: Filters
) -> ByDims:
    """queries/counts_at.sql: the counts at each date per sector, field, county and form (a
    page narrows the city's groups to its filters, then sums them with counts_from)."""
    return ByDims(db.rows(con, "counts_at", dates=list(dates), grouped=True, **filters.params()))


COUNTED = (*METRICS, *(f"pipe_{m}" for m in METRICS))


def counts_from(
    groups: Iterable[dict[str, Any]], dates: Iterable[dt.date]
) -> dict[dt.date, dict[str, int]]:
    """counts_at from rows of count_groups: each date's groups summed (zeros without any)."""
    out = {d: dict.fromkeys(COUNTED, 0) for d in dates}
    for row in groups:
        total = out[row["as_of"]]
        for key in COUNTED:
            total[key] += int(row[key])
    return out


@dataclass(frozen=True)
class TargetRow:
    year: int
    metric: str
    target: int
    target_max: int
    actual: int
    gap: int
    status: str
    deadline: str
    expected: float | None
    pipeline: int
    approx: bool = False
    rule: str = field(default="", compare=False)


def expected_pace(
    start_count: int, target: int, start: dt.date, deadline: dt.date, as_of: dt.date
) -> float:
    """E(D): linear from the count at the plan's start to the target at the deadline."""
    day = min(max(as_of, start), deadline)
    share = (day - start).days / (deadline - start).days
    return start_count + (target - start_count) * share


def target_status(
    t: Target, as_of: dt.date, actual: int, start_count: int, pipeline: int, pace_start: dt.date
) -> tuple[str, float | None]:
    """met / missed / on_track / at_risk / off_track, and E(D) where it was used."""
    if actual >= t.target:
        return "met", None
    if as_of > t.deadline:
        return "missed", None
    expected = expected_pace(start_count, t.target, pace_start, t.deadline, as_of)
    if actual >= expected:
        return "on_track", expected
    if actual + pipeline >= t.target:
        return "at_risk", expected
    return "off_track", expected


STATUS_LABELS = {
    "met": "达成",
    "missed": "未达成",
    "on_track": "正常",
    "at_risk": "预警",
    "off_track": "滞后",
}

STATUS_RULES = {
    "met": "达成：实际数已达到目标数",
    "missed": "未达成：目标年度已结束，实际数低于目标数",
    "on_track": "正常：实际数不低于按方案发布日至目标年末线性推算的应有进度",
    "at_risk": "预警：低于应有进度，但实际数加上低一阶段仍在推进的中心数可以达到目标",
    "off_track": "滞后：低于应有进度，且加上低一阶段仍在推进的中心也不足以达到目标",
}


@city_totals
def target_progress(
    con: duckdb.DuckDBPyConnection, as_of: dt.date, filters: Filters
) -> dict[str, Any]:
    """What the overview draws, in one query: the targets' rows (as report's `targets`) and
    the counts at the plan's start, where the expected-pace lines begin."""
    plan = load_plan()
    return progress_from(plan, as_of, counts_at(con, report_dates(plan, as_of), filters))


def progress_from(
    plan: Plan, as_of: dt.date, counted: dict[dt.date, dict[str, int]]
) -> dict[str, Any]:
    """target_progress from the counts read at report_dates."""
    return {
        "targets": [asdict(r) for r in target_rows_from(plan, as_of, counted)],
        "start": counted[plan.pace_start],
    }


def report_dates(plan: Plan, as_of: dt.date) -> list[dt.date]:
    """The dates whose counts the targets' rows need: the plan's start, the as-of date and
    each deadline already passed."""
    return [plan.pace_start, as_of, *(min(as_of, t.deadline) for t in plan.targets)]


def target_rows_from(
    plan: Plan, as_of: dt.date, counted: dict[dt.date, dict[str, int]]
) -> list[TargetRow]:
    """Each target's row (actual, gap, status, pace) from the counts read at report_dates."""
    at_start = counted[plan.pace_start]
    out = []
    for t in plan.targets:
        c = counted[min(as_of, t.deadline)]
        actual, pipeline = c[t.metric], c[f"pipe_{t.metric}"]
        status, expected = target_status(
            t, as_of, actual, at_start[t.metric], pipeline, plan.pace_start
        )
        out.append(
            TargetRow(
                year=t.year,
                metric=t.metric,
                target=t.target,
                target_max=t.target_max,
                actual=actual,
                gap=max(t.target - actual, 0),
                status=status,
                deadline=t.deadline.isoformat(),
                expected=None if expected is None else round(expected, 2),
                pipeline=pipeline,
                approx=t.approx,
                rule=STATUS_RULES[status],
            )
        )
    return out


@city_totals
def report(
    con: duckdb.DuckDBPyConnection, as_of: dt.date, filters: Filters | None = None
) -> dict[str, Any]:
    """The report of DESIGN.md's `report --json`."""
    filters = filters or Filters()
    plan = load_plan()
    counted = counts_at(con, report_dates(plan, as_of), filters)
    held = counted[as_of]
    return {
        "as_of": as_of.isoformat(),
        "filters": filters.as_json(),
        "filtered": filters.active,
        "demo": db.is_demo(con),
        "last_change": db.get_meta(con, "last_change"),
        "counts": {m: held[m] for m in METRICS},
        "targets": [asdict(r) for r in target_rows_from(plan, as_of, counted)],
        "by_field": db.rows(con, "by_field", as_of=as_of, **filters.params()),
        "by_county": db.rows(con, "by_county", as_of=as_of, **filters.params()),
    }
