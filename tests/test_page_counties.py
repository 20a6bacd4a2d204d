"""AppTest of the 县区 page: the map, the ranking and the table show the hand-worked figures of
tests/fixtures/EXPECTED.md by today's units and follow the date, county and level filters."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest import figures, open_app

PAGE = "app_pages/counties.py"
METRIC_KEY = "counties_metric_cultivation_city_province_national"


def open_page(db_path: Path, monkeypatch: pytest.MonkeyPatch, **params: str | list[str]) -> AppTest:
    return open_app(db_path, monkeypatch, PAGE, **params)


def table(at: AppTest) -> dict[str, tuple[int, int, int, int]]:
    """Unit label → (cultivation, city, province, national) as the table shows them."""
    frame = at.dataframe[0].value
    return {r.label: (r.cultivation, r.city, r.province, r.national) for r in frame.itertuples()}


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def captions(at: AppTest) -> str:
    return "\n".join(c.value for c in at.caption)


def hover(fig: dict[str, Any], code: str) -> str:
    return next(t["text"] for t in fig["data"] if t.get("meta") == code)


def test_page_shows_hand_worked_county_figures_at_2022_06_30(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that the table, metrics and map at 2022-06-30 match EXPECTED.md's by_county (市级)."""
    at = open_page(messy_db, monkeypatch, as_of="2022-06-30")
    assert at.radio(key=METRIC_KEY).value == "city"
    rows = table(at)
    assert len(rows) == 17
    # EXPECTED.md D5: 涧西区 4/4/2/0 (A, B, C, L); 孟津区 2/2/1/0 (F written 吉利区, G written
    # 孟津县); 偃师区 1/0/0/0 (O); 高新区 1/1/0/0 (H); 经开区 0/0/0/1 (D).
    assert rows["涧西区"] == (4, 4, 2, 0)
    assert rows["孟津区（含原孟津县、吉利区）"] == (2, 2, 1, 0)
    assert rows["偃师区（原偃师市）"] == (1, 0, 0, 0)
    assert rows["洛阳高新技术产业开发区"] == (1, 1, 0, 0)
    assert rows["洛阳经济技术开发区"] == (0, 0, 0, 1)
    assert rows["伊川县"] == (0, 0, 0, 0)
    assert list(rows)[:2] == ["涧西区", "孟津区（含原孟津县、吉利区）"]
    # City holders 8: 涧西区 4, 孟津区 2, 西工区 1, 高新区 1 → 4 of 17 units.
    assert metrics(at) == {
        "全市市级": "8 家",
        "有中心的统计单位": "4 / 17 个",
        "数量最多": "涧西区 4 家",
    }
    assert "吉利区 1 家、孟津县 1 家计入孟津区" in captions(at)
    the_map, bars = figures(at)
    assert hover(the_map, "410308").startswith("<b>孟津区（含原孟津县、吉利区）</b>：市级 2 家")
    assert len([t for t in the_map["data"] if t.get("fill") == "toself"]) > 16  # map + inset
    assert bars["layout"]["yaxis"]["categoryarray"][:2] == ["涧西区", "孟津区"]


def test_choosing_another_level_recolours_and_reranks(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that choosing 省级 at 2022-06-30 ranks 涧西区 2 (A, B) before 孟津区 1 (G)."""
    at = open_page(messy_db, monkeypatch, as_of="2022-06-30")
    at.radio(key=METRIC_KEY).set_value("province").run()
    assert not at.exception
    assert metrics(at)["全市省级"] == "3 家"
    assert metrics(at)["数量最多"] == "涧西区 2 家"
    the_map, bars = figures(at)
    assert hover(the_map, "410308").startswith("<b>孟津区（含原孟津县、吉利区）</b>：省级 1 家")
    assert bars["layout"]["xaxis"]["title"]["text"] == "省级（家）"
    # Province titles by old name: G (孟津县) only; F holds no provincial title.
    assert "孟津县 1 家计入孟津区" in captions(at) and "吉利区 1 家" not in captions(at)


def test_old_names_count_under_todays_units_before_the_2021_change(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that at 2019-12-31 E (偃师市) and F (吉利区) count under 偃师区 and 孟津区."""
    at = open_page(messy_db, monkeypatch, as_of="2019-12-31")
    at.radio(key=METRIC_KEY).set_value("cultivation").run()
    rows = table(at)
    # EXPECTED.md D2: 涧西区 3/2/0/0, 偃师区 1/0/0/0 (E), 孟津区 1/0/0/0 (F), 经开区 0/0/0/1.
    assert rows["涧西区"] == (3, 2, 0, 0)
    assert rows["偃师区（原偃师市）"] == (1, 0, 0, 0)
    assert rows["孟津区（含原孟津县、吉利区）"] == (1, 0, 0, 0)
    assert "偃师市 1 家计入偃师区；吉利区 1 家计入孟津区" in captions(at)


def test_county_filter_highlights_the_chosen_units_and_zeroes_the_rest(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that county=孟津区 keeps its 2/2/1/0, zeroes the others and outlines it on the map."""
    at = open_page(messy_db, monkeypatch, as_of="2022-06-30", county="孟津区")
    rows = table(at)
    assert rows["孟津区（含原孟津县、吉利区）"] == (2, 2, 1, 0)
    assert all(v == (0, 0, 0, 0) for k, v in rows.items() if not k.startswith("孟津区"))
    assert "县区筛选已生效" in at.info[0].value and "孟津区" in at.info[0].value
    assert metrics(at)["所选范围市级"] == "2 家"
    the_map = figures(at)[0]
    outlined = {t["meta"] for t in the_map["data"] if t.get("line", {}).get("width") == 3}
    assert outlined == {"410308", "inset:410308"}


def test_level_filter_limits_the_choice_of_metric(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that level=国家级 makes the page rank by 国家级: 经开区 1 (D, 2018) at 2022-06-30."""
    at = open_page(messy_db, monkeypatch, as_of="2022-06-30", level="国家级创新中心")
    radio = at.radio(key="counties_metric_national")
    assert radio.options == ["国家级"] and radio.value == "national"
    assert metrics(at) == {
        "全市国家级": "1 家",
        "有中心的统计单位": "1 / 17 个",
        "数量最多": "经开区 1 家",
    }
    assert next(iter(table(at))) == "洛阳经济技术开发区"


def test_choosing_another_level_runs_no_query_and_a_rerun_builds_from_the_cache(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that the page reads its counts with one query for all four levels: switching the
    level and rerunning query nothing more, while a new filter queries once again."""
    from mic_tracker import db

    ran: list[str] = []
    real = db.rows

    def rows(con: Any, query: str, /, **params: Any) -> list[dict[str, Any]]:
        ran.append(query)
        return real(con, query, **params)

    monkeypatch.setattr(db, "rows", rows)
    at = open_page(messy_db, monkeypatch, as_of="2022-06-30")  # the overview, then this page
    assert ran.count("counties_units") == 1
    ran.clear()
    at.radio(key=METRIC_KEY).set_value("province").run()
    at.run()
    assert not at.exception
    assert metrics(at)["全市省级"] == "3 家"
    assert "孟津县 1 家计入孟津区" in captions(at)
    # Only what every page reads each run (the signed-in account, the data version), no counts.
    assert "users_get" in ran
    assert not [q for q in ran if q.startswith(("counties_", "by_", "counts"))]
    at.multiselect(key="sector").set_value(["新材料"]).run()
    assert ran.count("counties_units") == 1
