"""The list of centers with their stage as of a date, for the centers page and downloads."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from collections.abc import Iterable
from typing import Any

import duckdb
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

from mic_tracker import db
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
# A text cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
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


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; rest unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def download_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The table as shown, Chinese headers, ISO dates as text, formula-like text neutralised."""
    out = frame[list(TABLE_COLUMNS)].copy()
    for col in DATE_COLUMNS:
        out[col] = [_iso(v) for v in out[col]]
    out = out.astype(object).where(out.notna(), None)
    for col in out.columns:
        out[col] = [neutralise(v) for v in out[col]]
    return out.rename(columns=TABLE_COLUMNS)


def _iso(value: Any) -> str | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date().isoformat()


def to_csv(frame: pd.DataFrame) -> bytes:
    """CSV in UTF-8 with a byte-order mark, so Excel opens the Chinese text correctly."""
    return download_frame(frame).to_csv(index=False).encode("utf-8-sig")


def to_xlsx(frame: pd.DataFrame, title: str = LIST_TITLE) -> bytes:
    """An .xlsx workbook of the table: bold header, frozen first row, readable widths."""
    table = download_frame(frame)
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append(list(table.columns))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in table.itertuples(index=False):
        ws.append(list(row))
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text
    for idx, header in enumerate(table.columns, start=1):
        width = max(_width(header), *(_width(v) for v in table[header]), 6)
        ws.column_dimensions[ws.cell(row=1, column=idx).column_letter].width = min(width + 2, 60)
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _width(value: object) -> int:
    """Display width: CJK characters count double."""
    if value is None:
        return 0
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(value))


def download_name(as_of: dt.date, ext: str, title: str = LIST_TITLE) -> str:
    """File name with the as-of date, e.g. 创新中心名单_2022-06-30.csv."""
    return f"{title}_{as_of.isoformat()}.{ext}"


def names(frame: pd.DataFrame) -> list[str]:
    return [str(n) for n in frame["name"]]


def id_of(frame: pd.DataFrame, name: str | None) -> int | None:
    """The id of the center called `name` in the list, or None."""
    hits = frame.loc[frame["name"] == name, "id"] if name else []
    return int(hits.iloc[0]) if len(hits) else None


def row_names(frame: pd.DataFrame, positions: Iterable[int]) -> list[str]:
    """Names at the given row positions (a table selection), ignoring stale positions."""
    return [str(frame["name"].iloc[p]) for p in positions if 0 <= p < len(frame)]
