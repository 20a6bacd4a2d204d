"""Chart images through kaleido and Debian's Chromium, and what the exports do without them."""

from __future__ import annotations

import struct
import subprocess
from pathlib import Path

import pytest

from mic_tracker.chart_images import ChartError, png_bytes
from mic_tracker.errors import describe
from mic_tracker.export_pdf import pdf_bytes
from mic_tracker.export_pptx import pptx_bytes
from tests.test_export_pdf import bar_chart, sample_doc

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk follows the signature
    return width, height


def test_figure_renders_as_png_of_the_asked_size() -> None:
    """Test that a plotly bar chart comes back as a PNG of width × height × scale pixels."""
    fig = bar_chart()
    data = png_bytes(fig, 600, 300, scale=2)
    assert data.startswith(PNG_SIGNATURE)
    assert png_size(data) == (1200, 600)
    assert len(data) > 10_000  # a drawn chart, not an empty canvas
    assert fig.layout.font.family is None  # the CJK font went on a copy, not the page's figure


def test_missing_browser_is_a_clear_chinese_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """Test that a wrong browser path raises ChartError naming the path, in Chinese."""
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    with pytest.raises(ChartError) as caught:
        png_bytes(bar_chart(), 400, 300)
    text = describe(caught.value)
    assert "未找到 Chromium 浏览器（/nonexistent/chromium）" in text
    assert "Traceback" not in text


def test_browser_that_fails_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """Test that a program that is not a browser gives ChartError, not kaleido's exception."""
    monkeypatch.setenv("BROWSER_PATH", "/bin/false")
    with pytest.raises(ChartError, match="未能生成图片"):
        png_bytes(bar_chart(), 400, 300)


def test_pdf_without_browser_still_renders_with_fallback_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Test that the PDF is produced without Chromium, saying the chart could not be drawn."""
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    path = tmp_path / "no-chart.pdf"
    path.write_bytes(pdf_bytes(sample_doc()))
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = "".join(text.split())
    assert "图表未能生成：未找到Chromium浏览器（/nonexistent/chromium）" in flat
    assert "二、重点领域分布" in flat and "高端装备领域中心最多" in flat


def test_pptx_without_browser_still_renders_with_fallback_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Test that the deck is produced without Chromium, the chart replaced by a sentence."""
    from io import BytesIO

    from pptx import Presentation

    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    deck = Presentation(BytesIO(pptx_bytes(sample_doc())))
    chart_slide = deck.slides[2]
    texts = [s.text_frame.text for s in chart_slide.shapes if s.has_text_frame]
    assert any("图表未能生成" in t for t in texts)
    assert not [s for s in chart_slide.shapes if s.shape_type == 13]
