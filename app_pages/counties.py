"""县区: a map of Luoyang's divisions coloured by one level's count, development zones as
markers, and the ranking of all 17 reporting units (chart and table)."""

import streamlit as st

from mic_tracker.counties import default_metric, metric_labels, old_names, unit_counts
from mic_tracker.i18n import t
from mic_tracker.reference import load_resolver
from mic_tracker.ui import charts_counties as ui
from mic_tracker.ui import drill
from mic_tracker.ui.data import cached, show_error
from mic_tracker.ui.filters import current_view
from mic_tracker.ui.frame import day

view = current_view()
labels = metric_labels()
st.title(t("县区分布：地图与排名"))
st.caption(
    t(
        "截至{date}，按今天的统计单位计数：14个县（市、区）和3个开发区。"
        "登记表中的旧名称（偃师市、吉利区、孟津县）计入今天的单位——偃师市 → 偃师区，"
        "孟津县、吉利区 → 孟津区（2021年3月区划调整），调整前的日期也这样计。",
        date=day(view.as_of),
    )
)

options = list(view.metrics)
metric = st.radio(
    t("按哪一层级着色和排名"),
    options,
    index=options.index(default_metric(view.metrics)),
    format_func=lambda m: t(labels[m]),
    horizontal=True,
    key="counties_metric_" + "_".join(options),
    help=t("层级筛选已选时，只能在所选层级中选择。"),
)
try:
    data = cached(unit_counts, view.as_of, view.filters)  # all levels: a new level reads nothing
except Exception as exc:
    show_error(exc)
    st.stop()

selected = view.filters.counties
shown = ui.county_view(data["units"], metric, selected)  # built once per counts and level
frame = shown.frame
words = ui.metric_words(labels, metric)  # 市级 / "city-level centers"
if selected:
    names = {d.code: d.name for d in load_resolver().current_units}
    st.info(
        t(
            "县区筛选已生效：地图上红色粗边框为所选单位（{units}）；其他单位因筛选不计入，显示为0。",
            units=t("、").join(names[c] for c in selected),
        ),
        icon=":material/filter_alt:",
    )
if view.filters.sectors or view.filters.fields or view.filters.forms:
    st.caption(t("行业、领域、建设形式筛选已生效：只计符合条件的中心。"))

total = int(frame[metric].sum())
with_any = int((frame[metric] > 0).sum())
a, b, c = st.columns(3)
in_scope = "所选范围{metric}" if view.filters.active else "全市{metric}"
a.metric(t(in_scope, metric=words), t("{n} 家", n=total))
b.metric(t("有中心的统计单位"), t("{n} / {total} 个", n=with_any, total=len(frame)))
c.metric(t("数量最多"), shown.leaders)

drill.clickable_chart(
    shown.the_map,
    "county_map",
    "county",
    "点击地图上的单位名称或开发区星形标记可按该单位筛选。",
    config={"scrollZoom": False, "displaylogo": False},
)
st.caption(
    t(
        "地图按所选层级的数量着色，颜色越深中心越多；鼠标悬停可看该单位四个层级的数量。"
        "孟津区的边界由原孟津县和原吉利区合并而成，偃师区沿用原偃师市的边界。"
        "★ 开发区（高新区、经开区、伊滨区）是单独的统计单位：其中心单独计数，不计入所在的区县"
        "（如高新区的中心不计入涧西区）。开发区没有独立的边界数据，星形标记放在其大致位置，仅示意。"
    )
)
note = ui.old_names_text(old_names(data["written"], metric))
if note:
    st.caption(t("{metric}计数中按旧名称登记的中心：{note}。", metric=words, note=note))

st.subheader(t("按{metric}数量排名（单位：家）", metric=words))
left, right = st.columns([1, 2])
drill.clickable_chart(
    shown.bars,
    "county_bars",
    "county",
    "点击柱子可按该单位筛选。",
    where=left,
)
with right:
    ui.ranking_table(frame, metric, labels, view)
st.caption(
    t(
        "排名图只显示所选层级的数量（不按层级叠加），斜线为开发区；"
        "同数时按行政区划代码排列，开发区在后。"
        "表中列出四个层级：一个中心在其持有的每个层级各计一次（如已认定为市级的中心同时计入培育对象），"
        "所以各列不能相加。边界数据来源与许可见 data/reference/README.md。"
    )
)
