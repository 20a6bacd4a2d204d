"""Data for the fields page: the annex's 31 key fields as of a date — how far each has got,
titles by sector, the one-center-per-field check (四) and the centers of one field.

All of it comes from one query, the centers matching the filters with what each holds: the
fields' counts are sums over them. A query over the state macro costs more to plan than summing
20,000 rows in numpy, so the page reads the register once per filter change (fields_view).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import NamedTuple

import duckdb
import numpy as np
import pandas as pd

from mic_tracker import db
from mic_tracker.narrowing import SEQ_DIMS, frame_keeps
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
# What a center holds (fields_centers), summed per field into the fields' counts.
HELD = ("applying", *METRICS, "live")
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
    field filter stay in the frame with zeros (`in_scope` false). Columns: seq, sector, field,
    in_scope, applying, cultivation, city, province, national (titles held), live (centers in
    cultivation or holding any title: the 四 check), level."""
    return _coverage(field_centers(con, as_of, filters), filters, metrics)


class FieldsView(NamedTuple):
    """What the fields page shows for a date and filters, from one query."""

    coverage: pd.DataFrame  # coverage()
    empty: pd.DataFrame  # one_per_field()'s two frames
    crowded: pd.DataFrame
    centers: pd.DataFrame  # field_centers(): every center matching the filters

    def in_field(self, seq: int) -> pd.DataFrame:
        """centers_in_field for a field the sector and field filters leave in (in_scope)."""
        # The rows come by field (fields_centers orders them so): one slice, no scan.
        start, end = np.searchsorted(self.centers["seq"].to_numpy(), [seq, seq + 1])
        return self.centers.iloc[start:end].reset_index(drop=True)


def fields_view(
    con: duckdb.DuckDBPyConnection,
    as_of: dt.date,
    filters: Filters,
    metrics: tuple[str, ...] = METRICS,
) -> FieldsView:
    """coverage, one_per_field and the centers of each field in scope, from one query."""
    return view_of(field_centers(con, as_of, filters), filters, metrics)


def view_of(centers: pd.DataFrame, filters: Filters, metrics: tuple[str, ...]) -> FieldsView:
    """fields_view from field_centers of the same date and filters."""
    cov = _coverage(centers, filters, metrics)
    return FieldsView(cov, *_check(cov, centers), centers)


def view_narrowed(
    city: pd.DataFrame, filters: Filters, metrics: tuple[str, ...] = METRICS
) -> FieldsView:
    """fields_view from field_centers of every center the person may see (one date), narrowed
    to the filters in memory (its rows carry the columns the filters read): a filter change
    reads nothing again."""
    if filters.active:
        kept = frame_keeps(city, filters, SEQ_DIMS)
        city = city[kept].reset_index(drop=True)
    return view_of(city, filters, metrics)


def _coverage(centers: pd.DataFrame, filters: Filters, metrics: tuple[str, ...]) -> pd.DataFrame:
    """coverage() from field_centers(): the 31 fields of the plan, each center's holdings summed."""
    fields = load_plan().fields
    cov = {
        "seq": np.array([f.seq for f in fields], dtype="int32"),
        "sector": pd.array([f.sector for f in fields], dtype="str"),
        "field": pd.array([f.name for f in fields], dtype="str"),
        "in_scope": np.array([in_scope(f.seq, f.sector, filters) for f in fields]),
    }
    place = np.searchsorted(cov["seq"], centers["seq"].to_numpy())  # the plan lists by seq
    for key in HELD:
        held = centers[key].to_numpy(dtype=bool)
        cov[key] = np.bincount(place[held], minlength=len(fields)).astype("int64")
    cov["level"] = _levels(cov, metrics)
    return pd.DataFrame(cov)


def in_scope(seq: int, sector: str, filters: Filters) -> bool:
    """The field itself passes the sector and field filters (the county and form filters
    narrow the centers counted, not the fields)."""
    return (not filters.sectors or sector in filters.sectors) and (
        not filters.fields or seq in filters.fields
    )


def _levels(
    counts: dict[str, np.ndarray], metrics: tuple[str, ...]
) -> pd.api.extensions.ExtensionArray:
    """highest_level of every field at once (the first condition that holds wins)."""
    keys = [key for key in LEVEL_ORDER[:4] if key in metrics]
    held = [counts[key] > 0 for key in keys]
    if "cultivation" in metrics:
        keys.append("applying")
        held.append(counts["applying"] > 0)
    level = np.select(held, keys, default="none") if keys else ["none"] * len(counts["seq"])
    return pd.array(level, dtype="str")


def level_tally(cov: pd.DataFrame) -> dict[str, int]:
    """How many fields have reached each step (every step listed, zeros included)."""
    got = cov["level"].value_counts()
    return {key: int(got.get(key, 0)) for key in LEVEL_ORDER}


def sector_totals(cov: pd.DataFrame, metrics: tuple[str, ...] = METRICS) -> pd.DataFrame:
    """Titles held per sector (one row per sector of the annex, in its order) for the metrics."""
    sectors = load_plan().sectors
    # Summed in plain Python, not groupby (a few ms on 31 rows): the page does it every rerun.
    row = {sector: i for i, sector in enumerate(sectors)}
    places = [row[sector] for sector in cov["sector"].tolist()]
    columns = {}
    for m in metrics:
        total = [0] * len(sectors)
        for place, n in zip(places, cov[m].tolist(), strict=True):
            total[place] += n
        columns[m] = np.array(total, dtype="int64")
    return pd.DataFrame({"sector": pd.array(sectors, dtype="str"), **columns})


def field_centers(con: duckdb.DuckDBPyConnection, as_of: dt.date, filters: Filters) -> pd.DataFrame:
    """The centers matching the filters with their stage and what they hold as of the date, by
    field then name; `stage_label` in words."""
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
    centers = field_centers(con, as_of, filters)
    return _check(_coverage(centers, filters, METRICS), centers)


def _check(cov: pd.DataFrame, centers: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """one_per_field from coverage() and field_centers() of the same date and filters."""
    live = np.where(cov["in_scope"].to_numpy(), cov["live"].to_numpy(), -1)  # -1: out of scope
    empty = _rows(cov, live == 0, ["seq", "sector", "field", "applying"])
    place = np.searchsorted(cov["seq"].to_numpy(), centers["seq"].to_numpy())
    crowded = centers["live"].to_numpy() & (live[place] > 1)
    rows = _rows(centers, crowded, ["seq", "sector", "field", "name", "county", "stage_label"])
    rows.insert(3, "live", live[place[crowded]])
    return empty, rows


def _rows(frame: pd.DataFrame, mask: np.ndarray, columns: list[str]) -> pd.DataFrame:
    """frame.loc[mask, columns] with a fresh index, in a fraction of the time on small frames."""
    return pd.DataFrame({c: frame[c].array[mask] for c in columns})
