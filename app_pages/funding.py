"""资金: what the city owes each center under 六(一) by year, type, county and field; the forecast;
pending items explained; hand entry of 一事一议 and 实际拨付 amounts."""

import datetime as dt

import streamlit as st

from mic_tracker import funding as fd
from mic_tracker.i18n import t
from mic_tracker.policy import load_plan
from mic_tracker.textfmt import money_cn
from mic_tracker.ui import charts_funding as ui
from mic_tracker.ui.data import clear_caches, database, session_scope, show_error
from mic_tracker.ui.filters import current_view
from mic_tracker.ui.frame import day
from mic_tracker.ui.tables import draw

AHEAD = 3  # years forecast
plan = load_plan()
rules = fd.Rules.from_plan(plan)
view = current_view()
st.title(t("资金：市财政资助测算"))
st.caption(ui.rules_caption(plan, view.as_of))
st.info(ui.validity_note(plan), icon=":material/event_busy:")
if view.levels:
    st.caption(t("按所选层级：只列截至所选日期持有所选称号的中心。"))

try:
    first = rules.applies_from.year
    upto = max(view.as_of.year, first)
    page = ui.page_view(view, plan, first, upto, AHEAD)
except Exception as exc:
    show_error(exc)
    st.stop()

if view.as_of.year < first:
    st.caption(
        t(
            "所选日期早于方案的适用起点（{date}），尚无应享资助。",
            date=day(rules.applies_from),
        )
    )
years = page.years
this_year = years[years["year"] == view.as_of.year]
a, b, c, d = st.columns(4)
span = t("{first}—{last}年", first=first, last=upto) if upto > first else t("{year}年", year=first)
a.metric(t("{span}市财政应付合计", span=span), money_cn(years["city_pays"].sum()))
b.metric(t("其中{year}年", year=view.as_of.year), money_cn(this_year["city_pays"].sum()))
c.metric(t("待定的中心·年度"), t("{n} 项", n=int(years["pending_rows"].sum())))
d.metric(t("已录入实际拨付"), money_cn(years["disbursed"].sum()))

st.subheader(t("按年度和类别"))
st.plotly_chart(page.charts["years"], width="stretch")
st.caption(
    t(
        "柱高是各项应享之和；F3 与 F1+F2 不重复享受，市财政按较高者支付，所以线可能低于柱顶。"
        "待定的 F2（研发支出未填或评价未出）不计入金额，见下方「待定事项」。"
        "灰色区域为方案有效期之后。"
    )
)
draw(page.year_table, "市财政资助_按年度", view)

st.subheader(t("按县区和重点领域"))
left, right = st.columns(2)
if page.charts["county"] is None:
    st.caption(t("所选范围内没有应享资助。"))
else:
    left.plotly_chart(page.charts["county"], width="stretch")
    right.plotly_chart(page.charts["field"], width="stretch")

st.subheader(t("未来三年预测"))
st.plotly_chart(page.charts["future"], width="stretch")
st.caption(ui.forecast_method(plan))

st.subheader(t("明细"))
draw(page.detail, "市财政资助明细", view, height=360)
st.caption(t("金额单位：万元。依据：F1+F2 或 F3（从高）。超出有效期：括号内为超出的部分。"))

st.subheader(t("待定事项"))
if page.pending.empty:
    st.caption(t("没有待定的资助。"))
else:
    draw(page.pending, "资助待定事项", view)
    st.caption(
        t(
            "F2 须上年度非财政研发经费支出（年度数据）和上年度评价结果（事件）都已登记才能算出；"
            "评价不合格而整改后合格的，按合格拨付；整改评价未出前为待定。补录后本页自动更新。"
        )
    )


def entry_form() -> None:
    """Hand entry of one amount; the package checks the person may (a viewer may not)."""
    with st.form("funding_manual", clear_on_submit=True):
        x, y, z = st.columns([3, 1, 1])
        center = x.selectbox(
            t("中心"), page.names, index=None, placeholder=t("选择中心"), key="fd_center"
        )
        last = dt.date.today().year + 10
        year = y.number_input(
            t("年度"),
            min_value=first,
            max_value=last,
            value=min(max(view.as_of.year, first), last),
            step=1,
            key="fd_year",
        )
        kind = z.radio(
            t("类别"), list(fd.MANUAL_KINDS.values()), format_func=t, horizontal=True, key="fd_kind"
        )
        amount = x.number_input(
            t("金额（万元）"),
            value=0.0,
            step=10.0,
            format="%.4f",
            help=t("负数表示更正冲减以前录入的金额，须写明说明"),
            key="fd_amount",
        )
        note = st.text_input(
            t("说明"), placeholder=t("如：市政府第X次常务会议研究同意；拨款文号"), key="fd_note"
        )
        if st.form_submit_button(t("保存"), type="primary"):
            try:
                entry = fd.record_manual(
                    database(), center or "", int(year), kind, amount, note, scope=session_scope()
                )
            except Exception as exc:
                show_error(exc)
            else:
                st.session_state["funding_saved"] = t(
                    "已保存：{center} {year}年 {kind} {amount}",
                    center=entry["center"],
                    year=entry["year"],
                    kind=t(kind),
                    amount=money_cn(entry["amount"]),
                )
                clear_caches()
                st.rerun()


st.subheader(t("录入一事一议或实际拨付"))
if saved := st.session_state.pop("funding_saved", None):
    st.success(saved)
if session_scope().role == "viewer":
    st.caption(t("领导账号只能查看；金额由编辑录入。"))
elif st.toggle(t("录入一笔金额"), key="fd_open"):
    entry_form()  # drawn only when asked for: its list holds every center (20,000 at most)
st.caption(t(ui.MANUAL_NOTE))
if page.entries is not None:
    with st.expander(t("已录入的金额（{n} 条）", n=len(page.entries.whole))):
        draw(page.entries, "已录入金额", view)
