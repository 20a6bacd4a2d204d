"""Reading an import file (the template workbook, or one CSV per sheet) into raw rows.

Only the shape is checked here — size, sheets, headers; cell values are read by the importer.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from mic_tracker import parsing
from mic_tracker.errors import RowError, ValueParseError
from mic_tracker.template import COLUMNS, OPTIONS_SHEET, SHEETS, Column, header_index, header_key

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS_PER_SHEET = 100_000


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
        out.errors.append(
            RowError(
                ",".join(p.name for p in paths),
                "",
                None,
                None,
                None,
                "没有找到可导入的工作表",
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
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        out.errors.append(
            RowError(
                path.name,
                "",
                None,
                None,
                None,
                f"无法作为 Excel 工作簿打开（{type(exc).__name__}）",
                "用 Excel 或 WPS 另存为 .xlsx 格式的文件",
            )
        )
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
                        "未知工作表，已忽略",
                        "工作表名为 " + "、".join(SHEETS),
                    )
                )
                continue
            _take_rows(path.name, sheet, ws.iter_rows(values_only=True), out)
    finally:
        wb.close()


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


def _take_rows(file: str, sheet: str, rows: Iterator[Sequence[object]], out: Sources) -> None:
    header = next(rows, None)
    if header is None:
        out.errors.append(
            RowError(file, sheet, 1, None, None, "工作表为空，缺少表头", "第1行为表头")
        )
        return
    columns = _columns(file, sheet, list(header), out)
    if columns is None:
        return
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
    for number, values in enumerate(rows, start=2):
        if number - 1 > MAX_ROWS_PER_SHEET:
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
        cells = {c.key: v for c, v in zip(columns, values, strict=False) if c is not None}
        if all(parsing.normalize_text(v) is None for v in cells.values()):
            continue
        data.rows.append((number, cells))


def _columns(
    file: str, sheet: str, header: list[object], out: Sources
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
                    1,
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
                    1,
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
                1,
                None,
                None,
                "缺少必填列：" + "、".join(missing),
                "表头在第1行，列名见导入模板",
            )
        )
        return None
    return columns
