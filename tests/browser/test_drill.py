"""In the browser: a real click on a Plotly bar or grid cell narrows the shared filters (sidebar,
URL, the page's figures), and 返回上一视图 brings the filters back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.browser.helpers import exceptions, visit, wait_drawn, wait_for_text

AS_OF = "2022-06-30"


def click_point(page: Any, point: Any) -> None:
    """Click the middle of a Plotly point with the mouse: Plotly listens on the layer over the
    plot, not on the point's own path, so Playwright's element click would be intercepted."""
    point.scroll_into_view_if_needed()
    box = point.bounding_box()
    assert box is not None, "the point is not drawn"
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.click(x, y)


def sidebar_choice(page: Any, key: str) -> str:
    return page.locator(f".st-key-{key}").inner_text()


def main_text(page: Any) -> str:
    return page.locator('[data-testid="stMainBlockContainer"]').inner_text()


def wait_gone(page: Any, text: str, timeout: float = 90.0) -> None:
    """Wait until the main area no longer shows the text."""
    for _ in range(int(timeout * 5)):
        if text not in main_text(page):
            return
        page.wait_for_timeout(200)
    raise AssertionError(f"{text!r} still shown:\n{main_text(page)}")


def test_click_on_ranking_bar_narrows_county_and_back_restores(
    page: Any, app_url: str, artifacts: Path
) -> None:
    """Test that clicking 涧西区's bar (rank 1 by 市级 at 2022-06-30: 4 of the city's 8) narrows
    the county filter in the sidebar, the URL and the page, and 返回上一视图 undoes it."""
    visit(page, f"{app_url}/counties?as_of={AS_OF}")
    wait_for_text(page, "全市市级\n\n8 家")  # visit waits for the title, not the whole page
    page.screenshot(path=str(artifacts / "drill-counties-before.png"), full_page=True)
    ranking = page.locator(".js-plotly-plot").nth(1)
    # The first bar of the counties' trace is the top of the ranking: 涧西区.
    click_point(page, ranking.locator(".trace.bars").first.locator(".point path").first)
    shown = wait_for_text(page, "已按 县区：涧西区 筛选（点击图表所得）")
    wait_drawn(page)
    assert exceptions(page) == []
    assert "county=" in page.url
    assert "涧西区" in sidebar_choice(page, "county")
    shown = main_text(page)
    assert "所选范围市级\n\n4 家" in shown
    assert "县区筛选已生效" in shown
    page.screenshot(path=str(artifacts / "drill-counties-clicked.png"), full_page=True)

    page.get_by_role("button", name="返回上一视图").click()
    wait_gone(page, "点击图表所得")
    wait_for_text(page, "全市市级")
    wait_drawn(page)
    assert "county=" not in page.url
    assert "涧西区" not in sidebar_choice(page, "county")
    assert "全市市级\n\n8 家" in main_text(page)
    page.screenshot(path=str(artifacts / "drill-counties-back.png"), full_page=True)


def test_click_on_grid_cell_narrows_field_and_its_sector(
    page: Any, app_url: str, artifacts: Path
) -> None:
    """Test that clicking a cell of the 31-field grid chooses that field and its sector."""
    visit(page, f"{app_url}/fields?as_of={AS_OF}")
    grid = page.locator(".js-plotly-plot").first
    # The transparent bars over the cells; the first is 先进装备制造业's first field.
    click_point(page, grid.locator(".trace.bars").first.locator(".point path").first)
    wait_for_text(page, "已按 行业：先进装备制造业；领域：机器人及智能制造 筛选")
    wait_drawn(page)
    assert exceptions(page) == []
    assert "field=" in page.url and "sector=" in page.url
    assert "机器人及智能制造" in sidebar_choice(page, "field")
    assert "先进装备制造业" in sidebar_choice(page, "sector")
    assert "筛选已生效" in main_text(page)
    page.screenshot(path=str(artifacts / "drill-fields-clicked.png"), full_page=True)
    page.get_by_role("button", name="返回上一视图").click()
    wait_gone(page, "点击图表所得")
    wait_drawn(page)
    assert "field=" not in page.url
