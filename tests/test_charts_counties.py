"""The counties page's figures as plain Plotly dicts: valid against plotly's schema, holding the
hand-worked counts and the customdata the drill-down reads, and cheap to serialise."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from mic_tracker import db
from mic_tracker.counties import metric_labels, ranking, shapes, unit_counts, zones
from mic_tracker.i18n import set_language
from mic_tracker.report import Filters
from mic_tracker.ui import charts_counties as ui
from mic_tracker.ui.drill import clicked_value
from mic_tracker.ui.figures import PlainFigure

D5 = dt.date(2022, 6, 30)
LABELS = metric_labels()
ZONE_NAMES = ["洛阳高新技术产业开发区", "洛阳经济技术开发区", "伊滨经济技术开发区"]


def units_at(path: Path, metric: str = "city") -> list[dict]:
    """The ranking's rows at 2022-06-30 as the page hands them to the figures."""
    with db.connect(path) as con:
        units = unit_counts(con, D5, Filters())["units"]
    return ui.unit_rows(ranking(units, metric)).to_dict("records")


def trace(fig, meta: str):
    return next(t for t in fig.data if t.meta == meta)


def test_the_map_is_valid_plotly_and_its_clickable_points_carry_the_unit_names(
    messy_db: Path,
) -> None:
    """Test that every clickable point of the map (unit labels on both maps, zone stars)
    carries the name the county filter narrows to, with the unit's hand-worked count."""
    fig = ui.county_map(units_at(messy_db), "city", LABELS)
    assert isinstance(fig, PlainFigure)
    checked = fig.validated()  # raises on any property plotly does not know
    main, inset = trace(checked, "labels"), trace(checked, "inset:labels")
    clickable = set(main.customdata) | set(inset.customdata)
    assert len(clickable) == 14 and not set(main.customdata) & set(inset.customdata)
    assert {"涧西区", "洛龙区"} <= set(inset.customdata)  # the small central districts
    assert {"孟津区", "偃师区", "嵩县"} <= set(main.customdata)
    for stars in (trace(checked, "zones"), trace(checked, "inset:zones")):
        assert list(stars.customdata) == ZONE_NAMES
    # What drill.py reads from a click on the 孟津区 label and on the 高新区 star.
    at = list(main.customdata).index("孟津区")
    assert clicked_value([{"customdata": main.customdata[at]}]) == "孟津区"
    assert main.hovertext[at].startswith("<b>孟津区（含原孟津县、吉利区）</b>：市级 2 家")
    assert trace(checked, "zones").text[0] == "高新区 <b>1</b>"
    labels = {a.text for a in checked.layout.annotations}
    assert {"孟津区<br><b>2</b>", "涧西区<br><b>4</b>"} <= labels


def test_the_map_spec_is_plain_json_and_shares_the_outlines_worked_out_once(
    messy_db: Path,
) -> None:
    """Test that the spec serialises with the standard JSON encoder (no numpy values), that
    its polygons follow the simplified shapes point for point, and that two maps reuse the
    same coordinate lists instead of copying 1,600 points each time."""
    first = ui.county_map(units_at(messy_db), "city", LABELS).to_dict()
    second = ui.county_map(units_at(messy_db, "province"), "province", LABELS).to_dict()
    json.dumps(first)
    polygon = next(t for t in first["data"] if t.get("meta") == "410303")
    ring = next(s for s in shapes() if s.code == "410303").polygons[0][0]
    assert len(polygon["x"]) == len(ring)
    assert all(
        abs(x - p[0]) < 1e-5 and abs(y - p[1]) < 1e-5
        for x, y, p in zip(polygon["x"], polygon["y"], ring, strict=True)
    )
    again = next(t for t in second["data"] if t.get("meta") == "410303")
    assert again["x"] is polygon["x"]
    # 西工区 holds 1 of the top 4 city titles and none of the provincial ones.
    assert again["fillcolor"] != polygon["fillcolor"] == ui._color(1, 4)
    assert again["fillcolor"] == ui._color(0, 2) == ui._color(0, 4)
    # The colour bar runs light to dark like the fills: as sent, not only once validated
    # (plotly.js's own "Blues" runs the other way).
    bar = next(t for t in first["data"] if t.get("meta") == "colorbar")["marker"]
    scale = bar["colorscale"]
    assert (bar["cmin"], bar["cmax"]) == (0, 4)
    assert scale[0][1].replace(" ", "") == ui._color(0, 4).replace(" ", "") == "rgb(247,251,255)"
    assert scale[-1][1].replace(" ", "") == ui._color(4, 4).replace(" ", "")
    stars = next(t for t in first["data"] if t.get("meta") == "zones")
    assert [z["code"] for z in zones()] == ["GXQ", "JKQ", "YBQ"]
    assert stars["x"] == [z["lon"] for z in zones()]


def test_the_ranking_bars_are_valid_plotly_and_each_bar_carries_hover_and_name(
    messy_db: Path,
) -> None:
    """Test that each bar's customdata is [hover, unit name] (drill.py takes the last item)
    with the hand-worked 市级 counts, and that the spec is plain JSON."""
    fig = ui.ranking_bars(units_at(messy_db), "city", LABELS, ("410305",))
    json.dumps(fig.to_dict())
    divisions, zone_bars = fig.validated().data
    assert (divisions.name, zone_bars.name) == ("县（市、区）", "开发区")
    by_name = {c[1]: (c[0], x) for c, x in zip(divisions.customdata, divisions.x, strict=True)}
    hover, count = by_name["涧西区"]
    assert count == 4 and hover.startswith("<b>涧西区</b>：市级 4 家")
    assert "按市级排第 1 / 17" in hover
    assert clicked_value([{"customdata": list(divisions.customdata[0])}]) == "涧西区"
    assert list(divisions.y[:2]) == ["<b>涧西区</b>", "孟津区"]
    assert [c[1] for c in zone_bars.customdata] == ZONE_NAMES
    assert list(zone_bars.x) == [1, 0, 0]
    assert fig.to_dict()["layout"]["xaxis"]["dtick"] == 1  # top 4 ≤ 5: whole centers


def test_the_figures_read_in_english_with_the_names_kept(messy_db: Path) -> None:
    """Test that in English the titles and hovers translate while the names a click narrows
    to stay Chinese."""
    set_language("en")
    try:
        units = units_at(messy_db)
        the_map = ui.county_map(units, "city", LABELS).validated()
        bars = ui.ranking_bars(units, "city", LABELS).validated()
    finally:
        set_language("zh")
    assert "city-level" in the_map.layout.title.text
    assert trace(the_map, "colorbar").marker.colorbar.title.text == "Number of city-level centers"
    assert "孟津区" in trace(the_map, "labels").customdata
    assert bars.data[0].customdata[1][0].startswith("<b>孟津区 (incl. former")
    assert bars.data[0].customdata[1][1] == "孟津区"


def test_the_view_is_built_once_per_counts_level_choice_and_language(messy_db: Path) -> None:
    """Test that a rerun with the same counts reuses the ranking and figures, and that other
    counts, another level, another choice of units or English build them anew, with the
    figures of the builders themselves."""
    with db.connect(messy_db) as con:
        units = unit_counts(con, D5, Filters())["units"]
        narrowed = unit_counts(con, D5, Filters(sectors=("新材料",)))["units"]
    first = ui.county_view(units, "city")
    assert ui.county_view([dict(u) for u in units], "city") is first  # equal counts, new dicts
    assert first.the_map.to_dict() == ui.county_map(units_at(messy_db), "city", LABELS).to_dict()
    assert first.leaders == "涧西区 4 家"
    assert list(first.frame["code"][:2]) == ["410305", "410308"]
    others = [
        ui.county_view(narrowed, "city"),
        ui.county_view(units, "province"),
        ui.county_view(units, "city", ("410308",)),
    ]
    set_language("en")
    try:
        others.append(ui.county_view(units, "city"))
    finally:
        set_language("zh")
    assert all(view is not first for view in others)
    assert others[0].frame["city"].sum() < first.frame["city"].sum()
    assert others[1].bars.to_dict()["layout"]["xaxis"]["title"]["text"] == "省级（家）"
    assert others[3].frame.set_index("code").loc["410308", "label"].startswith("孟津区 (")
