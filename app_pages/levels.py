"""层级: the pipeline 申报 → 培育 → 市级 → 省级 → 国家级 — funnels, yearly flows, conversion, time."""

import streamlit as st

from mic_tracker.i18n import t
from mic_tracker.levels import pipeline
from mic_tracker.policy import load_plan
from mic_tracker.ui import charts_levels as ui
from mic_tracker.ui import drill
from mic_tracker.ui.data import derived, shared, show_error
from mic_tracker.ui.filters import current_view
from mic_tracker.ui.frame import day as day_of
from mic_tracker.ui.tables import table_with_downloads

plan = load_plan()
view = current_view()
metrics = view.metrics
day = day_of(view.as_of)
st.title(t("层级：从申报到国家级"))
st.caption(
    t(
        "{doc} 四 建设程序：申报 → 县级推荐 → 专家评审 → 公示 → 列入市级培育名单 → "
        "认定为市级制造业创新中心；市级中心可推荐认定省级、国家级。本页只计截至所选日期已发生的事件。",
        doc=plan.doc_number,
    )
)
if view.levels:
    st.caption(
        t("按所选层级显示：漏斗含所选层级及其下一阶段；转化率与间隔时间按所到达的层级显示。")
    )

try:
    data = shared(pipeline, view.as_of, view.filters)
except Exception as exc:
    show_error(exc)
    st.stop()

counts = data.conversion["counts"]
no_city = t(
    "截至该日，省级称号中 {province} 家、国家级称号中 {national} 家"
    "未经市级培育认定途径取得（如方案发布前的称号）",
    province=counts["province_no_city"],
    national=counts["national_no_city"],
)

st.subheader(t("培育—认定漏斗"))
# Built once per view (the key says what data was read for; hashing its rows cost more).
held, ever, flows, durations = derived(
    ui.page_figures, (view.as_of, view.filters, metrics), data, metrics, day
)
left, right = st.columns(2)
FUNNEL_HINT = "点击漏斗的一层可按该层级筛选（申报中不是层级，点击不筛选）。"
drill.clickable_chart(held, "funnel_held", "level", FUNNEL_HINT, where=left)
drill.clickable_chart(ever, "funnel_ever", "level", FUNNEL_HINT, where=right)
st.caption(
    t(
        "左图是当日状态，与总览的计数一致：申报中 = 已申报、尚未列入培育名单；"
        "培育对象 = 列入名单且未取消（含已认定的）；各级称号按持有计，撤销后不再计入，"
        "一个中心可同时计入多个层级。右图是截至该日曾经到达各阶段的中心数，"
        "后来被取消培育资格或撤销称号的也计入；「已申报」含未登记申报事件但已列入名单的中心。"
        "{no_city}，它们不经过下面各阶段。",
        no_city=no_city,
    )
)

st.subheader(t("各年进入与退出"))
drill.clickable_chart(
    flows,
    "flows",
    "level",
    "点击柱子可按该层级筛选。",
)
st.caption(
    t(
        "按事件日期所在年份统计到{date}为止：向上为新列入市级培育名单或新认定的称号，"
        "向下（斜线）为取消培育资格或撤销该级称号。早于方案的称号归入最左一栏。",
        date=day,
    )
)

st.subheader(t("转化率"))
rates = [r for r in data.conversion["rates"] if r["metric"] in metrics]
for col, r in zip(st.columns(4), rates, strict=False):
    pct = f"{r['share']:.0%}" if r["share"] is not None else "—"
    with col:
        st.metric(t(r["label"]), pct, border=True)
        st.caption(f"{r['numerator']} / {r['denominator']} = {pct}")
st.caption(
    t(
        "按中心计、截至所选日期曾到达：培育对象 → 市级 = 曾列入市级培育名单的中心中已认定为市级的比例；"
        "市级 → 省级只在曾认定为市级的中心中计算（省级认定不早于市级认定）；"
        "省级 → 国家级在全部曾获省级称号的中心中计算；培育资格被取消 = 曾列入名单的中心中被取消的比例。"
        "{no_city}，不计入「市级 → 省级」。",
        no_city=no_city,
    )
)

st.subheader(t("阶段间隔时间"))
table_with_downloads(
    durations,
    "阶段间隔时间",
    view,
    rows_key=(view.as_of, view.filters, metrics),
    hide_index=True,
    width="stretch",
)
st.caption(
    t(
        "每个后一阶段事件与其之前最近的前一阶段事件配成一对，两者都在所选日期或之前；"
        "申报 → 列入取同一轮申报中最早的申报类事件（申报、县级推荐、专家评审、公示）。"
        "1个月按30.4天计。"
    )
)
