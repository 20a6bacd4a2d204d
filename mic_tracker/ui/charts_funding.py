"""Figures and tables of the funding page: amounts per year (stacked F1–F4 with the city's payout),
the forecast, totals per county and field, the detail and pending tables.

Colours follow the level each grant belongs to: F1 培育 (cultivation), F2 市级认定 (city),
F3 省级配套 (province), F4 省级/国家级奖励 (national). Years after the plan's validity sit on a
grey band that starts on validity_end.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from mic_tracker import funding as fd
from mic_tracker import funding_tables as ft
from mic_tracker.funding import PART_LABELS, PARTS
from mic_tracker.i18n import language, t
from mic_tracker.policy import Plan
from mic_tracker.report import Filters
from mic_tracker.textfmt import money_cn
from mic_tracker.ui.data import database, derived, session_scope, shared, status
from mic_tracker.ui.figures import PlainFigure
from mic_tracker.ui.filters import ViewState
from mic_tracker.ui.frame import day
from mic_tracker.ui.style import LEVEL_COLORS, chart_layout
from mic_tracker.ui.tables import Shown, as_shown

PART_COLORS = {
    "F1": LEVEL_COLORS["cultivation"],
    "F2": LEVEL_COLORS["city"],
    "F3": LEVEL_COLORS["province"],
    "F4": LEVEL_COLORS["national"],
}
PAYS_COLOR = "#24292f"
BAND_COLOR = "rgba(110, 119, 129, 0.14)"
BAR_DAYS = 240  # bar width on the date axis
HATCH = {"shape": "/", "fgcolor": "white", "solidity": 0.35, "fillmode": "overlay"}  # estimated F2


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


def _band(validity_end: dt.date, first_year: int, last_year: int) -> dict[str, list[Any]]:
    """Grey band (a shape and its label) from the day after validity_end to the end of the
    last year shown; nothing when the years shown all lie within the plan's validity."""
    start, end = dt.date(first_year, 1, 1), dt.date(last_year, 12, 31)
    if validity_end >= end:
        return {}
    after = max(validity_end + dt.timedelta(days=1), start)
    text = (
        t("方案有效期至{date} →", date=day(validity_end))
        if validity_end >= start
        else t("各年均在方案有效期（至{date}）之后", date=day(validity_end))
    )
    shape = {
        "type": "rect",
        "xref": "x",
        "yref": "y domain",
        "x0": _ms(after),
        "x1": _ms(end + dt.timedelta(days=1)),
        "y0": 0,
        "y1": 1,
        "fillcolor": BAND_COLOR,
        "line": {"width": 0},
        "layer": "below",
    }
    label = {
        "x": _ms(after),
        "y": 1,
        "yref": "paper",
        "text": text,
        "showarrow": False,
        "xanchor": "left",
        "yanchor": "bottom",
        "font": {"size": 11, "color": "#57606a"},
    }
    return {"shapes": [shape], "annotations": [label]}


def _year_axis(first: int, last: int) -> dict[str, Any]:
    years = list(range(first, last + 1))
    return {
        "title": {"text": t("年度")},
        "type": "date",
        "tickvals": [_ms(_mid(y)) for y in years],
        "ticktext": [t("{year}年", year=y) for y in years],
        "range": [_ms(dt.date(first, 1, 1)), _ms(dt.date(last + 1, 1, 1))],
        "showgrid": False,
    }


def _amount_bars(
    years: dict[str, list[Any]], x: list[float], hatch_f2: bool
) -> list[dict[str, Any]]:
    """One stacked bar trace per grant, its amounts in 万元 and as text for the hover."""
    bars = []
    for part in PARTS:
        values = [float(v) for v in years[part]]
        label = t(PART_LABELS[part])
        marker: dict[str, Any] = {"color": PART_COLORS[part]}
        if hatch_f2 and part == "F2":
            marker["pattern"] = HATCH
        bars.append(
            {
                "type": "bar",
                "x": x,
                "y": values,
                "name": label + (t("（估算）") if "pattern" in marker else ""),
                "width": BAR_DAYS * 86400000,
                "marker": marker,
                "customdata": [money_cn(v) for v in values],
                "hovertemplate": "%{customdata}<extra>" + label + "</extra>",
            }
        )
    return bars


def _paid_points(years: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """The hand-entered disbursements as diamonds, for the years that have any."""
    paid = [
        (int(y), float(v))
        for y, v in zip(years["year"], years.get("disbursed", ()), strict=False)
        if v
    ]
    if not paid:
        return []
    return [
        {
            "type": "scatter",
            "x": [_ms(_mid(y)) for y, _ in paid],
            "y": [v for _, v in paid],
            "name": t("实际拨付（手工录入）"),
            "mode": "markers",
            "marker": {
                "size": 11,
                "symbol": "diamond-open",
                "color": "#cf222e",
                "line": {"width": 2},
            },
            "customdata": [money_cn(v) for _, v in paid],
            "hovertemplate": t("实际拨付") + " %{customdata}<extra></extra>",
        }
    ]


def amounts_chart(
    years: pd.DataFrame, validity_end: dt.date, title: str, hatch_f2: bool = False
) -> PlainFigure:
    """Stacked bars F1–F4 per year (应享) and the line of what the city pays (从高)."""
    data = years.to_dict("list")  # plain lists: a frame costs more per column read than this chart
    x = [_ms(_mid(int(y))) for y in data["year"]]
    pays = [float(v) for v in data["city_pays"]]
    line = {
        "type": "scatter",
        "x": x,
        "y": pays,
        "name": t("市财政应付（F1+F2 与 F3 从高，加 F4）"),
        "mode": "lines+markers",
        "line": {"color": PAYS_COLOR, "width": 2},
        "marker": {"size": 8, "symbol": "circle"},
        "customdata": [money_cn(v) for v in pays],
        "hovertemplate": t("市财政应付") + " %{customdata}<extra></extra>",
    }
    traces = [*_amount_bars(data, x, hatch_f2), line, *_paid_points(data)]
    first, last = int(min(data["year"])), int(max(data["year"]))
    yaxis: dict[str, Any] = {
        "title": {"text": t("金额（万元）")},
        "rangemode": "tozero",
        "tickformat": ",d",
        "gridcolor": "#e6e9ed",
    }
    if not any(any(data[c]) for c in (*PARTS, "city_pays")):
        yaxis["range"] = [0, 100]  # nothing owed: whole-number ticks, not 0 0 1 1
    layout = chart_layout(title)
    legend = layout["legend"]
    assert isinstance(legend, dict)  # chart_layout's legend
    layout["legend"] = {**legend, "traceorder": "normal"}
    layout.update(
        barmode="stack",
        height=440,
        plot_bgcolor="white",
        xaxis=_year_axis(first, last),
        yaxis=yaxis,
        **_band(validity_end, first, last),
    )
    return PlainFigure({"data": traces, "layout": layout})


def group_bars(totals: pd.DataFrame, key: str, title: str, axis: str) -> PlainFigure:
    """Horizontal bars of what the city pays per county or field, largest on top."""
    data = totals.sort_values("city_pays").to_dict("list")
    pays = [float(v) for v in data["city_pays"]]
    parts = {p: [money_cn(v) for v in data[p]] for p in PARTS}
    bar = {
        "type": "bar",
        "y": [str(v) for v in data[key]],
        "x": pays,
        "orientation": "h",
        "marker": {"color": LEVEL_COLORS["city"]},
        "text": [money_cn(v) for v in pays],
        "textposition": "outside",
        "cliponaxis": False,
        "customdata": [
            [*(parts[p][i] for p in PARTS), int(n)] for i, n in enumerate(data["centers"])
        ],
        "hovertemplate": "<b>%{y}</b>："
        + t("市财政应付")
        + " %{text}<br>"
        + "<br>".join(f"{t(PART_LABELS[p])} %{{customdata[{i}]}}" for i, p in enumerate(PARTS))
        + "<br>"
        + t("{n} 家中心", n="%{customdata[4]}")
        + "<extra></extra>",
    }
    layout = chart_layout(title)
    layout.update(
        height=max(260, 32 * len(pays) + 110),
        showlegend=False,
        margin={"l": 10, "r": 80, "t": 50, "b": 10},
        xaxis={
            "title": {"text": t("市财政应付（万元）")},
            "rangemode": "tozero",
            "tickformat": ",d",
        },
        yaxis={"title": {"text": axis}, "automargin": True},
    )
    return PlainFigure({"data": [bar], "layout": layout})


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
    """One line per center and year (funding_tables.page_tables' detail): amounts in 万元 (numbers, so
    columns sort), basis, notes. The basis, pending and notes texts come from the package and
    stay Chinese."""
    parts = detail["beyond_parts"]
    flagged = {p: t("是（{parts}）", parts=p) if p else "" for p in parts.unique()}
    out = detail.drop(columns=["beyond_validity", "beyond_parts"])
    out.insert(out.columns.get_loc("manual"), "beyond", parts.map(flagged))
    return out.rename(
        columns={
            "year": t("年度"),
            "center": t("中心"),
            "county": t("县区"),
            "city_pays": t("市财政应付"),
            "basis": t("依据"),
            "pending": t("待定"),
            "beyond": t("超出有效期"),
            "manual": t("一事一议"),
            "disbursed": t("实际拨付"),
            "notes": t("说明"),
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


# ------------------------------------------------------------------------------ the page's view


@dataclass(frozen=True)
class PageView:
    """What the 资金 page draws for one view: the totals per year (for the metrics), the four
    figures, and the tables as shown (headers in the language; the detail and the pending items
    whole, for their downloads). Built once and shared, not copied: callers must not change it."""

    years: pd.DataFrame
    charts: dict[str, PlainFigure | None]
    year_table: Shown
    detail: Shown
    pending: Shown
    names: list[str]
    entries: Shown | None  # the hand-entered amounts, None when there are none


def page_view(view: ViewState, plan: Plan, first: int, last: int, ahead: int) -> PageView:
    """The page's view (see PageView) of first..last and `ahead` years forecast, for the data
    version, the language and the signed-in person. A rerun that changed none of these (a
    widget elsewhere, a second look) reuses it: building the tables as shown and the figures,
    and copying 50,000 rows out of the page cache, took most of such a rerun. The tables are
    made only when the view is not built yet, from the facts of every center the person may
    see as of the date (shared: read, never changed) and their funding rows (worked out once
    per date and levels), narrowed to the filters in memory: a filter change does not read
    the database again (the query cost 20 ms at city scale) nor apply the rules again."""
    scope = session_scope()
    who = (scope.actor, scope.role, scope.county)  # one person's view never reaches another

    def load() -> dict[str, pd.DataFrame]:
        facts = shared(fd.load_facts, view.as_of, Filters(), view.as_of.year)
        key = (view.as_of, view.levels, ahead)
        rows = derived(ft.city_rows, key, facts, view.as_of, view.levels, ahead)
        return ft.tables_narrowed(facts, rows, view.filters, view.as_of, first, last, ahead)

    # The database and its version: another file can be at the same version number.
    version = (str(database()), str(status()["data_version"]))
    return _built_view(version, who, language(), view, first, last, ahead, plan.id, load, plan)


# Keyed by the arguments that say which tables these are; the tables themselves are not
# hashed (arguments with a leading _ are not).
@st.cache_resource(show_spinner=False, max_entries=8, hash_funcs={ViewState: repr})
def _built_view(
    version: tuple[str, str],
    who: tuple[str, str, str | None],
    lang: str,
    view: ViewState,
    first: int,
    last: int,
    ahead: int,
    plan_id: str,
    _load: Callable[[], dict[str, pd.DataFrame]],
    _plan: Plan,
) -> PageView:
    del version, who, lang, last, plan_id  # the key: new data, a person, a language build anew
    tables = _load()
    nxt = view.as_of.year + 1
    end = _plan.validity_end
    county, field, entries = tables["county"], tables["field"], tables["entries"]
    charts: dict[str, PlainFigure | None] = {
        "years": amounts_chart(
            tables["years"],
            end,
            t("各年应享资助（柱：F1—F4 叠加）与市财政应付（线：从高后），单位万元"),
        ),
        "county": None,
        "field": None,
        "future": amounts_chart(
            tables["future"],
            end,
            t(
                "{first}—{last}年预计应享资助与市财政应付（按截至日期的状态估算，万元）",
                first=nxt,
                last=nxt + ahead - 1,
            ),
            True,
        ),
    }
    if not county.empty:
        title = t("各县区{year}年以来市财政应付合计", year=first)
        charts["county"] = group_bars(county, "county", title, t("县区"))
        title = t("各重点领域{year}年以来市财政应付合计", year=first)
        charts["field"] = group_bars(field, "field", title, t("重点领域"))
    return PageView(
        years=tables["years"],
        charts=charts,
        year_table=as_shown(year_table(tables["years"])),
        detail=as_shown(detail_table(tables["detail"])),
        pending=as_shown(pending_frame(tables["pending"])),
        names=tables["names"]["name"].tolist(),
        entries=as_shown(manual_frame(entries)) if len(entries) else None,
    )
