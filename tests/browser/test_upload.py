"""In the browser: export the register from the 数据 page, change one cell, upload it, see the
preview, confirm, and see the change on the overview."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.browser.conftest import fixture_app
from tests.browser.helpers import exceptions, visit, wait_drawn, wait_for_text
from tests.fixtures.make_fixture import A

VIEW = "?as_of=2026-11-26&county=西工区"


@pytest.fixture
def own_app(tmp_path: Path, chromium_path: str) -> Iterator[str]:
    """An app of its own: this test changes its database."""
    with fixture_app(tmp_path / "upload.duckdb") as url:
        yield url


def _main_text(page: Any) -> str:
    return page.locator('[data-testid="stMainBlockContainer"]').inner_text()


def _move_center(book: Path, name: str, county: str) -> None:
    wb = load_workbook(book)
    ws = wb["中心"]
    headers = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[headers.index("中心名称")].value == name:
            row[headers.index("所在县区")].value = county
    wb.save(book)


def test_exported_register_with_one_change_uploaded_shows_on_the_overview(
    page: Any, own_app: str, artifacts: Path, tmp_path: Path
) -> None:
    """Test the round trip a county office makes: export, edit one cell, upload, confirm."""
    visit(page, f"{own_app}/{VIEW}")
    # 西工区 as of today: one city center (K), EXPECTED.md; the 2025 target is city-wide 20.
    assert "1 / 20 家" in _main_text(page)

    visit(page, f"{own_app}/data{VIEW}")
    with page.expect_download() as got:
        page.get_by_role("button", name="导出整个登记册（导入模板格式）").click()
    book = tmp_path / "登记册.xlsx"
    got.value.save_as(book)
    _move_center(book, A, "西工区")  # A is a city (2019) and provincial (2020) center

    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(book))
    wait_for_text(page, "检查通过")
    wait_drawn(page)
    assert exceptions(page) == []
    page.screenshot(path=str(artifacts / "data-upload-preview.png"), full_page=True)
    page.get_by_role("button", name="确认导入").click()
    wait_for_text(page, "已导入")
    wait_drawn(page)

    visit(page, f"{own_app}/{VIEW}")
    assert "2 / 20 家" in _main_text(page)
    page.screenshot(path=str(artifacts / "overview-after-upload.png"), full_page=True)
