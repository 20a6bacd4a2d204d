"""A briefing as a document: sections of sentences, a table and a chart, already in words.

`briefing.build` fills it from the data; the page, the PDF and the PPTX only lay it out, so
the three always say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Status keys (report.STATUS_LABELS) → the light a leader reads: red, amber, green.
LIGHTS = {
    "met": "green",
    "on_track": "green",
    "at_risk": "amber",
    "off_track": "red",
    "missed": "red",
}
LIGHT_RGB = {"green": (46, 139, 87), "amber": (230, 159, 0), "red": (200, 50, 50)}


@dataclass(frozen=True)
class Table:
    """Text cells, ready to print. `lights[i]` colours row i's `light_column` (None: no colour)."""

    columns: list[str]
    rows: list[list[str]]
    light_column: int | None = None
    lights: list[str | None] = field(default_factory=list)
    widths: list[float] | None = None  # relative column widths for print; None = equal


@dataclass(frozen=True)
class Section:
    key: str  # targets, summary, movement, forecast, alerts, fields, counties
    title: str
    lines: list[str] = field(default_factory=list)
    table: Table | None = None
    chart: Any | None = None  # a plotly Figure, drawn as an image in exports
    note: str = ""  # the method or rule, printed small under the section


@dataclass(frozen=True)
class BriefingDoc:
    title: str
    as_of_text: str  # 截至2022年6月30日
    filters_text: str  # 筛选：全部 / 行业：新材料 …（目标仍为全市目标）
    last_change_text: str  # 数据最后更新：2026-11-26 18:34
    demo: bool
    demo_label: str  # 示例数据 (or Demo data); printed on every page when demo is true
    lang: str
    sections: list[Section]
    figures: dict[str, Any]  # the same content as numbers, for --json and snapshots

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)

    def stamp(self) -> list[str]:
        """The lines every page and slide prints."""
        lines = [self.as_of_text, self.filters_text, self.last_change_text]
        return [self.demo_label, *lines] if self.demo else lines
