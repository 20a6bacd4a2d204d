"""Figures of the fields page: the coverage grid of the annex and titles held by sector.

Labels are translated when drawn (t); field, sector, center and county names stay Chinese.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from mic_tracker.fields import LEVEL_LABELS, LEVEL_ORDER
from mic_tracker.i18n import language, t
from mic_tracker.policy import Plan
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


def _hover(row: pd.Series, plan: Plan, label: str) -> str:
    counts = " · ".join(
        t("{metric} {n} 家", metric=t(plan.metrics[m]), n=row[m]) for m in LEVEL_COLORS
    )
    return t(
        "<b>{seq} {field}</b>（{sector}）<br>最高层级：{label}<br>"
        "{counts}<br>申报中 {applying} 家 · 在建中心 {live} 家",
        seq=row["seq"],
        field=row["field"],
        sector=row["sector"],
        label=label,
        counts=counts,
        applying=row["applying"],
        live=row["live"],
    )


def coverage_grid(cov: pd.DataFrame, plan: Plan, metrics: tuple[str, ...]) -> go.Figure:
    """One row per sector, one cell per field (序号 and name), coloured by the highest step
    the field has reached among the chosen metrics (cov's `level`); the legend lists only the
    steps those metrics can show, each with how many fields are at it."""
    labels = {key: t(label) for key, label in LEVEL_LABELS.items()}
    if set(metrics) != set(LEVEL_COLORS):
        labels["none"] = t("未达所选层级")
    sectors = plan.sectors
    width = int(cov.groupby("sector").size().max())
    rank = {key: i for i, key in enumerate(reversed(LEVEL_ORDER))}  # none 0 … national 5
    z: list[list[float | None]] = [[None] * width for _ in sectors]
    cells: list[dict] = []  # x, y, hover text and field name of each cell, for the click layer
    fig = go.Figure()
    # Set at once below: add_annotation re-validates every earlier one (31 cells cost ~0.3 s).
    notes: list[dict] = []
    for _, group in cov.groupby("sector", sort=False):
        row = sectors.index(group["sector"].iloc[0])
        for col, (_, f) in enumerate(group.iterrows()):
            z[row][col] = rank[f["level"]]
            cells.append(
                {
                    "x": col,
                    "y": row,
                    "hover": _hover(f, plan, labels[f["level"]]),
                    "field": f["field"],
                }
            )
            notes.append(
                {
                    "x": col,
                    "y": row,
                    "text": f"<b>{f['seq']}</b> {_wrap(f['field'])}<br><i>{labels[f['level']]}</i>",
                    "showarrow": False,
                    "font": {
                        "size": 12,
                        "color": "white" if f["level"] in DARK_STEPS else "#222",
                    },
                }
            )
    fig.update_layout(annotations=notes)
    steps = list(reversed(LEVEL_ORDER))
    scale = []
    for i, key in enumerate(steps):
        scale += [[i / len(steps), STEP_COLORS[key]], [(i + 1) / len(steps), STEP_COLORS[key]]]
    fig.add_heatmap(
        z=z,
        x=list(range(width)),
        y=list(range(len(sectors))),
        colorscale=scale,
        zmin=-0.5,
        zmax=len(steps) - 0.5,
        showscale=False,
        xgap=3,
        ygap=3,
        hoverinfo="skip",
    )
    _click_layer(fig, cells)
    tally = cov["level"].value_counts()
    shown = [k for k in LEVEL_ORDER if k in metrics or k == "none"]
    if "cultivation" in metrics:
        shown.insert(-1, "applying")
    for key in shown:
        fig.add_scatter(
            x=[None],
            y=[None],
            mode="markers",
            name=_fields_at(labels[key], int(tally.get(key, 0))),
            marker={"symbol": "square", "size": 14, "color": STEP_COLORS[key]},
        )
    fig.update_layout(
        **chart_layout(t("31个重点领域已达到的最高层级（按附件行业分类排列，格内数字为附件序号）")),
        height=110 + 74 * len(sectors),
        plot_bgcolor="white",
    )
    fig.update_layout(
        legend={"y": 1.0, "yanchor": "bottom", "x": 0, "xanchor": "left"},
        margin={"l": 10, "r": 10, "t": 100, "b": 10},
    )
    fig.update_xaxes(
        title_text=t("行业内的重点领域（按附件序号）"),
        showticklabels=False,
        showgrid=False,
        zeroline=False,
        range=[-0.5, width - 0.5],
    )
    fig.update_yaxes(
        title_text=t("行业分类"),
        tickvals=list(range(len(sectors))),
        ticktext=[t("{sector}（{n}）", sector=s, n=(cov["sector"] == s).sum()) for s in sectors],
        autorange="reversed",
        showgrid=False,
        zeroline=False,
    )
    return fig


def _fields_at(label: str, n: int) -> str:
    """A legend entry: 国家级（1个领域）, National (1 field)."""
    return t("{label}（{n}个领域）", ctx="one" if n == 1 else None, label=label, n=n)


def _click_layer(fig: go.Figure, cells: list[dict]) -> None:
    """Transparent bars, one over each cell: a heatmap cannot be selected in Plotly, bars can,
    so a click anywhere in a cell selects its bar, which carries the hover text and the field
    name (customdata) that the drill-down narrows to."""
    fig.add_bar(
        x=[c["x"] for c in cells],
        y=[1] * len(cells),
        base=[c["y"] - 0.5 for c in cells],
        width=1,
        marker={"color": "rgba(0,0,0,0)", "line": {"width": 0}},
        selected={"marker": {"opacity": 0}},
        unselected={"marker": {"opacity": 0}},
        customdata=[[c["hover"], c["field"]] for c in cells],
        hovertemplate="%{customdata[0]}<extra></extra>",
        showlegend=False,
        meta="cells",
    )


def sector_bars(totals: pd.DataFrame, plan: Plan, metrics: tuple[str, ...]) -> go.Figure:
    """Titles held per sector, stacked by level (only the chosen levels)."""
    fig = go.Figure()
    for metric in metrics:
        name = t(plan.metrics[metric])
        fig.add_bar(
            y=totals["sector"],
            x=totals[metric],
            orientation="h",
            name=name,
            marker_color=LEVEL_COLORS[metric],
            text=[v or "" for v in totals[metric]],
            textposition="inside",
            insidetextanchor="middle",
            textangle=0,
            customdata=totals["sector"],  # what a click narrows the sector filter to
            hovertemplate=f"%{{y}}{t('：')}%{{x}} {t('家')}<extra>{name}</extra>",
        )
    if not totals[list(metrics)].to_numpy().any():
        fig.add_annotation(
            text=t("所选范围内没有持有所选层级称号的中心"),
            xref="paper",
            yref="paper",
            x=0.5,
            y=0.5,
            showarrow=False,
            font={"size": 15, "color": "#666"},
        )
    fig.update_layout(
        **chart_layout(t("各行业持有的称号数（同一中心在每个已获层级各计一次）")),
        barmode="stack",
        legend_traceorder="normal",
        height=430,
    )
    fig.update_xaxes(
        title_text=t("称号数（家）"),
        rangemode="tozero",
        dtick=1 if _small(totals, metrics) else None,
    )
    fig.update_yaxes(title_text=t("行业分类"), autorange="reversed")
    return fig


def _small(totals: pd.DataFrame, metrics: tuple[str, ...]) -> bool:
    return bool(totals[list(metrics)].sum(axis=1).max() <= 10)


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
    words = {"stage_label": frame["stage_label"].map(t)}
    if "form" in frame:
        words["form"] = frame["form"].map(t)
    return frame.assign(**words)


def _width(chinese: int, english: int) -> int:
    """A column's width in pixels: English headers and words need more room than Chinese."""
    return chinese if language() == "zh" else english


def crowded_table(crowded: pd.DataFrame, view: ViewState) -> None:
    """The live centers of fields with more than one, a row each, all rows in view."""
    table_with_downloads(
        _stage_words(crowded[["seq", "field", "live", "name", "county", "stage_label"]]),
        "在建中心多于一个的领域",
        view,
        hide_index=True,
        width="stretch",
        height=35 * (len(crowded) + 1) + 3,
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
