"""Figures and tables of the funding page: amounts per year (stacked F1–F4 with the city's payout),
the forecast, totals per county and field, the detail and pending tables.

Colours follow the level each grant belongs to: F1 培育 (cultivation), F2 市级认定 (city),
F3 省级配套 (province), F4 省级/国家级奖励 (national). Years after the plan's validity sit on a
grey band that starts on validity_end.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go

from mic_tracker.funding import PART_LABELS, PARTS
from mic_tracker.i18n import language, t
from mic_tracker.policy import Plan
from mic_tracker.textfmt import money_cn
from mic_tracker.ui.frame import day
from mic_tracker.ui.style import LEVEL_COLORS, chart_layout

PART_COLORS = {
    "F1": LEVEL_COLORS["cultivation"],
    "F2": LEVEL_COLORS["city"],
    "F3": LEVEL_COLORS["province"],
    "F4": LEVEL_COLORS["national"],
}
PAYS_COLOR = "#24292f"
BAND_COLOR = "rgba(110, 119, 129, 0.14)"
BAR_DAYS = 240  # bar width on the date axis


CN_DIGITS = "零一二三四五六七八九十"
MANUAL_NOTE = (
    "一事一议（引进的省级以上中心、被推荐创建国家级的中心）和实际拨付由工作人员录入，与测算金额并列显示，"
    "不改变测算。录入按录入日期计入：截至日期早于录入日的视图中不显示。每次录入都记入审计日志。"
)


def forecast_method(plan: Plan) -> str:
    """How the forecast is made, in words (periods from the plan file)."""
    return t(
        "估算方法：F1——截至日期仍在培育、已完成法人注册的中心，在培育期（列入名单起"
        "{cultivation_years}年）结束前的年度每年计入；F2——持有市级称号、仍在认定后"
        "{f2_years}年内的中心，用上年度研发支出（未填则用最近一年已知的）估算，并假定"
        "年度评价合格（斜线）；没有任何研发支出数据的计为待定；F3 只在已录入该年省级补助时计入；"
        "F4 不预测（认定日期未知）。新列入、新认定、取消和撤销都会改变这些数字。",
        cultivation_years=plan.periods["cultivation_years"],
        f2_years=plan.funding["F2_years"],
    )


def rules_caption(plan: Plan, as_of: dt.date) -> str:
    """The 六(一) rules in one paragraph, amounts from the plan file."""
    f = plan.funding
    return t(
        "{doc} 六(一)：列入培育名单、成立独立法人起每年{f1}万元"
        "（F1）；认定为市级后连续{f2_years}年按上年度非财政研发经费支出的{f2_rate}"
        "补助，最高{f2_cap}万元，须上年度评价合格（F2）；列入省级培育名单的企业法人或省级中心"
        "按省补助1:{f3_ratio}配套（F3），与市级补助从高、不重复享受；认定为省级、国家级"
        "分别一次性奖励{f4_province}万元、{f4_national}万元（F4）。"
        "{applies_from}以前的列入或认定不享受。按截至{as_of}已发生的事件计算。",
        doc=plan.doc_number,
        f1=f["F1_cultivation_grant"],
        f2_years=f["F2_years"],
        f2_rate=f"{f['F2_rate']:.0%}",
        f2_cap=f["F2_cap"],
        f3_ratio=f"{f['F3_match_ratio']:g}",
        f4_province=f["F4_province_reward"],
        f4_national=f["F4_national_reward"],
        applies_from=day(plan.applies_from),
        as_of=day(as_of),
    )


def validity_note(plan: Plan) -> str:
    """方案有效期五年（至2024年3月13日），2025年目标超出有效期；之后的金额照算并标注。"""
    span = plan.validity_end.year - plan.issued.year
    # 五年 in Chinese; the English sentence takes the digit.
    years = CN_DIGITS[span] if 0 < span <= 10 and language() == "zh" else str(span)
    late = sorted({g.year for g in plan.targets if g.deadline > plan.validity_end})
    beyond = (
        t("{years}年目标超出有效期；", years=t("、").join(str(y) for y in late)) if late else ""
    )
    return t(
        "方案有效期{years}年（至{end}），{beyond}之后的金额照算并标注。",
        years=years,
        end=day(plan.validity_end),
        beyond=beyond,
    )


def _mid(year: int) -> dt.date:
    return dt.date(year, 7, 1)


def _ms(day: dt.date) -> float:
    return dt.datetime.combine(day, dt.time()).timestamp() * 1000


def _band(fig: go.Figure, validity_end: dt.date, first_year: int, last_year: int) -> None:
    """Grey band from the day after validity_end to the end of the last year shown."""
    start, end = dt.date(first_year, 1, 1), dt.date(last_year, 12, 31)
    if validity_end >= end:
        return
    after = max(validity_end + dt.timedelta(days=1), start)
    fig.add_vrect(
        x0=_ms(after),
        x1=_ms(end + dt.timedelta(days=1)),
        fillcolor=BAND_COLOR,
        line_width=0,
        layer="below",
    )
    text = (
        t("方案有效期至{date} →", date=day(validity_end))
        if validity_end >= start
        else t("各年均在方案有效期（至{date}）之后", date=day(validity_end))
    )
    fig.add_annotation(
        x=_ms(after),
        y=1,
        yref="paper",
        text=text,
        showarrow=False,
        xanchor="left",
        yanchor="bottom",
        font={"size": 11, "color": "#57606a"},
    )


def _year_axis(fig: go.Figure, first: int, last: int) -> None:
    years = list(range(first, last + 1))
    fig.update_xaxes(
        title_text=t("年度"),
        type="date",
        tickvals=[_ms(_mid(y)) for y in years],
        ticktext=[t("{year}年", year=y) for y in years],
        range=[_ms(dt.date(first, 1, 1)), _ms(dt.date(last + 1, 1, 1))],
        showgrid=False,
    )


def amounts_chart(
    years: pd.DataFrame, validity_end: dt.date, title: str, hatch_f2: bool = False
) -> go.Figure:
    """Stacked bars F1–F4 per year (应享) and the line of what the city pays (从高)."""
    fig = go.Figure()
    x = [_ms(_mid(int(y))) for y in years["year"]]
    for part in PARTS:
        values = years[part]
        pattern = (
            {"shape": "/", "fgcolor": "white", "solidity": 0.35, "fillmode": "overlay"}
            if hatch_f2 and part == "F2"
            else None
        )
        fig.add_bar(
            x=x,
            y=values,
            name=t(PART_LABELS[part]) + (t("（估算）") if pattern else ""),
            width=BAR_DAYS * 86400000,
            marker={"color": PART_COLORS[part], "pattern": pattern},
            customdata=[money_cn(v) for v in values],
            hovertemplate="%{customdata}<extra>" + t(PART_LABELS[part]) + "</extra>",
        )
    fig.add_scatter(
        x=x,
        y=years["city_pays"],
        name=t("市财政应付（F1+F2 与 F3 从高，加 F4）"),
        mode="lines+markers",
        line={"color": PAYS_COLOR, "width": 2},
        marker={"size": 8, "symbol": "circle"},
        customdata=[money_cn(v) for v in years["city_pays"]],
        hovertemplate=t("市财政应付") + " %{customdata}<extra></extra>",
    )
    paid = years[years["disbursed"] != 0] if "disbursed" in years else years.iloc[0:0]
    if not paid.empty:
        fig.add_scatter(
            x=[_ms(_mid(int(y))) for y in paid["year"]],
            y=paid["disbursed"],
            name=t("实际拨付（手工录入）"),
            mode="markers",
            marker={"size": 11, "symbol": "diamond-open", "color": "#cf222e", "line": {"width": 2}},
            customdata=[money_cn(v) for v in paid["disbursed"]],
            hovertemplate=t("实际拨付") + " %{customdata}<extra></extra>",
        )
    first, last = int(years["year"].min()), int(years["year"].max())
    _band(fig, validity_end, first, last)
    fig.update_layout(**chart_layout(title), barmode="stack", height=440, plot_bgcolor="white")
    fig.update_layout(legend={"traceorder": "normal"})
    _year_axis(fig, first, last)
    fig.update_yaxes(
        title_text=t("金额（万元）"), rangemode="tozero", tickformat=",d", gridcolor="#e6e9ed"
    )
    if not (years[list(PARTS)].to_numpy().any() or years["city_pays"].any()):
        fig.update_yaxes(range=[0, 100])  # nothing owed: whole-number ticks, not 0 0 1 1

    return fig


def group_bars(totals: pd.DataFrame, key: str, title: str, axis: str) -> go.Figure:
    """Horizontal bars of what the city pays per county or field, largest on top."""
    data = totals.sort_values("city_pays")
    fig = go.Figure(
        go.Bar(
            y=data[key],
            x=data["city_pays"],
            orientation="h",
            marker={"color": LEVEL_COLORS["city"]},
            text=[money_cn(v) for v in data["city_pays"]],
            textposition="outside",
            cliponaxis=False,
            customdata=[
                [money_cn(row[p]) for p in PARTS] + [int(row["centers"])]
                for _, row in data.iterrows()
            ],
            hovertemplate="<b>%{y}</b>："
            + t("市财政应付")
            + " %{text}<br>"
            + "<br>".join(f"{t(PART_LABELS[p])} %{{customdata[{i}]}}" for i, p in enumerate(PARTS))
            + "<br>"
            + t("{n} 家中心", n="%{customdata[4]}")
            + "<extra></extra>",
        )
    )
    fig.update_layout(
        **chart_layout(title), height=max(260, 32 * len(data) + 110), showlegend=False
    )
    fig.update_layout(margin={"l": 10, "r": 80, "t": 50, "b": 10})
    fig.update_xaxes(title_text=t("市财政应付（万元）"), rangemode="tozero", tickformat=",d")
    fig.update_yaxes(title_text=axis, automargin=True)
    return fig


def _money(value: float) -> str:
    """money_cn, with a dash for nothing so the non-zero amounts stand out."""
    return money_cn(value) if value else "—"


def year_table(years: pd.DataFrame) -> pd.DataFrame:
    """The yearly totals as the page shows them: 万元 / 亿元 text, headers in the chosen
    language."""
    return pd.DataFrame(
        {
            t("年度"): [
                t("{year}年", year=y) + (t("（超出有效期）") if b else "")
                for y, b in zip(years["year"], years["beyond"], strict=True)
            ],
            **{t(PART_LABELS[p]): [_money(v) for v in years[p]] for p in PARTS},
            t("应享合计"): [_money(v) for v in years["entitled"]],
            t("市财政应付"): [_money(v) for v in years["city_pays"]],
            t("待定（行）"): years["pending_rows"],
            t("一事一议"): [_money(v) for v in years["manual"]],
            t("实际拨付"): [_money(v) for v in years["disbursed"]],
        }
    )


def detail_table(detail: pd.DataFrame) -> pd.DataFrame:
    """One line per center and year (funding.page_tables' detail): amounts in 万元 (numbers, so
    columns sort), basis, notes. The basis, pending and notes texts come from the package and
    stay Chinese."""
    beyond = [
        t("是（{parts}）", parts="、".join(parts)) if flag else ""
        for flag, parts in zip(detail["beyond_validity"], detail["beyond_parts"], strict=True)
    ]
    return pd.DataFrame(
        {
            t("年度"): detail["year"],
            t("中心"): detail["center"],
            t("县区"): detail["county"],
            **{p: detail[p] for p in PARTS},
            t("市财政应付"): detail["city_pays"],
            t("依据"): detail["basis"],
            t("待定"): ["；".join(p) for p in detail["pending_text"]],
            t("超出有效期"): beyond,
            t("一事一议"): detail["manual"],
            t("实际拨付"): detail["disbursed"],
            t("说明"): ["；".join(n) for n in detail["notes"]],
        }
    )


def pending_frame(pending: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("年度"): pending["year"],
            t("中心"): pending["center"],
            t("待定事项"): pending["text"],
        }
    )


def manual_frame(entries: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("录入时间"): [str(when)[:16] for when in entries["entered_at"]],
            t("中心"): entries["center"],
            t("年度"): entries["year"],
            t("类别"): entries["kind_label"].map(t),
            t("金额"): [money_cn(v) for v in entries["amount"]],
            t("说明"): entries["note"],
            t("录入人"): entries["entered_by"],
        }
    )
