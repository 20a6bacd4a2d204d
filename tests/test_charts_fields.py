"""The fields page's figures, built as plain Plotly dicts: valid against plotly's schema, with
the cells, bars and click data (customdata) the page and its drill-down rely on."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest

from mic_tracker.fields import LEVEL_ORDER
from mic_tracker.i18n import set_language
from mic_tracker.policy import load_plan
from mic_tracker.report import METRICS
from mic_tracker.ui.charts_fields import _stage_words, coverage_grid, sector_bars

COUNTS = ("applying", "cultivation", "city", "province", "national", "live")
# Field 序号 -> (level, counts by COUNTS): the rest reach nothing.
REACHED = {
    1: ("national", (0, 2, 2, 1, 1, 2)),
    6: ("city", (0, 1, 1, 0, 0, 1)),
    12: ("cultivation", (0, 3, 0, 0, 0, 3)),
    22: ("applying", (2, 0, 0, 0, 0, 0)),
}


@pytest.fixture
def english() -> Iterator[None]:
    set_language("en")
    yield
    set_language("zh")


def hand_made_coverage() -> pd.DataFrame:
    """coverage()'s shape for the 31 annex fields, with the levels and counts of REACHED."""
    rows = []
    for f in load_plan().fields:
        level, counts = REACHED.get(f.seq, ("none", (0,) * len(COUNTS)))
        rows.append(
            {"seq": f.seq, "sector": f.sector, "field": f.name, "in_scope": True}
            | dict(zip(COUNTS, counts, strict=True))
            | {"level": level}
        )
    return pd.DataFrame(rows)


def trace(spec: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [t for t in spec["data"] if t["type"] == kind]


def test_the_grid_is_valid_plotly_with_a_clickable_cell_per_field_in_annex_rows() -> None:
    """Test that the grid passes plotly's validation, colours each field by its step and puts a
    transparent bar over each cell whose customdata ends with the field's name."""
    plan = load_plan()
    fig = coverage_grid(hand_made_coverage(), plan, METRICS)
    fig.validated()  # raises on any property plotly does not know
    spec = fig.to_dict()
    (heat,) = trace(spec, "heatmap")
    (cells,) = trace(spec, "bar")
    names = [f.name for f in plan.fields]
    assert [c[-1] for c in cells["customdata"]] == names
    assert len(cells["x"]) == len(cells["base"]) == 31
    # Field 1 is the first cell of the first sector's row; field 6 the sixth in that row.
    first = plan.sectors.index(plan.fields[0].sector)
    assert (cells["x"][0], cells["base"][0]) == (0, first - 0.5)
    rank = {key: i for i, key in enumerate(reversed(LEVEL_ORDER))}
    assert heat["z"][first][0] == rank["national"]
    assert heat["z"][first][5] == rank["city"]
    assert "在建中心 2 家" in cells["customdata"][0][0]
    notes = {n["text"].split("</b>")[0]: n for n in spec["layout"]["annotations"]}
    assert "<i>国家级</i>" in notes["<b>1"]["text"] and notes["<b>1"]["font"]["color"] == "white"
    assert "<i>申报中</i>" in notes["<b>22"]["text"] and notes["<b>22"]["font"]["color"] == "#222"
    legend = [t["name"] for t in trace(spec, "scatter")]
    assert legend == [
        "国家级（1个领域）",
        "省级（0个领域）",
        "市级（1个领域）",
        "培育中（1个领域）",
        "申报中（1个领域）",
        "无（27个领域）",
    ]


def test_the_grid_legend_and_cells_follow_the_chosen_levels() -> None:
    """Test that with only 市级 chosen the legend lists 市级 and 未达所选层级, no 申报中."""
    cov = hand_made_coverage()
    cov["level"] = ["city" if s in (1, 6) else "none" for s in cov["seq"]]
    spec = coverage_grid(cov, load_plan(), ("city",)).to_dict()
    assert [t["name"] for t in trace(spec, "scatter")] == [
        "市级（2个领域）",
        "未达所选层级（29个领域）",
    ]


def test_sector_bars_are_valid_plotly_with_each_level_stacked_and_the_sector_as_click_data() -> (
    None
):
    """Test that the bars pass plotly's validation and carry, per chosen level, the titles per
    sector as numbers, the labels as text and the sector as customdata."""
    plan = load_plan()
    totals = pd.DataFrame({"sector": plan.sectors, "city": 0, "national": 0})
    totals.loc[0, ["city", "national"]] = [12, 1]
    fig = sector_bars(totals, plan, ("city", "national"))
    fig.validated()
    spec = fig.to_dict()
    bars = trace(spec, "bar")
    assert [b["name"] for b in bars] == [plan.metrics["city"], plan.metrics["national"]]
    assert bars[0]["x"] == [12] + [0] * (len(plan.sectors) - 1)
    assert bars[0]["text"][:2] == ["12", ""]
    assert bars[1]["customdata"] == list(plan.sectors) == bars[1]["y"]
    assert "dtick" not in spec["layout"]["xaxis"]  # 13 titles in a sector: no step of one
    assert "annotations" not in spec["layout"]


def test_sector_bars_without_titles_say_so_and_count_in_steps_of_one() -> None:
    """Test that all-zero bars get the note that no center holds the chosen levels."""
    plan = load_plan()
    totals = pd.DataFrame({"sector": plan.sectors, "province": 0})
    spec = sector_bars(totals, plan, ("province",)).validated().to_dict()
    assert spec["layout"]["annotations"][0]["text"] == "所选范围内没有持有所选层级称号的中心"
    assert spec["layout"]["xaxis"]["dtick"] == 1


def test_english_figures_are_translated_but_keep_chinese_names_as_click_data(
    english: None,
) -> None:
    """Test that in English the labels are English while customdata keeps the Chinese names
    the filters are made of."""
    plan = load_plan()
    cov = hand_made_coverage()
    grid = coverage_grid(cov, plan, METRICS).to_dict()
    assert trace(grid, "scatter")[0]["name"] == "National (1 field)"
    assert trace(grid, "bar")[0]["customdata"][0][-1] == plan.fields[0].name
    totals = pd.DataFrame({"sector": plan.sectors, "city": 1})
    (bar,) = trace(sector_bars(totals, plan, ("city",)).to_dict(), "bar")
    assert bar["name"] == "City-level center" and bar["customdata"] == list(plan.sectors)


def test_stage_words_translate_each_word_and_leave_chinese_as_it_is(english: None) -> None:
    """Test that the stage and form columns are translated row by row in English, and that in
    Chinese the very frame comes back."""
    frame = pd.DataFrame(
        {"name": ["甲", "乙", "丙"], "stage_label": ["培育中", None, "培育中"], "form": "企业型"}
    )
    shown = _stage_words(frame)
    assert shown["stage_label"].iloc[0] == shown["stage_label"].iloc[2] != "培育中"
    assert pd.isna(shown["stage_label"].iloc[1]) and shown["form"].iloc[0] != "企业型"
    assert list(shown["name"]) == ["甲", "乙", "丙"]
    set_language("zh")
    assert _stage_words(frame) is frame
