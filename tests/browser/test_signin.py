"""The whole sign-in flow in a browser: nothing before sign-in, a wrong password refused, the
linked page after sign-in, a county editor's view, sign-out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.browser.helpers import COUNTY_USER, PASSWORD, SIGN_IN_TITLE, USER, visit, wait_drawn


def _main(page: Any) -> Any:
    return page.locator('[data-testid="stMainBlockContainer"]')


def _fill(page: Any, user: str, password: str) -> None:
    page.locator(".st-key-signin_name input").fill(user)
    page.locator(".st-key-signin_password input").fill(password)
    page.get_by_role("button", name="登录").click()


def test_sign_in_flow_refuses_a_wrong_password_then_opens_the_linked_page_and_signs_out(
    page: Any, app_url: str, artifacts: Path
) -> None:
    page.goto(f"{app_url}/centers?as_of=2022-06-30")
    page.wait_for_selector(".st-key-signin_name input", timeout=90_000)
    assert page.locator('[data-testid="stDataFrame"]').count() == 0
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0
    _fill(page, USER, "完全错误的密码-0")
    page.wait_for_selector('[data-testid="stAlertContentError"]', timeout=90_000)
    assert "用户名或密码错误" in _main(page).inner_text()
    page.screenshot(path=str(artifacts / "signin-wrong-password.png"), full_page=True)

    _fill(page, USER, PASSWORD)
    page.wait_for_selector(".st-key-page_header", timeout=90_000)
    wait_drawn(page)
    assert "/centers" in page.url and "as_of=2022-06-30" in page.url
    assert "创新中心名单" in _main(page).inner_text()
    sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
    assert f"当前用户：{USER}（编辑）" in sidebar

    page.get_by_role("button", name="退出登录").click()
    page.wait_for_selector(".st-key-signin_name input", timeout=90_000)
    assert "已退出登录" in _main(page).inner_text()
    assert SIGN_IN_TITLE in page.locator("h1").first.inner_text()


def test_a_county_editor_sees_only_their_divisions_centers(
    page: Any, app_url: str, artifacts: Path
) -> None:
    visit(page, f"{app_url}/centers?as_of=2026-11-26", user=COUNTY_USER)
    text = _main(page).inner_text()
    assert "符合筛选条件的中心 4 家" in text  # 涧西区: A, B, C, L (EXPECTED.md)
    sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
    assert (
        "县区编辑 · 涧西区" in sidebar
        and "用户" not in page.locator('[data-testid="stSidebarNav"]').inner_text()
    )
    page.screenshot(path=str(artifacts / "county-editor-centers.png"), full_page=True)
