"""AppTest: every page's record tables offer CSV and Excel named with the date and the filters."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.apptest import open_app

# Page → the file names (without extension) its tables offer on the fixture as of 2022-06-30.
EXPECTED = {
    "overview": ["近90天的变化_截至2022-06-30"],
    "fields": ["尚无在建中心的领域_截至2022-06-30", "领域内的中心_截至2022-06-30_机器人及智能制造"],
    "counties": ["县区排名_截至2022-06-30_按市级"],
    "levels": ["阶段间隔时间_截至2022-06-30"],
    "alerts": ["预警事项_截至2022-06-30_红色、黄色"],
    "funding": [
        "市财政资助_按年度_截至2022-06-30",
        "市财政资助明细_截至2022-06-30",
        "资助待定事项_截至2022-06-30",
    ],
}


@pytest.mark.parametrize("page", list(EXPECTED))
def test_each_table_has_csv_and_excel_downloads(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch, page: str
) -> None:
    """Test that each table of the page has a CSV and an Excel button named after it."""
    at = open_app(messy_db, monkeypatch, f"app_pages/{page}.py", as_of="2022-06-30")
    buttons = at.get("download_button")
    assert [b.proto.label for b in buttons] == ["下载 CSV", "下载 Excel"] * len(EXPECTED[page])
    names = [b.proto.help.removeprefix("文件名：") for b in buttons]
    assert names == [f"{stem}.{ext}" for stem in EXPECTED[page] for ext in ("csv", "xlsx")]


def test_alert_downloads_carry_the_county_filter(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that the county chosen in the sidebar is part of the alerts file name."""
    at = open_app(messy_db, monkeypatch, "app_pages/alerts.py", as_of="2022-06-30", county="涧西区")
    help_text = at.get("download_button")[0].proto.help
    assert help_text == "文件名：预警事项_截至2022-06-30_涧西区_红色、黄色.csv"
