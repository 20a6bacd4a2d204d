"""总览: each target's status light and gap, titles held over time against the pace, recent changes."""

import datetime as dt

import streamlit as st

from mic_tracker.i18n import t
from mic_tracker.narrowing import center_dims
from mic_tracker.overview import pace_lines, recent_changes, series_groups, view_narrowed
from mic_tracker.policy import load_plan
from mic_tracker.report import Filters, count_groups, report_dates
from mic_tracker.ui import charts
from mic_tracker.ui.cards import target_cards
from mic_tracker.ui.data import derived, shared, shared_city, together
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
# The date's reads of every center at the same time, then narrowed to the filters once per
# view: a filter change reads nothing again.
city = Filters()
reads = together(
    lambda: shared_city(count_groups, tuple(report_dates(plan, view.as_of)), city),
    lambda: shared_city(series_groups, city, dt.date(2019, 1, 1), view.as_of),
    lambda: shared(recent_changes, view.as_of, city, 90),
    lambda: shared(center_dims),
)
data, history, changes = derived(
    view_narrowed, (view.as_of, view.filters), view.as_of, view.filters, *reads
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
