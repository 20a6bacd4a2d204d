"""The leadership briefing (简报): where each target stands, what moved, what is at risk, what
pace closes the gaps — as sentences, tables and a chart that the page, the PDF and the slides
all lay out from the same `BriefingDoc`.

`figures` is counts only (city totals for everyone, like the overview); `details` names centers
and is read through the person's scope; `compose` turns both into words in either language.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import asdict, replace
from typing import Any

import duckdb
import pandas as pd

from mic_tracker import db
from mic_tracker.alerts import (
    AlertReads,
    condition_rows,
    deadline_rows,
    narrowed_reads,
    sorted_rows,
)
from mic_tracker.briefing_chart import targets_chart
from mic_tracker.briefing_doc import LIGHTS, BriefingDoc, Section, Table
from mic_tracker.briefing_text import date_text, filters_line, sentences, span, target_text
from mic_tracker.conditions import FieldState, field_states, one_per_field_from
from mic_tracker.counties import ranked_rows
from mic_tracker.forecast import (
    Projection,
    Step,
    forecasts_from,
    pace,
    pools_at,
    pools_from,
    steps,
    steps_from,
)
from mic_tracker.i18n import t
from mic_tracker.narrowing import ByDims
from mic_tracker.policy import load_plan
from mic_tracker.reference import load_resolver
from mic_tracker.report import (
    STATUS_LABELS,
    STATUS_RULES,
    Filters,
    counts_at,
    counts_from,
    report_dates,
    target_rows_from,
)
from mic_tracker.scope import city_totals
from mic_tracker.snapshots import Snapshot, movement, previous, saved

TOP_ALERTS = 5
HELD_TITLES = ("cultivation", "city", "province", "national")
TOP_COUNTIES = 10


def default_horizon(as_of: dt.date) -> dt.date:
    """The plan's last target year-end, or this year's end once that has passed."""
    last = max(t.deadline for t in load_plan().targets)
    return last if as_of <= last else dt.date(as_of.year, 12, 31)


@city_totals
def figures(
    con: duckdb.DuckDBPyConnection, as_of: dt.date, filters: Filters, horizon: dt.date
) -> dict[str, Any]:
    """Targets with their light, forecast at their deadline and pace; the forecast at the
    horizon. Counts only."""
    return figures_from(
        as_of,
        filters,
        horizon,
        counts_at(con, report_dates(load_plan(), as_of), filters),
        steps(con, as_of, filters),
        pools_at(con, as_of, filters, horizons(as_of, horizon)),
        {"demo": db.is_demo(con), "last_change": db.get_meta(con, "last_change")},
    )


def horizons(as_of: dt.date, horizon: dt.date) -> tuple[dt.date, ...]:
    """The dates figures forecasts at: each target deadline not yet passed, and the horizon."""
    deadlines = {t.deadline for t in load_plan().targets if t.deadline >= as_of}
    return tuple(sorted(deadlines | {horizon}))


def figures_from(
    as_of: dt.date,
    filters: Filters,
    horizon: dt.date,
    counted: dict[dt.date, dict[str, int]],
    history: dict[str, Step],
    pools: dict[dt.date, dict[str, tuple[int, float]]],
    status: dict[str, Any],
) -> dict[str, Any]:
    """figures from what it reads (the page reads them at the same time): counts_at of
    report_dates, forecast.steps, forecast.pools_at of horizons, and the register's demo
    flag and last change (`status`, as ui.data.status has them)."""
    plan = load_plan()
    at = forecasts_from(as_of, counted[as_of], history, pools)
    targets = []
    for row in target_rows_from(plan, as_of, counted):
        item = asdict(row)
        item["light"] = LIGHTS[row.status]
        deadline = dt.date.fromisoformat(row.deadline)
        p = at[deadline][row.metric] if deadline in at else None
        item["forecast"] = None if p is None else [p.low_n, p.high_n]
        need = pace(row.gap, as_of, deadline)
        item["pace"] = None if need is None else asdict(need)
        targets.append(item)
    return {
        "as_of": as_of.isoformat(),
        "filters": filters.as_json(),
        "demo": bool(status["demo"]),
        "last_change": _minute(status["last_change"]),
        "horizon": horizon.isoformat(),
        "targets": targets,
        "forecast": {m: asdict(p) for m, p in at[horizon].items()},
    }


def figures_narrowed(
    as_of: dt.date,
    filters: Filters,
    horizon: dt.date,
    counted: ByDims,
    history: ByDims,
    pools: ByDims,
    status: dict[str, Any],
) -> dict[str, Any]:
    """figures_from the city's count_groups of report_dates, step_groups and pool_rows, each
    narrowed to the filters in memory (a filter change reads nothing again)."""
    return figures_from(
        as_of,
        filters,
        horizon,
        counts_from(counted.narrowed(filters), report_dates(load_plan(), as_of)),
        steps_from(history.narrowed(filters)),
        pools_from(pools.narrowed(filters), as_of, horizons(as_of, horizon)),
        status,
    )


def _minute(stamp: str | None) -> str | None:
    """2026-11-26T18:52:41.123 → 2026-11-26 18:52, as the page header writes it."""
    return stamp.replace("T", " ")[:16] if stamp else None


def details(con: duckdb.DuckDBPyConnection, as_of: dt.date, filters: Filters) -> dict[str, Any]:
    """The alerts, the fields without a live center and the counties' counts, read in the
    person's scope (a county editor sees only their own centers here; the ranking, like the
    县区 page, shows other units as zero)."""
    return details_from(
        deadline_rows(con, as_of, filters),
        condition_rows(con, as_of, filters),
        field_states(con, as_of, filters),
        filters,
    )


def details_narrowed(reads: AlertReads, filters: Filters) -> dict[str, Any]:
    """details_from the alert reads of every center the person may see (one date), narrowed
    to the filters in memory."""
    return details_from(*narrowed_reads(reads, filters), filters)


def details_from(
    deadlines: list[dict[str, Any]],
    conditions: list[dict[str, Any]],
    states: list[FieldState],
    filters: Filters,
) -> dict[str, Any]:
    """details from its three reads of one date and filters (the page reads them at the same
    time): alerts.deadline_rows, alerts.condition_rows and conditions.field_states. The
    result holds the rows given, not copies. Plain Python: the same with a DataFrame of the
    alerts cost about 10 ms at city scale."""
    by_field = one_per_field_from(states, filters)
    rows = sorted_rows(deadlines, conditions, by_field)
    return {
        "alert_counts": dict(Counter(r["severity"] for r in rows)),
        "alerts": [r for r in rows if r["severity"] != "green"][:TOP_ALERTS],
        "empty_fields": [{k: e[k] for k in ("seq", "sector", "field")} for e in by_field["empty"]],
        "by_county": unit_counts(states),
    }


def unit_counts(states: list[FieldState]) -> list[dict[str, Any]]:
    """Each current reporting unit's titles held (what queries/by_county.sql counts), from
    conditions.field_states: a center holding anything is among them. Divisions first, then
    the development zones, each by code; zeros included."""
    units = sorted(load_resolver().current_units, key=lambda d: (d.is_zone, d.code))
    counts = {d.code: dict.fromkeys(HELD_TITLES, 0) for d in units}
    for row in states:
        held = counts.get(row.county_code)
        if held is not None:
            for title in HELD_TITLES:
                held[title] += getattr(row, title)
    return [{"code": d.code, "name": d.name, "kind": d.kind, **counts[d.code]} for d in units]


def _metric(metric: str, lang: str) -> str:
    return t(load_plan().metrics[metric], lang)


def _target_section(fig: dict[str, Any], lang: str) -> Section:
    rows, lights = [], []
    for r in fig["targets"]:
        need = r["pace"]
        rows.append(
            [
                _metric(r["metric"], lang),
                str(r["year"]),
                str(r["actual"]),
                target_text(r),
                str(r["gap"]),
                t(STATUS_LABELS[r["status"]], lang, ctx="status"),
                "—" if r["forecast"] is None else span(*r["forecast"]),
                "—" if need is None else t("{n} 家/年", lang, n=need["per_year"]),
            ]
        )
        lights.append(r["light"])
    columns = [
        t("指标", lang),
        t("目标年度", lang),
        t("实际", lang),
        t("目标", lang),
        t("差距", lang),
        t("状态", lang),
        t("预计到期末", lang),
        t("每年需新增", lang),
    ]
    rules = t("；", lang).join(t(STATUS_RULES[k], lang) for k in STATUS_RULES)
    return Section(
        "targets",
        t("目标进度", lang),
        table=Table(columns, rows, 5, lights, [2.2, 1, 1, 1, 1, 1, 1.3, 1.3]),
        chart=None,
        note=rules,
    )


def _forecast_section(fig: dict[str, Any], lang: str) -> Section:
    horizon = dt.date.fromisoformat(fig["horizon"])
    rows = []
    for m, p in fig["forecast"].items():
        proj = Projection(**{**p, "horizon": horizon})
        rows.append(
            [
                _metric(m, lang),
                str(proj.held),
                str(proj.pool),
                proj.rate_text,
                f"{proj.from_pool:.1f}",
                f"{proj.from_new:.1f}",
                span(proj.low_n, proj.high_n),
            ]
        )
    columns = [
        t("指标", lang),
        t("现有", lang),
        t("低一阶段在推进", lang),
        t("历史转化", lang),
        t("来自在推进", lang),
        t("来自新进入", lang),
        t("预计区间", lang),
    ]
    return Section(
        "forecast",
        t("预测：到{date}", lang, date=date_text(horizon, lang)),
        lines=[],
        table=Table(columns, rows, widths=[2.2, 1, 1.4, 1, 1.2, 1.2, 1.2]),
        note=t(METHOD, lang),
    )


METHOD = (
    "方法：下限 = 现有数 + 低一阶段仍在推进的中心数 × 历史转化率 × 剩余可用时间占比"
    "（培育对象须在列入名单后2年内认定，期满未认定的不计）；上限 = 下限 + 按方案实施以来每年进入"
    "低一阶段的速度、扣除该步骤历史用时中位数后到期末仍来得及的新进入中心 × 历史转化率。"
    "市级的转化率按培育已结束（认定或取消）的中心计算，其余按进入低一阶段的全部中心计算。"
    "区间四舍五入到整数；不计今后可能的撤销。"
)


def _movement_section(fig: dict[str, Any], prev: Snapshot | None, lang: str) -> Section:
    title = t("与上次简报相比", lang)
    if prev is None:
        return Section(
            "movement",
            title,
            [t("尚无更早日期的已保存简报，保存本期简报后，下期将与之比较。", lang)],
        )
    moves = movement(prev, fig["targets"])
    words = {"improved": t("改善", lang), "declined": t("下降", lang), "same": t("持平", lang)}
    lights = {"green": t("绿", lang), "amber": t("黄", lang), "red": t("红", lang)}
    rows = [
        [
            f"{m['year']} {_metric(m['metric'], lang)}",
            f"{lights[m['light_before']]} → {lights[m['light_now']]}",
            f"{m['actual_before']} → {m['actual_now']}",
            words[m["moved"]],
        ]
        for m in moves
    ]
    tally = {k: sum(m["moved"] == k for m in moves) for k in words}
    line = t(
        "与上次简报（{title}，截至{date}）相比：改善{up}项，下降{down}项，持平{same}项。",
        lang,
        title=prev.title,
        date=date_text(prev.as_of, lang),
        up=tally["improved"],
        down=tally["declined"],
        same=tally["same"],
    )
    columns = [t("目标", lang), t("状态灯", lang), t("实际数", lang), t("变化", lang)]
    table = Table(columns, rows, 3, [_move_light(m) for m in moves])
    return Section("movement", title, [line], table)


def _move_light(m: dict[str, Any]) -> str | None:
    return {"improved": "green", "declined": "red"}.get(m["moved"])


def _alerts_section(det: dict[str, Any], lang: str) -> Section:
    rows, lights = [], []
    for a in det["alerts"]:
        days = a["days_left"]
        left = "—" if pd.isna(days) else str(int(days))
        rows.append([t(a["kind"], lang), a["center"], a["county"], str(a["due"] or "—"), left])
        lights.append(a["severity"])
    columns = [
        t("事项", lang),
        t("中心", lang, ctx="column"),
        t("县区", lang, ctx="column"),
        t("期限", lang),
        t("剩余天数", lang),
    ]
    table = Table(columns, rows, 0, lights, [1.1, 3, 1.5, 1.1, 0.9])
    empty = [t("当前没有红色或黄色预警。", lang)] if not rows else []
    return Section("alerts", t("需要关注的预警（前{n}项）", lang, n=TOP_ALERTS), empty, table)


def _fields_section(det: dict[str, Any], lang: str) -> Section:
    by_sector: dict[str, list[str]] = {}
    for f in det["empty_fields"]:
        by_sector.setdefault(f["sector"], []).append(f"{f['seq']} {f['field']}")
    rows = [[s, "、".join(names)] for s, names in by_sector.items()]
    lines = [] if rows else [t("所选范围内每个重点领域都已有在建中心。", lang)]
    title = t("尚无在建中心的重点领域（{n}个）", lang, n=len(det["empty_fields"]))
    columns = [t("行业", lang, ctx="filter"), t("重点领域", lang)]
    return Section("fields", title, lines, Table(columns, rows, widths=[1, 4]))


def _held(unit: dict[str, Any]) -> int:
    return unit["cultivation"] + unit["city"] + unit["province"] + unit["national"]


def _counties_section(det: dict[str, Any], lang: str) -> Section:
    # 17 rows, every rerun: plain Python (a DataFrame of them, summed and filtered, took ~8 ms).
    units = ranked_rows(det["by_county"], "city")
    has = [u for u in units if _held(u)]
    rows = [
        [str(u["rank"]), u["short"], str(u["city"]), str(u["province"]), str(u["national"]),
         str(u["cultivation"])]
        for u in has[:TOP_COUNTIES]
    ]  # fmt: skip
    columns = [
        t("名次", lang),
        t("县区", lang, ctx="column"),
        t("市级", lang),
        t("省级", lang),
        t("国家级", lang),
        t("培育对象", lang),
    ]
    none = [u["short"] for u in units if not _held(u)]
    lines = []
    if none:
        lines = [t("尚无培育对象或创新中心：{names}", lang, names="、".join(none))]
    title = t("县区排名（按市级创新中心数）", lang)
    return Section("counties", title, lines, Table(columns, rows, widths=[0.7, 2, 1, 1, 1, 1]))


def compose(
    fig: dict[str, Any],
    det: dict[str, Any],
    filters_text: str,
    lang: str = "zh",
    prev: Snapshot | None = None,
) -> BriefingDoc:
    """The briefing in words, from `figures` and `details`."""
    as_of = dt.date.fromisoformat(fig["as_of"])
    targets = replace(_target_section(fig, lang), chart=targets_chart(fig, lang))
    last = fig["last_change"] or "—"
    return BriefingDoc(
        title=t("洛阳市制造业创新中心建设简报", lang),
        as_of_text=t("截至{date}", lang, date=date_text(as_of, lang)),
        filters_text=filters_text,
        last_change_text=t("数据最后更新：{when}", lang, when=last),
        demo=bool(fig["demo"]),
        demo_label=t("示例数据", lang),
        lang=lang,
        sections=[
            Section("summary", t("要点", lang), sentences(fig, det, lang)),
            targets,
            _forecast_section(fig, lang),
            _movement_section(fig, prev, lang),
            _alerts_section(det, lang),
            _fields_section(det, lang),
            _counties_section(det, lang),
        ],
        figures=fig,
    )


def build(
    con: duckdb.DuckDBPyConnection,
    as_of: dt.date,
    filters: Filters,
    lang: str = "zh",
    horizon: dt.date | None = None,
    prev: Snapshot | None = None,
) -> BriefingDoc:
    """The whole briefing from one connection (the CLI: the operator sees everything)."""
    fig = figures(con, as_of, filters, horizon or default_horizon(as_of))
    prev = prev or previous(saved(con, filters), as_of)
    return compose(fig, details(con, as_of, filters), filters_line(filters, lang), lang, prev)
