"""db.connect keeps a cursor between uses for the same scope, and never hands one to another
scope or after an error."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from mic_tracker import db
from tests.test_scope import COUNTY, EDITOR, JIANXI, _names


@pytest.fixture
def app_keeps_open() -> Iterator[None]:
    """As the app runs: the file stays open between uses, so cursors can be kept."""
    db.keep_open(30)
    yield
    db.keep_open(0)
    db.close_idle()


def _cursor(path: Path, scope: object = None) -> duckdb.DuckDBPyConnection:
    with db.connect(path, scope=scope) as con:  # type: ignore[arg-type]
        return con


def test_a_scope_gets_its_own_cursor_back_and_no_other_scope_does(
    messy_db: Path, app_keeps_open: None
) -> None:
    """Test that the county editor's cursor (with its temp views of 涧西区) comes back to the
    county editor, while the operator and a city-wide editor, asking in between, get cursors
    that read all 16 centers."""
    county = _cursor(messy_db, COUNTY)
    assert _cursor(messy_db, COUNTY) is county
    for scope in (None, EDITOR, None, EDITOR):
        assert _cursor(messy_db, scope) is not county
        assert len(_names(messy_db, scope)) == 16
        assert _names(messy_db, COUNTY) == JIANXI
    assert _cursor(messy_db, COUNTY) is county


def test_a_cursor_whose_block_raised_is_closed_not_kept(
    messy_db: Path, app_keeps_open: None
) -> None:
    """Test that a cursor left inside a transaction by an error is not handed out again: the
    next connection can begin its own transaction."""
    with pytest.raises(RuntimeError), db.connect(messy_db) as con:
        failed = con
        con.execute("begin transaction")
        raise RuntimeError("midway")
    with db.connect(messy_db) as con:
        assert con is not failed
        con.execute("begin transaction")
        con.execute("rollback")
    with pytest.raises(duckdb.ConnectionException):
        failed.execute("select 1")


def test_closing_the_file_closes_the_kept_cursors(messy_db: Path, app_keeps_open: None) -> None:
    """Test that close_idle (before a file is copied or handed to another process) closes the
    cursors kept for later as well as the file."""
    kept = _cursor(messy_db, COUNTY)
    kept.execute("select 1")
    db.close_idle()
    with pytest.raises(duckdb.ConnectionException):
        kept.execute("select 1")
    assert _names(messy_db, COUNTY) == JIANXI
