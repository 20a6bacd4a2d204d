"""AppTest of the 资金 page on the fixture register.

The page opens through dashboard.py with the view in the URL, as a user's link would. Figures are
the hand-worked ones of tests/test_funding.py (from make_fixture.py and tests/fixtures/EXPECTED.md).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from mic_tracker import db
from mic_tracker.policy import load_plan
from mic_tracker.report import Filters, make_filters
from tests.apptest import open_app

A = "洛阳高端轴承制造业创新中心"


def open_page(
    db_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    as_of: dt.date,
    filters: Filters | None = None,
    levels: tuple[str, ...] = (),
) -> AppTest:
    params: dict[str, str | list[str]] = {"as_of": as_of.isoformat()}
    if filters and filters.sectors:
        params["sector"] = list(filters.sectors)
    if levels:
        params["level"] = [load_plan().metrics[m] for m in levels]
    return open_app(db_path, monkeypatch, "app_pages/funding.py", **params)


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def charts(at: AppTest) -> list[dict[str, Any]]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def year_table(at: AppTest) -> dict[str, str]:
    """{年度: 市财政应付} from the yearly table."""
    table = at.dataframe[0].value
    return dict(zip(table["年度"], table["市财政应付"], strict=True))


def test_page_shows_the_hand_worked_totals(messy_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Test that at 2026-11-26 the totals, yearly payouts and pending count are the fixture's."""
    at = open_page(messy_db, monkeypatch, dt.date(2026, 11, 26))
    # Yearly payouts 100, 1050, 1020, 420, 100, 50, 0, 100 → 2840; 2026: M's reward 100.
    # Pending rows: 2020 A B; 2022 A B F H; 2023 F G H K L M N; 2024 F G H K L M N O;
    # 2025 K L M N O P; 2026 O P → 2 + 4 + 7 + 8 + 6 + 2 = 29.
    assert metrics(at) == {
        "2019—2026年市财政应付合计": "2840万元",
        "其中2026年": "100万元",
        "待定的中心·年度": "29 项",
        "已录入实际拨付": "0万元",
    }
    assert year_table(at) == {
        "2019年": "100万元",
        "2020年": "1050万元",
        "2021年": "1020万元",
        "2022年": "420万元",
        "2023年": "100万元",
        "2024年": "50万元",
        "2025年（超出有效期）": "—",
        "2026年（超出有效期）": "100万元",
    }
    assert any("方案有效期五年（至2024年3月13日）" in i.value for i in at.info)
    yearly = charts(at)[0]
    assert [t["name"] for t in yearly["data"]][:4] == [
        "F1 培育资助",
        "F2 认定补助",
        "F3 省级配套",
        "F4 一次性奖励",
    ]
    assert yearly["layout"]["shapes"][0]["fillcolor"].startswith("rgba(110")  # the grey band
    pending = at.dataframe[2].value
    # One line per item: two (R&D and evaluation) on every pending row but A 2022 (its 2021
    # evaluation passed; R&D 2021 missing): 2 × 29 − 1 = 57.
    assert len(pending) == 57
    assert "2019年度评价结果未记录" in set(pending["待定事项"])


def test_past_date_and_sector_filter_change_the_figures(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that 2020-12-31 shows 2019–2020 only and 新材料 narrows to B, L, N."""
    at = open_page(messy_db, monkeypatch, dt.date(2020, 12, 31))
    assert metrics(at)["2019—2020年市财政应付合计"] == "1150万元"  # 100 + 1050
    assert list(year_table(at)) == ["2019年", "2020年"]

    at = open_page(messy_db, monkeypatch, dt.date(2026, 11, 26), make_filters(sectors=["新材料"]))
    # B 50 (2019) + 260 (2021); L and N 50 + 50 (2021, 2022) → 510.
    assert metrics(at)["2019—2026年市财政应付合计"] == "510万元"
    assert year_table(at)["2021年"] == "360万元"  # B 260 + L 50 + N 50


def test_level_filter_keeps_centers_holding_the_title(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that choosing 省级 keeps A, B, G, M (provincial titles held on 2026-11-26) only."""
    at = open_page(messy_db, monkeypatch, dt.date(2026, 11, 26), levels=("province",))
    # A 50 + 600 + 240 = 890; B 50 + 260 = 310; G 50 + 50 + 170 = 270; M 50 + 50 + 100 = 200.
    assert metrics(at)["2019—2026年市财政应付合计"] == "1670万元"
    centers = set(at.dataframe[1].value["中心"])
    assert centers == {
        A,
        "洛阳先进耐火材料制造业创新中心",
        "洛阳节能环保装备创新中心",
        "洛阳高端铝材创新中心",
    }


def test_form_records_a_disbursement_and_shows_it(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that the form saves 实际拨付 240 for A 2021, audits it and the totals show it."""
    at = open_page(messy_db, monkeypatch, dt.date.today())
    at.toggle(key="fd_open").set_value(True).run()
    at.selectbox(key="fd_center").select(A)
    at.number_input(key="fd_year").set_value(2021)
    at.radio(key="fd_kind").set_value("实际拨付")
    at.number_input(key="fd_amount").set_value(240.0)
    at.text_input(key="fd_note").input("2021年补助已拨付")
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert any("已保存" in s.value and "240万元" in s.value for s in at.success)
    assert metrics(at)["已录入实际拨付"] == "240万元"
    marker = next(t for t in charts(at)[0]["data"] if t["name"] == "实际拨付（手工录入）")
    assert marker["customdata"] == ["240万元"]  # one diamond, in 2021 only
    with db.connect(messy_db) as con:
        got = con.execute(
            "select entity, entity_key from audit_log where entity = 'funding_manual'"
        ).fetchall()
    assert got == [("funding_manual", f"{A} 2021 实际拨付")]


def test_form_without_a_center_shows_an_error_and_saves_nothing(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that saving with no center chosen shows the reason and writes nothing."""
    at = open_page(messy_db, monkeypatch, dt.date.today())
    at.toggle(key="fd_open").set_value(True).run()
    at.number_input(key="fd_amount").set_value(10.0)
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["请选择或填写中心名称"]
    with db.connect(messy_db) as con:
        assert con.execute("select count(*) from funding_manual").fetchone() == (0,)


def test_date_before_the_plan_shows_nothing_owed(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that at 2018-12-31 (D's 2018 national title only) the page shows zeros, no error."""
    at = open_page(messy_db, monkeypatch, dt.date(2018, 12, 31))
    assert metrics(at)["2019年市财政应付合计"] == "0万元"
    assert any("早于方案的适用起点" in c.value for c in at.caption)
    assert at.dataframe[1].value.empty


def test_a_county_editor_never_gets_the_view_built_for_someone_else(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that after an editor opened the page, a 涧西区 county editor asking for the same
    view sees their county's centers only: the page's built view is kept per person."""
    everyone = open_page(messy_db, monkeypatch, dt.date(2026, 11, 26))
    all_centers = set(everyone.dataframe[1].value["中心"])
    county = open_app(
        messy_db,
        monkeypatch,
        "app_pages/funding.py",
        role="county_editor",
        scope_county="410305",
        as_of="2026-11-26",
    )
    detail = county.dataframe[1].value
    assert set(detail["县区"]) == {"涧西区"}
    assert set(detail["中心"]) < all_centers
    assert metrics(county) != metrics(everyone)
