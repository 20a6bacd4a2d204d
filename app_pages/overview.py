"""总览: each target's status light and gap, titles held over time against the pace, recent changes."""

import datetime as dt

import streamlit as st

from mic_tracker.i18n import t
from mic_tracker.overview import pace_lines, recent_changes, series
from mic_tracker.policy import load_plan
from mic_tracker.report import target_progress
from mic_tracker.ui import charts
from mic_tracker.ui.cards import target_cards
from mic_tracker.ui.data import cached, cached_city, derived, together
from mic_tracker.ui.filters import current_view
from mic_tracker.ui.tables import table_with_downloads

plan = load_plan()
view = current_view()
st.title(t("目标进度总览"))
st.caption(
    t(
        "{doc}《{title}》一(三) 建设目标：到2019、2020、2025年底的累计数（全市）",
        doc=plan.doc_number,
        title=t(plan.title),
    )
)

# Target figures are city totals (counts, no names) for everyone, a county editor included.
# The three reads are independent: read at the same time.
data, history, changes = together(
    lambda: cached_city(target_progress, view.as_of, view.filters),
    lambda: cached_city(series, view.filters, dt.date(2019, 1, 1), view.as_of),
    lambda: cached(recent_changes, view.as_of, view.filters, 90),
)
target_cards([g for g in data["targets"] if g["metric"] in view.metrics], plan)

# Built once per view; the key says what the frames were read for (hashing them cost ~20 ms).
fig = derived(
    charts.progress_chart,
    (view.as_of, view.filters, view.metrics),
    *(plan, history, pace_lines(plan, data["start"]), data["targets"], view.metrics, view.as_of),
)
st.plotly_chart(fig, width="stretch")

st.subheader(t("近90天的变化"))
if changes.empty:
    st.caption(t("截至所选日期前90天内，没有新列入培育、认定、取消或撤销的中心。"))
else:
    table_with_downloads(
        charts.change_rows(changes)[["event_date", "event", "center", "field", "county"]],
        "近90天的变化",
        view,
        hide_index=True,
        width="stretch",
        column_config={
            "event_date": st.column_config.DateColumn(t("日期"), format="YYYY-MM-DD"),
            "event": t("事件"),
            "center": t("中心", ctx="column"),
            "field": t("重点领域"),
            "county": t("县区", ctx="column"),
        },
    )
