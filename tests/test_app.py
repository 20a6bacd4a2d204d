"""AppTest of the frame: first start, the shared filter bar in the URL, the header, overview."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from mic_tracker.textfmt import date_cn
from tests.apptest import open_app


def run_app(db_path: Path, monkeypatch: pytest.MonkeyPatch, **params: str | list[str]) -> AppTest:
    return open_app(db_path, monkeypatch, **params)


def header_text(at: AppTest) -> str:
    return at.markdown[0].value


def card_texts(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("### ")]


def test_first_start_offers_demo_data_and_loads_it_only_when_asked(
    empty_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that an empty database shows the offer, not data, and the button loads 示例数据."""
    at = run_app(empty_db, monkeypatch)
    assert "还没有任何创新中心" in at.info[0].value
    assert not card_texts(at)
    at.button(key="load_demo").click().run()
    assert not at.exception
    assert "示例数据" in header_text(at)
    assert len(card_texts(at)) == 8


def test_imported_register_shows_no_demo_label(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that real data carries no 示例数据 label and the header names today's date."""
    at = run_app(messy_db, monkeypatch)
    assert "示例数据" not in header_text(at)
    assert date_cn(dt.date.today()) in header_text(at)


def test_url_query_parameters_restore_the_filters(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that as_of, sector and county in the URL set the widgets and the figures."""
    at = run_app(messy_db, monkeypatch, as_of="2020-12-31", sector="新材料", county="涧西区")
    assert at.date_input(key="as_of").value == dt.date(2020, 12, 31)
    assert at.multiselect(key="sector").value == ["新材料"]
    assert at.multiselect(key="county").value == ["涧西区"]
    assert "2020年12月31日" in header_text(at) and "行业：新材料" in header_text(at)
    # Hand-worked in tests/fixtures/EXPECTED.md: 新材料 × 涧西 at 2020-12-31 holds 1 city title.
    assert "### 1 / 5 家" in card_texts(at)


def test_overview_cards_show_hand_worked_figures(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that the overview's cards at 2020-12-31 show the fixture's actual / target figures."""
    at = run_app(messy_db, monkeypatch, as_of="2020-12-31")
    cards = card_texts(at)
    # EXPECTED.md 2020-12-31: cultivation 9, city 3, province 1, national 1.
    assert cards == [
        "### 5 / 5 家",
        "### 2 / 3 家",
        "### 9 / 10 家",
        "### 3 / 5 家",
        "### 1 / 约2 家",
        "### 3 / 20 家",
        "### 1 / 5 家",
        "### 1 / 1—2 家",
    ]


def test_level_filter_narrows_the_cards(messy_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Test that choosing 省级 in the level filter leaves only the provincial targets."""
    at = run_app(messy_db, monkeypatch, as_of="2020-12-31", level="省级创新中心")
    assert card_texts(at) == ["### 1 / 约2 家", "### 1 / 5 家"]


def test_sector_choice_narrows_the_field_options(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that the field filter offers only the chosen sector's fields."""
    at = run_app(messy_db, monkeypatch, sector="人工智能")
    assert at.multiselect(key="field").options == ["人工智能"]


def test_reset_puts_every_filter_back(messy_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Test that 重置筛选 clears the filters and returns the date to today."""
    at = run_app(messy_db, monkeypatch, as_of="2020-12-31", sector="新材料")
    at.button[0].click().run()
    assert at.multiselect(key="sector").value == []
    assert at.date_input(key="as_of").value == dt.date.today()


def test_date_is_written_the_chinese_way() -> None:
    """Test that dates shown to people have no leading zeros (2020年6月30日)."""
    assert date_cn(dt.date(2020, 6, 30)) == "2020年6月30日"
