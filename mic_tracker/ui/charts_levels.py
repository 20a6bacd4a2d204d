"""Figures of the levels page: the pipeline funnels and the yearly flows between stages.

Labels are translated when drawn (t); the package's data stays Chinese. The figures are
Plotly's JSON written directly (PlainFigure): a filter change builds them anew, and plotly's
validation was most of that time (tests/test_charts_levels.py validates them once).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import pandas as pd

from mic_tracker.i18n import t
from mic_tracker.levels import Duration, Flow, Pipeline, Stage, shown_stages, stage_labels
from mic_tracker.ui.figures import PlainFigure
from mic_tracker.ui.style import LEVEL_COLORS, NONE_COLOR, chart_layout

STAGE_COLORS = {"applying": NONE_COLOR, **LEVEL_COLORS}


def _text_color(fill: str) -> str:
    """White on a dark bar, near-black on a light one (relative luminance of the fill)."""
    r, g, b = (int(fill[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return "white" if 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.5 else "#222"


def funnel_chart(stages: Sequence[Stage], column: str, title: str, scale: int) -> PlainFigure:
    """A funnel of `column` (held / ever) per stage; `scale` is the widest bar of both funnels,
    so the two funnels drawn side by side share one width scale."""
    labels = [t(s.ever_label if column == "ever" else s.label) for s in stages]
    values = [int(getattr(s, column)) for s in stages]
    inside = [v >= scale * 0.2 for v in values]
    trace = {
        "type": "funnel",
        "y": labels,
        "x": values,
        "text": [_centers(v) for v in values],
        "texttemplate": "%{text}",
        "textposition": ["inside" if i else "outside" for i in inside],
        "textfont": {
            "color": [
                _text_color(STAGE_COLORS[s.stage]) if i else "#222"
                for i, s in zip(inside, stages, strict=True)
            ]
        },
        "marker": {
            "color": [STAGE_COLORS[s.stage] for s in stages],
            "line": {"color": "#9a9a9a", "width": 1},
        },
        "connector": {"fillcolor": "#f4f6f8", "line": {"width": 0}},
        "customdata": [s.stage for s in stages],  # a click narrows the level filter to it
        "hovertemplate": f"%{{y}}{t('：')}%{{text}}<extra></extra>",
    }
    half = max(scale, 1) / 2 * 1.05
    layout = chart_layout(title)
    layout.update(
        height=340,
        showlegend=False,
        xaxis={"range": [-half, half], "visible": False},
        yaxis={
            "title": {"text": t("阶段")},
            "categoryorder": "array",
            "categoryarray": labels,
        },
    )
    return PlainFigure({"data": [trace], "layout": layout})


def _centers(n: int) -> str:
    """5 家 / "5 centers", "1 center"."""
    return t("{n} 家", ctx="one" if n == 1 else "count", n=n)


def flows_chart(
    flows: Sequence[Flow], labels: dict[str, str], metrics: tuple[str, ...]
) -> PlainFigure:
    """Per year and level: centers entering (bars up) and leaving (hatched bars down)."""
    traces: list[dict[str, Any]] = []
    for metric in metrics:
        rows = [f for f in flows if f.metric == metric]
        traces.extend(_level_bars(metric, t(labels[metric]), rows))
    shown = [f for f in flows if f.metric in metrics]
    up = max((f.entered for f in shown), default=0)
    down = max((f.left for f in shown), default=0)
    ticks = _ticks(up, down)
    layout = chart_layout(t("每年进入与退出各层级的中心数（向上：新列入/新认定；向下：取消/撤销）"))
    layout.update(
        barmode="group",
        height=420,
        xaxis={"title": {"text": t("年份")}, "type": "category"},
        yaxis={
            "title": {"text": t("中心数（家，向下为退出）")},
            "zeroline": True,
            "zerolinecolor": "#888",
            "tickvals": ticks,
            "ticktext": [str(abs(v)) for v in ticks],
            "range": [ticks[0] - 0.5, ticks[-1] + 0.5],
        },
    )
    return PlainFigure({"data": traces, "layout": layout})


def _level_bars(metric: str, name: str, rows: list[Flow]) -> list[dict[str, Any]]:
    """One level's bars: entries up, and exits down (hatched) when there are any."""
    color = LEVEL_COLORS[metric]
    unit = t("家")
    entered = t("新列入" if metric == "cultivation" else "新认定")
    left = t("取消培育资格" if metric == "cultivation" else "撤销称号")
    went_in = t("{name}{what}", name=name, what=entered)
    went_out = t("{name}{what}", name=name, what=left)
    periods = [_period(f.period) for f in rows]
    bars = [
        {
            "type": "bar",
            "x": periods,
            "y": [f.entered for f in rows],
            "name": t("{name}·{what}", name=name, what=entered),
            "showlegend": True,
            "offsetgroup": metric,
            "marker": {"color": color, "line": {"color": "#555", "width": 0.5}},
            "text": [str(f.entered) if f.entered else "" for f in rows],
            "textposition": "outside",
            "cliponaxis": False,
            "customdata": [metric] * len(rows),  # a click narrows the level filter to it
            "hovertemplate": f"%{{x}} {went_in}{t('：')}%{{y}} {unit}<extra></extra>",
        }
    ]
    if any(f.left for f in rows):
        bars.append(
            {
                "type": "bar",
                "x": periods,
                "y": [-f.left for f in rows],
                "name": t("{name}·{what}", name=name, what=left),
                "showlegend": True,
                "offsetgroup": metric,
                "marker": {
                    "color": "white",
                    "line": {"color": color, "width": 1.5},
                    "pattern": {"shape": "/", "fgcolor": color, "solidity": 0.5},
                },
                "customdata": [[f.left, metric] for f in rows],  # count, then the level
                "text": [str(f.left) if f.left else "" for f in rows],
                "textposition": "outside",
                "cliponaxis": False,
                "hovertemplate": (
                    f"%{{x}} {went_out}{t('：')}%{{customdata[0]}} {unit}<extra></extra>"
                ),
            }
        )
    return bars


def _period(period: str) -> str:
    """A Flow's period, 2021年 or 2019年以前, in the chosen language."""
    year = period[:4]
    if period.endswith("年以前"):
        return t("{year}年以前", year=year)
    return t("{year}年", year=year)


def _ticks(up: int, down: int) -> list[int]:
    """Whole-number ticks from -down to up, about six of them, labelled without the sign."""
    step = next(s for s in _steps() if (up + down) / s <= 7)
    low = -((down + step - 1) // step) * step
    high = max(((up + step - 1) // step) * step, step)
    return list(range(low, high + 1, step))


def _steps() -> Iterator[int]:
    """1, 2, 5, 10, 20, 50, … without end: a province's or a country's register still fits."""
    scale = 1
    while True:
        yield from (scale, 2 * scale, 5 * scale)
        scale *= 10


def duration_table(times: Sequence[Duration]) -> pd.DataFrame:
    """The durations as the page shows them: headers in the chosen language, whole days,
    "—" where n = 0."""

    def fmt(value: float | None, pattern: str) -> str:
        return "—" if value is None else pattern.format(value)

    return pd.DataFrame(
        {
            t("阶段"): [t(d.label) for d in times],
            t("样本数 n（对）"): [d.n for d in times],
            t("中位数（天）"): [fmt(d.median_days, "{:g}") for d in times],
            t("约合（月）"): [fmt(d.median_months, "{:.1f}") for d in times],
            t("最短（天）"): [fmt(d.min_days, "{:.0f}") for d in times],
            t("最长（天）"): [fmt(d.max_days, "{:.0f}") for d in times],
        }
    )


def page_figures(
    data: Pipeline, metrics: tuple[str, ...], day: str
) -> tuple[PlainFigure, PlainFigure, PlainFigure, pd.DataFrame]:
    """The page's two funnels (held on the date, ever reached), its flows chart and its
    durations table, for the levels shown; built once per view (the page keeps them)."""
    stages = shown_stages(metrics)
    shown = tuple(s for s in data.funnel if s.stage in stages)
    scale = max((s.ever for s in shown), default=1)
    held = funnel_chart(shown, "held", t("截至{date}所处：申报中与持有称号（家）", date=day), scale)
    ever = funnel_chart(
        shown,
        "ever",
        t("截至{date}曾到达：含后来取消或撤销的（家）", ctx="short", date=day),  # half width
        scale,
    )
    flows = flows_chart(data.flows, stage_labels(), metrics)
    return held, ever, flows, duration_table([d for d in data.durations if d.metric in metrics])
