"""Figures of the levels page: the pipeline funnels and the yearly flows between stages.

Labels are translated when drawn (t); the package's frames stay Chinese.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from mic_tracker.i18n import t
from mic_tracker.ui.style import LEVEL_COLORS, NONE_COLOR, chart_layout

STAGE_COLORS = {"applying": NONE_COLOR, **LEVEL_COLORS}


def _text_color(fill: str) -> str:
    """White on a dark bar, near-black on a light one (relative luminance of the fill)."""
    r, g, b = (int(fill[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return "white" if 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.5 else "#222"


def funnel_chart(stages: pd.DataFrame, column: str, title: str, scale: int) -> go.Figure:
    """A funnel of `column` (held / ever) per stage; `scale` is the widest bar of both funnels,
    so the two funnels drawn side by side share one width scale."""
    labels = stages["ever_label" if column == "ever" else "label"].map(t)
    inside = [v >= scale * 0.2 for v in stages[column]]
    fig = go.Figure(
        go.Funnel(
            y=labels,
            x=stages[column],
            text=[_centers(int(v)) for v in stages[column]],
            texttemplate="%{text}",
            textposition=["inside" if i else "outside" for i in inside],
            textfont={
                "color": [
                    _text_color(STAGE_COLORS[s]) if i else "#222"
                    for i, s in zip(inside, stages["stage"], strict=True)
                ]
            },
            marker={
                "color": [STAGE_COLORS[s] for s in stages["stage"]],
                "line": {"color": "#9a9a9a", "width": 1},
            },
            connector={"fillcolor": "#f4f6f8", "line": {"width": 0}},
            customdata=stages["stage"],  # a click narrows the level filter to this stage
            hovertemplate=f"%{{y}}{t('：')}%{{text}}<extra></extra>",
        )
    )
    fig.update_layout(**chart_layout(title), height=340, showlegend=False)
    half = max(scale, 1) / 2 * 1.05
    fig.update_xaxes(range=[-half, half], visible=False)
    fig.update_yaxes(title_text=t("阶段"), categoryorder="array", categoryarray=list(labels))
    return fig


def _centers(n: int) -> str:
    """5 家 / "5 centers", "1 center"."""
    return t("{n} 家", ctx="one" if n == 1 else "count", n=n)


def flows_chart(flows: pd.DataFrame, labels: dict[str, str], metrics: tuple[str, ...]) -> go.Figure:
    """Per year and level: centers entering (bars up) and leaving (hatched bars down)."""
    fig = go.Figure()
    unit = t("家")
    flows = flows.assign(period=flows["period"].map(_period))
    for metric in metrics:
        rows = flows[flows["metric"] == metric]
        color = LEVEL_COLORS[metric]
        name = t(labels[metric])
        entered = t("新列入" if metric == "cultivation" else "新认定")
        left = t("取消培育资格" if metric == "cultivation" else "撤销称号")
        went_in = t("{name}{what}", name=name, what=entered)
        went_out = t("{name}{what}", name=name, what=left)
        fig.add_bar(
            x=rows["period"],
            y=rows["entered"],
            name=t("{name}·{what}", name=name, what=entered),
            showlegend=True,
            offsetgroup=metric,
            marker={"color": color, "line": {"color": "#555", "width": 0.5}},
            text=[str(v) if v else "" for v in rows["entered"]],
            textposition="outside",
            cliponaxis=False,
            customdata=[metric] * len(rows),  # a click narrows the level filter to it
            hovertemplate=f"%{{x}} {went_in}{t('：')}%{{y}} {unit}<extra></extra>",
        )
        if rows["left"].any():
            fig.add_bar(
                x=rows["period"],
                y=-rows["left"],
                name=t("{name}·{what}", name=name, what=left),
                showlegend=True,
                offsetgroup=metric,
                marker={
                    "color": "white",
                    "line": {"color": color, "width": 1.5},
                    "pattern": {"shape": "/", "fgcolor": color, "solidity": 0.5},
                },
                customdata=[[int(v), metric] for v in rows["left"]],  # count, then the level
                text=[str(v) if v else "" for v in rows["left"]],
                textposition="outside",
                cliponaxis=False,
                hovertemplate=(
                    f"%{{x}} {went_out}{t('：')}%{{customdata[0]}} {unit}<extra></extra>"
                ),
            )
    fig.update_layout(
        **chart_layout(t("每年进入与退出各层级的中心数（向上：新列入/新认定；向下：取消/撤销）")),
        barmode="group",
        height=420,
    )
    fig.update_xaxes(title_text=t("年份"), type="category")
    shown = flows[flows["metric"].isin(metrics)]
    up, down = (int(shown[c].max()) if not shown.empty else 0 for c in ("entered", "left"))
    ticks = _ticks(up, down)
    fig.update_yaxes(
        title_text=t("中心数（家，向下为退出）"),
        zeroline=True,
        zerolinecolor="#888",
        tickvals=ticks,
        ticktext=[str(abs(v)) for v in ticks],
        range=[ticks[0] - 0.5, ticks[-1] + 0.5],
    )
    return fig


def _period(period: str) -> str:
    """levels.flows' periods, 2021年 and 2019年以前, in the chosen language."""
    year = period[:4]
    if period.endswith("年以前"):
        return t("{year}年以前", year=year)
    return t("{year}年", year=year)


def _ticks(up: int, down: int) -> list[int]:
    """Whole-number ticks from -down to up, about six of them, labelled without the sign."""
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000) if (up + down) / s <= 7)
    low = -((down + step - 1) // step) * step
    high = max(((up + step - 1) // step) * step, step)
    return list(range(low, high + 1, step))


def duration_table(times: pd.DataFrame) -> pd.DataFrame:
    """The durations as the page shows them: headers in the chosen language, whole days,
    "—" where n = 0."""

    def fmt(value: object, pattern: str) -> str:
        return "—" if pd.isna(value) else pattern.format(value)

    return pd.DataFrame(
        {
            t("阶段"): times["label"].map(t),
            t("样本数 n（对）"): times["n"],
            t("中位数（天）"): [fmt(v, "{:g}") for v in times["median_days"]],
            t("约合（月）"): [fmt(v, "{:.1f}") for v in times["median_months"]],
            t("最短（天）"): [fmt(v, "{:.0f}") for v in times["min_days"]],
            t("最长（天）"): [fmt(v, "{:.0f}") for v in times["max_days"]],
        }
    )
