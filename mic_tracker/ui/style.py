"""Colours and labels shared by every chart, so a level or a status looks the same everywhere."""

from __future__ import annotations

# Status lights: the Ouhai 三色预警 palette (green / amber / red), grey once a deadline has passed unmet.
STATUS_COLORS = {
    "met": "#1a7f37",
    "on_track": "#2da44e",
    "at_risk": "#d4a72c",
    "off_track": "#cf222e",
    "missed": "#6e7781",
}

# Levels: distinct hues a leader can tell apart at a glance (and in print), pipeline to top.
LEVEL_COLORS = {
    "cultivation": "#74add1",
    "city": "#2166ac",
    "province": "#e08214",
    "national": "#762a83",
}
NONE_COLOR = "#eeeeee"
FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"


def chart_layout(title: str) -> dict[str, object]:
    """The layout every Plotly chart starts from: a title that says what it shows, CJK font."""
    return {
        "title": {"text": title, "x": 0, "xanchor": "left"},
        "font": {"family": FONT, "size": 13},
        "margin": {"l": 10, "r": 30, "t": 50, "b": 10},
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0, "xanchor": "left"},
        "separators": ".,",
    }
