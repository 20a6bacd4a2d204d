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


def exceptions(page: Any) -> list[str]:
    return page.locator('[data-testid="stException"]').all_inner_texts()


def header(page: Any) -> str:
    """The header line every page shows (as-of date, last change, filters, 示例数据)."""
    return page.locator(".st-key-page_header").inner_text()
