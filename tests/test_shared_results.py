"""Results the pages share across reruns and sessions without a copy (ui.data.shared) stay as
the package computed them, whatever the page does with them."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from mic_tracker import alerts, centers, conditions, db, fields
from mic_tracker.policy import load_plan
from mic_tracker.report import Filters
from mic_tracker.ui import data
from tests.apptest import open_app

AS_OF = dt.date(2022, 6, 30)


def _kept(db_path: Path, ref: str, *args: Any) -> Any:
    """The object the pages were given: a hit in the shared cache (a miss would fail)."""
    with db.connect(db_path) as con:
        version = db.get_meta(con, "data_version") or "0"
    who = ("user:测试editor", "editor", None)
    return data._call_shared(str(db_path), str(version), ref, args, who)


def _fresh(db_path: Path, func: Any, *args: Any) -> Any:
    with db.connect(db_path) as con:
        return func(con, *args)


def _plain(result: Any) -> tuple[list[Any], list[int]]:
    """A narrowing.ByCenter as plain values: its rows and their centers."""
    return list(result.rows), result.center_ids.tolist()


def test_pages_leave_their_shared_results_unchanged(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that after the pages' widgets are used (colours, search, a chosen center, a
    sector) and the briefing is drawn, the shared alert reads, the centers list and the
    fields view equal a fresh computation."""
    at = open_app(messy_db, monkeypatch, "app_pages/alerts.py", as_of=AS_OF.isoformat())
    at.button_group(key="alert_severity").set_value(["green", "red"]).run()
    assert not at.exception
    at = open_app(messy_db, monkeypatch, "app_pages/briefing.py", as_of=AS_OF.isoformat())
    assert not at.exception
    at = open_app(messy_db, monkeypatch, "app_pages/centers.py", as_of=AS_OF.isoformat())
    name = at.dataframe(key="center_table").value["name"].iloc[1]
    at.text_input(key="q").input(name[:4]).run()
    at.selectbox(key="center").select(name).run()
    assert not at.exception
    at = open_app(messy_db, monkeypatch, "app_pages/fields.py", as_of=AS_OF.isoformat())
    at.selectbox(key="fields_sector").select_index(1).run()
    assert not at.exception

    fresh_fields = _fresh(messy_db, fields.field_centers, AS_OF, Filters())
    parts = (
        alerts.deadline_rows_by_center,
        alerts.condition_rows_by_center,
        conditions.field_states_by_center,
    )
    fresh_parts = [_plain(_fresh(messy_db, part, AS_OF, Filters())) for part in parts]
    fresh_list = _fresh(messy_db, centers.center_list, AS_OF, Filters(), ())

    def no_recompute(*_: Any) -> None:
        raise AssertionError("not in the shared cache: the test would compare two fresh results")

    for part in parts:
        monkeypatch.setattr(sys.modules[part.__module__], part.__name__, no_recompute)
    monkeypatch.setattr(centers, "center_list", no_recompute)
    monkeypatch.setattr(fields, "field_centers", no_recompute)
    kept_fields = _kept(messy_db, "mic_tracker.fields:field_centers", AS_OF, Filters())
    kept_parts = [
        _plain(_kept(messy_db, f"{part.__module__}:{part.__name__}", AS_OF, Filters()))
        for part in parts
    ]
    kept_list = _kept(messy_db, "mic_tracker.centers:center_list", AS_OF, Filters(), ())
    assert all(rows for rows, _ in fresh_parts)  # something to spoil
    assert kept_parts == fresh_parts
    pd.testing.assert_frame_equal(kept_list, fresh_list)
    pd.testing.assert_frame_equal(kept_fields, fresh_fields)


def _facts_parts(facts: Any) -> list[Any]:
    """A funding.Facts as plain values: its tables and each numpy column as a list."""
    columns = [{k: v.tolist() for k, v in cols.items()} for cols in (facts.events, facts.annual)]
    return [facts.centers.to_pylist(), *columns, facts.entries.to_pylist()]


def test_funding_page_leaves_the_shared_city_facts_unchanged(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that after 资金 is drawn for the whole city, for a sector and for a level, the
    city-wide facts it narrows in memory equal a fresh reading."""
    from mic_tracker import funding

    at = open_app(messy_db, monkeypatch, "app_pages/funding.py", as_of=AS_OF.isoformat())
    at.multiselect(key="sector").set_value([load_plan().sectors[0]]).run()
    at.multiselect(key="level").set_value(["city"]).run()
    assert not at.exception
    fresh = _fresh(messy_db, funding.load_facts, AS_OF, Filters(), AS_OF.year)
    monkeypatch.setattr(funding, "load_facts", None)  # a miss in the cache would fail
    kept = _kept(messy_db, "mic_tracker.funding:load_facts", AS_OF, Filters(), AS_OF.year)
    assert fresh.events["center_id"].size  # something to spoil
    assert _facts_parts(kept) == _facts_parts(fresh)


def test_overview_leaves_its_shared_reads_unchanged(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that after 总览 is drawn for the whole city and for a sector, in English too (its
    recent changes get their words translated), the city's monthly groups and the recent
    changes it narrows in memory equal fresh readings."""
    from mic_tracker import overview

    at = open_app(messy_db, monkeypatch, "app_pages/overview.py", as_of=AS_OF.isoformat())
    at.multiselect(key="sector").set_value([load_plan().sectors[0]]).run()
    at.segmented_control(key="lang").set_value("en").run()
    assert not at.exception
    start = dt.date(2019, 1, 1)
    fresh_series = _fresh(messy_db, overview.series_groups, Filters(), start, AS_OF)
    fresh_changes = _fresh(messy_db, overview.recent_changes, AS_OF, Filters(), 90)
    monkeypatch.setattr(overview, "series_groups", None)  # a miss in the cache would fail
    monkeypatch.setattr(overview, "recent_changes", None)
    with db.connect(messy_db) as con:
        version = db.get_meta(con, "data_version") or "0"
    kept_series = data._call_shared(
        str(messy_db), str(version), "mic_tracker.overview:series_groups",
        (Filters(), start, AS_OF), None,
    )  # fmt: skip
    kept_changes = _kept(messy_db, "mic_tracker.overview:recent_changes", AS_OF, Filters(), 90)
    assert len(fresh_changes)  # something to spoil
    pd.testing.assert_frame_equal(_sorted(kept_series), _sorted(fresh_series))
    pd.testing.assert_frame_equal(kept_changes, fresh_changes)


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    """The groups in one order: the query orders them by month only."""
    return frame.sort_values(list(frame.columns), na_position="first").reset_index(drop=True)
