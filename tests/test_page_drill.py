"""AppTest of the drill-down: a click on a chart narrows the shared filters, 返回上一视图 restores
them. AppTest has no Plotly element to click, so `click` sends the widget state the browser sends
after a click (the chart's selection as JSON) with the next run; the page's own on_select
callback then runs as in the browser. The real click is tested in tests/browser/test_drill.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.testing.v1 import AppTest

from tests.apptest import figures, open_app


def chart_ids(at: AppTest) -> dict[str, str]:
    """Key name of each clickable chart (drill_county_bars_0 → county_bars) → its widget id."""
    ids = {}
    for chart in at.get("plotly_chart"):
        wid = chart.proto.id
        if "drill_" in wid:
            name = wid.split("drill_", 1)[1].rsplit("_", 1)[0]
            ids[name] = wid
    return ids


def click(at: AppTest, chart: str, customdata: Any) -> AppTest:
    """Select one point carrying `customdata` in the chart and rerun, as a click in the browser
    does (the frontend sends the selection as the chart's string value)."""
    selection = {
        "selection": {
            "points": [{"curve_number": 0, "point_index": 0, "customdata": customdata}],
            "point_indices": [0],
            "box": [],
            "lasso": [],
        }
    }
    # Private AppTest API: there is no public way to send a chart's selection.
    states = at._tree.get_widget_states()
    state = WidgetState(id=chart_ids(at)[chart], string_value=json.dumps(selection))
    states.widgets.append(state)
    at._run(states)
    assert not at.exception, at.exception
    return at


def back_button(at: AppTest) -> Any:
    return at.button(key="drill_back")


def drill_note(at: AppTest) -> str:
    return "\n".join(a.value for a in at.info)


def test_ranking_bar_click_narrows_county_and_back_restores(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that a click on 涧西区's bar narrows the county filter (URL too) and the way back
    puts back the filters as they were, a sector chosen before included."""
    at = open_app(messy_db, monkeypatch, "app_pages/counties.py", as_of="2022-06-30")
    at.multiselect(key="sector").set_value(["新材料"]).run()
    assert set(chart_ids(at)) == {"county_map", "county_bars"}
    assert "点击柱子可按该单位筛选。" in [c.value for c in at.caption]
    click(at, "county_bars", ["<b>涧西区</b>：…", "涧西区"])
    assert at.multiselect(key="county").value == ["涧西区"]
    assert at.multiselect(key="sector").value == ["新材料"]
    assert at.query_params["county"] in ("涧西区", ["涧西区"])
    assert "已按 县区：涧西区 筛选（点击图表所得）" in drill_note(at)
    # The page follows: the map outlines the chosen unit.
    assert "县区筛选已生效" in drill_note(at)
    back_button(at).click().run()
    assert at.multiselect(key="county").value == []
    assert at.multiselect(key="sector").value == ["新材料"]
    assert "county" not in at.query_params
    assert "点击图表所得" not in drill_note(at)
    assert "drill_back" not in [b.key for b in at.button]


def test_map_label_click_narrows_county(messy_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Test that the map's click layer carries unit names and a click on one narrows to it."""
    at = open_app(messy_db, monkeypatch, "app_pages/counties.py", as_of="2022-06-30")
    fig = figures(at)[0]
    labels = next(t for t in fig["data"] if t.get("meta") == "labels")
    assert "孟津区" in labels["customdata"]
    click(at, "county_map", "孟津区")
    assert at.multiselect(key="county").value == ["孟津区"]


def test_grid_cell_click_narrows_field_and_its_sector(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that a click on a cell of the 31-field grid chooses the field and its sector, and
    that the way back restores the empty filters."""
    at = open_app(messy_db, monkeypatch, "app_pages/fields.py", as_of="2022-06-30")
    assert set(chart_ids(at)) == {"field_grid", "sector_bars"}
    cells = next(t for t in figures(at)[0]["data"] if t.get("meta") == "cells")
    assert len(cells["customdata"]) == 31
    field = cells["customdata"][0][1]
    click(at, "field_grid", cells["customdata"][0])
    assert at.multiselect(key="field").value == [field]
    sector = at.multiselect(key="sector").value
    assert len(sector) == 1
    assert f"行业：{sector[0]}；领域：{field}" in drill_note(at)
    back_button(at).click().run()
    assert at.multiselect(key="field").value == []
    assert at.multiselect(key="sector").value == []


def test_sector_bar_then_field_click_go_back_one_step_at_a_time(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test two drills in a row: the way back undoes the last one first."""
    at = open_app(messy_db, monkeypatch, "app_pages/fields.py", as_of="2022-06-30")
    click(at, "sector_bars", "新材料")
    assert at.multiselect(key="sector").value == ["新材料"]
    # The chart was redrawn under a new key, so no old selection stays highlighted.
    assert chart_ids(at)["sector_bars"].endswith("drill_sector_bars_1")
    cells = next(t for t in figures(at)[0]["data"] if t.get("meta") == "cells")
    in_sector = [c for c in cells["customdata"] if "（新材料）" in c[0]]
    click(at, "field_grid", in_sector[0])
    assert at.multiselect(key="field").value == [in_sector[0][1]]
    back_button(at).click().run()
    assert at.multiselect(key="field").value == []
    assert at.multiselect(key="sector").value == ["新材料"]
    assert "已按 行业：新材料 筛选" in drill_note(at)
    back_button(at).click().run()
    assert at.multiselect(key="sector").value == []
    assert "drill_back" not in [b.key for b in at.button]


def test_funnel_click_narrows_level_but_applying_does_nothing(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that the funnel's 市级 narrows the level filter and its 申报中 changes nothing."""
    at = open_app(messy_db, monkeypatch, "app_pages/levels.py", as_of="2022-06-30")
    assert set(chart_ids(at)) == {"funnel_held", "funnel_ever", "flows"}
    click(at, "funnel_held", "applying")
    assert at.multiselect(key="level").value == []
    assert "drill_back" not in [b.key for b in at.button]
    click(at, "funnel_held", "city")
    assert at.multiselect(key="level").value == ["市级创新中心"]
    assert "已按 层级：市级创新中心 筛选" in drill_note(at)


def test_changing_filters_in_the_sidebar_drops_the_way_back(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that after a drill, a change in the sidebar hides the bar (its way back would undo
    something not clicked)."""
    at = open_app(messy_db, monkeypatch, "app_pages/alerts.py", as_of="2022-06-30")
    click(at, "alert_counties", "涧西区")
    assert at.multiselect(key="county").value == ["涧西区"]
    assert "drill_back" in [b.key for b in at.button]
    at.multiselect(key="sector").set_value(["新材料"]).run()
    assert "drill_back" not in [b.key for b in at.button]
    assert at.multiselect(key="county").value == ["涧西区"]


def test_alerts_county_bar_click_narrows_county(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that a click on a county's alert bar on 预警 narrows the county filter to it."""
    at = open_app(messy_db, monkeypatch, "app_pages/alerts.py", as_of="2022-06-30")
    assert set(chart_ids(at)) == {"alert_counties"}
    county = figures(at)[0]["data"][0]["customdata"][0]
    click(at, "alert_counties", county)
    assert at.multiselect(key="county").value == [county]
    assert f"已按 县区：{county} 筛选（点击图表所得）" in drill_note(at)
