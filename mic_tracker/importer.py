"""Import of the template workbook: read, check every cell and every event history, then
write all of it in one transaction — or nothing, with every problem listed.

Re-importing the same file changes nothing: centers match by normalised name, events by
center + kind + date (+ level), annual data by center + year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from mic_tracker import changes, db, parsing
from mic_tracker.backup import automatic_backup
from mic_tracker.errors import ImportRejected, RowError, UnknownName, ValueParseError
from mic_tracker.lifecycle import Event
from mic_tracker.policy import Plan, load_plan
from mic_tracker.reference import Resolver, load_resolver
from mic_tracker.report import field_seq
from mic_tracker.scope import Scope, require_editing
from mic_tracker.sources import Sheet, read_sources
from mic_tracker.template import (
    MEMBER_TYPES,
    PARSERS,
    SHEET_ANNUAL,
    SHEET_CENTERS,
    SHEET_EVENTS,
    SHEETS,
    Column,
)
from mic_tracker.writer import Ticker, Writer


@dataclass(frozen=True)
class Ref:
    """Where a record came from, for error messages."""

    file: str
    sheet: str
    row: int | None

    def error(self, column: str | None, value: object, reason: str, accepted: str = "") -> RowError:
        shown = None if value is None else str(value)
        return RowError(self.file, self.sheet, self.row, column, shown, reason, accepted)


@dataclass
class CenterIn:
    name: str
    values: dict[str, Any]
    members: list[tuple[str, str | None]] | None
    ref: Ref


@dataclass
class EventIn:
    center_key: str
    center: str
    event: Event


@dataclass
class AnnualIn:
    center_key: str
    center: str
    year: int
    values: dict[str, Any]
    ref: Ref


@dataclass
class Parsed:
    centers: dict[str, CenterIn] = field(default_factory=dict)
    events: list[EventIn] = field(default_factory=list)
    annual: list[AnnualIn] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    failed_centers: set[str] = field(default_factory=set)


@dataclass
class ImportResult:
    dry_run: bool
    sheets: dict[str, dict[str, int]]
    warnings: list[RowError]
    flags: list[str]
    changes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(t["added"] or t["changed"] for t in self.sheets.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "changed": self.changed,
            "sheets": self.sheets,
            "warnings": [w.as_dict() for w in self.warnings],
            "flags": self.flags,
            "changes": self.changes,
        }


class Cells:
    """Reads one row's cells, collecting errors instead of stopping at the first."""

    def __init__(self, ref: Ref, plan: Plan, resolver: Resolver, errors: list[RowError]) -> None:
        self.ref, self.plan, self.resolver, self.errors = ref, plan, resolver, errors

    def read(self, col: Column, raw: object) -> Any:
        try:
            value = self._parse(col, raw)
        except (ValueParseError, UnknownName) as exc:
            reason = exc.reason if isinstance(exc, ValueParseError) else str(exc)
            self.errors.append(self.ref.error(col.header, _shown(raw), reason, exc.accepted))
            return None
        if value is None and col.required:
            self.errors.append(self.ref.error(col.header, None, "必填项为空", _required_hint(col)))
        return value

    def _parse(self, col: Column, raw: object) -> Any:
        if col.kind in PARSERS:
            return PARSERS[col.kind](raw)
        if col.kind == "int":
            return parsing.parse_int(raw, unit=col.unit)
        if col.kind == "members":
            # Split before normalising: Alt+Enter line breaks separate members too.
            return _members(raw) if parsing.normalize_text(raw) else None
        text = parsing.normalize_text(raw)
        if text is None:
            return None
        return self._lookup(col, text)

    def _lookup(self, col: Column, text: str) -> Any:
        plan = self.plan
        if col.kind == "field":
            return field_seq(text, plan)
        if col.kind == "county":
            return self.resolver.match(text).code
        if col.kind == "form":
            return _choose(text, tuple(plan.forms.values()), "建设形式")
        if col.kind == "choice":
            return _choose(text, col.choices, col.header)
        if col.kind == "event":
            kind = plan.event_by_label(text)
            if kind is None:
                raise UnknownName("事件", text, "、".join(e.label for e in plan.events.values()))
            return kind.key
        if col.kind == "level":
            level = plan.level_by_label(text)
            if level is None:
                raise UnknownName("层级", text, "、".join(plan.levels.values()))
            return level
        if col.kind == "result":
            for key, label in plan.results.items():
                if text == label:
                    return key
            raise UnknownName("评价结果", text, "、".join(plan.results.values()))
        raise AssertionError(col.kind)


def _shown(raw: object) -> str | None:
    return parsing.normalize_text(raw) if not isinstance(raw, dt.date) else raw.isoformat()


def _required_hint(col: Column) -> str:
    return f"填写{col.header}"


def _choose(text: str, choices: tuple[str, ...], what: str) -> str:
    if text in choices:
        return text
    raise UnknownName(what, text, "、".join(choices))


def _members(raw: object) -> list[tuple[str, str | None]]:
    members = parsing.split_members(raw)
    for name, kind in members:
        if kind is not None and kind not in MEMBER_TYPES:
            raise ValueParseError(
                f"成员单位「{name}」的类型「{kind}」无法识别",
                "名称或 名称(类型)，类型为 " + "、".join(MEMBER_TYPES),
            )
    return members


def parse_sheets(sheets: dict[str, Sheet], plan: Plan, resolver: Resolver) -> Parsed:
    out = Parsed()
    if SHEET_CENTERS in sheets:
        _parse_centers(sheets[SHEET_CENTERS], plan, resolver, out)
    if SHEET_EVENTS in sheets:
        _parse_events(sheets[SHEET_EVENTS], plan, resolver, out)
    if SHEET_ANNUAL in sheets:
        _parse_annual(sheets[SHEET_ANNUAL], plan, resolver, out)
    return out


def _parse_centers(sheet: Sheet, plan: Plan, resolver: Resolver, out: Parsed) -> None:
    for number, cells in sheet.rows:
        ref = Ref(sheet.file, sheet.name, number)
        n_errors = len(out.errors)
        reader = Cells(ref, plan, resolver, out.errors)
        values = {c.key: reader.read(c, cells.get(c.key)) for c in sheet.columns}
        name = values.pop("name")
        members = values.pop("members", None) if sheet.has("members") else None
        if name is None:
            continue
        key = parsing.normalize_name(name) or ""
        if len(out.errors) > n_errors:
            # Its events would only repeat this row's error as "unknown center".
            out.failed_centers.add(key)
            continue
        if key in out.centers:
            first = out.centers[key].ref.row
            out.errors.append(
                ref.error(
                    "中心名称", name, f"中心名称重复（与第{first}行相同）", "每个中心只占一行"
                )
            )
            continue
        out.centers[key] = CenterIn(name, values, members if sheet.has("members") else None, ref)


def _parse_events(sheet: Sheet, plan: Plan, resolver: Resolver, out: Parsed) -> None:
    seen: dict[tuple[str, tuple[str, dt.date, str]], int] = {}
    for number, cells in sheet.rows:
        ref = Ref(sheet.file, sheet.name, number)
        n_errors = len(out.errors)
        reader = Cells(ref, plan, resolver, out.errors)
        v = {c.key: reader.read(c, cells.get(c.key)) for c in sheet.columns}
        if len(out.errors) > n_errors:
            continue
        level = event_level(v["kind"], v.get("level"), plan, ref, out.errors)
        if level is False:
            continue
        event = Event(
            v["kind"],
            v["date"],
            level or None,
            v.get("eval_year"),
            v.get("result"),
            v.get("note"),
            ref=ref,
        )
        key = parsing.normalize_name(v["center"]) or ""
        ident = (key, event.identity())
        if ident in seen:
            out.warnings.append(
                ref.error("事件", cells.get("kind"), f"与第{seen[ident]}行是同一事件，已忽略")
            )
            continue
        seen[ident] = number
        out.events.append(EventIn(key, v["center"], event))


def event_level(
    kind: str, level: str | None, plan: Plan, ref: Ref, errors: list[RowError]
) -> str | bool | None:
    """The level stored with an event: fixed by its kind, chosen in the row, or none."""
    spec = plan.events[kind]
    if spec.level is None:
        return None
    if spec.level == "choose":
        if level is None and spec.default_level is None:
            errors.append(
                ref.error(
                    "层级",
                    None,
                    f"「{spec.label}」须填写层级",
                    "、".join(plan.levels[k] for k in ("province", "national")),
                )
            )
            return False
        return level or spec.default_level
    if level is not None and level != spec.level:
        errors.append(
            ref.error(
                "层级",
                plan.levels[level],
                f"「{spec.label}」的层级只能是{plan.levels[spec.level]}",
                plan.levels[spec.level],
            )
        )
        return False
    return spec.level


def _parse_annual(sheet: Sheet, plan: Plan, resolver: Resolver, out: Parsed) -> None:
    seen: dict[tuple[str, int], int] = {}
    for number, cells in sheet.rows:
        ref = Ref(sheet.file, sheet.name, number)
        n_errors = len(out.errors)
        reader = Cells(ref, plan, resolver, out.errors)
        v = {c.key: reader.read(c, cells.get(c.key)) for c in sheet.columns}
        if len(out.errors) > n_errors:
            continue
        key = parsing.normalize_name(v.pop("center")) or ""
        year = v.pop("year")
        if (key, year) in seen:
            out.errors.append(
                ref.error(
                    "年度",
                    year,
                    f"同一中心同一年度重复（与第{seen[key, year]}行相同）",
                    "每个中心每年一行",
                )
            )
            continue
        seen[key, year] = number
        out.annual.append(AnnualIn(key, str(cells.get("center")), year, v, ref))


Progress = Callable[[float, str], None]


def _no_progress(fraction: float, text: str) -> None:
    del fraction, text


def import_files(
    path_db: Path,
    files: list[Path],
    dry_run: bool = False,
    actor: str | None = None,
    progress: Progress | None = None,
    scope: Scope | None = None,
) -> ImportResult:
    """Check and (unless dry_run) write the files; raises ImportRejected with every error.

    progress(fraction, text) is told how far the import is, for a progress bar. scope is the
    signed-in person (None: the command line's operator, who may change every center).
    """
    require_editing(scope)
    if scope is not None:
        actor = scope.actor
    report = progress or _no_progress
    plan, resolver = load_plan(), load_resolver()
    report(0.0, "读取文件")
    sources = read_sources(files)
    if sources.errors:
        raise ImportRejected(sources.errors, sources.warnings)
    report(0.2, "检查每个单元格")
    parsed = parse_sheets(sources.sheets, plan, resolver)
    parsed.warnings[:0] = sources.warnings
    if not dry_run and not parsed.errors:
        report(0.4, "导入前自动备份")
        automatic_backup(path_db)
    try:
        with db.writing(path_db) as con:
            report(0.45, "写入数据库（一个事务）")
            result = _merge(con, parsed, plan, dry_run, actor, report, scope)
            if dry_run:
                raise _Rollback(result)
            if result.changed:
                db.mark_changed(con)
            report(0.97, "提交")
    except _Rollback as rollback:
        return rollback.result
    report(1.0, "完成")
    return result


class _Rollback(Exception):
    """Ends a dry run's transaction without writing; carries what the import would do."""

    def __init__(self, result: ImportResult) -> None:
        self.result = result


def _error_order(e: RowError) -> tuple[str, int, int]:
    sheet = SHEETS.index(e.sheet) if e.sheet in SHEETS else len(SHEETS)
    return (e.file, sheet, e.row or 0)


def _merge(
    con: duckdb.DuckDBPyConnection,
    parsed: Parsed,
    plan: Plan,
    dry_run: bool,
    actor: str | None,
    report: Progress,
    scope: Scope | None,
) -> ImportResult:
    total = len(parsed.centers) + len(parsed.events) + len(parsed.annual)
    writer = Writer(con, plan, actor or db.current_user(), Ticker(total, report), scope)
    last_audit = db.rows(con, "audit_last_id")[0]["id"]
    writer.load()
    writer.centers(parsed.centers)
    writer.check_references(parsed)
    writer.events(parsed.events)
    writer.annual(parsed.annual)
    errors = [*parsed.errors, *writer.errors]
    if errors:
        raise ImportRejected(sorted(errors, key=_error_order), parsed.warnings)
    writer.flush()
    return ImportResult(
        dry_run, writer.tally, parsed.warnings, writer.flags, _changes(con, last_audit)
    )


def _changes(con: duckdb.DuckDBPyConnection, after_id: int) -> list[dict[str, Any]]:
    """What the import wrote (or, in a dry run, would write): its audit rows, read back."""
    return [
        {
            "entity": r["entity"],
            "key": r["entity_key"],
            "before": changes.load(r["before"]),
            "after": changes.load(r["after"]),
        }
        for r in db.rows(con, "audit_after", id=after_id)
    ]
