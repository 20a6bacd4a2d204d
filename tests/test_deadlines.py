"""Deadlines and their states on the fixture register, hand-worked from EXPECTED.md's story."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from mic_tracker import db
from mic_tracker.deadlines import deadline_frame, deadlines, state_of, summary_due
from mic_tracker.importer import import_files
from mic_tracker.report import Filters
from tests.test_import import write_workbook

D = dt.date


def by_center(path: Path, as_of: dt.date) -> dict[tuple[str, str, str], tuple[str, str]]:
    with db.connect(path) as con:
        found = deadlines(con, as_of, Filters())
    return {(d.center, d.kind, d.start): (d.due, d.state) for d in found}


@pytest.mark.parametrize(
    ("due", "as_of", "done", "state"),
    [
        (D(2022, 9, 28), D(2022, 6, 30), False, "due_90"),  # 90 days left: inside the 90-day window
        (D(2022, 9, 30), D(2022, 6, 30), False, "due_180"),  # 92 days left
        (D(2022, 7, 30), D(2022, 6, 30), False, "due_30"),
        (D(2023, 7, 26), D(2022, 6, 30), False, "ok"),
        (D(2022, 6, 29), D(2022, 6, 30), False, "overdue"),
        (D(2022, 6, 30), D(2022, 6, 30), False, "due_30"),  # the due day itself is still in time
        (D(2022, 6, 29), D(2022, 6, 30), True, "done"),
    ],
    ids=["90-days", "92-days", "30-days", "far", "a-day-late", "due-today", "done"],
)
def test_state_follows_days_left_and_the_alert_windows(
    due: dt.date, as_of: dt.date, done: bool, state: str
) -> None:
    """Test the 180/90/30-day alert windows, overdue after the due day, done whatever the date."""
    assert state_of(due, as_of, done) == state


def test_fixture_deadlines_as_of_mid_2022(messy_db: Path) -> None:
    """Test the fixture's deadlines at 2022-06-30 against the hand-worked dates and states."""
    got = by_center(messy_db, D(2022, 6, 30))
    # M and N listed 2020-09-28 → 2022-09-28 (a Wednesday), 90 days away, not yet certified.
    assert got["洛阳高端铝材创新中心", "cultivation_end", "2020-09-28"] == ("2022-09-28", "due_90")
    assert got["洛阳高性能复合材料创新中心", "cultivation_end", "2020-09-28"] == (
        "2022-09-28",
        "due_90",
    )
    # C failed its 2021 evaluation on 2022-03-30 → rectification until 2022-09-30, 92 days left.
    assert got["洛阳智能矿山装备创新中心", "rectification_end", "2022-03-30"] == (
        "2022-09-30",
        "due_180",
    )
    # E listed 2019-06-12, cancelled 2020-05-20: its period (to 2021-06-15, Dragon Boat) is done.
    assert got["洛阳功能玻璃新材料创新中心", "cultivation_end", "2019-06-12"] == (
        "2021-06-15",
        "done",
    )
    # C listed 2019-11-20 → 2021-11-22 (POLICY.md's example), certified 2020-09-18: done.
    assert got["洛阳智能矿山装备创新中心", "cultivation_end", "2019-11-20"] == (
        "2021-11-22",
        "done",
    )
    # O listed 2021-07-26, period to 2023-07-26: more than 180 days away.
    assert got["洛阳机器人及智能装备创新中心", "cultivation_end", "2021-07-26"] == (
        "2023-07-26",
        "ok",
    )


def test_fixture_rectification_is_done_once_the_re_evaluation_happened(messy_db: Path) -> None:
    """Test that C's rectification deadline is done after its 2022-09-30 re-evaluation."""
    got = by_center(messy_db, D(2022, 12, 31))
    assert got["洛阳智能矿山装备创新中心", "rectification_end", "2022-03-30"] == (
        "2022-09-30",
        "done",
    )


def test_overdue_cultivation_says_cancellation_is_due(empty_db: Path, tmp_path: Path) -> None:
    """Test that a center neither certified nor cancelled after two years is overdue, with the action."""
    book = write_workbook(
        tmp_path / "o.xlsx",
        {
            "中心": [["中心名称", "重点领域", "所在县区"], ["逾期创新中心", 2, "涧西"]],
            "事件": [
                ["中心名称", "事件", "日期"],
                ["逾期创新中心", "列入市级培育名单", "2020-01-02"],
            ],
        },
    )
    import_files(empty_db, [book])
    with db.connect(empty_db) as con:
        (d,) = deadlines(con, D(2022, 3, 1), Filters())
    assert (d.due, d.state, d.days_left) == ("2022-01-04", "overdue", -56)
    assert "取消培育资格" in d.action and d.clause.startswith("四(三)")


def test_annual_summary_is_due_on_the_next_working_day_after_march_31() -> None:
    """Test that the summary of 2021 is due 2022-03-31 and of 2019 on 2020-03-31."""
    assert summary_due(2021).date == D(2022, 3, 31)
    assert summary_due(2024).date == D(2025, 3, 31)
    assert summary_due(2026).provisional


def test_missing_summaries_are_overdue_and_submitted_ones_done(messy_db: Path) -> None:
    """Test that a certified center without a submitted summary is overdue, with one the row is done."""
    got = by_center(messy_db, D(2022, 6, 30))
    states = {
        k[0]: v[1] for k, v in got.items() if k[1] == "annual_summary" and k[2] == "2021-12-31"
    }
    assert "overdue" in states.values()
    assert all(v in ("overdue", "done") for v in states.values())


def test_open_deadlines_only_are_the_full_list_without_the_done_ones(demo_db: Path) -> None:
    """Test that leaving out closed deadlines (what the alerts read) drops exactly the done ones
    and keeps the order."""
    as_of = D(2026, 11, 26)
    with db.connect(demo_db) as con:
        every = deadlines(con, as_of, Filters())
        still_open = deadlines(con, as_of, Filters(), include_done=False)
    assert still_open == [d for d in every if d.state != "done"]
    assert 0 < len(still_open) < len(every)


# Hand-made histories, one center per branch of the rules (中心, 事件, 年度数据 sheets).
RECTIFIED, REVOKED, NOTICED, LISTED = "整改创新中心", "撤销创新中心", "公示创新中心", "国庆创新中心"
SAME_DAY, PROVINCE_REVOKED = "同日创新中心", "省级撤销创新中心"
HISTORIES = {
    "中心": [
        ["中心名称", "重点领域", "所在县区"],
        [RECTIFIED, 1, "涧西区"],
        [REVOKED, 2, "涧西区"],
        [NOTICED, 3, "西工区"],
        [LISTED, 4, "西工区"],
        [SAME_DAY, 5, "洛龙区"],
        [PROVINCE_REVOKED, 6, "洛龙区"],
    ],
    "事件": [
        ["中心名称", "事件", "日期", "层级", "年度", "结果"],
        [RECTIFIED, "列入市级培育名单", "2019-06-10"],
        [RECTIFIED, "完成法人注册", "2019-07-01"],
        [RECTIFIED, "认定为市级", "2019-11-15"],
        [RECTIFIED, "年度评价", "2020-03-20", None, 2019, "不合格"],
        [RECTIFIED, "整改评价", "2020-09-10", None, None, "合格"],
        [RECTIFIED, "年度评价", "2021-03-20", None, 2020, "合格"],
        [RECTIFIED, "年度评价", "2022-03-20", None, 2021, "不合格"],
        [REVOKED, "列入市级培育名单", "2019-06-10"],
        [REVOKED, "完成法人注册", "2019-07-01"],
        [REVOKED, "认定为市级", "2019-11-15"],
        [REVOKED, "撤销称号", "2021-10-10", "市级"],
        [PROVINCE_REVOKED, "列入市级培育名单", "2019-06-10"],
        [PROVINCE_REVOKED, "完成法人注册", "2019-07-01"],
        [PROVINCE_REVOKED, "认定为市级", "2019-11-15"],
        [PROVINCE_REVOKED, "列入省级培育名单", "2020-04-01"],
        [PROVINCE_REVOKED, "认定为省级", "2020-05-01"],
        [PROVINCE_REVOKED, "撤销称号", "2021-06-01", "省级"],
        [NOTICED, "拟培育名单公示", "2020-09-30"],
        [LISTED, "列入市级培育名单", "2018-10-01"],
        # recorded with coarse dates: the listing closes the notice of the same day
        [SAME_DAY, "拟培育名单公示", "2021-05-10"],
        [SAME_DAY, "列入市级培育名单", "2021-05-10"],
    ],
    "年度数据": [["中心名称", "年度", "年度总结已提交"], [REVOKED, 2020, "是"]],
}


@pytest.fixture
def histories(empty_db: Path, tmp_path: Path) -> Path:
    import_files(empty_db, [write_workbook(tmp_path / "h.xlsx", HISTORIES)])
    return empty_db


def test_a_rectification_evaluation_closes_only_the_failures_before_it(histories: Path) -> None:
    """Test that the 2020 failure is done (re-evaluated 2020-09-10), the 2022 one is open though
    an earlier rectification evaluation exists, and a passing evaluation opens nothing."""
    got = by_center(histories, D(2022, 6, 30))
    rect = {k[2]: v for k, v in got.items() if k[:2] == (RECTIFIED, "rectification_end")}
    # 2020-09-20 is a Sunday: the period ends on Monday the 21st.
    assert rect == {"2020-03-20": ("2020-09-21", "done"), "2022-03-20": ("2022-09-20", "due_90")}


def test_no_summary_is_owed_for_a_year_the_city_title_was_revoked_in(histories: Path) -> None:
    """Test that a center revoked on 2021-10-10 owes the 2019 summary, has submitted 2020's, and
    owes none for 2021 (it no longer held the title on 31 Dec)."""
    got = by_center(histories, D(2022, 6, 30))
    summaries = {k[2]: v for k, v in got.items() if k[:2] == (REVOKED, "annual_summary")}
    assert summaries == {
        "2019-12-31": ("2020-03-31", "overdue"),
        "2020-12-31": ("2021-03-31", "done"),
    }
    # a center whose provincial title was revoked still holds the city one: it owes 2021
    assert got[PROVINCE_REVOKED, "annual_summary", "2021-12-31"] == ("2022-03-31", "overdue")


def test_a_summary_is_listed_once_its_due_date_is_within_the_widest_alert_window(
    histories: Path,
) -> None:
    """Test that at 2022-06-30 the 2022 summary (due 2023-03-31, 274 days on) is not listed yet,
    and that at 2022-10-02 (180 days before) it is."""

    def summaries(as_of: dt.date) -> dict[str, tuple[str, str]]:
        got = by_center(histories, as_of)
        return {k[2]: v for k, v in got.items() if k[:2] == (PROVINCE_REVOKED, "annual_summary")}

    assert set(summaries(D(2022, 6, 30))) == {"2019-12-31", "2020-12-31", "2021-12-31"}
    assert summaries(D(2022, 10, 1)).get("2022-12-31") is None
    assert summaries(D(2022, 10, 2))["2022-12-31"] == ("2023-03-31", "due_180")


def test_due_dates_over_national_day_roll_to_working_days(histories: Path) -> None:
    """Test 2020's National Day (1–8 Oct off, Saturday 10 Oct worked): a notice published on
    30 Sep runs 5 working days to 13 Oct; a listing of 2018-10-01 ends 2020-10-01, a holiday,
    so on Friday 9 Oct."""
    got = by_center(histories, D(2020, 10, 12))
    assert got[NOTICED, "notice_end", "2020-09-30"] == ("2020-10-13", "due_30")
    assert got[LISTED, "cultivation_end", "2018-10-01"] == ("2020-10-09", "overdue")


def test_an_event_on_the_opening_day_closes_the_deadline(histories: Path) -> None:
    """Test that a listing on the day of its notice closes the notice period."""
    got = by_center(histories, D(2021, 5, 12))
    assert got[SAME_DAY, "notice_end", "2021-05-10"] == ("2021-05-14", "done")


def test_the_frame_holds_the_same_deadlines_as_the_list(histories: Path) -> None:
    """Test that deadline_frame has one row per Deadline, same values, types and order."""
    with db.connect(histories) as con:
        for include_done in (True, False):
            frame = deadline_frame(con, D(2022, 6, 30), Filters(), include_done)
            listed = deadlines(con, D(2022, 6, 30), Filters(), include_done)
            assert frame.to_dict("records") == [d.as_dict() for d in listed]
            assert list(frame.columns) == list(listed[0].as_dict())


def test_every_state_is_the_one_state_of_gives_for_its_due_date(demo_db: Path) -> None:
    """Test the states computed for the whole register against state_of, row by row, at dates
    that put the demo's deadlines in every window."""
    seen = set()
    with db.connect(demo_db) as con:
        for as_of in (D(2020, 12, 31), D(2023, 3, 15), D(2026, 11, 26)):
            for d in deadlines(con, as_of, Filters()):
                due = dt.date.fromisoformat(d.due)
                assert d.days_left == (due - as_of).days
                assert d.state == state_of(due, as_of, d.state == "done")
                seen.add(d.state)
    assert seen == {"overdue", "due_30", "due_90", "due_180", "ok", "done"}


def test_filters_narrow_the_deadlines_to_the_chosen_centers(histories: Path) -> None:
    """Test that a county filter keeps only that county's centers' deadlines."""
    with db.connect(histories) as con:
        jianxi = deadlines(con, D(2022, 6, 30), Filters(counties=("410305",)))
    assert {d.center for d in jianxi} == {RECTIFIED, REVOKED}
