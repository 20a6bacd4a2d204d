"""Data for the fields page: the annex's 31 key fields as of a date — how far each has got,
titles by sector, the one-center-per-field check (四) and the centers of one field.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import duckdb
import pandas as pd

from mic_tracker import db
from mic_tracker.policy import load_plan
from mic_tracker.report import METRICS, Filters
from mic_tracker.stages import STAGE_LABELS

# The highest step a field has reached, top first. "applying" is the step below cultivation.
LEVEL_ORDER = ("national", "province", "city", "cultivation", "applying", "none")
LEVEL_LABELS = {
    "national": "国家级",
    "province": "省级",
    "city": "市级",
    "cultivation": "培育中",
    "applying": "申报中",
    "none": "无",
}
# 四: 原则上，一个重点行业领域建设一个制造业创新中心。
PRINCIPLE = "原则上，一个重点行业领域建设一个制造业创新中心"


def highest_level(row: pd.Series, metrics: tuple[str, ...] = METRICS) -> str:
    """The highest of the chosen metrics the field holds; 申报中 counts only with cultivation."""
    for key in LEVEL_ORDER[:4]:
        if key in metrics and row[key] > 0:
            return key
    if "cultivation" in metrics and row["applying"] > 0:
        return "applying"
    return "none"


def coverage(
    con: duckdb.DuckDBPyConnection,
    as_of: dt.date,
    filters: Filters,
    metrics: tuple[str, ...] = METRICS,
) -> pd.DataFrame:
    """All 31 fields in annex order with their counts as of the date and `level`, the highest
    step reached among the chosen metrics (a key of LEVEL_ORDER). Fields outside the sector or
    field filter stay in the frame with zeros (`in_scope` false)."""
    frame = db.run(con, "fields_coverage", as_of=as_of, **filters.params()).df()
    counts = ["applying", "live", *METRICS]
    frame[counts] = frame[counts].astype(int)
    frame["in_scope"] = frame["in_scope"].astype(bool)
    frame["level"] = [highest_level(row, metrics) for _, row in frame.iterrows()]
    return frame


def level_tally(cov: pd.DataFrame) -> dict[str, int]:
    """How many fields have reached each step (every step listed, zeros included)."""
    got = cov["level"].value_counts()
    return {key: int(got.get(key, 0)) for key in LEVEL_ORDER}


def sector_totals(cov: pd.DataFrame, metrics: tuple[str, ...] = METRICS) -> pd.DataFrame:
    """Titles held per sector (one row per sector of the annex, in its order) for the metrics."""
    sectors = load_plan().sectors
    totals = cov.groupby("sector", sort=False)[list(metrics)].sum().reindex(sectors, fill_value=0)
    return totals.reset_index()


def field_centers(con: duckdb.DuckDBPyConnection, as_of: dt.date, filters: Filters) -> pd.DataFrame:
    """The centers matching the filters with their stage as of the date; `stage_label` in words."""
    frame = db.run(con, "fields_centers", as_of=as_of, **filters.params()).df()
    frame["live"] = frame["live"].astype(bool)
    frame["stage_label"] = frame["stage"].map(STAGE_LABELS)
    return frame


def centers_in_field(
    con: duckdb.DuckDBPyConnection, as_of: dt.date, filters: Filters, seq: int
) -> pd.DataFrame:
    """One field's centers as of the date; the county and form filters still apply."""
    return field_centers(con, as_of, replace(filters, sectors=(), fields=(seq,)))


def one_per_field(
    con: duckdb.DuckDBPyConnection, as_of: dt.date, filters: Filters
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The plan's 四 check as of the date, over the fields the sector/field filters leave:
    (fields with no live center, live centers of fields that have more than one). Live = in
    cultivation or holding any title. The first frame has seq, sector, field, applying (one row
    per field); the second seq, sector, field, live (the field's live centers), name, county,
    stage_label (one row per center, by field then name)."""
    cov = coverage(con, as_of, filters)
    scope = cov[cov["in_scope"]]
    empty = scope[scope["live"] == 0][["seq", "sector", "field", "applying"]]
    crowded = scope[scope["live"] > 1][["seq", "live"]]
    live = field_centers(con, as_of, filters)
    live = live[live["live"]][["seq", "sector", "field", "name", "county", "stage_label"]]
    rows = crowded.merge(live, on="seq")[
        ["seq", "sector", "field", "live", "name", "county", "stage_label"]
    ]
    return empty.reset_index(drop=True), rows.reset_index(drop=True)
