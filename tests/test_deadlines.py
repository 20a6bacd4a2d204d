"""Deadlines and their states on the fixture register, hand-worked from EXPECTED.md's story."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from mic_tracker import db
from mic_tracker.deadlines import deadlines, state_of, summary_due
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
