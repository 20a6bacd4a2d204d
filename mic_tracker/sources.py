"""Reading an import file (the template workbook, or one CSV per sheet) into raw rows.

Only the shape is checked here — size, sheets, headers, merged cells, Excel error values;
cell values are read by the importer.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from xml.etree.ElementTree import ParseError

from openpyxl import load_workbook
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet.cell_range import CellRange

from mic_tracker import parsing
from mic_tracker.errors import RowError, ValueParseError
from mic_tracker.template import COLUMNS, OPTIONS_SHEET, SHEETS, Column, header_index, header_key

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS_PER_SHEET = 100_000
# A title row such as "2024年洛阳市制造业创新中心统计表" may sit above the header; the header
# is looked for this far down.
MAX_HEADER_ROW = 5

# What openpyxl, zipfile and the XML parser raise on a damaged or foreign file. Only openpyxl's
# own reading runs under these guards, so a bug of ours is never reported as a damaged file.
_UNREADABLE = (
    InvalidFileException,
    zipfile.BadZipFile,
    zlib.error,
    ParseError,
    EOFError,
    KeyError,
    IndexError,
    ValueError,
    OSError,
)
# The first bytes of an OLE compound file: an old .xls, or an .xlsx with an opening password.
_OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_RESAVE = "用 Excel 或 WPS 另存为 .xlsx 格式的文件"
_UNKNOWN_SHEET = "未知工作表，已忽略"
_MERGE_REF = re.compile(
    rb"<(?:\w+:)?mergeCell\s[^>]*?\bref=[\"']([A-Z]{1,3}[0-9]{1,7}:[A-Z]{1,3}[0-9]{1,7})[\"']"
)


@dataclass
class Sheet:
    """One sheet's rows: (Excel row number, {column key: raw cell value})."""

    file: str
    name: str
    columns: list[Column]
    rows: list[tuple[int, dict[str, object]]] = field(default_factory=list)

    def has(self, key: str) -> bool:
        return any(c.key == key for c in self.columns)


@dataclass
class Sources:
    sheets: dict[str, Sheet] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)


def read_sources(paths: list[Path]) -> Sources:
    """Read every file; problems of shape become errors, unknown columns warnings."""
    out = Sources()
    for path in paths:
        _read_one(path, out)
    if not out.sheets and not out.errors:
        ignored = "、".join(w.sheet for w in out.warnings if w.reason == _UNKNOWN_SHEET)
        out.errors.append(
            RowError(
                ",".join(p.name for p in paths),
                "",
                None,
                None,
                None,
                "没有找到可导入的工作表" + (f"（文件中的工作表：{ignored}）" if ignored else ""),
                "工作表名为 " + "、".join(SHEETS),
            )
        )
    return out


def _read_one(path: Path, out: Sources) -> None:
    name = path.name
    if not path.is_file():
        out.errors.append(
            RowError(name, "", None, None, None, "文件不存在", "一个 .xlsx 或 .csv 文件")
        )
        return
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        out.errors.append(
            RowError(
                name,
                "",
                None,
                None,
                f"{size / 1024 / 1024:.1f} MB",
                f"文件过大（上限 {MAX_FILE_BYTES // 1024 // 1024} MB）",
                "请按县区或年度拆分为多个文件分别导入",
            )
        )
        return
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        _read_workbook(path, out)
    elif suffix == ".csv":
        _read_csv(path, out)
    else:
        out.errors.append(
            RowError(
                name,
                "",
                None,
                None,
                suffix or "(无扩展名)",
                "不支持的文件类型",
                ".xlsx 工作簿，或每个工作表一个 .csv 文件（UTF-8、带BOM的UTF-8 或 GBK）",
            )
        )


def _read_workbook(path: Path, out: Sources) -> None:
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except _UNREADABLE as exc:
        out.errors.append(_unopenable(path, exc))
        return
    try:
        for ws in wb.worksheets:
            if ws.title == OPTIONS_SHEET:
                continue
            sheet = _sheet_name(ws.title)
            if sheet is None:
                out.warnings.append(
                    RowError(
                        path.name,
                        ws.title,
                        None,
                        None,
                        None,
                        _UNKNOWN_SHEET,
                        "工作表名为 " + "、".join(SHEETS),
                    )
                )
                continue
            _read_sheet(path.name, ws, sheet, out)
    finally:
        wb.close()


def _unopenable(path: Path, exc: Exception) -> RowError:
    with path.open("rb") as fh:
        ole = fh.read(len(_OLE_MAGIC)) == _OLE_MAGIC
    if ole:
        reason = "这是旧版 .xls 格式或设置了打开密码的工作簿，无法读取"
        accepted = "取消打开密码，并" + _RESAVE
    else:
        reason, accepted = f"无法作为 Excel 工作簿打开（{_kind(exc)}）", _RESAVE
    return RowError(path.name, "", None, None, None, reason, accepted)


class _Damaged(Exception):
    """A sheet's XML or its zip entry turned out to be broken while it was being read."""


def _read_sheet(file: str, ws: ReadOnlyWorksheet, sheet: str, out: Sources) -> None:
    try:
        merged = _merged_ranges(ws)
        _take_rows(file, sheet, _guarded(ws.iter_rows(values_only=True)), out, merged)
    except _Damaged as exc:
        out.errors.append(
            RowError(file, ws.title, None, None, None, f"工作表已损坏，无法读取（{exc}）", _RESAVE)
        )


def _guarded(rows: Iterator[Sequence[object]]) -> Iterator[Sequence[object]]:
    """The rows, a damaged file's low-level errors turned into _Damaged (errors raised by the
    code consuming the rows never pass through here)."""
    try:
        yield from rows
    except _UNREADABLE as exc:
        raise _Damaged(_kind(exc)) from exc


def _kind(exc: Exception) -> str:
    """The exception's name for the message, for whoever helps the user (zlib's is "error")."""
    return "zlib.error" if isinstance(exc, zlib.error) else type(exc).__name__


def _merged_ranges(ws: ReadOnlyWorksheet) -> list[CellRange]:
    """The sheet's merged ranges. openpyxl's read-only sheets do not report them, so they are
    found in the sheet's XML (<mergeCells> follows the rows), read in chunks."""
    refs: set[bytes] = set()
    tail = b""
    try:
        with ws._get_source() as src:  # the sheet's part of the open archive (openpyxl 3.1)
            while chunk := src.read(1 << 20):
                data = tail + chunk
                refs.update(m[1] for m in _MERGE_REF.finditer(data))
                tail = data[-128:]  # a tag cut by the chunk boundary is found next time
    except _UNREADABLE as exc:
        raise _Damaged(_kind(exc)) from exc
    return [CellRange(ref.decode("ascii")) for ref in sorted(refs)]


def _read_csv(path: Path, out: Sources) -> None:
    sheet = _sheet_name(path.stem)
    try:
        text, _encoding = parsing.decode_csv_bytes(path.read_bytes())
    except ValueParseError as exc:
        out.errors.append(
            RowError(path.name, sheet or "", None, None, None, exc.reason, exc.accepted)
        )
        return
    rows = list(csv.reader(io.StringIO(text)))
    if sheet is None and rows:
        sheet = _sheet_from_headers(rows[0])
    if sheet is None:
        out.errors.append(
            RowError(
                path.name,
                "",
                None,
                None,
                None,
                "无法判断该 CSV 属于哪个工作表",
                "文件名包含工作表名（如 中心.csv、事件.csv、年度数据.csv）",
            )
        )
        return
    _take_rows(path.name, sheet, iter(rows), out)


def _sheet_name(title: str) -> str | None:
    key = header_key(title)
    if key in SHEETS:
        return key
    # 年度数据 and 事件 first: a file called 中心事件.csv holds events.
    for sheet in (SHEETS[2], SHEETS[1], SHEETS[0]):
        if key.endswith(sheet) or key.startswith(sheet):
            return sheet
    return None


def _sheet_from_headers(headers: list[str]) -> str | None:
    keys = {header_key(h) for h in headers}
    for sheet in (SHEETS[1], SHEETS[2], SHEETS[0]):
        required = {header_key(c.header) for c in COLUMNS[sheet] if c.required}
        if required <= keys:
            return sheet
    return None


def _take_rows(
    file: str,
    sheet: str,
    rows: Iterator[Sequence[object]],
    out: Sources,
    merged: Sequence[CellRange] = (),
) -> None:
    found = _header_row(file, sheet, rows, out)
    if found is None:
        out.errors.append(
            RowError(file, sheet, 1, None, None, "工作表为空，缺少表头", "第1行为表头")
        )
        return
    header_row, header, rows = found
    columns = _columns(file, sheet, list(header), header_row, out)
    if columns is None:
        return
    fill = _MergeFill(file, sheet, header_row, columns, merged, out)
    data = out.sheets.setdefault(sheet, Sheet(file, sheet, [c for c in columns if c]))
    if data.file != file:
        out.errors.append(
            RowError(
                file,
                sheet,
                None,
                None,
                None,
                f"工作表「{sheet}」在 {data.file} 中已出现",
                "每个工作表只提供一次",
            )
        )
        return
    for number, values in enumerate(rows, start=header_row + 1):
        if number - header_row > MAX_ROWS_PER_SHEET:
            out.errors.append(
                RowError(
                    file,
                    sheet,
                    number,
                    None,
                    None,
                    f"行数超过上限 {MAX_ROWS_PER_SHEET}",
                    "请拆分为多个文件分别导入",
                )
            )
            return
        values = fill.apply(number, values)
        cells = {c.key: v for c, v in zip(columns, values, strict=False) if c is not None}
        if all(parsing.normalize_text(v) is None for v in cells.values()):
            continue
        _error_values(file, sheet, number, columns, values, out)
        data.rows.append((number, cells))


def _error_values(
    file: str,
    sheet: str,
    number: int,
    columns: list[Column | None],
    values: Sequence[object],
    out: Sources,
) -> None:
    """A formula's error result (#N/A, #REF!, …) would otherwise be stored as text."""
    for col, value in zip(columns, values, strict=False):
        if col is not None and isinstance(value, str) and value.strip() in ERROR_CODES:
            out.errors.append(
                RowError(
                    file,
                    sheet,
                    number,
                    col.header,
                    value.strip(),
                    "单元格是 Excel 错误值（公式出错或引用失效）",
                    "修正公式，或直接填写数值",
                )
            )


def _header_row(
    file: str, sheet: str, rows: Iterator[Sequence[object]], out: Sources
) -> tuple[int, Sequence[object], Iterator[Sequence[object]]] | None:
    """(row number, header, the rows after it). The header is row 1 — or, when row 1 holds no
    template header (a title such as "2024年…统计表"), the first of the next rows that does."""
    first = next(rows, None)
    if first is None:
        return None
    above = [first]
    if not _has_header(sheet, first):
        for number in range(2, MAX_HEADER_ROW + 1):
            row = next(rows, None)
            if row is None:
                break
            if _has_header(sheet, row):
                out.warnings.append(
                    RowError(
                        file,
                        sheet,
                        number,
                        None,
                        None,
                        f"表头在第{number}行，上方的标题行已忽略",
                        "表头在第1行",
                    )
                )
                return number, row, rows
            above.append(row)
    return 1, first, chain(above[1:], rows)


def _has_header(sheet: str, row: Sequence[object]) -> bool:
    index = header_index(sheet)
    return any(header_key(v) in index for v in row if v is not None)


class _MergeFill:
    """Merged cells below the header, whose cells openpyxl reads as None but the first.

    A block merged down one column ("same as above", common in county sheets) gives each of its
    rows the top cell's value, as Excel shows it. A range across two template columns is
    ambiguous and refused. Merged header cells are left alone: the columns after the first
    have no header and are ignored.
    """

    def __init__(
        self,
        file: str,
        sheet: str,
        header_row: int,
        columns: list[Column | None],
        merged: Sequence[CellRange],
        out: Sources,
    ) -> None:
        self.starting: dict[int, list[tuple[int, int]]] = {}  # top row → [(column, last row)]
        self.active: list[tuple[int, int, object]] = []  # (column, last row, value)
        for r in merged:
            if r.min_row <= header_row:
                continue
            spanned = range(r.min_col - 1, min(r.max_col, len(columns)))
            known = [columns[i] for i in spanned if columns[i] is not None]
            if len(known) > 1 or (known and columns[r.min_col - 1] is None):
                out.errors.append(
                    RowError(
                        file,
                        sheet,
                        r.min_row,
                        known[0].header,
                        None,
                        f"合并单元格 {r.coord} 横跨多列（{'、'.join(c.header for c in known)}），"
                        "无法判断其中的值属于哪一列",
                        "取消合并，把值填入各自的列；同一列上下合并（表示同上）可以接受",
                    )
                )
            elif r.max_row > r.min_row:
                self.starting.setdefault(r.min_row, []).append((r.min_col - 1, r.max_row))

    def apply(self, number: int, values: Sequence[object]) -> Sequence[object]:
        """The row's values with those of the merged blocks it lies in filled in."""
        for column, last in self.starting.pop(number, ()):
            self.active.append((column, last, values[column] if column < len(values) else None))
        self.active = [a for a in self.active if a[1] >= number]
        if not self.active:
            return values
        row = list(values)
        for column, _last, value in self.active:
            row.extend([None] * (column + 1 - len(row)))
            row[column] = value
        return row


def _columns(
    file: str, sheet: str, header: list[object], header_row: int, out: Sources
) -> list[Column | None] | None:
    index = header_index(sheet)
    columns: list[Column | None] = []
    seen: dict[str, str] = {}
    for raw in header:
        text = parsing.normalize_text(raw)
        col = index.get(header_key(raw)) if text else None
        if text and col is None:
            out.warnings.append(
                RowError(
                    file,
                    sheet,
                    header_row,
                    text,
                    None,
                    "未知列，已忽略",
                    "模板列名：" + "、".join(c.header for c in COLUMNS[sheet]),
                )
            )
        if col is not None and col.key in seen:
            out.errors.append(
                RowError(
                    file,
                    sheet,
                    header_row,
                    text,
                    None,
                    f"列「{col.header}」重复（另见「{seen[col.key]}」）",
                    "每列只出现一次",
                )
            )
            return None
        if col is not None:
            seen[col.key] = text or ""
        columns.append(col)
    missing = [c.header for c in COLUMNS[sheet] if c.required and c.key not in seen]
    if missing:
        out.errors.append(
            RowError(
                file,
                sheet,
                header_row,
                None,
                None,
                "缺少必填列：" + "、".join(missing),
                "表头在第1行，列名见导入模板",
            )
        )
        return None
    return columns
