"""Target status (POLICY.md §2): expected pace, the five statuses, and the report filters."""

from __future__ import annotations

import datetime as dt

import pytest

from mic_tracker.errors import UnknownName
from mic_tracker.policy import Target, load_plan
from mic_tracker.report import Filters, expected_pace, field_seq, make_filters, target_status

D = dt.date.fromisoformat
S = D("2019-03-14")  # the plan's issue date, where the pace line starts


@pytest.fixture(scope="module")
def plan():
    return load_plan()


def target(year: int, metric: str) -> Target:
    return next(t for t in load_plan().targets if (t.year, t.metric) == (year, metric))


def test_pace_starts_on_plan_issue_date(plan):
    """Test that the pace line starts on 2019-03-14, the plan's issue date."""
    assert plan.pace_start == S


# Day counts, worked by hand:
#   S=2019-03-14 → 2025-12-31: 2019-03-14→2020-03-14 366 (2020-02-29), →2021 365, →2022 365,
#     →2023 365, →2024-03-14 366 (2024-02-29), →2025-03-14 365  = 2192;
#     2025-03-14→12-31: Mar 17 + Apr 30 + May 31 + Jun 30 + Jul 31 + Aug 31 + Sep 30
#     + Oct 31 + Nov 30 + Dec 31 = 292;  total 2484.
#   S → 2022-07-22: 366 + 365 + 365 = 1096 to 2022-03-14; then Mar 17 + Apr 30 + May 31
#     + Jun 30 + Jul 22 = 130;  total 1226.
#   S → 2020-11-24: 366 to 2020-03-14; then Mar 17 + Apr 30 + May 31 + Jun 30 + Jul 31
#     + Aug 31 + Sep 30 + Oct 31 + Nov 24 = 255;  total 621 = 2484 / 4.
#   S → 2019-12-31: 292 (as above).  S → 2019-08-01: Mar 17 + Apr 30 + May 31 + Jun 30
#     + Jul 31 + Aug 1 = 140.
#   S → 2020-12-31: 366 + 292 = 658.  S → 2020-07-01: 366 + Mar 17 + Apr 30 + May 31
#     + Jun 30 + Jul 1 = 475.
PACE = [
    ("2025-city-at-start", 0, 20, "2025-12-31", "2019-03-14", 0.0),
    ("2025-city-at-deadline", 0, 20, "2025-12-31", "2025-12-31", 20.0),
    ("2025-city-2022-07-22", 0, 20, "2025-12-31", "2022-07-22", 20 * 1226 / 2484),
    ("2025-city-quarter-way", 0, 20, "2025-12-31", "2020-11-24", 5.0),
    ("2019-city-2019-08-01", 0, 3, "2019-12-31", "2019-08-01", 3 * 140 / 292),
    ("2020-cultivation-from-2", 2, 10, "2020-12-31", "2020-07-01", 2 + 8 * 475 / 658),
    ("before-start-clamps-to-S", 2, 10, "2020-12-31", "2019-01-01", 2.0),
    ("after-deadline-clamps-to-T", 2, 10, "2020-12-31", "2021-06-30", 10.0),
]


@pytest.mark.parametrize(
    ("start_count", "goal", "deadline", "as_of", "expected"),
    [case[1:] for case in PACE],
    ids=[case[0] for case in PACE],
)
def test_expected_pace_is_linear_from_start_count_to_target(
    start_count, goal, deadline, as_of, expected
):
    """Test that E(D) runs linearly from the count at S to the target at T, clamped to [S, T]."""
    got = expected_pace(start_count, goal, S, D(deadline), D(as_of))
    assert got == pytest.approx(expected, abs=1e-9)


def test_expected_pace_2022_07_22_worked_value():
    """Test that E(2022-07-22) for the 2025 city target is 9.8712 (20 × 1226 / 2484)."""
    got = expected_pace(0, 20, S, D("2025-12-31"), D("2022-07-22"))
    assert got == pytest.approx(9.871175523, abs=1e-9)


# (id, (year, metric), as_of, actual, start_count, pipeline, status, E or None)
E_2022_07_22 = 20 * 1226 / 2484  # ≈ 9.87
STATUS = [
    ("met-before-deadline", (2025, "city"), "2022-07-22", 20, 0, 0, "met", None),
    ("met-above-target", (2025, "city"), "2022-07-22", 23, 0, 0, "met", None),
    ("missed-after-deadline", (2025, "city"), "2026-01-01", 19, 0, 5, "missed", None),
    ("met-after-deadline", (2025, "city"), "2026-01-01", 20, 0, 0, "met", None),
    ("on-track-above-pace", (2025, "city"), "2022-07-22", 10, 0, 0, "on_track", E_2022_07_22),
    ("on-track-exactly-pace", (2025, "city"), "2020-11-24", 5, 0, 0, "on_track", 5.0),
    ("at-risk-pipeline-reaches", (2025, "city"), "2022-07-22", 9, 0, 11, "at_risk", E_2022_07_22),
    ("off-track-pipeline-short", (2025, "city"), "2022-07-22", 9, 0, 10, "off_track", E_2022_07_22),
    ("at-risk-below-exact-pace", (2025, "city"), "2020-11-24", 4, 0, 16, "at_risk", 5.0),
    ("off-track-below-exact-pace", (2025, "city"), "2020-11-24", 4, 0, 15, "off_track", 5.0),
    ("deadline-day-not-yet-missed", (2025, "city"), "2025-12-31", 19, 0, 0, "off_track", 20.0),
    ("before-start-clamps-to-S", (2025, "city"), "2019-01-01", 0, 0, 0, "on_track", 0.0),
    (
        "before-start-below-start-count",
        (2020, "cultivation"),
        "2019-01-01",
        1,
        2,
        0,
        "off_track",
        2.0,
    ),
    ("range-target-met-at-minimum", (2025, "national"), "2022-07-22", 1, 0, 0, "met", None),
    ("approx-target-met", (2020, "province"), "2020-06-30", 2, 0, 0, "met", None),
]


@pytest.mark.parametrize(
    ("key", "as_of", "actual", "start_count", "pipeline", "status", "expected"),
    [case[1:] for case in STATUS],
    ids=[case[0] for case in STATUS],
)
def test_target_status_follows_policy_rules(
    key, as_of, actual, start_count, pipeline, status, expected
):
    """Test that target_status gives the POLICY.md §2 status and the E(D) it compared with."""
    got_status, got_expected = target_status(
        target(*key), D(as_of), actual, start_count, pipeline, S
    )
    assert got_status == status
    if expected is None:
        assert got_expected is None
    else:
        assert got_expected == pytest.approx(expected, abs=1e-9)


def test_range_target_keeps_its_stretch():
    """Test that the 2025 national target is 1 with stretch 2, and 1 already counts as met."""
    t = target(2025, "national")
    assert (t.target, t.target_max) == (1, 2)
    assert target_status(t, D("2025-06-30"), 1, 0, 0, S) == ("met", None)
    assert target_status(t, D("2025-06-30"), 0, 0, 5, S)[0] != "met"


# ------------------------------------------------------------------------ make_filters


def test_make_filters_without_arguments_is_inactive():
    """Test that no filter arguments give empty, inactive filters."""
    assert make_filters() == Filters()
    assert not make_filters().active


def test_make_filters_accepts_known_sector():
    """Test that an annex sector name is kept as a sector filter."""
    f = make_filters(sectors=["新材料", "有色金属"])
    assert f.sectors == ("新材料", "有色金属")
    assert f.active


@pytest.mark.parametrize(
    "name", ["新材料业", "有色", "先进装备制造"], ids=["suffix", "short", "plan-body-name"]
)
def test_make_filters_refuses_unknown_sector(plan, name):
    """Test that a name that is not an annex sector raises UnknownName listing the sectors."""
    with pytest.raises(UnknownName) as info:
        make_filters(sectors=[name])
    assert info.value.value == name
    assert all(s in info.value.accepted for s in plan.sectors)


@pytest.mark.parametrize(
    "given",
    ["8", 8, "高性能有色金属及合金材料", " 8 ", "８"],
    ids=["seq-str", "seq-int", "name", "seq-spaces", "seq-fullwidth"],
)
def test_make_filters_reads_field_by_name_or_seq(given):
    """Test that a key field is found by its 序号 or its annex name."""
    assert make_filters(fields=[given]).fields == (8,)
    assert field_seq(given, load_plan()) == 8


@pytest.mark.parametrize(
    "given", ["0", "32", 32, "机器人", ""], ids=["zero", "32", "32-int", "partial-name", "empty"]
)
def test_make_filters_refuses_unknown_field(given):
    """Test that a 序号 outside 1–31 or a name not in the annex raises UnknownName."""
    with pytest.raises(UnknownName):
        make_filters(fields=[given])


@pytest.mark.parametrize(
    ("given", "codes"),
    [
        (["吉利区"], ("410308",)),
        (["偃师市"], ("410307",)),
        (["洛阳市涧西区"], ("410305",)),
        (["高新区"], ("GXQ",)),
        (["吉利区", "孟津县", "孟津区", "410308", "孟津"], ("410308",)),
        (["偃师市", "涧西", "偃师区"], ("410307", "410305")),
    ],
    ids=[
        "jili-to-mengjin",
        "yanshi-city-to-district",
        "prefixed",
        "zone",
        "all-mengjin-names",
        "order-kept",
    ],
)
def test_make_filters_resolves_counties_to_todays_code(given, codes):
    """Test that county names (old ones too) become today's codes, each once, in input order."""
    assert make_filters(counties=given).counties == codes


def test_make_filters_refuses_unknown_county():
    """Test that an unknown county name raises UnknownName."""
    with pytest.raises(UnknownName):
        make_filters(counties=["洛阳新区"])


def test_make_filters_accepts_known_forms(plan):
    """Test that the three construction forms are accepted as form filters."""
    assert make_filters(forms=list(plan.forms.values())).forms == ("企业型", "院所型", "平台型")


@pytest.mark.parametrize("name", ["混合型", "企业", ""], ids=["other", "short", "empty"])
def test_make_filters_refuses_unknown_form(plan, name):
    """Test that a form that is not 企业型/院所型/平台型 raises UnknownName listing them."""
    with pytest.raises(UnknownName) as info:
        make_filters(forms=[name])
    assert all(label in info.value.accepted for label in plan.forms.values())


@pytest.mark.parametrize(
    ("kwargs", "attr", "want"),
    [
        pytest.param({"counties": ["吉利区", "孟津县"]}, "counties", ("410308",), id="counties"),
        pytest.param(
            {"fields": ["8", 8, "高性能有色金属及合金材料"]},
            "fields",
            (8,),
            id="fields",
        ),
        pytest.param(
            {"sectors": ["新材料", "新材料"]},
            "sectors",
            ("新材料",),
            id="sectors",
        ),
        pytest.param({"forms": ["企业型", "企业型"]}, "forms", ("企业型",), id="forms"),
    ],
)
def test_make_filters_collapses_duplicates(kwargs, attr, want):
    """Test that the same filter value given twice (in any spelling) is kept once."""
    assert getattr(make_filters(**kwargs), attr) == want
