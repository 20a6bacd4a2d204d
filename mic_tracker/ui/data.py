"""Cached access to the package for the pages, keyed by filters and the data version.

Every write bumps `data_version` in the database; cached results carry it in their key, so
a change shows on the next rerun and an unchanged register is never queried twice.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import streamlit as st

from mic_tracker import db, paths
from mic_tracker.errors import describe


def database() -> Path:
    return paths.database_path()


def load_status() -> dict[str, Any]:
    """Read data version, last change, demo flag and size; the entry script does it once a run."""
    with db.connect(database()) as con:
        info = db.rows(con, "data_version")[0]
    st.session_state["_status"] = info
    return info


def status() -> dict[str, Any]:
    info = st.session_state.get("_status")
    return info if isinstance(info, dict) else load_status()


@st.cache_data(show_spinner=False, max_entries=1024)
def _call(path: str, version: str, ref: str, args: tuple[Any, ...]) -> Any:
    del version  # part of the cache key only: a write bumps it
    module, name = ref.split(":")
    func = getattr(importlib.import_module(module), name)
    with db.connect(Path(path)) as con:
        return func(con, *args)


def cached(func: Callable[..., Any], *args: Any) -> Any:
    """func(con, *args) on a fresh connection, cached by database, data version and args."""
    ref = f"{func.__module__}:{func.__qualname__}"
    return _call(str(database()), str(status()["data_version"]), ref, args)


def clear_caches() -> None:
    st.cache_data.clear()
    st.session_state.pop("_status", None)


def show_error(exc: BaseException) -> None:
    """The one place a page turns an exception into what the user sees."""
    st.error(describe(exc))
