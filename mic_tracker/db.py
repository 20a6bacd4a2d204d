"""Database access: short-lived connections, numbered migrations, named queries, metadata.

DuckDB lets one process write at a time, and a process holding a connection holds the file.
So every operation opens a connection, does its work and closes it; opening retries for a
bounded time when another process (the app, the CLI) has the file, then says so plainly.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
import os
import re
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import duckdb

from mic_tracker.errors import DatabaseBusy, MissingDatabase, ScopeDenied
from mic_tracker.paths import POLICY_DIR, QUERIES, REFERENCE_DIR
from mic_tracker.policy import load_plan
from mic_tracker.reference import load_resolver
from mic_tracker.scope import Scope

LOCK_WAIT_SECONDS = 15.0
_PARAM = re.compile(r"\$([A-Za-z_]\w*)")
_MIGRATIONS = QUERIES / "migrations"
# arrow() asks an executed statement for Arrow: DuckDB warns that this copies the rows once,
# but the copy costs less than con.sql(), which binds the query twice (see arrow()).
warnings.filterwarnings("ignore", "Arrow output on a DB-API result", UserWarning)


@cache
def sql_text(name: str) -> str:
    """The text of queries/NAME.sql."""
    return (QUERIES / f"{name}.sql").read_text(encoding="utf-8")


def _bound(query: str, sql: str, params: dict[str, Any]) -> dict[str, Any]:
    """The $params the query uses, each with its value; a missing one is an error."""
    used = set(_PARAM.findall(sql))
    missing = used - params.keys()
    if missing:
        raise KeyError(f"{query}.sql needs parameters {sorted(missing)}")
    return {k: v for k, v in params.items() if k in used}


def run(con: duckdb.DuckDBPyConnection, query: str, /, **params: Any) -> duckdb.DuckDBPyConnection:
    """Execute queries/QUERY.sql with the $params it uses (values are always bound)."""
    sql = sql_text(query)
    bound = _bound(query, sql, params)
    return con.execute(sql, bound) if bound else con.execute(sql)


def arrow(con: duckdb.DuckDBPyConnection, query: str, /, **params: Any) -> Any:
    """queries/QUERY.sql as a pyarrow Table, its text left in Arrow's buffers (turning 80,000
    values into Python strings can cost more than the query). Executed, not built as
    con.sql(): a relation binds the query once to describe it and again to run it, 4–6 ms of
    a 10–25 ms query at city scale (measured in docs/DECISIONS.md, "Fourth round")."""
    return run(con, query, **params).to_arrow_table()


def rows(con: duckdb.DuckDBPyConnection, query: str, /, **params: Any) -> list[dict[str, Any]]:
    """The result of queries/QUERY.sql as a list of dicts."""
    cur = run(con, query, **params)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def bulk(con: duckdb.DuckDBPyConnection, query: str, /, rows: list[dict[str, Any]]) -> None:
    """Insert many rows with one statement: queries/QUERY.sql reads them from `bulk_rows`, a
    table of text (and `seq`, the row's place) that the query casts to the column types.
    One statement instead of one per row: an import of 10,000 rows took a minute row by row."""
    if not rows:
        return
    import pandas as pd  # here, not at the top: a read-only command need not load pandas

    columns = list(rows[0])
    frame = pd.DataFrame(
        [[_text(r.get(c)) for c in columns] + [str(i)] for i, r in enumerate(rows)],
        columns=[*columns, "seq"],
        dtype="string",
    )
    con.register("bulk_rows", frame)
    try:
        run(con, query).fetchall()
    finally:
        con.unregister("bulk_rows")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc)
    return "lock" in text.lower() or "Conflicting lock" in text


def _marker(path: Path) -> Path:
    return path.with_name(f"{path.name}.waiting.{os.getpid()}")


def _others_waiting(path: Path) -> bool:
    """Another live process has said, recently, that it waits for this file."""
    prefix, mine = f"{path.name}.waiting.", _marker(path).name
    fresh = time.time() - LOCK_WAIT_SECONDS - 5
    try:
        with os.scandir(path.parent) as entries:
            return any(
                e.name.startswith(prefix)
                and e.name != mine
                and e.stat().st_mtime > fresh
                and _alive(e.name.removeprefix(prefix))
                for e in entries
            )
    except OSError:
        return False


def _alive(pid: str) -> bool:
    """Whether the process that left a marker still runs (a killed one leaves its marker)."""
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except (ValueError, PermissionError):
        return True  # not ours to signal, or not a pid: trust the marker's age instead
    return True


def _open(path: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory instance with the file attached as `tracker`: a fixed catalog name lets a
    user's scoped views (mic_tracker.scope) name the real tables, tracker.main.centers."""
    base = duckdb.connect()
    try:
        run(base, "attach", path=str(path)).fetchall()
    except BaseException:
        base.close()
        raise
    return base


def _connect_with_retry(path: Path) -> duckdb.DuckDBPyConnection:
    """Open the file, waiting (bounded) while another process has it; while waiting, a marker
    file asks that process to let go between its operations (see _Instance)."""
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    delay = 0.02
    marker = _marker(path)
    try:
        while True:
            try:
                return _open(path)
            except duckdb.IOException as exc:
                if not _is_lock_error(exc):
                    raise
                if time.monotonic() >= deadline:
                    raise DatabaseBusy(
                        f"数据库 {path} 正被另一个程序使用，等待 {LOCK_WAIT_SECONDS:.0f} 秒后仍未释放。"
                        "请稍后重试。"
                    ) from exc
                marker.touch()
                time.sleep(delay)
                delay = min(delay * 2, 0.1)
    finally:
        marker.unlink(missing_ok=True)


_CLOSE = object()  # _Instance.leave: close the cursor, do not keep it


class _Instance:
    """The one open DuckDB instance of a database file in this process, shared by cursors.

    DuckDB's file lock is per process, so two instances of one file in a process do not keep
    each other out: they race to attach it ("already attached") and can leave a WAL that no
    longer matches the file. So the process opens the file once and hands each user a cursor.
    Opening costs 30–250 ms (plus preparing the macros), so a long-running process (the app,
    see keep_open) keeps the file open a while after the last user leaves; a watcher closes
    it when idle that long, or within LINGER_POLL_SECONDS when another process says it is
    waiting (a marker file). No new user is let in until the file has been handed over, so a
    busy app cannot starve the CLI, nor the CLI the app.
    """

    HANDOVER_SECONDS = 1.0
    # Cursors kept between uses: setting one up (catalog, a scope's temp views) cost 2–13 ms,
    # more than many of the queries run on it. A few per scope are enough for a page's
    # reads at the same time (ui.data.together).
    MAX_IDLE = 12

    def __init__(self, path: Path) -> None:
        self.path = path
        self.cond = threading.Condition()
        self.base: duckdb.DuckDBPyConnection | None = None
        self.users = 0
        self.generation = 0  # which opening a delayed close belongs to
        self.prepared = 0  # the opening whose schema, reference data and macros are ready
        self.lingering = False  # a watcher thread will close the file once idle
        self.last_left = 0.0  # when the last user left
        self.prepare_lock = threading.Lock()
        self.idle: list[tuple[Scope | None, duckdb.DuckDBPyConnection]] = []  # oldest first

    def enter(self, key: Scope | None = None) -> tuple[duckdb.DuckDBPyConnection, bool]:
        """A cursor, and whether it is new. A cursor kept by leave() for the same scope is
        handed out again as it is: its catalog and the scope's temp views are already set."""
        with self.cond:
            if self.base is not None and _others_waiting(self.path):
                self._hand_over()
            if self.base is None:
                self.base = _connect_with_retry(self.path)
                self.generation += 1
            self.users += 1
            for i, (kept_for, cursor) in enumerate(reversed(self.idle)):
                if kept_for == key:
                    del self.idle[len(self.idle) - 1 - i]
                    return cursor, False
            return self.base.cursor(), True

    def prepare(self, con: duckdb.DuckDBPyConnection) -> None:
        """Once per opening: schema and reference data up to date, the report macros defined.
        While this process has the file open no other process can change it, so once is
        enough; doing it on every connection cost about 15 ms each (mostly the macros)."""
        with self.prepare_lock:
            if self.prepared == self.generation:
                return
            migrate(con)
            sync_reference(con)
            con.execute(sql_text("macros"))
            self.prepared = self.generation

    def _hand_over(self) -> None:
        self.cond.wait_for(lambda: self.users == 0, timeout=LOCK_WAIT_SECONDS)
        self._close()
        until = time.monotonic() + self.HANDOVER_SECONDS
        while _others_waiting(self.path) and time.monotonic() < until:
            time.sleep(0.01)

    def leave(self, cursor: duckdb.DuckDBPyConnection, keep_for: Any = _CLOSE) -> None:
        """Give a cursor back: kept for its scope (keep_for), or closed (the default, and
        always after an error, whose cursor may be mid-transaction)."""
        with self.cond:
            if keep_for is _CLOSE:
                cursor.close()
            else:
                self.idle.append((keep_for, cursor))
                if len(self.idle) > self.MAX_IDLE:
                    self.idle.pop(0)[1].close()
            self.users -= 1
            self.cond.notify_all()
            if self.users:
                return
            self.last_left = time.monotonic()
            if _linger_seconds <= 0 or _others_waiting(self.path):
                self._close()
                return
            if not self.lingering:
                self.lingering = True
                watcher = threading.Thread(target=self._linger, daemon=True)
                watcher.start()

    def _linger(self) -> None:
        """While nobody uses the file: close it when it has been idle long enough, or at once
        when another process asks for it (the app may keep it open long between clicks)."""
        while True:
            time.sleep(LINGER_POLL_SECONDS)
            with self.cond:
                if self.base is None:
                    self.lingering = False
                    return
                if self.users:
                    continue
                idle = time.monotonic() - self.last_left
                if idle >= _linger_seconds or _others_waiting(self.path):
                    self._close()
                    self.lingering = False
                    return

    def _close(self) -> None:
        if self.base is not None and self.users == 0:
            for _, cursor in self.idle:
                cursor.close()
            self.idle.clear()
            self.base.close()
            self.base = None


_INSTANCES: dict[str, _Instance] = {}
LINGER_POLL_SECONDS = 0.1
_linger_seconds = 0.0


def keep_open(seconds: float) -> None:
    """Keep a database file open this long after its last use in this process (0: close at
    once). For the app's server process; a command-line run closes the file when done, so
    the file on disk is complete (no pending WAL) when it exits."""
    global _linger_seconds
    _linger_seconds = seconds


def close_idle() -> None:
    """Close every file this process keeps open but is not using (before copying a file)."""
    for shared in list(_INSTANCES.values()):
        with shared.cond:
            shared._close()


_INSTANCES_GUARD = threading.Lock()


def _instance(path: Path) -> _Instance:
    with _INSTANCES_GUARD:
        key = str(path.resolve())
        if key not in _INSTANCES:
            _INSTANCES[key] = _Instance(path)
        return _INSTANCES[key]


@contextmanager
def connect(
    path: Path, create: bool = True, scope: Scope | None = None
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection with the schema up to date and the report macros defined. Afterwards it
    is kept for the next connect() with the same scope, or closed if the block raised.

    With create=False a missing file is an error instead of a new empty database, so a
    mistyped --db does not quietly report zeros. With a scope, the connection reads only
    what that person may read (mic_tracker.scope); without one it is the operator's.
    """
    if not create and not path.exists():
        raise MissingDatabase(
            f"数据库文件不存在：{path}。请先运行 python -m mic_tracker --db {path} db init，或检查路径。"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    shared = _instance(path)
    con, new = shared.enter(scope)
    kept: Any = _CLOSE
    try:
        if new:
            run(con, "use_tracker").fetchall()
            shared.prepare(con)
            if scope is not None:
                _install_scope(con, scope)
        yield con
        kept = scope
    finally:
        shared.leave(con, kept)


class _TurnLock:
    """A lock taken in the order asked for (threading.Lock is not), so no writer waits behind
    a stream of later ones; a turn given up after a timeout is skipped."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.next_turn = 0
        self.serving = 0
        self.given_up: set[int] = set()

    def acquire(self, timeout: float) -> bool:
        with self.cond:
            turn = self.next_turn
            self.next_turn += 1
            if self.cond.wait_for(lambda: self.serving == turn, timeout):
                return True
            if self.serving == turn:  # granted just as the wait ran out: pass it on
                self._advance()
            else:
                self.given_up.add(turn)
            return False

    def release(self) -> None:
        with self.cond:
            self._advance()

    def _advance(self) -> None:
        self.serving += 1
        while self.serving in self.given_up:
            self.given_up.discard(self.serving)
            self.serving += 1
        self.cond.notify_all()


def _install_scope(con: duckdb.DuckDBPyConnection, scope: Scope) -> None:
    """Shadow the tables this person may not read whole with views of what they may."""
    if scope.role == "county_editor" and not scope.county:
        raise ScopeDenied("县区编辑账号没有所属县区，请联系管理员。")  # never read unscoped
    run(con, "scope_tables").fetchall()
    run(con, "scope_actor", actor=scope.actor).fetchall()
    if scope.county is not None:
        run(con, "scope_division", code=scope.county).fetchall()
        run(con, "scope_county").fetchall()
    audit = scope.reads_audit()
    if audit != "all":
        run(con, f"scope_audit_{audit}").fetchall()
    if not scope.reads_users():
        run(con, "scope_users_none").fetchall()


_WRITE_LOCKS: dict[str, _TurnLock] = {}
_WRITE_LOCKS_GUARD = threading.Lock()


def _write_lock(path: Path) -> _TurnLock:
    key = str(path.resolve())
    with _WRITE_LOCKS_GUARD:
        return _WRITE_LOCKS.setdefault(key, _TurnLock())


@contextmanager
def writing(path: Path, create: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection inside one transaction, for the only writer of this database in the process.

    Connections of one process share one DuckDB instance, whose transactions conflict per
    column, not per row: two edits of one center could both pass a version check and both
    commit. So writes in a process take turns here (bounded wait), and the file lock makes
    other processes take turns too (see docs/DECISIONS.md, "Concurrent writers").
    """
    lock = _write_lock(path)
    if not lock.acquire(timeout=LOCK_WAIT_SECONDS):
        raise DatabaseBusy(
            f"数据库 {path} 正在被其他操作写入，等待 {LOCK_WAIT_SECONDS:.0f} 秒后仍未完成。请稍后重试。"
        )
    try:
        with connect(path, create=create) as con, transaction(con):
            yield con
    finally:
        lock.release()


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All or nothing: commit on success, roll back on any exception."""
    con.execute("begin transaction")
    try:
        yield con
    except BaseException:
        con.execute("rollback")
        raise
    con.execute("commit")


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    con.execute("create table if not exists schema_version (version integer, applied_at timestamp)")
    # fetchall, not fetchone: a result left unfinished blocks the relational API (register, sql).
    (got,) = con.execute("select max(version) from schema_version").fetchall()
    return int(got[0]) if got[0] is not None else 0


def migrate(con: duckdb.DuckDBPyConnection) -> None:
    """Apply queries/migrations/NNNN_*.sql newer than the database, each in one transaction."""
    current = schema_version(con)
    for path in sorted(_MIGRATIONS.glob("[0-9][0-9][0-9][0-9]_*.sql")):
        number = int(path.name[:4])
        if number <= current:
            continue
        with transaction(con):
            con.execute(path.read_text(encoding="utf-8"))
            con.execute("insert into schema_version values ($v, now())", {"v": number})


@cache
def _reference_hash() -> str:
    """Digest of the plan and reference files, read once per process like load_plan itself."""
    h = hashlib.sha256()
    for path in sorted(
        [*POLICY_DIR.glob("*.csv"), *POLICY_DIR.glob("*.toml"), REFERENCE_DIR / "divisions.csv"]
    ):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def sync_reference(con: duckdb.DuckDBPyConnection) -> None:
    """Load fields and divisions from data/ when those files changed since the last load."""
    digest = _reference_hash()
    if get_meta(con, "reference_hash") == digest:
        return
    plan = load_plan()
    resolver = load_resolver()
    with transaction(con):
        run(con, "reference_reset")
        for f in plan.fields:
            run(con, "field_insert", seq=f.seq, sector=f.sector, name=f.name)
        for d in resolver.divisions:
            run(
                con,
                "division_insert",
                code=d.code,
                name=d.name,
                short_name=d.short_name,
                kind=d.kind,
                valid_from=d.valid_from,
                valid_to=d.valid_to,
                successor_code=d.successor_code,
                current_code=resolver.current(d).code,
            )
        set_meta(con, "reference_hash", digest)


def get_meta(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    got = run(con, "meta_get", key=key).fetchall()
    return got[0][0] if got else None


def set_meta(con: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    run(con, "meta_set", key=key, value=value)


def mark_changed(con: duckdb.DuckDBPyConnection) -> None:
    """Bump the data version the app's cache is keyed by, and stamp the last change."""
    version = int(get_meta(con, "data_version") or 0) + 1
    set_meta(con, "data_version", str(version))
    set_meta(con, "last_change", dt.datetime.now().isoformat(timespec="seconds"))


def clear_register(con: duckdb.DuckDBPyConnection, where: str) -> None:
    """Empty the register in the caller's transaction; the audit log keeps the reset."""
    run(con, "register_clear").fetchall()
    audit(con, "reset", "database", where, None, {"cleared": True})
    mark_changed(con)


def audit(
    con: duckdb.DuckDBPyConnection,
    action: str,
    entity: str,
    key: str | None,
    before: Any = None,
    after: Any = None,
    actor: str | None = None,
) -> None:
    """One audit row, written in the caller's transaction."""
    run(
        con,
        "audit_insert",
        actor=actor or current_user(),
        action=action,
        entity=entity,
        entity_key=key,
        before=to_json(before),
        after=to_json(after),
    )


def to_json(value: Any) -> str | None:
    """A value as the audit log stores it (JSON text; dates and amounts as text)."""
    return None if value is None else json.dumps(value, ensure_ascii=False, default=str)


def current_user() -> str:
    try:
        return f"os:{getpass.getuser()}"
    except (KeyError, OSError):
        return "os:unknown"


def is_demo(con: duckdb.DuckDBPyConnection) -> bool:
    return get_meta(con, "demo") == "true"
