"""Periods by the Civil Code on the Chinese working-day calendar: every POLICY.md §4 example."""

from __future__ import annotations

import datetime as dt

import pytest

from mic_tracker.periods import (
    add_months,
    cultivation_end,
    is_working_day,
    next_deadline,
    notice_end,
    period_end,
    rectification_end,
    working_days_end,
)

D = dt.date


@pytest.mark.parametrize(
    ("published", "end"),
    [
        # 9-27 Fri (1), 9-28 Sat off, 9-29 Sun 调休 working (2), 9-30 (3), 10-1..7 National Day,
        # 10-8 (4), 10-9 (5): POLICY.md's example.
        (D(2019, 9, 27), D(2019, 10, 9)),
        # Published on a Saturday: counting starts on Monday 2021-03-08 → Friday 03-12.
        (D(2021, 3, 6), D(2021, 3, 12)),
    ],
    ids=["policy-example-national-day", "published-on-weekend"],
)
def test_public_notice_ends_on_the_fifth_working_day_counting_the_start(
    published: dt.date, end: dt.date
) -> None:
    """Test that the notice ends on the 5th working day, 调休 weekends counted as working."""
    assert notice_end(published).date == end


@pytest.mark.parametrize(
    ("listed", "end"),
    [
        (D(2019, 11, 20), D(2021, 11, 22)),  # 2021-11-20 is a Saturday
        (D(2020, 2, 29), D(2022, 2, 28)),  # no 29th in Feb 2022: month end, a Monday
        (D(2020, 1, 2), D(2022, 1, 4)),  # 2022-01-02 Sunday, 01-03 New Year holiday
        (D(2019, 6, 12), D(2021, 6, 15)),  # 2021-06-12..14 Dragon Boat holiday
    ],
    ids=["saturday", "leap-day", "new-year-holiday", "dragon-boat"],
)
def test_cultivation_period_ends_two_years_later_rolled_past_rest_days(
    listed: dt.date, end: dt.date
) -> None:
    """Test POLICY.md's cultivation-period examples and a holiday roll."""
    due = cultivation_end(listed)
    assert (due.date, due.provisional) == (end, False)


def test_rectification_ends_six_months_later_at_month_end() -> None:
    """Test that 2021-08-31 + 6 months is 2022-02-28 (no 31st in February)."""
    assert rectification_end(D(2021, 8, 31)).date == D(2022, 2, 28)


def test_years_beyond_the_official_calendar_fall_back_to_weekdays_and_are_provisional() -> None:
    """Test that 2027 dates use Monday–Friday and are marked provisional."""
    assert is_working_day(D(2027, 1, 4)) == (True, True)
    due = period_end(D(2025, 1, 2), years=2)  # 2027-01-02 is a Saturday
    assert (due.date, due.provisional) == (D(2027, 1, 4), True)
    assert working_days_end(D(2026, 12, 31), 2).provisional


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (D(2021, 1, 31), 1, D(2021, 2, 28)),
        (D(2020, 1, 31), 1, D(2020, 2, 29)),
        (D(2019, 12, 15), 2, D(2020, 2, 15)),
        (D(2019, 3, 14), 60, D(2024, 3, 14)),
    ],
    ids=["feb-end", "leap-feb-end", "across-year", "five-years"],
)
def test_months_land_on_the_corresponding_day_or_the_month_end(
    start: dt.date, months: int, end: dt.date
) -> None:
    """Test the corresponding-day rule of 民法典 202 without the working-day roll."""
    assert add_months(start, months) == end


def test_only_centers_in_cultivation_have_a_cultivation_deadline() -> None:
    """Test that next_deadline names the cultivation end for stage cultivation only."""
    label, due = next_deadline("cultivation", D(2019, 11, 20)) or ("", None)
    assert label == "培育期满" and due is not None and due.date == D(2021, 11, 22)
    assert next_deadline("city", D(2019, 11, 20)) is None
    assert next_deadline("cultivation", None) is None
