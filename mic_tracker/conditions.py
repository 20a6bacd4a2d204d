"""The plan's conditions per center (三, POLICY.md §5), the acceptance conditions (四(三)) and
the one-center-per-field check (四), as of a date, with the report's filters.

Every check gives "pass", "fail", "unknown" (the register has no data) or "exempt", with the
value it read and the threshold it compared against. Thresholds come from the plan file
([thresholds] of data/policy/*.toml); nothing here types a number the plan states.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, NamedTuple

import duckdb
import numpy as np

from mic_tracker import db
from mic_tracker import fields as field_report
from mic_tracker.narrowing import ByCenter
from mic_tracker.parsing import normalize_name
from mic_tracker.policy import load_plan
from mic_tracker.report import Filters
from mic_tracker.stages import STAGE_LABELS

PASS = "pass"
FAIL = "fail"
UNKNOWN = "unknown"
EXEMPT = "exempt"
RESULTS = (PASS, FAIL, UNKNOWN, EXEMPT)

# code -> (Chinese short name, the plan's clause). E4's name is built from E4_clean_years.
CHECKS: dict[str, tuple[str, str]] = {
    "E1": ("上年度销售收入", "三(一)1"),
    "E2": ("省级以上创新载体", "三(一)1"),
    "E3": ("有效发明专利或软件著作权", "三(一)2"),
    "E4": ("近{years}年无违法行为", "三(一)5"),
    "P1": ("专业技术人员", "三(二)2"),
    "P2": ("注册资本", "三(二)3"),
    "P3": ("成员单位构成", "三(二)2"),
    "P4": ("技术专家委员会", "三(二)6"),
    "P5": ("章程及运营机制", "三(二)5"),
    "P6": ("开放合作与知识产权制度", "三(二)7"),
    "A1": ("法人注册完成", "四(三)"),
    "A2": ("管理层到位", "四(三)"),
    "A3": ("内部管理制度运行", "四(三)"),
}
CODES = tuple(CHECKS)
ACCEPTANCE_CODES = ("A1", "A2", "A3")

# 三(二)2: members from 科研院所 and 高等院校, and enterprises (a converted institute is an enterprise).
RESEARCH_TYPES = ("高校", "科研院所")
ENTERPRISE_TYPES = ("企业", "院所转制企业")
MEMBERS_RULE = "高校或科研院所、企业各至少1家（不含牵头单位）"


def plain(value: Any) -> Any:
    """A value as plain JSON: Decimal → int when whole else float, dates → ISO text."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def check_name(code: str, thresholds: Mapping[str, Any]) -> str:
    """A check's short name as shown; E4's says how many clean years the plan asks for."""
    name = CHECKS[code][0]
    return name.format(years=thresholds["E4_clean_years"]) if code == "E4" else name


def make_check(
    code: str, result: str, value: Any = None, threshold: Any = None, name: str | None = None
) -> dict[str, Any]:
    """One check as the JSON the CLI and the pages show."""
    if result not in RESULTS:
        raise ValueError(f"unknown result {result!r}")
    default_name, clause = CHECKS[code]
    return {
        "code": code,
        "name": name or default_name,
        "clause": clause,
        "result": result,
        "value": plain(value),
        "threshold": plain(threshold),
    }


def at_least(code: str, value: Any, threshold: Any) -> dict[str, Any]:
    """pass when value ≥ threshold, fail below it, unknown when the value is missing."""
    if value is None:
        return make_check(code, UNKNOWN, None, threshold)
    return make_check(code, PASS if value >= threshold else FAIL, value, threshold)


def yes(
    code: str, value: bool | None, wanted: bool = True, name: str | None = None
) -> dict[str, Any]:
    """A yes/no check: pass when the answer is the wanted one, unknown when it is missing."""
    if value is None:
        return make_check(code, UNKNOWN, None, None, name)
    return make_check(code, PASS if bool(value) == wanted else FAIL, bool(value), None, name)


# ------------------------------------------------------------------------------ 三(一) lead unit


def check_revenue(
    revenue: Any, lead_type: str | None, thresholds: Mapping[str, Any]
) -> dict[str, Any]:
    """E1: the lead's prior-year sales revenue (万元) ≥ the plan's minimum, unless the lead is
    not an enterprise or is a converted research institute (exempt)."""
    minimum = thresholds["E1_prior_year_revenue_wan"]
    if lead_type in thresholds["E1_exempt_lead_types"]:
        return make_check("E1", EXEMPT, revenue, minimum)
    return at_least("E1", revenue, minimum)


def check_carrier(has_carrier: bool | None) -> dict[str, Any]:
    """E2: the lead has a provincial-or-higher innovation carrier."""
    return yes("E2", has_carrier)


def check_patents(patents: Any, thresholds: Mapping[str, Any]) -> dict[str, Any]:
    """E3: valid invention patents or software copyrights ≥ the plan's minimum."""
    return at_least("E3", patents, thresholds["E3_min_patents"])


def check_violations(violations: bool | None, thresholds: Mapping[str, Any]) -> dict[str, Any]:
    """E4: no environmental, safety, IP or tax violation in the recent years; the value is
    whether the register records a violation (true → fail)."""
    return yes("E4", violations, wanted=False, name=check_name("E4", thresholds))


# ------------------------------------------------------------------------ 三(二) construction plan


def check_tech_staff(staff: Any, thresholds: Mapping[str, Any]) -> dict[str, Any]:
    """P1: technical staff ≥ the plan's minimum."""
    return at_least("P1", staff, thresholds["P1_min_tech_staff"])


def check_capital(capital: Any, thresholds: Mapping[str, Any]) -> dict[str, Any]:
    """P2: registered capital (万元) ≥ the plan's minimum."""
    return at_least("P2", capital, thresholds["P2_min_registered_capital_wan"])


def check_members(
    members: Iterable[tuple[str, str | None]], lead_unit: str | None
) -> dict[str, Any]:
    """P3: besides the lead unit, at least one 高校 or 科研院所 and at least one 企业
    (院所转制企业 counts as one) among the members.

    A member named like the lead unit does not count. No members at all → unknown (nothing
    recorded). A member without a type could be either kind, so when the typed members do not
    satisfy the rule and any counted member is untyped, the check is unknown, not fail. The
    value says what was counted."""
    listed = list(members)
    lead_key = normalize_name(lead_unit)
    counted = [(n, t) for n, t in listed if lead_key is None or normalize_name(n) != lead_key]
    research = sum(t in RESEARCH_TYPES for _, t in counted)
    enterprise = sum(t in ENTERPRISE_TYPES for _, t in counted)
    untyped = sum(t is None for _, t in counted)
    value = f"高校/科研院所 {research} 家，企业 {enterprise} 家，未注明类型 {untyped} 家"
    if not listed:
        return make_check("P3", UNKNOWN, None, MEMBERS_RULE)
    if research and enterprise:
        result = PASS
    elif untyped:
        result = UNKNOWN
    else:
        result = FAIL
    return make_check("P3", result, value, MEMBERS_RULE)


def check_expert_committee(value: bool | None) -> dict[str, Any]:
    """P4: a technical expert committee is set up."""
    return yes("P4", value)


def check_charter(value: bool | None) -> dict[str, Any]:
    """P5: a charter and an operating mechanism."""
    return yes("P5", value)


def check_open_ip_rules(value: bool | None) -> dict[str, Any]:
    """P6: open cooperation and IP (technology transfer, patent protection) rules."""
    return yes("P6", value)


# ----------------------------------------------------------------------- 四(三) acceptance


def check_entity(registered_on: dt.date | None) -> dict[str, Any]:
    """A1: the legal entity is registered — an entity_registered event on or before the as-of
    date (the caller passes only such a date). The value is that date, or None."""
    return make_check("A1", FAIL if registered_on is None else PASS, registered_on, None)


def check_management(value: bool | None) -> dict[str, Any]:
    """A2: the management team is in place and working."""
    return yes("A2", value)


def check_internal_systems(value: bool | None) -> dict[str, Any]:
    """A3: internal management systems are in place and running."""
    return yes("A3", value)


# ------------------------------------------------------------------------------------ per center


def center_checks(
    row: Mapping[str, Any],
    members: Iterable[tuple[str, str | None]],
    thresholds: Mapping[str, Any],
) -> list[dict[str, Any]]:
    """All checks of one center (a conditions_centers row), in CODES order."""
    return [
        check_revenue(row["lead_prior_revenue"], row["lead_unit_type"], thresholds),
        check_carrier(row["provincial_carrier"]),
        check_patents(row["patents"], thresholds),
        check_violations(row["violations_3y"], thresholds),
        check_tech_staff(row["tech_staff"], thresholds),
        check_capital(row["registered_capital"], thresholds),
        check_members(members, row["lead_unit"]),
        check_expert_committee(row["expert_committee"]),
        check_charter(row["charter"]),
        check_open_ip_rules(row["open_ip_rules"]),
        check_entity(row["entity_on"]),
        check_management(row["management_in_place"]),
        check_internal_systems(row["internal_systems"]),
    ]


def eligibility(
    con: duckdb.DuckDBPyConnection,
    as_of: dt.date,
    filters: Filters,
    stages: tuple[str, ...] | None = None,
) -> list[dict[str, Any]]:
    """One dict per center matching the filters as of the date, by center name: center,
    center_id, county (today's unit), stage (a STAGE_LABELS key), checks (E1–E4, P1–P6, A1–A3),
    failed and unknown (the codes with that result). Centers whose every event is after the
    date are left out; centers with no events stay. Acceptance checks (A*) are computed for
    every center; they matter for centers in cultivation. `stages` keeps only centers in those
    stages. Each check is what center_checks gives, computed a column at a time
    (conditions_frame)."""
    # Imported here: conditions_frame builds on this module's constants and check functions.
    from mic_tracker import conditions_frame as frame

    centers = frame.read_centers(con, as_of, filters, stages)
    members = frame.count_members(centers, frame.read_members(con))
    return frame.entries(centers, members, load_plan().thresholds)


# ------------------------------------------------------------------------------- 四 one per field


def one_per_field(
    con: duckdb.DuckDBPyConnection, as_of: dt.date, filters: Filters
) -> dict[str, list[dict[str, Any]]]:
    """四 原则上一个重点行业领域建设一个制造业创新中心, as of the date, over the fields the sector
    and field filters leave (county and form filters narrow the centers counted).

    "crowded": fields with more than one live center (in cultivation or holding any title), in
    annex order: seq, sector, field, live (count), centers [{center, county, stage_label}].
    "empty": fields with no live center: seq, sector, field, applying (centers applying there).
    What fields.one_per_field gives, from a narrower query (field_states) in plain Python:
    the alerts and the briefing run it on every filter change."""
    return one_per_field_from(field_states(con, as_of, filters), filters)


class FieldState(NamedTuple):
    """A row of queries/field_check.sql: a live or applying center as of a date."""

    seq: int
    name: str
    county: str  # today's unit
    stage: str
    live: bool  # in cultivation or holding any title
    applying: bool
    county_code: str
    cultivation: bool
    city: bool
    province: bool
    national: bool
    center_id: int


def field_states(
    con: duckdb.DuckDBPyConnection, as_of: dt.date, filters: Filters
) -> list[FieldState]:
    """The live or applying centers matching the filters as of the date, by field then name."""
    rows = db.run(con, "field_check", as_of=as_of, **filters.params()).fetchall()
    return list(map(FieldState._make, rows))


def field_states_by_center(
    con: duckdb.DuckDBPyConnection, as_of: dt.date, filters: Filters
) -> ByCenter[FieldState]:
    """field_states with each row's center (a page narrows them to its filters)."""
    states = field_states(con, as_of, filters)
    return ByCenter(states, np.array([s.center_id for s in states], dtype=np.int64))


def one_per_field_from(
    states: list[FieldState], filters: Filters
) -> dict[str, list[dict[str, Any]]]:
    """one_per_field from field_states of the same date and filters."""
    live: dict[int, list[FieldState]] = {}
    applying: dict[int, int] = {}
    for row in states:
        if row.live:
            live.setdefault(row.seq, []).append(row)
        applying[row.seq] = applying.get(row.seq, 0) + row.applying
    fields = [f for f in load_plan().fields if field_report.in_scope(f.seq, f.sector, filters)]
    crowded = [
        {
            "seq": f.seq,
            "sector": f.sector,
            "field": f.name,
            "live": len(live[f.seq]),
            "centers": [
                {"center": row.name, "county": row.county, "stage_label": STAGE_LABELS[row.stage]}
                for row in live[f.seq]
            ],
        }
        for f in fields
        if len(live.get(f.seq, ())) > 1
    ]
    empty = [
        {"seq": f.seq, "sector": f.sector, "field": f.name, "applying": applying.get(f.seq, 0)}
        for f in fields
        if f.seq not in live
    ]
    return {"crowded": crowded, "empty": empty}
