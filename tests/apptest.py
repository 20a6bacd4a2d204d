"""Opening the app in AppTest the way a user arrives: through dashboard.py, with URL parameters."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from mic_tracker import auth
from mic_tracker.scope import Scope
from tests.conftest import ROOT

APP = str(ROOT / "dashboard.py")


PASSWORD = "测试用的密码-2026"


def signed_in(
    at: AppTest, db_path: Path, role: str = "editor", county: str | None = None
) -> AppTest:
    """The session of someone signed in with this role (the account is made if missing); the
    sign-in form itself is tested in test_signin.py."""
    name = f"测试{role}{county or ''}"
    if auth.current_user(db_path, name) is None:
        auth.add_user(db_path, name, role, county, PASSWORD, "test")
    at.session_state["scope"] = Scope(f"user:{name}", role, county)
    at.session_state["last_seen"] = time.time()
    return at


def open_app(
    db_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    page: str | None = None,
    role: str = "editor",
    scope_county: str | None = None,
    **params: str | list[str],
) -> AppTest:
    """Run dashboard.py on the database, signed in with the role, with the query parameters,
    then switch to the page."""
    monkeypatch.setenv("TRACKER_DB", str(db_path))
    at = signed_in(AppTest.from_file(APP, default_timeout=60), db_path, role, scope_county)
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
