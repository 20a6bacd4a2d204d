"""City-wide results narrowed to the filters in memory (mic_tracker.narrowing) give what the
same reads give with the filters applied in SQL: the pages (预警, 简报) read once per date and
narrow on each filter change, so the in-memory rule must be the query's."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from mic_tracker import alerts, briefing, conditions, db, forecast, report
from mic_tracker.narrowing import ByCenter, ByDims, center_dims
from mic_tracker.policy import load_plan
from mic_tracker.report import Filters
from mic_tracker.scope import Scope
from tests.conftest import DEMO_TODAY

CITY = Filters()
DATES = (dt.date(2020, 12, 31), dt.date(2023, 6, 30), DEMO_TODAY)


def narrowing_filters(con: Any) -> list[Filters]:
    """A sector, two fields, a county, a form, a mix and a county no center is in, taken from
    the register itself."""
    sector, seq, form, county = con.execute(
        "select f.sector, c.field_seq, c.form, d.current_code from centers c "
        "join fields f on f.seq = c.field_seq join divisions d on d.code = c.division_code "
        "order by c.id limit 1"
    ).fetchone()
    other = con.execute("select max(field_seq) from centers").fetchone()[0]
    return [
        Filters(sectors=(sector,)),
        Filters(fields=(seq, other)),
        Filters(counties=(county,)),
        Filters(forms=(form,)),
        Filters(sectors=(sector,), counties=(county,), forms=(form,)),
        Filters(counties=("000000",)),
    ]


def _first_county(path: Path) -> str:
    with db.connect(path) as con:
        return con.execute(
            "select d.current_code from centers c join divisions d on d.code = c.division_code "
            "order by c.id limit 1"
        ).fetchone()[0]


@pytest.mark.parametrize("register", ["demo_db", "messy_db"])
def test_narrowed_city_totals_equal_the_filtered_reads(
    register: str, request: pytest.FixtureRequest
) -> None:
    """Test that the counts at the report's dates, the forecast's steps and its pool, from the
    city's groups narrowed in memory, equal the same reads with the filters in SQL."""
    plan = load_plan()
    with db.connect(request.getfixturevalue(register)) as con:
        for as_of in DATES:
            dates = report.report_dates(plan, as_of)
            horizons = briefing.horizons(as_of, dt.date(as_of.year, 12, 31))
            counted = report.count_groups(con, dates, CITY)
            history = forecast.step_groups(con, as_of, CITY)
            pool = forecast.pool_rows(con, as_of, CITY)
            narrowed_some = False
            for f in narrowing_filters(con):
                want = report.counts_at(con, dates, f)
                assert report.counts_from(counted.narrowed(f), dates) == want, (as_of, f)
                got_steps = forecast.steps_from(history.narrowed(f))
                assert got_steps == forecast.steps(con, as_of, f), (as_of, f)
                got_pools = forecast.pools_from(pool.narrowed(f), as_of, horizons)
                assert got_pools == forecast.pools_at(con, as_of, f, horizons), (as_of, f)
                narrowed_some |= want != report.counts_at(con, dates, CITY)
            assert narrowed_some  # the filters change the figures


@pytest.mark.parametrize("county_editor", [False, True])
def test_narrowed_alert_reads_equal_the_filtered_reads(demo_db: Path, county_editor: bool) -> None:
    """Test that the deadline and condition alerts and the field check's rows, read for every
    center the person may see and narrowed in memory, equal the reads with the filters in SQL,
    rows and order, for the city and for a county editor."""
    scope = Scope("user:县区", "editor", _first_county(demo_db)) if county_editor else None
    reads = (
        (alerts.deadline_rows_by_center, alerts.deadline_rows),
        (alerts.condition_rows_by_center, alerts.condition_rows),
        (conditions.field_states_by_center, conditions.field_states),
    )
    with db.connect(demo_db, scope=scope) as con:
        dims = center_dims(con)
        for as_of in DATES:
            for by_center, filtered in reads:
                city = by_center(con, as_of, CITY)
                assert list(city.rows) == filtered(con, as_of, CITY)
                for f in narrowing_filters(con):
                    want = filtered(con, as_of, f)
                    assert city.narrowed(dims, f) == want, (by_center.__name__, as_of, f)


def test_a_center_the_dims_do_not_know_is_not_kept(demo_db: Path) -> None:
    """Test that a row about a center outside the person's centers (an id the dims lack) is
    dropped by any filter, and kept without one (nothing is narrowed then)."""
    with db.connect(demo_db) as con:
        dims = center_dims(con)
    rows = ByCenter(["known", "unknown"], np.array([dims.ids[0], dims.ids[0] - 1]))
    some = Filters(forms=(str(dims.form[0]),))
    assert rows.narrowed(dims, some) == ["known"]
    assert rows.narrowed(dims, CITY) == ["known", "unknown"]


def test_groups_without_filter_columns_are_kept_only_without_filters() -> None:
    """Test that a row of no center (a date before any center: null columns) counts only when
    nothing is filtered, and that a date without rows counts zero."""
    empty = {"as_of": DEMO_TODAY, "sector": None, "field_seq": None, "county_code": None}
    groups = ByDims([{**empty, "form": None, **dict.fromkeys(report.COUNTED, 0)}])
    assert groups.narrowed(Filters(sectors=("装备制造",))) == []
    assert len(groups.narrowed(CITY)) == 1
    day = dt.date(2019, 1, 1)
    counts = report.counts_from(groups.narrowed(CITY), [DEMO_TODAY, day])
    assert counts[day] == dict.fromkeys(report.COUNTED, 0)


def test_step_median_spans_the_groups() -> None:
    """Test that a step's median days are taken over every group's days together (an even
    count gives the mean of the middle two, as DuckDB's median), not a median of medians."""
    base = {"entered": 1, "since_start": 1, "converted": 0, "dropped": 0}
    rows = [
        {**base, "metric": "city", "days": [10, 20, 30]},
        {**base, "metric": "city", "days": [100]},
        {**base, "metric": "province", "days": None},
    ]
    steps = forecast.steps_from(rows)
    assert steps["city"].median_days == 25.0
    assert steps["city"].entered == 2
    assert steps["province"].median_days is None


def _shared_city_script() -> None:
    import datetime as dt

    import streamlit as st

    from mic_tracker.alerts import deadline_rows_by_center
    from mic_tracker.errors import ScopeDenied
    from mic_tracker.report import Filters, count_groups
    from mic_tracker.scope import Scope
    from mic_tracker.ui.data import shared_city

    st.session_state["scope"] = Scope("user:县区", "editor", st.session_state["county"])
    dates = (dt.date(2026, 11, 26),)
    first = shared_city(count_groups, dates, Filters())
    again = shared_city(count_groups, dates, Filters())
    st.text(repr((first is again, sum(r["city"] for r in first.rows))))
    try:
        shared_city(deadline_rows_by_center, dates[0], Filters())
    except ScopeDenied:
        st.text("refused")


def test_city_groups_reach_a_county_editor_whole_and_shared_and_records_do_not(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that shared_city hands a county editor the city's count groups (every county's,
    so narrowing them gives the city's figures) as one object on every call, and refuses a
    read of records (deadline alerts name centers)."""
    from streamlit.testing.v1 import AppTest

    with db.connect(demo_db) as con:
        city = report.counts_at(con, [DEMO_TODAY], CITY)[DEMO_TODAY]["city"]
    monkeypatch.setenv("TRACKER_DB", str(demo_db))
    at = AppTest.from_function(_shared_city_script)
    at.session_state["county"] = _first_county(demo_db)
    at.run()
    assert not at.exception
    assert [t.value for t in at.text] == [repr((True, city)), "refused"]


@pytest.mark.parametrize("levels", [("city", "province", "national"), ("cultivation",)])
def test_narrowed_field_centers_give_the_filtered_fields_view(
    demo_db: Path, levels: tuple[str, ...]
) -> None:
    """Test that 领域's view from the date's centers narrowed in memory equals the view read
    with the filters: coverage, empty and crowded fields and the centers, frame for frame."""
    import pandas as pd

    from mic_tracker import fields

    with db.connect(demo_db) as con:
        for as_of in DATES:
            city = fields.field_centers(con, as_of, CITY)
            for f in narrowing_filters(con):
                want = fields.fields_view(con, as_of, f, levels)
                got = fields.view_narrowed(city, f, levels)
                for name, frame in want._asdict().items():
                    # DuckDB gives an empty result's text columns as object, not str: no rows,
                    # nothing shown differs
                    pd.testing.assert_frame_equal(
                        getattr(got, name), frame, check_dtype=not frame.empty, obj=f"{f} {name}"
                    )


def _plain_frame(frame: Any) -> Any:
    return frame.astype(object).where(frame.notna(), None)


def test_narrowed_overview_equals_the_filtered_reads(demo_db: Path) -> None:
    """Test that 总览's target progress, monthly series and recent changes, from the date's
    reads of every center narrowed in memory, equal the reads with the filters in SQL."""
    import pandas as pd

    from mic_tracker import overview

    start = dt.date(2019, 1, 1)
    with db.connect(demo_db) as con:
        dims = center_dims(con)
        for as_of in DATES:
            dates = report.report_dates(load_plan(), as_of)
            city = (
                report.count_groups(con, dates, CITY),
                overview.series_groups(con, CITY, start, as_of),
                overview.recent_changes(con, as_of, CITY, 400),
                dims,
            )
            for f in [CITY, *narrowing_filters(con)]:
                progress, history, changes = overview.view_narrowed(as_of, f, *city)
                assert progress == report.target_progress(con, as_of, f), (as_of, f)
                want = overview.series(con, f, start, as_of)
                pd.testing.assert_frame_equal(history, want, obj=f"{as_of} {f}")
                want = overview.recent_changes(con, as_of, f, 400)
                # values compared, a missing one as None: DuckDB gives a text column with no
                # value (no row, or every `level` null) as object holding None, where the
                # city's rows have str with NaN
                pd.testing.assert_frame_equal(_plain_frame(changes), _plain_frame(want))


@pytest.mark.parametrize("levels", [(), ("city", "province")])
def test_narrowed_center_list_equals_the_filtered_read(
    demo_db: Path, levels: tuple[str, ...]
) -> None:
    """Test that 中心's list from the date's centers narrowed in memory (filters and levels)
    equals center_list read with them."""
    import pandas as pd

    from mic_tracker import centers

    with db.connect(demo_db) as con:
        for as_of in DATES:
            city = centers.center_list(con, as_of, CITY, ())
            for f in [CITY, *narrowing_filters(con)]:
                want = centers.center_list(con, as_of, f, levels)
                got = centers.list_narrowed(city, f, levels)
                assert len(got) < len(city) or not (f.active or levels)
                pd.testing.assert_frame_equal(_plain_frame(got), _plain_frame(want))
