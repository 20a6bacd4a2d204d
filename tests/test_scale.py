"""Correctness at the stress scale (issue 8): on 20,000 demo centers the report's city totals
equal the sums of its per-field and per-county rows, at several dates and with a filter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from mic_tracker import db
from mic_tracker.demo import load_demo
from mic_tracker.report import METRICS, Filters, make_filters, report
from tests.conftest import DEMO_TODAY

STRESS_CENTERS = 20_000


@pytest.fixture(scope="module")
def stress_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("stress") / "stress.duckdb"
    got = load_demo(path, centers=STRESS_CENTERS, seed=2019, today=DEMO_TODAY)
    assert got["centers"] == STRESS_CENTERS
    yield path
    db.close_idle()


@pytest.mark.parametrize("as_of", ["2019-12-31", "2020-12-31", "2023-06-30", "2026-11-26"])
@pytest.mark.parametrize("filtered", [False, True])
def test_stress_totals_equal_the_sums_of_fields_and_counties(
    stress_db: Path, as_of: str, filtered: bool
) -> None:
    filters = make_filters(sectors=["新材料"]) if filtered else Filters()
    with db.connect(stress_db) as con:
        got = report(con, dt.date.fromisoformat(as_of), filters)
    for metric in METRICS:
        total = got["counts"][metric]
        assert total == sum(r[metric] for r in got["by_field"]), metric
        assert total == sum(r[metric] for r in got["by_county"]), metric
    if as_of == "2026-11-26":
        assert got["counts"]["city"] > 1000  # the scale is real, not an empty register
