"""预警: everything that needs action, most urgent first, in the Ouhai three colours; counts by county."""

import streamlit as st

from mic_tracker.alerts import SEVERITY_LABELS, with_counties_narrowed
from mic_tracker.i18n import t
from mic_tracker.ui import drill
from mic_tracker.ui.charts_alerts import (
    alert_rows,
    county_chart,
    severity_column,
    severity_label,
    severity_words,
)
from mic_tracker.ui.data import alert_reads, derived, together
from mic_tracker.ui.filters import current_view
from mic_tracker.ui.tables import table_with_downloads

view = current_view()
st.title(t("预警：需要办理的事项"))
st.caption(
    t(
        "参照瓯海“三色预警”做法：红色为已逾期，黄色为90天内到期或条件未满足，绿色为按期推进。"
        "期限按《民法典》第201–203条计算，遇法定节假日顺延至下一个工作日。"
    )
)

# The date's reads of every center at the same time (DuckDB works outside Python's lock), then
# narrowed to the filters and put together once per view: a filter change reads nothing again.
reads = tuple(together(*alert_reads(view.as_of)))
frame, table = derived(with_counties_narrowed, (view.as_of, view.filters), reads, view.filters)
counts = frame["severity"].value_counts()
for col, key in zip(st.columns(3), SEVERITY_LABELS, strict=True):
    col.metric(severity_label(key), t("{n} 项", n=int(counts.get(key, 0))))

chosen = st.pills(
    t("显示"),
    list(SEVERITY_LABELS),
    default=["red", "amber"],
    selection_mode="multi",
    format_func=severity_label,
    key="alert_severity",
)
shown = frame[frame["severity"].isin(chosen or list(SEVERITY_LABELS))]
if shown.empty:
    st.success(t("所选颜色下没有需要办理的事项。"))
else:
    table_with_downloads(
        alert_rows(shown).assign(
            severity=shown["severity"].map({k: severity_column(k) for k in SEVERITY_LABELS})
        ),
        "预警事项",
        view,
        extra=[severity_words(chosen)],
        rows_key=(view.as_of, view.filters, tuple(chosen or ())),
        hide_index=True,
        width="stretch",
        placeholder="—",
        column_config={
            "severity": st.column_config.TextColumn(t("颜色"), width="small"),
            "kind": t("事项"),
            "center": st.column_config.TextColumn(t("中心", ctx="column"), width="large"),
            "county": t("县区", ctx="column"),
            "due": t("期限"),
            "days_left": st.column_config.NumberColumn(t("剩余天数"), format="%d"),
            "what": st.column_config.TextColumn(t("需要办理"), width="medium"),
            "rule": t("提示规则"),
            "clause": t("方案条款"),
        },
    )

st.subheader(t("各县区预警数"))
if table.empty:
    st.caption(t("没有预警。"))
else:
    drill.clickable_chart(
        derived(county_chart, (view.as_of, view.filters), table),
        "alert_counties",
        "county",
        "点击柱子可按该县区筛选。",
    )
