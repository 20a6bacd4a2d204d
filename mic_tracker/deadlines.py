"""Deadlines the plan sets (POLICY.md §4, §7): the public notice, the cultivation period, the
rectification period and the yearly summary — each with its state as of a date.

States: done (the act that closes it happened), overdue, due_30 / due_90 / due_180 (days left at
most that many, thresholds from policy data), ok. Done deadlines are listed too.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import cache
from typing import Any

import duckdb

from mic_tracker import db
from mic_tracker.periods import (
    Due,
    cultivation_end,
    notice_end,
    rectification_end,
    roll_to_working_day,
)
from mic_tracker.policy import load_plan
from mic_tracker.report import Filters

KIND_LABELS = {
    "notice_end": "公示期满",
    "cultivation_end": "培育期满",
    "rectification_end": "整改期满",
    "annual_summary": "年度总结",
}
CLAUSES = {
    "notice_end": "四(二) 拟培育名单网上公示，公示期为5个工作日",
    "cultivation_end": "四(三) 培育名单公布2年内仍未达到验收标准的，取消其培育资格",
    "rectification_end": "五 对不合格者，给予半年时间整改",
    "annual_summary": "五 市级制造业创新中心每年对上年工作进行总结",
}
ACTIONS = {
    "notice_end": "公示期已满，应公布培育名单",
    "cultivation_end": "培育期已满仍未认定，应取消培育资格",
    "rectification_end": "整改期已满，应组织整改后评价",
    "annual_summary": "年度总结逾期未提交",
}
STATE_ORDER = ("overdue", "due_30", "due_90", "due_180", "ok", "done")


@dataclass(frozen=True)
class Deadline:
    center: str
    center_id: int
    county: str
    kind: str
    start: str
    due: str
    days_left: int
    state: str
    provisional: bool
    label: str
    clause: str
    action: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def state_of(due: dt.date, as_of: dt.date, done: bool) -> str:
    """done, overdue, or the nearest alert window the due date falls in."""
    if done:
        return "done"
    left = (due - as_of).days
    if left < 0:
        return "overdue"
    for days in _alert_days():
        if left <= days:
            return f"due_{days}"
    return "ok"


@cache
def _alert_days() -> tuple[int, ...]:
    return tuple(sorted(load_plan().periods["alert_days"]))


def _make(
    row: dict[str, Any], kind: str, start: dt.date, due: Due, as_of: dt.date, done: bool
) -> Deadline:
    state = state_of(due.date, as_of, done)
    return Deadline(
        center=row["center"],
        center_id=row["center_id"],
        county=row["county"],
        kind=kind,
        start=start.isoformat(),
        due=due.date.isoformat(),
        days_left=(due.date - as_of).days,
        state=state,
        provisional=due.provisional,
        label=KIND_LABELS[kind],
        clause=CLAUSES[kind],
        action=ACTIONS[kind] if state == "overdue" else "",
    )


def _first_after(events: list[dict[str, Any]], kinds: tuple[str, ...], day: dt.date) -> bool:
    return any(e["kind"] in kinds and e["event_date"] >= day for e in events)


# event kind that opens a deadline -> (its deadline, how the due date follows, what closes it)
OPENERS: dict[str, tuple[str, Callable[[dt.date], Due], tuple[str, ...]]] = {
    "notice_published": ("notice_end", notice_end, ("cultivation_listed",)),
    "cultivation_listed": (
        "cultivation_end",
        cultivation_end,
        ("city_certified", "cultivation_cancelled"),
    ),
    "evaluation": ("rectification_end", rectification_end, ("rectification_evaluation",)),
}


def _center_deadlines(
    events: list[dict[str, Any]], as_of: dt.date, submitted: set[int], include_done: bool
) -> list[Deadline]:
    out = []
    for e in events:
        opener = OPENERS.get(e["kind"])
        if opener is None or (e["kind"] == "evaluation" and e["result"] != "fail"):
            continue
        kind, due_of, closers = opener
        day = e["event_date"]
        done = _first_after(events, closers, day)
        if include_done or not done:
            out.append(_make(e, kind, day, due_of(day), as_of, done))
    out.extend(_summaries(events, as_of, submitted, include_done))
    return out


def _held_city_title(events: list[dict[str, Any]], day: dt.date) -> bool:
    on = [
        e["event_date"] for e in events if e["kind"] == "city_certified" and e["event_date"] <= day
    ]
    off = [
        e["event_date"]
        for e in events
        if e["kind"] == "title_revoked" and e["level"] == "city" and e["event_date"] <= day
    ]
    return bool(on) and (not off or max(on) > max(off))


@cache
def summary_due(year: int) -> Due:
    """When the summary of `year` is due: the policy's month-day of the next year, rolled."""
    month, day = (int(x) for x in load_plan().periods["annual_summary_due"].split("-"))
    return roll_to_working_day(dt.date(year + 1, month, day))


def _summaries(
    events: list[dict[str, Any]], as_of: dt.date, submitted: set[int], include_done: bool
) -> list[Deadline]:
    certified = [e for e in events if e["kind"] == "city_certified"]
    if not certified:
        return []
    horizon = _alert_days()[-1]
    out = []
    for year in range(certified[0]["event_date"].year, as_of.year + 1):
        if year in submitted and not include_done:
            continue
        due = summary_due(year)
        if (due.date - as_of).days > horizon or not _held_city_title(events, dt.date(year, 12, 31)):
            continue
        out.append(
            _make(
                certified[0], "annual_summary", dt.date(year, 12, 31), due, as_of, year in submitted
            )
        )
    return out


def deadlines(
    con: duckdb.DuckDBPyConnection, as_of: dt.date, filters: Filters, include_done: bool = True
) -> list[Deadline]:
    """Every deadline as of the date, most urgent first (overdue longest first), done last.
    Without include_done, only those still open (what the alerts read)."""
    by_center: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in db.rows(con, "deadline_events", as_of=as_of, **filters.params()):
        by_center[row["center_id"]].append(row)
    submitted: dict[int, set[int]] = defaultdict(set)
    for row in db.rows(con, "summaries_submitted"):
        submitted[row["center_id"]].add(row["year"])
    out = [
        d
        for cid, events in by_center.items()
        for d in _center_deadlines(events, as_of, submitted[cid], include_done)
    ]
    return sorted(out, key=lambda d: (STATE_ORDER.index(d.state), d.days_left, d.center))
