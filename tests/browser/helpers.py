"""Waiting for Streamlit to finish drawing, reading what it shows."""

from __future__ import annotations

import time
from typing import Any


def wait_drawn(page: Any, timeout: float = 90.0) -> float:
    """Wait until the app has rendered and no script run is in progress; returns seconds waited."""
    started = time.monotonic()
    page.wait_for_selector('[data-testid="stAppViewContainer"]', timeout=timeout * 1000)
    page.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=timeout * 1000)
    deadline = started + timeout
    quiet_since = None
    while time.monotonic() < deadline:
        running = page.locator('[data-testid="stStatusWidget"]').count() > 0
        skeleton = page.locator('[data-testid="stSkeleton"]').count() > 0
        if running or skeleton:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since > 0.6:
            return time.monotonic() - started
        page.wait_for_timeout(100)
    raise TimeoutError("the app kept running")


def wait_for_text(page: Any, text: str, timeout: float = 90.0) -> str:
    """Wait until the main area shows the text (a script run may start a moment after a click);
    returns the main area's text, or fails showing all of it."""
    main = page.locator('[data-testid="stMainBlockContainer"]')
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        shown = main.inner_text()
        if text in shown:
            return shown
        page.wait_for_timeout(200)
    raise AssertionError(f"{text!r} never appeared; the page shows:\n{main.inner_text()}")


def exceptions(page: Any) -> list[str]:
    return page.locator('[data-testid="stException"]').all_inner_texts()


def header(page: Any) -> str:
    """The header line every page shows (as-of date, last change, filters, 示例数据)."""
    return page.locator(".st-key-page_header").inner_text()


USER, PASSWORD = "浏览器测试编辑", "浏览器测试密码-2026"
COUNTY_USER = "涧西区县区编辑"
SIGN_IN_TITLE = "洛阳市制造业创新中心建设监测平台"


def visit(page: Any, url: str, user: str = USER, password: str = PASSWORD) -> float:
    """Open the URL as a person does: a new session signs in first, then sees that page."""
    started = time.monotonic()
    page.goto(url)
    # Either the sign-in form (a new session) or, signed in already, the page itself.
    page.wait_for_selector(".st-key-signin_name input, .st-key-page_header", timeout=90_000)
    if page.locator(".st-key-signin_name input").count():
        page.locator(".st-key-signin_name input").fill(user)
        page.locator(".st-key-signin_password input").fill(password)
        page.get_by_role("button", name="登录").click()
        page.wait_for_selector(".st-key-signin_name", state="detached", timeout=90_000)
        page.wait_for_selector(".st-key-page_header", timeout=90_000)
        # The sign-in page's title stays on screen until the page's own replaces it.
        page.wait_for_function(
            "() => { const h = document.querySelector('[data-testid=\"stMainBlockContainer\"] h1');"
            f" return h && h.innerText !== '{SIGN_IN_TITLE}'; }}",
            timeout=90_000,
        )
    wait_drawn(page)
    return time.monotonic() - started
