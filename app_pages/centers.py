"""中心: the searchable list of centers as of the date, its downloads, and one center's page."""

from functools import partial

import pandas as pd
import streamlit as st

from mic_tracker import center_detail as detail
from mic_tracker.centers import (
    LIST_TITLE,
    PICKER_LIMIT,
    TABLE_COLUMNS,
    center_list,
    id_of,
    list_narrowed,
    picker_names,
    search,
)
from mic_tracker.i18n import t
from mic_tracker.report import Filters
from mic_tracker.ui import charts_centers as charts
from mic_tracker.ui.data import cached, derived, shared
from mic_tracker.ui.figures import figure
from mic_tracker.ui.filters import current_view
from mic_tracker.ui.frame import day
from mic_tracker.ui.tables import table_with_downloads

view = current_view()
st.title(t("创新中心名单"))
# The date's centers read once; each filter and level choice narrows them, once per view.
centers = derived(
    list_narrowed,
    (view.as_of, view.filters, view.levels),
    shared(center_list, view.as_of, Filters(), ()),
    view.filters,
    view.levels,
)
query = st.text_input(
    t("搜索"),
    key="q",
    bind="query-params",
    placeholder=t("输入中心名称、牵头单位或重点领域中的文字"),
    icon=":material/search:",
)
shown = search(centers, query)
found = (
    t("，其中搜索「{query}」命中 {n} 家", query=query.strip(), n=len(shown))
    if query and query.strip()
    else ""
)
st.caption(
    t(
        "截至{date}符合筛选条件的中心 {n} 家{found}。",
        date=day(view.as_of),
        n=len(centers),
        found=found,
    )
    + t("点击表头排序；点击一行在下方查看该中心。当前阶段按截至日期已发生的事件计算。")
)
charts.mark_chosen(shown)
table_with_downloads(
    charts.list_rows(shown),
    LIST_TITLE,
    view,
    extra=[t("搜索{query}", query=query.strip())] if found else [],
    column_order=list(TABLE_COLUMNS),
    column_config=charts.list_columns(),
    hide_index=True,
    key="center_table",
    rows_key=(view.as_of, view.filters, view.levels, query),
    on_select=partial(charts.pick_row, shown),
    selection_mode="single-row",
    height=460 if len(shown) > 10 else "auto",
    placeholder="—",
)

st.divider()
if len(shown) > PICKER_LIMIT:
    st.caption(
        t("下拉列表只列出前 {n} 家；在上方搜索或点击表中的一行可选其他中心。", n=PICKER_LIMIT)
    )
chosen = st.session_state.get("center", st.query_params.get("center"))
picked = st.selectbox(
    t("查看中心"),
    picker_names(shown, chosen),
    index=None,
    key="center",
    bind="query-params",
    placeholder=t("选择一个中心，或在上表中点击一行"),
)
center_id = id_of(shown, picked)
if center_id is None:
    st.info(t("选择一个中心后，这里显示它的事件时间线、基本情况、成员单位和年度数据。"))
    st.stop()

row = shown[shown["id"] == center_id].iloc[0]
st.subheader(str(picked))
st.markdown(
    t("截至{date}：", date=day(view.as_of))
    + f"**{t(row['stage_label'])}** · {row['field']} · {row['county']}"
)
events = cached(detail.events, center_id, view.as_of)
if events.empty:
    st.caption(t("截至所选日期，该中心还没有记录任何事件。"))
else:
    events = charts.event_rows(events)  # labels in the chosen language
    st.plotly_chart(figure(charts.timeline, events, str(picked), view.as_of), width="stretch")
    with st.expander(t("事件记录（截至所选日期，含备注）")):
        st.dataframe(
            events[["event_date", "label", "note"]],
            column_config=charts.event_columns(),
            hide_index=True,
            placeholder="",
            width="stretch",
        )

attrs, people = st.columns([3, 2])
with attrs:
    st.markdown(t("**基本情况**（导入模板「中心」表）"))
    facts = cached(detail.attributes, center_id)
    st.dataframe(
        pd.DataFrame([(t(k), t(v)) for k, v in facts.items()], columns=["项目", "内容"]),
        column_config=charts.fact_columns(),
        hide_index=True,
        width="stretch",
        height="content",
    )
with people:
    st.markdown(f"**{t('成员单位')}**")
    members = cached(detail.members, center_id)
    if members.empty:
        st.caption(t("未填报成员单位。"))
    else:
        st.dataframe(
            members.assign(member_type=members["member_type"].map(t)),
            column_config=charts.member_columns(),
            hide_index=True,
        )

st.markdown(t("**年度数据**（截至所选日期已结束的年度；金额单位：万元/亿元）"))
annual = cached(detail.annual, center_id, view.as_of)
if annual.empty:
    st.caption(t("截至所选日期没有已结束年度的年度数据。"))
else:
    st.dataframe(charts.annual_rows(detail.annual_table(annual)), hide_index=True)
