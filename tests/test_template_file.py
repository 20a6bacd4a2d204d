"""The blank import template: headers with notes, drop-down lists, and it imports once filled in."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from mic_tracker import db
from mic_tracker.importer import import_files
from mic_tracker.parsing import ACCEPTED_MONEY
from mic_tracker.template import COLUMNS, OPTIONS_SHEET
from mic_tracker.template_file import write_template


def list_validation(ws, column_letter: str) -> str:
    for dv in ws.data_validations.dataValidation:
        if any(str(r).startswith(f"{column_letter}2:") for r in dv.sqref.ranges):
            return dv.formula1
    raise AssertionError(f"no drop-down on column {column_letter}")


def test_template_has_the_three_sheets_with_headers_and_notes(tmp_path: Path) -> None:
    """Test that each sheet has the template's headers in row 1, each with a note on what is accepted."""
    out = tmp_path / "t.xlsx"
    write_template(out)
    wb = load_workbook(out)
    assert wb.sheetnames == ["中心", "事件", "年度数据", OPTIONS_SHEET]
    assert wb[OPTIONS_SHEET].sheet_state == "hidden"
    for name, columns in COLUMNS.items():
        ws = wb[name]
        assert [c.value for c in ws[1]] == [c.header for c in columns]
        assert all(c.comment is not None and c.comment.text for c in ws[1])
    assert "必填" in wb["中心"]["A1"].comment.text
    assert wb["年度数据"]["C1"].comment.text == ACCEPTED_MONEY  # 非财政研发经费支出


def test_drop_downs_list_fields_divisions_and_events(tmp_path: Path) -> None:
    """Test that 重点领域 offers the 31 fields, 所在县区 the 17 units and 事件 the 16 event labels."""
    out = tmp_path / "t.xlsx"
    write_template(out)
    wb = load_workbook(out)
    options = wb[OPTIONS_SHEET]

    def values(formula: str) -> list[str]:
        col = formula.split("!$")[1].split("$")[0]
        return [c.value for c in options[col][1:] if c.value is not None]

    assert len(values(list_validation(wb["中心"], "B"))) == 31  # 重点领域
    counties = values(list_validation(wb["中心"], "F"))
    assert len(counties) == 17 and "孟津区" in counties and "吉利区" not in counties
    events = values(list_validation(wb["事件"], "B"))
    assert len(events) == 16 and events[0] == "申报"
    assert values(list_validation(wb["中心"], "L")) == ["是", "否"]  # 省级以上创新载体


def test_filled_in_template_imports_without_warnings(empty_db: Path, tmp_path: Path) -> None:
    """Test that a template filled with list values imports, the options sheet passing silently."""
    out = tmp_path / "t.xlsx"
    write_template(out)
    wb = load_workbook(out)
    wb["中心"].append(
        ["洛阳样例创新中心", "轴承及基础件", "企业型", "洛阳样例集团", "企业", "涧西区"]
    )
    wb["事件"].append(["洛阳样例创新中心", "申报", "2024-03-01"])
    wb.save(out)
    result = import_files(empty_db, [out])
    assert result.warnings == []
    assert result.sheets["中心"]["added"] == 1 and result.sheets["事件"]["added"] == 1
    with db.connect(empty_db) as con:
        assert db.rows(con, "centers_all")[0]["field_seq"] == 6
