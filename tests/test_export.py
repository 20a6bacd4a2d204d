"""Export writes the import template; export → import into an empty database round-trips."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from mic_tracker import db
from mic_tracker.exporter import export_workbook
from mic_tracker.importer import import_files
from mic_tracker.report import make_filters, report
from mic_tracker.template import COLUMNS

DATES = [
    dt.date(2019, 6, 30),
    dt.date(2019, 12, 31),
    dt.date(2020, 12, 31),
    dt.date(2023, 3, 1),
    dt.date(2026, 11, 26),
]
FILTERS = [
    make_filters(),
    make_filters(sectors=["新材料"]),
    make_filters(counties=["孟津区"]),
    make_filters(forms=["院所型"], fields=["1", "轴承及基础件"]),
]


def reports(path: Path) -> list[dict]:
    out = []
    with db.connect(path) as con:
        for day in DATES:
            for f in FILTERS:
                r = report(con, day, f)
                r.pop("last_change")
                r.pop("demo")
                out.append(r)
    return out


def workbook_values(path: Path) -> dict[str, list[tuple]]:
    wb = load_workbook(path)
    return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


@pytest.mark.parametrize("source", ["messy_db", "demo_db"], ids=["fixture-workbook", "demo"])
def test_export_then_import_into_empty_database_reproduces_every_report(
    source: str, request: pytest.FixtureRequest, empty_db: Path, tmp_path: Path
) -> None:
    """Test that exporting and importing into an empty database gives identical reports."""
    original = request.getfixturevalue(source)
    exported = tmp_path / "export.xlsx"
    export_workbook(original, exported)
    import_files(empty_db, [exported])
    assert reports(empty_db) == reports(original)
    again = tmp_path / "again.xlsx"
    export_workbook(empty_db, again)
    assert workbook_values(again) == workbook_values(exported)


def test_export_has_the_template_sheets_and_headers(messy_db: Path, tmp_path: Path) -> None:
    """Test that the exported workbook has the three sheets with the template's column headers."""
    out = tmp_path / "x.xlsx"
    counts = export_workbook(messy_db, out)
    wb = load_workbook(out)
    assert wb.sheetnames == ["中心", "事件", "年度数据"]
    for name, columns in COLUMNS.items():
        assert [c.value for c in wb[name][1]] == [c.header for c in columns]
    assert counts["中心"] == 16
    assert wb["事件"]["C2"].is_date


def test_text_that_looks_like_a_formula_is_exported_as_text_and_round_trips(
    empty_db: Path, tmp_path: Path
) -> None:
    """Test that a name beginning with = is written as a string cell, never as a formula."""
    import zipfile

    from tests.test_import import CENTER_HEADER, write_workbook

    name = '=HYPERLINK("http://example.invalid","点击")'
    book = write_workbook(
        tmp_path / "f.xlsx",
        {"中心": [[*CENTER_HEADER, "牵头单位"], ["公式创新中心", 1, "涧西", "企业型", "x"]]},
    )
    wb = load_workbook(book)
    wb["中心"]["E2"].value = name
    wb["中心"]["E2"].data_type = "s"  # a county clerk's text cell, not a formula
    wb.save(book)
    import_files(empty_db, [book])
    out = tmp_path / "out.xlsx"
    export_workbook(empty_db, out)
    sheets = [n for n in zipfile.ZipFile(out).namelist() if n.startswith("xl/worksheets/sheet")]
    assert all(b"<f>" not in zipfile.ZipFile(out).read(n) for n in sheets)
    assert load_workbook(out)["中心"]["D2"].value == name
