"""Lifecycle replay (POLICY.md §3): what a center's dated history may and may not contain."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from mic_tracker.lifecycle import Event, replay

D = dt.date


def ev(kind: str, date: str, **kw) -> Event:
    return Event(kind, D.fromisoformat(date), **kw)


def pipeline_to_certification() -> list[Event]:
    """A normal history, 2019, up to the city title."""
    return [
        ev("applied", "2019-05-06"),
        ev("county_recommended", "2019-05-20"),
        ev("expert_reviewed", "2019-07-10"),
        ev("notice_published", "2019-09-27"),
        ev("cultivation_listed", "2019-10-10"),
        ev("entity_registered", "2019-12-02"),
        ev("acceptance_applied", "2020-06-01"),
        ev("city_certified", "2020-09-15"),
    ]


def certified() -> list[Event]:
    """A city-certified center with one passed evaluation."""
    return [
        *pipeline_to_certification(),
        ev("evaluation", "2021-04-20", eval_year=2020, result="pass"),
    ]


def reasons(problems) -> list[str]:
    return [p.reason for p in problems]


def test_normal_history_has_no_problems_and_no_flags():
    """Test that the full city pipeline ending in a passed evaluation replays cleanly."""
    assert replay(certified()) == ([], [])


def test_normal_history_replays_regardless_of_input_order():
    """Test that replay orders events by date, so a shuffled history is still clean."""
    assert replay(list(reversed(certified()))) == ([], [])


@pytest.mark.parametrize(
    ("missing", "named", "not_named"),
    [
        ("cultivation_listed", "列入市级培育名单", "完成法人注册"),
        ("entity_registered", "完成法人注册", "列入市级培育名单"),
    ],
    ids=["no-listing", "no-entity"],
)
def test_city_certification_without_prerequisite_names_it(missing, named, not_named):
    """Test that city_certified without a listing or a legal entity is refused, naming it."""
    history = [e for e in pipeline_to_certification() if e.kind != missing]
    if missing == "cultivation_listed":  # acceptance needs the listing too; keep one problem
        history = [e for e in history if e.kind != "acceptance_applied"]
    problems, _ = replay(history)
    assert [p.event.kind for p in problems] == ["city_certified"]
    missing_part = re.search(r"缺少「(.+?)」事件", problems[0].reason)
    assert missing_part is not None, problems[0].reason
    assert missing_part.group(1) == named
    assert not_named not in missing_part.group(1)


def test_city_certification_dated_before_listing_is_refused():
    """Test that a city title dated before the cultivation listing is out of order."""
    history = [
        ev("cultivation_listed", "2019-10-10"),
        ev("entity_registered", "2019-08-01"),
        ev("city_certified", "2019-09-01"),
    ]
    problems, _ = replay(history)
    assert [p.event.kind for p in problems] == ["city_certified"]
    assert "列入市级培育名单" in problems[0].reason


def test_second_cultivation_listing_is_refused_as_repeat():
    """Test that a second cultivation_listed in the same episode is refused as 重复."""
    history = [*pipeline_to_certification(), ev("cultivation_listed", "2020-10-01")]
    problems, _ = replay(history)
    assert [p.event.kind for p in problems] == ["cultivation_listed"]
    assert "重复" in problems[0].reason


def cancelled() -> list[Event]:
    """Listed in 2019 without registering an entity, cancelled after two years."""
    return [
        ev("applied", "2019-05-06"),
        ev("county_recommended", "2019-05-20"),
        ev("expert_reviewed", "2019-07-10"),
        ev("notice_published", "2019-09-27"),
        ev("cultivation_listed", "2019-10-10"),
        ev("cultivation_cancelled", "2021-10-11"),
    ]


@pytest.mark.parametrize(
    "after",
    [
        ev("city_certified", "2021-12-01"),
        ev("entity_registered", "2021-12-01"),
        ev("acceptance_applied", "2021-12-01"),
        ev("evaluation", "2022-04-01", eval_year=2021, result="pass"),
    ],
    ids=["city_certified", "entity_registered", "acceptance_applied", "evaluation"],
)
def test_event_after_cancellation_is_refused(after):
    """Test that an event other than a new listing after cultivation_cancelled is refused."""
    problems, _ = replay([*cancelled(), after])
    assert [p.event for p in problems] == [after]
    assert "取消" in problems[0].reason


def test_new_listing_after_cancellation_is_allowed():
    """Test that a center may be listed again after its cultivation was cancelled."""
    assert replay([*cancelled(), ev("cultivation_listed", "2022-10-10")]) == ([], [])


def test_pipeline_after_new_listing_is_allowed():
    """Test that after a re-listing the rest of the city pipeline replays cleanly."""
    history = [
        *cancelled(),
        ev("cultivation_listed", "2022-10-10"),
        ev("entity_registered", "2022-12-01"),
        ev("acceptance_applied", "2023-06-01"),
        ev("city_certified", "2023-09-15"),
        ev("evaluation", "2024-04-20", eval_year=2023, result="pass"),
    ]
    assert replay(history) == ([], [])


def revoked() -> list[Event]:
    """A city center that failed its evaluation and its rectification, and lost its title."""
    return [
        *pipeline_to_certification(),
        ev("evaluation", "2021-04-20", eval_year=2020, result="fail"),
        ev("rectification_evaluation", "2021-10-20", result="fail"),
        ev("title_revoked", "2021-11-01", level="city"),
    ]


def test_revocation_after_failed_rectification_is_accepted():
    """Test that fail → rectification fail → city title revoked replays cleanly."""
    assert replay(revoked()) == ([], [])


@pytest.mark.parametrize(
    "after",
    [
        ev("evaluation", "2022-04-20", eval_year=2021, result="pass"),
        ev("recommended_up", "2022-01-10", level="province"),
        ev("province_certified", "2022-06-01"),
    ],
    ids=["evaluation", "recommended_up", "province_certified"],
)
def test_event_after_revocation_is_refused(after):
    """Test that events after title_revoked are refused, naming the revocation."""
    problems, _ = replay([*revoked(), after])
    assert [p.event for p in problems] == [after]
    assert "撤销称号" in problems[0].reason


# (extra events appended to a history, the refused event's kind, text the reason contains)
REFUSED = [
    (
        "evaluation-without-city-title",
        [
            ev("cultivation_listed", "2019-10-10"),
            ev("evaluation", "2020-04-20", eval_year=2019, result="pass"),
        ],
        "evaluation",
        "认定为市级",
    ),
    (
        "evaluation-without-result",
        [*pipeline_to_certification(), ev("evaluation", "2021-04-20", eval_year=2020)],
        "evaluation",
        "结果",
    ),
    (
        "same-eval-year-twice",
        [*certified(), ev("evaluation", "2021-06-20", eval_year=2020, result="pass")],
        "evaluation",
        "2020",
    ),
    (
        "rectification-without-failed-evaluation",
        [*certified(), ev("rectification_evaluation", "2021-10-20", result="pass")],
        "rectification_evaluation",
        "不合格",
    ),
    (
        "province-revocation-with-only-city-title",
        [*certified(), ev("title_revoked", "2021-11-01", level="province")],
        "title_revoked",
        "省级",
    ),
    (
        "recommended-up-without-level",
        [*certified(), ev("recommended_up", "2021-05-01")],
        "recommended_up",
        "层级",
    ),
]


@pytest.mark.parametrize(
    ("history", "kind", "says"),
    [case[1:] for case in REFUSED],
    ids=[case[0] for case in REFUSED],
)
def test_event_not_allowed_by_history_is_refused(history, kind, says):
    """Test that an event the history does not allow is the one problem, with a clear reason."""
    problems, _ = replay(history)
    assert [p.event.kind for p in problems] == [kind]
    assert says in problems[0].reason


def test_county_recommendation_after_expert_review_names_both():
    """Test that county_recommended dated after expert_reviewed is refused, naming both."""
    history = [
        ev("applied", "2019-05-06"),
        ev("expert_reviewed", "2019-07-10"),
        ev("county_recommended", "2019-07-20"),
    ]
    problems, _ = replay(history)
    assert [p.event.kind for p in problems] == ["county_recommended"]
    assert "县级推荐" in problems[0].reason
    assert "专家评审" in problems[0].reason
    assert "2019-07-20" in problems[0].reason
    assert "2019-07-10" in problems[0].reason


def test_same_day_listing_and_certification_is_accepted():
    """Test that listing and certification on one day replay in pipeline order."""
    history = [
        ev("city_certified", "2019-12-20"),
        ev("cultivation_listed", "2019-12-20"),
        ev("entity_registered", "2019-06-01"),
    ]
    assert replay(history) == ([], [])


def test_national_title_before_plan_without_city_history_is_flagged_twice():
    """Test that a 2018 national title with no city history is accepted with two flags."""
    national = ev("national_certified", "2018-11-15", level="national")
    problems, flags = replay([national])
    assert problems == []
    assert [f.event for f in flags] == [national, national]
    texts = " ".join(f.text for f in flags)
    assert "non-city pipeline" in texts
    assert "2019-03-14" in texts


def test_province_title_after_city_title_is_not_flagged():
    """Test that a provincial title earned after the city title raises no flag."""
    history = [
        *certified(),
        ev("recommended_up", "2021-05-01", level="province"),
        ev("province_certified", "2021-12-01"),
    ]
    assert replay(history) == ([], [])


def test_replay_reports_each_bad_event_and_continues():
    """Test that two independent bad events give two problems and the rest replays on."""
    bad_eval = ev("evaluation", "2021-04-20", eval_year=2020)
    bad_rec = ev("recommended_up", "2021-05-01")
    history = [
        *pipeline_to_certification(),
        bad_eval,
        bad_rec,
        ev("evaluation", "2022-04-20", eval_year=2021, result="pass"),
        ev("recommended_up", "2022-05-01", level="province"),
        ev("province_certified", "2022-12-01"),
    ]
    problems, flags = replay(history)
    assert [p.event for p in problems] == [bad_eval, bad_rec]
    assert flags == []


def test_unknown_event_kind_is_reported_as_problem():
    """Test that an event of an unknown kind is reported, not raised, and replay continues."""
    odd = ev("merged", "2020-01-01")
    problems, _ = replay([*certified(), odd])
    assert [p.event for p in problems] == [odd]
    assert "merged" in problems[0].reason
