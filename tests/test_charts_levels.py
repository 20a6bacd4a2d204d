"""The levels page's figures are plain Plotly dicts (PlainFigure): valid for plotly, with the
counts, labels and drill-down customdata the page shows."""

from __future__ import annotations

from mic_tracker.i18n import set_language
from mic_tracker.levels import Duration, Flow, Stage, stage_labels
from mic_tracker.ui.charts_levels import duration_table, flows_chart, funnel_chart

STAGES = (
    Stage("applying", "申报中", "已申报", 2, 15),
    Stage("cultivation", "培育对象", "培育对象", 12, 13),
    Stage("city", "市级创新中心", "市级创新中心", 11, 12),
)


def test_funnel_is_valid_plotly_with_counts_labels_and_the_stage_to_drill_to() -> None:
    """Test that the held funnel draws each stage's count under its label, carries the stage
    key as customdata, and puts a bar narrower than a fifth of the scale's label outside."""
    fig = funnel_chart(STAGES, "held", "截至2026-11-26所处", 15).validated()
    (trace,) = fig.data
    assert trace.type == "funnel"
    assert list(trace.y) == ["申报中", "培育对象", "市级创新中心"]
    assert list(trace.x) == [2, 12, 11]
    assert list(trace.customdata) == ["applying", "cultivation", "city"]
    assert list(trace.textposition) == ["outside", "inside", "inside"]
    assert list(fig.layout.yaxis.categoryarray) == ["申报中", "培育对象", "市级创新中心"]
    assert fig.layout.xaxis.range == (-15 / 2 * 1.05, 15 / 2 * 1.05)


def test_ever_funnel_names_the_first_stage_applied() -> None:
    """Test that the reached funnel labels applying 已申报 and counts ever reached."""
    fig = funnel_chart(STAGES, "ever", "曾到达", 15).validated()
    assert list(fig.data[0].y) == ["已申报", "培育对象", "市级创新中心"]
    assert list(fig.data[0].x) == [15, 13, 12]


FLOWS = (
    Flow("2019年以前", "cultivation", 0, 0),
    Flow("2019年以前", "city", 0, 0),
    Flow("2019年", "cultivation", 5, 0),
    Flow("2019年", "city", 2, 0),
    Flow("2020年", "cultivation", 5, 1),
    Flow("2020年", "city", 1, 0),
)


def test_flows_draw_entries_up_exits_down_with_the_level_as_customdata() -> None:
    """Test that each level gets a bar of entries, exits only where there are any (drawn
    down, the count first in customdata), and the ticks label exits without the sign."""
    fig = flows_chart(FLOWS, stage_labels(), ("cultivation", "city")).validated()
    names = [trace.name for trace in fig.data]
    assert names == ["培育对象·新列入", "培育对象·取消培育资格", "市级创新中心·新认定"]
    listed, cancelled, city = fig.data
    assert list(listed.x) == ["2019年以前", "2019年", "2020年"]
    assert list(listed.y) == [0, 5, 5]
    assert list(listed.customdata) == ["cultivation"] * 3
    assert list(cancelled.y) == [0, 0, -1]
    assert [list(c) for c in cancelled.customdata] == [
        [0, "cultivation"],
        [0, "cultivation"],
        [1, "cultivation"],
    ]
    assert list(city.y) == [0, 2, 1]
    assert list(fig.layout.yaxis.tickvals) == [-1, 0, 1, 2, 3, 4, 5]
    assert list(fig.layout.yaxis.ticktext) == ["1", "0", "1", "2", "3", "4", "5"]


def test_flows_show_only_the_chosen_level_and_periods_in_english() -> None:
    """Test that a level filter leaves one level's bars, and periods follow the language."""
    set_language("en")
    try:
        fig = flows_chart(FLOWS, stage_labels(), ("city",)).validated()
    finally:
        set_language("zh")
    (trace,) = fig.data
    assert list(trace.x) == ["Before 2019", "2019", "2020"]
    assert list(trace.customdata) == ["city"] * 3


def test_duration_table_writes_a_dash_where_no_pair_exists() -> None:
    """Test that a step without pairs shows — and the others whole days and months."""
    times = [
        Duration(
            "apply_listing", "申报 → 列入市级培育名单", "cultivation", 13, 102.0, 3.4, 63, 166
        ),
        Duration(
            "province_national", "认定为省级 → 认定为国家级", "national", 0, None, None, None, None
        ),
    ]
    table = duration_table(times)
    assert table["样本数 n（对）"].tolist() == [13, 0]
    assert table["中位数（天）"].tolist() == ["102", "—"]
    assert table["约合（月）"].tolist() == ["3.4", "—"]
    assert table["最短（天）"].tolist() == ["63", "—"]
    assert table["最长（天）"].tolist() == ["166", "—"]


def test_flow_ticks_stay_about_six_for_a_register_of_any_size() -> None:
    """Test that the flows axis ticks step 1-2-5 upward without limit: 30,000 entries and
    exits in a year (a province's register) get ticks, not an error."""
    from mic_tracker.ui.charts_levels import _ticks

    assert _ticks(3, 2) == [-2, -1, 0, 1, 2, 3]
    big = _ticks(20_000, 10_000)
    assert big[1] - big[0] == 5_000 and big[0] <= -10_000 and big[-1] >= 20_000
