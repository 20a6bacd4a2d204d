"""The drill-down's logic on a plain dict standing in for session state: narrowing, the way
back, a field choosing its sector, a click on the value already chosen, stale steps dropped."""

from __future__ import annotations

from typing import Any

import pytest

from mic_tracker.ui import drill


def state(**values: list[str]) -> dict[str, Any]:
    return {key: values.get(key, []) for key in drill.FILTER_KEYS}


def test_narrow_then_back_restores_the_filters_before_the_click() -> None:
    """Test that a county click replaces the chosen counties and back restores them all."""
    s = state(county=["涧西区", "西工区"], form=["独立法人"])
    assert drill.narrow(s, "county", "涧西区")
    assert s["county"] == ["涧西区"] and s["form"] == ["独立法人"]
    assert drill.changes(drill.live_history(s)[-1]) == "县区：涧西区"
    assert drill.back(s)
    assert s["county"] == ["涧西区", "西工区"] and s["form"] == ["独立法人"]
    assert drill.live_history(s) == []
    assert not drill.back(s)


def test_field_click_sets_its_sector_too() -> None:
    """Test that a field narrows the sector to the field's own (the sidebar lists fields by
    sector), replacing another chosen sector."""
    s = state(sector=["新材料"])
    assert drill.narrow(s, "field", "矿山设备")
    assert s["sector"] == ["先进装备制造业"] and s["field"] == ["矿山设备"]
    assert drill.changes(drill.live_history(s)[-1]) == "行业：先进装备制造业；领域：矿山设备"
    drill.back(s)
    assert s == {**state(sector=["新材料"]), drill.HISTORY: [], drill.GENERATION: 2}


def test_sector_click_keeps_only_fields_inside_it() -> None:
    s = state(field=["矿山设备", "机器人及智能制造"], sector=[])
    drill.narrow(s, "sector", "先进装备制造业")
    assert s["field"] == ["矿山设备", "机器人及智能制造"]
    drill.back(s)
    drill.narrow(s, "sector", "新材料")
    assert s["sector"] == ["新材料"] and s["field"] == []


def test_level_click_takes_the_metric_key_and_applying_is_no_level() -> None:
    s = state()
    assert not drill.narrow(s, "level", "applying")
    assert drill.narrow(s, "level", "province")
    assert s["level"] == ["省级创新中心"]


def test_clicking_the_value_already_chosen_changes_nothing() -> None:
    """Test the documented choice: a click on the only value chosen is no new step (the way
    back still leads to the filters before the first click)."""
    s = state(county=["西工区"])
    drill.narrow(s, "county", "涧西区")
    steps = drill.live_history(s)
    assert not drill.narrow(s, "county", "涧西区")
    assert drill.live_history(s) == steps
    drill.back(s)
    assert s["county"] == ["西工区"]


def test_unknown_values_narrow_nothing() -> None:
    s = state()
    assert not drill.narrow(s, "county", "不存在区")
    assert not drill.narrow(s, "field", "不存在的领域")
    assert not drill.narrow(s, "sector", "不存在的行业")
    with pytest.raises(ValueError):
        drill.narrow(s, "form", "独立法人")


def test_steps_stack_and_back_goes_one_at_a_time() -> None:
    s = state()
    drill.narrow(s, "sector", "新材料")
    drill.narrow(s, "county", "涧西区")
    drill.back(s)
    assert s["sector"] == ["新材料"] and s["county"] == []
    drill.back(s)
    assert s == {**state(), drill.HISTORY: [], drill.GENERATION: 4}


def test_filters_changed_elsewhere_drop_the_way_back() -> None:
    """Test that after a change in the sidebar (or 重置筛选) the steps no longer count."""
    s = state()
    drill.narrow(s, "county", "涧西区")
    s["county"] = []  # 重置筛选
    assert drill.live_history(s) == []
    assert not drill.back(s)
    assert s["county"] == []


def test_clicked_value_reads_customdata_or_its_last_item() -> None:
    assert drill.clicked_value([{"customdata": "涧西区"}]) == "涧西区"
    assert drill.clicked_value([{"customdata": ["<b>涧西区</b>…", "涧西区"]}]) == "涧西区"
    assert drill.clicked_value([{"customdata": [3, "city"]}]) == "city"
    assert drill.clicked_value([{"x": 1}, {"customdata": "新材料"}]) == "新材料"
    assert drill.clicked_value([]) is None
    assert drill.clicked_value([{"customdata": 3}]) is None
