"""Merging checked import records into the register, inside the caller's transaction.

Every record is compared with what is stored, so an unchanged record writes nothing; the
lifecycle of each touched center is replayed with its stored and new events together.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import duckdb

from mic_tracker import db, parsing
from mic_tracker.errors import RowError
from mic_tracker.lifecycle import Event, replay
from mic_tracker.policy import Plan
from mic_tracker.scope import Scope, division_name, write_refusal
from mic_tracker.template import (
    ANNUAL_COLUMNS,
    CENTER_COLUMNS,
    SHEET_ANNUAL,
    SHEET_CENTERS,
    SHEET_EVENTS,
)

if TYPE_CHECKING:
    from mic_tracker.importer import AnnualIn, CenterIn, EventIn, Parsed

BULK_TABLES = (
    ("bulk_centers", "中心"),
    ("bulk_members", "成员单位"),
    ("bulk_events", "事件"),
    ("bulk_annual", "年度数据"),
    ("bulk_audit", "审计记录"),
)
CENTER_KEYS = [c.key for c in CENTER_COLUMNS if c.key not in ("name", "members")]
ANNUAL_KEYS = [c.key for c in ANNUAL_COLUMNS if c.key not in ("center", "year")]


def stored_event(row: dict[str, Any]) -> Event:
    return Event(
        row["kind"], row["event_date"], row["level"], row["eval_year"], row["result"], row["note"]
    )


class Ticker:
    """Tells a progress callback how many of the records have been merged, now and then."""

    EVERY = 250

    def __init__(self, total: int, report: Callable[[float, str], None]) -> None:
        self.total, self.report, self.done = max(total, 1), report, 0

    def tick(self, sheet: str) -> None:
        self.done += 1
        if self.done % self.EVERY == 0:
            share = min(self.done / self.total, 1.0)
            self.report(0.45 + 0.5 * share, f"写入「{sheet}」 {self.done}/{self.total}")


class Writer:
    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        plan: Plan,
        actor: str,
        ticker: Ticker | None = None,
        scope: Scope | None = None,
    ) -> None:
        self.con, self.plan, self.actor, self.scope = con, plan, actor, scope
        self.ticker = ticker or Ticker(1, lambda fraction, text: None)
        self.errors: list[RowError] = []
        self.flags: list[str] = []
        self.tally = {s: _tally() for s in (SHEET_CENTERS, SHEET_EVENTS, SHEET_ANNUAL)}
        # Rows to insert, written together by flush(): one statement per table, not per row.
        self.pending: dict[str, list[dict[str, Any]]] = defaultdict(list)

    def load(self) -> None:
        con = self.con
        self.by_key = {r["name_key"]: r for r in db.rows(con, "centers_all")}
        self.members: dict[int, list[tuple[str, str | None]]] = defaultdict(list)
        for r in db.rows(con, "members_all"):
            self.members[r["center_id"]].append((r["name"], r["member_type"]))
        self.events_by_center: dict[int, list[tuple[int, Event]]] = defaultdict(list)
        for r in db.rows(con, "events_all"):
            self.events_by_center[r["center_id"]].append((r["id"], stored_event(r)))
        self.annual_rows = {(r["center_id"], r["year"]): r for r in db.rows(con, "annual_all")}

    def _audit(self, entity: str, key: str, before: Any, after: Any) -> None:
        self.pending["bulk_audit"].append(
            {
                "actor": self.actor,
                "action": "import",
                "entity": entity,
                "entity_key": key,
                "before": db.to_json(before),
                "after": db.to_json(after),
            }
        )

    def flush(self) -> None:
        """Insert what the merge queued, centers before the rows that refer to them."""
        for query, label in BULK_TABLES:
            rows = self.pending.pop(query, [])
            if rows:
                self.ticker.report(0.95, f"保存{label} {len(rows)} 行")
                db.bulk(self.con, query, rows)

    # centers -----------------------------------------------------------------------------
    def centers(self, records: dict[str, CenterIn]) -> None:
        tally = self.tally[SHEET_CENTERS]
        new = sum(1 for key in records if key not in self.by_key)
        ids = iter(r["id"] for r in db.rows(self.con, "center_ids", n=new))
        for key, rec in records.items():
            self.ticker.tick(SHEET_CENTERS)
            old = self.by_key.get(key)
            if not self._may_change(old, rec):
                continue
            row = (
                {k: None for k in CENTER_KEYS} if old is None else {k: old[k] for k in CENTER_KEYS}
            )
            row.update(rec.values)
            row["name"], row["name_key"] = rec.name, key
            if old is None:
                row["id"] = next(ids)
                self.pending["bulk_centers"].append(row)
                self.by_key[key] = row
                self._audit("center", rec.name, None, row)
                tally["added"] += 1
                self._members(row["id"], rec)
                continue
            changed = any(row[k] != old[k] for k in [*CENTER_KEYS, "name"])
            if changed:
                db.run(self.con, "center_update", id=old["id"], **row)
                self._audit("center", rec.name, _plain(old), row)
                self.by_key[key] = {**old, **row}
            changed = self._members(old["id"], rec) or changed
            tally["changed" if changed else "unchanged"] += 1

    def _may_change(self, old: dict[str, Any] | None, rec: CenterIn) -> bool:
        """A county editor changes only their division's centers, and keeps them there."""
        divisions = {rec.values.get("division_code"), old and old["division_code"]} - {None}
        for division in divisions:
            reason = write_refusal(self.scope, division)
            if reason:
                self.errors.append(rec.ref.error("所在县区", division_name(division), reason))
                return False
        return True

    def _members(self, center_id: int, rec: CenterIn) -> bool:
        if rec.members is None or rec.members == self.members.get(center_id, []):
            return False
        if self.members.get(center_id):
            db.run(self.con, "members_delete", center_id=center_id)
        self.pending["bulk_members"] += [
            {"center_id": center_id, "position": position, "name": name, "member_type": kind}
            for position, (name, kind) in enumerate(rec.members, start=1)
        ]
        self._audit("members", rec.name, self.members.get(center_id, []), rec.members)
        self.members[center_id] = list(rec.members)
        return True

    def check_references(self, parsed: Parsed) -> None:
        for rec in [*parsed.events, *parsed.annual]:
            if rec.center_key not in self.by_key and rec.center_key not in parsed.failed_centers:
                ref = rec.event.ref if hasattr(rec, "event") else rec.ref
                self.errors.append(
                    ref.error(
                        "中心名称",
                        rec.center,
                        "该中心既不在「中心」工作表中，也不在数据库中",
                        "先在「中心」工作表中登记该中心，或检查名称是否与已登记的一致",
                    )
                )

    # events ------------------------------------------------------------------------------
    def events(self, records: list[EventIn]) -> None:
        grouped: dict[str, list[EventIn]] = defaultdict(list)
        for rec in records:
            if rec.center_key in self.by_key:
                grouped[rec.center_key].append(rec)
        for key, recs in grouped.items():
            if self._refused(self.by_key[key], recs[0].event.ref):
                continue
            self._center_events(self.by_key[key], recs)

    def _center_events(self, center: dict[str, Any], recs: list[EventIn]) -> None:
        tally = self.tally[SHEET_EVENTS]
        stored = {e.identity(): (eid, e) for eid, e in self.events_by_center.get(center["id"], [])}
        history = {ident: e for ident, (_, e) in stored.items()}
        added, updated = [], []
        for rec in recs:
            self.ticker.tick(SHEET_EVENTS)
            ident = rec.event.identity()
            if ident not in stored:
                added.append(rec.event)
            elif _details(stored[ident][1]) != _details(rec.event):
                updated.append((stored[ident][0], rec.event))
            else:
                tally["unchanged"] += 1
                continue
            history[ident] = rec.event
        if not added and not updated:
            return
        problems, flags = replay(list(history.values()), self.plan)
        new_refs = [e.ref for e in [*added, *(e for _, e in updated)]]
        for p in problems:
            ref = p.event.ref or new_refs[0]
            prefix = "" if p.event.ref else "导入的事件使已登记的事件不再成立："
            self.errors.append(
                ref.error(
                    "事件",
                    self.plan.events[p.event.kind].label,
                    prefix + p.reason,
                    "按 POLICY 生命周期顺序登记事件",
                )
            )
        for f in flags:
            if f.event.ref is not None:
                self.flags.append(
                    f"{center['name']}：{self.plan.events[f.event.kind].label}"
                    f"（{f.event.date.isoformat()}）{f.text}"
                )
        if problems:
            return
        for e in added:
            self._event_insert(center, e)
        for eid, e in updated:
            db.run(
                self.con,
                "event_update",
                id=eid,
                eval_year=e.eval_year,
                result=e.result,
                note=e.note,
            )
            self._audit("event", center["name"], None, event_dict(e))
        tally["added"] += len(added)
        tally["changed"] += len(updated)

    def _event_insert(self, center: dict[str, Any], e: Event) -> None:
        self.pending["bulk_events"].append(event_row(center["id"], e))
        self._audit("event", center["name"], None, event_dict(e))

    def _refused(self, center: dict[str, Any], ref: Any) -> bool:
        reason = write_refusal(self.scope, center["division_code"])
        if reason:
            self.errors.append(ref.error("中心名称", center["name"], reason))
        return reason is not None

    # annual data -------------------------------------------------------------------------
    def annual(self, records: list[AnnualIn]) -> None:
        tally = self.tally[SHEET_ANNUAL]
        for rec in records:
            self.ticker.tick(SHEET_ANNUAL)
            center = self.by_key.get(rec.center_key)
            if center is None or self._refused(center, rec.ref):
                continue
            old = self.annual_rows.get((center["id"], rec.year))
            row = (
                {k: None for k in ANNUAL_KEYS} if old is None else {k: old[k] for k in ANNUAL_KEYS}
            )
            row.update(rec.values)
            if old is not None and all(row[k] == old[k] for k in ANNUAL_KEYS):
                tally["unchanged"] += 1
                continue
            if old is not None:
                db.run(self.con, "annual_delete", center_id=center["id"], year=rec.year)
            self.pending["bulk_annual"].append({"center_id": center["id"], "year": rec.year, **row})
            self._audit("annual", f"{center['name']}/{rec.year}", _plain(old), row)
            tally["added" if old is None else "changed"] += 1


def event_row(center_id: int, e: Event) -> dict[str, Any]:
    """An event as the events table stores it."""
    return {
        "center_id": center_id,
        "kind": e.kind,
        "event_date": e.date,
        "level": e.level,
        "eval_year": e.eval_year,
        "result": e.result,
        "note": e.note,
    }


def insert_event(
    con: duckdb.DuckDBPyConnection, center: dict[str, Any], e: Event, action: str, actor: str
) -> None:
    """Store one event (already checked against the center's history) with its audit row."""
    db.run(con, "event_insert", **event_row(center["id"], e)).fetchall()
    db.audit(con, action, "event", center["name"], None, event_dict(e), actor=actor)


def _tally() -> dict[str, int]:
    return {"added": 0, "changed": 0, "unchanged": 0}


def _details(e: Event) -> tuple[Any, ...]:
    return (e.eval_year, e.result, parsing.normalize_text(e.note))


def event_dict(e: Event) -> dict[str, Any]:
    return {
        "kind": e.kind,
        "date": e.date.isoformat(),
        "level": e.level,
        "eval_year": e.eval_year,
        "result": e.result,
        "note": e.note,
    }


def _plain(row: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if row is None else {k: v for k, v in row.items() if k != "updated_at"}
