"""Import of the template: formats, all-or-nothing, idempotence, limits, clear errors."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from mic_tracker import db, sources
from mic_tracker.errors import ImportRejected
from mic_tracker.importer import import_files
from mic_tracker.report import report
from tests.conftest import BROKEN, MESSY

AS_OF = dt.date(2026, 11, 26)


def snapshot(path: Path) -> str:
    """What the reports show, plus every stored row, as one comparable text."""
    with db.connect(path) as con:
        data = report(con, AS_OF)
        data.pop("last_change")
        tables = {
            name: db.rows(con, name)
            for name in ("centers_all", "members_all", "events_all", "annual_all")
        }
    for row in tables["centers_all"]:
        row.pop("updated_at")
    return json.dumps([data, tables], default=str, ensure_ascii=False, sort_keys=True)


def write_workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def sheet_as_csv(sheet: str, target: Path, encoding: str) -> Path:
    ws = load_workbook(MESSY, data_only=True)[sheet]
    with target.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        for row in ws.iter_rows(values_only=True):
            writer.writerow(
                [
                    "" if v is None else (v.date().isoformat() if isinstance(v, dt.datetime) else v)
                    for v in row
                ]
            )
    return target


CENTER_HEADER = ["中心名称", "重点领域", "所在县区", "建设形式"]


def test_reimporting_the_same_file_changes_nothing(messy_db: Path) -> None:
    """Test that a second import of the same workbook writes nothing and bumps no version."""
    before = snapshot(messy_db)
    with db.connect(messy_db) as con:
        version = db.get_meta(con, "data_version")
    result = import_files(messy_db, [MESSY])
    assert not result.changed
    assert all(t["added"] == t["changed"] == 0 for t in result.sheets.values())
    assert result.sheets["中心"]["unchanged"] == 16
    assert snapshot(messy_db) == before
    with db.connect(messy_db) as con:
        assert db.get_meta(con, "data_version") == version


def test_dry_run_checks_everything_and_writes_nothing(empty_db: Path) -> None:
    """Test that --dry-run reports what would be added but leaves the database as it was."""
    before = snapshot(empty_db)
    result = import_files(empty_db, [MESSY], dry_run=True)
    assert result.dry_run
    assert result.sheets["中心"]["added"] == 16
    assert snapshot(empty_db) == before


def test_broken_workbook_is_refused_whole_and_names_every_error(messy_db: Path) -> None:
    """Test that one bad workbook writes nothing and lists each error with sheet, row, column."""
    before = snapshot(messy_db)
    with pytest.raises(ImportRejected) as info:
        import_files(messy_db, [BROKEN])
    places = {(e.sheet, e.row, e.column) for e in info.value.errors}
    assert ("中心", 18, "所在县区") in places
    assert ("事件", 134, "事件") in places  # a certification without listing: found in the DB phase
    assert all(e.file == "broken.xlsx" and e.reason for e in info.value.errors)
    assert snapshot(messy_db) == before


def test_lifecycle_error_after_new_centers_rolls_back_the_centers(
    empty_db: Path, tmp_path: Path
) -> None:
    """Test that centers inserted earlier in the same import are rolled back when an event fails."""
    book = write_workbook(
        tmp_path / "b.xlsx",
        {
            "中心": [
                CENTER_HEADER,
                ["甲创新中心", 1, "涧西区", "企业型"],
                ["乙创新中心", 2, "西工区", "企业型"],
            ],
            "事件": [["中心名称", "事件", "日期"], ["甲创新中心", "认定为市级", "2020-05-01"]],
        },
    )
    with pytest.raises(ImportRejected) as info:
        import_files(empty_db, [book])
    assert [(e.sheet, e.row) for e in info.value.errors] == [("事件", 2)]
    assert "列入市级培育名单" in info.value.errors[0].reason
    with db.connect(empty_db) as con:
        assert db.rows(con, "center_count")[0]["n"] == 0


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"], ids=["utf8", "utf8-bom", "gbk"])
def test_csv_per_sheet_imports_like_the_workbook(
    encoding: str, messy_db: Path, empty_db: Path, tmp_path: Path
) -> None:
    """Test that the three sheets as CSV files in each accepted encoding give the same register."""
    files = [
        sheet_as_csv(s, tmp_path / f"县区报送-{s}.csv", encoding)
        for s in ("中心", "事件", "年度数据")
    ]
    import_files(empty_db, files)
    with db.connect(messy_db) as a, db.connect(empty_db) as b:
        for day in (dt.date(2019, 12, 31), dt.date(2020, 12, 31), AS_OF):
            left, right = report(a, day), report(b, day)
            for r in (left, right):
                r.pop("last_change")
            assert left == right


def test_updated_attribute_counts_as_changed_and_is_audited(empty_db: Path, tmp_path: Path) -> None:
    """Test that re-importing a center with a new value updates it, bumps its version, audits it."""
    first = write_workbook(
        tmp_path / "1.xlsx",
        {"中心": [[*CENTER_HEADER, "注册资本"], ["甲创新中心", 1, "涧西", "企业型", "600万"]]},
    )
    second = write_workbook(
        tmp_path / "2.xlsx",
        {
            "中心": [
                [*CENTER_HEADER, "注册资本"],
                ["甲创新中心 ", "1", "410305", "企业型", "0.08亿"],
            ]
        },
    )
    import_files(empty_db, [first])
    result = import_files(empty_db, [second])
    assert result.sheets["中心"] == {"added": 0, "changed": 1, "unchanged": 0}
    with db.connect(empty_db) as con:
        center = db.rows(con, "centers_all")[0]
        audit = con.execute(
            "select action, entity, before, after from audit_log order by id"
        ).fetchall()
    assert center["version"] == 2
    assert float(center["registered_capital"]) == 800
    assert [a[:2] for a in audit] == [("import", "center"), ("import", "center")]
    assert json.loads(audit[1][2])["registered_capital"] in ("600.0000", "600")


def test_events_for_a_center_in_no_sheet_and_not_in_the_database_are_refused(
    empty_db: Path, tmp_path: Path
) -> None:
    """Test that an event naming an unknown center is an error naming row and center."""
    book = write_workbook(
        tmp_path / "e.xlsx",
        {"事件": [["中心名称", "事件", "日期"], ["不存在创新中心", "申报", "2020-01-02"]]},
    )
    with pytest.raises(ImportRejected) as info:
        import_files(empty_db, [book])
    (err,) = info.value.errors
    assert (err.sheet, err.row, err.column, err.value) == ("事件", 2, "中心名称", "不存在创新中心")


def test_duplicate_center_rows_are_an_error_naming_both_rows(
    empty_db: Path, tmp_path: Path
) -> None:
    """Test that the same center twice in one sheet (after normalising its name) is refused."""
    book = write_workbook(
        tmp_path / "d.xlsx",
        {
            "中心": [
                CENTER_HEADER,
                ["甲创新中心", 1, "涧西", "企业型"],
                ["甲 创新中心", 1, "涧西", "企业型"],
            ]
        },
    )
    with pytest.raises(ImportRejected) as info:
        import_files(empty_db, [book])
    (err,) = info.value.errors
    assert err.row == 3 and "第2行" in err.reason


def test_missing_required_column_is_an_error_and_unknown_column_a_warning(
    empty_db: Path, tmp_path: Path
) -> None:
    """Test that header problems are reported at row 1 with the column names accepted."""
    missing = write_workbook(
        tmp_path / "m.xlsx", {"中心": [["中心名称", "所在县区"], ["甲创新中心", "涧西"]]}
    )
    with pytest.raises(ImportRejected) as info:
        import_files(empty_db, [missing])
    assert info.value.errors[0].row == 1 and "重点领域" in info.value.errors[0].reason
    extra = write_workbook(
        tmp_path / "x.xlsx",
        {"中心": [[*CENTER_HEADER, "联系人"], ["甲创新中心", 1, "涧西", "企业型", "张三"]]},
    )
    result = import_files(empty_db, [extra])
    assert [(w.column, w.reason) for w in result.warnings] == [("联系人", "未知列，已忽略")]


def test_too_large_file_is_refused_with_the_limit(
    empty_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that a file over the size limit is refused before it is read, saying the limit."""
    monkeypatch.setattr(sources, "MAX_FILE_BYTES", 1024)
    with pytest.raises(ImportRejected) as info:
        import_files(empty_db, [MESSY])
    assert (
        "文件过大" in info.value.errors[0].reason
        and info.value.errors[0].file == "county_messy.xlsx"
    )


def test_too_many_rows_is_refused_naming_the_sheet(
    empty_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that a sheet over the row limit is refused, naming the sheet and the limit."""
    monkeypatch.setattr(sources, "MAX_ROWS_PER_SHEET", 3)
    rows = [CENTER_HEADER] + [[f"中心{i}", 1, "涧西", "企业型"] for i in range(5)]
    book = write_workbook(tmp_path / "r.xlsx", {"中心": rows})
    with pytest.raises(ImportRejected) as info:
        import_files(empty_db, [book])
    assert info.value.errors[0].sheet == "中心" and "上限 3" in info.value.errors[0].reason


def test_not_a_workbook_is_a_clear_error(empty_db: Path, tmp_path: Path) -> None:
    """Test that a text file renamed to .xlsx gets a message, not a traceback."""
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not excel", encoding="utf-8")
    with pytest.raises(ImportRejected) as info:
        import_files(empty_db, [fake])
    assert "无法作为 Excel 工作簿打开" in info.value.errors[0].reason


def test_old_county_names_are_kept_as_written_and_counted_under_todays_unit(messy_db: Path) -> None:
    """Test that 吉利区/孟津县/偃师市 rows count under 孟津区/偃师区 in by_county."""
    with db.connect(messy_db) as con:
        stored = {r["division_code"] for r in db.rows(con, "centers_all")}
        data = report(con, AS_OF)
    assert {"410306", "410381"} <= stored
    codes = [r["code"] for r in data["by_county"]]
    assert "410306" not in codes and "410381" not in codes and "410308" in codes
    assert len(data["by_county"]) == 17


def test_member_list_with_line_breaks_is_split_into_members(empty_db: Path, tmp_path: Path) -> None:
    """Test that an Alt+Enter member list becomes one member per line, with its type."""
    cell = "河南科技大学(高校)\n洛阳理工学院（高校）\n 中钢洛耐科技股份有限公司(企业)"
    book = write_workbook(
        tmp_path / "m.xlsx",
        {"中心": [[*CENTER_HEADER, "成员单位"], ["甲创新中心", 1, "涧西", "企业型", cell]]},
    )
    import_files(empty_db, [book])
    with db.connect(empty_db) as con:
        members = [(m["name"], m["member_type"]) for m in db.rows(con, "members_all")]
    assert members == [
        ("河南科技大学", "高校"),
        ("洛阳理工学院", "高校"),
        ("中钢洛耐科技股份有限公司", "企业"),
    ]
