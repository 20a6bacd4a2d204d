"""AppTest of the placeholder dashboard: first start offers demo data; figures and labels."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

APP = str(ROOT / "dashboard.py")


@pytest.fixture(autouse=True)
def _fresh_caches() -> None:
    st.cache_data.clear()
    st.cache_resource.clear()


def run_app(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("TRACKER_DB", str(db_path))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def test_first_start_offers_demo_data_and_loads_it_only_when_asked(
    empty_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that an empty database shows the offer, not data, and the button loads 示例数据."""
    at = run_app(empty_db, monkeypatch)
    assert "还没有任何创新中心" in at.info[0].value
    assert not at.dataframe
    at.button[0].click().run()
    assert not at.exception
    assert any("示例数据" in m.value for m in at.markdown)
    assert len(at.dataframe[0].value) == 8


def test_imported_register_shows_targets_without_demo_label(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that real data shows the target table as of the chosen date and no 示例数据 label."""
    at = run_app(messy_db, monkeypatch)
    at.date_input[0].set_value("2020-12-31").run()
    frame = at.dataframe[0].value
    row = frame[frame["目标"] == "2020年底 市级创新中心"].iloc[0]
    assert (row["实际"], row["差距"], row["状态"]) == (3, "还差 2 家", "预警")
    assert not any("示例数据" in m.value for m in at.markdown)


def test_date_is_written_the_chinese_way() -> None:
    """Test that dates shown to people have no leading zeros (2020年6月30日)."""
    import datetime as dt

    from mic_tracker.textfmt import date_cn

    assert date_cn(dt.date(2020, 6, 30)) == "2020年6月30日"
