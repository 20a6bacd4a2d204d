"""Export of the register to the import template, so export → import reproduces it exactly."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from mic_tracker import db
from mic_tracker.policy import Plan, load_plan
from mic_tracker.scope import Scope
from mic_tracker.template import COLUMNS, SHEET_ANNUAL, SHEET_CENTERS, SHEET_EVENTS, Column

# Text starting with these is a formula (or DDE payload) to Excel; such cells are written as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export_workbook(path_db: Path, out: Path, scope: Scope | None = None) -> dict[str, int]:
    """Write the three template sheets — of the centers the scope may read (None: all) —
    and return the number of rows per sheet."""
    plan = load_plan()
    with db.connect(path_db, create=False, scope=scope) as con:
        sheets = {
            SHEET_CENTERS: _center_rows(con, plan),
            SHEET_EVENTS: _event_rows(con, plan),
            SHEET_ANNUAL: _annual_rows(con),
        }
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        _write_sheet(wb.create_sheet(name), COLUMNS[name], rows)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return {name: len(rows) for name, rows in sheets.items()}


def _center_rows(con: duckdb.DuckDBPyConnection, plan: Plan) -> list[dict[str, Any]]:
    divisions = {r["code"]: r["name"] for r in db.rows(con, "divisions_all")}
    members: dict[int, list[str]] = {}
    for m in db.rows(con, "members_all"):
        text = m["name"] if m["member_type"] is None else f"{m['name']}({m['member_type']})"
        members.setdefault(m["center_id"], []).append(text)
    out = []
    for c in db.rows(con, "centers_all"):
        row = dict(c)
        row["field_seq"] = plan.field(c["field_seq"]).name
        row["division_code"] = divisions[c["division_code"]]
        row["members"] = "；".join(members.get(c["id"], [])) or None
        out.append(row)
    return out


def _event_rows(con: duckdb.DuckDBPyConnection, plan: Plan) -> list[dict[str, Any]]:
    names = {c["id"]: c["name"] for c in db.rows(con, "centers_all")}
    out = []
    for e in db.rows(con, "events_all"):
        kind = plan.events[e["kind"]]
        level = e["level"] if kind.level == "choose" else None
        out.append(
            {
                "center": names[e["center_id"]],
                "kind": kind.label,
                "date": e["event_date"],
                "level": plan.levels[level] if level else None,
                "eval_year": e["eval_year"],
                "result": plan.results[e["result"]] if e["result"] else None,
                "note": e["note"],
            }
        )
    return out


def _annual_rows(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = {c["id"]: c["name"] for c in db.rows(con, "centers_all")}
    return [{**r, "center": names[r["center_id"]]} for r in db.rows(con, "annual_all")]


def _cell(col: Column, value: Any) -> Any:
    if value is None:
        return None
    if col.kind == "bool":
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def looks_like_formula(value: Any) -> bool:
    """True for text a spreadsheet program would run as a formula (or a DDE payload)."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def append_header(ws: Worksheet, headers: list[str]) -> None:
    """The header row: bold, and frozen so it stays in view while scrolling."""
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"


def append_safe_row(ws: Worksheet, values: list[Any]) -> None:
    """Append a row; formula-like text is kept exactly but typed as a text cell."""
    ws.append(values)
    for cell in ws[ws.max_row]:
        if looks_like_formula(cell.value):
            cell.data_type = "s"  # stored as text: a name like "=HYPERLINK(…)" never runs


def _write_sheet(ws: Worksheet, columns: tuple[Column, ...], rows: list[dict[str, Any]]) -> None:
    append_header(ws, [c.header for c in columns])
    for row in rows:
        append_safe_row(ws, [_cell(c, row.get(c.key)) for c in columns])
    for idx, col in enumerate(columns, start=1):
        letter = ws.cell(row=1, column=idx).column_letter
        ws.column_dimensions[letter].width = max(10, len(col.header) * 2 + 2)
        if col.kind == "date":
            for (cell,) in ws.iter_rows(min_row=2, min_col=idx, max_col=idx):
                if isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
