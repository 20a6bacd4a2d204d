"""Plotly figures the pages draw; every figure says what it shows and in which unit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from mic_tracker.policy import Plan
from mic_tracker.ui.style import LEVEL_COLORS, chart_layout


def progress_chart(
    plan: Plan,
    history: pd.DataFrame,
    pace: pd.DataFrame,
    targets: list[dict[str, Any]],
    metrics: tuple[str, ...],
    as_of: dt.date,
) -> go.Figure:
    """Titles held month by month, the expected pace (dashed) and the targets (diamonds)."""
    fig = go.Figure()
    for metric in metrics:
        color = LEVEL_COLORS[metric]
        name = plan.metrics[metric]
        fig.add_scatter(
            x=history["month_end"],
            y=history[metric],
            name=name,
            mode="lines",
            line={"color": color, "width": 3, "shape": "hv"},
            hovertemplate="%{x|%Y年%m月}：%{y} 家<extra>" + name + "</extra>",
        )
        line = pace[pace["metric"] == metric]
        if not line.empty:
            fig.add_scatter(
                x=line["date"],
                y=line["value"],
                name=f"{name}应有进度",
                mode="lines",
                line={"color": color, "dash": "dash", "width": 1.5},
                showlegend=False,
                hoverinfo="skip",
            )
        goals = [t for t in targets if t["metric"] == metric]
        fig.add_scatter(
            x=[dt.date(t["year"], 12, 31) for t in goals],
            y=[t["target"] for t in goals],
            name=f"{name}目标",
            mode="markers+text",
            showlegend=False,
            marker={
                "symbol": "diamond",
                "size": 12,
                "color": color,
                "line": {"color": "white", "width": 1},
            },
            text=[f"{t['year']}目标 {t['target']}" for t in goals],
            textposition=["top left" if t["year"] >= 2025 else "top center" for t in goals],
            hovertemplate="%{text} 家<extra></extra>",
        )
    fig.add_vline(
        x=dt.datetime.combine(as_of, dt.time()).timestamp() * 1000,
        line={"color": "#888", "dash": "dot"},
        annotation_text="截至日期",
    )
    end = max(dt.date(2026, 6, 30), as_of + dt.timedelta(days=60))
    fig.update_layout(
        **chart_layout("累计数量与目标（实线：实际；虚线：按方案线性推算的应有进度；◆：目标）"),
        height=480,
    )
    fig.update_xaxes(title_text="日期", range=[dt.date(2019, 1, 1), end], tickformat="%Y年")
    fig.update_yaxes(title_text="中心数（家）", rangemode="tozero")
    return fig
