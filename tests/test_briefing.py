"""The briefing's content on the fixture database: the generated sentences, the target table,
the sections, saved briefings and the movement since the last one (EXPECTED.md, "Briefing
forecast", worked by hand)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from mic_tracker import backup, db
from mic_tracker.briefing import build, default_horizon
from mic_tracker.errors import BriefingRejected, ScopeDenied
from mic_tracker.report import Filters, make_filters
from mic_tracker.scope import Scope
from mic_tracker.snapshots import moved, previous, save, saved

D3, D5 = dt.date(2020, 6, 30), dt.date(2022, 6, 30)
EDITOR = Scope("user:编辑甲", "editor", None)


def _build(path: Path, as_of: dt.date, filters: Filters | None = None, lang: str = "zh"):
    with db.connect(path) as con:
        return build(con, as_of, filters or Filters(), lang)


def test_sentences_on_the_fixture_match_the_hand_worked_text(messy_db: Path) -> None:
    lines = _build(messy_db, D5).section("summary").lines
    assert lines[:4] == [
        "截至2022年6月30日，市级创新中心8家，距2025年目标20家还差12家，"
        "按当前进度预计到2025年底可达11–19家。",
        "省级创新中心3家，2025年目标5家，还差2家，预计可达5–7家；"
        "国家级创新中心1家，已达到2025年目标（1–2家）。",
        "方案8项目标中：达成2项，正常1项，滞后1项，未达成4项。",
        "要按期实现目标：2025年市级创新中心每年需新增4家（还差12家，距期限3.5年）；"
        "2025年省级创新中心每年需新增1家（还差2家，距期限3.5年）。",
    ]
    assert lines[4].startswith("当前红色预警") and "19个重点领域尚无在建中心" in lines[4]
    assert len(lines) == 5


def test_after_the_last_deadline_the_headline_dates_the_count_at_that_deadline(
    messy_db: Path,
) -> None:
    """Test that once 2025 is over the headline gives the 2025 target's count with the date it
    was counted (2025-12-31), not the as-of date, which could hold another number."""
    doc = _build(messy_db, dt.date(2026, 11, 26))
    row = next(r for r in doc.section("targets").table.rows if r[:2] == ["市级创新中心", "2025"])
    assert doc.section("summary").lines[0].startswith(f"截至2025年12月31日，市级创新中心{row[2]}家")


def test_target_table_has_a_light_forecast_and_pace_per_open_target(messy_db: Path) -> None:
    table = _build(messy_db, D5).section("targets").table
    rows = {(r[0], r[1]): r for r in table.rows}
    assert rows[("市级创新中心", "2025")][2:] == ["8", "20", "12", "滞后", "11–19", "4 家/年"]
    assert rows[("国家级创新中心", "2025")][2:] == ["1", "1–2", "0", "达成", "1", "—"]
    assert rows[("市级创新中心", "2019")][6:] == ["—", "—"]  # past: no forecast, no pace
    lights = dict(zip((r[0] + r[1] for r in table.rows), table.lights, strict=True))
    assert lights["市级创新中心2025"] == "red" and lights["省级创新中心2025"] == "green"


def test_a_filtered_briefing_says_the_targets_stay_city_wide(messy_db: Path) -> None:
    doc = _build(messy_db, D5, make_filters(counties=["涧西区"]))
    assert doc.filters_text == "筛选：县区：涧西区（目标仍为全市目标）"
    assert doc.section("summary").lines[0].startswith("截至2022年6月30日，市级创新中心4家")
    assert doc.section("summary").lines[-1] == "以上数字只计筛选范围内的中心，目标为全市目标。"


def test_english_briefing_keeps_only_data_names_in_chinese(messy_db: Path) -> None:
    doc = _build(messy_db, D5, lang="en")
    summary = " ".join(doc.section("summary").lines)
    assert summary.startswith("As of 30 June 2022, 8 city-level centers")
    assert "11–19" in summary and not re.search(r"[\u4e00-\u9fff]", summary)
    assert not re.search(r"[\u4e00-\u9fff]", " ".join(doc.section("targets").table.columns))
    assert doc.title and not re.search(r"[\u4e00-\u9fff]", doc.title)


def test_demo_label_only_on_demo_data(messy_db: Path, demo_db: Path) -> None:
    assert _build(messy_db, D5).stamp()[0] == "截至2022年6月30日"
    assert _build(demo_db, D5).stamp()[0] == "示例数据"


def test_since_last_briefing_compares_with_the_latest_earlier_saved_one(messy_db: Path) -> None:
    with db.connect(messy_db) as con:
        then = build(con, D3, Filters())
    save(messy_db, "2020年中简报", D3, Filters(), then.figures, EDITOR)
    doc = _build(messy_db, D5)
    section = doc.section("movement")
    assert section.lines[0].startswith("与上次简报（2020年中简报，截至2020年6月30日）相比")
    rows = {r[0]: r for r in section.table.rows}
    # 2025 province: D3 off_track (0) → D5 on_track (3): red → green.
    assert rows["2025 省级创新中心"][1:] == ["红 → 绿", "0 → 3", "改善"]
    # 2025 city: off_track at both dates, 2 → 8: same light, more centers.
    assert rows["2025 市级创新中心"][1:] == ["红 → 红", "2 → 8", "改善"]
    # 2020 province: at_risk (amber) at D3, missed (red) once 2020 ended.
    assert rows["2020 省级创新中心"][1:] == ["黄 → 红", "0 → 1", "下降"]


def test_a_briefing_of_another_view_is_not_compared(messy_db: Path) -> None:
    with db.connect(messy_db) as con:
        then = build(con, D3, Filters())
    save(messy_db, "全市", D3, Filters(), then.figures, EDITOR)
    with db.connect(messy_db) as con:
        assert previous(saved(con, make_filters(counties=["涧西区"])), D5) is None
        assert previous(saved(con, Filters()), D3) is None  # same date: not "earlier"
        assert previous(saved(con, Filters()), D5).title == "全市"


def test_saving_is_audited_and_refused_for_readers_and_bad_titles(messy_db: Path) -> None:
    figures = {"targets": []}
    for role in ("viewer", "county_editor"):
        with pytest.raises(ScopeDenied):
            save(messy_db, "x", D5, Filters(), figures, Scope("user:甲", role, "410305"))
    for bad in ("   ", "长" * 101):
        with pytest.raises(BriefingRejected, match="简报标题"):
            save(messy_db, bad, D5, Filters(), figures, EDITOR)
    save(messy_db, " 二季度  简报 ", D5, Filters(), figures, EDITOR)
    with db.connect(messy_db) as con:
        assert [s.title for s in saved(con, Filters())] == ["二季度 简报"]
        audit = db.rows(con, "audit_since", since=dt.datetime(2000, 1, 1))
    assert any(a["entity"] == "briefing" and a["actor"] == "user:编辑甲" for a in audit)


def test_backup_and_restore_keep_saved_briefings(messy_db: Path, tmp_path: Path) -> None:
    save(messy_db, "留档", D5, Filters(), {"targets": []}, EDITOR)
    backup.backup(messy_db, tmp_path / "b")
    backup.restore(tmp_path / "b", tmp_path / "r.duckdb")
    with db.connect(tmp_path / "r.duckdb") as con:
        assert [s.title for s in saved(con, Filters())] == ["留档"]


def test_movement_reads_the_light_first_then_the_count() -> None:
    assert moved({"status": "at_risk", "actual": 5}, {"status": "on_track", "actual": 4}) == (
        "improved"
    )
    assert moved({"status": "met", "actual": 5}, {"status": "on_track", "actual": 5}) == "same"
    assert moved({"status": "on_track", "actual": 5}, {"status": "at_risk", "actual": 9}) == (
        "declined"
    )
    assert moved({"status": "off_track", "actual": 3}, {"status": "missed", "actual": 2}) == (
        "declined"
    )


def test_default_horizon_is_2025_then_the_current_year() -> None:
    assert default_horizon(D5) == dt.date(2025, 12, 31)
    assert default_horizon(dt.date(2026, 11, 26)) == dt.date(2026, 12, 31)


def test_county_ranking_lists_units_with_centers_and_names_the_others(messy_db: Path) -> None:
    """Test the county section at 2019-06-30 (EXPECTED.md D1 by_county: 涧西区 2 in cultivation,
    偃师区 1, 经开区 1 national): all tied at 0 city titles, so rank 1 in GB order, zones last;
    every other unit is named in the line under it."""
    section = _build(messy_db, dt.date(2019, 6, 30)).section("counties")
    assert section.table.rows == [
        ["1", "涧西区", "0", "0", "0", "2"],
        ["1", "偃师区", "0", "0", "0", "1"],
        ["1", "经开区", "0", "0", "1", "0"],
    ]
    [line] = section.lines
    named = line.removeprefix("尚无培育对象或创新中心：").split("、")
    assert "老城区" in named and "高新区" in named
    assert not {"涧西区", "偃师区", "经开区"} & set(named)


def test_an_alert_without_a_due_date_shows_a_dash_not_nan(messy_db: Path) -> None:
    """Test the alerts section at 2021-06-30: two overdue annual summaries, then 锂电池's failed
    application conditions, which have no due date and no days left, so both cells read —
    (the table of a DataFrame's records once printed nan there)."""
    table = _build(messy_db, dt.date(2021, 6, 30)).section("alerts").table
    assert table.rows == [
        ["年度总结", "洛阳先进耐火材料制造业创新中心", "涧西区", "2020-03-31", "-456"],
        ["年度总结", "洛阳高端轴承制造业创新中心", "涧西区", "2020-03-31", "-456"],
        ["申报条件未满足", "洛阳锂电池材料创新中心", "宜阳县", "—", "—"],
    ]
    assert table.lights == ["red", "red", "amber"]
