"""The blank import template the bureau hands to county offices: the three sheets with their
headers, a note on each header saying what is accepted, and drop-down lists (fields, divisions,
forms, events, levels, results, 是/否) fed from a hidden sheet of options.

The drop-downs help; they do not police: a 序号 or an old county name typed by hand still imports,
because the importer, not Excel, decides what is accepted.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from mic_tracker import parsing
from mic_tracker.policy import Plan, load_plan
from mic_tracker.reference import load_resolver
from mic_tracker.template import COLUMNS, OPTIONS_SHEET, Column

ROWS_WITH_LISTS = 2000
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def _options(plan: Plan) -> dict[str, list[str]]:
    """Drop-down lists by column kind (or choice column header)."""
    units = [d.name for d in load_resolver().current_units]
    return {
        "field": [f.name for f in plan.fields],
        "county": units,
        "form": list(plan.forms.values()),
        "event": [e.label for e in plan.events.values()],
        "level": list(plan.levels.values()),
        "result": list(plan.results.values()),
        "bool": ["是", "否"],
    }


def _accepted(col: Column, plan: Plan) -> str:
    texts = {
        "money": parsing.ACCEPTED_MONEY,
        "date": parsing.ACCEPTED_DATE,
        "bool": parsing.ACCEPTED_BOOL,
        "year": parsing.ACCEPTED_YEAR,
        "members": parsing.ACCEPTED_MEMBERS,
        "int": f"非负整数{('，可带单位「' + col.unit + '」') if col.unit else ''}",
        "field": f"领域名称或序号 1–{len(plan.fields)}（附件导向目录）",
        "county": "县区或开发区的全称、简称、GB/T 2260代码，或2021年前的旧名（偃师市、吉利区、孟津县）",
        "event": "事件名称，见下拉列表",
        "level": "市级 / 省级 / 国家级（撤销称号默认市级；推荐省级/国家级必填）",
        "result": "合格 / 不合格（年度评价、整改评价必填）",
        "choice": "、".join(col.choices),
        "form": "、".join(plan.forms.values()),
    }
    text = texts.get(col.kind, "文字")
    return ("必填。" if col.required else "") + text


def _write_options(ws: Worksheet, options: dict[str, list[str]]) -> dict[str, str]:
    """One column per list on the hidden sheet; returns kind → range formula."""
    ranges = {}
    for idx, (kind, values) in enumerate(options.items(), start=1):
        letter = get_column_letter(idx)
        ws.cell(row=1, column=idx, value=kind)
        for row, value in enumerate(values, start=2):
            ws.cell(row=row, column=idx, value=value)
        ranges[kind] = f"={OPTIONS_SHEET}!${letter}$2:${letter}${len(values) + 1}"
    ws.sheet_state = "hidden"
    return ranges


def _validation(formula: str) -> DataValidation:
    dv = DataValidation(type="list", formula1=formula, allow_blank=True)
    dv.showErrorMessage = False  # typed values the list lacks (序号, old names) still import
    dv.promptTitle = "可从列表选择"
    dv.prompt = "也可以直接填写，导入时会检查"
    dv.showInputMessage = True
    return dv


def write_template(out: Path) -> None:
    """Write the blank template workbook to `out`."""
    plan = load_plan()
    wb = Workbook()
    wb.remove(wb.active)
    sheets = {name: wb.create_sheet(name) for name in COLUMNS}
    ranges = _write_options(wb.create_sheet(OPTIONS_SHEET), _options(plan))
    for name, ws in sheets.items():
        for idx, col in enumerate(COLUMNS[name], start=1):
            cell = ws.cell(row=1, column=idx, value=col.header)
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
            cell.comment = Comment(_accepted(col, plan), "市工信局")
            letter = get_column_letter(idx)
            ws.column_dimensions[letter].width = max(12, len(col.header) * 2 + 4)
            key = col.kind if col.kind in ranges else None
            if key:
                dv = _validation(ranges[key])
                dv.add(f"{letter}2:{letter}{ROWS_WITH_LISTS}")
                ws.add_data_validation(dv)
        ws.freeze_panes = "A2"
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
