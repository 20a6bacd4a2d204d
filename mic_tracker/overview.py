"""Data for the overview: titles held month by month, the expected pace, recent changes."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from mic_tracker import db
from mic_tracker.policy import Plan, load_plan
from mic_tracker.report import Filters
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
    frame = db.run(con, "series", start=start, end=end, **filters.params()).df()
    frame["month_end"] = pd.to_datetime(frame["month_end"])
    return frame


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
