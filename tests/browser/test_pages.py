"""Every page in a real browser on the fixture database: draws, no exception, key figures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.browser.helpers import exceptions, header, visit, wait_drawn

PAGES = [
    ("", "目标进度总览"),
    ("fields", "领域"),
    ("counties", "县区"),
    ("levels", "层级"),
    ("centers", "中心"),
    ("alerts", "预警"),
    ("funding", "资金"),
    ("data", "数据"),
]
TIMINGS: dict[str, float] = {}


@pytest.mark.parametrize(("path", "title"), PAGES, ids=[p or "overview" for p, _ in PAGES])
def test_every_page_draws_without_exception(
    page: Any, app_url: str, artifacts: Path, path: str, title: str
) -> None:
    """Test that each page opens from a deep link with filters, draws, and shows no exception."""
    TIMINGS[path or "overview"] = visit(page, f"{app_url}/{path}?as_of=2022-06-30")
    assert exceptions(page) == []
    assert title in page.locator("h1").first.inner_text()
    assert "2022年6月30日" in header(page)
    page.screenshot(path=str(artifacts / f"{path or 'overview'}.png"), full_page=True)
    (artifacts / "timings.json").write_text(json.dumps(TIMINGS, ensure_ascii=False, indent=1))


def test_overview_shows_hand_worked_cards_and_a_filter_changes_them(
    page: Any, app_url: str, artifacts: Path
) -> None:
    """Test that the overview at 2020-12-31 shows the fixture's figures and a sector choice narrows them."""
    visit(page, f"{app_url}/?as_of=2020-12-31")
    main = page.locator('[data-testid="stMainBlockContainer"]')
    assert "3 / 5 家" in main.inner_text()  # city 2020: 3 of 5 (EXPECTED.md)
    page.locator(".st-key-sector input").click()
    page.get_by_role("option", name="新材料").click()
    page.keyboard.press("Escape")
    wait_drawn(page)
    assert "sector=" in page.url
    assert "行业：新材料" in header(page)
    assert "2 / 10 家" in main.inner_text()  # 新材料 cultivation at 2020-12-31: 2 (EXPECTED.md)
    page.screenshot(path=str(artifacts / "overview-filtered.png"), full_page=True)


def test_a_link_reproduces_the_view_after_switching_pages(page: Any, app_url: str) -> None:
    """Test that filters survive a page switch in the sidebar and stay in the URL."""
    visit(page, f"{app_url}/?as_of=2020-12-31&county=涧西区")
    page.locator('[data-testid="stSidebarNav"]').get_by_text("层级").click()
    wait_drawn(page)
    assert "/levels" in page.url and "county=" in page.url and "as_of=2020-12-31" in page.url
    line = header(page)
    assert "县区：涧西区" in line and "2020年12月31日" in line
