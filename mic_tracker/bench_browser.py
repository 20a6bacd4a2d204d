"""The benchmark's browser figures (issue 8): time from navigation to the overview fully drawn,
and the app server's resident memory with five browser sessions open, at stress scale.

Starts `streamlit run dashboard.py` on the database and drives Debian's Chromium with
Playwright (a test dependency: `pip install -r requirements-dev.txt`).
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from mic_tracker.paths import ROOT

CHROMIUM = os.environ.get("BROWSER_PATH", "/usr/bin/chromium")
SESSIONS = 5
VISITS = 3


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(db_path: Path) -> tuple[str, subprocess.Popen[bytes]]:
    port = _free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py")]
    command += ["--server.port", str(port), "--server.headless", "true"]
    command += ["--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    env = {**os.environ, "TRACKER_DB": str(db_path)}
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
            return url, proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("the app did not start within 60 s")


def _rss_mb(pid: int) -> dict[str, float]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = round(int(value.split()[0]) / 1024, 1)
    return fields


def _drawn(page: Any, timeout_s: float = 120) -> None:
    """The overview's header, cards and chart are on screen and no script run is going on."""
    page.wait_for_selector(".st-key-page_header", timeout=timeout_s * 1000)
    page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=timeout_s * 1000)
    quiet = None
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if page.locator('[data-testid="stStatusWidget"]').count():
            quiet = None
        elif quiet is None:
            quiet = time.monotonic()
        elif time.monotonic() - quiet > 0.3:
            return
        page.wait_for_timeout(50)


def _visit_overview(page: Any) -> float:
    """From another page, click 总览 in the sidebar; seconds until it is fully drawn."""
    nav = page.locator('[data-testid="stSidebarNav"]')
    nav.get_by_text("中心", exact=True).click()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"stMainBlockContainer\"] h1')"
        "?.innerText.includes('中心')",
        timeout=120_000,
    )
    started = time.perf_counter()
    nav.get_by_text("总览", exact=True).click()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"stMainBlockContainer\"] h1')"
        "?.innerText.includes('目标进度总览')",
        timeout=120_000,
    )
    _drawn(page)
    return time.perf_counter() - started


def _sign_in(page: Any, url: str, user: str, password: str) -> None:
    page.goto(url)
    page.wait_for_selector(".st-key-signin_name input", timeout=120_000)
    page.locator(".st-key-signin_name input").fill(user)
    page.locator(".st-key-signin_password input").fill(password)
    page.locator(".st-key-signin_password input").press("Enter")
    _drawn(page)


def browser_figures(db_path: Path, user: str, password: str) -> dict[str, Any]:
    """Seconds from navigation to the overview drawn (median of reloads in a signed-in
    session), and the server's memory with five sessions open."""
    from playwright.sync_api import sync_playwright

    url, proc = _start(db_path)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            pages = []
            for _ in range(SESSIONS):
                page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
                _sign_in(page, url, user, password)
                pages.append(page)
            times = [_visit_overview(pages[0]) for _ in range(VISITS)]
            memory = _rss_mb(proc.pid)
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    return {
        "overview_drawn_s": round(statistics.median(times), 2),
        "app_rss_mb": memory.get("VmRSS", 0.0),
        "app_peak_rss_mb": memory.get("VmHWM", 0.0),
        "sessions": SESSIONS,
    }
