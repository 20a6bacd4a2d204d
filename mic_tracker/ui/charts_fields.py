"""Figures of the fields page: the coverage grid of the annex and titles held by sector.

Labels are translated when drawn (t); field, sector, center and county names stay Chinese.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pandas as pd
import streamlit as st

from mic_tracker.fields import LEVEL_LABELS, LEVEL_ORDER, sector_totals
from mic_tracker.i18n import language, t
from mic_tracker.policy import Plan
from mic_tracker.ui.figures import PlainFigure
from mic_tracker.ui.filters import ViewState
from mic_tracker.ui.style import LEVEL_COLORS, NONE_COLOR, chart_layout
from mic_tracker.ui.tables import table_with_downloads

# 申报中 is no metric, so style.py has no colour for it: a step lighter than cultivation.
APPLYING_COLOR = "#deebf7"
STEP_COLORS = {**LEVEL_COLORS, "applying": APPLYING_COLOR, "none": NONE_COLOR}
DARK_STEPS = {"city", "province", "national"}  # white text on these
NAME_WIDTH = 7  # characters of a field name per line in a cell


def _wrap(name: str) -> str:
    """A long field name on balanced lines of at most NAME_WIDTH characters."""
    lines = -(-len(name) // NAME_WIDTH)
    size = -(-len(name) // lines)
    return "<br>".join(name[i : i + size] for i in range(0, len(name), size))


def _hover(f: dict[str, Any], plan: Plan, label: str) -> str:
    counts = " · ".join(
        t("{metric} {n} 家", metric=t(plan.metrics[m]), n=f[m]) for m in LEVEL_COLORS
    )
    return t(
        "<b>{seq} {field}</b>（{sector}）<br>最高层级：{label}<br>"
        "{counts}<br>申报中 {applying} 家 · 在建中心 {live} 家",
        seq=f["seq"],
        field=f["field"],
        sector=f["sector"],
        label=label,
        counts=counts,
        applying=f["applying"],
        live=f["live"],
    )


def coverage_grid(cov: pd.DataFrame, plan: Plan, metrics: tuple[str, ...]) -> PlainFigure:
    """One row per sector, one cell per field (序号 and name), coloured by the highest step
    the field has reached among the chosen metrics (cov's `level`); the legend lists only the
    steps those metrics can show, each with how many fields are at it."""
    labels = {key: t(label) for key, label in LEVEL_LABELS.items()}
    if set(metrics) != set(LEVEL_COLORS):
        labels["none"] = t("未达所选层级")
    sectors = plan.sectors
    # Plain Python values, in annex order (to_dict("records") takes several times as long).
    names = list(cov.columns)
    columns = zip(*(cov[c].tolist() for c in names), strict=True)
    fields = [dict(zip(names, row, strict=True)) for row in columns]
    per_sector = Counter(f["sector"] for f in fields)
    width = max(per_sector.values())
    rank = {key: i for i, key in enumerate(reversed(LEVEL_ORDER))}  # none 0 … national 5
    z: list[list[int | None]] = [[None] * width for _ in sectors]
    cells: list[dict[str, Any]] = []  # x, y, hover text and field name, for the click layer
    notes: list[dict[str, Any]] = []
    placed: Counter[str] = Counter()
    for f in fields:
        row, col = sectors.index(f["sector"]), placed[f["sector"]]
        placed[f["sector"]] += 1
        z[row][col] = rank[f["level"]]
        label = labels[f["level"]]
        cells.append({"x": col, "y": row, "hover": _hover(f, plan, label), "field": f["field"]})
        notes.append(_cell_note(f, col, row, label))
    data = [_heatmap(z, width, len(sectors)), _click_layer(cells)]
    data += _legend(fields, labels, metrics)
    return PlainFigure({"data": data, "layout": _grid_layout(sectors, per_sector, width, notes)})


def _grid_layout(
    sectors: list[str],
    per_sector: Counter[str],
    width: int,
    notes: list[dict[str, Any]],
) -> dict[str, Any]:
    """The grid's frame: sectors down (with their number of fields), the legend on top."""
    layout = chart_layout(
        t("31个重点领域已达到的最高层级（按附件行业分类排列，格内数字为附件序号）")
    )
    layout["legend"].update(y=1.0, yanchor="bottom", x=0, xanchor="left")
    layout.update(
        annotations=notes,
        height=110 + 74 * len(sectors),
        plot_bgcolor="white",
        margin={"l": 10, "r": 10, "t": 100, "b": 10},
        xaxis={
            "title": {"text": t("行业内的重点领域（按附件序号）")},
            "showticklabels": False,
            "showgrid": False,
            "zeroline": False,
            "range": [-0.5, width - 0.5],
        },
        yaxis={
            "title": {"text": t("行业分类")},
            "tickvals": list(range(len(sectors))),
            "ticktext": [t("{sector}（{n}）", sector=s, n=per_sector[s]) for s in sectors],
            "autorange": "reversed",
            "showgrid": False,
            "zeroline": False,
        },
    )
    return layout


def _cell_note(f: dict[str, Any], col: int, row: int, label: str) -> dict[str, Any]:
    """The text written in a cell: 序号, the wrapped name and the step reached."""
    return {
        "x": col,
        "y": row,
        "text": f"<b>{f['seq']}</b> {_wrap(f['field'])}<br><i>{label}</i>",
        "showarrow": False,
        "font": {"size": 12, "color": "white" if f["level"] in DARK_STEPS else "#222"},
    }


def _heatmap(z: list[list[int | None]], width: int, rows: int) -> dict[str, Any]:
    """The coloured cells: each step one flat band of the colour scale."""
    steps = list(reversed(LEVEL_ORDER))
    scale: list[list[float | str]] = []
    for i, key in enumerate(steps):
        scale += [[i / len(steps), STEP_COLORS[key]], [(i + 1) / len(steps), STEP_COLORS[key]]]
    return {
        "type": "heatmap",
        "z": z,
        "x": list(range(width)),
        "y": list(range(rows)),
        "colorscale": scale,
        "zmin": -0.5,
        "zmax": len(steps) - 0.5,
        "showscale": False,
        "xgap": 3,
        "ygap": 3,
        "hoverinfo": "skip",
    }


def _legend(
    fields: list[dict[str, Any]], labels: dict[str, str], metrics: tuple[str, ...]
) -> list[dict[str, Any]]:
    """Empty traces that only show in the legend: a square per step with its count of fields."""
    tally = Counter(f["level"] for f in fields)
    shown = [k for k in LEVEL_ORDER if k in metrics or k == "none"]
    if "cultivation" in metrics:
        shown.insert(-1, "applying")
    return [
        {
            "type": "scatter",
            "x": [None],
            "y": [None],
            "mode": "markers",
            "name": _fields_at(labels[key], tally[key]),
            "marker": {"symbol": "square", "size": 14, "color": STEP_COLORS[key]},
        }
        for key in shown
    ]


def _fields_at(label: str, n: int) -> str:
    """A legend entry: 国家级（1个领域）, National (1 field)."""
    return t("{label}（{n}个领域）", ctx="one" if n == 1 else None, label=label, n=n)


def _click_layer(cells: list[dict[str, Any]]) -> dict[str, Any]:
    """Transparent bars, one over each cell: a heatmap cannot be selected in Plotly, bars can,
    so a click anywhere in a cell selects its bar, which carries the hover text and the field
    name (customdata) that the drill-down narrows to."""
    return {
        "type": "bar",
        "x": [c["x"] for c in cells],
        "y": [1] * len(cells),
        "base": [c["y"] - 0.5 for c in cells],
        "width": 1,
        "marker": {"color": "rgba(0,0,0,0)", "line": {"width": 0}},
        "selected": {"marker": {"opacity": 0}},
        "unselected": {"marker": {"opacity": 0}},
        "customdata": [[c["hover"], c["field"]] for c in cells],
        "hovertemplate": "%{customdata[0]}<extra></extra>",
        "showlegend": False,
        "meta": "cells",
    }


def page_figures(
    cov: pd.DataFrame, plan: Plan, metrics: tuple[str, ...]
) -> tuple[PlainFigure, PlainFigure]:
    """The page's grid and its sector bars, built together (the page keeps them per view)."""
    return coverage_grid(cov, plan, metrics), sector_bars(
        sector_totals(cov, metrics), plan, metrics
    )


def sector_bars(totals: pd.DataFrame, plan: Plan, metrics: tuple[str, ...]) -> PlainFigure:
    """Titles held per sector, stacked by level (only the chosen levels)."""
    sectors = [str(s) for s in totals["sector"]]
    held = {m: [int(v) for v in totals[m]] for m in metrics}
    data = [_sector_bar(plan, m, sectors, held[m]) for m in metrics]
    layout = chart_layout(t("各行业持有的称号数（同一中心在每个已获层级各计一次）"))
    layout["legend"]["traceorder"] = "normal"
    small = max((sum(row) for row in zip(*held.values(), strict=True)), default=0) <= 10
    layout.update(
        barmode="stack",
        height=430,
        xaxis={"title": {"text": t("称号数（家）")}, "rangemode": "tozero"},
        yaxis={"title": {"text": t("行业分类")}, "autorange": "reversed"},
    )
    if small:
        layout["xaxis"]["dtick"] = 1
    if not any(any(v) for v in held.values()):
        layout["annotations"] = [
            {
                "text": t("所选范围内没有持有所选层级称号的中心"),
                "xref": "paper",
                "yref": "paper",
                "x": 0.5,
                "y": 0.5,
                "showarrow": False,
                "font": {"size": 15, "color": "#666"},
            }
        ]
    return PlainFigure({"data": data, "layout": layout})


def _sector_bar(plan: Plan, metric: str, sectors: list[str], held: list[int]) -> dict[str, Any]:
    """One level's titles per sector: a horizontal bar segment each, the sector as customdata."""
    name = t(plan.metrics[metric])
    return {
        "type": "bar",
        "y": sectors,
        "x": held,
        "orientation": "h",
        "name": name,
        "marker": {"color": LEVEL_COLORS[metric]},
        "text": [str(v) if v else "" for v in held],
        "textposition": "inside",
        "insidetextanchor": "middle",
        "textangle": 0,
        "customdata": sectors,  # what a click narrows the sector filter to
        "hovertemplate": f"%{{y}}{t('：')}%{{x}} {t('家')}<extra>{name}</extra>",
    }


# Tables of the page (st.dataframe, headers translated when drawn); Streamlit stays in ui/.
DATES = {
    "listed_on": "列入培育名单",
    "city_on": "市级认定",
    "province_on": "省级认定",
    "national_on": "国家级认定",
}


def _seq() -> dict:
    return st.column_config.NumberColumn(t("序号"), width="small")


def _stage_words(frame: pd.DataFrame) -> pd.DataFrame:
    """The stage (and form, where shown) in the chosen language; the rows stay as they are."""
    if language() == "zh":  # the words are stored in Chinese: the frame as it is
        return frame
    # Each distinct word translated once: a table can have 10,000 rows.
    words = {
        column: frame[column].map({w: t(w) for w in frame[column].dropna().unique()})
        for column in ("stage_label", "form")
        if column in frame
    }
    return frame.assign(**words)


def _width(chinese: int, english: int) -> int:
    """A column's width in pixels: English headers and words need more room than Chinese."""
    return chinese if language() == "zh" else english


def crowded_rows(crowded: pd.DataFrame) -> pd.DataFrame:
    """crowded_table's rows, in the chosen language."""
    return _stage_words(crowded[["seq", "field", "live", "name", "county", "stage_label"]])


def crowded_table(rows: pd.DataFrame, view: ViewState) -> None:
    """The live centers of fields with more than one (crowded_rows), all rows in view."""
    table_with_downloads(
        rows,
        "在建中心多于一个的领域",
        view,
        rows_key=(view.as_of, view.filters, view.metrics),
        hide_index=True,
        width="stretch",
        height=35 * (len(rows) + 1) + 3,
        column_config={
            "seq": _seq(),
            "field": st.column_config.TextColumn(t("重点领域"), width=180),
            "live": st.column_config.NumberColumn(t("领域内在建（家）"), width=115),
            "name": st.column_config.TextColumn(t("在建中心名称"), width=290),
            "county": st.column_config.TextColumn(t("县区（现区划）"), width=170),
            "stage_label": st.column_config.TextColumn(t("所处阶段"), width=115),
        },
    )


def empty_table(empty: pd.DataFrame, view: ViewState) -> None:
    """Fields with no live center (up to 16 rows in view), with how many centers are applying."""
    table_with_downloads(
        empty,
        "尚无在建中心的领域",
        view,
        rows_key=(view.as_of, view.filters, view.metrics),
        hide_index=True,
        width="stretch",
        height=35 * (min(len(empty), 16) + 1) + 3,
        column_config={
            "seq": _seq(),
            "sector": t("行业分类"),
            "field": t("重点领域"),
            "applying": st.column_config.NumberColumn(t("申报中的中心（家）")),
        },
    )


def centers_table(centers: pd.DataFrame, view: ViewState, field: str) -> None:
    """One field's centers: name, today's county, form, stage and the key dates."""
    dates = {
        # "short": English headers of these dates would not fit the width of the Chinese ones.
        k: st.column_config.DateColumn(
            t(v, ctx="short"), format="YYYY-MM-DD", width=_width(92, 100)
        )
        for k, v in DATES.items()
    }
    table_with_downloads(
        _stage_words(centers[["name", "county", "form", "stage_label", *DATES]]),
        "领域内的中心",
        view,
        extra=[field],
        rows_key=(view.as_of, view.filters, view.metrics, field),
        hide_index=True,
        width="stretch",
        placeholder="—",
        column_config={
            "name": st.column_config.TextColumn(t("中心名称"), width=_width(230, 200)),
            "county": st.column_config.TextColumn(t("县区（现区划）"), width=165),
            "form": st.column_config.TextColumn(t("建设形式"), width=_width(65, 90)),
            "stage_label": st.column_config.TextColumn(t("所处阶段"), width=115),
            **dates,
        },
    )
