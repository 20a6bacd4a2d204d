"""Any table the dashboard shows, as a safe CSV or Excel file named with the date and the filters.

Formula injection: a cell whose text starts with = + - @, a tab or a carriage return is run as
a formula (or a DDE payload) by spreadsheet programs. The rule is the exporter's
(`exporter.looks_like_formula`); how a cell is neutralised depends on the format:

- Excel: the text is kept exactly and the cell is typed as text, as the register export does.
  A text cell is never evaluated, and the value reads back unchanged.
- CSV has no cell types, so such text gets a leading apostrophe (the OWASP practice): Excel
  and LibreOffice then show it as text. Only text is touched: the number -5 stays -5.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from mic_tracker.exporter import append_header, append_safe_row, looks_like_formula
from mic_tracker.policy import load_plan
from mic_tracker.reference import load_resolver
from mic_tracker.report import Filters

# File names: at most this many characters before the extension. A CJK character takes 3
# bytes in UTF-8 and file systems allow 255, so this leaves room for a browser's " (1)".
MAX_STEM = 60
# Not allowed in Windows file names (and / nowhere), nor control characters.
UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
# Each filter kind: its word in the header line, and the unit when named by count (3个领域).
KINDS = {
    "sector": ("行业", "个行业"),
    "field": ("领域", "个领域"),
    "county": ("县区", "个县区"),
    "form": ("形式", "种形式"),
    "level": ("层级", "个层级"),
}
SPELLED_OUT = 2  # a kind with more values than this is named by its count


def neutralise(value: Any) -> Any:
    """For CSV: formula-like text gets a leading apostrophe; everything else is unchanged."""
    return "'" + value if looks_like_formula(value) else value


def filter_names(filters: Filters, levels: Sequence[str] = ()) -> dict[str, list[str]]:
    """The chosen filters in plain Chinese by kind (keys of KINDS); kinds left open are absent."""
    plan = load_plan()
    units = {d.code: d.name for d in load_resolver().current_units}
    names = {
        "sector": list(filters.sectors),
        "field": [plan.field(s).name for s in filters.fields],
        "county": [units[c] for c in filters.counties],
        "form": list(filters.forms),
        "level": [plan.metrics[m] for m in levels],
    }
    return {kind: values for kind, values in names.items() if values}


def safe_name(text: str) -> str:
    """Text usable in a file name on Windows, macOS and Linux: unsafe characters become '-'."""
    return UNSAFE.sub("-", unicodedata.normalize("NFC", text)).strip(" .")


def file_name(
    title: str,
    as_of: dt.date,
    ext: str,
    filters: Filters | None = None,
    levels: Sequence[str] = (),
    extra: Iterable[str] = (),
) -> str:
    """E.g. 创新中心名单_截至2026-11-26_新材料_涧西区.csv.

    Each active filter kind is one part: up to two values spelled out (涧西区、洛龙区), more as
    a count (3个领域). When the name is still longer than MAX_STEM, the longest parts are
    replaced by their counts first; a name that is still too long is cut at the end.
    `extra` holds further parts such as a search text.
    """
    groups = filter_names(filters or Filters(), levels)
    words = {k: _word(k, v, len(v) > SPELLED_OUT) for k, v in groups.items()}
    tail = [safe_name(x) for x in extra if x and safe_name(x)]

    def stem() -> str:
        parts = [safe_name(title), f"截至{as_of.isoformat()}", *words.values(), *tail]
        return "_".join(p for p in parts if p)

    while len(stem()) > MAX_STEM:
        counts = {k: _word(k, groups[k], True) for k in words}
        longer = [k for k in words if len(words[k]) > len(counts[k])]  # counting shortens these
        if not longer:
            break
        longest = max(longer, key=lambda k: len(words[k]))
        words[longest] = counts[longest]
    return f"{stem()[:MAX_STEM].rstrip(' ._')}.{ext}"


def _word(kind: str, values: list[str], count: bool) -> str:
    return f"{len(values)}{KINDS[kind][1]}" if count else safe_name("、".join(values))


def export_frame(
    frame: pd.DataFrame,
    labels: Mapping[str, str] | None = None,
    columns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The columns to export (default: all) in order, renamed to the headers the page shows."""
    chosen = [c for c in (columns or frame.columns) if c in frame.columns]
    return frame[chosen].rename(columns=dict(labels or {}))


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV in UTF-8 with a byte-order mark (so Excel reads the Chinese), formula text neutralised.

    Dates are written as YYYY-MM-DD, date-times as YYYY-MM-DD HH:MM:SS, numbers as numbers.
    """
    out = frame.astype(object).map(_csv_cell)
    # CRLF as RFC 4180 and Excel write it; it also makes the csv module quote a lone "\r".
    return out.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def _csv_cell(value: Any) -> Any:
    value = plain(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    return neutralise(value)


def plain(value: Any) -> Any:
    """A cell as a plain Python value: None for anything missing, a date for a midnight time."""
    if value is None or (np.ndim(value) == 0 and pd.isna(value)):
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, dt.datetime):  # pandas Timestamps included
        value = pd.Timestamp(value).to_pydatetime().replace(tzinfo=None)
        return value.date() if value.time() == dt.time() else value
    return value


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "数据") -> bytes:
    """An .xlsx of the table: bold frozen header, numbers and dates typed, formula text as text."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # a new workbook always has its first sheet
    ws.title = re.sub(r"[\[\]]", "-", safe_name(sheet))[:31] or "数据"
    append_header(ws, [str(c) for c in frame.columns])
    for row in frame.itertuples(index=False, name=None):
        append_safe_row(ws, [plain(v) for v in row])
    _format(ws)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _format(ws: Worksheet) -> None:
    """Dates as YYYY-MM-DD; each column as wide as its longest text (CJK counts double)."""
    for column in ws.iter_cols():
        for cell in column[1:]:
            if isinstance(cell.value, dt.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm:ss"
            elif isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
        width = max(_width(c.value) for c in column)
        ws.column_dimensions[column[0].column_letter].width = min(max(width, 8) + 2, 60)


def _width(value: object) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.date):
        return 19 if isinstance(value, dt.datetime) else 10
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(value))
