"""Data for the overview: titles held month by month, the expected pace, recent changes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from mic_tracker import db
from mic_tracker.narrowing import ByDims, CenterDims, frame_keeps
from mic_tracker.policy import Plan, load_plan
from mic_tracker.report import METRICS as HELD
from mic_tracker.report import Filters, counts_from, progress_from, report_dates
from mic_tracker.scope import city_totals

CHANGE_KINDS = (
    "cultivation_listed",
    "city_certified",
    "province_cultivation_listed",
    "province_certified",
    "national_certified",
    "cultivation_cancelled",
    "title_revoked",
)


@city_totals
def series(
    con: duckdb.DuckDBPyConnection, filters: Filters, start: dt.date, end: dt.date
) -> pd.DataFrame:
    """Month-end counts of titles held per metric, start to end (both months included)."""
    return series_from(_series_rows(con, filters, start, end, False), Filters())


@city_totals
def series_groups(
    con: duckdb.DuckDBPyConnection, filters: Filters, start: dt.date, end: dt.date
) -> pd.DataFrame:
    """queries/series.sql per month and per sector, field, county and form (the overview
    narrows the city's groups to its filters, then sums them with series_from)."""
    return _series_rows(con, filters, start, end, True)


def _series_rows(
    con: duckdb.DuckDBPyConnection, filters: Filters, start: dt.date, end: dt.date, grouped: bool
) -> pd.DataFrame:
    params = filters.params()
    return db.run(con, "series", start=start, end=end, grouped=grouped, **params).df()


def series_from(groups: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """series from rows of series_groups: each month's rows that the filters keep summed,
    every month kept (zeros where none is)."""
    months, place = np.unique(groups["month_end"].to_numpy(), return_inverse=True)
    kept = np.ones(len(groups), dtype=bool)
    if filters.active:
        kept = frame_keeps(groups, filters)
    out: dict[str, Any] = {"month_end": pd.to_datetime(pd.Series(months))}
    for metric in HELD:
        sums = np.zeros(len(months), dtype=np.int64)
        np.add.at(sums, place[kept], groups[metric].to_numpy(dtype=np.int64)[kept])
        out[metric] = sums
    return pd.DataFrame(out)


def pace_lines(plan: Plan, start_counts: dict[str, int]) -> pd.DataFrame:
    """Per metric, the expected-pace line from the plan's start to its last target."""
    rows = []
    for metric in plan.metrics:
        targets = [t for t in plan.targets if t.metric == metric]
        if not targets:
            continue
        last = max(targets, key=lambda t: t.year)
        rows.append({"metric": metric, "date": plan.pace_start, "value": start_counts[metric]})
        rows.append({"metric": metric, "date": last.deadline, "value": last.target})
    return pd.DataFrame(rows)


def recent_changes(
    con: duckdb.DuckDBPyConnection, as_of: dt.date, filters: Filters, days: int = 90
) -> pd.DataFrame:
    """Listings, certifications, cancellations and revocations in the days up to as_of."""
    plan = load_plan()
    frame = db.run(
        con, "recent_events", since=as_of - dt.timedelta(days=days), as_of=as_of, **filters.params()
    ).df()
    frame["event"] = [
        plan.events[k].label + (f"（{plan.levels[lv]}）" if k == "title_revoked" and lv else "")
        for k, lv in zip(frame["kind"], frame["level"], strict=True)
    ]
    return frame


def view_narrowed(
    as_of: dt.date,
    filters: Filters,
    counted: ByDims,
    history: pd.DataFrame,
    changes: pd.DataFrame,
    dims: CenterDims,
) -> tuple[dict[str, Any], pd.DataFrame, pd.DataFrame]:
    """The overview's target_progress, series and recent_changes of the filters, from the
    date's reads of every center: report.count_groups at report_dates and series_groups (the
    city's), recent_changes (the person's), and the person's center_dims; narrowed in
    memory, so a filter change reads nothing again."""
    plan = load_plan()
    at_dates = counts_from(counted.narrowed(filters), report_dates(plan, as_of))
    recent = changes
    if filters.active:
        kept = dims.keeps(changes["center_id"].to_numpy(dtype=np.int64), filters)
        recent = changes[kept].reset_index(drop=True)
    return progress_from(plan, as_of, at_dates), series_from(history, filters), recent
