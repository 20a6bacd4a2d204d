"""Deadlines the plan sets (POLICY.md §4, §7): the public notice, the cultivation period, the
rectification period and the yearly summary — each with its state as of a date.

States: done (the act that closes it happened), overdue, due_30 / due_90 / due_180 (days left at
most that many, thresholds from policy data), ok. Done deadlines are listed too.

Worked out for the whole register at once (20,000 centers in the stress test): one plain query
reads the events (queries/deadline_events.sql), numpy finds what opens and closes each deadline,
the calendar is asked once per distinct start date, and states and order are numpy too. (The
same rules as one SQL query took three times as long as reading the events, at 60 centers and
at 20,000: DuckDB's cost grows with a query's steps.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from mic_tracker import db
from mic_tracker.gc_pause import collector_paused
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


class Deadline(NamedTuple):
    """One deadline and its state. A named tuple rather than a frozen dataclass: deadlines()
    makes one per row, 78,000 at stress scale, and a frozen dataclass's __init__ (a call per
    field) took longer than computing them all."""

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
        return self._asdict()


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


@cache
def _state_names() -> tuple[str, ...]:
    return ("overdue", *(f"due_{days}" for days in _alert_days()), "ok", "done")


@cache
def summary_due(year: int) -> Due:
    """When the summary of `year` is due: the policy's month-day of the next year, rolled."""
    month, day = (int(x) for x in load_plan().periods["annual_summary_due"].split("-"))
    return roll_to_working_day(dt.date(year + 1, month, day))


def _summary_of_year(year_end: dt.date) -> Due:
    return summary_due(year_end.year)


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
# the deadlines in the order of their codes below: the openers' first, then the summary
_KINDS = [*(kind for kind, _, _ in OPENERS.values()), "annual_summary"]
_DUE_OF = [*(due_of for _, due_of, _ in OPENERS.values()), _summary_of_year]
SUMMARY = _KINDS.index("annual_summary")
# the events the query reads, as codes: an opener's code is its deadline's
EVENT_KINDS = (
    *OPENERS,
    "city_certified",
    "cultivation_cancelled",
    "rectification_evaluation",
    "title_revoked",
)
# _CLOSES[opener][event]: whether that event kind closes the opener's deadline (codes)
_CLOSES = np.array([[k in closers for k in EVENT_KINDS] for _, _, closers in OPENERS.values()])
FIELDS = list(Deadline._fields)

_EPOCH = dt.date(1970, 1, 1).toordinal()  # numpy's datetime64[D] counts days from 1970
_NONE = np.iinfo(np.int64).min  # the day of an event that did not happen
_ANY_DAY = (1 << 31) - 1  # later than any event


@dataclass(frozen=True)
class _History:
    """The query's events as arrays, sorted by center, date and id (each center's rows
    together); its centers are numbered 0.. in that order, `of_center` their own columns."""

    center: np.ndarray  # the event's center number
    kind: np.ndarray  # index into EVENT_KINDS
    day: np.ndarray  # days since 1970
    id: np.ndarray
    failed: np.ndarray  # result 'fail'
    city: np.ndarray  # level 'city'
    of_center: dict[str, np.ndarray]  # center_id, center, county, place (see _center_order)


def _is(column: pa.ChunkedArray, value: str) -> np.ndarray:
    return pc.fill_null(pc.equal(column, value), False).to_numpy()


def _texts_of(column: pa.ChunkedArray) -> np.ndarray:
    """The column as Python strings, one object per distinct text (a county's name is made
    once, not once per center)."""
    encoded = column.combine_chunks().dictionary_encode()
    return encoded.dictionary.to_numpy(zero_copy_only=False)[encoded.indices.to_numpy()]


def _center_years(center_id: np.ndarray, year: np.ndarray) -> np.ndarray:
    return center_id.astype(np.int64) * 100_000 + year


def _history(table: pa.Table) -> _History:
    day = table["event_date"].to_numpy().astype(np.int64)
    ids, center_id = table["id"].to_numpy(), table["center_id"].to_numpy()
    order = np.lexsort((ids, day, center_id))
    day, ids, center_id = day[order], ids[order], center_id[order]
    starts = np.ones(len(order), dtype=bool)
    starts[1:] = center_id[1:] != center_id[:-1]
    first = np.flatnonzero(starts)
    names = table["center"].take(order[first])
    of_center = {
        "center_id": center_id[first].astype(np.int64),
        "center": names.to_numpy(zero_copy_only=False),
        "county": _texts_of(table["county"].take(order[first])),
        "place": _center_order(names, day[first], ids[first]),
    }
    kind = pc.index_in(table["kind"], value_set=pa.array(EVENT_KINDS)).to_numpy()[order]
    failed, city = _is(table["result"], "fail")[order], _is(table["level"], "city")[order]
    return _History(np.cumsum(starts) - 1, kind, day, ids, failed, city, of_center)


def _center_order(names: pa.Array, first_day: np.ndarray, first_id: np.ndarray) -> np.ndarray:
    """Each center's place by name (Arrow orders UTF-8 bytes, which is Python's order of
    text), centers of the same name by their first event."""
    by_name = pc.rank(names, sort_keys="ascending", tiebreaker="first").to_numpy()
    place = np.empty(len(names), dtype=np.int64)
    place[np.lexsort((first_id, first_day, by_name))] = np.arange(len(names))
    return place


def _last_day(h: _History, rows: np.ndarray, center: np.ndarray, by: np.ndarray) -> np.ndarray:
    """For each center and day (`center`, `by`): the latest day on or before it of an event in
    `rows` (a mask over the history) of that center; _NONE when there is none."""
    if not rows.any():
        return np.full(len(center), _NONE)
    centers, days = h.center[rows], h.day[rows]
    # center and day in one sortable integer: the history is sorted by both
    keys = (centers << 32) + days + (1 << 31)
    found = np.searchsorted(keys, (center << 32) + by + (1 << 31), side="right") - 1
    at = np.maximum(found, 0)
    return np.where((found >= 0) & (centers[at] == center), days[at], _NONE)


def _openers(h: _History) -> dict[str, np.ndarray]:
    """The events that open a deadline (a notice, a listing, a failed evaluation), each done
    when an event that closes it happened on or after its date."""
    evaluation = EVENT_KINDS.index("evaluation")
    rows = np.flatnonzero((h.kind < len(OPENERS)) & ((h.kind != evaluation) | h.failed))
    kind, center, day = h.kind[rows], h.center[rows], h.day[rows]
    done = np.zeros(len(rows), dtype=bool)
    for code in range(len(OPENERS)):
        mine = kind == code
        last = _last_day(h, _CLOSES[code][h.kind], center[mine], np.full(mine.sum(), _ANY_DAY))
        done[mine] = last >= day[mine]
    return {"center": center, "kind": kind, "start": day, "seq": h.id[rows], "done": done}


def _years(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def _year_ends(years: np.ndarray) -> np.ndarray:
    return (years - 1969).astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64) - 1


def _summaries(h: _History, as_of: dt.date, submitted: pa.Table) -> dict[str, np.ndarray]:
    """Each year from a center's first city title to as_of's in which it held the title on
    31 Dec (its last city_certified later than its last city-level title_revoked), done when
    the summary is recorded as submitted."""
    on = h.kind == EVENT_KINDS.index("city_certified")
    off = (h.kind == EVENT_KINDS.index("title_revoked")) & h.city
    certified, first = np.unique(h.center[on], return_index=True)
    first_year = _years(h.day[on][first])
    count = as_of.year - first_year + 1
    center = np.repeat(certified, count)
    year = np.repeat(first_year - np.cumsum(count) + count, count) + np.arange(count.sum())
    end = _year_ends(year)
    held = _last_day(h, on, center, end) > _last_day(h, off, center, end)
    center, year, end = center[held], year[held], end[held]
    recorded = _center_years(submitted["center_id"].to_numpy(), submitted["year"].to_numpy())
    done = np.isin(_center_years(h.of_center["center_id"][center], year), recorded)
    kind = np.full(len(year), SUMMARY)
    return {"center": center, "kind": kind, "start": end, "seq": year, "done": done}


@cache
def _due_days(kind: int, start: int) -> tuple[int, bool, str, str]:
    """Due date and provisional flag of a start date of the kind (an index into _KINDS),
    dates as days since 1970, and the start and due dates as text."""
    day = dt.date.fromordinal(start + _EPOCH)
    due = _DUE_OF[kind](day)
    return due.date.toordinal() - _EPOCH, due.provisional, day.isoformat(), due.date.isoformat()


def _due_dates(kinds: np.ndarray, starts: np.ndarray) -> dict[str, np.ndarray]:
    """Each row's due date, provisional flag, and start and due dates as text (one string
    object per distinct date); the calendar is asked once per distinct kind and start date
    (most centers share their dates)."""
    out = {
        "due": np.empty(len(starts), dtype=np.int64),
        "provisional": np.empty(len(starts), dtype=bool),
        "start_text": np.empty(len(starts), dtype=object),
        "due_text": np.empty(len(starts), dtype=object),
    }
    for kind in range(len(_KINDS)):
        rows = kinds == kind
        distinct, where = np.unique(starts[rows], return_inverse=True)
        found = zip(*(_due_days(kind, int(day)) for day in distinct), strict=True)
        # (found is empty when no row has the kind)
        for column, values in zip(out.values(), found, strict=False):
            column[rows] = np.array(values, dtype=column.dtype)[where]
    return out


def _state_codes(days_left: np.ndarray, done: np.ndarray) -> np.ndarray:
    """state_of over arrays, as indexes into _state_names()."""
    windows = np.array(_alert_days())
    codes = np.where(days_left < 0, 0, 1 + np.searchsorted(windows, days_left))
    return np.where(done, len(_state_names()) - 1, codes)


def _urgency_order(rows: dict[str, np.ndarray], place: np.ndarray) -> np.ndarray:
    """Row order: most urgent first, overdue longest first, done last; ties by center (see
    _center_order), then as a center's rows arose: openers by date and event, then summaries
    by year. A summary is listed only once its due date is within the widest alert window."""
    rank = np.array([STATE_ORDER.index(name) for name in _state_names()])[rows["state"]]
    left, summary = rows["days_left"], rows["kind"] == SUMMARY
    order = np.lexsort((rows["seq"], rows["start"], summary, place[rows["center"]], left, rank))
    return order[~summary[order] | (left[order] <= _alert_days()[-1])]


def _texts(values: Iterable[str]) -> np.ndarray:
    return np.array(list(values), dtype=object)


def _columns(h: _History, rows: dict[str, np.ndarray], order: np.ndarray) -> dict[str, np.ndarray]:
    """The Deadline columns of the rows in that order, columns in FIELDS order; text as Python
    strings, one object per distinct text."""
    used = ("center", "kind", "state", "start_text", "due_text", "days_left", "provisional")
    rows = {k: rows[k][order] for k in used}
    center, kind = rows["center"], rows["kind"]
    states = _texts(_state_names())[rows["state"]]
    return {
        "center": h.of_center["center"][center],
        "center_id": h.of_center["center_id"][center],
        "county": h.of_center["county"][center],
        "kind": _texts(_KINDS)[kind],
        "start": rows["start_text"],
        "due": rows["due_text"],
        "days_left": rows["days_left"],
        "state": states,
        "provisional": rows["provisional"],
        "label": _texts(KIND_LABELS[k] for k in _KINDS)[kind],
        "clause": _texts(CLAUSES[k] for k in _KINDS)[kind],
        "action": np.where(states == "overdue", _texts(ACTIONS[k] for k in _KINDS)[kind], ""),
    }


def deadline_columns(
    con: duckdb.DuckDBPyConnection, as_of: dt.date, filters: Filters, include_done: bool = True
) -> dict[str, np.ndarray]:
    """deadlines() as numpy columns (FIELDS, in order): what deadline_frame and deadlines()
    are built from, and what the alerts read (a frame of a hundred rows cost them ~5 ms)."""
    h = _history(db.arrow(con, "deadline_events", as_of=as_of, **filters.params()))
    found = [_openers(h), _summaries(h, as_of, db.arrow(con, "summaries_submitted"))]
    rows = {k: np.concatenate([f[k] for f in found]) for k in found[0]}
    if not include_done:
        rows = {k: v[~rows["done"]] for k, v in rows.items()}
    rows |= _due_dates(rows["kind"], rows["start"])
    rows["days_left"] = rows["due"] - (as_of.toordinal() - _EPOCH)
    rows["state"] = _state_codes(rows["days_left"], rows["done"])
    return _columns(h, rows, _urgency_order(rows, h.of_center["place"]))


def deadline_frame(
    con: duckdb.DuckDBPyConnection, as_of: dt.date, filters: Filters, include_done: bool = True
) -> pd.DataFrame:
    """deadlines() as a frame: one column per Deadline field, the same rows in the same order.
    Text columns hold Python strings: pandas' own str dtype would copy each into Arrow, and
    the alerts turn them back into Python strings."""
    columns = deadline_columns(con, as_of, filters, include_done)
    return pd.DataFrame(
        {k: pd.Series(v, dtype=object) if v.dtype == object else v for k, v in columns.items()}
    )


def deadlines(
    con: duckdb.DuckDBPyConnection, as_of: dt.date, filters: Filters, include_done: bool = True
) -> list[Deadline]:
    """Every deadline as of the date, most urgent first (overdue longest first), done last.
    Without include_done, only those still open (what the alerts read). The same columns as
    deadline_frame, without the frame."""
    columns = deadline_columns(con, as_of, filters, include_done)
    values = [columns[name].tolist() for name in FIELDS]
    with collector_paused():
        return list(map(Deadline._make, zip(*values, strict=True)))
