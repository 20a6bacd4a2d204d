"""Database access: migrations on open, reference data loaded, waiting for another writer."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from mic_tracker import db
from mic_tracker.errors import DatabaseBusy
from mic_tracker.paths import QUERIES

MIGRATIONS = QUERIES / "migrations"

HOLD = "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True); time.sleep(float(sys.argv[2])); c.close()"


def hold_lock(path: Path, seconds: float) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    proc.stdout.close()
    return proc


def test_opening_applies_migrations_once_and_loads_reference_data(tmp_path: Path) -> None:
    """Test that a new file gets the schema, 31 fields and 20 divisions, and reopening keeps them."""
    path = tmp_path / "new.duckdb"
    for _ in range(2):
        with db.connect(path) as con:
            assert db.schema_version(con) == len(list(MIGRATIONS.glob("[0-9]*.sql")))
            assert con.execute("select count(*) from fields").fetchone() == (31,)
            assert con.execute("select count(*) from divisions").fetchone() == (20,)
            versions = con.execute("select count(*) from schema_version").fetchone()
            assert versions == (db.schema_version(con),)


def test_a_second_process_waits_for_the_writer_and_then_succeeds(empty_db: Path) -> None:
    """Test that opening while another process holds the file waits instead of failing."""
    proc = hold_lock(empty_db, 1.5)
    started = time.monotonic()
    with db.connect(empty_db) as con:
        assert db.rows(con, "center_count")[0]["n"] == 0
    waited = time.monotonic() - started
    proc.wait(timeout=10)
    assert waited > 0.5


def test_waiting_too_long_gives_a_clear_busy_message(
    empty_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that a writer holding the file past the bound gives DatabaseBusy in Chinese."""
    monkeypatch.setattr(db, "LOCK_WAIT_SECONDS", 0.3)
    proc = hold_lock(empty_db, 3)
    try:
        with pytest.raises(DatabaseBusy) as info, db.connect(empty_db):
            pass
        assert "正被另一个程序使用" in str(info.value) and "请稍后重试" in str(info.value)
    finally:
        proc.kill()
        proc.wait()


def test_queries_refuse_missing_parameters(empty_db: Path) -> None:
    """Test that a named query run without one of its $parameters fails before reaching SQL."""
    with db.connect(empty_db) as con, pytest.raises(KeyError, match="dates"):
        db.run(con, "counts_at", sectors=None, fields=None, counties=None, forms=None)


def test_writers_in_one_process_take_turns_in_the_order_they_asked() -> None:
    """Test that the write lock serves waiting threads first come, first served."""
    lock = db._TurnLock()
    assert lock.acquire(1)
    order: list[int] = []

    def writer(n: int) -> None:
        assert lock.acquire(5)
        order.append(n)
        lock.release()

    threads = []
    for n in range(5):
        threads.append(threading.Thread(target=writer, args=(n,)))
        threads[-1].start()
        time.sleep(0.05)  # each asks after the one before
    lock.release()
    for t in threads:
        t.join()
    assert order == [0, 1, 2, 3, 4]


def test_a_turn_given_up_after_its_timeout_is_skipped() -> None:
    """Test that a writer who stopped waiting does not block the ones behind it."""
    lock = db._TurnLock()
    assert lock.acquire(1)
    assert not lock.acquire(0.05)  # gives up
    got: list[bool] = []
    later = threading.Thread(target=lambda: got.append(lock.acquire(2)))
    later.start()
    lock.release()
    later.join()
    assert got == [True]


def test_threads_opening_a_file_another_process_holds_all_get_in_after_it(
    empty_db: Path,
) -> None:
    """Test that threads waiting together for a file held by another process all get it once
    it is released: they share one instance, never racing to attach the file twice."""
    errors: list[BaseException] = []
    proc = hold_lock(empty_db, 1.0)

    def use(n: int) -> None:
        try:
            for i in range(10):
                if n % 2:
                    with db.writing(empty_db) as con:
                        db.set_meta(con, f"t{n}", str(i))
                else:
                    with db.connect(empty_db) as con:
                        db.rows(con, "center_count")
        except BaseException as exc:  # collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=use, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    proc.wait(timeout=10)
    assert errors == []
    with db.connect(empty_db) as con:
        assert [db.get_meta(con, f"t{n}") for n in (1, 3, 5, 7)] == ["9"] * 4


def test_a_marker_left_by_a_killed_process_is_ignored(empty_db: Path) -> None:
    """Test that a waiting marker whose process is gone does not make the holder hand over."""
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    marker = empty_db.with_name(f"{empty_db.name}.waiting.{dead.pid}")
    marker.touch()
    assert not db._others_waiting(empty_db)
    live = empty_db.with_name(f"{empty_db.name}.waiting.{os.getppid()}")
    live.touch()
    assert db._others_waiting(empty_db)


APP_LIKE = (
    "import sys, time; from pathlib import Path; from mic_tracker import db; db.keep_open(60); "
    "p = Path(sys.argv[1]); c = db.connect(p); c.__enter__(); c.__exit__(None, None, None); "
    "print('idle', flush=True); time.sleep(30)"
)


def test_an_idle_app_keeping_the_file_open_hands_it_over_at_once(empty_db: Path) -> None:
    """Test that a process keeping the file open between uses (the app, keep_open) gives it to
    another process asking for it within a fraction of a second, not after its linger time."""
    proc = subprocess.Popen(
        [sys.executable, "-c", APP_LIKE, str(empty_db)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "idle"
        started = time.monotonic()
        with db.connect(empty_db) as con:
            assert db.rows(con, "center_count")[0]["n"] == 0
        assert time.monotonic() - started < 3  # the app lingers 60 s; the bound is 15 s
    finally:
        proc.kill()
        proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()
