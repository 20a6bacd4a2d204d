"""The list of centers with their stage as of a date, for the centers page and its downloads."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable

import duckdb
import numpy as np
import pandas as pd

from mic_tracker import db
from mic_tracker.narrowing import SEQ_DIMS, frame_keeps
from mic_tracker.periods import next_deadline
from mic_tracker.report import Filters
from mic_tracker.stages import STAGE_LABELS

# The columns the centers table shows and the downloads carry, with their Chinese headers.
TABLE_COLUMNS = {
    "name": "中心名称",
    "field": "重点领域",
    "county": "所在县区",
    "form": "建设形式",
    "lead_unit": "牵头单位",
    "stage_label": "当前阶段",
    "next_deadline": "下一期限",
    "listed_on": "列入培育名单",
    "city_on": "认定市级",
    "province_on": "认定省级",
    "national_on": "认定国家级",
}
DATE_COLUMNS = ("listed_on", "city_on", "province_on", "national_on")
SEARCH_COLUMNS = ("name", "lead_unit", "field")
LIST_TITLE = "创新中心名单"


def center_list(
    con: duckdb.DuckDBPyConnection,
    as_of: dt.date,
    filters: Filters,
    levels: tuple[str, ...] = (),
) -> pd.DataFrame:
    """One row per center matching the filters; `stage_label` says where it stands.

    With `levels` (metric keys: cultivation, city, province, national), only centers holding
    at least one of those titles as of the date are kept.
    """
    frame = db.run(con, "center_list", as_of=as_of, **filters.params()).df()
    frame["stage_label"] = frame["stage"].map(STAGE_LABELS)
    frame["next_deadline"] = [
        deadline_text(stage, None if pd.isna(listed) else pd.Timestamp(listed).date(), as_of)
        for stage, listed in zip(frame["stage"], frame["listed_on"], strict=True)
    ]
    if levels:
        frame = frame[frame[list(levels)].any(axis=1)].reset_index(drop=True)
    return frame


def list_narrowed(city: pd.DataFrame, filters: Filters, levels: tuple[str, ...]) -> pd.DataFrame:
    """center_list of the filters and levels, from center_list of every center the person
    may see (one date, no levels) narrowed in memory (its rows carry the columns the filters
    read): a filter change reads nothing again. The frame given when nothing narrows it."""
    kept = np.ones(len(city), dtype=bool)
    if filters.active:
        kept = frame_keeps(city, filters, SEQ_DIMS)
    if levels:
        kept &= city[list(levels)].any(axis=1).to_numpy(dtype=bool)
    return city if kept.all() else city[kept].reset_index(drop=True)


def deadline_text(stage: str, listed_on: dt.date | None, as_of: dt.date) -> str | None:
    """The next deadline as ISO date and kind, e.g. 2021-11-22 培育期满（已逾期）; None if none.

    The date comes first, so sorting the column sorts by date.
    """
    found = next_deadline(stage, listed_on)
    if found is None:
        return None
    kind, due = found
    text = f"{due.date.isoformat()} {kind}"
    if due.provisional:
        text += "（暂定）"  # beyond the official holiday calendar: Monday–Friday
    if due.date < as_of:
        text += "（已逾期）"
    return text


def _fold(text: object) -> str:
    """NFKC, case-folded, no whitespace: how search compares text."""
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return ""
    return "".join(unicodedata.normalize("NFKC", str(text)).casefold().split())


def search(frame: pd.DataFrame, text: str | None) -> pd.DataFrame:
    """Rows whose name, lead unit or field contains every word of `text` (any width, any case)."""
    words = [_fold(w) for w in unicodedata.normalize("NFKC", text or "").split()]
    words = [w for w in words if w]
    if not words:
        return frame
    haystack = frame[list(SEARCH_COLUMNS)].apply(
        lambda row: " ".join(_fold(v) for v in row), axis=1
    )
    keep = [all(w in h for w in words) for h in haystack]
    return frame[keep].reset_index(drop=True)


def names(frame: pd.DataFrame) -> list[str]:
    return frame["name"].astype(str).tolist()


PICKER_LIMIT = 1000


def picker_names(frame: pd.DataFrame, chosen: str | None, limit: int = PICKER_LIMIT) -> list[str]:
    """The picker's options: every name of the list, or, when the list is longer than `limit`
    (a province's register), its first `limit` names plus the chosen one. A picker of 20,000
    names cost more than a rerun's budget and is no way to find one; the search narrows it."""
    listed = names(frame.head(limit))
    if chosen and chosen not in listed and (frame["name"] == chosen).any():
        listed.append(chosen)
    return listed


def id_of(frame: pd.DataFrame, name: str | None) -> int | None:
    """The id of the center called `name` in the list, or None."""
    hits = frame.loc[frame["name"] == name, "id"] if name else []
    return int(hits.iloc[0]) if len(hits) else None


def row_names(frame: pd.DataFrame, positions: Iterable[int]) -> list[str]:
    """Names at the given row positions (a table selection), ignoring stale positions."""
    return [str(frame["name"].iloc[p]) for p in positions if 0 <= p < len(frame)]
