"""Cached access to the package for the pages, keyed by filters and the data version.

Every write bumps `data_version` in the database; cached results carry it in their key, so
a change shows on the next rerun and an unchanged register is never queried twice.
"""

from __future__ import annotations

import datetime as dt
import importlib
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import duckdb
import streamlit as st
from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

from mic_tracker import db, paths
from mic_tracker.alerts import condition_rows_by_center, deadline_rows_by_center
from mic_tracker.conditions import field_states_by_center
from mic_tracker.errors import ScopeDenied, describe
from mic_tracker.i18n import language, t
from mic_tracker.narrowing import center_dims
from mic_tracker.report import Filters
from mic_tracker.scope import Scope


def database() -> Path:
    return paths.database_path()


def load_status() -> dict[str, Any]:
    """Read data version, last change, demo flag and size (signed_in reads them with the
    account, once a run)."""
    with db.connect(database()) as con:
        return read_status(con)


def read_status(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """load_status on an open connection; kept for the rest of the run (status())."""
    meta = dict(db.run(con, "data_version").fetchall())
    info = {
        "data_version": meta.get("data_version") or "0",
        "last_change": meta.get("last_change"),
        "demo": meta.get("demo") == "true",
        "centers": int(meta["centers"]),
    }
    st.session_state["_status"] = info
    return info


def status() -> dict[str, Any]:
    info = st.session_state.get("_status")
    return info if isinstance(info, dict) else load_status()


def _run(
    path: str,
    version: str,
    ref: str,
    args: tuple[Any, ...],
    who: tuple[str, str, str | None] | None,
) -> Any:
    del version  # part of the cache key only: a write bumps it
    module, name = ref.split(":")
    func = getattr(importlib.import_module(module), name)
    with db.connect(Path(path), scope=Scope(*who) if who else None) as con:
        return func(con, *args)


# Filters are hashed by their repr (every field, in order): Streamlit's hasher walks a
# dataclass field by field, which cost about 1 ms a cached call.
HASH_FUNCS = {Filters: repr}
_call = st.cache_data(show_spinner=False, max_entries=1024, hash_funcs=HASH_FUNCS)(_run)
# The same results handed out as one object, not a copy each time (shared()).
_call_shared = st.cache_resource(show_spinner=False, max_entries=64, hash_funcs=HASH_FUNCS)(_run)


def session_scope() -> Scope:
    """The signed-in person's scope; no one signed in reads nothing."""
    scope = st.session_state.get("scope")
    if not isinstance(scope, Scope):
        raise ScopeDenied("请先登录。")
    return scope


def _who(scope: Scope) -> tuple[str, str, str | None]:
    return (scope.actor, scope.role, scope.county)


def cached(func: Callable[..., Any], *args: Any) -> Any:
    """func(con, *args) on a connection scoped to the signed-in person, cached by database,
    data version, arguments and scope (one person's results never reach another)."""
    ref = f"{func.__module__}:{func.__qualname__}"
    who = _who(session_scope())
    return _call(str(database()), str(status()["data_version"]), ref, args, who)


def shared(func: Callable[..., Any], *args: Any) -> Any:
    """Like cached, but every rerun and session with the same key gets the same object, not
    a copy: for a large result a page only reads (copying a 20,000-row list cost about 10 ms a
    rerun). Callers must not change it; derive new frames instead."""
    ref = f"{func.__module__}:{func.__qualname__}"
    who = _who(session_scope())
    return _call_shared(str(database()), str(status()["data_version"]), ref, args, who)


def cache_key(*parts: Any) -> tuple[Any, ...]:
    """What a value derived from cached results depends on besides `parts`: the database,
    its data version, the signed-in person and the language."""
    scope = session_scope()
    return (str(database()), str(status()["data_version"]), _who(scope), language(), *parts)


# Keyed by what the value depends on; the function and its inputs are not hashed (leading _).
@st.cache_resource(show_spinner=False, max_entries=64, hash_funcs=HASH_FUNCS)
def _derived(key: tuple[Any, ...], _func: Callable[..., Any], _parts: tuple[Any, ...]) -> Any:
    del key
    return _func(*_parts)


def derived(func: Callable[..., Any], key: tuple[Any, ...], *parts: Any) -> Any:
    """func(*parts) once per key, shared like shared(): for a value a page builds from shared
    results, so a warm rerun does not build it again. `key` must name everything the parts
    depend on besides what cache_key adds (usually the date and filters they were read with)."""
    return _derived(cache_key(f"{func.__module__}:{func.__qualname__}", *key), func, parts)


def together(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls (each a cached read) at the same time and return their results in order.

    DuckDB works outside Python's lock, so two reads on two connections take about as long as
    the longer one on this 2-core machine. Each thread carries this run's context, so the
    calls see the session (scope, status) as the script does. An error is raised as it is."""
    if len(calls) < 2:
        return [call() for call in calls]
    ctx = get_script_run_ctx()
    with ThreadPoolExecutor(max_workers=len(calls) - 1) as pool:

        def attached(call: Callable[[], Any]) -> Any:
            if ctx is not None:
                add_script_run_ctx(threading.current_thread(), ctx)
            return call()

        later = [pool.submit(attached, call) for call in calls[1:]]
        first = calls[0]()
        return [first, *(f.result() for f in later)]


def alert_reads(as_of: dt.date) -> tuple[Callable[[], Any], ...]:
    """For together(): the three alert reads of every center the person may see as of the date
    (alerts.deadline_rows_by_center, alerts.condition_rows_by_center and
    conditions.field_states_by_center), then the centers' filter columns (center_dims). A page
    narrows them to its filters in memory; 预警 and 简报 share them."""
    city = Filters()
    return (
        lambda: shared(deadline_rows_by_center, as_of, city),
        lambda: shared(condition_rows_by_center, as_of, city),
        lambda: shared(field_states_by_center, as_of, city),
        lambda: shared(center_dims),
    )


def shared_city(func: Callable[..., Any], *args: Any) -> Any:
    """Like shared, but city-wide for every signed-in person: only for functions marked
    scope.city_totals, whose results are counts without names (a county editor sees the
    city's target figures as totals). One object for every rerun and session, not a copy:
    callers must not change it."""
    ref = _city_ref(func)
    return _call_shared(str(database()), str(status()["data_version"]), ref, args, None)


def _city_ref(func: Callable[..., Any]) -> str:
    """The function's reference for the cache, once it is known to give counts only and
    someone is signed in."""
    if not getattr(func, "city_totals", False):
        raise ScopeDenied(f"{func.__qualname__} 不是只含合计数的查询，不能跨县区读取。")
    session_scope()
    return f"{func.__module__}:{func.__qualname__}"


def clear_caches() -> None:
    st.cache_data.clear()
    _call_shared.clear()
    st.session_state.pop("_status", None)


def show_error(exc: BaseException) -> None:
    """The one place a page turns an exception into what the user sees.

    The package's messages are Chinese (they name records and rules); in English they get an
    English lead-in, so a reader knows an action failed even when the details stay Chinese.
    """
    message = describe(exc)
    if language() == "en":
        message = t("操作未完成：{message}", message=message)
    st.error(message)
