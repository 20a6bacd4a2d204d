"""Plotly figures built once per data version, language and arguments, and drawn from plain dicts.

Building a figure through plotly's validated objects costs tens of milliseconds, more than the
queries behind it once those are cached; a rerun that changed nothing (a widget elsewhere, a
second tab) reuses the figure. It is shared, not copied: callers must not change it.

Builders on the filter-change path write Plotly's JSON directly (`PlainFigure`): a filter change
builds every figure anew, and plotly's validation of each property was most of that time. The
tests validate each such builder's output once against plotly's schema instead.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import streamlit as st

from mic_tracker.i18n import language
from mic_tracker.plain_figure import PlainFigure
from mic_tracker.policy import Plan
from mic_tracker.ui.data import HASH_FUNCS, database, status


# The plan is one object per process, read from data/policy: its id keys it (hashing its
# contents took most of a cached rerun's time).
@st.cache_resource(
    show_spinner=False, max_entries=256, hash_funcs={Plan: lambda p: p.id, **HASH_FUNCS}
)
def _built(version: tuple[str, str], lang: str, ref: str, args: tuple[Any, ...]) -> Any:
    del version, lang  # part of the key: new data or another language builds anew
    module, name = ref.split(":")
    return getattr(importlib.import_module(module), name)(*args)


__all__ = ["PlainFigure", "figure"]


def figure(builder: Callable[..., Any], *args: Any) -> Any:
    """builder(*args), or the figure it built before for the same data, language and args."""
    ref = f"{builder.__module__}:{builder.__qualname__}"
    # The database and its version: another file can be at the same version number.
    return _built((str(database()), str(status()["data_version"])), language(), ref, args)
