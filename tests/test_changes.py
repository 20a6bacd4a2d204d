"""Changes told in plain Chinese, for the import preview and the audit log."""

from __future__ import annotations

from pathlib import Path

from mic_tracker.changes import describe
from mic_tracker.importer import import_files
from tests.fixtures.make_fixture import A
from tests.test_import import CENTER_HEADER, write_workbook


def test_an_edited_center_lists_only_the_changed_fields_with_names_not_codes() -> None:
    before = {
        "division_code": "410305",
        "field_seq": 6,
        "registered_capital": "1500.0000",
        "form": "企业型",
    }
    after = {**before, "division_code": "410303", "registered_capital": "2000.0000"}
    assert describe("center", before, after) == "所在县区：涧西区 → 西工区；注册资本：1500 → 2000"


def test_a_new_center_lists_what_was_filled_in() -> None:
    after = {"name": "某中心", "field_seq": 29, "division_code": "GXQ", "charter": True}
    assert (
        describe("center", None, after)
        == "新增：重点领域：人工智能；所在县区：洛阳高新技术产业开发区；章程及运行机制：是"
    )


def test_events_members_and_annual_data_read_as_sentences() -> None:
    event = {
        "kind": "evaluation",
        "date": "2024-03-01",
        "level": "city",
        "eval_year": 2023,
        "result": "pass",
        "note": None,
    }
    assert describe("event", None, event) == "新增事件：2024-03-01 年度评价 2023年度 合格"
    assert describe("members", [["甲", None]], [["甲", None], ["乙", "高校"]]) == "新增成员单位：乙"
    assert (
        describe("annual", {"revenue": None}, {"revenue": "800.0000"}) == "营业收入：（空） → 800"
    )


def test_the_import_preview_lists_each_change_it_would_write(
    messy_db: Path, tmp_path: Path
) -> None:
    book = write_workbook(tmp_path / "move.xlsx", {"中心": [CENTER_HEADER, [A, 6, "西工区", None]]})
    result = import_files(messy_db, [book], dry_run=True)
    [change] = [c for c in result.changes if c["entity"] == "center"]
    assert change["key"] == A
    text = describe("center", change["before"], change["after"])
    assert text == "建设形式：企业型 → （空）；所在县区：涧西区 → 西工区"


def test_an_amount_stored_as_1500_0000_and_saved_as_1500_is_not_a_change() -> None:
    before = {"registered_capital": "1500.0000", "tech_staff": 555}
    after = {"registered_capital": "1500", "tech_staff": 444}
    assert describe("center", before, after) == "专业技术人员数：555 → 444"


def test_database_events_read_as_sentences() -> None:
    assert describe("database", None, {"demo": True, "centers": 60, "seed": 2019}) == (
        "载入示例数据：60 个中心（随机种子 2019）"
    )
    assert describe("database", None, {"cleared": True}) == "清空登记册（清空前已自动备份）"
