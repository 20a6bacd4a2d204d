"""The levels page's data: funnel, yearly flows, conversion and time between stages.

Expected figures are worked by hand from the fixture's story (tests/fixtures/EXPECTED.md, the
events table of centers A–P and the 申报 dates in make_fixture.py), not by running the code.
Day counts are written out where they are used.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from mic_tracker import db
from mic_tracker.levels import STAGES, Pipeline, pipeline, shown_stages
from mic_tracker.report import Filters, counts, make_filters
from tests.conftest import DEMO_TODAY

D4 = dt.date(2020, 12, 31)
D6 = dt.date(2026, 11, 26)
ALL = Filters()


def _pipeline(path: Path, as_of: dt.date, filters: Filters = ALL) -> Pipeline:
    with db.connect(path) as con:
        return pipeline(con, as_of, filters)


def _funnel(path: Path, as_of: dt.date, filters: Filters = ALL) -> dict[str, tuple[int, int]]:
    return {r.stage: (r.held, r.ever) for r in _pipeline(path, as_of, filters).funnel}


def _rates(path: Path, as_of: dt.date, filters: Filters = ALL) -> dict[str, tuple[int, int]]:
    got = _pipeline(path, as_of, filters).conversion
    return {r["key"]: (r["numerator"], r["denominator"]) for r in got["rates"]}


def _durations(
    path: Path, as_of: dt.date
) -> dict[str, tuple[int, float | None, int | None, int | None]]:
    """Step → (n, median, min, max) in days."""
    return {
        d.step: (d.n, d.median_days, d.min_days, d.max_days)
        for d in _pipeline(path, as_of).durations
    }


def test_funnel_at_2026_11_26_holds_and_reaches_the_hand_worked_counts(messy_db: Path) -> None:
    """Test that the funnel shows titles held (EXPECTED.md D6) beside stages ever reached."""
    # Held (EXPECTED.md D6): cultivation 12, city 11 (C revoked), province 4, national 1 (D);
    # 申报中 = I (applied 2020) and J (applied 2025), never listed = 2.
    # Reached: applied or listed = every center but D = 15; listed = A B C E F G H K L M N O P
    # = 13 (E cancelled still counts); city = the same minus E = 12 (C revoked still counts);
    # province A B G M = 4; national D = 1.
    assert _funnel(messy_db, D6) == {
        "applying": (2, 15),
        "cultivation": (12, 13),
        "city": (11, 12),
        "province": (4, 4),
        "national": (1, 1),
    }


def test_funnel_at_2020_12_31_counts_only_events_up_to_the_date(messy_db: Path) -> None:
    """Test that nothing after the as-of date enters the funnel (EXPECTED.md D4)."""
    # Held D4: 申报中 {I} = 1, cultivation 9, city 3, province 1, national 1.
    # Reached: applied by then A B C E F G H I K M N = 11; listed A B C E F G H K M N = 10;
    # city A B C = 3; province A = 1; national D = 1.
    assert _funnel(messy_db, D4) == {
        "applying": (1, 11),
        "cultivation": (9, 10),
        "city": (3, 3),
        "province": (1, 1),
        "national": (1, 1),
    }


def test_funnel_honours_the_sector_filter(messy_db: Path) -> None:
    """Test that 新材料 (B, E, L, N) narrows the funnel to those four centers."""
    # At D6: held cultivation B L N = 3 (E cancelled), city B L N = 3, province B = 1.
    # Reached: all four applied and listed; city B L N = 3; province B = 1.
    got = _funnel(messy_db, D6, make_filters(sectors=["新材料"]))
    assert got == {
        "applying": (0, 4),
        "cultivation": (3, 4),
        "city": (3, 3),
        "province": (1, 1),
        "national": (0, 0),
    }


def test_conversion_at_2026_11_26_counts_centers_that_reached_each_stage(messy_db: Path) -> None:
    """Test that the conversion rates are the hand-worked center counts at D6."""
    # Listed 13, of which city-certified 12 (all but E) and cancelled 1 (E).
    # City 12, of which provincial after the city title: A B G M = 4.
    # Provincial 4, none national. D's national title has no city and no provincial history.
    got = _pipeline(messy_db, D6).conversion
    rates = {r["key"]: (r["numerator"], r["denominator"]) for r in got["rates"]}
    assert rates == {
        "listed_city": (12, 13),
        "city_province": (4, 12),
        "province_national": (0, 4),
        "listed_cancelled": (1, 13),
    }
    shares = {r["key"]: r["share"] for r in got["rates"]}
    assert shares["listed_city"] == pytest.approx(12 / 13)
    assert shares["province_national"] == 0
    c = got["counts"]
    assert (c["province_no_city"], c["national_no_city"], c["national_no_province"]) == (0, 1, 1)


def test_conversion_at_2020_12_31_and_for_one_county(messy_db: Path) -> None:
    """Test that conversion follows the date and the county filter."""
    # D4 city-wide: listed 10, city 3 (A B C), cancelled 1 (E); city 3 → province A = 1;
    # province 1 → national 0.
    assert _rates(messy_db, D4) == {
        "listed_city": (3, 10),
        "city_province": (1, 3),
        "province_national": (0, 1),
        "listed_cancelled": (1, 10),
    }
    # 涧西 (A B C L) at D4: L is listed only in 2021, so listed A B C = 3, all city-certified.
    assert _rates(messy_db, D4, make_filters(counties=["涧西区"])) == {
        "listed_city": (3, 3),
        "city_province": (1, 3),
        "province_national": (0, 1),
        "listed_cancelled": (0, 3),
    }


def test_conversion_with_no_centers_has_no_share(messy_db: Path) -> None:
    """Test that a stage nobody reached gives no rate instead of dividing by zero."""
    # Before 2019 only D's 2018 national title exists: nothing listed, nothing provincial.
    got = _pipeline(messy_db, dt.date(2018, 12, 31)).conversion
    shares = {r["key"]: r["share"] for r in got["rates"]}
    assert shares == {
        "listed_city": None,
        "city_province": None,
        "province_national": None,
        "listed_cancelled": None,
    }
    assert got["counts"]["national_no_city"] == 1


def test_flows_per_year_at_2026_11_26(messy_db: Path) -> None:
    """Test that each year's entries and exits are the fixture's listings, titles and losses."""
    # Listings: 2019 A B E C F = 5; 2020 G H K M N = 5; 2021 L O = 2; 2022 P = 1.
    # Cancellation: E 2020. City titles: 2019 A B; 2020 C; 2021 F G H; 2022 K L M N; 2023 O;
    # 2024 P. City revocation: C 2022. Province: A 2020, B 2021, G 2022, M 2026.
    # National: D 2018, shown as 2019年以前.
    rows = _pipeline(messy_db, D6).flows
    periods = ["2019年以前"] + [f"{y}年" for y in range(2019, 2027)]
    assert list(dict.fromkeys(r.period for r in rows)) == periods
    # Every period × level is present, zeros included.
    assert [(r.period, r.metric) for r in rows] == [
        (p, m) for p in periods for m in ("cultivation", "city", "province", "national")
    ]
    nonzero = {(r.period, r.metric): (r.entered, r.left) for r in rows if r.entered or r.left}
    assert nonzero == {
        ("2019年以前", "national"): (1, 0),
        ("2019年", "cultivation"): (5, 0),
        ("2019年", "city"): (2, 0),
        ("2020年", "cultivation"): (5, 1),
        ("2020年", "city"): (1, 0),
        ("2020年", "province"): (1, 0),
        ("2021年", "cultivation"): (2, 0),
        ("2021年", "city"): (3, 0),
        ("2021年", "province"): (1, 0),
        ("2022年", "cultivation"): (1, 0),
        ("2022年", "city"): (4, 1),
        ("2022年", "province"): (1, 0),
        ("2023年", "city"): (1, 0),
        ("2024年", "city"): (1, 0),
        ("2026年", "province"): (1, 0),
    }


def test_flows_stop_at_the_as_of_date(messy_db: Path) -> None:
    """Test that events after as_of are left out, even within as_of's year."""
    # At 2020-06-30: the 2020 listings (09-28), C's city title (09-18) and A's provincial title
    # (11-25) are still to come; only E's cancellation (05-20) has happened in 2020.
    rows = _pipeline(messy_db, dt.date(2020, 6, 30)).flows
    year = {r.metric: (r.entered, r.left) for r in rows if r.period == "2020年"}
    assert year == {"cultivation": (0, 1), "city": (0, 0), "province": (0, 0), "national": (0, 0)}


def test_durations_at_2026_11_26_are_the_hand_counted_medians(messy_db: Path) -> None:
    """Test that median days between stages and n match the hand count of the fixture."""
    # 申报 → 列入 (days): A 04-08→06-12 = 22+31+12 = 65; B 63; E 64; C 08-12→11-20 = 19+30+31+20
    # = 100; F 99; G 2020-04-15→09-28 = 15+31+30+31+31+28 = 166; H 161; K 159; M 05-06→09-28 =
    # 145; N 143; L 2021-04-12→07-26 = 18+31+30+26 = 105; O 102; P 2022-08-15→11-25 = 102.
    # n 13, sorted 63 64 65 99 100 102 102 105 143 145 159 161 166 → median 102.
    # 列入 → 市级: A, B 2019-06-12→12-10 = 181; C 2019-11-20→2020-09-18 = 303; F →2021-10-15 =
    # 366+329 = 695; G, H 2020-09-28→2021-06-25 = 270; K →2022-03-18 = 365+171 = 536;
    # L 2021-07-26→2022-06-30 = 339; M 2020-09-28→2022-09-16 = 730−12 = 718; N →2022-08-26 =
    # 730−33 = 697; O 2021-07-26→2023-05-19 = 365+297 = 662; P 2022-11-25→2024-09-27 =
    # 365+307 = 672. n 12, middle pair 339 and 536 → median 437.5.
    # 市级 → 省级: A 2019-12-10→2020-11-25 = 351; B →2021-12-16 = 366+365+6 = 737;
    # G 2021-06-25→2022-05-18 = 327; M 2022-09-16→2026-06-18 = 1461−90 = 1371 → median 544.
    # 省级 → 国家级: D has no provincial title → n 0.
    assert _durations(messy_db, D6) == {
        "apply_listing": (13, 102, 63, 166),
        "listing_city": (12, 437.5, 181, 718),
        "city_province": (4, 544, 327, 1371),
        "province_national": (0, None, None, None),
    }
    months = {d.step: d.median_months for d in _pipeline(messy_db, D6).durations}
    assert months["apply_listing"] == pytest.approx(3.4)  # 102 / 30.44
    assert months["province_national"] is None


def test_durations_at_2020_12_31_use_only_pairs_before_the_date(messy_db: Path) -> None:
    """Test that a pair counts only when its later event is on or before as_of."""
    # Listings by D4: A B E C F G H K M N → 65 63 64 100 99 166 161 159 145 143; sorted, the
    # middle pair is 100 and 143 → 121.5. City titles by D4: A, B 181, C 303 → 181.
    # Provincial: A 351.
    got = _durations(messy_db, D4)
    assert {step: n for step, (n, *_) in got.items()} == {
        "apply_listing": 10,
        "listing_city": 3,
        "city_province": 1,
        "province_national": 0,
    }
    assert [got[s][1] for s in ("apply_listing", "listing_city", "city_province")] == [
        121.5,
        181,
        351,
    ]


def test_demo_funnel_held_counts_equal_the_report(demo_db: Path) -> None:
    """Test that the funnel's held counts are the report's counts on the demo register."""
    for as_of in (dt.date(2020, 12, 31), dt.date(2023, 6, 30), DEMO_TODAY):
        held = _funnel(demo_db, as_of)
        with db.connect(demo_db) as con:
            want = counts(con, as_of, Filters())
        for metric in ("cultivation", "city", "province", "national"):
            assert held[metric][0] == want[metric]
            assert held[metric][0] <= held[metric][1]


def test_demo_flows_add_up_to_the_titles_held(demo_db: Path) -> None:
    """Test that entries minus exits over all years equal titles held at the demo's date."""
    with db.connect(demo_db) as con:
        got = pipeline(con, DEMO_TODAY, Filters())
        want = counts(con, DEMO_TODAY, Filters())
    rates = {r["key"]: r for r in got.conversion["rates"]}
    levels = ("cultivation", "city", "province", "national")
    entered = {m: sum(r.entered for r in got.flows if r.metric == m) for m in levels}
    left = {m: sum(r.left for r in got.flows if r.metric == m) for m in levels}
    for metric in levels:
        assert entered[metric] - left[metric] == want[metric]
    # One listing per demo center, and a cancelled center stays cancelled.
    assert entered["cultivation"] == rates["listed_city"]["denominator"]


@pytest.mark.parametrize(
    ("metrics", "stages"),
    [
        (("cultivation", "city", "province", "national"), list(STAGES)),
        (("province",), ["city", "province"]),
        (("cultivation",), ["applying", "cultivation"]),
        (("city", "national"), ["cultivation", "city", "province", "national"]),
    ],
    ids=["all", "province", "cultivation", "city-and-national"],
)
def test_shown_stages_add_the_stage_below_each_chosen_level(
    metrics: tuple[str, ...], stages: list[str]
) -> None:
    """Test that the level filter shows each chosen level with the stage it comes from."""
    assert shown_stages(metrics) == stages
