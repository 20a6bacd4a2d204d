"""In the browser: the 简报 page draws, and its 下载 PDF button gives the same briefing as a PDF."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from tests.browser.helpers import exceptions, visit, wait_for_text


def test_briefing_page_downloads_a_pdf_with_the_figures_and_the_date(
    page: Any, app_url: str, artifacts: Path, tmp_path: Path
) -> None:
    visit(page, f"{app_url}/briefing?as_of=2022-06-30")
    wait_for_text(page, "按当前进度预计到2025年底可达11–19家")
    assert exceptions(page) == []
    page.screenshot(path=str(artifacts / "briefing.png"), full_page=True)
    with page.expect_download(timeout=120_000) as got:
        page.get_by_role("button", name="下载 PDF").click()
    assert got.value.suggested_filename == "简报_截至2022-06-30.pdf"
    pdf = tmp_path / "briefing.pdf"
    got.value.save_as(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "截至2022年6月30日" in text and "筛选：无（全市）" in text
    assert "11–19" in text and "示例数据" not in text
