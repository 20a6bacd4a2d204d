"""Database access: migrations on open, reference data loaded, waiting for another writer."""

from __future__ import annotations

import subprocess
import sys
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
        assert "正被另一个程序写入" in str(info.value)
    finally:
        proc.kill()
        proc.wait()


def test_queries_refuse_missing_parameters(empty_db: Path) -> None:
    """Test that a named query run without one of its $parameters fails before reaching SQL."""
    with db.connect(empty_db) as con, pytest.raises(KeyError, match="as_of"):
        db.run(con, "counts", sectors=None, fields=None, counties=None, forms=None)
