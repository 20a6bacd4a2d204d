"""Data for the counties page: titles held per reporting unit as of a date, ranked, and the
shapes to draw them on a map.

Counts are by today's 17 reporting units (`report()["by_county"]`): the 14 county-level
divisions after the 2021 changes and the 3 development zones. A center registered under an
abolished name (偃师市, 吉利区, 孟津县) counts under today's unit at every date. The zones are
reporting units of their own: their centers are not counted in the district they lie in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

import duckdb
import pandas as pd

from mic_tracker import db
from mic_tracker.geo import Ring, centroid, current_boundaries, polygons, simplify, zone_points
from mic_tracker.policy import load_plan
from mic_tracker.reference import load_resolver
from mic_tracker.report import METRICS, Filters

KIND_LABELS = {"district": "市辖区", "county": "县", "county_city": "县级市", "zone": "开发区"}
DEFAULT_METRIC = "city"


def metric_labels() -> dict[str, str]:
    """Metric key → short label for the selector and axes: 培育对象, 市级, 省级, 国家级."""
    return {k: v.removesuffix("创新中心") for k, v in load_plan().metrics.items()}


def default_metric(metrics: tuple[str, ...]) -> str:
    """市级 when it is among the metrics on offer, else the first one offered."""
    return DEFAULT_METRIC if DEFAULT_METRIC in metrics else metrics[0]


def formerly() -> dict[str, str]:
    """Current division code → the pre-2021 names it was built from ("孟津县、吉利区"), or ""."""
    return {f["id"]: f["properties"]["formerly"] for f in current_boundaries()["features"]}


def unit_label(name: str, former: str) -> str:
    """孟津区（含原孟津县、吉利区）, 偃师区（原偃师市）, or just the name."""
    if not former:
        return name
    return f"{name}（含原{former}）" if "、" in former else f"{name}（原{former}）"


def ranking(by_county: list[dict[str, Any]], metric: str) -> pd.DataFrame:
    """One row per reporting unit with its four counts, ranked by `metric`.

    Sorted by the metric, most first; ties keep the order of `by_county` (GB code, zones
    last). `rank` is the competition rank (1, 2, 2, 4). Extra columns: `short` (chart label:
    zones by their short name 高新区/经开区/伊滨区), `label` (name with its former names),
    `kind_label`, `is_zone`, `formerly`.
    """
    resolver = load_resolver()
    former = formerly()
    frame = pd.DataFrame(by_county, columns=["code", "name", "kind", *METRICS])
    frame[list(METRICS)] = frame[list(METRICS)].astype(int)
    frame["is_zone"] = frame["kind"] == "zone"
    frame["formerly"] = [former.get(c, "") for c in frame["code"]]
    frame["label"] = [
        unit_label(n, f) for n, f in zip(frame["name"], frame["formerly"], strict=True)
    ]
    frame["short"] = [
        resolver.by_code[c].short_name if z else n
        for c, n, z in zip(frame["code"], frame["name"], frame["is_zone"], strict=True)
    ]
    frame["kind_label"] = frame["kind"].map(KIND_LABELS)
    frame = frame.sort_values(metric, ascending=False, kind="stable").reset_index(drop=True)
    frame["rank"] = frame[metric].rank(method="min", ascending=False).astype(int)
    return frame


@dataclass(frozen=True)
class Shape:
    """A current division on the map: its polygons (each a list of rings, the outer ring first)
    and the label point."""

    code: str
    polygons: list[list[Ring]]
    label_at: tuple[float, float]


@cache
def shapes() -> list[Shape]:
    """Today's 14 divisions as polygons in lon/lat, 孟津区 and 偃师区 already merged, simplified
    to what the map can show (geo.simplify). Shared: treat as read-only."""
    out = []
    for feature in current_boundaries()["features"]:
        simple = [[simplify(ring) for ring in polygon] for polygon in polygons(feature["geometry"])]
        out.append(Shape(feature["id"], simple, centroid(feature)))
    return out


def zones() -> list[dict[str, Any]]:
    """The development zones' approximate marker positions: {code, name, lon, lat, inside}."""
    return zone_points()


def old_names(
    con: duckdb.DuckDBPyConnection, as_of: dt.date, filters: Filters, metric: str
) -> list[dict[str, Any]]:
    """Centers counted for `metric` whose register row names an abolished division, by the name
    written and today's unit: [{written_code, written, code, name, centers}]."""
    return db.rows(con, "counties_old_names", as_of=as_of, metric=metric, **filters.params())


def old_names_note(rows: list[dict[str, Any]]) -> str:
    """ "吉利区 1 家、孟津县 1 家计入孟津区；偃师市 1 家计入偃师区" ("" when there are none)."""
    by_unit: dict[str, list[str]] = {}
    for r in rows:
        by_unit.setdefault(r["name"], []).append(f"{r['written']} {r['centers']} 家")
    return "；".join(f"{'、'.join(parts)}计入{unit}" for unit, parts in by_unit.items())


def leaders(frame: pd.DataFrame, metric: str) -> str:
    """The unit(s) with the most centers for `metric`: "孟津区 4 家", "涧西区、孟津区 各 2 家",
    "老城区等 4 个 各 1 家", or "—" when no unit has any."""
    most = int(frame[metric].max()) if len(frame) else 0
    if most == 0:
        return "—"
    names = list(frame.loc[frame[metric] == most, "short"])
    if len(names) == 1:
        return f"{names[0]} {most} 家"
    shown = "、".join(names) if len(names) <= 2 else f"{names[0]}等 {len(names)} 个"
    return f"{shown} 各 {most} 家"
