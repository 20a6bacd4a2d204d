"""The checks of conditions.py a column at a time, over every center of a conditions_centers
read at once: what eligibility() assembles its dicts from, and the failures the alerts read.

Each rule here is the per-check function of conditions.py (check_revenue … check_entity) over
Arrow and numpy columns, and gives what that function gives on each row
(tests/test_conditions_frame.py: every demo center and a randomised register). A row-by-row
pass built 13 dicts per center and normalised each member's name: 2.35 s for 20,000 centers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from mic_tracker import db
from mic_tracker.conditions import (
    CODES,
    ENTERPRISE_TYPES,
    EXEMPT,
    FAIL,
    MEMBERS_RULE,
    PASS,
    RESEARCH_TYPES,
    UNKNOWN,
    check_name,
    make_check,
    plain,
)
from mic_tracker.parsing import normalize_name
from mic_tracker.policy import load_plan
from mic_tracker.report import Filters

# The conditions_centers column each check reads and shows as its value (P3 shows its counts).
VALUE_COLUMNS = {
    "E1": "lead_prior_revenue",
    "E2": "provincial_carrier",
    "E3": "patents",
    "E4": "violations_3y",
    "P1": "tech_staff",
    "P2": "registered_capital",
    "P4": "expert_committee",
    "P5": "charter",
    "P6": "open_ip_rules",
    "A1": "entity_on",
    "A2": "management_in_place",
    "A3": "internal_systems",
}


def read_centers(
    con: duckdb.DuckDBPyConnection,
    as_of: dt.date,
    filters: Filters,
    stages: Iterable[str] | None = None,
) -> pa.Table:
    """conditions_centers as Arrow: the centers matching the filters as of the date, by name,
    only those in `stages` when given."""
    return db.arrow(
        con,
        "conditions_centers",
        as_of=as_of,
        stages=list(stages or ()) or None,
        **filters.params(),
    )


def read_members(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """conditions_members as Arrow: every member of the register (count_members keeps those
    of the centers it counts for)."""
    return db.arrow(con, "conditions_members")


# --------------------------------------------------------------------------------- P3 members


@dataclass(frozen=True)
class MemberCounts:
    """Per center (a row of the centers table): members on record, and of those that count
    (not named like the lead unit) the 高校/科研院所, the 企业 and the untyped ones."""

    listed: np.ndarray
    research: np.ndarray
    enterprise: np.ndarray
    untyped: np.ndarray


def _rows_of(ids: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """The index in `ids` of each of `wanted`, -1 where it is not there."""
    if not len(ids):
        return np.full(len(wanted), -1)
    order = np.argsort(ids, kind="stable")
    at = np.minimum(np.searchsorted(ids[order], wanted), len(ids) - 1)
    return np.where(ids[order][at] == wanted, order[at], -1)


def _name_keys(columns: Iterable[pa.ChunkedArray]) -> np.ndarray:
    """normalize_name of each value of the columns, one after another, as an integer (equal
    keys, equal integers; -1 for no key). Names repeat across centers, so each distinct text
    is normalised once."""
    values = pa.chunked_array(
        [chunk for column in columns for chunk in column.cast(pa.string()).chunks], pa.string()
    )
    encoded = pc.dictionary_encode(values.combine_chunks(), null_encoding="encode")
    known: dict[str, int] = {}
    keys = [normalize_name(v) for v in encoded.dictionary.to_pylist()]
    ids = [-1 if k is None else known.setdefault(k, len(known)) for k in keys]
    return np.asarray(ids, dtype=np.int64)[encoded.indices.to_numpy(zero_copy_only=False)]


def _is_in(column: pa.ChunkedArray, kinds: Iterable[str]) -> np.ndarray:
    """Whether each value is one of the kinds (a missing value is none of them)."""
    mask = pc.is_in(column, value_set=pa.array(list(kinds), pa.string()))
    return _true(mask)


def count_members(centers: pa.Table, members: pa.Table) -> MemberCounts:
    """check_members' counts for every center at once; members of other centers are ignored."""
    n = centers.num_rows
    row = _rows_of(
        centers["center_id"].to_numpy().astype(np.int64),
        members["center_id"].to_numpy().astype(np.int64),
    )
    ours = row >= 0
    kept, owner = members.filter(pa.array(ours)), row[ours]
    keys = _name_keys([centers["lead_unit"], kept["name"]])
    lead = keys[:n][owner]
    counted = (lead < 0) | (keys[n:] != lead)
    types = kept["member_type"]

    def per_center(mask: np.ndarray) -> np.ndarray:
        return np.bincount(owner[mask], minlength=n)

    return MemberCounts(
        listed=np.bincount(owner, minlength=n),
        research=per_center(counted & _is_in(types, RESEARCH_TYPES)),
        enterprise=per_center(counted & _is_in(types, ENTERPRISE_TYPES)),
        untyped=per_center(counted & types.is_null().to_numpy(zero_copy_only=False)),
    )


def members_results(counts: MemberCounts) -> np.ndarray:
    """check_members' result: unknown with nothing recorded, pass with both kinds, else
    unknown while an untyped member could be the missing kind, else fail."""
    both = (counts.research > 0) & (counts.enterprise > 0)
    return np.select([counts.listed == 0, both, counts.untyped > 0], [UNKNOWN, PASS, UNKNOWN], FAIL)


def members_values(counts: MemberCounts) -> list[str | None]:
    """check_members' value: what was counted, none when nothing is recorded."""
    return [
        f"高校/科研院所 {r} 家，企业 {e} 家，未注明类型 {u} 家" if listed else None
        for listed, r, e, u in zip(
            counts.listed.tolist(),
            counts.research.tolist(),
            counts.enterprise.tolist(),
            counts.untyped.tolist(),
            strict=True,
        )
    ]


# ------------------------------------------------------------------------------- other checks


def _true(mask: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """A boolean column as numpy, missing as false."""
    return np.asarray(pc.fill_null(mask, False).to_numpy(zero_copy_only=False), dtype=bool)


def _known(values: pa.ChunkedArray, passed: np.ndarray) -> np.ndarray:
    """unknown where the value is missing, else pass or fail as `passed` says."""
    missing = values.is_null().to_numpy(zero_copy_only=False)
    return np.where(missing, UNKNOWN, np.where(passed, PASS, FAIL))


def _at_least(values: pa.ChunkedArray, minimum: Any) -> np.ndarray:
    """at_least: value ≥ minimum. Decimals compare against the minimum as an exact Decimal,
    as Python compares a Decimal with an int or float."""
    bound = pa.scalar(Decimal(minimum)) if pa.types.is_decimal(values.type) else minimum
    return _known(values, _true(pc.greater_equal(values, bound)))


def _yes(values: pa.ChunkedArray, wanted: bool = True) -> np.ndarray:
    """yes: pass when the answer is the wanted one."""
    return _known(values, _true(pc.equal(values, wanted)))


def _revenue(centers: pa.Table, th: Mapping[str, Any]) -> np.ndarray:
    exempt = _is_in(centers["lead_unit_type"], th["E1_exempt_lead_types"])
    minimum = _at_least(centers["lead_prior_revenue"], th["E1_prior_year_revenue_wan"])
    return np.where(exempt, EXEMPT, minimum)


def _entity(centers: pa.Table, th: Mapping[str, Any]) -> np.ndarray:
    return np.where(centers["entity_on"].is_null().to_numpy(zero_copy_only=False), FAIL, PASS)


Rule = Callable[[pa.Table, Mapping[str, Any]], np.ndarray]
RULES: dict[str, Rule] = {
    "E1": _revenue,
    "E2": lambda t, th: _yes(t["provincial_carrier"]),
    "E3": lambda t, th: _at_least(t["patents"], th["E3_min_patents"]),
    "E4": lambda t, th: _yes(t["violations_3y"], wanted=False),
    "P1": lambda t, th: _at_least(t["tech_staff"], th["P1_min_tech_staff"]),
    "P2": lambda t, th: _at_least(t["registered_capital"], th["P2_min_registered_capital_wan"]),
    "P4": lambda t, th: _yes(t["expert_committee"]),
    "P5": lambda t, th: _yes(t["charter"]),
    "P6": lambda t, th: _yes(t["open_ip_rules"]),
    "A1": _entity,
    "A2": lambda t, th: _yes(t["management_in_place"]),
    "A3": lambda t, th: _yes(t["internal_systems"]),
}


def results(
    centers: pa.Table,
    members: MemberCounts | None,
    thresholds: Mapping[str, Any],
    codes: Iterable[str] = CODES,
) -> dict[str, np.ndarray]:
    """Each check's result (pass, fail, unknown, exempt) for every row of the centers table,
    only for `codes`; `members` is needed only for P3."""
    out = {}
    for code in codes:
        if code == "P3":
            if members is None:
                raise ValueError("P3 needs the member counts")
            out[code] = members_results(members)
        else:
            out[code] = RULES[code](centers, thresholds)
    return out


def codes_where(found: Mapping[str, np.ndarray], result: str, rows: int) -> np.ndarray:
    """Per row, a bit per code of `found` (in its order) set where the code has that result."""
    bits = np.zeros(rows, dtype=np.int64)
    for bit, got in enumerate(found.values()):
        bits |= (got == result).astype(np.int64) << bit
    return bits


def code_lists(bits: np.ndarray, codes: list[str]) -> list[tuple[str, ...]]:
    """codes_where's bits as the codes they stand for, in `codes` order (one tuple per
    distinct set: a register repeats few)."""
    named = {
        b: tuple(c for i, c in enumerate(codes) if b >> i & 1) for b in np.unique(bits).tolist()
    }
    return [named[b] for b in bits.tolist()]


# ------------------------------------------------------------------------ eligibility() entries


def _per_distinct(column: pa.ChunkedArray, fn: Callable[[Any], Any]) -> list[Any]:
    """fn of each value (None stays None), computed once per distinct value."""
    encoded = pc.dictionary_encode(column.combine_chunks(), null_encoding="encode")
    done = np.asarray(
        [None if v is None else fn(v) for v in encoded.dictionary.to_pylist()], dtype=object
    )
    if not len(done):
        return []
    return done[encoded.indices.to_numpy(zero_copy_only=False)].tolist()


def _values(centers: pa.Table, code: str) -> list[Any]:
    """What check `code` shows as its value, per row, as plain JSON."""
    column = centers[VALUE_COLUMNS[code]]
    if pa.types.is_decimal(column.type) or pa.types.is_date(column.type):
        return _per_distinct(column, plain)
    return column.to_pylist()


def _threshold(code: str, thresholds: Mapping[str, Any]) -> Any:
    """The threshold a check shows (make_check makes it plain)."""
    keys = {
        "E1": "E1_prior_year_revenue_wan",
        "E3": "E3_min_patents",
        "P1": "P1_min_tech_staff",
        "P2": "P2_min_registered_capital_wan",
    }
    if code == "P3":
        return MEMBERS_RULE
    return thresholds[keys[code]] if code in keys else None


def _checks(
    code: str, result: np.ndarray, values: list[Any], thresholds: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """make_check's dict for each row, for one code."""
    template = make_check(
        code, PASS, None, _threshold(code, thresholds), check_name(code, thresholds)
    )
    return [
        {**template, "result": r, "value": v} for r, v in zip(result.tolist(), values, strict=True)
    ]


def entries(
    centers: pa.Table, members: MemberCounts, thresholds: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """eligibility()'s dicts for every row of the centers table: center, center_id, county,
    stage, checks (CODES order), failed, unknown."""
    found = results(centers, members, thresholds)
    per_code = [
        _checks(
            code,
            found[code],
            members_values(members) if code == "P3" else _values(centers, code),
            thresholds,
        )
        for code in CODES
    ]
    failed = code_lists(codes_where(found, FAIL, centers.num_rows), list(CODES))
    unknown = code_lists(codes_where(found, UNKNOWN, centers.num_rows), list(CODES))
    columns = [centers[c].to_pylist() for c in ("name", "center_id", "county", "stage")]
    return [
        {
            "center": name,
            "center_id": center_id,
            "county": county,
            "stage": stage,
            "checks": list(checks),
            "failed": list(f),
            "unknown": list(u),
        }
        for name, center_id, county, stage, checks, f, u in zip(
            *columns, zip(*per_code, strict=True), failed, unknown, strict=True
        )
    ]


# ------------------------------------------------------------------------------------ the alerts


class Failure(NamedTuple):
    """A center failing checks that matter in its stage (the failed codes, in CODES order)."""

    center: str
    county: str
    stage: str
    failed: tuple[str, ...]
    center_id: int


def failures(
    con: duckdb.DuckDBPyConnection,
    as_of: dt.date,
    filters: Filters,
    checked: Mapping[str, Collection[str]],
) -> list[Failure]:
    """The centers in the stages of `checked` (stage → the codes that matter in it) that fail
    any of those codes as of the date, by center name. Only the codes of the stages present are
    computed, and the members read only for P3."""
    centers = read_centers(con, as_of, filters, checked)
    stage = np.asarray(centers["stage"].to_pylist(), dtype=object)
    present = set(stage.tolist())
    codes = [c for c in CODES if any(c in checked.get(s, ()) for s in present)]
    members = count_members(centers, read_members(con)) if "P3" in codes else None
    found = results(centers, members, load_plan().thresholds, codes)
    bits = codes_where(found, FAIL, centers.num_rows)
    for name in present:
        bits[stage == name] &= sum(
            1 << i for i, c in enumerate(codes) if c in checked.get(name, ())
        )
    failing = bits != 0
    kept = centers.filter(pa.array(failing))
    return [
        Failure(*row)
        for row in zip(
            kept["name"].to_pylist(),
            kept["county"].to_pylist(),
            kept["stage"].to_pylist(),
            code_lists(bits[failing], codes),
            kept["center_id"].to_pylist(),
            strict=True,
        )
    ]
