"""领域: the annex's 10 sectors × 31 key fields — how far each field has got, titles by sector,
the one-center-per-field check (四), and a drill-down from sector to field to its centers."""

import streamlit as st

from mic_tracker.fields import PRINCIPLE, field_centers, view_narrowed
from mic_tracker.i18n import t
from mic_tracker.policy import load_plan
from mic_tracker.report import Filters
from mic_tracker.ui import charts_fields as ui
from mic_tracker.ui import drill
from mic_tracker.ui.data import derived, shared, show_error
from mic_tracker.ui.filters import current_view

plan = load_plan()
view = current_view()
st.title(t("重点领域覆盖"))
st.caption(
    t(
        "{doc}附件《导向目录》：{sectors}个行业分类、{fields}个重点领域。方案四：“{principle}。”",
        doc=plan.doc_number,
        sectors=len(plan.sectors),
        fields=len(plan.fields),
        principle=t(PRINCIPLE),
    )
)
try:
    # The date's centers read once; each filter narrows them in memory, once per view.
    city = shared(field_centers, view.as_of, Filters())
    data = derived(
        view_narrowed, (view.as_of, view.filters, view.metrics), city, view.filters, view.metrics
    )
except Exception as exc:
    show_error(exc)
    st.stop()

cov, empty, crowded = data.coverage, data.empty, data.crowded
scope = cov[cov["in_scope"]]
n_crowded = crowded["seq"].nunique()
a, b, c = st.columns(3)
a.metric(t("有在建中心的领域"), f"{int((scope['live'] > 0).sum())} / {len(scope)}")
b.metric(t("在建中心多于一个的领域"), t("{n} 个", n=n_crowded))
c.metric(t("尚无在建中心的领域"), t("{n} 个", n=len(empty)))
if view.filters.active:
    st.caption(
        t(
            "筛选已生效：只计符合所选行业、领域、县区、建设形式的中心。网格仍列出全部31个领域，"
            "没有符合条件中心的领域显示为灰色；下方的检查和明细只含所选行业、领域。"
        )
    )
if view.levels:
    st.caption(
        t(
            "层级筛选已生效：网格只按所选层级着色，柱状图只显示所选层级；"
            "一个领域一个中心的检查不受层级筛选影响。"
        )
    )

# Built once per view (the key says what cov was read for; hashing the frame cost more).
grid, bars = derived(
    ui.page_figures, (view.as_of, view.filters, view.metrics), cov, plan, view.metrics
)
drill.clickable_chart(grid, "field_grid", "field", "点击格子可按该领域筛选（同时选中其行业）。")
st.caption(
    t(
        "层级从高到低：国家级 > 省级 > 市级 > 培育中（列入市级培育名单且未取消）> 申报中 > 无。"
        "鼠标悬停在格子上可看该领域各层级的中心数。"
    )
)
drill.clickable_chart(bars, "sector_bars", "sector", "点击柱子可按该行业筛选。")

st.subheader(t("一个领域一个中心（方案四）"))
st.caption(
    t(
        "“{principle}。”在建中心：截至所选日期在培育中（列入市级培育名单且未取消）"
        "或持有市级、省级、国家级任一称号的中心。",
        principle=t(PRINCIPLE),
    )
)
st.markdown(t("**在建中心多于一个的领域（{n}个）**", n=n_crowded))
if crowded.empty:
    st.success(t("所选范围内没有一个领域同时有两个以上的在建中心。"))
else:
    rows = derived(ui.crowded_rows, (view.as_of, view.filters, view.metrics), crowded)
    ui.crowded_table(rows, view)
st.markdown(t("**尚无在建中心的领域（{n}个）**", n=len(empty)))
if empty.empty:
    st.success(t("所选范围内每个领域都已有在建中心。"))
else:
    ui.empty_table(empty, view)

st.subheader(t("按行业 → 领域查看中心"))
left, right = st.columns(2)
sector = left.selectbox(t("行业分类"), list(dict.fromkeys(scope["sector"])), key="fields_sector")
in_sector = scope[scope["sector"] == sector]
names = dict(zip(in_sector["seq"], in_sector["field"], strict=True))
live = dict(zip(in_sector["seq"], in_sector["live"], strict=True))
seq = right.selectbox(
    t("重点领域"),
    list(names),
    format_func=lambda s: t("{seq} {field}（在建 {n} 家）", seq=s, field=names[s], n=live[s]),
    key=f"fields_field_{sector}",
)
if seq is not None:
    centers = data.in_field(seq)
    if centers.empty:
        st.info(
            t("截至所选日期，{seq} {field} 领域没有符合筛选条件的中心。", seq=seq, field=names[seq])
        )
    else:
        ui.centers_table(centers, view, names[seq])
