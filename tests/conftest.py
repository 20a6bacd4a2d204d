"""Shared fixtures: fresh databases, the fixture workbook imported once, a small demo register."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st

from mic_tracker import db
from mic_tracker.demo import load_demo
from mic_tracker.importer import import_files

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
MESSY = FIXTURES / "county_messy.xlsx"
BROKEN = FIXTURES / "broken.xlsx"
# Demo registers are cut at a fixed date in tests, so their figures never drift with the clock.
DEMO_TODAY = dt.date(2026, 11, 26)


@pytest.fixture
def empty_db(tmp_path: Path) -> Path:
    path = tmp_path / "empty.duckdb"
    with db.connect(path):
        pass
    return path


@pytest.fixture(scope="session")
def _messy_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("messy") / "messy.duckdb"
    import_files(path, [MESSY])
    return path


@pytest.fixture
def messy_db(_messy_db_template: Path, tmp_path: Path) -> Path:
    """A private copy of a database holding the imported fixture workbook."""
    path = tmp_path / "messy.duckdb"
    db.close_idle()  # an open file may have committed data still in its WAL
    shutil.copy(_messy_db_template, path)
    return path


@pytest.fixture(scope="session")
def _demo_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    load_demo(path, centers=60, seed=2019, today=DEMO_TODAY)
    return path


@pytest.fixture
def demo_db(_demo_db_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "demo.duckdb"
    db.close_idle()
    shutil.copy(_demo_db_template, path)
    return path


@pytest.fixture(autouse=True)
def _fresh_streamlit_caches() -> Iterator[None]:
    """Cached query results never leak from one test's database into another's, and no
    database file stays open after a test (an AppTest runs the app, which keeps files open)."""
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    db.keep_open(0)
    db.close_idle()
