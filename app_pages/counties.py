"""县区: a map of Luoyang's divisions coloured by one level's count, development zones as
markers, and the ranking of all 17 reporting units (chart and table)."""

import streamlit as st

from mic_tracker.counties import (
    default_metric,
    leaders,
    metric_labels,
    old_names,
    old_names_note,
    ranking,
    shapes,
    zones,
)
from mic_tracker.reference import load_resolver
from mic_tracker.report import report
from mic_tracker.textfmt import date_cn
from mic_tracker.ui import charts_counties as ui
from mic_tracker.ui import drill
from mic_tracker.ui.data import cached, show_error
from mic_tracker.ui.filters import current_view

view = current_view()
labels = metric_labels()
st.title("县区分布：地图与排名")
st.caption(
    f"截至{date_cn(view.as_of)}，按今天的统计单位计数：14个县（市、区）和3个开发区。"
    "登记表中的旧名称（偃师市、吉利区、孟津县）计入今天的单位——偃师市 → 偃师区，"
    "孟津县、吉利区 → 孟津区（2021年3月区划调整），调整前的日期也这样计。"
)

options = list(view.metrics)
metric = st.radio(
    "按哪一层级着色和排名",
    options,
    index=options.index(default_metric(view.metrics)),
    format_func=labels.get,
    horizontal=True,
    key="counties_metric_" + "_".join(options),
    help="层级筛选已选时，只能在所选层级中选择。",
)
try:
    data = cached(report, view.as_of, view.filters)
    renamed = cached(old_names, view.as_of, view.filters, metric)
except Exception as exc:
    show_error(exc)
    st.stop()

frame = ranking(data["by_county"], metric)
selected = view.filters.counties
if selected:
    names = {d.code: d.name for d in load_resolver().current_units}
    st.info(
        f"县区筛选已生效：地图上红色粗边框为所选单位（{'、'.join(names[c] for c in selected)}）；"
        "其他单位因筛选不计入，显示为0。",
        icon=":material/filter_alt:",
    )
if view.filters.sectors or view.filters.fields or view.filters.forms:
    st.caption("行业、领域、建设形式筛选已生效：只计符合条件的中心。")

total = int(frame[metric].sum())
with_any = int((frame[metric] > 0).sum())
a, b, c = st.columns(3)
a.metric(f"{'所选范围' if view.filters.active else '全市'}{labels[metric]}", f"{total} 家")
b.metric("有中心的统计单位", f"{with_any} / {len(frame)} 个")
c.metric("数量最多", leaders(frame, metric))

drill.clickable_chart(
    ui.county_map(frame, shapes(), zones(), metric, labels, selected),
    "county_map",
    "county",
    "点击地图上的单位名称或开发区星形标记可按该单位筛选。",
    config={"scrollZoom": False, "displaylogo": False},
)
st.caption(
    "地图按所选层级的数量着色，颜色越深中心越多；鼠标悬停可看该单位四个层级的数量。"
    "孟津区的边界由原孟津县和原吉利区合并而成，偃师区沿用原偃师市的边界。"
    "★ 开发区（高新区、经开区、伊滨区）是单独的统计单位：其中心单独计数，不计入所在的区县"
    "（如高新区的中心不计入涧西区）。开发区没有独立的边界数据，星形标记放在其大致位置，仅示意。"
)
note = old_names_note(renamed)
if note:
    st.caption(f"{labels[metric]}计数中按旧名称登记的中心：{note}。")

st.subheader(f"按{labels[metric]}数量排名（单位：家）")
left, right = st.columns([1, 2])
drill.clickable_chart(
    ui.ranking_bars(frame, metric, labels, selected),
    "county_bars",
    "county",
    "点击柱子可按该单位筛选。",
    where=left,
)
with right:
    ui.ranking_table(frame, metric, labels, view)
st.caption(
    "排名图只显示所选层级的数量（不按层级叠加），斜线为开发区；同数时按行政区划代码排列，开发区在后。"
    "表中列出四个层级：一个中心在其持有的每个层级各计一次（如已认定为市级的中心同时计入培育对象），"
    "所以各列不能相加。边界数据来源与许可见 data/reference/README.md。"
)
