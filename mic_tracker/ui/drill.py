"""Drill-down: a click on a bar, a grid cell or a map unit narrows the shared filters, and
「返回上一视图」 puts back the filters as they were before the click.

The filter widgets are drawn by dashboard.py before the page body runs, so a page cannot set
their values itself; a chart's `on_select` callback runs before the next script run, when the
widgets may still be given new values. Each clickable point carries the value it narrows to in
its `customdata` (the last item when the hover text comes first).

What the drills did is kept in session state as a stack of the filters before and after each
click; the bar with the way back shows while the filters are still those of the last click.
Clicking the value that is already the only one chosen changes nothing and adds no step.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping, Sequence
from typing import Any

import streamlit as st
from plotly.graph_objects import Figure

from mic_tracker.downloads import KINDS
from mic_tracker.i18n import t
from mic_tracker.policy import load_plan
from mic_tracker.ui.filters import unit_names

FILTER_KEYS = ("sector", "field", "county", "form", "level")  # the date is never drilled
HISTORY = "_drill_history"  # list of {"before": filters, "after": filters}
GENERATION = "_drill_generation"  # part of each chart's key: a new chart after every step
MAX_STEPS = 20

Filters = dict[str, list[str]]


def snapshot(state: MutableMapping[str, Any]) -> Filters:
    """The five list filters as they are now (missing ones as empty)."""
    return {key: list(state.get(key) or []) for key in FILTER_KEYS}


def narrowed(kind: str, value: str, current: Filters) -> Filters | None:
    """The filters after a click on `value` of `kind`, or None when the click changes nothing
    (the value is already the only one chosen, or it is no value of the filter).

    A field narrows its sector too, so the field list in the sidebar stays consistent; a sector
    keeps only the chosen fields inside it (the sidebar would drop the others anyway); a level
    arrives as its metric key (the funnel's 申报中 is no level and narrows nothing)."""
    plan = load_plan()
    new = {key: list(values) for key, values in current.items()}
    if kind == "field":
        sector = next((f.sector for f in plan.fields if f.name == value), None)
        if sector is None:
            return None
        new["sector"], new["field"] = [sector], [value]
    elif kind == "sector":
        if value not in plan.sectors:
            return None
        inside = {f.name for f in plan.fields if f.sector == value}
        new["sector"] = [value]
        new["field"] = [f for f in current["field"] if f in inside]
    elif kind == "level":
        if value not in plan.metrics:
            return None
        new["level"] = [plan.metrics[value]]
    elif kind == "county":
        if value not in unit_names():
            return None
        new["county"] = [value]
    else:
        raise ValueError(f"no drill-down by {kind!r}")
    return None if new == current else new


def narrow(state: MutableMapping[str, Any], kind: str, value: str) -> bool:
    """Narrow the filters in `state` to the clicked value, remembering the filters before;
    False when the click changed nothing."""
    before = snapshot(state)
    after = narrowed(kind, value, before)
    if after is None:
        return False
    history = [*live_history(state), {"before": before, "after": after}]
    state[HISTORY] = history[-MAX_STEPS:]
    _apply(state, after)
    return True


def back(state: MutableMapping[str, Any]) -> bool:
    """Put the filters back as they were before the last click; False when there is none."""
    history = live_history(state)
    if not history:
        return False
    state[HISTORY] = history[:-1]
    _apply(state, history[-1]["before"])
    return True


def live_history(state: MutableMapping[str, Any]) -> list[dict[str, Filters]]:
    """The drill steps, or none when the filters were changed since the last click (in the
    sidebar, by 重置筛选 or a link): the way back would then undo something not clicked."""
    history = state.get(HISTORY) or []
    if history and history[-1]["after"] != snapshot(state):
        return []
    return list(history)


def _apply(state: MutableMapping[str, Any], filters: Filters) -> None:
    for key in FILTER_KEYS:
        state[key] = list(filters[key])
    state[GENERATION] = state.get(GENERATION, 0) + 1


def changes(step: dict[str, Filters]) -> str:
    """What a step narrowed, in words: 县区：涧西区 / 行业：新材料；领域：先进陶瓷材料."""
    before, after = step["before"], step["after"]
    return "；".join(
        f"{t(KINDS[key][0])}：" + "、".join(map(t, after[key]))  # level labels translate
        for key in FILTER_KEYS
        if after[key] != before[key] and after[key]
    )


def clicked_value(points: Sequence[dict[str, Any]]) -> str | None:
    """The value the first clicked point carries in its customdata (the last item of a list)."""
    for point in points:
        data = point.get("customdata")
        if isinstance(data, list | tuple):
            data = data[-1] if data else None
        if isinstance(data, str) and data:
            return data
    return None


def _on_select(key: str, kind: str) -> Callable[[], None]:
    def picked() -> None:
        event = st.session_state.get(key)
        points = event["selection"]["points"] if event else []
        value = clicked_value(points)
        if value is not None:
            narrow(st.session_state, kind, value)

    return picked


def clickable_chart(
    fig: Figure, name: str, kind: str, hint: str, where: Any = st, **kwargs: Any
) -> None:
    """Draw the figure so that a click on a point narrows the `kind` filter, with the hint
    (Chinese text, translated here) below it. The key changes after every step, so no old selection stays highlighted."""
    key = f"drill_{name}_{st.session_state.get(GENERATION, 0)}"
    where.plotly_chart(
        fig,
        key=key,
        on_select=_on_select(key, kind),
        selection_mode="points",
        width="stretch",
        **kwargs,
    )
    where.caption(t(hint))


def back_bar() -> None:
    """After a click narrowed the filters: what it chose and the button back (every page)."""
    history = live_history(st.session_state)
    if not history:
        st.session_state[HISTORY] = []
        return
    with st.container(key="drill_bar", horizontal=True, vertical_alignment="center"):
        st.info(
            t("已按 {what} 筛选（点击图表所得）", what=changes(history[-1])),
            icon=":material/filter_alt:",
            width="stretch",
        )
        st.button(
            t("返回上一视图"),
            key="drill_back",
            icon=":material/undo:",
            on_click=back,
            args=(st.session_state,),
        )
