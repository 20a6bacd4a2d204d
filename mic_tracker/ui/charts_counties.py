"""Figures of the counties page: the division map drawn on plain axes, the ranking, the table.

The map needs no network: no Plotly geo or tile map (those fetch a world topojson or tiles in
the browser). Each polygon of today's divisions is one filled Scatter trace in lon/lat; the
y axis is stretched by 1/cos(latitude) so shapes keep their proportions at Luoyang's latitude.

Labels are translated when drawn (t); `labels` stay the package's Chinese metric labels (the
keys of their translations), and the names of divisions and zones stay Chinese.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from plotly.colors import sample_colorscale

from mic_tracker.counties import Shape, leaders
from mic_tracker.i18n import language, t
from mic_tracker.report import METRICS
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


def counts_line(row: pd.Series, labels: dict[str, str]) -> str:
    return " · ".join(f"{t(labels[m])} {row[m]}" for m in METRICS)


def unit_hover(row: pd.Series, metric: str, labels: dict[str, str], units: int) -> str:
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


def _color(value: int, top: int) -> str:
    return sample_colorscale(COLORSCALE, [value / top])[0]


def _intersects_inset(polygon: list[list[list[float]]]) -> bool:
    xs = [p[0] for p in polygon[0]]
    ys = [p[1] for p in polygon[0]]
    return (
        min(xs) < INSET_LON[1]
        and max(xs) > INSET_LON[0]
        and min(ys) < INSET_LAT[1]
        and max(ys) > INSET_LAT[0]
    )


def county_map(
    frame: pd.DataFrame,
    shapes: list[Shape],
    zones: list[dict],
    metric: str,
    labels: dict[str, str],
    selected: tuple[str, ...] = (),
) -> go.Figure:
    """Choropleth of today's 14 divisions by `metric` (one filled trace per polygon on the whole
    map), the 3 development zones as star markers coloured on the same scale, a colour bar,
    and an inset of the city proper (axes x2/y2) repeating the polygons that reach into it."""
    rows = frame.set_index("code")
    top = max(int(frame[metric].max()), 1)
    units = len(frame)
    fig = go.Figure()
    annotations: list[dict] = []
    # Chosen units last, so their outline is drawn over their neighbours'.
    ordered = sorted(shapes, key=lambda s: s.code in selected)
    for axes in ("main", "inset"):
        x, y = ("x", "y") if axes == "main" else ("x2", "y2")
        rings: list[dict] = []  # added at once: each add_scatter re-validates the figure
        for shape in ordered:
            row = rows.loc[shape.code]
            value = int(row[metric])
            chosen = shape.code in selected
            hover = unit_hover(row, metric, labels, units)
            for polygon in shape.polygons:
                if axes == "inset" and not _intersects_inset(polygon):
                    continue
                for i, ring in enumerate(polygon):  # outer ring, then holes (filled white)
                    rings.append(
                        dict(
                            type="scatter",
                            x=[p[0] for p in ring],
                            y=[p[1] for p in ring],
                            xaxis=x,
                            yaxis=y,
                            mode="lines",
                            fill="toself",
                            fillcolor=_color(value, top) if i == 0 else "white",
                            line={
                                "color": HIGHLIGHT if chosen else BORDER,
                                "width": 3 if chosen else 1,
                            },
                            name=row["name"],
                            meta=shape.code if axes == "main" else f"inset:{shape.code}",
                            text=hover,
                            hoveron="fills",
                            hoverinfo="text",
                            showlegend=False,
                        )
                    )
            on_map = shape.code not in INSET_ONLY if axes == "main" else shape.code in INSET_ONLY
            if on_map:
                dx, dy = INSET_SHIFT.get(shape.code, (0, 0)) if axes == "inset" else (0, 0)
                dark = value / top >= DARK_TEXT_FROM
                annotations.append(
                    {
                        "x": shape.label_at[0],
                        "y": shape.label_at[1],
                        "xref": x,
                        "yref": y,
                        "xshift": dx,
                        "yshift": -dy,
                        "text": f"{row['name']}<br><b>{value}</b>",
                        "showarrow": False,
                        "font": {"size": 12, "color": "white" if dark else "#24292f"},
                    }
                )
        fig.add_traces(rings)
        hovers = {s.code: unit_hover(rows.loc[s.code], metric, labels, units) for s in shapes}
        _click_targets(fig, shapes, rows, hovers, axes)
        _zone_markers(fig, zones, rows, metric, labels, top, selected, axes)
    fig.add_scatter(  # invisible: carries the colour bar
        x=[None],
        y=[None],
        mode="markers",
        meta="colorbar",
        marker={
            "colorscale": COLORSCALE,
            "cmin": 0,
            "cmax": top,
            "color": [0],
            "showscale": True,
            "colorbar": {
                "title": {"text": _axis_title(labels, metric), "side": "top"},
                "orientation": "h",
                "x": 0.81,
                "xanchor": "center",
                "y": 0.68,
                "yanchor": "bottom",
                "len": 0.34,
                "thickness": 14,
                "dtick": 1 if top <= 10 else None,
            },
        },
        hoverinfo="skip",
        showlegend=False,
    )
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
    fig.update_layout(
        **chart_layout(
            t(
                "各县（市、区）和开发区的{metric}数量（家，按今天的区划）",
                metric=metric_words(labels, metric),
            )
        ),
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
                "line": {"color": "#57606a", "width": 1.5, "dash": "dash"},
            },
            {
                "type": "rect",
                "xref": "x2 domain",
                "yref": "y2 domain",
                "x0": 0,
                "x1": 1,
                "y0": 0,
                "y1": 1,
                "line": {"color": "#57606a", "width": 1.5, "dash": "dash"},
            },
        ],
        height=680,
        plot_bgcolor="white",
        hovermode="closest",
        dragmode="pan",
        xaxis={"domain": [0.0, 0.6]},
        xaxis2={"domain": [0.62, 1.0], "range": list(INSET_LON)},
        yaxis2={"domain": [0.0, 0.55], "range": list(INSET_LAT), "anchor": "x2"},
    )
    fig.update_layout(legend={"y": 0.9, "yanchor": "top", "x": 0.81, "xanchor": "center"})
    fig.update_xaxes(visible=False, constrain="domain")
    fig.update_yaxes(visible=False, constrain="domain")
    fig.update_layout(
        yaxis={"scaleanchor": "x", "scaleratio": Y_STRETCH},
        yaxis2={"scaleanchor": "x2", "scaleratio": Y_STRETCH},
    )
    return fig


def _zone_markers(
    fig: go.Figure,
    zones: list[dict],
    rows: pd.DataFrame,
    metric: str,
    labels: dict[str, str],
    top: int,
    selected: tuple[str, ...],
    axes: str,
) -> None:
    """The development zones as stars coloured by their count; named only in the inset."""
    zone_rows = [rows.loc[z["code"]] for z in zones]
    inset = axes == "inset"
    fig.add_scatter(
        x=[z["lon"] for z in zones],
        y=[z["lat"] for z in zones],
        xaxis="x2" if inset else "x",
        yaxis="y2" if inset else "y",
        mode="markers+text" if inset else "markers",
        name=t("开发区（单独统计，位置近似）"),
        meta="inset:zones" if inset else "zones",
        marker={
            "symbol": "star",
            "size": 22 if inset else 14,
            "color": [_color(int(r[metric]), top) for r in zone_rows],
            "line": {
                "color": [HIGHLIGHT if z["code"] in selected else ZONE_OUTLINE for z in zones],
                "width": [3 if z["code"] in selected else 1.5 for z in zones],
            },
        },
        text=[f"{r['short']} <b>{int(r[metric])}</b>" for r in zone_rows],
        textposition=[ZONE_TEXT_POSITIONS.get(z["code"], "bottom center") for z in zones],
        textfont={"size": 12, "color": "#24292f"},
        hovertext=[unit_hover(r, metric, labels, len(rows)) for r in zone_rows],
        hoverinfo="text",
        customdata=[r["name"] for r in zone_rows],  # a click narrows the county filter to it
        showlegend=not inset,
    )


def _click_targets(
    fig: go.Figure, shapes: list[Shape], rows: pd.DataFrame, hovers: dict[str, str], axes: str
) -> None:
    """Invisible markers on the divisions' labels: a filled polygon cannot be selected in
    Plotly, markers can, so a click on a unit's name selects its marker, which carries the
    unit's name (customdata) for the drill-down."""
    inset = axes == "inset"
    shown = [s for s in shapes if (s.code in INSET_ONLY) == inset]
    fig.add_scatter(
        x=[s.label_at[0] for s in shown],
        y=[s.label_at[1] for s in shown],
        xaxis="x2" if inset else "x",
        yaxis="y2" if inset else "y",
        mode="markers",
        marker={"size": 34, "color": "rgba(0,0,0,0)"},
        selected={"marker": {"opacity": 0}},
        unselected={"marker": {"opacity": 0}},
        hovertext=[hovers[s.code] for s in shown],
        hoverinfo="text",
        customdata=[rows.loc[s.code]["name"] for s in shown],
        meta="inset:labels" if inset else "labels",
        showlegend=False,
    )


def ranking_bars(
    frame: pd.DataFrame, metric: str, labels: dict[str, str], selected: tuple[str, ...] = ()
) -> go.Figure:
    """All 17 reporting units ranked by `metric` (one bar each; zones hatched)."""
    order = [_tick(r, selected) for _, r in frame.iterrows()]
    units = len(frame)
    fig = go.Figure()
    for is_zone, name, pattern in ((False, "县（市、区）", ""), (True, "开发区", "/")):
        part = frame[frame["is_zone"] == is_zone]
        fig.add_bar(
            y=[_tick(r, selected) for _, r in part.iterrows()],
            x=part[metric],
            orientation="h",
            name=t(name),
            marker={"color": LEVEL_COLORS[metric], "pattern": {"shape": pattern}},
            text=part[metric],
            textposition="outside",
            cliponaxis=False,
            # The hover text, then the unit's name that a click narrows the county filter to.
            customdata=[
                [unit_hover(r, metric, labels, units), r["name"]] for _, r in part.iterrows()
            ],
            hovertemplate="%{customdata[0]}<extra></extra>",
        )
    top = int(frame[metric].max())
    fig.update_layout(
        **chart_layout(
            t(
                "{units}个统计单位的{metric}数量排名（家）",
                ctx="short",  # the chart sits in a third of the page
                units=units,
                metric=metric_words(labels, metric),
            )
        ),
        barmode="overlay",
        height=640,
        bargap=0.3,
    )
    fig.update_xaxes(
        title_text=_axis_title(labels, metric),
        rangemode="tozero",
        range=[0, max(top, 1) * 1.15],
        dtick=1 if top <= 5 else None,
    )
    fig.update_yaxes(
        title_text=t("县（市、区）/ 开发区"),
        categoryorder="array",
        categoryarray=order,
        autorange="reversed",
    )
    return fig


def _axis_title(labels: dict[str, str], metric: str) -> str:
    return t("{metric}（家）", metric=metric_words(labels, metric))


def _tick(row: pd.Series, selected: tuple[str, ...]) -> str:
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
