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
the yuan); the arithmetic is Decimal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from mic_tracker import db, parsing
from mic_tracker.errors import TrackerError, UnknownName
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
_ZERO = Decimal(0)
_YUAN = Decimal("0.0001")


class ManualEntryError(TrackerError):
    """A hand-entered amount that cannot be recorded; the message says why, in Chinese."""


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

    def earns(self, day: dt.date) -> bool:
        """Whether a listing or title on this day earns money (on or after applies_from)."""
        return day >= self.applies_from

    def year_beyond(self, year: int) -> bool:
        """Whether a yearly grant for this year falls after the plan's validity."""
        return dt.date(year, 1, 1) > self.validity_end


@dataclass(frozen=True)
class Ev:
    kind: str
    date: dt.date
    level: str | None = None
    eval_year: int | None = None
    result: str | None = None


@dataclass
class Center:
    """One center's facts as of the date: attributes, events, annual R&D and provincial grants."""

    id: int
    name: str
    entity_type: str | None
    info: dict[str, Any]
    held: dict[str, bool]
    events: list[Ev] = field(default_factory=list)
    rd: dict[int, Decimal | None] = field(default_factory=dict)
    grant: dict[int, Decimal | None] = field(default_factory=dict)

    def dates(self, kind: str, level: str | None = None) -> list[dt.date]:
        return [
            e.date for e in self.events if e.kind == kind and (level is None or e.level == level)
        ]


@dataclass
class Part:
    """One grant for one year: the amount, what is still unknown, and why it is what it is."""

    amount: Decimal = _ZERO
    pending: list[tuple[str, str]] = field(default_factory=list)  # (code, Chinese text)
    notes: list[str] = field(default_factory=list)
    beyond: bool = False


# ------------------------------------------------------------------------------ the rules


def f1(c: Center, year: int, r: Rules) -> Part:
    """Cultivation grant for the year (see the module docstring)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if not any(d <= end for d in c.dates("entity_registered")):
        return Part()
    if any(d < start for kind in _TITLE_KINDS for d in c.dates(kind)):
        return Part()
    cancelled = c.dates("cultivation_cancelled")
    listings = [
        d
        for kind in ("cultivation_listed", "province_cultivation_listed")
        for d in c.dates(kind)
        if r.earns(d) and d <= end
    ]
    live = [d for d in listings if not any(d <= x < start for x in cancelled)]
    if not live:
        return Part()
    notes = []
    city = [d for d in live if d in c.dates("cultivation_listed")]
    if city and start > (due := cultivation_end(max(city)).date):
        notes.append(f"培育期已于{due.isoformat()}届满、未认定也未取消：仍在名单上，照列F1")
    return Part(r.cultivation_grant, notes=notes, beyond=r.year_beyond(year))


def _certification_for(c: Center, year: int, r: Rules) -> dt.date | None:
    """The city certification whose support years include `year`, if any."""
    hits = [
        d for d in c.dates("city_certified") if r.earns(d) and d.year < year <= d.year + r.years
    ]
    return max(hits) if hits else None


def _evaluation(c: Center, eval_year: int) -> tuple[str, str | None]:
    """(state, note) of the evaluation of eval_year: pass / fail / pending_eval / pending_rect."""
    evals = sorted((e for e in c.events if e.kind == "evaluation"), key=lambda e: e.date)
    mine = next((e for e in evals if e.eval_year == eval_year), None)
    if mine is None:
        return "pending_eval", None
    if mine.result == "pass":
        return "pass", None
    following = [e.date for e in evals if e.date > mine.date]
    until = min(following) if following else dt.date.max
    rect = next(
        (
            e
            for e in sorted(c.events, key=lambda e: e.date)
            if e.kind == "rectification_evaluation" and mine.date <= e.date < until
        ),
        None,
    )
    if rect is None:
        return "pending_rect", None
    if rect.result == "pass":
        return "pass", f"{eval_year}年度评价不合格，整改后合格：按合格拨付"
    return "fail", f"{eval_year}年度评价不合格，整改评价仍不合格：本年不予补助"


def f2(c: Center, year: int, r: Rules) -> Part:
    """Certified-center grant for the year (see the module docstring)."""
    cert = _certification_for(c, year, r)
    if cert is None:
        return Part()
    start = dt.date(year, 1, 1)
    revoked = [d for d in c.dates("title_revoked", "city") if cert <= d < start]
    if revoked:
        return Part(notes=[f"市级称号已于{min(revoked).isoformat()}撤销：不再补助"])
    prior = year - 1
    beyond = r.year_beyond(year)
    state, note = _evaluation(c, prior)
    if state == "fail":
        if note is None:
            note = f"{prior}年度评价不合格：本年不予补助"
        return Part(notes=[note], beyond=beyond)
    pending: list[tuple[str, str]] = []
    rd = c.rd.get(prior)
    if rd is None:
        pending.append((f"rd_nonfiscal:{prior}", f"{prior}年度非财政研发经费支出未填报"))
    if state == "pending_eval":
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
            hint = min(r.rate * rd, r.cap).quantize(_YUAN)
            pending[-1] = (pending[-1][0], pending[-1][1] + f"；合格则补助{_text(hint)}万元")
        return Part(pending=pending, beyond=beyond)
    assert rd is not None
    amount = min(r.rate * rd, r.cap).quantize(_YUAN)
    notes = [note] if note else []
    if r.rate * rd > r.cap:
        notes.append(
            f"按{prior}年度研发支出{_text(rd)}万元×{_text(r.rate)}超过上限，按{_text(r.cap)}万元"
        )
    return Part(amount, notes=notes, beyond=beyond)


def _province_eligible(c: Center, year: int, r: Rules) -> bool:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    listed = any(r.earns(d) and d <= end for d in c.dates("province_cultivation_listed"))
    if listed and c.entity_type == ENTERPRISE:
        return True
    revoked = c.dates("title_revoked", "province")
    return any(
        r.earns(d) and d <= end and not any(d <= x < start for x in revoked)
        for d in c.dates("province_certified")
    )


def f3(c: Center, year: int, r: Rules) -> Part:
    """Provincial matching for the year (see the module docstring)."""
    grant = c.grant.get(year)
    if not grant or not _province_eligible(c, year, r):
        return Part()
    return Part((r.match_ratio * grant).quantize(_YUAN), beyond=r.year_beyond(year))


def f4(c: Center, year: int, r: Rules) -> Part:
    """One-time rewards for provincial and national certification in the year."""
    amount, beyond, notes = _ZERO, False, []
    for kind, reward in (
        ("province_certified", r.province_reward),
        ("national_certified", r.national_reward),
    ):
        for d in c.dates(kind):
            if d.year == year and r.earns(d):
                amount += reward
                beyond = beyond or d > r.validity_end
                label = load_plan().levels[_TITLE_KINDS[kind]]
                notes.append(f"{d.isoformat()}认定为{label}，一次性奖励")
    return Part(amount, notes=notes, beyond=beyond)


def combine(parts: dict[str, Part]) -> tuple[Decimal, str]:
    """(city_pays, basis): max(F1 + F2, F3) + F4 — 从高，不重复享受; a tie is F1+F2."""
    city = parts["F1"].amount + parts["F2"].amount
    province = parts["F3"].amount
    if province > city:
        return province + parts["F4"].amount, BASIS_F3
    return city + parts["F4"].amount, BASIS_F12


# ------------------------------------------------------------------------------ loading


def _load(
    con: duckdb.DuckDBPyConnection, as_of: dt.date, filters: Filters, max_year: int
) -> list[Center]:
    params = filters.params()
    centers: dict[int, Center] = {}
    for row in db.rows(con, "funding_centers", as_of=as_of, **params):
        centers[row["center_id"]] = Center(
            id=row["center_id"],
            name=row["name"],
            entity_type=row["entity_type"],
            info={
                "county": row["county"],
                "county_code": row["county_code"],
                "field_seq": row["field_seq"],
                "field": row["field"],
                "sector": row["sector"],
                "form": row["form"],
            },
            held={k: bool(row[k]) for k in ("cultivation", "city", "province", "national")},
        )
    for row in db.rows(con, "funding_events", as_of=as_of, **params):
        c = centers.get(row["center_id"])
        if c is not None:
            c.events.append(
                Ev(row["kind"], row["event_date"], row["level"], row["eval_year"], row["result"])
            )
    for row in db.rows(con, "funding_annual", max_year=max_year, **params):
        c = centers.get(row["center_id"])
        if c is not None:
            c.rd[row["year"]] = row["rd_nonfiscal"]
            c.grant[row["year"]] = row["province_grant"]
    return list(centers.values())


def _manual(
    con: duckdb.DuckDBPyConnection, as_of: dt.date, filters: Filters
) -> dict[tuple[int, int], tuple[Decimal, Decimal]]:
    return {
        (r["center_id"], r["year"]): (Decimal(r["case_by_case"]), Decimal(r["disbursed"]))
        for r in db.rows(con, "funding_manual_totals", as_of=as_of, **filters.params())
    }


def _keep(c: Center, levels: tuple[str, ...]) -> bool:
    return not levels or any(c.held.get(level, False) for level in levels)


# ------------------------------------------------------------------------------ public API


def num(value: Decimal) -> int | float:
    """A JSON number for an amount: int when whole, else float to 4 decimals (the yuan)."""
    q = Decimal(value).quantize(_YUAN)
    return int(q) if q == q.to_integral_value() else float(q)


def _text(value: Decimal) -> str:
    return str(num(value))


def _row(
    c: Center,
    year: int,
    parts: dict[str, Part],
    manual: tuple[Decimal, Decimal],
) -> dict[str, Any]:
    pays, basis = combine(parts)
    pending = [p for k in PARTS for p in parts[k].pending]
    beyond_parts = [k for k in PARTS if parts[k].beyond and (parts[k].amount or parts[k].pending)]
    return {
        "center": c.name,
        "year": year,
        **{k: num(parts[k].amount) for k in PARTS},
        "city_pays": num(pays),
        "basis": basis,
        "pending": [code for code, _ in pending],
        "beyond_validity": bool(beyond_parts),
        "center_id": c.id,
        **c.info,
        "manual": num(manual[0]),
        "disbursed": num(manual[1]),
        "pending_text": [text for _, text in pending],
        "notes": [n for k in PARTS for n in parts[k].notes],
        "beyond_parts": beyond_parts,
    }


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
    years = [year] if year is not None else list(range(r.applies_from.year, as_of.year + 1))
    if not years or years[0] < r.applies_from.year:
        return []
    manual = _manual(con, as_of, filters)
    out = []
    for c in _load(con, as_of, filters, min(max(years), as_of.year)):
        if not _keep(c, levels):
            continue
        for y in years:
            parts = {"F1": f1(c, y, r), "F2": f2(c, y, r), "F3": f3(c, y, r), "F4": f4(c, y, r)}
            extra = manual.get((c.id, y), (_ZERO, _ZERO))
            says = any(p.amount or p.pending for p in parts.values()) or any(extra)
            if says:
                out.append(_row(c, y, parts, extra))
    out.sort(key=lambda row: (row["year"], row["field_seq"], row["center"]))
    return out


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
    first = as_of.year + 1
    horizon = list(range(first, first + years))
    out = []
    for c in _load(con, as_of, filters, as_of.year):
        if not _keep(c, levels):
            continue
        for y in horizon:
            parts = {
                "F1": _forecast_f1(c, y, r),
                "F3": f3(c, y, r),
                "F4": Part(),
            }
            f2_part, rd_year = _forecast_f2(c, y, r)
            parts["F2"] = f2_part
            if any(p.amount or p.pending for p in parts.values()):
                row = _row(c, y, parts, (_ZERO, _ZERO))
                row["estimated"] = rd_year is not None
                row["rd_year"] = rd_year
                out.append(row)
    out.sort(key=lambda row: (row["year"], row["field_seq"], row["center"]))
    return out


def _forecast_f1(c: Center, year: int, r: Rules) -> Part:
    if not c.held["cultivation"] or any(c.dates(k) for k in _TITLE_KINDS):
        return Part()
    if not c.dates("entity_registered"):
        return Part()
    listed = [d for d in c.dates("cultivation_listed") if r.earns(d)]
    if not listed:
        return Part()
    end = cultivation_end(max(listed)).date
    if dt.date(year, 1, 1) > end:
        return Part()
    return Part(
        r.cultivation_grant,
        notes=[f"培育期至{end.isoformat()}，按仍在培育估算"],
        beyond=r.year_beyond(year),
    )


def _forecast_f2(c: Center, year: int, r: Rules) -> tuple[Part, int | None]:
    if not c.held["city"]:
        return Part(), None
    cert = _certification_for(c, year, r)
    if cert is None:
        return Part(), None
    known = sorted(y for y, v in c.rd.items() if v is not None and y < year)
    beyond = r.year_beyond(year)
    if not known:
        code = f"rd_nonfiscal:{year - 1}"
        return Part(pending=[(code, "尚无非财政研发经费支出数据，无法估算")], beyond=beyond), None
    rd_year = year - 1 if (year - 1) in known else known[-1]
    rd = c.rd[rd_year]
    assert rd is not None
    amount = min(r.rate * rd, r.cap).quantize(_YUAN)
    note = f"按{rd_year}年度研发支出{_text(rd)}万元估算，假定评价合格"
    return Part(amount, notes=[note], beyond=beyond), rd_year


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
            totals = _manual(con, dt.date.max, Filters())
            before = totals.get((center["id"], year), (_ZERO, _ZERO))
            current = before[0] if key == "case_by_case" else before[1]
            if current + value < 0:
                raise ManualEntryError(
                    f"冲减后{MANUAL_KINDS[key]}合计将为负数（现有{_text(current)}万元）"
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


def manual_entries(
    con: duckdb.DuckDBPyConnection, as_of: dt.date, filters: Filters
) -> pd.DataFrame:
    """The hand-entered amounts (entered on or before as_of), newest first, kind in Chinese."""
    frame = db.run(con, "funding_manual_all", as_of=as_of, **filters.params()).df()
    frame["kind_label"] = frame["kind"].map(MANUAL_KINDS)
    frame["amount"] = frame["amount"].astype(float)
    return frame


def center_names(con: duckdb.DuckDBPyConnection, as_of: dt.date, filters: Filters) -> list[str]:
    """Names of the centers matching the filters, for the entry form."""
    return [r["name"] for r in db.rows(con, "funding_centers", as_of=as_of, **filters.params())]


# ------------------------------------------------------------------------------ summaries

AMOUNT_COLUMNS = [*PARTS, "entitled", "city_pays", "manual", "disbursed"]


def frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """The rows as a table with `entitled` = F1+F2+F3+F4 (before 从高) and `n_pending`."""
    cols = ["center", "year", *PARTS, "city_pays", "basis", "pending", "beyond_validity"]
    out = pd.DataFrame(
        rows,
        columns=[
            *cols,
            "county",
            "field_seq",
            "field",
            "sector",
            "manual",
            "disbursed",
            "pending_text",
            "notes",
        ],
    )
    for col in (*PARTS, "city_pays", "manual", "disbursed"):
        out[col] = pd.to_numeric(out[col]).astype(float)
    out["entitled"] = out[list(PARTS)].sum(axis=1)
    out["n_pending"] = [len(p) for p in out["pending"]]
    return out


def by_year(rows: list[dict[str, Any]], first: int, last: int) -> pd.DataFrame:
    """Per year first..last: the four grants, entitled, city_pays, manual, disbursed, the number
    of pending rows and whether the year lies beyond the plan's validity. Zeros included."""
    return _by_year(frame(rows), first, last)


def _by_year(data: pd.DataFrame, first: int, last: int) -> pd.DataFrame:
    r = Rules.from_plan()
    sums = data.groupby("year")[AMOUNT_COLUMNS].sum()
    pending = data[data["n_pending"] > 0].groupby("year").size()
    out = sums.reindex(range(first, last + 1), fill_value=0.0)
    out["pending_rows"] = pending.reindex(out.index, fill_value=0).astype(int)
    out["beyond"] = [r.year_beyond(y) for y in out.index]
    return out.rename_axis("year").reset_index()


def by_group(rows: list[dict[str, Any]], key: str) -> pd.DataFrame:
    """Totals per county (`county`) or field (`field`): grants, entitled, city_pays, centers."""
    return _by_group(frame(rows), key)


def _by_group(data: pd.DataFrame, key: str) -> pd.DataFrame:
    if data.empty:
        return pd.DataFrame(columns=[key, *AMOUNT_COLUMNS, "centers"])
    sums = data.groupby(key)[AMOUNT_COLUMNS].sum()
    sums["centers"] = data.groupby(key)["center"].nunique()
    return sums.sort_values("city_pays", ascending=False).reset_index()


def pending_table(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Rows with pending items, one line per item, with the explanation."""
    out = [
        {"year": row["year"], "center": row["center"], "code": code, "text": text}
        for row in rows
        for code, text in zip(row["pending"], row["pending_text"], strict=True)
    ]
    return pd.DataFrame(out, columns=["year", "center", "code", "text"])


DETAIL_COLUMNS = [
    "year", "center", "county", *PARTS, "city_pays", "basis", "pending_text",
    "beyond_validity", "beyond_parts", "manual", "disbursed", "notes",
]  # fmt: skip


def page_tables(
    con: duckdb.DuckDBPyConnection,
    as_of: dt.date,
    filters: Filters,
    levels: tuple[str, ...],
    first: int,
    last: int,
    ahead: int,
) -> dict[str, pd.DataFrame]:
    """Everything the 资金 page shows, as tables, from one computation: years first..last,
    county and field totals, the next `ahead` years' forecast, the detail and the pending
    items. Frames, because a page's cache copies its results on every rerun, and copying
    50,000 row dicts at 20,000 centers took seconds; a frame's columns copy at once."""
    rows = funding(con, as_of, filters, None, levels)
    data = frame(rows)
    nxt = as_of.year + 1
    return {
        "years": _by_year(data, first, last),
        "county": _by_group(data, "county"),
        "field": _by_group(data, "field"),
        "future": by_year(forecast(con, as_of, filters, ahead, levels), nxt, nxt + ahead - 1),
        "detail": pd.DataFrame(rows, columns=DETAIL_COLUMNS),
        "pending": pending_table(rows),
    }


def text_lines(rows: list[dict[str, Any]]) -> list[str]:
    """Plain Chinese lines for the CLI without --json."""
    lines = []
    for row in rows:
        parts = "，".join(f"{k} {row[k]}" for k in PARTS if row[k])
        line = (
            f"{row['year']} {row['center']}：市财政应付 {row['city_pays']} 万元（{row['basis']}）"
        )
        if parts:
            line += f"；{parts}"
        if row["pending"]:
            line += "；待定：" + "；".join(row["pending_text"])
        if row["beyond_validity"]:
            line += "；超出方案有效期"
        lines.append(line)
    return lines
