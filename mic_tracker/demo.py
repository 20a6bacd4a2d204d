"""Demo data (示例数据): a plausible, internally consistent register for Luoyang.

Each center's whole life is drawn from a seeded generator and then cut at today, so the same
seed always gives the same histories; only how much of them has happened depends on the date.
Every history is checked by the lifecycle rules before it is written. The database is flagged
as demo, and every page and export labels it 示例数据.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from mic_tracker import db, parsing
from mic_tracker.lifecycle import Event, replay
from mic_tracker.policy import Plan, load_plan
from mic_tracker.template import LEAD_UNIT_TYPES

DEFAULT_CENTERS = 60

_PREFIXES = (
    "中原",
    "河洛",
    "龙门",
    "伊洛",
    "牡丹",
    "涧河",
    "洛浦",
    "邙山",
    "周山",
    "九都",
    "天堂",
    "白马",
    "关林",
    "丽景",
    "洛水",
    "伊川河",
    "嵩岳",
    "熊耳",
    "老君",
    "偃月",
)
_UNIVERSITIES = ("河南科技大学", "洛阳理工学院", "洛阳师范学院", "郑州大学", "河南大学")
_INSTITUTES = (
    "中船重工七二五所",
    "中航工业六一三所",
    "中国空空导弹研究院",
    "洛阳耐火材料研究院",
    "洛阳有色金属加工设计研究院",
    "中钢集团洛阳耐火材料研究院",
)
_SUFFIXES = ("科技有限公司", "股份有限公司", "集团有限公司", "新材料有限公司", "装备有限公司")
# County weights: where Luoyang's industry sits (涧西, 高新区, 洛龙 lead), with old names
# appearing as some counties still write them.
_COUNTIES = (
    ("410305", 9),
    ("GXQ", 8),
    ("410311", 6),
    ("410303", 3),
    ("410302", 2),
    ("410304", 2),
    ("410307", 3),
    ("410381", 2),
    ("410308", 2),
    ("410306", 2),
    ("410322", 1),
    ("410323", 2),
    ("410324", 2),
    ("410325", 1),
    ("410326", 1),
    ("410327", 2),
    ("410328", 1),
    ("410329", 2),
    ("JKQ", 4),
    ("YBQ", 3),
)


@dataclass
class _Center:
    row: dict[str, Any]
    members: list[tuple[str, str]]
    events: list[Event] = field(default_factory=list)
    annual: list[dict[str, Any]] = field(default_factory=list)


def _day(rng: random.Random, start: dt.date, lo: int, hi: int) -> dt.date:
    return start + dt.timedelta(days=rng.randint(lo, hi))


class _Generator:
    def __init__(self, plan: Plan, seed: int, n: int) -> None:
        self.plan, self.rng, self.n = plan, random.Random(seed), n
        self.names: set[str] = set()

    def center(self, i: int) -> _Center:
        rng = self.rng
        f = self._field(i)
        prefix = _PREFIXES[i % len(_PREFIXES)]
        name = f"洛阳{prefix}{f.name}创新中心"
        if name in self.names:
            name = f"洛阳{prefix}{f.name}创新中心（{i // len(_PREFIXES) + 1}）"
        self.names.add(name)
        lead_type = rng.choices(LEAD_UNIT_TYPES, weights=(14, 3, 2, 2, 1, 0))[0]
        lead = (
            f"洛阳{prefix}{rng.choice(_SUFFIXES)}"
            if lead_type in ("企业", "院所转制企业")
            else (rng.choice(_UNIVERSITIES) if lead_type == "高校" else rng.choice(_INSTITUTES))
        )
        row = {
            "name": parsing.normalize_text(name),
            "name_key": parsing.normalize_name(name),
            "field_seq": f.seq,
            "form": rng.choices(list(self.plan.forms.values()), weights=(6, 2, 2))[0],
            "lead_unit": lead,
            "lead_unit_type": lead_type,
            "division_code": rng.choices(*zip(*_COUNTIES, strict=True))[0],
            "entity_name": f"洛阳{prefix}{f.name}创新中心有限公司",
            "entity_type": "企业法人" if rng.random() < 0.85 else "民办非企业",
            "registered_capital": Decimal(rng.choice((300, 500, 600, 800, 1000, 1500, 2000, 3000))),
            "tech_staff": rng.randint(18, 120),
            "lead_prior_revenue": Decimal(rng.randint(40, 800) * 100),
            "provincial_carrier": rng.random() < 0.8,
            "patents": rng.randint(0, 60),
            "violations_3y": rng.random() < 0.05,
            "management_in_place": rng.random() < 0.85,
            "internal_systems": rng.random() < 0.8,
            "expert_committee": rng.random() < 0.85,
            "charter": rng.random() < 0.9,
            "open_ip_rules": rng.random() < 0.8,
        }
        members = [(rng.choice(_UNIVERSITIES), "高校"), (rng.choice(_INSTITUTES), "科研院所")]
        for k in range(rng.randint(1, 4)):
            members.append(
                (f"洛阳{_PREFIXES[(i + k + 3) % len(_PREFIXES)]}{rng.choice(_SUFFIXES)}", "企业")
            )
        return _Center(row, list(dict.fromkeys(members)))

    def _field(self, i: int) -> Any:
        # Most fields once, a few popular ones twice, a few none: the one-per-field check
        # then has something to show both ways.
        fields = self.plan.fields
        popular = (1, 8, 9, 26, 22, 6)
        empty = {19, 24, 30, 14}
        usable = [f for f in fields if f.seq not in empty]
        if i < len(usable):
            return usable[i]
        if i < len(usable) + len(popular):
            return fields[popular[i - len(usable)] - 1]
        return self.rng.choice(usable)

    def life(self, c: _Center, i: int) -> None:
        """Draw the center's whole history, start to finish."""
        rng = self.rng
        if i == 0:
            return self._pre_plan_national(c)
        year = self._cohort_year(i)
        applied = dt.date(year, rng.randint(1, 10), rng.randint(1, 28))
        if year == 2019:
            applied = max(applied, dt.date(2019, 3, 20))
        ev = c.events
        d = applied
        for kind, lo, hi in (
            ("applied", 0, 0),
            ("county_recommended", 10, 40),
            ("expert_reviewed", 15, 50),
            ("notice_published", 7, 30),
        ):
            d = _day(rng, d, lo, hi)
            ev.append(Event(kind, d))
            if kind != "notice_published" and rng.random() < 0.06:
                return None  # stalled in the application stage (a notice is followed by the list)
        listed = _day(rng, d, 9, 20)
        ev.append(Event("cultivation_listed", listed))
        has_entity = rng.random() < 0.6
        if has_entity:
            ev.append(Event("entity_registered", _day(rng, listed, -400, -30)))
        return self._cultivation(c, listed, has_entity)

    def _cohort_year(self, i: int) -> int:
        years = (
            2019,
            2019,
            2019,
            2019,
            2019,
            2019,
            2019,
            2020,
            2020,
            2020,
            2020,
            2020,
            2021,
            2021,
            2021,
            2021,
            2022,
            2022,
            2022,
            2022,
            2023,
            2023,
            2023,
            2024,
            2024,
            2024,
            2025,
            2025,
            2026,
        )
        return years[(i - 1) % len(years)]

    def _cultivation(self, c: _Center, listed: dt.date, has_entity: bool) -> None:
        rng, ev = self.rng, c.events
        fate = rng.random()
        if fate < 0.3:  # cancelled at the end of the period
            ev.append(Event("cultivation_cancelled", _day(rng, listed, 735, 800)))
            return
        if fate < 0.4:  # overdue: neither certified nor cancelled
            return
        reg = _day(rng, listed, 60, 500)
        if not has_entity:
            ev.append(Event("entity_registered", reg))
        accept = _day(rng, max(listed, reg if not has_entity else listed), 30, 200)
        ev.append(Event("acceptance_applied", accept))
        certified = _day(rng, accept, 20, 120)
        ev.append(Event("city_certified", certified))
        self._certified(c, certified)

    def _certified(self, c: _Center, certified: dt.date) -> None:
        rng, ev = self.rng, c.events
        failing_year = certified.year + 1 if rng.random() < 0.12 else None
        for year in range(certified.year, 2027):
            when = dt.date(year + 1, rng.randint(3, 6), rng.randint(1, 28))
            passed = year != failing_year
            ev.append(
                Event("evaluation", when, eval_year=year, result="pass" if passed else "fail")
            )
            self._annual(c, year)
            if not passed:
                rect = _day(rng, when, 150, 182)
                ok = rng.random() < 0.6
                ev.append(Event("rectification_evaluation", rect, result="pass" if ok else "fail"))
                if not ok:
                    ev.append(Event("title_revoked", _day(rng, rect, 10, 40), level="city"))
                    return
        if rng.random() < 0.3:
            rec = _day(rng, certified, 200, 500)
            ev.append(Event("recommended_up", rec, level="province"))
            listed = _day(rng, rec, 60, 200)
            ev.append(Event("province_cultivation_listed", listed))
            if rng.random() < 0.6:
                ev.append(Event("province_certified", _day(rng, listed, 200, 600)))

    def _annual(self, c: _Center, year: int) -> None:
        rng = self.rng
        rd = None if rng.random() < 0.08 else Decimal(rng.randint(300, 4500))
        c.annual.append(
            {
                "year": year,
                "rd_nonfiscal": rd,
                "revenue": Decimal(rng.randint(800, 30000)),
                "province_grant": Decimal(rng.choice((0, 0, 0, 100, 200))),
                "new_patents": rng.randint(0, 15),
                "std_local": rng.randint(0, 2),
                "std_industry": rng.randint(0, 2),
                "std_national": rng.randint(0, 1),
                "std_international": 1 if rng.random() < 0.05 else 0,
                "key_projects": rng.randint(0, 6),
                "tech_transfers": rng.randint(0, 8),
                "talents": rng.randint(0, 5),
                "summary_submitted": rng.random() < 0.9,
            }
        )

    def _pre_plan_national(self, c: _Center) -> None:
        """A national center approved before the plan: allowed, flagged as not via the city."""
        c.row["lead_unit_type"] = "企业"
        c.events.append(Event("province_certified", dt.date(2017, 12, 20)))
        c.events.append(Event("national_certified", dt.date(2018, 11, 15)))


def generate(plan: Plan, centers: int, seed: int, today: dt.date) -> list[_Center]:
    """Whole histories, cut at today and checked by the lifecycle rules."""
    gen = _Generator(plan, seed, centers)
    out = []
    for i in range(centers):
        c = gen.center(i)
        gen.life(c, i)
        c.events = sorted((e for e in c.events if e.date <= today), key=Event.sort_key)
        c.annual = [a for a in c.annual if a["year"] < today.year]
        problems, _ = replay(c.events, plan)
        if problems:
            raise AssertionError(f"demo generator made an invalid history: {problems[0].reason}")
        out.append(c)
    return out


def load_demo(
    path: Path,
    centers: int = DEFAULT_CENTERS,
    seed: int = 2019,
    today: dt.date | None = None,
    replace: bool = False,
) -> dict[str, int]:
    """Write a demo register into an empty database (or, with replace, in place of the
    register, in the same transaction) and flag it as demo."""
    plan = load_plan()
    made = generate(plan, centers, seed, today or dt.date.today())
    frames = _frames(made)
    with db.writing(path) as con:
        if replace:
            db.clear_register(con, str(path))
        for name, frame in frames.items():
            con.register(f"demo_{name}", frame)
        db.run(con, "demo_insert")
        db.set_meta(con, "demo", "true")
        db.set_meta(con, "demo_seed", str(seed))
        db.audit(
            con,
            "init",
            "database",
            str(path),
            None,
            {"demo": True, "centers": centers, "seed": seed},
        )
        db.mark_changed(con)
        for name in frames:
            con.unregister(f"demo_{name}")
    return {"centers": len(made), "events": len(frames["events"])}


def _frames(made: list[_Center]) -> dict[str, pd.DataFrame]:
    centers = pd.DataFrame([{**c.row, "position": i} for i, c in enumerate(made)])
    members = pd.DataFrame(
        [
            {"name_key": c.row["name_key"], "position": k, "name": n, "member_type": t}
            for c in made
            for k, (n, t) in enumerate(c.members, start=1)
        ]
    )
    events = pd.DataFrame(
        [
            {
                "name_key": c.row["name_key"],
                "kind": e.kind,
                "event_date": e.date,
                "level": e.level,
                "eval_year": e.eval_year,
                "result": e.result,
                "note": e.note,
            }
            for c in made
            for e in c.events
        ],
        columns=["name_key", "kind", "event_date", "level", "eval_year", "result", "note"],
    )
    annual = pd.DataFrame([{"name_key": c.row["name_key"], **a} for c in made for a in c.annual])
    for frame in (centers, annual):
        for col in frame.columns:
            if frame[col].map(lambda v: isinstance(v, Decimal)).any():
                frame[col] = frame[col].astype(float)
    events["eval_year"] = events["eval_year"].astype("Int64")
    events["note"] = events["note"].astype("string")
    return {"centers": centers, "members": members, "events": events, "annual": annual}
