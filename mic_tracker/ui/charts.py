"""Plotly figures the pages draw; every figure says what it shows and in which unit.

Labels are translated when drawn (t); Plotly's own placeholders (%{y}) stay outside t.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from mic_tracker.i18n import language, t
from mic_tracker.policy import Plan, load_plan
from mic_tracker.textfmt import is_missing
from mic_tracker.ui.figures import PlainFigure
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
) -> PlainFigure:
    """Titles held month by month, the expected pace (dashed) and the targets (diamonds)."""
    traces: list[dict[str, Any]] = []
    months = [d.strftime("%Y-%m-%d") for d in history["month_end"]]
    for metric in metrics:
        traces.extend(_metric_traces(plan, metric, months, history, pace, targets))
    at = as_of.isoformat()
    end = max(dt.date(2026, 6, 30), as_of + dt.timedelta(days=60))
    layout = chart_layout(
        t("累计数量与目标（实线：实际；虚线：按方案线性推算的应有进度；◆：目标）")
    )
    layout.update(
        height=480,
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
        xaxis={
            "type": "date",
            "title": {"text": t("日期")},
            "range": ["2019-01-01", end.isoformat()],
            "tickformat": t("%Y年"),
        },
        yaxis={"title": {"text": t("中心数（家）")}, "rangemode": "tozero"},
    )
    return PlainFigure({"data": traces, "layout": layout})


def _metric_traces(
    plan: Plan,
    metric: str,
    months: list[str],
    history: pd.DataFrame,
    pace: pd.DataFrame,
    targets: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """One level's line held, its pace line (when it has targets) and its target diamonds."""
    color = LEVEL_COLORS[metric]
    name = t(plan.metrics[metric])
    unit = t("家")
    traces = [
        {
            "type": "scatter",
            "x": months,
            "y": [int(v) for v in history[metric]],
            "name": name,
            "mode": "lines",
            "line": {"color": color, "width": 3, "shape": "hv"},
            "hovertemplate": f"%{{x|{t('%Y年%m月')}}}{t('：')}%{{y}} {unit}<extra>{name}</extra>",
        }
    ]
    line = pace[pace["metric"] == metric]
    if not line.empty:
        traces.append(
            {
                "type": "scatter",
                "x": [d.isoformat() for d in line["date"]],
                "y": [float(v) for v in line["value"]],
                "name": t("{name}应有进度", name=name),
                "mode": "lines",
                "line": {"color": color, "dash": "dash", "width": 1.5},
                "showlegend": False,
                "hoverinfo": "skip",
            }
        )
    goals = [g for g in targets if g["metric"] == metric]
    traces.append(
        {
            "type": "scatter",
            "x": [f"{g['year']}-12-31" for g in goals],
            "y": [g["target"] for g in goals],
            "name": t("{name}目标", name=name),
            "mode": "markers+text",
            "showlegend": False,
            "marker": {
                "symbol": "diamond",
                "size": 12,
                "color": color,
                "line": {"color": "white", "width": 1},
            },
            "text": [t("{year}目标 {n}", year=g["year"], n=g["target"]) for g in goals],
            "textposition": ["top left" if g["year"] >= 2025 else "top center" for g in goals],
            "hovertemplate": f"%{{text}} {unit}<extra></extra>",
        }
    )
    return traces
