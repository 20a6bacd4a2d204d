"""The column-wise checks (mic_tracker/conditions_frame.py) give what the per-check functions of
conditions.py give, row by row: on every center of the 60-center demo and of the fixture
workbook at several dates, on a randomised register (blank values, exempt and untyped lead
units, members named like their lead unit, untyped members, centers without members) and with
revised thresholds; and the alerts' failures are eligibility()'s failed codes of each stage."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from mic_tracker import conditions_frame as frame
from mic_tracker import db
from mic_tracker.alerts import condition_rows
from mic_tracker.conditions import ACCEPTANCE_CODES, CODES, center_checks, eligibility
from mic_tracker.parsing import normalize_name
from mic_tracker.policy import load_plan
from mic_tracker.report import Filters, make_filters

TH = load_plan().thresholds
DATES = (dt.date(2019, 6, 30), dt.date(2020, 12, 31), dt.date(2023, 3, 15), dt.date(2026, 11, 26))
TYPES = ("企业", "院所转制企业", "科研院所", "高校", "民办非企业", "其他", "行业协会", None)
STAGE_CODES = {
    "cultivation": ACCEPTANCE_CODES,
    "applying": tuple(c for c in CODES if c not in ACCEPTANCE_CODES),
}


def by_check_functions(
    con: Any,
    as_of: dt.date,
    filters: Filters,
    stages: tuple[str, ...] | None = None,
    thresholds: dict[str, Any] = TH,
) -> list[dict[str, Any]]:
    """eligibility() as it was built before the column-wise rules: center_checks per row."""
    members: dict[int, list[tuple[str, str | None]]] = defaultdict(list)
    for m in frame.read_members(con).to_pylist():
        members[m["center_id"]].append((m["name"], m["member_type"]))
    out = []
    for row in frame.read_centers(con, as_of, filters, stages).to_pylist():
        checks = center_checks(row, members[row["center_id"]], thresholds)
        out.append(
            {
                "center": row["name"],
                "center_id": row["center_id"],
                "county": row["county"],
                "stage": row["stage"],
                "checks": checks,
                "failed": [c["code"] for c in checks if c["result"] == "fail"],
                "unknown": [c["code"] for c in checks if c["result"] == "unknown"],
            }
        )
    return out


# The random values replace the demo's (test data, bound from the frames registered below).
RANDOMISE = """
update centers set
    lead_unit = r.lead_unit,
    lead_unit_type = r.lead_unit_type,
    lead_prior_revenue = r.revenue::decimal(18, 4),
    patents = r.patents,
    tech_staff = r.staff,
    registered_capital = r.capital::decimal(18, 4),
    provincial_carrier = r.provincial_carrier,
    violations_3y = r.violations_3y,
    expert_committee = r.expert_committee,
    charter = r.charter,
    open_ip_rules = r.open_ip_rules,
    management_in_place = r.management_in_place,
    internal_systems = r.internal_systems
from random_centers as r
where centers.id = r.id;
delete from members;
insert into members (center_id, position, name, member_type)
select center_id, position, name, member_type from random_members;
"""


def randomise(path: Path, seed: int) -> None:
    """Replace every center's condition columns and every member with random ones (bound)."""
    rng = random.Random(seed)
    with db.connect(path) as con:
        ids = [r[0] for r in con.sql("select id from centers order by id").fetchall()]
        names = [r[0] for r in con.sql("select distinct name from members order by 1").fetchall()]

        def blank_or(value: Any) -> Any:
            return None if rng.random() < 0.15 else value

        leads = [
            blank_or(rng.choice([*names, f" {rng.choice(names)} ", "Ｔｅｓｔ　公司"])) for _ in ids
        ]
        centers = pd.DataFrame(
            {
                "id": ids,
                "lead_unit": leads,
                "lead_unit_type": [rng.choice(TYPES) for _ in ids],
                "revenue": [
                    blank_or(rng.choice(["10000", "9999.99", "10000.5", "0"])) for _ in ids
                ],
                "patents": [blank_or(rng.choice([0, 1, 2])) for _ in ids],
                "staff": [blank_or(rng.choice([0, 24, 25, 26])) for _ in ids],
                "capital": [blank_or(rng.choice(["600", "599.99", "600.0001", "1"])) for _ in ids],
                **{
                    column: [blank_or(rng.random() < 0.5) for _ in ids]
                    for column in (
                        "provincial_carrier",
                        "violations_3y",
                        "expert_committee",
                        "charter",
                        "open_ip_rules",
                        "management_in_place",
                        "internal_systems",
                    )
                },
            }
        )
        members = pd.DataFrame(
            [
                {
                    "center_id": i,
                    "position": position,
                    # a member named like the lead unit, spaced differently, now and then
                    "name": rng.choice([lead, f" {lead}　", lead.replace("公司", " 公司")])
                    if lead and rng.random() < 0.2
                    else rng.choice(names),
                    "member_type": rng.choice(TYPES),
                }
                for i, lead in zip(ids, leads, strict=True)
                for position in range(rng.choice([0, 0, 1, 2, 3, 5]))
            ]
        )
        con.register("random_centers", centers)
        con.register("random_members", members)
        con.execute(RANDOMISE)
        con.unregister("random_centers")
        con.unregister("random_members")


@pytest.fixture
def random_db(demo_db: Path) -> Path:
    """The demo register with random condition columns and members."""
    randomise(demo_db, seed=2019)
    return demo_db


@pytest.mark.parametrize("register", ["demo_db", "messy_db", "random_db"])
def test_column_wise_checks_are_the_check_functions_row_by_row(
    register: str, request: pytest.FixtureRequest
) -> None:
    """Test that eligibility() equals center_checks run on each center, at four dates, with and
    without filters and stages."""
    compared = 0
    with db.connect(request.getfixturevalue(register)) as con:
        for as_of in DATES:
            for filters in (Filters(), make_filters(sectors=["先进装备制造业"])):
                for stages in (None, ("cultivation", "applying")):
                    expected = by_check_functions(con, as_of, filters, stages)
                    assert eligibility(con, as_of, filters, stages) == expected
                    compared += len(expected)
    assert compared > 50  # not a vacuous comparison


def test_random_register_holds_the_hard_cases(random_db: Path) -> None:
    """Test that the randomised register has what the comparison is meant to cover: a blank
    value for every check that reads one, exempt leads, each P3 result, members named like
    their lead unit but spelt differently, and untyped members."""
    with db.connect(random_db) as con:
        got = eligibility(con, dt.date(2026, 11, 26), Filters())
        members = frame.read_members(con).to_pylist()
        lead = dict(con.sql("select id, lead_unit from centers").fetchall())
    seen = {(c["code"], c["result"]) for r in got for c in r["checks"]}
    assert {("E1", "exempt"), ("P3", "pass"), ("P3", "fail"), ("P3", "unknown")} <= seen
    assert all((code, "unknown") in seen for code in CODES if code != "A1")
    like_lead = [
        m
        for m in members
        if m["name"] != lead[m["center_id"]]
        and normalize_name(m["name"]) == normalize_name(lead[m["center_id"]])
    ]
    assert like_lead and any(m["member_type"] is None for m in members)


def test_column_wise_checks_follow_revised_thresholds(random_db: Path) -> None:
    """Test that the column-wise checks read the thresholds they are given, fractional
    minimums and a different exempt list included, as the check functions do."""
    revised = {
        **TH,
        "E1_prior_year_revenue_wan": 9999.99,
        "E1_exempt_lead_types": ["高校"],
        "E3_min_patents": 2,
        "E4_clean_years": 5,
        "P1_min_tech_staff": 25.5,
        "P2_min_registered_capital_wan": 600.0001,
    }
    with db.connect(random_db) as con:
        for as_of in DATES:
            expected = by_check_functions(con, as_of, Filters(), thresholds=revised)
            centers = frame.read_centers(con, as_of, Filters())
            members = frame.count_members(centers, frame.read_members(con))
            assert frame.entries(centers, members, revised) == expected


@pytest.mark.parametrize("register", ["demo_db", "messy_db", "random_db"])
def test_failures_are_the_failed_codes_of_each_stage(
    register: str, request: pytest.FixtureRequest
) -> None:
    """Test that the alerts' failures are eligibility()'s failed codes that matter in each
    stage, for the centers failing any, in eligibility()'s order."""
    with db.connect(request.getfixturevalue(register)) as con:
        for as_of in DATES:
            for filters in (Filters(), make_filters(forms=["院所型"])):
                expected = [
                    (e["center"], e["county"], e["stage"], failed)
                    for e in eligibility(con, as_of, filters, tuple(STAGE_CODES))
                    if (failed := tuple(c for c in e["failed"] if c in STAGE_CODES[e["stage"]]))
                ]
                got = frame.failures(con, as_of, filters, STAGE_CODES)
                assert [tuple(f)[:4] for f in got] == expected
                rows = condition_rows(con, as_of, filters)
                assert [r["center"] for r in rows] == [e[0] for e in expected]


def test_condition_alert_names_the_failed_checks(random_db: Path) -> None:
    """Test that a condition alert lists its failed checks by code and name, E4 with the plan's
    years, as eligibility() names them."""
    with db.connect(random_db) as con:
        by_center = {e["center"]: e for e in eligibility(con, dt.date(2026, 11, 26), Filters())}
        rows = condition_rows(con, dt.date(2026, 11, 26), Filters())
    assert rows
    for row in rows:
        entry = by_center[row["center"]]
        codes = STAGE_CODES[entry["stage"]]
        named = [f"{c['code']} {c['name']}" for c in entry["checks"]]
        wanted = [
            n
            for n, c in zip(named, entry["checks"], strict=True)
            if c["code"] in codes and c["result"] == "fail"
        ]
        assert row["what"] == "、".join(wanted)
    assert any("近3年无违法行为" in r["what"] for r in rows)


def test_no_centers_give_no_entries(empty_db: Path) -> None:
    """Test that an empty register gives no entries and no failures."""
    with db.connect(empty_db) as con:
        assert eligibility(con, dt.date(2026, 11, 26), Filters()) == []
        assert frame.failures(con, dt.date(2026, 11, 26), Filters(), STAGE_CODES) == []
