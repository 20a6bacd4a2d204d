"""Alerts: deadlines, failed conditions and crowded fields, in the three colours, by county."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from mic_tracker import db
from mic_tracker.alerts import CITY_WIDE, alerts, by_county
from mic_tracker.conditions import eligibility
from mic_tracker.report import Filters
from tests.apptest import open_app

AS_OF = dt.date(2022, 6, 30)


def fixture_alerts(path: Path, filters: Filters | None = None) -> tuple:
    with db.connect(path) as con:
        return alerts(con, AS_OF, filters or Filters()), eligibility(
            con, AS_OF, filters or Filters()
        )


def test_overdue_summaries_are_red_and_come_first(messy_db: Path) -> None:
    """Test that the 7 overdue summaries at 2022-06-30 are the red rows, longest overdue first."""
    frame, _ = fixture_alerts(messy_db)
    red = frame[frame["severity"] == "red"]
    # A and B owe 2019 (due 2020-03-31); A, B, C, F, H owe 2021 (due 2022-03-31): see test_deadlines.
    assert len(red) == 7 and set(red["kind"]) == {"年度总结"}
    assert list(red["days_left"][:2]) == [-821, -821]
    assert list(frame["severity"][: len(red)]) == ["red"] * 7


def test_cultivation_ending_within_90_days_is_amber_and_180_days_green(messy_db: Path) -> None:
    """Test that M and N (due 2022-09-28, 90 days) are amber and C's rectification (92 days) green."""
    frame, _ = fixture_alerts(messy_db)
    period = frame[frame["kind"] == "培育期满"].set_index("center")
    assert period.loc["洛阳高端铝材创新中心", "severity"] == "amber"
    assert period.loc["洛阳高性能复合材料创新中心", "severity"] == "amber"
    assert period.loc["洛阳机器人及智能装备创新中心", "severity"] == "green"  # 2023-07-26
    rect = frame[frame["kind"] == "整改期满"].iloc[0]
    assert (rect["center"], rect["severity"], rect["days_left"]) == (
        "洛阳智能矿山装备创新中心",
        "green",
        92,
    )


def test_failed_conditions_of_live_centers_are_amber(messy_db: Path) -> None:
    """Test that every center in cultivation failing an acceptance check has one amber row."""
    frame, checks = fixture_alerts(messy_db)
    expected = {
        c["center"]
        for c in checks
        if c["stage"] == "cultivation" and {"A1", "A2", "A3"} & set(c["failed"])
    }
    rows = frame[frame["kind"] == "验收条件未满足"]
    assert set(rows["center"]) == expected
    assert set(rows["severity"]) <= {"amber"}


def test_county_counts_add_up_and_leave_out_city_wide_alerts(demo_db: Path) -> None:
    """Test that per-county counts sum to the alerts of county centers."""
    with db.connect(demo_db) as con:
        frame = alerts(con, dt.date(2026, 11, 26), Filters())
    table = by_county(frame)
    assert int(table["total"].sum()) == int((frame["county"] != CITY_WIDE).sum())
    assert CITY_WIDE not in set(table["county"])
    assert (frame["county"] == CITY_WIDE).any()  # the demo has crowded fields


def test_alerts_page_counts_each_colour(messy_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Test that the page's three metrics match the alerts and the table shows red and amber."""
    at = open_app(messy_db, monkeypatch, "app_pages/alerts.py", as_of=AS_OF.isoformat())
    frame, _ = fixture_alerts(messy_db)
    counts = frame["severity"].value_counts()
    assert [m.value for m in at.metric] == [
        f"{int(counts.get(k, 0))} 项" for k in ("red", "amber", "green")
    ]
    shown = at.dataframe[0].value
    assert len(shown) == int(counts.get("red", 0) + counts.get("amber", 0))
