"""The 数据 page's forms: add or edit a center, add a member, record an event, enter a year's
data. Each reads its input with the import's rules (same accepted spellings, same messages),
writes with its audit row in one transaction, and bumps the data version.

Edits are optimistic: the form keeps what it opened, and a save whose record changed since
then is refused with the changes listed (EditConflict), never written over.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from mic_tracker import db, parsing
from mic_tracker.changes import display
from mic_tracker.errors import EditConflict, FormRejected, RowError
from mic_tracker.importer import Cells, Ref, event_level
from mic_tracker.lifecycle import Event, replay
from mic_tracker.policy import Plan, load_plan
from mic_tracker.reference import load_resolver
from mic_tracker.scope import Scope, require_write
from mic_tracker.template import (
    ANNUAL_COLUMNS,
    CENTER_COLUMNS,
    EVENT_COLUMNS,
    MEMBER_TYPES,
    SHEET_ANNUAL,
    SHEET_CENTERS,
    SHEET_EVENTS,
    Column,
)
from mic_tracker.writer import ANNUAL_KEYS, CENTER_KEYS, insert_event, stored_event

FORM = "表单"
CENTER_FORM = tuple(c for c in CENTER_COLUMNS if c.key != "members")
EVENT_FORM = tuple(c for c in EVENT_COLUMNS if c.key != "center")
ANNUAL_FORM = tuple(c for c in ANNUAL_COLUMNS if c.key not in ("center", "year"))


@dataclass
class Saved:
    """What a form wrote: the record's name, and each change as (what, before, after)."""

    record: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    row: dict[str, Any] = field(default_factory=dict)


def _read(columns: tuple[Column, ...], raw: dict[str, Any], sheet: str) -> dict[str, Any]:
    errors: list[RowError] = []
    cells = Cells(Ref(FORM, sheet, None), load_plan(), load_resolver(), errors)
    values = {c.key: cells.read(c, raw.get(c.key)) for c in columns}
    if errors:
        raise FormRejected(errors)
    return values


def _refuse(column: str | None, value: object, reason: str, accepted: str = "") -> FormRejected:
    shown = None if value is None else str(value)
    return FormRejected([RowError(FORM, "", None, column, shown, reason, accepted)])


def show(col: Column, value: Any, plan: Plan | None = None) -> str:
    """A stored value as the form and the conflict message show it."""
    return display(col, value, plan or load_plan())


def _changes(
    columns: tuple[Column, ...], before: dict[str, Any], after: dict[str, Any]
) -> list[tuple[str, str, str]]:
    plan = load_plan()
    return [
        (c.header, show(c, before.get(c.key), plan), show(c, after.get(c.key), plan))
        for c in columns
        if before.get(c.key) != after.get(c.key)
    ]


def _last_writer(con: duckdb.DuckDBPyConnection, entity: str, key: str) -> str | None:
    found = db.rows(con, "audit_latest", entity=entity, entity_key=key)
    if not found:
        return None
    last = found[0]
    return f"{last['actor']}，{last['logged_at']:%Y-%m-%d %H:%M:%S}"


def _center(con: duckdb.DuckDBPyConnection, center_id: int) -> dict[str, Any]:
    found = db.rows(con, "center_by_id", id=center_id)
    if not found:
        raise _refuse(
            None,
            None,
            "该中心不在登记册中，或不在您可以查看的范围内（也可能已被他人删除），请刷新页面",
        )
    return found[0]


def _writable(con: duckdb.DuckDBPyConnection, center_id: int, who: Scope | None) -> dict[str, Any]:
    """The stored center, when this person may change it."""
    center = _center(con, center_id)
    require_write(who, center["division_code"])
    return center


def _actor(who: Scope | None) -> str:
    return who.actor if who is not None else db.current_user()


# centers -----------------------------------------------------------------------------------
def open_center(path_db: Path, center_id: int, who: Scope | None) -> dict[str, Any]:
    """The stored center as the edit form opens it (keep it: saving compares against it).
    who is the signed-in person (None: the command line's operator)."""
    with db.connect(path_db, create=False, scope=who) as con:
        return _center(con, center_id)


def save_center(
    path_db: Path, raw: dict[str, Any], opened: dict[str, Any] | None, who: Scope | None
) -> Saved:
    """Add a center (opened is None) or save an edit of the center as it was opened.

    raw holds the form's values by template column key, written the way a spreadsheet
    cell may be. Raises FormRejected for bad input and EditConflict when the stored center
    is no longer the one that was opened.
    """
    values = _read(CENTER_FORM, raw, SHEET_CENTERS)
    name = values.pop("name")
    key = parsing.normalize_name(name) or ""
    require_write(who, values["division_code"])
    actor = _actor(who)
    with db.writing(path_db) as con:
        same_name = db.rows(con, "center_by_key", name_key=key)
        if same_name and (opened is None or same_name[0]["id"] != opened["id"]):
            raise _refuse(
                "中心名称", name, "已有同名中心", "另一个名称；要修改该中心请在「编辑中心」中打开它"
            )
        if opened is None:
            return _add_center(con, name, key, values, actor)
        require_write(who, _center(con, opened["id"])["division_code"])
        return _edit_center(con, name, key, values, opened, actor)


def _add_center(
    con: duckdb.DuckDBPyConnection, name: str, key: str, values: dict[str, Any], actor: str
) -> Saved:
    row = {**values, "name": name, "name_key": key}
    got = db.run(con, "center_insert", **row).fetchall()
    row["id"] = got[0][0]
    db.audit(con, "form", "center", name, None, row, actor=actor)
    db.mark_changed(con)
    return Saved(name, _changes(CENTER_FORM, {}, row), row=row)


def _edit_center(
    con: duckdb.DuckDBPyConnection,
    name: str,
    key: str,
    values: dict[str, Any],
    opened: dict[str, Any],
    actor: str,
) -> Saved:
    current = _center(con, opened["id"])
    if current["version"] != opened["version"]:
        raise EditConflict(
            opened["name"],
            _changes(CENTER_FORM, opened, current),
            _last_writer(con, "center", current["name"]),
        )
    row = {**{k: current[k] for k in CENTER_KEYS}, **values, "name": name, "name_key": key}
    changes = _changes(CENTER_FORM, current, row)
    if not changes:
        return Saved(name, row=current)
    db.run(con, "center_update", id=current["id"], **row).fetchall()
    before = {k: v for k, v in current.items() if k != "updated_at"}
    db.audit(con, "form", "center", name, before, row, actor=actor)
    db.mark_changed(con)
    return Saved(name, changes, row={**current, **row, "version": current["version"] + 1})


# members -----------------------------------------------------------------------------------
def add_member(
    path_db: Path, center_id: int, name: object, member_type: str | None, who: Scope | None
) -> Saved:
    """Append a member unit to a center; the same unit twice is refused."""
    text = parsing.normalize_text(name)
    if not text:
        raise _refuse("成员单位名称", None, "必填项为空", "成员单位的全称")
    if member_type is not None and member_type not in MEMBER_TYPES:
        raise _refuse("成员单位类型", member_type, "无法识别", "、".join(MEMBER_TYPES))
    actor = _actor(who)
    with db.writing(path_db) as con:
        center = _writable(con, center_id, who)
        members = db.rows(con, "center_members", center_id=center_id)
        if any(parsing.normalize_name(m["name"]) == parsing.normalize_name(text) for m in members):
            raise _refuse("成员单位名称", text, f"已是「{center['name']}」的成员单位")
        position = max((m["position"] for m in members), default=0) + 1
        db.run(
            con,
            "member_insert",
            center_id=center_id,
            position=position,
            name=text,
            member_type=member_type,
        ).fetchall()
        before = [(m["name"], m["member_type"]) for m in members]
        db.audit(
            con,
            "form",
            "members",
            center["name"],
            before,
            [*before, (text, member_type)],
            actor=actor,
        )
        db.mark_changed(con)
    kind = f"（{member_type}）" if member_type else ""
    return Saved(center["name"], [("成员单位", "", f"{text}{kind}")])


# events ------------------------------------------------------------------------------------
def record_event(path_db: Path, center_id: int, raw: dict[str, Any], who: Scope | None) -> Saved:
    """Record one lifecycle event; the center's history must allow it (POLICY §3)."""
    plan = load_plan()
    values = _read(EVENT_FORM, raw, SHEET_EVENTS)
    problems: list[RowError] = []
    level = event_level(values["kind"], values.get("level"), plan, Ref(FORM, "", None), problems)
    if level is False:
        raise FormRejected(problems)
    new = Event(
        values["kind"],
        values["date"],
        level or None,
        values.get("eval_year"),
        values.get("result"),
        values.get("note"),
        ref=FORM,
    )
    actor = _actor(who)
    with db.writing(path_db) as con:
        center = _writable(con, center_id, who)
        history = [stored_event(r) for r in db.rows(con, "center_events", center_id=center_id)]
        label = plan.events[new.kind].label
        if any(e.identity() == new.identity() for e in history):
            raise _refuse("事件", label, f"「{center['name']}」已登记过同一天的同一事件")
        refused, flags = replay([*history, new], plan)
        if refused:
            raise FormRejected(
                [
                    RowError(FORM, "", None, "事件", label, p.reason, "按生命周期顺序登记")
                    for p in refused
                ]
            )
        insert_event(con, center, new, "form", actor)
        db.mark_changed(con)
    notes = [f.text for f in flags if f.event.ref == FORM]
    return Saved(center["name"], [("事件", "", f"{new.date.isoformat()} {label}")], notes)


# annual data -------------------------------------------------------------------------------
def open_annual(
    path_db: Path, center_id: int, year: int, who: Scope | None
) -> dict[str, Any] | None:
    """A center's stored data for a year as the form opens it, or None when not entered yet."""
    with db.connect(path_db, create=False, scope=who) as con:
        found = db.rows(con, "annual_one", center_id=center_id, year=year)
    return {k: found[0][k] for k in ANNUAL_KEYS} if found else None


def save_annual(
    path_db: Path,
    center_id: int,
    year: object,
    raw: dict[str, Any],
    opened: dict[str, Any] | None,
    who: Scope | None,
) -> Saved:
    """Enter or correct a center's data for a year; opened is what the form showed (None for
    a year not entered yet). A year changed by someone else since then is refused."""
    values = _read(ANNUAL_FORM, raw, SHEET_ANNUAL)
    the_year = _read((ANNUAL_COLUMNS[1],), {"year": year}, SHEET_ANNUAL)["year"]
    actor = _actor(who)
    with db.writing(path_db) as con:
        center = _writable(con, center_id, who)
        record = f"{center['name']}/{the_year}"
        found = db.rows(con, "annual_one", center_id=center_id, year=the_year)
        current = {k: found[0][k] for k in ANNUAL_KEYS} if found else None
        if current != opened:
            raise EditConflict(
                f"{center['name']} {the_year}年度数据",
                _changes(ANNUAL_FORM, opened or {}, current or {}),
                _last_writer(con, "annual", record),
            )
        changes = _changes(ANNUAL_FORM, current or {}, values)
        shown = f"{center['name']} {the_year}年度数据"
        if not changes:
            return Saved(shown)
        if current is not None:
            db.run(con, "annual_delete", center_id=center_id, year=the_year).fetchall()
        db.run(con, "annual_insert", center_id=center_id, year=the_year, **values).fetchall()
        db.audit(con, "form", "annual", record, current, values, actor=actor)
        db.mark_changed(con)
    return Saved(shown, changes, row=values)


def center_names(path_db: Path, who: Scope | None) -> list[dict[str, Any]]:
    """The id and name of every center this person may read, for the forms' pickers."""
    with db.connect(path_db, create=False, scope=who) as con:
        return center_name_rows(con)


def center_name_rows(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """center_names on an open (scoped) connection: the pages cache it by data version."""
    return db.rows(con, "center_names")


def form_values(columns: tuple[Column, ...], row: dict[str, Any] | None) -> dict[str, Any]:
    """Stored values as the form's widgets show them: names for fields and divisions, text
    for amounts and counts (read back with the import's rules), True/False/None for 是/否."""
    plan = load_plan()
    out: dict[str, Any] = {}
    for c in columns:
        value = None if row is None else row.get(c.key)
        if value is None or c.kind == "bool":
            out[c.key] = value
        elif c.kind in ("field", "county", "money"):
            out[c.key] = show(c, value, plan)
        else:
            out[c.key] = str(value) if c.kind == "int" else value
    return out
