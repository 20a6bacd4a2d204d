"""AppTest of the 层级 page: funnels, flows, conversion and durations on the fixture register.

Figures are the hand-worked ones of tests/test_levels.py (from tests/fixtures/EXPECTED.md).
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from mic_tracker import db
from tests.apptest import open_app


def open_levels(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, **params: str | list[str]
) -> AppTest:
    return open_app(db_path, monkeypatch, "app_pages/levels.py", **params)


def _values(data: Any) -> list[Any]:
    """Plotly's JSON writes numeric arrays as {"dtype", "bdata"}; lists stay lists."""
    if isinstance(data, dict):
        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"]).tolist()
    return list(data)


def charts(at: AppTest) -> list[dict[str, Any]]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def funnel_counts(at: AppTest) -> tuple[dict[str, int], dict[str, int]]:
    """The two funnels as {stage label: count}: held on the date, and ever reached."""
    held, ever = (chart["data"][0] for chart in charts(at)[:2])
    return (
        dict(zip(held["y"], _values(held["x"]), strict=True)),
        dict(zip(ever["y"], _values(ever["x"]), strict=True)),
    )


def rates(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def captions(at: AppTest) -> list[str]:
    return [c.value for c in at.caption]


def test_page_shows_the_hand_worked_figures_at_2020_12_31(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that funnels, flows, rates and medians at 2020-12-31 are the fixture's figures."""
    at = open_levels(messy_db, monkeypatch, as_of="2020-12-31")
    held, ever = funnel_counts(at)
    # Held (EXPECTED.md D4): 申报中 I; 9 / 3 / 1 / 1 titles. Reached: 11 applied, 10 listed,
    # city A B C, province A, national D.
    assert held == {
        "申报中": 1,
        "培育对象": 9,
        "市级创新中心": 3,
        "省级创新中心": 1,
        "国家级创新中心": 1,
    }
    assert ever == {
        "已申报": 11,
        "培育对象": 10,
        "市级创新中心": 3,
        "省级创新中心": 1,
        "国家级创新中心": 1,
    }
    flows = {t["name"]: _values(t["y"]) for t in charts(at)[2]["data"]}
    # Periods 2019年以前, 2019年, 2020年: listings 5 and 5, E cancelled in 2020 (drawn down).
    assert flows["培育对象·新列入"] == [0, 5, 5]
    assert flows["培育对象·取消培育资格"] == [0, 0, -1]
    assert flows["国家级创新中心·新认定"] == [1, 0, 0]
    assert rates(at) == {
        "培育对象 → 市级": "30%",
        "市级 → 省级": "33%",
        "省级 → 国家级": "0%",
        "培育资格被取消": "10%",
    }
    for text in ("3 / 10 = 30%", "1 / 3 = 33%", "0 / 1 = 0%", "1 / 10 = 10%"):
        assert text in captions(at)
    assert any("国家级称号中 1 家未经市级培育认定途径" in c for c in captions(at))
    table = at.dataframe[0].value
    assert table["样本数 n（对）"].tolist() == [10, 3, 1, 0]
    assert table["中位数（天）"].tolist() == ["121.5", "181", "351", "—"]


def test_later_date_and_sector_filter_change_the_figures(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that moving to 2026-11-26 and choosing 新材料 change the figures as worked by hand."""
    at = open_levels(messy_db, monkeypatch, as_of="2026-11-26")
    # D6 city-wide: 12 of 13 listed reached city, 4 of 12 province, 0 of 4 national, E cancelled.
    assert rates(at) == {
        "培育对象 → 市级": "92%",
        "市级 → 省级": "33%",
        "省级 → 国家级": "0%",
        "培育资格被取消": "8%",
    }
    assert "12 / 13 = 92%" in captions(at)
    assert at.dataframe[0].value["中位数（天）"].tolist() == ["102", "437.5", "544", "—"]

    at = open_levels(messy_db, monkeypatch, as_of="2026-11-26", sector="新材料")
    # 新材料 = B E L N: listed 4, city B L N = 3, cancelled E; province B only.
    held, ever = funnel_counts(at)
    assert held == {
        "申报中": 0,
        "培育对象": 3,
        "市级创新中心": 3,
        "省级创新中心": 1,
        "国家级创新中心": 0,
    }
    assert ever["培育对象"] == 4
    assert rates(at) == {
        "培育对象 → 市级": "75%",
        "市级 → 省级": "33%",
        "省级 → 国家级": "0%",
        "培育资格被取消": "25%",
    }
    assert "3 / 4 = 75%" in captions(at)


def test_level_filter_keeps_the_chosen_level_and_the_stage_below(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that choosing 省级 leaves the 市级 → 省级 funnel, rate, flows and duration only."""
    at = open_levels(messy_db, monkeypatch, as_of="2026-11-26", level="省级创新中心")
    held, ever = funnel_counts(at)
    assert held == {"市级创新中心": 11, "省级创新中心": 4}
    assert ever == {"市级创新中心": 12, "省级创新中心": 4}
    assert rates(at) == {"市级 → 省级": "33%"}
    names = [t["name"] for t in charts(at)[2]["data"]]
    assert names == ["省级创新中心·新认定"]
    table = at.dataframe[0].value
    assert table["阶段"].tolist() == ["认定为市级 → 认定为省级"]
    assert table["样本数 n（对）"].tolist() == [4]


def test_date_before_any_listing_shows_no_rates(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that at 2018-12-31 only D's national title shows and rates are blank, not errors."""
    at = open_levels(messy_db, monkeypatch, as_of="2018-12-31")
    held, _ = funnel_counts(at)
    assert held == {
        "申报中": 0,
        "培育对象": 0,
        "市级创新中心": 0,
        "省级创新中心": 0,
        "国家级创新中心": 1,
    }
    assert rates(at) == {
        "培育对象 → 市级": "—",
        "市级 → 省级": "—",
        "省级 → 国家级": "—",
        "培育资格被取消": "—",
    }
    assert charts(at)[2]["data"][0]["x"] == ["2019年以前"]


def test_a_filter_change_reads_the_page_with_one_query_and_a_rerun_with_none(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that the page's data comes from one query per filter change (each query costs
    ~10 ms to plan) and that a rerun with nothing changed queries nothing for the page."""
    at = open_levels(messy_db, monkeypatch, as_of="2026-11-26")
    ran: list[str] = []
    run = db.run

    def counted(con: Any, query: str, /, **params: Any) -> Any:
        ran.append(query)
        return run(con, query, **params)

    monkeypatch.setattr(db, "run", counted)
    at.multiselect(key="sector").set_value(["新材料"]).run()
    assert not at.exception, at.exception
    assert [q for q in ran if q.startswith("levels_")] == ["levels_pipeline"]
    assert rates(at)["培育对象 → 市级"] == "75%"
    ran.clear()
    at.run()
    assert [q for q in ran if q.startswith("levels_")] == []
