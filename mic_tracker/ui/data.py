"""Cached access to the package for the pages, keyed by the database's data version."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import streamlit as st

from mic_tracker import db, paths
from mic_tracker.errors import describe
from mic_tracker.report import Filters, report


def database() -> Path:
    return paths.database_path()


def status() -> dict[str, Any]:
    """Data version, last change, demo flag and size — read fresh on every rerun (cheap)."""
    with db.connect(database()) as con:
        return db.rows(con, "data_version")[0]


@st.cache_data(show_spinner=False, max_entries=256)
def cached_report(path: str, version: str, as_of: dt.date, filters: Filters) -> dict[str, Any]:
    del version  # part of the cache key only: a write bumps it
    with db.connect(Path(path)) as con:
        return report(con, as_of, filters)


def get_report(as_of: dt.date, filters: Filters) -> dict[str, Any]:
    return cached_report(str(database()), status()["data_version"], as_of, filters)


def show_error(exc: BaseException) -> None:
    """The one place a page turns an exception into what the user sees."""
    st.error(describe(exc))
