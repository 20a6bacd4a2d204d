"""Plotly figures the pages draw; every figure says what it shows and in which unit.

Labels are translated when drawn (t); Plotly's own placeholders (%{y}) stay outside t.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from mic_tracker.i18n import language, t
from mic_tracker.policy import Plan, load_plan
from mic_tracker.textfmt import is_missing
from mic_tracker.ui.style import LEVEL_COLORS, chart_layout


def change_rows(changes: pd.DataFrame) -> pd.DataFrame:
    """overview.recent_changes with `event` in the chosen language (the package writes Chinese)."""
    if language() == "zh":
        return changes
    plan = load_plan()
    words = []
    for kind, level in zip(changes["kind"], changes["level"], strict=True):
        label = t(plan.events[kind].label) if kind in plan.events else kind
        if kind == "title_revoked" and not is_missing(level):
            label = t("{label}（{details}）", label=label, details=t(plan.levels[str(level)]))
        words.append(label)
    return changes.assign(event=words)


def progress_chart(
    plan: Plan,
    history: pd.DataFrame,
    pace: pd.DataFrame,
    targets: list[dict[str, Any]],
    metrics: tuple[str, ...],
    as_of: dt.date,
) -> go.Figure:
    """Titles held month by month, the expected pace (dashed) and the targets (diamonds)."""
    # Traces are collected and handed over at once: each add_scatter re-validates the figure.
    traces: list[dict[str, Any]] = []
    unit = t("家")
    for metric in metrics:
        color = LEVEL_COLORS[metric]
        name = t(plan.metrics[metric])
        traces.append(
            dict(
                type="scatter",
                x=history["month_end"],
                y=history[metric],
                name=name,
                mode="lines",
                line={"color": color, "width": 3, "shape": "hv"},
                hovertemplate=f"%{{x|{t('%Y年%m月')}}}{t('：')}%{{y}} {unit}<extra>{name}</extra>",
            )
        )
        line = pace[pace["metric"] == metric]
        if not line.empty:
            traces.append(
                dict(
                    type="scatter",
                    x=line["date"],
                    y=line["value"],
                    name=t("{name}应有进度", name=name),
                    mode="lines",
                    line={"color": color, "dash": "dash", "width": 1.5},
                    showlegend=False,
                    hoverinfo="skip",
                )
            )
        goals = [g for g in targets if g["metric"] == metric]
        traces.append(
            dict(
                type="scatter",
                x=[dt.date(g["year"], 12, 31) for g in goals],
                y=[g["target"] for g in goals],
                name=t("{name}目标", name=name),
                mode="markers+text",
                showlegend=False,
                marker={
                    "symbol": "diamond",
                    "size": 12,
                    "color": color,
                    "line": {"color": "white", "width": 1},
                },
                text=[t("{year}目标 {n}", year=g["year"], n=g["target"]) for g in goals],
                textposition=["top left" if g["year"] >= 2025 else "top center" for g in goals],
                hovertemplate=f"%{{text}} {unit}<extra></extra>",
            )
        )
    at = dt.datetime.combine(as_of, dt.time()).timestamp() * 1000
    fig = go.Figure(data=traces)
    fig.update_layout(
        shapes=[
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": at,
                "x1": at,
                "y0": 0,
                "y1": 1,
                "line": {"color": "#888", "dash": "dot"},
            }
        ],
        annotations=[
            {
                "x": at,
                "xref": "x",
                "y": 1,
                "yref": "paper",
                "text": t("截至日期"),
                "showarrow": False,
                "xanchor": "left",
                "yanchor": "top",
            }
        ],
    )
    end = max(dt.date(2026, 6, 30), as_of + dt.timedelta(days=60))
    fig.update_layout(
        **chart_layout(t("累计数量与目标（实线：实际；虚线：按方案线性推算的应有进度；◆：目标）")),
        height=480,
    )
    fig.update_xaxes(title_text=t("日期"), range=[dt.date(2019, 1, 1), end], tickformat=t("%Y年"))
    fig.update_yaxes(title_text=t("中心数（家）"), rangemode="tozero")
    return fig
