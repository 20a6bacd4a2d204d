"""AppTest of the 领域 page: the grid, the sector bars, the one-center-per-field lists and the
drill-down show the hand-worked figures of tests/fixtures/EXPECTED.md and follow the filters."""

from __future__ import annotations

import base64
import datetime as dt
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from mic_tracker import db
from tests.apptest import figures, open_app
from tests.test_fields import BEARING_A, SECOND_BEARING, add_second_bearing_center

PAGE = "app_pages/fields.py"
CELL = re.compile(r"<b>(\d+)</b>.*<i>(.+)</i>")


def open_page(db_path: Path, monkeypatch: pytest.MonkeyPatch, **params: str | list[str]) -> AppTest:
    return open_app(db_path, monkeypatch, PAGE, **params)


def grid_cells(at: AppTest) -> dict[int, str]:
    """序号 -> the level label written in the grid's cell, for all 31 cells."""
    cells = {}
    for note in figures(at)[0]["layout"]["annotations"]:
        got = CELL.search(note["text"])
        if got:
            cells[int(got.group(1))] = got.group(2)
    return cells


def values(array: list[Any] | dict[str, str]) -> list[Any]:
    """A trace's array as a list; Plotly writes numeric arrays as base64 typed arrays."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return array


def bars(at: AppTest) -> dict[str, dict[str, int]]:
    """Trace name -> {sector: titles} of the sector chart."""
    return {
        t["name"]: dict(zip(t["y"], values(t["x"]), strict=True))
        for t in figures(at)[1]["data"]
        if t["type"] == "bar"
    }


def metric_values(at: AppTest) -> list[str]:
    return [m.value for m in at.metric]


def test_grid_shows_each_fields_hand_worked_level(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that at 2022-06-30 the 31 cells carry the levels worked out in EXPECTED.md."""
    at = open_page(messy_db, monkeypatch, as_of="2022-06-30")
    cells = grid_cells(at)
    assert sorted(cells) == list(range(1, 32))
    # See tests/test_fields.py: D national; A, B, G provincial; C, L, F, K, H city; O, N, M in
    # cultivation; I only applying; everything else none.
    reached = {seq: label for seq, label in cells.items() if label != "无"}
    assert reached == {
        1: "培育中",
        2: "市级",
        3: "省级",
        5: "国家级",
        6: "省级",
        8: "市级",
        9: "省级",
        11: "培育中",
        12: "市级",
        16: "市级",
        22: "申报中",
        25: "培育中",
        29: "市级",
    }
    legend = [t["name"] for t in figures(at)[0]["data"] if t["type"] == "scatter"]
    assert legend[-1] == "无（18个领域）" and legend[0] == "国家级（1个领域）"
    # 12 fields have a live center; none has two; 19 have none (22 with I applying among them).
    assert metric_values(at) == ["12 / 31", "0 个", "19 个"]
    assert "没有一个领域同时有两个以上" in at.success[0].value
    assert len(at.dataframe[0].value) == 19


def test_sector_bars_show_titles_per_sector(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that the stacked bars hold the hand-worked titles per sector at 2022-06-30."""
    at = open_page(messy_db, monkeypatch, as_of="2022-06-30")
    got = bars(at)
    assert list(got) == ["培育对象", "市级创新中心", "省级创新中心", "国家级创新中心"]
    # 先进装备制造业: cultivation O, C, G, A; city C, G, A; province G, A; national D.
    assert [got[m]["先进装备制造业"] for m in got] == [4, 3, 2, 1]
    assert [got[m]["新材料"] for m in got] == [3, 2, 1, 0]
    assert sum(got["培育对象"].values()) == 11  # = EXPECTED.md's city-wide count at D5


def test_level_filter_narrows_bars_and_grid(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that choosing 省级 leaves one bar series and colours only the provincial fields."""
    at = open_page(messy_db, monkeypatch, as_of="2022-06-30", level="省级创新中心")
    assert list(bars(at)) == ["省级创新中心"]
    assert bars(at)["省级创新中心"]["先进装备制造业"] == 2  # A, G
    cells = grid_cells(at)
    assert {s for s, label in cells.items() if label == "省级"} == {3, 6, 9}
    assert set(cells.values()) == {"省级", "未达所选层级"}
    assert any("层级筛选已生效" in c.value for c in at.caption)
    # The one-per-field check ignores the level filter: still 12 fields with a live center.
    assert metric_values(at)[0] == "12 / 31"


def test_sector_filter_keeps_the_grid_whole_and_says_so(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that 新材料 keeps 31 cells, narrows the check to fields 8–11 and shows the caption."""
    at = open_page(messy_db, monkeypatch, as_of="2020-12-31", sector="新材料")
    cells = grid_cells(at)
    assert len(cells) == 31
    # EXPECTED.md 新材料 at 2020-12-31: B (9) city, N (11) cultivation; D's field 5 is outside.
    assert {s: v for s, v in cells.items() if v != "无"} == {9: "市级", 11: "培育中"}
    assert any("网格仍列出全部31个领域" in c.value for c in at.caption)
    assert metric_values(at) == ["2 / 4", "0 个", "2 个"]
    assert list(at.dataframe[0].value["seq"]) == [8, 10]
    assert at.selectbox(key="fields_sector").options == ["新材料"]
    assert bars(at)["培育对象"] == {s: (2 if s == "新材料" else 0) for s in bars(at)["培育对象"]}


def test_changing_the_date_changes_the_figures(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that moving the as-of date back to 2019-06-30 shows that day's coverage."""
    at = open_page(messy_db, monkeypatch, as_of="2022-06-30")
    at.date_input(key="as_of").set_value(dt.date(2019, 6, 30)).run()
    assert not at.exception
    # 2019-06-30: A (6), B (9), E (10) listed; D (5) national → 4 fields with a live center.
    assert metric_values(at) == ["4 / 31", "0 个", "27 个"]
    assert {s: v for s, v in grid_cells(at).items() if v != "无"} == {
        5: "国家级",
        6: "培育中",
        9: "培育中",
        10: "培育中",
    }


def test_crowded_field_is_listed_with_both_centers(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Test that a second listed center in 轴承及基础件 appears in the more-than-one list."""
    add_second_bearing_center(messy_db, tmp_path)
    at = open_page(messy_db, monkeypatch, as_of="2020-12-31")
    assert metric_values(at)[1] == "1 个"
    crowded = at.dataframe[0].value
    assert list(crowded["seq"]) == [6, 6]
    assert list(crowded["name"]) == [SECOND_BEARING, BEARING_A]
    assert list(crowded["stage_label"]) == ["培育中", "省级创新中心"]
    assert "在建中心多于一个的领域（1个）" in [m.value.strip("*") for m in at.markdown]


def test_drill_down_goes_from_sector_to_field_to_centers(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that choosing a sector narrows the fields and a field shows its centers."""
    at = open_page(messy_db, monkeypatch, as_of="2022-06-30")
    assert at.selectbox(key="fields_sector").value == "先进装备制造业"
    at.selectbox(key="fields_field_先进装备制造业").select(6).run()
    table = at.dataframe[-1].value
    assert list(table["name"]) == [BEARING_A]
    assert list(table["stage_label"]) == ["省级创新中心"]
    assert list(table["county"]) == ["涧西区"]
    at.selectbox(key="fields_sector").select("新材料").run()
    field = at.selectbox(key="fields_field_新材料")
    assert field.options == [
        "8 高性能有色金属及合金材料（在建 1 家）",
        "9 高性能耐火及先进陶瓷材料（在建 1 家）",
        "10 功能玻璃与化学新材料（在建 0 家）",
        "11 高性能复合材料（在建 1 家）",
    ]
    field.select(10).run()
    table = at.dataframe[-1].value
    # E (功能玻璃) was cancelled on 2020-05-20: still listed, with its stage in words.
    assert list(table["name"]) == ["洛阳功能玻璃新材料创新中心"]
    assert list(table["stage_label"]) == ["培育资格已取消"]
    assert list(table["county"]) == ["偃师区"]  # written 偃师市, today's unit


def test_the_fields_centers_are_read_once_per_date_and_not_on_a_filter_change(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that the page runs one query for the grid, the bars, the 四 check and the
    drill-down's centers of a date, and none when a sector filter narrows them, on a rerun or
    when another field is chosen."""
    ran: list[str] = []
    run = db.run
    monkeypatch.setattr(db, "run", lambda con, q, /, **p: ran.append(q) or run(con, q, **p))
    at = open_page(messy_db, monkeypatch, as_of="2022-06-30")
    assert [q for q in ran if q.startswith("fields_")] == ["fields_centers"]
    ran.clear()
    at.multiselect(key="sector").set_value(["新材料"]).run()
    assert not at.exception
    assert [q for q in ran if q.startswith("fields_")] == []
    assert metric_values(at) == ["3 / 4", "0 个", "1 个"]
    ran.clear()
    at.selectbox(key="fields_field_新材料").select(9).run()
    assert list(at.dataframe[-1].value["name"]) == ["洛阳先进耐火材料制造业创新中心"]
    assert [q for q in ran if q.startswith("fields_")] == []
