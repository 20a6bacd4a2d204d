"""Demo data: deterministic, valid, flagged, and with something for every view to show."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from mic_tracker import db
from mic_tracker.demo import generate, load_demo
from mic_tracker.lifecycle import replay
from mic_tracker.policy import load_plan
from mic_tracker.report import report
from tests.conftest import DEMO_TODAY


def test_same_seed_gives_the_same_register() -> None:
    """Test that two generations with one seed are identical and another seed differs."""
    plan = load_plan()
    a = generate(plan, 60, 7, DEMO_TODAY)
    b = generate(plan, 60, 7, DEMO_TODAY)
    c = generate(plan, 60, 8, DEMO_TODAY)
    assert [(x.row, x.events, x.annual) for x in a] == [(x.row, x.events, x.annual) for x in b]
    assert [x.events for x in a] != [x.events for x in c]


def test_every_demo_history_obeys_the_lifecycle_rules() -> None:
    """Test that no generated center has an event its history does not allow, at any scale."""
    plan = load_plan()
    made = generate(plan, 600, 3, DEMO_TODAY)
    assert all(not replay(c.events, plan)[0] for c in made)
    assert all(e.date <= DEMO_TODAY for c in made for e in c.events)
    assert len({c.row["name_key"] for c in made}) == 600


def test_demo_database_is_flagged_and_has_met_missed_and_at_risk_targets(demo_db: Path) -> None:
    """Test that the demo is flagged and its targets show met, missed and at-risk states."""
    with db.connect(demo_db) as con:
        assert db.is_demo(con)
        now = report(con, DEMO_TODAY)
        earlier = [report(con, dt.date(y, 6, 30)) for y in range(2019, 2026)]
    states_now = {t["status"] for t in now["targets"]}
    assert {"met", "missed"} <= states_now
    states_before = {t["status"] for r in earlier for t in r["targets"]}
    assert {"at_risk", "on_track", "off_track"} <= states_before
    assert now["demo"] is True
    empty_fields = [
        f for f in now["by_field"] if not (f["cultivation"] or f["province"] or f["national"])
    ]
    assert empty_fields, "some fields should have no center, so the one-per-field view has content"


def test_demo_scales_with_centers(tmp_path: Path) -> None:
    """Test that --centers N gives N centers with events and consistent report totals."""
    path = tmp_path / "big.duckdb"
    summary = load_demo(path, centers=2000, seed=1, today=DEMO_TODAY)
    assert summary["centers"] == 2000 and summary["events"] > 10_000
    with db.connect(path) as con:
        r = report(con, DEMO_TODAY)
    for metric, total in r["counts"].items():
        assert sum(f[metric] for f in r["by_field"]) == total
        assert sum(c[metric] for c in r["by_county"]) == total


def test_imported_real_data_is_not_flagged_as_demo(messy_db: Path) -> None:
    """Test that a database holding only imported data is not labelled 示例数据."""
    with db.connect(messy_db) as con:
        assert not db.is_demo(con)
