"""The alerts' deadline rows: colour, text and days left, from hand-made histories."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from mic_tracker import db
from mic_tracker.alerts import alerts
from mic_tracker.deadlines import KIND_LABELS, deadlines
from mic_tracker.importer import import_files
from mic_tracker.report import Filters
from tests.test_deadlines import HISTORIES, RECTIFIED, REVOKED
from tests.test_import import write_workbook

D = dt.date


@pytest.fixture
def histories(empty_db: Path, tmp_path: Path) -> Path:
    import_files(empty_db, [write_workbook(tmp_path / "h.xlsx", HISTORIES)])
    return empty_db


def deadline_alerts(path: Path, as_of: dt.date) -> dict[tuple[str, str], dict]:
    with db.connect(path) as con:
        frame = alerts(con, as_of, Filters())
    rows = frame[frame["kind"].isin(KIND_LABELS.values())]
    return {(r["center"], r["due"]): r for r in rows.to_dict("records")}


def test_overdue_deadlines_say_what_to_do_and_open_ones_when_they_are_due(
    histories: Path,
) -> None:
    """Test the text of an overdue summary (the action) and of an open rectification period."""
    got = deadline_alerts(histories, D(2022, 6, 30))
    summary = got[REVOKED, "2020-03-31"]
    assert (summary["severity"], summary["days_left"], summary["what"]) == (
        "red",
        -821,
        "年度总结逾期未提交",
    )
    rect = got[RECTIFIED, "2022-09-20"]
    assert (rect["severity"], rect["kind"], rect["what"]) == (
        "amber",
        "整改期满",
        "整改期满：2022-09-20（还有 82 天）",
    )
    assert rect["clause"] == "五 对不合格者，给予半年时间整改"


def test_a_due_date_outside_the_official_calendar_is_marked_provisional(histories: Path) -> None:
    """Test that the 2026 summary (due 2027-03-31, past chinese-calendar's years) says so."""
    got = deadline_alerts(histories, D(2026, 11, 26))
    row = got[RECTIFIED, "2027-03-31"]
    assert (row["severity"], row["what"]) == (
        "green",
        "年度总结：2027-03-31（还有 125 天），日期暂定",
    )


def test_the_alerts_list_exactly_the_open_deadlines(histories: Path) -> None:
    """Test that every open deadline is one alert row and no done one is."""
    as_of = D(2022, 6, 30)
    with db.connect(histories) as con:
        still_open = deadlines(con, as_of, Filters(), include_done=False)
    got = deadline_alerts(histories, as_of)
    assert sorted(got) == sorted((d.center, d.due) for d in still_open)
    assert all(d.state != "done" for d in still_open)
