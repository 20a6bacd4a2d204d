"""The forecast and the pace on the fixture database, against tests/fixtures/EXPECTED.md
("Briefing forecast"), worked by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from mic_tracker import db
from mic_tracker.forecast import forecast, half_up, pace, time_share
from mic_tracker.report import Filters, make_filters

D3, D5 = dt.date(2020, 6, 30), dt.date(2022, 6, 30)
END_2020, END_2025 = dt.date(2020, 12, 31), dt.date(2025, 12, 31)


def _forecast(path: Path, as_of: dt.date, horizon: dt.date, filters: Filters | None = None):
    with db.connect(path) as con:
        return forecast(con, as_of, filters or Filters(), horizon)


def test_forecast_to_2025_matches_the_hand_worked_ranges(messy_db: Path) -> None:
    got = _forecast(messy_db, D5, END_2025)
    assert (got["city"].low_n, got["city"].high_n) == (11, 19)
    assert (got["province"].low_n, got["province"].high_n) == (5, 7)
    assert (got["national"].low_n, got["national"].high_n) == (1, 1)
    assert (got["cultivation"].low_n, got["cultivation"].high_n) == (12, 24)
    city = got["city"]
    assert (city.held, city.pool, city.rate_text) == (8, 3, "8/9")
    assert city.low == pytest.approx(8 + 3 * 8 / 9)
    assert city.from_new == pytest.approx(12 / 1204 * 365.25 * (1280 - 286.5) / 365.25 * 8 / 9)
    assert got["province"].rate_text == "3/8" and got["province"].pool == 5


def test_a_cultivation_period_ending_after_the_horizon_counts_only_in_part(
    messy_db: Path,
) -> None:
    city = _forecast(messy_db, D3, END_2020)["city"]
    assert city.pool == 2 and city.pool_weight == pytest.approx(2 * 184 / 510)
    assert city.rate_text == "2/3"
    assert city.low == pytest.approx(2 + 2 * 184 / 510 * 2 / 3)
    assert (city.low_n, city.high_n) == (2, 3)


def test_filters_narrow_the_history_and_the_pool(messy_db: Path) -> None:
    # 涧西区: A, B, C, L — all certified city by D5, so no city pool and nothing new is certain.
    got = _forecast(messy_db, D5, END_2025, make_filters(counties=["涧西区"]))
    assert (got["city"].held, got["city"].pool) == (4, 0)
    assert got["city"].rate_text == "4/4"


def test_time_share_is_zero_once_the_period_is_over_and_whole_when_it_ends_before_the_horizon() -> (
    None
):
    listed = dt.date(2019, 11, 20)  # period ends 2021-11-22
    assert time_share(listed, dt.date(2021, 11, 23), END_2025) == 0
    assert time_share(listed, D3, END_2025) == 1
    assert time_share(listed, D3, END_2020) == pytest.approx(184 / 510)
    assert time_share(None, D3, END_2025) == 0


def test_pace_is_the_gap_over_the_years_left_rounded_up() -> None:
    assert pace(12, D5, END_2025).per_year == 4
    assert pace(2, D5, END_2025).per_year == 1
    assert pace(3, D3, END_2020).per_year == 6
    assert pace(0, D5, END_2025) is None
    assert pace(5, dt.date(2026, 1, 1), END_2025) is None


def test_half_up_rounds_halves_up() -> None:
    assert [half_up(x) for x in (2.5, 2.4999, 4.875, 19.468)] == [3, 2, 5, 19]
