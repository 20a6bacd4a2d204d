"""Figures of the counties page: the division map drawn on plain axes, the ranking, the table.

The map needs no network: no Plotly geo or tile map (those fetch a world topojson or tiles in
the browser). Each polygon of today's divisions is one filled Scatter trace in lon/lat; the
y axis is stretched by 1/cos(latitude) so shapes keep their proportions at Luoyang's latitude.

Labels are translated when drawn (t); `labels` stay the package's Chinese metric labels (the
keys of their translations), and the names of divisions and zones stay Chinese.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import pandas as pd
import streamlit as st
from plotly.colors import get_colorscale, sample_colorscale

from mic_tracker.counties import UNIT_KEYS, leaders, metric_labels, ranking, shapes, zones
from mic_tracker.i18n import language, t
from mic_tracker.report import METRICS
from mic_tracker.ui.figures import PlainFigure
from mic_tracker.ui.filters import ViewState
from mic_tracker.ui.style import LEVEL_COLORS, chart_layout
from mic_tracker.ui.tables import table_with_downloads

COLORSCALE = "Blues"  # sequential, the hue of LEVEL_COLORS
MID_LATITUDE = 34.6  # Luoyang spans 33.6–35.1° N
Y_STRETCH = 1 / math.cos(math.radians(MID_LATITUDE))
BORDER = "#8c959f"
HIGHLIGHT = "#d1242f"  # outline of the units chosen in the county filter
ZONE_OUTLINE = "#24292f"
DARK_TEXT_FROM = 0.55  # share of the scale from which a label on the fill turns white
# The central districts are too small to label on the whole map: an inset shows the city
# proper (lon/lat box) with them and the zones; the whole map marks the box.
INSET_LON = (112.25, 112.72)
INSET_LAT = (34.53, 34.78)
# Labelled in the inset only: 老城区 西工区 瀍河回族区 涧西区 洛龙区 (洛龙区's label would sit on
# the zone markers on the whole map).
INSET_ONLY = {"410302", "410303", "410304", "410305", "410311"}
# Labels in the inset moved off the centroid, in pixels (x right, y down), where they would
# cover a zone marker or each other.
INSET_SHIFT = {"410305": (-6, 22), "410304": (14, 0), "410311": (18, 12)}
ZONE_TEXT_POSITIONS = {"GXQ": "top right", "JKQ": "bottom center", "YBQ": "bottom center"}


@dataclass(frozen=True)
class CountyView:
    """What the page draws for one set of counts and one level: the ranking (labels in the
    chosen language), both figures and the leaders' text. Shared between reruns and
    sessions: treat as read-only."""

    frame: pd.DataFrame
    the_map: PlainFigure
    bars: PlainFigure
    leaders: str


def county_view(
    units: list[dict[str, Any]], metric: str, selected: tuple[str, ...] = ()
) -> CountyView:
    """The ranking and figures of unit_counts()["units"] by `metric`, worked out once per
    counts, level, chosen units and language: a rerun that changed none of them reuses them.

    Keyed by the counts themselves as tuples, which Python hashes in microseconds; Streamlit's
    hashing of the same rows for a ui.figures key took longer than building the figures."""
    counts = tuple(tuple(u[k] for k in UNIT_KEYS) for u in units)
    return _county_view(counts, metric, selected, language())


@lru_cache(maxsize=64)
def _county_view(
    counts: tuple[tuple[Any, ...], ...], metric: str, selected: tuple[str, ...], lang: str
) -> CountyView:
    del lang  # part of the key only: t() reads the chosen language itself
    frame = unit_rows(ranking([dict(zip(UNIT_KEYS, c, strict=True)) for c in counts], metric))
    rows = frame.to_dict("records")
    labels = metric_labels()
    return CountyView(
        frame=frame,
        the_map=county_map(rows, metric, labels, selected),
        bars=ranking_bars(rows, metric, labels, selected),
        leaders=leaders_text(frame, metric),
    )


def metric_words(labels: dict[str, str], metric: str) -> str:
    """The metric inside a sentence: 市级 in Chinese, "city-level centers" in English."""
    return t(labels[metric], ctx="plural")


def unit_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """counties.ranking with `label` in the chosen language: 偃师区 (formerly 偃师市)."""
    if language() == "zh":
        return frame
    return frame.assign(
        label=[_unit_label(n, f) for n, f in zip(frame["name"], frame["formerly"], strict=True)]
    )


def _unit_label(name: str, former: str) -> str:
    """counties.unit_label in the chosen language (the names stay)."""
    if not former:
        return name
    if "、" in former:
        return t("{name}（含原{former}）", name=name, former=t("、").join(former.split("、")))
    return t("{name}（原{former}）", name=name, former=former)


def leaders_text(frame: pd.DataFrame, metric: str) -> str:
    """counties.leaders in the chosen language: 孟津区 4 家 / "孟津区: 4"."""
    if language() == "zh":
        return leaders(frame, metric)
    most = int(frame[metric].max()) if len(frame) else 0
    if most == 0:
        return "—"
    names = list(frame.loc[frame[metric] == most, "short"])
    if len(names) == 1:
        return t("{name} {n} 家", name=names[0], n=most)
    shown = (
        t("、").join(names)
        if len(names) <= 2
        else t("{name}等 {k} 个", name=names[0], k=len(names))
    )
    return t("{names} 各 {n} 家", names=shown, n=most)


def old_names_text(rows: list[dict[str, Any]]) -> str:
    """counties.old_names_note in the chosen language: 吉利区 1 家、孟津县 1 家计入孟津区."""
    by_unit: dict[str, list[str]] = {}
    for r in rows:
        by_unit.setdefault(r["name"], []).append(
            t("{name} {n} 家", name=r["written"], n=r["centers"])
        )
    return t("；").join(
        t("{parts}计入{unit}", parts=t("、").join(parts), unit=unit)
        for unit, parts in by_unit.items()
    )


def counts_line(row: Mapping[str, Any], labels: dict[str, str]) -> str:
    return " · ".join(f"{t(labels[m])} {row[m]}" for m in METRICS)


def unit_hover(row: Mapping[str, Any], metric: str, labels: dict[str, str], units: int) -> str:
    """孟津区（含原孟津县、吉利区）：市级 2 家 / all four counts / rank (plus the zone note)."""
    text = t(
        "<b>{unit}</b>：{metric} {n} 家<br>{counts}（家）<br>按{metric}排第 {rank} / {units}",
        unit=row["label"],
        metric=metric_words(labels, metric),
        n=row[metric],
        counts=counts_line(row, labels),
        rank=row["rank"],
        units=units,
    )
    if row["is_zone"]:
        text += "<br>" + t("开发区单独统计，不计入所在区县；标记位置为近似")
    return text


# sample_colorscale validates the scale on every call (~4 ms with a scale's name); the counts
# are small ints, so each (value, top) is worked out once.
@lru_cache(maxsize=4096)
def _color(value: int, top: int) -> str:
    return sample_colorscale(_scale(), [value / top])[0]


@cache
def _scale() -> list[list[Any]]:
    """COLORSCALE as [position, colour] pairs: plotly.js's own "Blues" runs dark to light,
    the reverse of plotly.py's, so the colour bar must not pass the name on unvalidated."""
    return [[float(at), color] for at, color in get_colorscale(COLORSCALE)]


@dataclass(frozen=True)
class _Outline:
    """A division's polygons as Plotly wants them, worked out once per process: per polygon
    its rings' x and y lists (lon/lat rounded to ~1 m, which the 0.003° simplification is far
    coarser than) and whether it reaches into the inset."""

    code: str
    label_at: tuple[float, float]
    polygons: tuple[tuple[tuple[tuple[float, ...], tuple[float, ...]], ...], ...]
    in_inset: tuple[bool, ...]


@cache
def _outlines() -> tuple[_Outline, ...]:
    out = []
    for shape in shapes():
        polygons = tuple(
            tuple(
                (tuple(round(p[0], 5) for p in ring), tuple(round(p[1], 5) for p in ring))
                for ring in polygon
            )
            for polygon in shape.polygons
        )
        inset = tuple(_intersects_inset(polygon[0]) for polygon in polygons)
        out.append(_Outline(shape.code, shape.label_at, polygons, inset))
    return tuple(out)


def _intersects_inset(outer: tuple[tuple[float, ...], tuple[float, ...]]) -> bool:
    xs, ys = outer
    return (
        min(xs) < INSET_LON[1]
        and max(xs) > INSET_LON[0]
        and min(ys) < INSET_LAT[1]
        and max(ys) > INSET_LAT[0]
    )


def county_map(
    units: list[dict[str, Any]],
    metric: str,
    labels: dict[str, str],
    selected: tuple[str, ...] = (),
) -> PlainFigure:
    """Choropleth of today's 14 divisions by `metric` (one filled trace per polygon on the whole
    map), the 3 development zones as star markers coloured on the same scale, a colour bar,
    and an inset of the city proper (axes x2/y2) repeating the polygons that reach into it.

    `units` are the ranking's rows as records (`unit_rows(ranking(...)).to_dict("records")`).
    The shapes are counties.shapes() and the zones counties.zones(), fixed per process."""
    rows = {r["code"]: r for r in units}
    top = max((int(r[metric]) for r in units), default=0) or 1
    hovers = {code: unit_hover(r, metric, labels, len(rows)) for code, r in rows.items()}
    outlines = _outlines()
    zone_points = zones()
    traces: list[dict[str, Any]] = []
    annotations: list[dict[str, Any]] = []
    for inset in (False, True):
        traces.extend(_polygon_traces(outlines, rows, hovers, metric, top, selected, inset))
        annotations.extend(_unit_labels(outlines, rows, metric, top, inset))
        traces.append(_click_targets(outlines, rows, hovers, inset))
        traces.append(_zone_markers(zone_points, rows, hovers, metric, top, selected, inset))
    traces.append(_colorbar(labels, metric, top))
    annotations.append(
        {
            "x": 0,
            "y": 1,
            "xref": "x2 domain",
            "yref": "y2 domain",
            "text": t("<b>中心城区放大</b>（左图虚线框）"),
            "showarrow": False,
            "xanchor": "left",
            "yanchor": "bottom",
        }
    )
    title = t(
        "各县（市、区）和开发区的{metric}数量（家，按今天的区划）",
        metric=metric_words(labels, metric),
    )
    return PlainFigure({"data": traces, "layout": _map_layout(title, annotations)})


def _polygon_traces(
    outlines: tuple[_Outline, ...],
    rows: dict[str, dict[str, Any]],
    hovers: dict[str, str],
    metric: str,
    top: int,
    selected: tuple[str, ...],
    inset: bool,
) -> list[dict[str, Any]]:
    """One filled trace per ring (the outer ring, then holes filled white); the chosen units
    last, so their outline is drawn over their neighbours'."""
    x, y = ("x2", "y2") if inset else ("x", "y")
    traces = []
    for outline in sorted(outlines, key=lambda o: o.code in selected):
        row = rows[outline.code]
        chosen = outline.code in selected
        fill = _color(int(row[metric]), top)
        line = {"color": HIGHLIGHT if chosen else BORDER, "width": 3 if chosen else 1}
        for polygon, reaches in zip(outline.polygons, outline.in_inset, strict=True):
            if inset and not reaches:
                continue
            for i, (xs, ys) in enumerate(polygon):
                traces.append(
                    {
                        "type": "scatter",
                        "x": xs,
                        "y": ys,
                        "xaxis": x,
                        "yaxis": y,
                        "mode": "lines",
                        "fill": "toself",
                        "fillcolor": fill if i == 0 else "white",
                        "line": line,
                        "name": row["name"],
                        "meta": f"inset:{outline.code}" if inset else outline.code,
                        "text": hovers[outline.code],
                        "hoveron": "fills",
                        "hoverinfo": "text",
                        "showlegend": False,
                    }
                )
    return traces


def _labelled(outlines: tuple[_Outline, ...], inset: bool) -> list[_Outline]:
    """The units named on the whole map, or (inset) the small central ones named there."""
    return [o for o in outlines if (o.code in INSET_ONLY) == inset]


def _unit_labels(
    outlines: tuple[_Outline, ...],
    rows: dict[str, dict[str, Any]],
    metric: str,
    top: int,
    inset: bool,
) -> list[dict[str, Any]]:
    """Name and count at each labelled unit's label point, white on the darker fills."""
    out = []
    for outline in _labelled(outlines, inset):
        row = rows[outline.code]
        value = int(row[metric])
        dx, dy = INSET_SHIFT.get(outline.code, (0, 0)) if inset else (0, 0)
        out.append(
            {
                "x": outline.label_at[0],
                "y": outline.label_at[1],
                "xref": "x2" if inset else "x",
                "yref": "y2" if inset else "y",
                "xshift": dx,
                "yshift": -dy,
                "text": f"{row['name']}<br><b>{value}</b>",
                "showarrow": False,
                "font": {
                    "size": 12,
                    "color": "white" if value / top >= DARK_TEXT_FROM else "#24292f",
                },
            }
        )
    return out


def _click_targets(
    outlines: tuple[_Outline, ...],
    rows: dict[str, dict[str, Any]],
    hovers: dict[str, str],
    inset: bool,
) -> dict[str, Any]:
    """Invisible markers on the divisions' labels: a filled polygon cannot be selected in
    Plotly, markers can, so a click on a unit's name selects its marker, which carries the
    unit's name (customdata) for the drill-down."""
    shown = _labelled(outlines, inset)
    return {
        "type": "scatter",
        "x": [o.label_at[0] for o in shown],
        "y": [o.label_at[1] for o in shown],
        "xaxis": "x2" if inset else "x",
        "yaxis": "y2" if inset else "y",
        "mode": "markers",
        "marker": {"size": 34, "color": "rgba(0,0,0,0)"},
        "selected": {"marker": {"opacity": 0}},
        "unselected": {"marker": {"opacity": 0}},
        "hovertext": [hovers[o.code] for o in shown],
        "hoverinfo": "text",
        "customdata": [rows[o.code]["name"] for o in shown],
        "meta": "inset:labels" if inset else "labels",
        "showlegend": False,
    }


def _zone_markers(
    zone_points: list[dict[str, Any]],
    rows: dict[str, dict[str, Any]],
    hovers: dict[str, str],
    metric: str,
    top: int,
    selected: tuple[str, ...],
    inset: bool,
) -> dict[str, Any]:
    """The development zones as stars coloured by their count; named only in the inset."""
    zone_rows = [rows[z["code"]] for z in zone_points]
    chosen = [z["code"] in selected for z in zone_points]
    return {
        "type": "scatter",
        "x": [z["lon"] for z in zone_points],
        "y": [z["lat"] for z in zone_points],
        "xaxis": "x2" if inset else "x",
        "yaxis": "y2" if inset else "y",
        "mode": "markers+text" if inset else "markers",
        "name": t("开发区（单独统计，位置近似）"),
        "meta": "inset:zones" if inset else "zones",
        "marker": {
            "symbol": "star",
            "size": 22 if inset else 14,
            "color": [_color(int(r[metric]), top) for r in zone_rows],
            "line": {
                "color": [HIGHLIGHT if c else ZONE_OUTLINE for c in chosen],
                "width": [3 if c else 1.5 for c in chosen],
            },
        },
        "text": [f"{r['short']} <b>{int(r[metric])}</b>" for r in zone_rows],
        "textposition": [ZONE_TEXT_POSITIONS.get(z["code"], "bottom center") for z in zone_points],
        "textfont": {"size": 12, "color": "#24292f"},
        "hovertext": [hovers[z["code"]] for z in zone_points],
        "hoverinfo": "text",
        "customdata": [r["name"] for r in zone_rows],  # a click narrows the county filter to it
        "showlegend": not inset,
    }


def _colorbar(labels: dict[str, str], metric: str, top: int) -> dict[str, Any]:
    """An invisible trace that carries the colour bar."""
    bar: dict[str, Any] = {
        "title": {"text": _axis_title(labels, metric), "side": "top"},
        "orientation": "h",
        "x": 0.81,
        "xanchor": "center",
        "y": 0.68,
        "yanchor": "bottom",
        "len": 0.34,
        "thickness": 14,
    }
    if top <= 10:
        bar["dtick"] = 1
    return {
        "type": "scatter",
        "x": [None],
        "y": [None],
        "mode": "markers",
        "meta": "colorbar",
        "marker": {
            "colorscale": _scale(),
            "cmin": 0,
            "cmax": top,
            "color": [0],
            "showscale": True,
            "colorbar": bar,
        },
        "hoverinfo": "skip",
        "showlegend": False,
    }


def _map_layout(title: str, annotations: list[dict[str, Any]]) -> dict[str, Any]:
    """Both maps on hidden axes, y stretched by 1/cos(latitude), the inset's box dashed on the
    whole map and around the inset."""
    dashed = {"color": "#57606a", "width": 1.5, "dash": "dash"}
    hidden = {"visible": False, "constrain": "domain"}
    layout = chart_layout(title)
    # The zones' legend entry under the colour bar, beside the inset.
    layout["legend"] = {
        "orientation": "h",
        "y": 0.9,
        "yanchor": "top",
        "x": 0.81,
        "xanchor": "center",
    }
    layout.update(
        annotations=annotations,
        shapes=[
            {
                "type": "rect",
                "xref": "x",
                "yref": "y",
                "x0": INSET_LON[0],
                "x1": INSET_LON[1],
                "y0": INSET_LAT[0],
                "y1": INSET_LAT[1],
                "line": dashed,
            },
            {
                "type": "rect",
                "xref": "x2 domain",
                "yref": "y2 domain",
                "x0": 0,
                "x1": 1,
                "y0": 0,
                "y1": 1,
                "line": dashed,
            },
        ],
        height=680,
        plot_bgcolor="white",
        hovermode="closest",
        dragmode="pan",
        xaxis={**hidden, "domain": [0.0, 0.6]},
        xaxis2={**hidden, "domain": [0.62, 1.0], "range": list(INSET_LON)},
        yaxis={**hidden, "scaleanchor": "x", "scaleratio": Y_STRETCH},
        yaxis2={
            **hidden,
            "domain": [0.0, 0.55],
            "range": list(INSET_LAT),
            "anchor": "x2",
            "scaleanchor": "x2",
            "scaleratio": Y_STRETCH,
        },
    )
    return layout


def ranking_bars(
    rows: list[dict[str, Any]],
    metric: str,
    labels: dict[str, str],
    selected: tuple[str, ...] = (),
) -> PlainFigure:
    """All 17 reporting units ranked by `metric` (one bar each; zones hatched); `rows` are the
    ranking's records, in its order."""
    units = len(rows)
    traces = []
    for is_zone, name, pattern in ((False, "县（市、区）", ""), (True, "开发区", "/")):
        part = [r for r in rows if r["is_zone"] == is_zone]
        values = [int(r[metric]) for r in part]
        traces.append(
            {
                "type": "bar",
                "y": [_tick(r, selected) for r in part],
                "x": values,
                "orientation": "h",
                "name": t(name),
                "marker": {"color": LEVEL_COLORS[metric], "pattern": {"shape": pattern}},
                "text": values,
                "textposition": "outside",
                "cliponaxis": False,
                # The hover text, then the unit's name that a click narrows the county filter to.
                "customdata": [[unit_hover(r, metric, labels, units), r["name"]] for r in part],
                "hovertemplate": "%{customdata[0]}<extra></extra>",
            }
        )
    top = max((int(r[metric]) for r in rows), default=0)
    x_axis: dict[str, Any] = {
        "title": {"text": _axis_title(labels, metric)},
        "rangemode": "tozero",
        "range": [0, max(top, 1) * 1.15],
    }
    if top <= 5:
        x_axis["dtick"] = 1
    layout = chart_layout(
        t(
            "{units}个统计单位的{metric}数量排名（家）",
            ctx="short",  # the chart sits in a third of the page
            units=units,
            metric=metric_words(labels, metric),
        )
    )
    layout.update(
        barmode="overlay",
        height=640,
        bargap=0.3,
        xaxis=x_axis,
        yaxis={
            "title": {"text": t("县（市、区）/ 开发区")},
            "categoryorder": "array",
            "categoryarray": [_tick(r, selected) for r in rows],
            "autorange": "reversed",
        },
    )
    return PlainFigure({"data": traces, "layout": layout})


def _axis_title(labels: dict[str, str], metric: str) -> str:
    return t("{metric}（家）", metric=metric_words(labels, metric))


def _tick(row: Mapping[str, Any], selected: tuple[str, ...]) -> str:
    return f"<b>{row['short']}</b>" if row["code"] in selected else str(row["short"])


def ranking_table(
    frame: pd.DataFrame, metric: str, labels: dict[str, str], view: ViewState
) -> None:
    """The ranking with all four counts (家); the chosen metric as a bar in its cell."""
    top = max(int(frame[metric].max()), 1)
    config: dict[str, object] = {
        "rank": st.column_config.NumberColumn(t("排名"), width="small"),
        "label": st.column_config.TextColumn(
            t("县（市、区）/ 开发区"),
            width="medium" if language() == "zh" else "large",  # 孟津区 (incl. former …)
        ),
    }
    for m in METRICS:
        if m == metric:
            config[m] = st.column_config.ProgressColumn(
                t(labels[m]), min_value=0, max_value=top, format="%d", width="small"
            )
        else:
            config[m] = st.column_config.NumberColumn(t(labels[m]), format="%d", width="small")
    table_with_downloads(
        frame[["rank", "label", *METRICS]],
        "县区排名",
        view,
        extra=[t("按{metric}", metric=t(labels[metric]))],
        hide_index=True,
        width="stretch",
        column_config=config,
        height=35 * (len(frame) + 1) + 3,
    )
