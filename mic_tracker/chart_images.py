"""Plotly figures as PNG images for the PDF and PPTX exports, drawn by kaleido in Debian's Chromium.

Kaleido v1 drives a headless Chrome through `choreographer`. We never let it download one (the
servers have no internet): it is given the path of the system browser, /usr/bin/chromium from
scripts/system-deps.sh, or the browser named by BROWSER_PATH — the variable kaleido itself honours.
MathJax is switched off because kaleido would otherwise load it from a CDN; plotly.js comes from
the installed plotly package.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import plotly.graph_objects as go

from mic_tracker.errors import TrackerError

DEFAULT_BROWSER = "/usr/bin/chromium"
# The family Chromium finds through fontconfig in Debian's fonts-noto-cjk; without it Chinese
# labels in the images come out as empty boxes.
CJK_FONT = "Noto Sans CJK SC"
TIMEOUT_SECONDS = 60


class ChartError(TrackerError):
    """A chart could not be drawn as an image (no browser, or the browser failed)."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"无法绘制图表：{detail}")
        self.detail = detail  # without the prefix, for the line an export prints instead


def browser_path() -> str:
    return os.environ.get("BROWSER_PATH") or DEFAULT_BROWSER


def png_bytes(fig: Any, width: int, height: int, scale: float = 2.0) -> bytes:
    """One figure as a PNG of width × height CSS pixels (× scale for print sharpness)."""
    return png_images([fig], width, height, scale)[0]


def png_images(figs: Sequence[Any], width: int, height: int, scale: float = 2.0) -> list[bytes]:
    """Several figures drawn in one browser session (starting Chromium is the slow part)."""
    path = browser_path()
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise ChartError(
            f"未找到 Chromium 浏览器（{path}）。"
            "请运行 scripts/system-deps.sh 安装 chromium，或用环境变量 BROWSER_PATH 指定浏览器。"
        )
    opts = {"format": "png", "width": width, "height": height, "scale": scale}
    prepared = [_with_cjk_font(f) for f in figs]
    # A thread of its own: asyncio.run refuses to start inside a running loop (Streamlit's).
    with ThreadPoolExecutor(max_workers=1) as pool:
        future = pool.submit(asyncio.run, _render(prepared, opts, path))
        try:
            return future.result()
        except Exception as exc:  # whatever the browser did, the export goes on without images
            raise ChartError(
                f"Chromium 浏览器（{path}）未能生成图片（{type(exc).__name__}）。"
            ) from exc


def _with_cjk_font(fig: Any) -> go.Figure:
    # A copy, never the caller's figure (the page shows it too); to_dict also takes a PlainFigure.
    copy = go.Figure(fig.to_dict())
    family = copy.layout.font.family
    copy.update_layout(font_family=f"{CJK_FONT}, {family}" if family else CJK_FONT)
    return copy


async def _render(figs: list[go.Figure], opts: dict[str, Any], path: str) -> list[bytes]:
    import kaleido  # imported late: it pulls in choreographer, which the app rarely needs

    async with kaleido.Kaleido(path=path, mathjax=False, timeout=TIMEOUT_SECONDS) as k:
        return [await k.calc_fig(f, opts=opts) for f in figs]


def images_or_reason(
    figs: Sequence[Any], width: int, height: int, scale: float = 2.0
) -> tuple[list[bytes | None], str]:
    """For the exports: the images, or Nones and the reason, so a document is never lost to a chart."""
    if not figs:
        return [], ""
    try:
        return list(png_images(figs, width, height, scale)), ""
    except ChartError as exc:
        return [None] * len(figs), exc.detail
