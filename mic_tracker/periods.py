"""Periods and deadlines as the Civil Code counts them (民法典 201–203), on China's working-day
calendar (POLICY.md §4).

- The start day is not counted; a period in years or months ends on the corresponding day of the
  final month, or that month's last day when it has no such day.
- A period ending on a rest day (weekend or statutory holiday; 调休 weekends are working days)
  ends on the next working day.
- Working days come from `chinese-calendar`; outside its years Monday–Friday stands in and the
  date is marked provisional.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from functools import cache

import chinese_calendar

from mic_tracker.policy import load_plan


@dataclass(frozen=True)
class Due:
    """A deadline date, and whether it rests on the Monday–Friday stand-in calendar."""

    date: dt.date
    provisional: bool = False


# The calendar is fixed, so each date is asked once per process: chinese-calendar scans its
# whole holiday table on every call (most of the deadlines report's time at 20,000 centers).
@cache
def is_working_day(day: dt.date) -> tuple[bool, bool]:
    """(working?, provisional?) — provisional when the official calendar does not cover the year."""
    try:
        return chinese_calendar.is_workday(day), False
    except NotImplementedError:
        return day.weekday() < 5, True


@cache
def roll_to_working_day(day: dt.date) -> Due:
    """The day itself when it is a working day, else the next working day."""
    provisional = False
    while True:
        working, guessed = is_working_day(day)
        provisional = provisional or guessed
        if working:
            return Due(day, provisional)
        day += dt.timedelta(days=1)


def add_months(start: dt.date, months: int) -> dt.date:
    """The corresponding day `months` later; the month's last day when it has no such day."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(start.day, last))


def period_end(start: dt.date, years: int = 0, months: int = 0) -> Due:
    """End of a period of years/months from start (民法典 201–203)."""
    return roll_to_working_day(add_months(start, years * 12 + months))


@cache
def working_days_end(start: dt.date, days: int) -> Due:
    """The n-th working day, counting the start (or the next working day after it) as the first."""
    current = roll_to_working_day(start)
    day, provisional = current.date, current.provisional
    counted = 1
    while counted < days:
        day += dt.timedelta(days=1)
        working, guessed = is_working_day(day)
        provisional = provisional or guessed
        counted += working
    return Due(day, provisional)


def notice_end(published: dt.date) -> Due:
    """Last day of the public notice of the proposed cultivation list (四(二): 5 个工作日)."""
    return working_days_end(published, load_plan().periods["notice_working_days"])


def cultivation_end(listed: dt.date) -> Due:
    """Last day of the cultivation period from the list's publication (四(二): 不超过2年)."""
    return period_end(listed, years=load_plan().periods["cultivation_years"])


def rectification_end(failed_evaluation: dt.date) -> Due:
    """Last day of rectification after a failed evaluation (五: 给予半年时间整改)."""
    return period_end(failed_evaluation, months=load_plan().periods["rectification_months"])


def next_deadline(stage: str, listed_on: dt.date | None) -> tuple[str, Due] | None:
    """The deadline a center in the given stage is working towards, if the stage has one.

    Only the cultivation period is derived from the center list's columns; the notice and
    rectification deadlines need the event history and are listed by the deadlines module.
    """
    if stage == "cultivation" and listed_on is not None:
        return "培育期满", cultivation_end(listed_on)
    return None
