"""The shared filter bar: as-of date, sector, field, county, form, level — kept in the URL.

Each widget is bound to a query parameter (`bind="query-params"`), so a link reproduces the
view and the values survive page switches. The widgets live in the entry script and every
page reads the same `ViewState` through `current_view()`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from mic_tracker.downloads import KINDS, filter_names
from mic_tracker.i18n import t
from mic_tracker.policy import load_plan
from mic_tracker.reference import load_resolver
from mic_tracker.report import Filters

KEYS = ("as_of", "sector", "field", "county", "form", "level")


@dataclass(frozen=True)
class ViewState:
    as_of: dt.date
    filters: Filters
    levels: tuple[str, ...]  # metric keys chosen; empty = all

    @property
    def metrics(self) -> tuple[str, ...]:
        return self.levels or tuple(load_plan().metrics)


def unit_names() -> list[str]:
    return [d.name for d in load_resolver().current_units]


def _field_options(sectors: list[str]) -> list[str]:
    plan = load_plan()
    return [f.name for f in plan.fields if not sectors or f.sector in sectors]


def reset() -> None:
    """Put every filter back to its default (today, nothing selected)."""
    st.session_state["as_of"] = dt.date.today()
    for key in KEYS[1:]:
        st.session_state[key] = []


def filter_bar() -> ViewState:
    """Draw the filters in the sidebar and return what they select."""
    plan = load_plan()
    with st.sidebar:
        st.markdown(f"#### {t('筛选')}")
        as_of = st.date_input(
            t("截至日期"),
            value=dt.date.today(),
            key="as_of",
            bind="query-params",
            min_value=dt.date(2015, 1, 1),
            max_value=dt.date(2035, 12, 31),
            format="YYYY-MM-DD",
            help=t("所有数字按该日已发生的事件计算"),
        )
        sectors = st.multiselect(
            t("行业分类"),
            plan.sectors,
            key="sector",
            bind="query-params",
            placeholder=t("全部行业"),
        )
        options = _field_options(sectors)
        kept = [f for f in st.session_state.get("field", []) if f in options]
        if kept != st.session_state.get("field", []):
            st.session_state["field"] = kept  # a field outside the chosen sectors is dropped
        fields = st.multiselect(
            t("重点领域"),
            options,
            key="field",
            bind="query-params",
            placeholder=t("全部领域（随行业分类收窄）"),
        )
        counties = st.multiselect(
            t("县区 / 开发区"),
            unit_names(),
            key="county",
            bind="query-params",
            placeholder=t("全市"),
        )
        forms = st.multiselect(
            t("建设形式"),
            list(plan.forms.values()),
            format_func=t,  # the value (and the URL) stays Chinese
            key="form",
            bind="query-params",
            placeholder=t("全部形式"),
        )
        labels = {plan.metrics[k]: k for k in plan.metrics}
        levels = st.multiselect(
            t("层级"),
            list(labels),
            format_func=t,  # the value (and the URL) stays Chinese
            key="level",
            bind="query-params",
            placeholder=t("全部层级"),
        )
        st.button(t("重置筛选"), on_click=reset, width="stretch")
    seqs = {f.name: f.seq for f in plan.fields}
    codes = {d.name: d.code for d in load_resolver().current_units}
    view = ViewState(
        as_of=as_of or dt.date.today(),
        filters=Filters(
            tuple(sectors),
            tuple(seqs[f] for f in fields),
            tuple(codes[c] for c in counties),
            tuple(forms),
        ),
        levels=tuple(labels[x] for x in levels),
    )
    st.session_state["_view"] = view
    return view


def current_view() -> ViewState:
    """The filters chosen in the sidebar (pages call this; the entry script draws the bar)."""
    view = st.session_state.get("_view")
    return view if isinstance(view, ViewState) else ViewState(dt.date.today(), Filters(), ())


def describe(view: ViewState) -> str:
    """The filters in words, for headers and exports."""
    names = filter_names(view.filters, view.levels)
    # Forms and levels are the plan's labels (translated); t leaves data names as they are.
    return t("；").join(
        t("{kind}：{values}", kind=t(KINDS[kind][0]), values=t("、").join(map(t, values)))
        for kind, values in names.items()
    )
