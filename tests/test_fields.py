"""The fields page's data: coverage of the 31 fields, titles by sector, the one-center-per-field
check (四) and a field's centers — on the hand-worked fixture and the demo register."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from mic_tracker import db
from mic_tracker.fields import (
    centers_in_field,
    coverage,
    field_centers,
    fields_view,
    highest_level,
    level_tally,
    one_per_field,
    sector_totals,
)
from mic_tracker.importer import import_files
from mic_tracker.report import METRICS, Filters, report
from tests.conftest import DEMO_TODAY

D4 = dt.date(2020, 12, 31)
D5 = dt.date(2022, 6, 30)
SECOND_BEARING = "洛阳精密轴承创新中心"
BEARING_A = "洛阳高端轴承制造业创新中心"


def levels(cov: pd.DataFrame) -> dict[int, str]:
    """Field 序号 -> level, for the fields that reached anything."""
    return {int(s): lv for s, lv in zip(cov["seq"], cov["level"], strict=True) if lv != "none"}


def import_center(path: Path, tmp_path: Path, name: str, seq: int, events: list[str]) -> None:
    """Import one center of 洛龙区 in field `seq` with events ["事件名", "YYYY-MM-DD", …]."""
    wb = Workbook()
    wb.remove(wb.active)
    centers = wb.create_sheet("中心")
    centers.append(["中心名称", "重点领域", "建设形式", "所在县区"])
    centers.append([name, seq, "企业型", "洛龙区"])
    sheet = wb.create_sheet("事件")
    sheet.append(["中心名称", "事件", "日期"])
    for kind, day in zip(events[::2], events[1::2], strict=True):
        sheet.append([name, kind, day])
    book = tmp_path / f"{name}.xlsx"
    wb.save(book)
    import_files(path, [book])


def add_second_bearing_center(path: Path, tmp_path: Path) -> None:
    """Import a second center in field 6 轴承及基础件 (洛龙区), listed 2020-09-28."""
    import_center(path, tmp_path, SECOND_BEARING, 6, ["列入市级培育名单", "2020-09-28"])


def test_coverage_lists_all_31_fields_with_the_highest_level_reached(messy_db: Path) -> None:
    """Test that the grid data holds the 31 annex fields and each field's hand-worked top level."""
    with db.connect(messy_db) as con:
        cov = coverage(con, D5, Filters())
    assert list(cov["seq"]) == list(range(1, 32))
    assert cov.loc[cov["seq"] == 29, "sector"].item() == "人工智能"
    # EXPECTED.md at D5 = 2022-06-30, by field (center): 5 D national (2018); 3 G (2022-05-18),
    # 6 A (2020-11-25), 9 B (2021-12-16) provincial; 2 C (revoked only 2022-10-20), 8 L (certified
    # on D5 itself), 12 F (provincial list, no provincial title), 16 K, 29 H city; 1 O, 11 N, 25 M
    # listed but certified later → cultivation; 22 I applied 2020-10-19, never listed → applying.
    # 10 E was cancelled (its application is older than the cancellation), 17 P applies only
    # 2022-08-15, 31 J in 2025 → none, like the 15 fields without any center.
    assert levels(cov) == {
        1: "cultivation",
        2: "city",
        3: "province",
        5: "national",
        6: "province",
        8: "city",
        9: "province",
        11: "cultivation",
        12: "city",
        16: "city",
        22: "applying",
        25: "cultivation",
        29: "city",
    }
    assert level_tally(cov) == {
        "national": 1,
        "province": 3,
        "city": 5,
        "cultivation": 3,
        "applying": 1,
        "none": 18,
    }
    # A in field 6 holds cultivation, city and province at once: one live center.
    a = cov[cov["seq"] == 6].iloc[0]
    assert (a["cultivation"], a["city"], a["province"], a["national"], a["live"]) == (1, 1, 1, 0, 1)


def test_level_filter_colours_fields_only_by_the_chosen_levels(messy_db: Path) -> None:
    """Test that with only 省级 chosen, a field's level is 省级 or none (national D is none)."""
    with db.connect(messy_db) as con:
        cov = coverage(con, D5, Filters(), ("province",))
    # Provincial titles at D5: A (6), B (9), G (3). D's national title is not a chosen level.
    assert levels(cov) == {3: "province", 6: "province", 9: "province"}


@pytest.mark.parametrize(
    ("metrics", "expected"),
    [
        (METRICS, "applying"),
        (("cultivation",), "applying"),
        (("city", "province"), "none"),
    ],
    ids=["all-levels", "cultivation-chosen", "cultivation-not-chosen"],
)
def test_applying_shows_only_when_cultivation_is_chosen(
    metrics: tuple[str, ...], expected: str
) -> None:
    """Test that 申报中 is the step below cultivation and hidden when cultivation is filtered out."""
    row = pd.Series({"applying": 1, "cultivation": 0, "city": 0, "province": 0, "national": 0})
    assert highest_level(row, metrics) == expected


def test_sector_totals_are_titles_held_per_sector(messy_db: Path) -> None:
    """Test that the stacked bars' numbers are the hand-worked titles per sector at D5."""
    with db.connect(messy_db) as con:
        totals = sector_totals(coverage(con, D5, Filters())).set_index("sector")
    assert len(totals) == 10
    # 先进装备制造业: cultivation O, C, G, A; city C, G, A; province G, A; national D.
    assert totals.loc["先进装备制造业"].to_dict() == {
        "cultivation": 4,
        "city": 3,
        "province": 2,
        "national": 1,
    }
    # 新材料: cultivation L, B, N (E cancelled); city L, B; province B.
    assert totals.loc["新材料"].to_dict() == {
        "cultivation": 3,
        "city": 2,
        "province": 1,
        "national": 0,
    }
    # 新能源: only I, applying — no title.
    assert totals.loc["新能源"].sum() == 0
    # Column sums are the city-wide counts of EXPECTED.md at D5: 11 / 8 / 3 / 1.
    assert totals.sum().to_dict() == {"cultivation": 11, "city": 8, "province": 3, "national": 1}


def test_sector_totals_keep_only_the_chosen_levels(messy_db: Path) -> None:
    """Test that a level filter leaves only the chosen metrics in the sector totals."""
    with db.connect(messy_db) as con:
        totals = sector_totals(coverage(con, D5, Filters()), ("city",))
    assert list(totals.columns) == ["sector", "city"]
    assert totals["city"].sum() == 8


def test_one_per_field_lists_fields_without_a_live_center(messy_db: Path) -> None:
    """Test that the fixture, one center per field, has no crowded field and 19 empty ones."""
    with db.connect(messy_db) as con:
        empty, crowded = one_per_field(con, D5, Filters())
    assert crowded.empty
    # 12 fields have a live center at D5 (1, 2, 3, 5, 6, 8, 9, 11, 12, 16, 25, 29); the other 19
    # have none — 22 among them, where I only applies (shown with 1 applying).
    assert list(empty["seq"]) == [
        4,
        7,
        10,
        13,
        14,
        15,
        17,
        18,
        19,
        20,
        21,
        22,
        23,
        24,
        26,
        27,
        28,
        30,
        31,
    ]
    assert empty.set_index("seq").loc[22, "applying"] == 1
    assert empty["applying"].sum() == 1


def test_second_live_center_in_a_field_is_flagged_with_both_names(
    messy_db: Path, tmp_path: Path
) -> None:
    """Test that a second listed center in 轴承及基础件 makes the field crowded from its listing."""
    add_second_bearing_center(messy_db, tmp_path)
    with db.connect(messy_db) as con:
        _, before = one_per_field(con, dt.date(2020, 6, 30), Filters())
        _, after = one_per_field(con, D4, Filters())
        _, in_jianxi = one_per_field(con, D4, Filters(counties=("410305",)))
    # 2020-06-30: the second center is not listed yet (2020-09-28); A is alone in field 6.
    assert before.empty
    # 2020-12-31: A (cultivation, city, province) and the new center (cultivation) are both live;
    # one row per center, by name (精 U+7CBE sorts before 高 U+9AD8).
    assert after.to_dict("records") == [
        {
            "seq": 6,
            "sector": "先进装备制造业",
            "field": "轴承及基础件",
            "live": 2,
            "name": SECOND_BEARING,
            "county": "洛龙区",
            "stage_label": "培育中",
        },
        {
            "seq": 6,
            "sector": "先进装备制造业",
            "field": "轴承及基础件",
            "live": 2,
            "name": BEARING_A,
            "county": "涧西区",
            "stage_label": "省级创新中心",
        },
    ]
    # Narrowed to 涧西区 only A counts: the new center is in 洛龙区.
    assert in_jianxi.empty


def test_centers_in_field_shows_only_centers_on_record_by_the_date(
    messy_db: Path, tmp_path: Path
) -> None:
    """Test that the drill-down leaves out a center whose first event is after the date."""
    add_second_bearing_center(messy_db, tmp_path)
    with db.connect(messy_db) as con:
        early = centers_in_field(con, dt.date(2020, 6, 30), Filters(), 6)
        late = centers_in_field(con, D4, Filters(), 6)
        luolong = centers_in_field(con, D4, Filters(counties=("410311",)), 6)
    assert list(early["name"]) == [BEARING_A]
    assert early["stage_label"].item() == "市级创新中心"  # A city 2019-12-10, province 2020-11-25
    assert list(late["name"]) == [SECOND_BEARING, BEARING_A]
    assert list(late["stage_label"]) == ["培育中", "省级创新中心"]
    assert list(late["county"]) == ["洛龙区", "涧西区"]
    assert late["listed_on"].iloc[0] == pd.Timestamp("2020-09-28")
    assert pd.isna(late["city_on"].iloc[0])
    assert list(luolong["name"]) == [SECOND_BEARING]


def test_sector_filter_keeps_31_fields_but_narrows_the_check(messy_db: Path) -> None:
    """Test that 新材料 leaves every field in the grid and checks only fields 8–11."""
    f = Filters(sectors=("新材料",))
    with db.connect(messy_db) as con:
        cov = coverage(con, D4, f)
        empty, crowded = one_per_field(con, D4, f)
    assert len(cov) == 31
    assert list(cov.loc[cov["in_scope"], "seq"]) == [8, 9, 10, 11]
    # EXPECTED.md 新材料 at 2020-12-31: B (9) city, N (11) cultivation, E (10) cancelled, L (8)
    # not yet applied (2021). Fields outside the sector count nothing: D's field 5 is none here.
    assert levels(cov) == {9: "city", 11: "cultivation"}
    assert list(empty["seq"]) == [8, 10]
    assert crowded.empty


def test_demo_coverage_agrees_with_the_report(demo_db: Path) -> None:
    """Test that per-field and total counts equal report()'s by_field and counts on demo data."""
    with db.connect(demo_db) as con:
        cov = coverage(con, DEMO_TODAY, Filters())
        data = report(con, DEMO_TODAY)
        centers = field_centers(con, DEMO_TODAY, Filters())
        empty, crowded = one_per_field(con, DEMO_TODAY, Filters())
    by_field = pd.DataFrame(data["by_field"])
    pd.testing.assert_frame_equal(
        cov[["seq", *METRICS]].astype(int),
        by_field[["seq", *METRICS]].astype(int),
    )
    assert sector_totals(cov).drop(columns="sector").sum().to_dict() == data["counts"]
    live = centers[centers["live"]].groupby("seq").size()
    assert cov.set_index("seq")["live"][lambda s: s > 0].to_dict() == live.to_dict()
    assert len(empty) + int((cov["live"] > 0).sum()) == 31
    assert crowded.groupby("seq").size().to_dict() == live[live > 1].to_dict()
    assert (crowded.groupby("seq")["live"].first() == live[live > 1]).all()


def test_a_center_without_events_is_listed_in_its_field_as_registered(
    messy_db: Path, tmp_path: Path
) -> None:
    """Test that the drill-down keeps a center that has no event at all, at any date, while a
    center whose only event is later stays out until that day."""
    import_center(messy_db, tmp_path, "洛阳无事件创新中心", 6, [])
    import_center(messy_db, tmp_path, "洛阳后申报创新中心", 6, ["申报", "2021-03-01"])
    with db.connect(messy_db) as con:
        early = centers_in_field(con, D4, Filters(), 6)
        later = centers_in_field(con, D5, Filters(), 6)
    assert dict(zip(early["name"], early["stage"], strict=True)) == {
        "洛阳无事件创新中心": "registered",
        BEARING_A: "province",
    }
    assert set(later["name"]) == {"洛阳无事件创新中心", "洛阳后申报创新中心", BEARING_A}


@pytest.mark.parametrize(
    "metrics",
    [METRICS, ("cultivation",), ("city", "province"), ("national",), ()],
    ids=["all", "cultivation", "city-province", "national", "none"],
)
def test_each_fields_level_is_the_highest_level_of_its_counts(
    demo_db: Path, metrics: tuple[str, ...]
) -> None:
    """Test that the grid's levels, worked out for all fields at once, are highest_level's."""
    with db.connect(demo_db) as con:
        cov = coverage(con, DEMO_TODAY, Filters(), metrics)
    assert list(cov["level"]) == [highest_level(row, metrics) for _, row in cov.iterrows()]
    assert set(cov["level"]) != {"none"} or metrics == ()


def test_fields_view_is_coverage_the_check_and_each_fields_centers_from_one_query(
    messy_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that the page's single call returns what coverage, one_per_field and
    centers_in_field return, with a crowded field among them, and reads the register once."""
    add_second_bearing_center(messy_db, tmp_path)
    f = Filters(sectors=("先进装备制造业",), counties=("410305", "410311"))
    with db.connect(messy_db) as con:
        cov = coverage(con, D4, f, ("city",))
        empty, crowded = one_per_field(con, D4, f)
        in_field = {seq: centers_in_field(con, D4, f, seq) for seq in range(1, 8)}
        ran: list[str] = []
        run = db.run
        monkeypatch.setattr(db, "run", lambda con, q, /, **p: ran.append(q) or run(con, q, **p))
        view = fields_view(con, D4, f, ("city",))
    assert ran == ["fields_centers"]
    pd.testing.assert_frame_equal(view.coverage, cov)
    pd.testing.assert_frame_equal(view.empty, empty)
    pd.testing.assert_frame_equal(view.crowded, crowded)
    for seq, centers in in_field.items():
        # An empty result from DuckDB has object columns, the slice keeps the frame's types.
        pd.testing.assert_frame_equal(view.in_field(seq), centers, check_dtype=not centers.empty)
    assert {seq for seq, centers in in_field.items() if not centers.empty} == {2, 6}
    assert list(crowded["name"]) == [SECOND_BEARING, BEARING_A]
    assert list(view.in_field(6)["name"]) == [SECOND_BEARING, BEARING_A]
    assert view.in_field(6)["stage_label"].tolist() == ["培育中", "省级创新中心"]
