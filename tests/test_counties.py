"""The counties page's data and figures: ranking by today's units, old names, the drawn map."""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path

import pandas as pd
import pytest

from mic_tracker import db
from mic_tracker.counties import (
    default_metric,
    leaders,
    metric_labels,
    old_names,
    old_names_note,
    ranking,
    shapes,
    unit_counts,
    unit_label,
)
from mic_tracker.report import METRICS, Filters, report
from mic_tracker.ui import charts_counties as ui
from tests.conftest import DEMO_TODAY

D2 = dt.date(2019, 12, 31)
D5 = dt.date(2022, 6, 30)
LABELS = metric_labels()

# tests/fixtures/EXPECTED.md, "D5 = 2022-06-30", by_county (cultivation/city/province/national):
# 涧西区 A, B, C, L: 4/4/2/0 · 偃师区 O (written 偃师): 1/0/0/0 · 孟津区 F (written 吉利区) and
# G (written 孟津县): 2/2/1/0 · 西工区 K: 1/1/0/0 · 新安县 M: 1/0/0/0 · 瀍河回族区 N: 1/0/0/0 ·
# 高新区 H: 1/1/0/0 · 经开区 D: 0/0/0/1 · the other 9 units 0/0/0/0.
D5_COUNTS = {
    "410305": (4, 4, 2, 0),
    "410307": (1, 0, 0, 0),
    "410308": (2, 2, 1, 0),
    "410303": (1, 1, 0, 0),
    "410323": (1, 0, 0, 0),
    "410304": (1, 0, 0, 0),
    "GXQ": (1, 1, 0, 0),
    "JKQ": (0, 0, 0, 1),
}


def by_county(path: Path, as_of: dt.date, filters: Filters | None = None) -> list[dict]:
    with db.connect(path) as con:
        return report(con, as_of, filters or Filters())["by_county"]


def luminance(color: str) -> float:
    r, g, b = (float(v) for v in re.findall(r"[\d.]+", color)[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def polygon_traces(fig, code: str | None = None) -> list:
    """The filled polygon traces of the whole map (meta = unit code), optionally of one unit."""
    return [
        t
        for t in fig.data
        if t.fill == "toself" and not str(t.meta).startswith("inset:") and (code in (None, t.meta))
    ]


def test_ranking_counts_old_names_under_todays_units_with_hand_worked_figures(
    messy_db: Path,
) -> None:
    """Test that the ranking at 2022-06-30 has all 17 units with EXPECTED.md's four counts."""
    frame = ranking(by_county(messy_db, D5), "city")
    assert len(frame) == 17
    got = {r.code: (r.cultivation, r.city, r.province, r.national) for r in frame.itertuples()}
    assert got == {**dict.fromkeys(got, (0, 0, 0, 0)), **D5_COUNTS}
    mengjin = frame.set_index("code").loc["410308"]
    assert mengjin["label"] == "孟津区（含原孟津县、吉利区）"
    assert frame.set_index("code").loc["410307", "label"] == "偃师区（原偃师市）"
    assert frame.set_index("code").loc["GXQ", "short"] == "高新区"
    assert set(frame.loc[frame["is_zone"], "code"]) == {"GXQ", "JKQ", "YBQ"}


def test_ranking_sorts_by_the_metric_with_ties_in_code_order_and_competition_ranks(
    messy_db: Path,
) -> None:
    """Test that city at 2022-06-30 ranks 涧西区 4, 孟津区 2, then 西工区 and 高新区 tied at 1."""
    frame = ranking(by_county(messy_db, D5), "city")
    # City holders: 涧西区 4, 孟津区 2, 西工区 1, 高新区 1 (zones after divisions on a tie).
    assert list(frame["code"][:4]) == ["410305", "410308", "410303", "GXQ"]
    assert list(frame["rank"][:5]) == [1, 2, 3, 3, 5]
    province = ranking(by_county(messy_db, D5), "province")
    assert list(province["short"][:2]) == ["涧西区", "孟津区"]  # 2 (A, B) and 1 (G)


def test_ranking_totals_equal_report_counts_on_demo_data(demo_db: Path) -> None:
    """Test that the 17 units' counts add up to the city-wide counts for every metric."""
    with db.connect(demo_db) as con:
        data = report(con, DEMO_TODAY, Filters())
    frame = ranking(data["by_county"], "city")
    assert len(frame) == 17
    for metric in METRICS:
        assert int(frame[metric].sum()) == data["counts"][metric]


def written(path: Path, as_of: dt.date, filters: Filters | None = None) -> list[dict]:
    with db.connect(path) as con:
        return unit_counts(con, as_of, filters or Filters())["written"]


def test_unit_counts_gives_the_reports_by_county_rows_in_one_query(messy_db: Path) -> None:
    """Test that the page's one query counts the 17 units exactly as report()["by_county"]
    does, with and without filters, at dates before and after the 2021 changes."""
    for as_of in (D2, D5):
        for filters in (Filters(), Filters(sectors=("新材料",)), Filters(counties=("410308",))):
            with db.connect(messy_db) as con:
                units = unit_counts(con, as_of, filters)["units"]
            assert units == by_county(messy_db, as_of, filters)
    assert {r["code"]: tuple(r[m] for m in METRICS) for r in units}["410308"] == (2, 2, 1, 0)


def test_old_names_lists_centers_written_with_abolished_names(messy_db: Path) -> None:
    """Test that old names are counted per metric and date: 吉利区/孟津县 → 孟津区, 偃师市 → 偃师区."""
    city_d5 = old_names(written(messy_db, D5), "city")
    cult_d2 = old_names(written(messy_db, D2), "cultivation")
    city_d2 = old_names(written(messy_db, D2), "city")
    new_materials = old_names(written(messy_db, D2, Filters(sectors=("新材料",))), "cultivation")
    # 2022-06-30 city: F (吉利区, 2021-10-15) and G (孟津县, 2021-06-25); O wrote 偃师 (today's).
    assert old_names_note(city_d5) == "吉利区 1 家、孟津县 1 家计入孟津区"
    # 2019-12-31 cultivation: E (偃师市, listed 2019-06-12) and F (吉利区, listed 2019-11-20).
    assert old_names_note(cult_d2) == "偃师市 1 家计入偃师区；吉利区 1 家计入孟津区"
    assert [r["written"] for r in cult_d2] == ["偃师市", "吉利区"]
    # No city titles among them at 2019-12-31 (only A, B); 新材料 keeps only E (field 10).
    assert city_d2 == []
    assert old_names_note(new_materials) == "偃师市 1 家计入偃师区"
    # One row per abolished name with all four counts: at 2022-06-30 G (孟津县) holds a
    # provincial title, F (吉利区) a city one, E (偃师市, cancelled 2020-05-20) none.
    rows = {r["written"]: tuple(r[m] for m in METRICS) for r in written(messy_db, D5)}
    assert rows == {"偃师市": (0, 0, 0, 0), "吉利区": (1, 1, 0, 0), "孟津县": (1, 1, 1, 0)}
    assert city_d5[0] == {
        "written_code": "410306",
        "written": "吉利区",
        "code": "410308",
        "name": "孟津区",
        "centers": 1,
    }


def test_unit_label_leaders_and_default_metric() -> None:
    """Test that former names, leaders and the default metric read as the page shows them."""
    assert unit_label("孟津区", "孟津县、吉利区") == "孟津区（含原孟津县、吉利区）"
    assert unit_label("偃师区", "偃师市") == "偃师区（原偃师市）"
    assert unit_label("嵩县", "") == "嵩县"
    frame = pd.DataFrame({"short": ["甲", "乙", "丙", "丁"], "city": [2, 2, 1, 0]})
    assert leaders(frame, "city") == "甲、乙 各 2 家"
    assert leaders(frame.iloc[1:], "city") == "乙 2 家"
    frame["province"] = [1, 1, 1, 0]
    assert leaders(frame, "province") == "甲等 3 个 各 1 家"
    frame["national"] = 0
    assert leaders(frame, "national") == "—"
    assert default_metric(METRICS) == "city"
    assert default_metric(("province", "national")) == "province"
    assert LABELS == {
        "cultivation": "培育对象",
        "city": "市级",
        "province": "省级",
        "national": "国家级",
    }


def test_map_has_one_trace_per_polygon_and_the_three_zones(messy_db: Path) -> None:
    """Test that the whole map draws 16 polygon traces for 14 units, plus 3 zone stars."""
    frame = ranking(by_county(messy_db, D5), "city")
    fig = ui.county_map(frame.to_dict("records"), "city", LABELS).validated()
    # 15 pre-2021 features, all single polygons but 新安县 (2 parts): 16 polygons. The merger
    # keeps them: 孟津区 = 孟津县 (1) + 吉利区 (1) = 2 traces; 偃师区 = 偃师市 (1). No holes.
    traces = polygon_traces(fig)
    assert len(traces) == 16
    assert {t.meta for t in traces} == {s.code for s in shapes()}
    assert len(polygon_traces(fig, "410308")) == 2
    assert len(polygon_traces(fig, "410323")) == 2
    assert len(polygon_traces(fig, "410307")) == 1
    stars = [t for t in fig.data if t.meta == "zones"]
    assert len(stars) == 1 and stars[0].marker.symbol == "star"
    assert [s.split("<b>")[0].strip() for s in stars[0].text] == ["高新区", "经开区", "伊滨区"]
    # Drawn on plain axes: no geo subplot or tile map that would fetch data from the network.
    assert {t.type for t in fig.data} == {"scatter"}
    layout = fig.to_plotly_json()["layout"]
    assert not {"geo", "mapbox", "map"} & set(layout)


def test_map_colours_units_with_more_centers_darker(messy_db: Path) -> None:
    """Test that 涧西区 (4) is darker than 孟津区 (2), than 西工区 (1), than 老城区 (0)."""
    frame = ranking(by_county(messy_db, D5), "city")
    fig = ui.county_map(frame.to_dict("records"), "city", LABELS).validated()
    units = ("410305", "410308", "410303", "410302")
    shade = {code: luminance(polygon_traces(fig, code)[0].fillcolor) for code in units}
    assert shade["410305"] < shade["410308"] < shade["410303"] < shade["410302"]
    # The same scale colours the zone stars: 高新区 (1) like 西工区 (1), 伊滨区 (0) like 老城区.
    stars = next(t for t in fig.data if t.meta == "zones")
    assert stars.marker.color[0] == polygon_traces(fig, "410303")[0].fillcolor
    assert stars.marker.color[2] == polygon_traces(fig, "410302")[0].fillcolor
    bar = next(t for t in fig.data if t.meta == "colorbar")
    assert (bar.marker.cmin, bar.marker.cmax) == (0, 4)


def test_map_hover_names_the_merged_units_with_their_counts(messy_db: Path) -> None:
    """Test that 孟津区's hover names its predecessors and its hand-worked counts 2/2/1/0."""
    frame = ranking(by_county(messy_db, D5), "city")
    fig = ui.county_map(frame.to_dict("records"), "city", LABELS).validated()
    hover = polygon_traces(fig, "410308")[0].text
    assert hover.startswith("<b>孟津区（含原孟津县、吉利区）</b>：市级 2 家")
    assert "培育对象 2 · 市级 2 · 省级 1 · 国家级 0" in hover
    assert "偃师区（原偃师市）</b>：市级 0 家" in polygon_traces(fig, "410307")[0].text
    stars = next(t for t in fig.data if t.meta == "zones")
    assert "洛阳经济技术开发区</b>：市级 0 家" in stars.hovertext[1]
    assert "国家级 1" in stars.hovertext[1] and "不计入所在区县" in stars.hovertext[1]
    labels = [a.text for a in fig.layout.annotations]
    assert "孟津区<br><b>2</b>" in labels and "涧西区<br><b>4</b>" in labels


def test_map_keeps_shapes_in_proportion_and_outlines_the_chosen_units(messy_db: Path) -> None:
    """Test that y is scaled by 1/cos(34.6°) and only the filtered units get the red outline."""
    rows = by_county(messy_db, D5, Filters(counties=("410308", "GXQ")))
    frame = ranking(rows, "city")
    fig = ui.county_map(frame.to_dict("records"), "city", LABELS, ("410308", "GXQ")).validated()
    assert fig.layout.yaxis.scaleanchor == "x"
    assert fig.layout.yaxis.scaleratio == pytest.approx(1 / math.cos(math.radians(34.6)))
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False
    widths = {t.meta: t.line.width for t in polygon_traces(fig)}
    assert widths["410308"] == 3 and all(w == 1 for c, w in widths.items() if c != "410308")
    assert all(t.line.color == ui.HIGHLIGHT for t in polygon_traces(fig, "410308"))
    stars = next(t for t in fig.data if t.meta == "zones")
    assert list(stars.marker.line.width) == [3, 1.5, 1.5]
    # With the filter only 孟津区 (2) and 高新区 (1) count; everything else shows 0.
    assert int(frame["city"].sum()) == 3
    assert "老城区（" not in polygon_traces(fig, "410302")[0].text
    assert "老城区</b>：市级 0 家" in polygon_traces(fig, "410302")[0].text


def test_ranking_bars_show_all_17_units_in_order_with_zones_hatched(messy_db: Path) -> None:
    """Test that the bar chart has 17 bars in ranking order, zones in their own hatched trace."""
    frame = ranking(by_county(messy_db, D5), "city")
    fig = ui.ranking_bars(frame.to_dict("records"), "city", LABELS, ("410308",)).validated()
    divisions, zone_bars = fig.data
    assert len(divisions.y) + len(zone_bars.y) == 17
    assert list(zone_bars.y) == ["高新区", "经开区", "伊滨区"]
    assert zone_bars.marker.pattern.shape == "/" and not divisions.marker.pattern.shape
    order = list(fig.layout.yaxis.categoryarray)
    assert order[:4] == ["涧西区", "<b>孟津区</b>", "西工区", "高新区"]
    assert dict(zip(divisions.y, divisions.x, strict=True))["<b>孟津区</b>"] == 2
    assert fig.layout.xaxis.title.text == "市级（家）"
