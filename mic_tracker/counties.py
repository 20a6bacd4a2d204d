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
UNIT_KEYS = ("code", "name", "kind", *METRICS)  # a unit's row in unit_counts()["units"]


def metric_labels() -> dict[str, str]:
    """Metric key → short label for the selector and axes: 培育对象, 市级, 省级, 国家级."""
    return {k: v.removesuffix("创新中心") for k, v in load_plan().metrics.items()}


def default_metric(metrics: tuple[str, ...]) -> str:
    """市级 when it is among the metrics on offer, else the first one offered."""
    return DEFAULT_METRIC if DEFAULT_METRIC in metrics else metrics[0]


@cache
def formerly() -> dict[str, str]:
    """Current division code → the pre-2021 names it was built from ("孟津县、吉利区"), or "".
    Shared: treat as read-only."""
    return {f["id"]: f["properties"]["formerly"] for f in current_boundaries()["features"]}


def unit_label(name: str, former: str) -> str:
    """孟津区（含原孟津县、吉利区）, 偃师区（原偃师市）, or just the name."""
    if not former:
        return name
    return f"{name}（含原{former}）" if "、" in former else f"{name}（原{former}）"


RANKING_COLUMNS = [
    "code",
    "name",
    "kind",
    *METRICS,
    "is_zone",
    "formerly",
    "label",
    "short",
    "kind_label",
    "rank",
]


def ranking(by_county: list[dict[str, Any]], metric: str) -> pd.DataFrame:
    """One row per reporting unit with its four counts, ranked by `metric`.

    Sorted by the metric, most first; ties keep the order of `by_county` (GB code, zones
    last). `rank` is the competition rank (1, 2, 2, 4). Extra columns: `short` (chart label:
    zones by their short name 高新区/经开区/伊滨区), `label` (name with its former names),
    `kind_label`, `is_zone`, `formerly`.
    """
    # 17 rows on every rerun of the page: worked out in plain Python and made a DataFrame once
    # (pandas column by column took ~10 ms).
    return pd.DataFrame(ranked_rows(by_county, metric), columns=RANKING_COLUMNS)


def ranked_rows(by_county: list[dict[str, Any]], metric: str) -> list[dict[str, Any]]:
    """ranking's rows as plain dicts, for a caller that reads them one by one."""
    rows = sorted((_unit_row(r) for r in by_county), key=lambda r: -r[metric])  # stable
    for i, row in enumerate(rows):
        tied = i > 0 and row[metric] == rows[i - 1][metric]
        row["rank"] = rows[i - 1]["rank"] if tied else i + 1
    return rows


def _unit_row(row: dict[str, Any]) -> dict[str, Any]:
    code, name, kind = row["code"], row["name"], row["kind"]
    former = formerly().get(code, "")
    zone = kind == "zone"
    return {
        "code": code,
        "name": name,
        "kind": kind,
        **{m: int(row[m]) for m in METRICS},
        "is_zone": zone,
        "formerly": former,
        "label": unit_label(name, former),
        "short": load_resolver().by_code[code].short_name if zone else name,
        "kind_label": KIND_LABELS.get(kind),
    }


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


def unit_counts(
    con: duckdb.DuckDBPyConnection, as_of: dt.date, filters: Filters
) -> dict[str, list[dict[str, Any]]]:
    """What the page counts, in one query: `units`, the 17 reporting units with their four
    counts (as report()["by_county"]), and `written`, the same counts per abolished division
    that register rows name, by today's unit: [{written_code, written, code, name, <metrics>}]."""
    rows = db.rows(con, "counties_units", as_of=as_of, **filters.params())
    return {
        "units": [{k: r[k] for k in UNIT_KEYS} for r in rows if r["written_code"] is None],
        "written": [
            {k: r[k] for k in ("written_code", "written", "code", "name", *METRICS)}
            for r in rows
            if r["written_code"] is not None
        ],
    }


def old_names(written: list[dict[str, Any]], metric: str) -> list[dict[str, Any]]:
    """Centers counted for `metric` whose register row names an abolished division, by the name
    written and today's unit (from unit_counts' `written`): [{written_code, written, code,
    name, centers}]."""
    keep = ("written_code", "written", "code", "name")
    return [{**{k: r[k] for k in keep}, "centers": r[metric]} for r in written if r[metric]]


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
