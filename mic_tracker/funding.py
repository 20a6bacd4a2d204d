"""City funding per center and calendar year (POLICY.md §6, the plan's 六(一)), in 万元.

Every amount and date comes from the plan file's [funding] and [plan] tables (`load_plan()`);
only the rules are code. For center c and year Y (Y-01-01 = start, Y-12-31 = end):

- F1 培育资助: `F1_cultivation_grant` when, by the end of Y, c had its legal entity (完成法人注册) and
  was on the city cultivation list or a higher one (列入市级培育名单 or 列入省级培育名单), and before
  the start of Y it was neither certified nor cancelled (取消培育资格 after that listing).
- F2 认定补助: in each of the `F2_years` years after the year of 认定为市级,
  min(`F2_rate` × non-fiscal R&D of Y-1, `F2_cap`), paid when the evaluation of year Y-1 passed.
- F3 省级配套: `F3_match_ratio` × the provincial grant received in Y, for centers on the
  provincial cultivation list whose legal entity is an enterprise (企业法人), or provincially
  certified, by the end of Y.
- The city pays max(F1 + F2, F3) + F4 and records which applied (`basis`, ties → "F1+F2"):
  配套资金与市级制造业创新中心补助资金不重复享受.
- F4 一次性奖励: `F4_province_reward` in the year of 认定为省级, `F4_national_reward` in the year of
  认定为国家级.

Readings where the plan is silent (also in docs/DECISIONS.md's spirit: say it, then compute it):

- **Only listings and titles dated on or after `applies_from` earn money** (六: 2019年1月1日后符合
  条件的企业和项目可享受本政策). A listing or title dated before it earns nothing — a national
  center approved in 2018 gets no F4, a provincial list of 2018 no F3. The legal entity may
  predate it: the listing is what qualifies.
- **Rectification restores F2.** 五 says a failed center gets six months to rectify; a passed
  整改评价 (整改后合格) counts as 合格 for the payment of that year. While the rectification result
  is not recorded, the year is "pending" (not 0): it will be paid or refused. A failed
  rectification makes it 0 (and leads to 撤销称号).
- **Pending, not a number**: unknown R&D of Y-1 or no evaluation of Y-1 recorded → F2 counts 0
  in the sums and the row lists what is missing in `pending` (codes) and `pending_text`.
- **Revocation**: a city title revoked before the start of Y ends F2 for Y and later; a
  provincial title revoked before Y ends F3 eligibility by that title.
- **F1 has no end date of its own**: a center still on the list after its two-year cultivation
  period (neither certified nor cancelled, an overdue case) keeps F1 as §6 reads, with a note
  saying the period is over.
- **Certification at any level ends F1** (a center certified provincially without city history is
  no longer a cultivation object); §6 names city certification, which is the usual case.
- F3 needs a provincial grant recorded for Y (年度数据 省级补助资金); no figure → no matching.
- **beyond_validity**: amounts computed for dates after `validity_end` are still computed and
  marked: yearly grants when Y-01-01 > validity_end, F4 when the certification date is.
  `beyond_parts` says which parts of a row that is.
- **As of a date**: only events on or before as_of count, so a past date shows what was known
  then. Annual data carries no date of its own: a year's figures count from that year on.
  Hand-entered amounts count from the day they were entered.
- Rows are listed only when they have something to say: a non-zero amount, a pending item, or a
  hand-entered amount (`manual` = 一事一议 total, `disbursed` = 实际拨付 total).

Amounts in the rows are JSON numbers (int when whole, else float with at most 4 decimals, i.e. to
the yuan). Inside, every amount is a whole number of yuan (万元 to four decimals is the yuan), so
the arithmetic is exact integer arithmetic; products round half to even, as Decimal does.

The rules run over every center and year at once (numpy arrays, one pass per rule), not
center by center: a loop over 20,000 centers and their years took seconds. A center's dated facts
are looked up by (center, day) keys in arrays sorted the way the query orders them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cached_property
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from mic_tracker import db, parsing
from mic_tracker.errors import TrackerError, UnknownName
from mic_tracker.gc_pause import collector_paused
from mic_tracker.periods import cultivation_end
from mic_tracker.policy import Plan, load_plan
from mic_tracker.report import Filters
from mic_tracker.scope import Scope, require_editing, require_write

ENTERPRISE = "企业法人"  # template.ENTITY_TYPES: the legal-entity type F3's listing route needs
PARTS = ("F1", "F2", "F3", "F4")
PART_LABELS = {
    "F1": "F1 培育资助",
    "F2": "F2 认定补助",
    "F3": "F3 省级配套",
    "F4": "F4 一次性奖励",
}
MANUAL_KINDS = {"case_by_case": "一事一议", "disbursed": "实际拨付"}
BASIS_F12 = "F1+F2"
BASIS_F3 = "F3"
_TITLE_KINDS = {
    "city_certified": "city",
    "province_certified": "province",
    "national_certified": "national",
}
_HELD = ("cultivation", "city", "province", "national")  # the titles a center holds
_LISTED = ("cultivation_listed", "province_cultivation_listed")
_REWARDED = ("province_certified", "national_certified")  # F4, in the order its notes come
_YUAN = Decimal("0.0001")
YUAN = 10_000  # yuan in a 万元
_CELL = 10_000  # a center and a year as one integer: center_id * _CELL + year
_DAY_KEY = 4_000_000  # above any date's ordinal (9999-12-31: 3,652,059): center and day as one
_EPOCH = dt.date(1970, 1, 1).toordinal()
_NEVER = np.iinfo(np.int64).max


class ManualEntryError(TrackerError):
    """A hand-entered amount that cannot be recorded; the message says why, in Chinese."""


def to_yuan(value: Decimal) -> int:
    """万元 → whole yuan, a half to even (Decimal.quantize's rounding)."""
    return int((value * YUAN).to_integral_value(ROUND_HALF_EVEN))


@dataclass(frozen=True)
class Rules:
    """The plan's funding terms, as Decimal amounts in 万元 and dates."""

    cultivation_grant: Decimal
    rate: Decimal
    cap: Decimal
    years: int
    match_ratio: Decimal
    province_reward: Decimal
    national_reward: Decimal
    applies_from: dt.date
    validity_end: dt.date

    @classmethod
    def from_plan(cls, plan: Plan | None = None) -> Rules:
        plan = plan or load_plan()
        f = plan.funding

        def dec(key: str) -> Decimal:
            return Decimal(str(f[key]))

        return cls(
            cultivation_grant=dec("F1_cultivation_grant"),
            rate=dec("F2_rate"),
            cap=dec("F2_cap"),
            years=int(f["F2_years"]),
            match_ratio=dec("F3_match_ratio"),
            province_reward=dec("F4_province_reward"),
            national_reward=dec("F4_national_reward"),
            applies_from=plan.applies_from,
            validity_end=plan.validity_end,
        )

    def year_beyond(self, year: int) -> bool:
        """Whether a yearly grant for this year falls after the plan's validity."""
        return dt.date(year, 1, 1) > self.validity_end

    def years_beyond(self, years: np.ndarray) -> np.ndarray:
        """year_beyond of each year (1 January after validity_end is any later year)."""
        return years > self.validity_end.year

    def f2_amounts(self, rd: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(min(rate × R&D, cap) to the yuan, whether rate × R&D is above the cap), R&D in yuan."""
        rate_num, rate_den = self.rate.as_integer_ratio()
        cap_num, cap_den = self.cap.as_integer_ratio()
        exact = rd.astype(object) * rate_num
        over = (exact * cap_den > cap_num * YUAN * rate_den).astype(bool)
        return np.where(over, to_yuan(self.cap), _times(rd, self.rate)), over


def _times(yuan: np.ndarray, factor: Decimal) -> np.ndarray:
    """yuan × factor to the yuan, a half to even: what Decimal's quantize gives, in integers
    (Python's, through object arrays, so no product can overflow)."""
    num, den = factor.as_integer_ratio()
    product = np.asarray(yuan, dtype=np.int64).astype(object) * num
    whole, rest = product // den, product % den
    up = (2 * rest > den) | ((2 * rest == den) & (whole % 2 == 1))
    return (whole + up).astype(np.int64)


def num(value: Decimal) -> int | float:
    """A JSON number for an amount: int when whole, else float to 4 decimals (the yuan)."""
    q = Decimal(value).quantize(_YUAN)
    return int(q) if q == q.to_integral_value() else float(q)


def yuan_num(value: int) -> int | float:
    """num() of an amount in whole yuan (int / int is correctly rounded, as float(Decimal) is)."""
    return value // YUAN if value % YUAN == 0 else value / YUAN


def _text(value: Decimal) -> str:
    return str(num(value))


def _yuan_text(value: int) -> str:
    return str(yuan_num(value))


# ------------------------------------------------------------------------------ the facts

# the event kinds funding_facts reads; events carry the index of theirs
_KINDS = (
    "cultivation_listed",
    "province_cultivation_listed",
    "entity_registered",
    "cultivation_cancelled",
    "city_certified",
    "province_certified",
    "national_certified",
    "title_revoked",
    "evaluation",
    "rectification_evaluation",
)
_LEVELS = ("city", "province", "national")


class Cols(dict[str, np.ndarray]):
    """Columns of equal length as numpy arrays (pandas costs ~0.1 ms an operation, and the
    rules take a hundred of them: at 60 centers that was most of the time)."""

    @property
    def size(self) -> int:
        return len(next(iter(self.values())))

    def take(self, rows: np.ndarray) -> Cols:
        """The rows a mask or positions pick, in that order."""
        return Cols({k: v[rows] for k, v in self.items()})


@dataclass(frozen=True)
class Facts:
    """What the rules read, for the centers matching the filters, as of the date.

    All from queries/funding_facts.sql, kept in Arrow and numpy (pandas costs ~0.1 ms an
    operation). centers: in the order of field and name, with `ids`. events:
    center_id, kind (index in _KINDS), day (the date's ordinal), year, level (index in _LEVELS,
    -1: none), eval_year (-1: none), passed (result pass), in the order of center, date and
    id. annual: cell, center_id, year, rd and grant in whole yuan with rd_known and
    grant_known, ordered by cell. entries: the hand-entered amounts, newest first (entry_id,
    center_id, name, year, kind, amount, yuan, note, entered_at, entered_by).
    """

    centers: pa.Table
    events: Cols
    annual: Cols
    entries: pa.Table
    _picked: dict[tuple[Any, ...], Cols] = field(default_factory=dict, repr=False, compare=False)

    def of(self, *kinds: str, level: str | None = None) -> Cols:
        """The events of these kinds (and level), in order; each choice picked once."""
        key = (*kinds, level)
        if key not in self._picked:
            ev = self.events
            ev = ev.take(np.logical_or.reduce([ev["kind"] == _KINDS.index(k) for k in kinds]))
            if level is not None:
                ev = ev.take(ev["level"] == _LEVELS.index(level))
            self._picked[key] = ev
        return self._picked[key]

    def earning(self, *kinds: str, r: Rules) -> Cols:
        """The events of these kinds dated on or after applies_from (they earn money)."""
        ev = self.of(*kinds)
        return ev.take(ev["day"] >= r.applies_from.toordinal())

    def narrowed(self, filters: Filters) -> Facts:
        """The facts of the centers the filters keep: what load_facts gives with those filters,
        from a city-wide reading (the rows keep their order), so a filter change need not read
        the database again."""
        if not filters.active:
            return self
        c = self.centers
        kept = filters.keeps(
            c["sector"].to_numpy(zero_copy_only=False),
            c["field_seq"].to_numpy(zero_copy_only=False),
            c["county_code"].to_numpy(zero_copy_only=False),
            c["form"].to_numpy(zero_copy_only=False),
        )
        ids = self.ids[kept]
        entry_ids = self.entries["center_id"].to_numpy().astype(np.int64)
        entries = self.entries.filter(np.isin(entry_ids, ids))
        return Facts(
            c.filter(kept),
            self.events.take(np.isin(self.events["center_id"], ids)),
            self.annual.take(np.isin(self.annual["center_id"], ids)),
            entries,
        )

    @cached_property
    def ids(self) -> np.ndarray:
        """The centers' ids, in their order."""
        return self.centers["center_id"].to_numpy().astype(np.int64)

    def holding(self, level: str) -> np.ndarray:
        """The ids of the centers holding the title as of the date."""
        return self.ids[null_false(self.centers[level])]

    def enterprises(self) -> np.ndarray:
        """The ids of the centers whose legal entity is an enterprise (企业法人)."""
        return self.ids[null_false(pc.equal(self.centers["entity_type"], ENTERPRISE))]


def null_false(column: pa.ChunkedArray) -> np.ndarray:
    """A boolean column as numpy, null as False."""
    return pc.fill_null(column, False).to_numpy(zero_copy_only=False).astype(bool)


# funding_facts' columns of each fact, and the order the rules read its rows in
_UP, _DOWN = "ascending", "descending"
_FACTS = {
    "center": (
        ["center_id", "name", "entity_type", "county_code", "county", "field_seq", "field",
         "sector", "form", *_HELD],
        [("field_seq", _UP), ("name", _UP)],
    ),
    "event": (
        ["center_id", "kind", "event_date", "level", "eval_year", "result", "event_id"],
        [("center_id", _UP), ("event_date", _UP), ("event_id", _UP)],
    ),
    "annual": (["center_id", "year", "rd", "grant"], [("center_id", _UP), ("year", _UP)]),
    "entry": (
        ["entry_id", "center_id", "name", "year", "kind", "amount", "yuan", "note",
         "entered_at", "entered_by"],
        [("entered_at", _DOWN), ("entry_id", _DOWN)],
    ),
}  # fmt: skip


def load_facts(
    con: duckdb.DuckDBPyConnection, as_of: dt.date, filters: Filters, max_year: int
) -> Facts:
    """The facts as of the date (queries/funding_facts.sql); annual figures up to max_year."""
    got = db.arrow(con, "funding_facts", as_of=as_of, max_year=max_year, **filters.params())
    # sort_by is stable and compares text as bytes, as the database's ORDER BY does
    facts = {
        name: got.select(columns).filter(pc.equal(got["fact"], name)).sort_by(order)
        for name, (columns, order) in _FACTS.items()
    }
    ev = facts["event"]
    days = ev["event_date"].to_numpy().astype("datetime64[D]").astype(np.int64) + _EPOCH
    events = Cols(
        center_id=ev["center_id"].to_numpy().astype(np.int64),
        kind=_codes(ev["kind"], _KINDS),
        day=days,
        year=pc.year(ev["event_date"]).to_numpy().astype(np.int64),
        level=_codes(ev["level"], _LEVELS),
        eval_year=pc.fill_null(ev["eval_year"], -1).to_numpy().astype(np.int64),
        passed=_codes(ev["result"], ("pass",)) == 0,
    )
    return Facts(facts["center"], events, _annual_cols(facts["annual"]), facts["entry"])


def _codes(column: pa.ChunkedArray, values: Sequence[str]) -> np.ndarray:
    """Each text's index in values, -1 for null or anything else."""
    found = pc.index_in(column, value_set=pa.array(values, type=pa.string()))
    return pc.fill_null(found, -1).to_numpy().astype(np.int64)


def _annual_cols(annual: pa.Table) -> Cols:
    ids = annual["center_id"].to_numpy().astype(np.int64)
    years = annual["year"].to_numpy().astype(np.int64)
    cols = Cols(cell=ids * _CELL + years, center_id=ids, year=years)
    for name in ("rd", "grant"):
        cols[name] = pc.fill_null(annual[name], 0).to_numpy().astype(np.int64)
        cols[f"{name}_known"] = pc.is_valid(annual[name]).to_numpy()
    # a center's year once: the last row, as a dict filled row by row kept it
    return cols.take(_run_ends(cols["cell"]))


def _keys(ids: np.ndarray, values: np.ndarray) -> np.ndarray:
    return ids * _DAY_KEY + values


def _first_from(
    ids: np.ndarray, values: np.ndarray, on: Cols, column: str = "day", after: bool = False
) -> np.ndarray:
    """For each (center, value): the position in `on` (sorted by center_id and `column`) of that
    center's first row with `column` on or after the value (after it, with `after`); -1 if none.
    Among equal values the first row wins, so `on`'s own order breaks ties."""
    keys, sorted_keys = _keys(ids, values), _keys(on["center_id"], on[column])
    pos = np.searchsorted(sorted_keys, keys, side="right" if after else "left")
    found = pos < len(sorted_keys)
    found[found] = on["center_id"][pos[found]] == ids[found]
    return np.where(found, pos, -1)


def _last_before(ids: np.ndarray, values: np.ndarray, on: Cols, column: str) -> np.ndarray:
    """For each (center, value): the position in `on` (sorted by center_id and `column`) of that
    center's last row with `column` below the value; -1 if none."""
    keys, sorted_keys = _keys(ids, values), _keys(on["center_id"], on[column])
    pos = np.searchsorted(sorted_keys, keys, side="left") - 1
    found = pos >= 0
    found[found] = on["center_id"][pos[found]] == ids[found]
    return np.where(found, pos, -1)


def _at(values: np.ndarray, pos: np.ndarray, missing: Any) -> np.ndarray:
    """values at the positions, `missing` where the position is -1."""
    out = np.full(len(pos), missing, dtype=values.dtype)
    hit = pos >= 0
    out[hit] = values[pos[hit]]
    return out


def _lookup(keys: np.ndarray, values: np.ndarray, query: np.ndarray, missing: Any) -> np.ndarray:
    """values of the query keys in (keys, values), keys sorted and unique; `missing` if absent."""
    pos = np.searchsorted(keys, query)
    found = pos < len(keys)
    found[found] = keys[pos[found]] == query[found]
    return _at(values, np.where(found, pos, -1), missing)


def _firsts(ev: Cols, column: str) -> tuple[np.ndarray, np.ndarray]:
    """(center ids, the column of each one's first row) of rows ordered by center and date."""
    ids, first = np.unique(ev["center_id"], return_index=True)
    return ids, ev[column][first]


def _last_by(keys: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(distinct keys, the largest value of each)."""
    order = np.lexsort((values, keys))
    keys, values = keys[order], values[order]
    last = _run_ends(keys)
    return keys[last], values[last]


def _run_ends(keys: np.ndarray) -> np.ndarray:
    """Where each run of equal (sorted) keys ends."""
    return np.append(keys[1:] != keys[:-1], True) if len(keys) else np.zeros(0, dtype=bool)


def _each_year(
    rows: Cols, years: Sequence[int], since: np.ndarray, until: np.ndarray, *columns: str
) -> Cols:
    """Each row once for each of the years from its `since` to its `until` (both included):
    center_id and the named columns, the year as Y and the center-year as cell."""
    span = np.asarray(years, dtype=np.int64)
    row = np.repeat(np.arange(rows.size), len(span))
    year = np.tile(span, rows.size)
    inside = (since[row] <= year) & (year <= until[row])
    row, year = row[inside], year[inside]
    out = Cols({k: rows[k][row] for k in ("center_id", *columns)})
    out["Y"] = year
    out["cell"] = out["center_id"] * _CELL + year
    return out


def _alive(starts: Cols, stops: Cols, years: Sequence[int], *columns: str) -> Cols:
    """Each start (a listing, a certification) in each year it counts: from its own year until
    the year of the center's first stop (a cancellation, a revocation) on or after its day. A
    stop before 1 January of a year ends it for that year; one within the year does not."""
    pos = _first_from(starts["center_id"], starts["day"], stops)
    return _each_year(starts, years, starts["year"], _at(stops["year"], pos, _NEVER), *columns)


# ------------------------------------------------------------------------------ the rules


@dataclass
class Part:
    """One grant for the center-years (cells, sorted) that have it: amounts in whole yuan,
    whether each lies after the plan's validity, and the notes and pending items (code, Chinese
    text) of the cells that have any."""

    cells: np.ndarray
    amount: np.ndarray
    beyond: np.ndarray
    notes: dict[int, tuple[str, ...]] = field(default_factory=dict)
    pending: dict[int, tuple[tuple[str, str], ...]] = field(default_factory=dict)


def _part(cells: np.ndarray, amount: Any, beyond: Any) -> Part:
    n = len(cells)
    return Part(
        np.asarray(cells, dtype=np.int64),
        np.broadcast_to(np.asarray(amount, dtype=np.int64), (n,)),
        np.broadcast_to(np.asarray(beyond, dtype=bool), (n,)),
    )


def f1(f: Facts, years: Sequence[int], r: Rules) -> Part:
    """Cultivation grant (see the module docstring): a listing that earns and is not cancelled
    before the year, the legal entity by its end, no certification before it."""
    live = _alive(f.earning(*_LISTED, r=r), f.of("cultivation_cancelled"), years, "day", "kind")
    entity = _lookup(*_firsts(f.of("entity_registered"), "year"), live["center_id"], _NEVER)
    titled = _lookup(*_firsts(f.of(*_TITLE_KINDS), "year"), live["center_id"], _NEVER)
    live = live.take((entity <= live["Y"]) & (titled >= live["Y"]))
    cells, first = np.unique(live["cell"], return_index=True)
    part = _part(cells, to_yuan(r.cultivation_grant), r.years_beyond(live["Y"][first]))
    # the latest city listing that counts: its cultivation period may be over (an overdue case)
    city = live.take(live["kind"] == _KINDS.index("cultivation_listed"))
    city_cells, listed = _last_by(city["cell"], city["day"])
    ends, which = _cultivation_ends(listed)
    end_years = np.array([e.year for e in ends], dtype=np.int64)
    notes = [f"培育期已于{e.isoformat()}届满、未认定也未取消：仍在名单上，照列F1" for e in ends]
    overdue = end_years[which] < city_cells % _CELL
    for cell, i in zip(city_cells[overdue].tolist(), which[overdue].tolist(), strict=True):
        part.notes[cell] = (notes[i],)
    return part


def _cultivation_ends(listed: np.ndarray) -> tuple[list[dt.date], np.ndarray]:
    """periods.cultivation_end of the distinct listing days (ordinals), and which is each's."""
    days, which = np.unique(listed, return_inverse=True)
    return [cultivation_end(dt.date.fromordinal(d)).date for d in days.tolist()], which


def _certified(f: Facts, years: Sequence[int], r: Rules) -> Cols:
    """The center-years (cell, center_id, Y) in a city certification's support years (the
    F2_years after its year), with the latest such certification's day; sorted by cell."""
    certs = f.earning("city_certified", r=r)
    grid = _each_year(certs, years, certs["year"] + 1, certs["year"] + r.years, "day")
    cells, day = _last_by(grid["cell"], grid["day"])
    return Cols(cell=cells, center_id=cells // _CELL, Y=cells % _CELL, day=day)


def evaluations(f: Facts, eval_years: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """(cells, states) of the centers' evaluations of these years, cells sorted. State: pass;
    rectified (failed, its rectification passed: paid as a pass); fail (the rectification failed
    too); pending_rect (failed, no rectification recorded yet). No evaluation: no cell.

    A year's evaluation is its first (by date); its rectification is the first rectification
    evaluation on or after it and before the center's next evaluation."""
    evals = f.of("evaluation")
    mine = evals.take(np.isin(evals["eval_year"], list(eval_years)))
    cells, first = np.unique(mine["center_id"] * _CELL + mine["eval_year"], return_index=True)
    mine = mine.take(first)
    after = _first_from(mine["center_id"], mine["day"], evals, after=True)
    until = _at(evals["day"], after, _NEVER)
    rects = f.of("rectification_evaluation")
    pos = _first_from(mine["center_id"], mine["day"], rects)
    rectified = (pos >= 0) & (_at(rects["day"], pos, _NEVER) < until)
    passed = _at(rects["passed"], pos, False)
    state = np.select(
        [mine["passed"], rectified & passed, rectified],
        ["pass", "rectified", "fail"],
        "pending_rect",
    )
    return cells, state.astype(object)


def f2(f: Facts, years: Sequence[int], r: Rules) -> Part:
    """Certified-center grant (see the module docstring): in a certification's support years,
    unless the city title was revoked before the year; from the prior year's R&D and
    evaluation, pending while either is unknown."""
    cert = _certified(f, years, r)
    revocations = f.of("title_revoked", level="city")
    pos = _first_from(cert["center_id"], cert["day"], revocations)
    revoked = (pos >= 0) & (_at(revocations["year"], pos, _NEVER) < cert["Y"])
    revoked_on = _at(revocations["day"], pos, 0)
    prior = cert["cell"] - 1
    state = _lookup(*evaluations(f, [y - 1 for y in years]), prior, None)
    rd = _lookup(f.annual["cell"], f.annual["rd"], prior, 0)
    known = _lookup(f.annual["cell"], f.annual["rd_known"], prior, False)
    amount, over = r.f2_amounts(rd)
    rectified = state == "rectified"
    paid = ~revoked & known & ((state == "pass") | rectified)
    part = _part(cert["cell"], np.where(paid, amount, 0), r.years_beyond(cert["Y"]))
    said = np.flatnonzero(~paid | rectified | over)
    limits = (_text(r.rate), _text(r.cap))
    for cell, is_revoked, day, got, rd_i, known_i, amount_i, capped in zip(
        *(a[said].tolist() for a in (cert["cell"], revoked, revoked_on, state, rd, known, amount)),
        (over & paid)[said].tolist(),
        strict=True,
    ):
        notes, pending = _f2_texts(
            cell % _CELL - 1,
            dt.date.fromordinal(day) if is_revoked else None,
            got,
            rd_i if known_i else None,
            amount_i,
            capped,
            limits,
        )
        if notes:
            part.notes[cell] = notes
        if pending:
            part.pending[cell] = pending
    return part


def _f2_texts(
    prior: int,
    revoked_on: dt.date | None,
    state: str | None,
    rd: int | None,
    amount: int,
    over: bool,
    limits: tuple[str, str],
) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """(notes, pending items) of one F2 cell; prior is the year whose R&D and evaluation count,
    state its evaluation (None: not recorded), rd its R&D and amount what it gives, in yuan;
    over: paid at the cap; limits: the rate and the cap as text."""
    if revoked_on is not None:
        return (f"市级称号已于{revoked_on.isoformat()}撤销：不再补助",), ()
    if state == "fail":
        return (f"{prior}年度评价不合格，整改评价仍不合格：本年不予补助",), ()
    pending = []
    if rd is None:
        pending.append((f"rd_nonfiscal:{prior}", f"{prior}年度非财政研发经费支出未填报"))
    if state is None:
        pending.append((f"evaluation:{prior}", f"{prior}年度评价结果未记录"))
    elif state == "pending_rect":
        pending.append(
            (
                f"rectification:{prior}",
                f"{prior}年度评价不合格，整改评价结果未记录（整改后合格仍拨付）",
            )
        )
    if pending:
        if rd is not None:
            code, text = pending[-1]
            pending[-1] = (code, text + f"；合格则补助{_yuan_text(amount)}万元")
        return (), tuple(pending)
    notes = []
    if state == "rectified":
        notes.append(f"{prior}年度评价不合格，整改后合格：按合格拨付")
    if over:
        notes.append(
            f"按{prior}年度研发支出{_yuan_text(rd or 0)}万元×{limits[0]}超过上限，按{limits[1]}万元"
        )
    return tuple(notes), ()


def f3(f: Facts, years: Sequence[int], r: Rules) -> Part:
    """Provincial matching (see the module docstring): a grant recorded for the year, and the
    center an enterprise on the provincial list or provincially certified (not revoked before
    the year) by its end."""
    a = f.annual
    grants = a.take(np.isin(a["year"], list(years)) & a["grant_known"] & (a["grant"] != 0))
    enterprise = f.enterprises()
    listings = f.earning("province_cultivation_listed", r=r)
    listings = listings.take(np.isin(listings["center_id"], enterprise))
    listed = _lookup(*_firsts(listings, "year"), grants["center_id"], _NEVER) <= grants["year"]
    certified = _alive(
        f.earning("province_certified", r=r), f.of("title_revoked", level="province"), years
    )
    grants = grants.take(listed | np.isin(grants["cell"], certified["cell"]))
    return _part(
        grants["cell"], _times(grants["grant"], r.match_ratio), r.years_beyond(grants["year"])
    )


def f4(f: Facts, years: Sequence[int], r: Rules) -> Part:
    """One-time rewards for provincial and national certification in the year."""
    rewards = {"province_certified": r.province_reward, "national_certified": r.national_reward}
    labels = load_plan().levels
    hits = f.earning(*_REWARDED, r=r)
    hits = hits.take(np.isin(hits["year"], list(years)))
    # per center and year the provincial rewards first, then the national, each by date
    rank = np.zeros(len(_KINDS), dtype=np.int64)
    rank[[_KINDS.index(k) for k in _REWARDED]] = range(len(_REWARDED))
    hits = hits.take(np.lexsort((rank[hits["kind"]], hits["year"], hits["center_id"])))
    got: dict[int, list[Any]] = {}
    for center, year, kind, day in zip(
        hits["center_id"].tolist(),
        hits["year"].tolist(),
        hits["kind"].tolist(),
        hits["day"].tolist(),
        strict=True,
    ):
        on, kind_name = dt.date.fromordinal(day), _KINDS[kind]
        cell = got.setdefault(center * _CELL + year, [0, False, []])
        cell[0] += to_yuan(rewards[kind_name])
        cell[1] = cell[1] or on > r.validity_end
        cell[2].append(f"{on.isoformat()}认定为{labels[_TITLE_KINDS[kind_name]]}，一次性奖励")
    cells = np.fromiter(got, dtype=np.int64, count=len(got))
    part = _part(cells, [v[0] for v in got.values()], [v[1] for v in got.values()])
    part.notes.update({cell: tuple(v[2]) for cell, v in got.items()})
    return part


def ahead_f1(f: Facts, years: Sequence[int], r: Rules) -> Part:
    """F1 ahead: centers in cultivation on the date (listed by the city on or after
    applies_from, legal entity registered, no certification at all), in each year that begins
    by the end of the cultivation period of their latest listing — assuming they stay."""
    listings = f.earning("cultivation_listed", r=r)
    ids, listed = _last_by(listings["center_id"], listings["day"])
    keep = (
        np.isin(ids, f.holding("cultivation"))
        & ~np.isin(ids, f.of(*_TITLE_KINDS)["center_id"])
        & np.isin(ids, f.of("entity_registered")["center_id"])
    )
    ends, which = _cultivation_ends(listed[keep])
    centers = Cols(
        center_id=ids[keep],
        end_year=np.array([e.year for e in ends], dtype=np.int64)[which],
        end=which,
    )
    grid = _each_year(centers, years, np.full(len(which), -1), centers["end_year"], "end")
    part = _part(grid["cell"], to_yuan(r.cultivation_grant), r.years_beyond(grid["Y"]))
    notes = [f"培育期至{e.isoformat()}，按仍在培育估算" for e in ends]
    for cell, end in zip(grid["cell"].tolist(), grid["end"].tolist(), strict=True):
        part.notes[cell] = (notes[end],)
    return part


def ahead_f2(f: Facts, years: Sequence[int], r: Rules) -> tuple[Part, np.ndarray]:
    """F2 ahead, and the year whose R&D each estimate uses (0: none): centers holding a city
    title, in their support years, from the latest R&D known before the year (evaluations
    assumed passed); no R&D known at all → pending."""
    cert = _certified(f, years, r)
    cert = cert.take(np.isin(cert["center_id"], f.holding("city")))
    known = f.annual.take(f.annual["rd_known"])
    pos = _last_before(cert["center_id"], cert["Y"], known, "year")
    rd, rd_year = _at(known["rd"], pos, 0), _at(known["year"], pos, 0)
    amount, _ = r.f2_amounts(rd)
    part = _part(cert["cell"], np.where(pos >= 0, amount, 0), r.years_beyond(cert["Y"]))
    for i, cell in enumerate(cert["cell"].tolist()):
        if pos[i] >= 0:
            note = f"按{rd_year[i]}年度研发支出{_yuan_text(int(rd[i]))}万元估算，假定评价合格"
            part.notes[cell] = (note,)
        else:
            code = f"rd_nonfiscal:{cell % _CELL - 1}"
            part.pending[cell] = ((code, "尚无非财政研发经费支出数据，无法估算"),)
    return part, rd_year


# ------------------------------------------------------------------------------ the rows


BEYOND_PARTS = [tuple(k for i, k in enumerate(PARTS) if bits >> i & 1) for bits in range(16)]


@dataclass
class Table:
    """Rows in columns, in their order (year, field, center). `cols`: cell, center_id, year,
    F1–F4, city_pays, manual and disbursed in whole yuan, basis, beyond (bit i: PARTS[i] lies
    after the plan's validity), at (the center's row in `centers`) and, for forecasts, rd_year
    (0: none). Notes and pending items by cell; `centers` the facts' centers."""

    cols: Cols
    notes: dict[int, tuple[str, ...]]
    pending: dict[int, tuple[tuple[str, str], ...]]
    centers: pa.Table

    def take(self, rows: np.ndarray) -> Table:
        """The rows a mask picks (notes and pending stay keyed by cell)."""
        return Table(self.cols.take(rows), self.notes, self.pending, self.centers)

    def center_column(self, name: str) -> pd.Series:
        """A column of the facts' centers for each row."""
        return self.centers[name].take(self.cols["at"]).to_pandas()

    def center_values(self, name: str) -> list[Any]:
        """center_column as Python values, None where missing."""
        return self.centers[name].take(self.cols["at"]).to_pylist()


def _merged(parts: dict[str, Part], attr: str) -> dict[int, tuple[Any, ...]]:
    """Each cell's notes or pending items, part after part."""
    out: dict[int, tuple[Any, ...]] = {}
    for k in PARTS:
        for cell, items in getattr(parts[k], attr).items():
            out[cell] = out.get(cell, ()) + items
    return out


def _spread(cells: np.ndarray, some: np.ndarray, values: np.ndarray, fill: Any) -> np.ndarray:
    """values of `some` cells (a subset of cells) placed among all cells, `fill` elsewhere."""
    out = np.full(len(cells), fill, dtype=values.dtype)
    out[np.searchsorted(cells, some)] = values
    return out


def _table(
    f: Facts,
    parts: dict[str, Part],
    levels: tuple[str, ...],
    manual: Cols | None = None,
    rd_year: np.ndarray | None = None,
) -> Table:
    """The rows that say something — an amount, a pending item or a hand-entered amount — of the
    centers kept, in their order."""
    listed = [p.cells for p in parts.values()] + ([manual["cell"]] if manual else [])
    c = Cols(cell=np.unique(np.concatenate(listed)))
    pending = _merged(parts, "pending")
    says = _combined(c, parts, manual)
    says |= np.isin(c["cell"], np.fromiter(pending, dtype=np.int64, count=len(pending)))
    if rd_year is not None:
        c["rd_year"] = _spread(c["cell"], parts["F2"].cells, rd_year, 0)
    return Table(
        _kept_in_order(f, c.take(says), levels), _merged(parts, "notes"), pending, f.centers
    )


def _combined(c: Cols, parts: dict[str, Part], manual: Cols | None) -> np.ndarray:
    """Adds the cells' center_id, year, F1–F4, beyond, city_pays — max(F1 + F2, F3) + F4 — and
    basis (a tie is F1+F2), manual and disbursed to c; returns where an amount is not 0."""
    cells = c["cell"]
    c["center_id"], c["year"] = cells // _CELL, cells % _CELL
    c["beyond"] = np.zeros(len(cells), dtype=np.int64)
    says = np.zeros(len(cells), dtype=bool)
    for i, k in enumerate(PARTS):
        p = parts[k]
        c[k] = _spread(cells, p.cells, p.amount, 0)
        own = np.fromiter(p.pending, dtype=np.int64, count=len(p.pending))
        counts = (c[k] != 0) | np.isin(cells, own)
        c["beyond"] |= (_spread(cells, p.cells, p.beyond, False) & counts).astype(np.int64) << i
        says |= c[k] != 0
    province = c["F3"] > c["F1"] + c["F2"]
    c["city_pays"] = np.where(province, c["F3"], c["F1"] + c["F2"]) + c["F4"]
    c["basis"] = np.where(province, BASIS_F3, BASIS_F12).astype(object)
    for kind, column in (("case_by_case", "manual"), ("disbursed", "disbursed")):
        zero = np.zeros(len(cells), dtype=np.int64)
        c[column] = _spread(cells, manual["cell"], manual[kind], 0) if manual else zero
        says |= c[column] != 0
    return says


def _kept_in_order(f: Facts, c: Cols, levels: tuple[str, ...]) -> Cols:
    """The rows of the centers kept (holding one of the levels, when any is given), ordered by
    year, field and center, with `at`, the center's row in f.centers. funding_facts lists the
    centers by field and name (in binary order, which is how Python sorts text), so a center's
    place there is its rank."""
    ids = f.ids
    kept = np.ones(len(ids), dtype=bool)
    if levels:
        kept = np.zeros(len(ids), dtype=bool)
        for level in set(levels) & set(_HELD):
            kept |= np.isin(ids, f.holding(level))
    by_id = np.argsort(ids)
    c["at"] = _lookup(ids[by_id], by_id, c["center_id"], -1)
    c = c.take((c["at"] >= 0) & _at(kept, c["at"], False))
    return c.take(np.lexsort((c["at"], c["year"])))


def _manual(entries: pa.Table, years: Sequence[int]) -> Cols:
    """Hand-entered totals by cell (sorted) for the years: case_by_case and disbursed, yuan."""
    year = entries["year"].to_numpy().astype(np.int64)
    mine = np.isin(year, list(years))
    cell = entries["center_id"].to_numpy().astype(np.int64)[mine] * _CELL + year[mine]
    cells, where = np.unique(cell, return_inverse=True)
    out = Cols(cell=cells)
    yuan = entries["yuan"].to_numpy().astype(np.int64)[mine]
    kinds = _codes(entries["kind"], list(MANUAL_KINDS))[mine]
    for i, kind in enumerate(MANUAL_KINDS):
        sums = np.zeros(len(cells), dtype=np.int64)
        np.add.at(sums, where[kinds == i], yuan[kinds == i])
        out[kind] = sums
    return out


def earning_years(r: Rules, as_of: dt.date, year: int | None) -> list[int]:
    """The years whose funding is worked out: `year` alone, or every year from the plan's
    first to as_of's (None); none before the plan applies."""
    years = [year] if year is not None else list(range(r.applies_from.year, as_of.year + 1))
    return [] if not years or years[0] < r.applies_from.year else years


def entitlement(f: Facts, years: Sequence[int], r: Rules, levels: tuple[str, ...] = ()) -> Table:
    """The funding rows of these years from the facts (see `funding`)."""
    parts = {
        "F1": f1(f, years, r),
        "F2": f2(f, years, r),
        "F3": f3(f, years, r),
        "F4": f4(f, years, r),
    }
    return _table(f, parts, levels, manual=_manual(f.entries, years))


def estimate(f: Facts, as_of: dt.date, years: int, r: Rules, levels: tuple[str, ...] = ()) -> Table:
    """The forecast rows of the `years` years after as_of's (see `forecast`)."""
    horizon = list(range(as_of.year + 1, as_of.year + 1 + years))
    f2_part, rd_year = ahead_f2(f, horizon, r)
    none = _part(np.zeros(0, dtype=np.int64), 0, False)
    parts = {"F1": ahead_f1(f, horizon, r), "F2": f2_part, "F3": f3(f, horizon, r), "F4": none}
    return _table(f, parts, levels, rd_year=rd_year)


def _numbers(yuan: np.ndarray) -> list[int | float]:
    """yuan_num of each amount (numpy's division is Python's below 2**53 yuan)."""
    if len(yuan) and np.abs(yuan).max() >= 2**53:
        return [yuan_num(x) for x in yuan.tolist()]
    out = (yuan / YUAN).astype(object)
    whole = yuan % YUAN == 0
    out[whole] = (yuan[whole] // YUAN).astype(object)
    return out.tolist()


INFO = ("county", "county_code", "field_seq", "field", "sector", "form")


ROW_KEYS = (
    "center", "year", *PARTS, "city_pays", "basis", "pending", "beyond_validity", "center_id",
    *INFO, "manual", "disbursed", "pending_text", "notes", "beyond_parts",
)  # fmt: skip


def rows_of(t: Table, forecast: bool = False) -> list[dict[str, Any]]:
    """The table as the CLI's row dicts (see `funding` and `forecast`)."""
    with collector_paused():
        return _dicts(t, forecast)


def _dicts(t: Table, forecast: bool) -> list[dict[str, Any]]:
    c = t.cols
    cells, bits = c["cell"].tolist(), c["beyond"].tolist()
    pending = [t.pending.get(cell, ()) for cell in cells]
    columns = [
        t.center_values("name"),
        c["year"].tolist(),
        *(_numbers(c[k]) for k in (*PARTS, "city_pays")),
        c["basis"].tolist(),
        [[code for code, _ in items] if items else [] for items in pending],
        (c["beyond"] != 0).tolist(),
        c["center_id"].tolist(),
        *(t.center_values(k) for k in INFO),
        _numbers(c["manual"]),
        _numbers(c["disbursed"]),
        [[text for _, text in items] if items else [] for items in pending],
        [list(t.notes.get(cell, ())) for cell in cells],
        [list(BEYOND_PARTS[b]) for b in bits],
    ]
    keys = ROW_KEYS
    if forecast:
        keys = (*keys, "estimated", "rd_year")
        columns += [(c["rd_year"] != 0).tolist(), [y or None for y in c["rd_year"].tolist()]]
    return [dict(zip(keys, values, strict=True)) for values in zip(*columns, strict=True)]


def funding(
    con: duckdb.DuckDBPyConnection,
    as_of: dt.date,
    filters: Filters,
    year: int | None = None,
    levels: tuple[str, ...] = (),
) -> list[dict[str, Any]]:
    """Entitlement and city payout per center and year, from events on or before as_of.

    year=None gives every year from the plan's first to as_of's year; a year gives that year
    only. `levels` (metric keys) keeps centers holding one of those titles as of the date.
    Rows: center, year, F1–F4, city_pays, basis, pending, beyond_validity (the CLI contract),
    plus center_id, county, county_code, field_seq, field, sector, form, manual, disbursed,
    pending_text, notes, beyond_parts. Ordered by year, field and center.
    """
    r = Rules.from_plan()
    years = earning_years(r, as_of, year)
    if not years:
        return []
    facts = load_facts(con, as_of, filters, min(max(years), as_of.year))
    return rows_of(entitlement(facts, years, r, levels))


def forecast(
    con: duckdb.DuckDBPyConnection,
    as_of: dt.date,
    filters: Filters,
    years: int = 3,
    levels: tuple[str, ...] = (),
) -> list[dict[str, Any]]:
    """The next `years` years' entitlement from the statuses as of the date (an estimate).

    - F1 for centers in cultivation on the date (listed, not cancelled, not certified, legal
      entity registered) in each year that begins on or before their cultivation period's last
      day (periods.cultivation_end of the listing) — assuming they stay in cultivation.
    - F2 for centers holding a city title, in their support years: min(rate × R&D, cap) with the
      R&D of the prior year when known, else the latest known R&D (`rd_year` says which), and the
      evaluations assumed passed; marked `estimated`. No R&D known → pending.
    - F3 only where a provincial grant is already recorded for the year; F4 is not forecast
      (no certification is dated in the future).
    Rows have the shape of `funding` rows plus `estimated` and `rd_year`.
    """
    r = Rules.from_plan()
    facts = load_facts(con, as_of, filters, as_of.year)
    return rows_of(estimate(facts, as_of, years, r, levels), forecast=True)


# ------------------------------------------------------------------------------ hand entries


def _kind_key(kind: str) -> str:
    if kind in MANUAL_KINDS:
        return kind
    for key, label in MANUAL_KINDS.items():
        if kind == label:
            return key
    raise ManualEntryError(f"无法识别的金额类别：{kind}；可填：{'、'.join(MANUAL_KINDS.values())}")


def _amount(value: object) -> Decimal:
    """万元: numbers may be negative (a correction); text goes through the import's money rules."""
    if isinstance(value, str):
        got = parsing.parse_money_wan(value)
    elif isinstance(value, bool) or value is None:
        got = None
    else:
        got = Decimal(str(value))
    if got is None or not got.is_finite():
        raise ManualEntryError("请填写金额（万元）")
    got = got.quantize(_YUAN)
    if got == 0:
        raise ManualEntryError("金额不能为0")
    return got


def record_manual(
    path_db: Path,
    center_name: str,
    year: int,
    kind: str,
    amount: object,
    note: str | None,
    actor: str | None = None,
    action: str = "form",
    scope: Scope | None = None,
) -> dict[str, Any]:
    """Record one 一事一议 or 实际拨付 amount (万元) for a center and year, in one transaction
    with its audit row, and bump the data version. A negative amount corrects earlier entries
    (it needs a note, and the center-year total of that kind may not fall below 0).
    Returns the stored entry. Raises ManualEntryError / UnknownName with the reason in Chinese.
    scope is the signed-in person (None: the command line's operator).
    """
    require_editing(scope)
    if scope is not None:
        actor = scope.actor
    r = Rules.from_plan()
    name_key = parsing.normalize_name(center_name)
    if not name_key:
        raise ManualEntryError("请选择或填写中心名称")
    key = _kind_key(kind)
    value = _amount(amount)
    note = parsing.normalize_text(note)
    if not isinstance(year, int) or not r.applies_from.year <= year <= dt.date.today().year + 10:
        raise ManualEntryError(
            f"年度应在 {r.applies_from.year}—{dt.date.today().year + 10} 之间：{year}"
        )
    if value < 0 and not note:
        raise ManualEntryError("负数金额表示更正冲减，请在说明中写明原因")
    actor = actor or db.current_user()
    with db.writing(path_db) as con:
        found = db.rows(con, "funding_center_by_key", name_key=name_key)
        if not found:
            raise UnknownName("中心名称", str(center_name), "已登记的中心名称")
        center = found[0]
        require_write(scope, center["division_code"])
        if value < 0:
            current = db.rows(
                con, "funding_manual_total", center_id=center["id"], year=year, kind=key
            )[0]["yuan"]
            if current + to_yuan(value) < 0:
                raise ManualEntryError(
                    f"冲减后{MANUAL_KINDS[key]}合计将为负数（现有{_yuan_text(current)}万元）"
                )
        got = db.rows(
            con,
            "funding_manual_insert",
            center_id=center["id"],
            year=year,
            kind=key,
            amount=value,
            note=note,
            entered_by=actor,
        )[0]
        entry = {
            "id": got["id"],
            "center": center["name"],
            "year": year,
            "kind": key,
            "amount": num(value),
            "note": note,
            "entered_at": got["entered_at"].isoformat(timespec="seconds"),
            "entered_by": actor,
        }
        db.audit(
            con,
            action,
            "funding_manual",
            f"{center['name']} {year} {MANUAL_KINDS[key]}",
            None,
            entry,
            actor=actor,
        )
        db.mark_changed(con)
    return entry


_ENTRY_COLUMNS = ["id", "center", "year", "kind", "amount", "note", "entered_at", "entered_by"]


def manual_entries(facts: Facts) -> pd.DataFrame:
    """The hand-entered amounts (entered on or before as_of), newest first, kind in Chinese."""
    e = facts.entries
    if not e.num_rows:  # the usual case; a frame of no rows costs as much to make as a few
        return pd.DataFrame(columns=[*_ENTRY_COLUMNS, "kind_label"])
    columns = {
        "id": e["entry_id"],
        "center": e["name"],
        "year": e["year"],
        "kind": e["kind"],
        "amount": pc.cast(e["amount"], pa.float64()),
        "note": e["note"],
        "entered_at": e["entered_at"],
        "entered_by": e["entered_by"],
    }
    frame = pa.table(columns).to_pandas()
    frame["kind_label"] = [MANUAL_KINDS[k] for k in frame["kind"]]
    return frame


def center_names(con: duckdb.DuckDBPyConnection, as_of: dt.date, filters: Filters) -> list[str]:
    """Names of the centers matching the filters, for the entry form."""
    return [r["name"] for r in db.rows(con, "funding_centers", as_of=as_of, **filters.params())]
