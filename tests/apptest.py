"""Opening the app in AppTest the way a user arrives: through dashboard.py, with URL parameters."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

APP = str(ROOT / "dashboard.py")


def open_app(
    db_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    page: str | None = None,
    **params: str | list[str],
) -> AppTest:
    """Run dashboard.py on the database with the query parameters, then switch to the page."""
    monkeypatch.setenv("TRACKER_DB", str(db_path))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(params)
    at.run()
    if page is not None:
        at.switch_page(page)
        at.run()
    assert not at.exception, at.exception
    return at


def figures(at: AppTest) -> list[dict[str, Any]]:
    """The Plotly figures the page drew, as dicts."""
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
