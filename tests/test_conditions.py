"""The plan's conditions (三, POLICY.md §5), acceptance conditions (四(三)) and the one-center-per-
field check (四): each check function at its boundaries, then the fixture register by hand.

Expected results are worked by hand from the rows in tests/fixtures/make_fixture.py (CENTERS:
every attribute of the 16 centers; EVENTS: their dates) and the story in EXPECTED.md; the
reasoning is in the comments. Thresholds (data/policy/luoyang-2019-13.toml [thresholds]):
E1 10000万元, exempt lead types 科研院所/高校/院所转制企业/民办非企业/其他, E3 1, E4 3 years,
P1 25, P2 600万元.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from mic_tracker import db
from mic_tracker.centers import center_list
from mic_tracker.conditions import (
    CODES,
    MEMBERS_RULE,
    check_capital,
    check_carrier,
    check_charter,
    check_entity,
    check_expert_committee,
    check_internal_systems,
    check_management,
    check_members,
    check_open_ip_rules,
    check_patents,
    check_revenue,
    check_tech_staff,
    check_violations,
    eligibility,
    one_per_field,
)
from mic_tracker.policy import load_plan
from mic_tracker.report import Filters, make_filters
from tests.conftest import DEMO_TODAY
from tests.fixtures.make_fixture import DN, A, B, C, E, F, G, H, J
from tests.fixtures.make_fixture import Ic as I_
from tests.test_fields import SECOND_BEARING, add_second_bearing_center

K = "洛阳电子元器件创新中心"
L = "洛阳高性能合金材料创新中心"
M = "洛阳高端铝材创新中心"
N = "洛阳高性能复合材料创新中心"
O_ = "洛阳机器人及智能装备创新中心"
P = "洛阳光电设备创新中心"
D5 = dt.date(2022, 6, 30)
TH = load_plan().thresholds


def by_name(result: list[dict[str, Any]], name: str) -> dict[str, Any]:
    """The eligibility entry of one center."""
    return next(r for r in result if r["center"] == name)


def check(entry: dict[str, Any], code: str) -> dict[str, Any]:
    """One check of an eligibility entry."""
    return next(c for c in entry["checks"] if c["code"] == code)


def run(path: Path, as_of: dt.date = D5, filters: Filters | None = None) -> list[dict[str, Any]]:
    with db.connect(path) as con:
        return eligibility(con, as_of, filters or Filters())


def execute(path: Path, sql: str, **params: Any) -> None:
    """Change the private copy of the fixture database (values bound)."""
    with db.connect(path) as con:
        con.execute(sql, params)


# ------------------------------------------------------------------ check functions, boundaries


@pytest.mark.parametrize(
    ("revenue", "lead_type", "result", "value"),
    [
        (10000, "企业", "pass", 10000),  # exactly 1亿元
        (Decimal("10000.0000"), "企业", "pass", 10000),  # as DuckDB returns decimal(18,4)
        (Decimal("9999.99"), "企业", "fail", 9999.99),
        (None, "企业", "unknown", None),
        (None, None, "unknown", None),  # lead type not given, no revenue
        (Decimal("9000"), None, "fail", 9000),  # lead type not given: the revenue decides
        (Decimal("5000"), "科研院所", "exempt", 5000),
        (None, "高校", "exempt", None),
        (Decimal("32000"), "院所转制企业", "exempt", 32000),
        (None, "民办非企业", "exempt", None),
        (Decimal("1"), "其他", "exempt", 1),
    ],
    ids=[
        "exactly-10000",
        "decimal-10000",
        "9999.99",
        "enterprise-blank",
        "type-and-revenue-blank",
        "type-blank-9000",
        "institute",
        "university",
        "converted-institute",
        "private-non-enterprise",
        "other",
    ],
)
def test_revenue_check_boundaries(revenue: Any, lead_type: Any, result: str, value: Any) -> None:
    """Test that E1 passes from exactly 10000万元, fails below, is exempt for non-enterprises."""
    got = check_revenue(revenue, lead_type, TH)
    assert (got["result"], got["value"], got["threshold"]) == (result, value, 10000)
    assert type(got["value"]) is type(value)  # Decimal → int when whole, else float


@pytest.mark.parametrize(
    ("func", "value", "result", "shown", "threshold"),
    [
        (check_patents, 1, "pass", 1, 1),
        (check_patents, 0, "fail", 0, 1),
        (check_patents, None, "unknown", None, 1),
        (check_tech_staff, 25, "pass", 25, 25),
        (check_tech_staff, 24, "fail", 24, 25),
        (check_tech_staff, None, "unknown", None, 25),
        (check_capital, Decimal("600.0000"), "pass", 600, 600),
        (check_capital, Decimal("599.99"), "fail", 599.99, 600),
        (check_capital, Decimal("600.5"), "pass", 600.5, 600),
        (check_capital, None, "unknown", None, 600),
    ],
    ids=[
        "E3-1",
        "E3-0",
        "E3-blank",
        "P1-25",
        "P1-24",
        "P1-blank",
        "P2-600",
        "P2-599.99",
        "P2-600.5",
        "P2-blank",
    ],
)
def test_minimum_checks_boundaries(
    func: Any, value: Any, result: str, shown: Any, threshold: int
) -> None:
    """Test that E3, P1 and P2 pass exactly at the plan's minimum and fail just below it."""
    got = func(value, TH)
    assert (got["result"], got["value"], got["threshold"]) == (result, shown, threshold)


@pytest.mark.parametrize(
    ("func", "code", "value", "result"),
    [
        (check_carrier, "E2", True, "pass"),
        (check_carrier, "E2", False, "fail"),
        (check_carrier, "E2", None, "unknown"),
        (check_expert_committee, "P4", True, "pass"),
        (check_expert_committee, "P4", False, "fail"),
        (check_expert_committee, "P4", None, "unknown"),
        (check_charter, "P5", True, "pass"),
        (check_charter, "P5", False, "fail"),
        (check_charter, "P5", None, "unknown"),
        (check_open_ip_rules, "P6", True, "pass"),
        (check_open_ip_rules, "P6", False, "fail"),
        (check_open_ip_rules, "P6", None, "unknown"),
        (check_management, "A2", True, "pass"),
        (check_management, "A2", False, "fail"),
        (check_management, "A2", None, "unknown"),
        (check_internal_systems, "A3", True, "pass"),
        (check_internal_systems, "A3", False, "fail"),
        (check_internal_systems, "A3", None, "unknown"),
    ],
)
def test_yes_no_checks(func: Any, code: str, value: bool | None, result: str) -> None:
    """Test that a yes/no check passes on yes, fails on no, is unknown when blank, no threshold."""
    got = func(value)
    assert (got["code"], got["result"], got["value"], got["threshold"]) == (
        code,
        result,
        value,
        None,
    )


@pytest.mark.parametrize(
    ("violations", "result"), [(False, "pass"), (True, "fail"), (None, "unknown")]
)
def test_violation_check_fails_on_a_recorded_violation(violations: Any, result: str) -> None:
    """Test that E4 fails when the register records a violation, its name giving the 3 years."""
    got = check_violations(violations, TH)
    assert (got["result"], got["value"], got["name"]) == (result, violations, "近3年无违法行为")


def test_entity_check_passes_with_a_registration_date() -> None:
    """Test that A1 passes with a registration date (shown as ISO text) and fails without."""
    assert check_entity(dt.date(2019, 8, 15))["result"] == "pass"
    assert check_entity(dt.date(2019, 8, 15))["value"] == "2019-08-15"
    assert check_entity(None)["result"] == "fail"
    assert check_entity(None)["value"] is None


LEAD = "洛阳某某轴承有限公司"


@pytest.mark.parametrize(
    ("members", "result", "value"),
    [
        (
            [("河南科技大学", "高校"), ("甲公司", "企业")],
            "pass",
            "高校/科研院所 1 家，企业 1 家，未注明类型 0 家",
        ),
        ([("某研究所", "科研院所"), ("乙研究院有限公司", "院所转制企业")], "pass", None),
        ([("甲公司", "企业"), ("乙公司", "企业")], "fail", None),  # no university or institute
        ([("河南科技大学", "高校")], "fail", None),  # no enterprise
        ([("河南科技大学", "高校"), ("甲公司", None)], "unknown", None),  # untyped might be one
        ([("甲公司", None)], "unknown", None),
        ([("河南科技大学", "高校"), ("洛阳市行业协会", "行业协会")], "fail", None),
        ([("河南科技大学", "高校"), (LEAD, "企业")], "fail", None),  # the lead does not count
        ([("河南科技大学", "高校"), (" 洛阳某某轴承 有限公司", "企业")], "fail", None),  # spacing
        ([("河南科技大学", "高校"), (LEAD, None)], "fail", None),  # nor when untyped
        ([], "unknown", None),  # nothing recorded
    ],
    ids=[
        "university-and-enterprise",
        "institute-and-converted",
        "enterprises-only",
        "university-only",
        "untyped-enterprise",
        "one-untyped",
        "association-is-neither",
        "lead-is-the-enterprise",
        "lead-spaced-differently",
        "lead-untyped",
        "no-members",
    ],
)
def test_members_check(members: list[tuple[str, str | None]], result: str, value: Any) -> None:
    """Test that P3 needs a university/institute and an enterprise besides the lead unit."""
    got = check_members(members, LEAD)
    assert got["result"] == result
    assert got["threshold"] == MEMBERS_RULE
    if value is not None:
        assert got["value"] == value
    if not members:
        assert got["value"] is None


def test_thresholds_come_from_the_plan_file() -> None:
    """Test that the checks compare against the thresholds they are given, not typed numbers."""
    revised = {**TH, "P1_min_tech_staff": 30, "E1_exempt_lead_types": ["高校"]}
    assert check_tech_staff(25, revised)["result"] == "fail"
    assert check_tech_staff(25, revised)["threshold"] == 30
    assert check_revenue(5000, "科研院所", revised)["result"] == "fail"


# ----------------------------------------------------------------------- the fixture register


def test_eligibility_lists_centers_on_record_by_name(messy_db: Path) -> None:
    """Test that at 2022-06-30 the 14 centers on record are listed by name with 13 checks each."""
    result = run(messy_db)
    # J first applies 2025-10-20 and P 2022-08-15: neither is on the record at D5.
    names = [r["center"] for r in result]
    assert names == sorted([A, B, C, DN, E, F, G, H, I_, K, L, M, N, O_])
    assert all([c["code"] for c in r["checks"]] == list(CODES) for r in result)
    assert by_name(result, A)["stage"] == "province"  # 省级 since 2020-11-25
    assert by_name(result, E)["stage"] == "cancelled"  # cancelled 2020-05-20
    assert by_name(result, I_)["county"] == "宜阳县"
    json.dumps(result, ensure_ascii=False)  # plain JSON: no Decimal, no date objects


def test_research_institute_lead_is_exempt_from_revenue(messy_db: Path) -> None:
    """Test that E1 is exempt for G (科研院所), H (高校) and B (院所转制企业) and decides A and E."""
    result = run(messy_db)
    # G: 牵头单位性质 科研院所, 牵头单位上年销售收入 blank → exempt, nothing to show.
    assert check(by_name(result, G), "E1") == {
        "code": "E1",
        "name": "上年度销售收入",
        "clause": "三(一)1",
        "result": "exempt",
        "value": None,
        "threshold": 10000,
    }
    assert check(by_name(result, N), "E1")["result"] == "exempt"  # 科研院所 too
    assert check(by_name(result, H), "E1")["result"] == "exempt"  # 高校
    # B: 院所转制企业 with "3.2亿元" = 32000万元 → still exempt, the revenue shown.
    assert (
        check(by_name(result, B), "E1")["result"],
        check(by_name(result, B), "E1")["value"],
    ) == (
        "exempt",
        32000,
    )
    # A: 企业, "12.6亿元" = 126000 ≥ 10000 → pass; E: 企业, "8000万" = 8000 < 10000 → fail.
    assert check(by_name(result, A), "E1")["result"] == "pass"
    assert (
        check(by_name(result, E), "E1")["result"],
        check(by_name(result, E), "E1")["value"],
    ) == (
        "fail",
        8000,
    )


def test_registered_capital_below_600_fails(messy_db: Path) -> None:
    """Test that P2 fails below 600万元 and passes at exactly 600 (B's ６００万元, F's 6,000,000元)."""
    result = run(messy_db)
    # No fixture center is below 600: B "６００万元" and F "6,000,000元" are exactly 600 → pass.
    for name in (B, F):
        assert (
            check(by_name(result, name), "P2")["result"],
            check(by_name(result, name), "P2")["value"],
        ) == (
            "pass",
            600,
        )
    # Lower O's "650万元" to 599.99万元 in this private copy → fail, value and threshold shown.
    execute(
        messy_db,
        "update centers set registered_capital = $v where name = $n",
        v=Decimal("599.99"),
        n=O_,
    )
    got = by_name(run(messy_db), O_)
    assert check(got, "P2")["result"] == "fail"
    assert (check(got, "P2")["value"], check(got, "P2")["threshold"]) == (599.99, 600)
    assert got["failed"] == ["P2"]  # O passes everything else (and P3 stays unknown, below)


def test_blank_registered_capital_is_unknown(messy_db: Path) -> None:
    """Test that I's blank 注册资本 makes P2 unknown, with I's failures worked by hand."""
    got = by_name(run(messy_db), I_)
    assert check(got, "P2") == {
        "code": "P2",
        "name": "注册资本",
        "clause": "三(二)3",
        "result": "unknown",
        "value": None,
        "threshold": 600,
    }
    # I: 企业 with 1.8亿元 = 18000 → E1 pass; 省级以上创新载体 否 → E2 fail; 2 patents → E3 pass;
    # 违法 无 → E4 pass; 15 staff < 25 → P1 fail; members only 洛阳理工学院(高校): no enterprise and
    # nothing untyped → P3 fail; P4–P6 否 → fail; no 完成法人注册 event → A1 fail; A2/A3 否 → fail.
    assert got["failed"] == ["E2", "P1", "P3", "P4", "P5", "P6", "A1", "A2", "A3"]
    assert got["unknown"] == ["P2"]
    assert got["stage"] == "applying"  # applied 2020-10-19, never listed


def test_members_with_and_without_a_university_or_institute(messy_db: Path) -> None:
    """Test that P3 passes for A once its enterprise is typed and fails when A has no 高校/院所."""
    # A's members: 洛阳轴研科技股份有限公司 (no type), 河南科技大学 (高校), 中国机械工业集团洛阳
    # 轴承研究所 (科研院所). University/institute: yes; enterprise: only the untyped one → unknown.
    got = check(by_name(run(messy_db), A), "P3")
    assert got["result"] == "unknown"
    assert got["value"] == "高校/科研院所 2 家，企业 0 家，未注明类型 1 家"
    # Typed as 企业 → both kinds present → pass.
    execute(
        messy_db,
        "update members set member_type = '企业' where name = $n",
        n="洛阳轴研科技股份有限公司",
    )
    assert check(by_name(run(messy_db), A), "P3")["result"] == "pass"
    # Without its university and institute, A has an enterprise only → fail.
    execute(
        messy_db,
        "delete from members where center_id = (select id from centers where name = $n)"
        " and member_type in ('高校', '科研院所')",
        n=A,
    )
    got = check(by_name(run(messy_db), A), "P3")
    assert (got["result"], got["value"]) == (
        "fail",
        "高校/科研院所 0 家，企业 1 家，未注明类型 0 家",
    )
    # E's only member is 洛阳理工学院 (高校): a university but no enterprise, none untyped → fail.
    assert check(by_name(run(messy_db), E), "P3")["result"] == "fail"


def test_lead_unit_listed_as_member_does_not_count(messy_db: Path) -> None:
    """Test that H's lead 河南科技大学, also listed as a member, does not fill the 高校 slot."""
    # H's members: 河南科技大学 (高校, = the lead unit), 洛阳中科信息产业研究院 (科研院所),
    # 洛阳智能农业装备研究院有限公司 (untyped). Type the last as 企业 → the institute and it → pass.
    execute(
        messy_db,
        "update members set member_type = '企业' where name = $n",
        n="洛阳智能农业装备研究院有限公司",
    )
    assert check(by_name(run(messy_db), H), "P3")["result"] == "pass"
    # Drop the institute: the only research-side member left is the lead itself → fail.
    execute(messy_db, "delete from members where name = $n", n="洛阳中科信息产业研究院")
    got = check(by_name(run(messy_db), H), "P3")
    assert (got["result"], got["value"]) == (
        "fail",
        "高校/科研院所 0 家，企业 1 家，未注明类型 0 家",
    )


def test_entity_registration_counts_from_its_date(messy_db: Path) -> None:
    """Test that A1 fails for A on 2019-08-14 and passes from its registration on 2019-08-15."""
    # A: listed 2019-06-12, 完成法人注册 2019-08-15.
    before = by_name(run(messy_db, dt.date(2019, 8, 14)), A)
    after = by_name(run(messy_db, dt.date(2019, 8, 15)), A)
    assert before["stage"] == after["stage"] == "cultivation"
    assert (check(before, "A1")["result"], check(before, "A1")["value"]) == ("fail", None)
    assert before["failed"] == ["A1"]
    assert (check(after, "A1")["result"], check(after, "A1")["value"]) == ("pass", "2019-08-15")
    assert after["failed"] == []
    # D holds a national title from 2018 with no 完成法人注册 event → A1 fails (as the brief says).
    assert check(by_name(run(messy_db), DN), "A1")["result"] == "fail"


def test_center_joins_from_its_first_event(messy_db: Path) -> None:
    """Test that J (first event 2025-10-20) appears only from that date, with its checks."""
    assert J not in [r["center"] for r in run(messy_db, dt.date(2025, 10, 19))]
    got = by_name(run(messy_db, dt.date(2025, 10, 20)), J)
    # J: 企业, "0.9亿元" = 9000 < 10000 → E1 fail; 1 patent = the minimum → E3 pass; 12 staff →
    # P1 fail; 注册资本 blank → P2 unknown; 成员单位 blank → P3 unknown; 否/× elsewhere → fail.
    assert (check(got, "E1")["result"], check(got, "E1")["value"]) == ("fail", 9000)
    assert (check(got, "E3")["result"], check(got, "E3")["value"]) == ("pass", 1)
    assert got["unknown"] == ["P2", "P3"]
    assert got["failed"] == ["E1", "E2", "P1", "P4", "P5", "P6", "A1", "A2", "A3"]


def test_untyped_member_keeps_the_members_check_open(messy_db: Path) -> None:
    """Test that B and N, whose enterprise members are untyped, get P3 unknown, not fail."""
    result = run(messy_db)
    # B's cell: 河南科技大学（高校） / 洛阳理工学院(高校) / 中钢洛耐科技股份有限公司 (untyped); N's:
    # 洛阳复合材料研究院（科研院所, = N's lead） / 河南科技大学（高校） / 洛阳科创新材料股份有限公司
    # (untyped). Neither has a typed enterprise, and the untyped member could be one → unknown.
    # (Today the importer stores each of these newline-separated cells as one untyped member;
    # the result is unknown either way.)
    assert check(by_name(result, B), "P3")["result"] == "unknown"
    assert check(by_name(result, N), "P3")["result"] == "unknown"


def test_filters_narrow_the_centers(messy_db: Path) -> None:
    """Test that the county filter keeps 涧西区's A, B, C, L and the form filter 院所型's N."""
    # 涧西区 410305: A (涧西区), B (涧西), C (410305 as a number), L ("410305" as text).
    got = run(messy_db, D5, make_filters(counties=["涧西区"]))
    assert [r["center"] for r in got] == sorted([A, B, C, L])
    assert {r["county"] for r in got} == {"涧西区"}
    assert [r["center"] for r in run(messy_db, D5, make_filters(forms=["院所型"]))] == [N]


def test_one_per_field_flags_crowded_and_empty_fields(messy_db: Path, tmp_path: Path) -> None:
    """Test that the fixture has 19 empty fields and none crowded, until a second bearing center."""
    with db.connect(messy_db) as con:
        got = one_per_field(con, D5, Filters())
    # Live at D5 (in cultivation or holding a title): fields 1 O, 2 C, 3 G, 5 D, 6 A, 8 L, 9 B,
    # 11 N, 12 F, 16 K, 25 M, 29 H — one center each. The other 19 fields have none; in 22 I only
    # applies (applying 1).
    assert got["crowded"] == []
    assert [f["seq"] for f in got["empty"]] == [
        *(4, 7, 10, 13, 14, 15, 17, 18, 19, 20, 21, 22, 23, 24, 26, 27, 28, 30, 31)
    ]
    assert next(f for f in got["empty"] if f["seq"] == 22) == {
        "seq": 22,
        "sector": "新能源",
        "field": "锂电池",
        "applying": 1,
    }
    add_second_bearing_center(messy_db, tmp_path)
    with db.connect(messy_db) as con:
        got = one_per_field(con, D5, Filters())
    # Field 6 now has A (省级 since 2020-11-25) and the new center (listed 2020-09-28).
    assert got["crowded"] == [
        {
            "seq": 6,
            "sector": "先进装备制造业",
            "field": "轴承及基础件",
            "live": 2,
            "centers": [
                {"center": SECOND_BEARING, "county": "洛龙区", "stage_label": "培育中"},
                {"center": A, "county": "涧西区", "stage_label": "省级创新中心"},
            ],
        }
    ]
    json.dumps(got, ensure_ascii=False)


# ------------------------------------------------------------------------ demo register, sanity


def test_demo_register_is_consistent(demo_db: Path) -> None:
    """Test that the demo's centers are those of the centers list, and certified ones pass A1."""
    with db.connect(demo_db) as con:
        got = eligibility(con, DEMO_TODAY, Filters())
        listed = center_list(con, DEMO_TODAY, Filters())
    assert sorted(r["center"] for r in got) == sorted(listed["name"])
    for r in got:
        results = {c["code"]: c["result"] for c in r["checks"]}
        assert r["failed"] == [k for k, v in results.items() if v == "fail"]
        assert r["unknown"] == [k for k, v in results.items() if v == "unknown"]
        # City certification needs an earlier 完成法人注册 (POLICY.md §3).
        if r["stage"] == "city":
            assert results["A1"] == "pass"
    assert any(r["stage"] == "city" for r in got)


def test_eligibility_narrowed_to_stages_is_the_same_entries_for_those_stages(
    demo_db: Path,
) -> None:
    """Test that asking only for centers in cultivation or applying (what the alerts read) gives
    exactly those entries of the full list, checks and members included."""
    with db.connect(demo_db) as con:
        every = eligibility(con, DEMO_TODAY, Filters())
        some = eligibility(con, DEMO_TODAY, Filters(), stages=("cultivation", "applying"))
    wanted = [r for r in every if r["stage"] in ("cultivation", "applying")]
    assert some == wanted
    assert 0 < len(some) < len(every)
