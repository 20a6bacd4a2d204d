"""Where each target is heading: an explainable projection from today's pipeline, as a range.

For a metric (cultivation, city, province, national) and a horizon H, as of D:

- low  = held now + Σ over the stage-below pipeline of  rate × time share
- high = low + new entrants: entries per year into the stage below (since the plan's start)
         × the years left for them to get through (H − D − the median time the step took)
         × rate

`rate` is the share of centers that went from the stage below to this one before D: for the
city step among centers whose cultivation ended (certified or cancelled), for the others among
all that reached the stage below. The time share is 1, except for a cultivation center, which
must be certified within its cultivation period (四(二)(三): ≤ 2 years): the share of its period
still open that falls before H (0 when its period is over). The range is shown rounded half up.
The pace that closes a target's gap is the gap divided by the years left to its deadline.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import duckdb

from mic_tracker import db
from mic_tracker.narrowing import ByDims
from mic_tracker.periods import cultivation_end
from mic_tracker.policy import Plan, load_plan
from mic_tracker.report import Filters, counts
from mic_tracker.scope import city_totals

DAYS_PER_YEAR = 365.25
FORECAST_METRICS = ("cultivation", "city", "province", "national")


@dataclass(frozen=True)
class Step:
    """What the history says about reaching `metric` from the stage below."""

    metric: str
    entered: int
    since_start: int
    converted: int
    dropped: int
    median_days: float | None

    @property
    def rate_base(self) -> int:
        return self.converted + self.dropped if self.metric == "city" else self.entered

    @property
    def rate(self) -> float | None:
        return self.converted / self.rate_base if self.rate_base else None


@dataclass(frozen=True)
class Projection:
    metric: str
    horizon: dt.date
    held: int
    pool: int  # centers in the stage-below pipeline
    pool_weight: float  # Σ time shares of the pool (= pool unless cultivation periods run out)
    rate: float | None
    rate_text: str  # 8/9
    from_pool: float
    entries_per_year: float
    years_for_new: float
    from_new: float
    low: float
    high: float

    @property
    def low_n(self) -> int:
        return half_up(self.low)

    @property
    def high_n(self) -> int:
        return half_up(self.high)


def half_up(x: float) -> int:
    return math.floor(x + 0.5 + 1e-9)


@city_totals
def steps(con: duckdb.DuckDBPyConnection, as_of: dt.date, filters: Filters) -> dict[str, Step]:
    """What the history up to the date says about each step (counts only)."""
    return steps_from(_step_rows(con, as_of, filters, False))


@city_totals
def step_groups(con: duckdb.DuckDBPyConnection, as_of: dt.date, filters: Filters) -> ByDims:
    """queries/forecast_steps.sql: each step's history per sector, field, county and form (a
    page narrows the city's groups to its filters, then puts them together with steps_from)."""
    return ByDims(_step_rows(con, as_of, filters, True))


def _step_rows(
    con: duckdb.DuckDBPyConnection, as_of: dt.date, filters: Filters, grouped: bool
) -> list[dict[str, Any]]:
    start = load_plan().pace_start
    params = filters.params()
    return db.rows(con, "forecast_steps", as_of=as_of, start=start, grouped=grouped, **params)


def steps_from(groups: Iterable[dict[str, Any]]) -> dict[str, Step]:
    """steps from rows of step_groups: the counts summed, the median over all their days."""
    counts = {m: [0, 0, 0, 0] for m in FORECAST_METRICS}
    days: dict[str, list[int]] = {m: [] for m in FORECAST_METRICS}
    for r in groups:
        total = counts[r["metric"]]
        for i, key in enumerate(("entered", "since_start", "converted", "dropped")):
            total[i] += int(r[key])
        days[r["metric"]] += r["days"] or ()
    return {
        m: Step(m, *counts[m], float(statistics.median(days[m])) if days[m] else None)
        for m in FORECAST_METRICS
    }


def time_share(listed_on: dt.date | None, as_of: dt.date, horizon: dt.date) -> float:
    """The part of a cultivation center's remaining period that falls before the horizon."""
    if listed_on is None:
        return 0.0
    end = cultivation_end(listed_on).date
    if end < as_of or horizon < as_of:
        return 0.0
    if end == as_of or horizon >= end:
        return 1.0
    return (horizon - as_of).days / (end - as_of).days


@city_totals
def pools_at(
    con: duckdb.DuckDBPyConnection,
    as_of: dt.date,
    filters: Filters,
    horizons: Iterable[dt.date],
) -> dict[dt.date, dict[str, tuple[int, float]]]:
    """Per horizon and metric: (centers in its stage-below pipeline, the sum of their time
    shares). The pipeline is read once for all horizons (counts only)."""
    return pools_from(pool_rows(con, as_of, filters).rows, as_of, horizons)


@city_totals
def pool_rows(con: duckdb.DuckDBPyConnection, as_of: dt.date, filters: Filters) -> ByDims:
    """queries/forecast_pool.sql: the pipeline's centers, without names, each with the columns
    the filters read (a page narrows the city's rows to its filters, then uses pools_from)."""
    return ByDims(db.rows(con, "forecast_pool", as_of=as_of, **filters.params()))


def pools_from(
    rows: list[dict[str, Any]], as_of: dt.date, horizons: Iterable[dt.date]
) -> dict[dt.date, dict[str, tuple[int, float]]]:
    """pools_at from rows of pool_rows."""
    return {horizon: _weights(rows, as_of, horizon) for horizon in horizons}


def _weights(
    rows: list[dict[str, Any]], as_of: dt.date, horizon: dt.date
) -> dict[str, tuple[int, float]]:
    """Each metric's pool and the sum of its time shares, summed exactly (math.fsum): the rows
    come in no fixed order, and a running float sum would change in its last digit with it."""
    found: dict[str, list[float]] = {m: [] for m in FORECAST_METRICS}
    shares: dict[dt.date | None, float] = {}  # a register lists on few distinct dates
    for r in rows:
        for m in FORECAST_METRICS:
            if r[f"pipe_{m}"]:
                share = 1.0
                if m == "city":
                    listed = r["listed_on"]
                    if listed not in shares:
                        shares[listed] = time_share(listed, as_of, horizon)
                    share = shares[listed]
                found[m].append(share)
    return {m: (len(found[m]), math.fsum(found[m])) for m in FORECAST_METRICS}


def project(
    step: Step, held: int, pool: tuple[int, float], as_of: dt.date, horizon: dt.date, plan: Plan
) -> Projection:
    rate = step.rate or 0.0
    from_pool = pool[1] * rate
    years_so_far = max((as_of - plan.pace_start).days, 1) / DAYS_PER_YEAR
    per_year = step.since_start / years_so_far
    lead = step.median_days if step.median_days is not None else math.inf
    years_for_new = max((horizon - as_of).days - lead, 0) / DAYS_PER_YEAR
    from_new = per_year * years_for_new * rate
    low = held + from_pool
    return Projection(
        metric=step.metric,
        horizon=horizon,
        held=held,
        pool=pool[0],
        pool_weight=pool[1],
        rate=step.rate,
        rate_text=f"{step.converted}/{step.rate_base}" if step.rate_base else "—",
        from_pool=from_pool,
        entries_per_year=per_year,
        years_for_new=years_for_new,
        from_new=from_new,
        low=low,
        high=low + from_new,
    )


def forecast(
    con: duckdb.DuckDBPyConnection, as_of: dt.date, filters: Filters, horizon: dt.date
) -> dict[str, Projection]:
    """The projection of every metric at the horizon (a year-end, usually a target's deadline)."""
    return forecasts(con, as_of, filters, [horizon])[horizon]


def forecasts(
    con: duckdb.DuckDBPyConnection,
    as_of: dt.date,
    filters: Filters,
    horizons: Iterable[dt.date],
    held: dict[str, int] | None = None,
) -> dict[dt.date, dict[str, Projection]]:
    """forecast at each horizon; the counts held (when the caller has them), the history and
    the pipeline are read once for all."""
    horizons = list(horizons)
    return forecasts_from(
        as_of,
        held or counts(con, as_of, filters),
        steps(con, as_of, filters),
        pools_at(con, as_of, filters, horizons),
    )


def forecasts_from(
    as_of: dt.date,
    held: dict[str, int],
    history: dict[str, Step],
    pools: dict[dt.date, dict[str, tuple[int, float]]],
) -> dict[dt.date, dict[str, Projection]]:
    """forecasts from what it reads: counts held, steps and pools_at (one per horizon)."""
    plan = load_plan()
    return {
        horizon: {
            m: project(history[m], held[m], pool[m], as_of, horizon, plan) for m in FORECAST_METRICS
        }
        for horizon, pool in pools.items()
    }


@dataclass(frozen=True)
class Pace:
    gap: int
    years_left: float
    per_year: int  # new centers a year that close the gap by the deadline, rounded up


def pace(gap: int, as_of: dt.date, deadline: dt.date) -> Pace | None:
    """The pace that closes the gap by the deadline; None when nothing is missing or it's past."""
    if gap <= 0 or as_of >= deadline:
        return None
    years = (deadline - as_of).days / DAYS_PER_YEAR
    return Pace(gap, years, math.ceil(gap / years - 1e-9))
