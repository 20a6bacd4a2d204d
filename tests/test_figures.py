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


def test_the_overview_chart_is_valid_plotly_and_draws_each_level_its_pace_and_targets() -> None:
    """Test that the plain-dict progress chart passes plotly's validation and holds, per level,
    the line held, the pace line and the target diamonds with their values."""
    import datetime as dt

    import pandas as pd

    from mic_tracker.overview import pace_lines
    from mic_tracker.policy import load_plan
    from mic_tracker.ui.charts import progress_chart

    plan = load_plan()
    history = pd.DataFrame(
        {
            "month_end": pd.to_datetime(["2019-12-31", "2020-01-31"]),
            **{m: [1, 2] for m in ("cultivation", "city", "province", "national")},
        }
    )
    pace = pace_lines(plan, {m: 0 for m in plan.metrics})
    targets = [{"metric": t.metric, "year": t.year, "target": t.target} for t in plan.targets]
    fig = progress_chart(plan, history, pace, targets, ("city",), dt.date(2020, 6, 30))
    checked = fig.validated()
    names = [trace.name for trace in checked.data]
    assert names == ["市级创新中心", "市级创新中心应有进度", "市级创新中心目标"]
    assert list(checked.data[0].y) == [1, 2]
    assert list(checked.data[0].x) == ["2019-12-31", "2020-01-31"]
    city_targets = sorted(t.target for t in plan.targets if t.metric == "city")
    assert sorted(checked.data[2].y) == city_targets
    assert checked.layout.shapes[0].x0 == "2020-06-30"


def test_the_alerts_county_chart_is_valid_plotly_stacked_by_colour_with_the_county_to_click() -> (
    None
):
    """Test that the alerts' county chart passes plotly's validation, stacks one bar trace per
    colour (red, amber, green) and carries each county as the value a click narrows to."""
    import pandas as pd

    from mic_tracker.ui.charts_alerts import county_chart

    table = pd.DataFrame(
        {"county": ["涧西区", "西工区"], "red": [2, 0], "amber": [1, 3], "green": [0, 1]}
    )
    checked = county_chart(table).validated()
    assert [tr.x for tr in checked.data] == [(2, 0), (1, 3), (0, 1)]
    assert checked.data[0].text == ("2", "")
    assert all(list(tr.customdata) == ["涧西区", "西工区"] for tr in checked.data)
    assert checked.layout.barmode == "stack" and checked.layout.yaxis.autorange == "reversed"


def test_the_briefing_chart_is_valid_plotly_with_held_range_and_target_of_the_last_year() -> None:
    """Test that the briefing's chart passes plotly's validation and shows, for the last target
    year, the counts held, the forecast range as a whisker around its middle and the targets."""
    from mic_tracker.briefing_chart import targets_chart

    row = {"year": 2025, "actual": 8, "target": 20, "forecast": [11, 19], "light": "red"}
    fig = {
        "targets": [
            {**row, "metric": "city"},
            {**row, "metric": "national", "actual": 1, "target": 1, "forecast": None},
            {**row, "year": 2020, "metric": "province"},
        ]
    }
    held, ranged, target = targets_chart(fig, "zh").validated().data
    assert list(held.y) == ["市级创新中心", "国家级创新中心"] and list(held.x) == [8, 1]
    assert list(ranged.y) == ["市级创新中心"] and list(ranged.x) == [15.0]
    assert list(ranged.error_x.array) == [4.0]
    assert list(target.x) == [20, 1]


def test_a_figure_is_not_reused_for_another_database_at_the_same_version(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Test that two database files at the same data version never share a built figure
    (version numbers are counters, so another file can be at the same one)."""
    from pathlib import Path

    monkeypatch.setattr(figures, "status", lambda: {"data_version": "7"})
    BUILT.clear()
    monkeypatch.setattr(figures, "database", lambda: Path("/data/a.duckdb"))
    first = figures.figure(_builder, "same")
    monkeypatch.setattr(figures, "database", lambda: Path("/data/b.duckdb"))
    assert figures.figure(_builder, "same") is not first and len(BUILT) == 2
