"""Figures are built once per data version, language and arguments (mic_tracker.ui.figures)."""

from __future__ import annotations

from typing import Any

import pytest

from mic_tracker.i18n import set_language
from mic_tracker.ui import figures

BUILT: list[tuple[Any, ...]] = []


def _builder(*args: Any) -> dict[str, Any]:
    BUILT.append(args)
    return {"args": args}


def test_a_figure_is_reused_until_the_data_the_language_or_the_arguments_change(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    version = {"data_version": "1"}
    monkeypatch.setattr(figures, "status", lambda: version)
    BUILT.clear()
    first = figures.figure(_builder, "a", 1)
    assert figures.figure(_builder, "a", 1) is first and len(BUILT) == 1
    figures.figure(_builder, "b", 1)
    assert len(BUILT) == 2
    version["data_version"] = "2"
    assert figures.figure(_builder, "a", 1) is not first and len(BUILT) == 3
    set_language("en")
    try:
        figures.figure(_builder, "a", 1)
    finally:
        set_language("zh")
    assert len(BUILT) == 4
