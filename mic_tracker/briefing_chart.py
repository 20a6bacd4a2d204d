"""The briefing's one chart: each open target's count now, its forecast range and the target."""

from __future__ import annotations

from typing import Any

from mic_tracker.briefing_doc import LIGHT_RGB
from mic_tracker.i18n import t
from mic_tracker.plain_figure import PlainFigure
from mic_tracker.policy import load_plan

FONT = "Noto Sans CJK SC, Noto Sans SC, sans-serif"


def _rgb(light: str) -> str:
    return "rgb({},{},{})".format(*LIGHT_RGB[light])


def targets_chart(fig: dict[str, Any], lang: str) -> PlainFigure:
    """Horizontal bars: held now (coloured by light), the forecast range, the target."""
    last = max(r["year"] for r in fig["targets"])
    rows = [r for r in fig["targets"] if r["year"] == last]
    names = [f"{t(load_plan().metrics[r['metric']], lang)}" for r in rows]
    ranged = [(n, r) for n, r in zip(names, rows, strict=True) if r["forecast"] is not None]
    held = {
        "type": "bar",
        "y": names,
        "x": [r["actual"] for r in rows],
        "orientation": "h",
        "marker": {"color": [_rgb(r["light"]) for r in rows]},
        "name": t("现有", lang),
        "text": [str(r["actual"]) for r in rows],
        "textposition": "inside",
    }
    forecast = {
        "type": "scatter",
        "y": [n for n, _ in ranged],
        "x": [(r["forecast"][0] + r["forecast"][1]) / 2 for _, r in ranged],
        "error_x": {
            "type": "data",
            "symmetric": True,
            "array": [(r["forecast"][1] - r["forecast"][0]) / 2 for _, r in ranged],
            "color": "rgb(90,90,90)",
            "thickness": 3,
        },
        "mode": "markers",
        "marker": {"size": 1, "color": "rgb(90,90,90)"},
        "name": t("预计区间", lang),
    }
    target = {
        "type": "scatter",
        "y": names,
        "x": [r["target"] for r in rows],
        "mode": "markers",
        "marker": {"symbol": "line-ns", "size": 26, "line": {"width": 3, "color": "black"}},
        "name": t("目标", lang),
    }
    layout = {
        "title": {"text": t("{year}年目标：现有、预计区间与目标", lang, year=last)},
        "font": {"family": FONT, "size": 13},
        "height": 260,
        "margin": {"l": 10, "r": 10, "t": 50, "b": 30},
        "legend": {"orientation": "h", "y": -0.2},
        "plot_bgcolor": "white",
        "xaxis": {"gridcolor": "rgb(230,230,230)", "rangemode": "tozero"},
        "yaxis": {"autorange": "reversed", "automargin": True, "ticksuffix": "  "},
    }
    return PlainFigure({"data": [held, forecast, target], "layout": layout})
