"""Figures and cell text for the alerts page."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from mic_tracker.alerts import SEVERITY_LABELS, SEVERITY_ORDER
from mic_tracker.ui.style import chart_layout

SEVERITY_COLORS = {"red": "#cf222e", "amber": "#d4a72c", "green": "#2da44e"}
SEVERITY_DOTS = {"red": "● 红", "amber": "● 黄", "green": "● 绿"}


def severity_column(severity: str) -> str:
    return SEVERITY_DOTS[severity]


def severity_words(chosen: list[str] | None) -> str:
    """The colours chosen, for a file name (红色、黄色); nothing when all or none are chosen."""
    if not chosen or set(chosen) == set(SEVERITY_LABELS):
        return ""
    # The labels' words before the bracket: 红色（已逾期） → 红色.
    return "、".join(SEVERITY_LABELS[k].split("（")[0] for k in SEVERITY_ORDER if k in chosen)


def county_chart(table: pd.DataFrame) -> go.Figure:
    """Alerts per county, stacked by colour, the county with most red first."""
    fig = go.Figure()
    for key in SEVERITY_ORDER:
        fig.add_bar(
            y=table["county"],
            x=table[key],
            name=SEVERITY_LABELS[key],
            orientation="h",
            marker_color=SEVERITY_COLORS[key],
            text=table[key].where(table[key] > 0, ""),
            textposition="inside",
            customdata=table["county"],  # a click narrows the county filter to it
            hovertemplate="%{y}：%{x} 项<extra>" + SEVERITY_LABELS[key] + "</extra>",
        )
    fig.update_layout(
        **chart_layout("各县区预警数（项，按颜色）"),
        barmode="stack",
        height=max(260, 34 * len(table) + 120),
    )
    fig.update_yaxes(autorange="reversed", title_text="县区 / 开发区")
    fig.update_xaxes(title_text="预警数（项）")
    return fig
