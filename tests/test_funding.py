"""City funding (POLICY.md §6): each rule on a small register built here, worked by hand; the
fixture register's rows worked from tests/fixtures/EXPECTED.md and make_fixture.py; consistency
on the demo register; hand-entered amounts and their audit rows.

Plan figures used in the reasoning (data/policy/luoyang-2019-13.toml): F1 50 a year; F2 20 % of
the prior year's non-fiscal R&D, at most 500, for 3 years; F3 1:1; F4 100 (province) and 300
(national); applies from 2019-01-01; valid until 2024-03-13.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from openpyxl import Workbook

from mic_tracker import db
from mic_tracker.errors import UnknownName
from mic_tracker.funding import (
    ManualEntryError,
    forecast,
    funding,
    record_manual,
)
from mic_tracker.funding_tables import by_group, by_year
from mic_tracker.importer import import_files
from mic_tracker.report import Filters, make_filters
from tests.conftest import DEMO_TODAY
from tests.test_narrowing import narrowing_filters

ALL = Filters()
END = dt.date(2026, 11, 26)

C1, C2, C3, C4, C5 = "一号创新中心", "二号创新中心", "三号创新中心", "四号创新中心", "五号创新中心"
C6, C7, C8, C9, C10 = "六号创新中心", "七号创新中心", "八号创新中心", "九号创新中心", "十号创新中心"

# 中心: name, field 序号, county, form, legal-entity type.
CENTERS = [
    [C1, 1, "涧西区", "企业型", "企业法人"],
    [C2, 2, "涧西区", "企业型", "企业法人"],
    [C3, 3, "西工区", "企业型", "企业法人"],
    [C4, 4, "西工区", "企业型", "企业法人"],
    [C5, 5, "洛龙区", "院所型", "事业单位"],
    [C6, 6, "洛龙区", "企业型", "企业法人"],
    [C7, 7, "高新区", "企业型", "企业法人"],
    [C8, 8, "高新区", "企业型", "企业法人"],
    [C9, 9, "伊川县", "企业型", "企业法人"],
    [C10, 10, "伊川县", "企业型", "企业法人"],
]
L, R, CITY, PROV, NAT = (
    "列入市级培育名单",
    "完成法人注册",
    "认定为市级",
    "认定为省级",
    "认定为国家级",
)
PL, EV, RE = "列入省级培育名单", "年度评价", "整改评价"
# 事件: name, event, date, level, eval year, result.
EVENTS: list[list[Any]] = [
    # C1: entity registered mid-cultivation; certified 2021; F2 at the cap, below it, pending.
    [C1, L, "2019-06-10"],
    [C1, R, "2020-05-15"],
    [C1, CITY, "2021-03-20"],
    [C1, EV, "2022-03-25", None, 2021, "合格"],
    [C1, EV, "2023-03-25", None, 2022, "合格"],
    [C1, EV, "2024-03-25", None, 2023, "合格"],
    # C2: cultivation cancelled 2021-05-01.
    [C2, L, "2019-06-10"],
    [C2, R, "2019-08-01"],
    [C2, "取消培育资格", "2021-05-01"],
    # C3: 2019 failed then rectified; 2021 failed twice → revoked.
    [C3, L, "2019-06-10"],
    [C3, R, "2019-07-01"],
    [C3, CITY, "2019-11-15"],
    [C3, EV, "2020-03-20", None, 2019, "不合格"],
    [C3, RE, "2020-09-10", None, None, "合格"],
    [C3, EV, "2021-03-20", None, 2020, "合格"],
    [C3, EV, "2022-03-20", None, 2021, "不合格"],
    [C3, RE, "2022-09-15", None, None, "不合格"],
    [C3, "撤销称号", "2022-10-10", "市级"],
    # C4: enterprise on the provincial list from 2020: F3 against F1.
    [C4, L, "2019-06-10"],
    [C4, R, "2019-07-01"],
    [C4, PL, "2020-04-01"],
    # C5: the same, but a 事业单位: no F3.
    [C5, L, "2019-06-10"],
    [C5, R, "2019-07-01"],
    [C5, PL, "2020-04-01"],
    # C6: city 2019, province 2021, national on the last day of validity.
    [C6, L, "2019-06-10"],
    [C6, R, "2019-07-01"],
    [C6, CITY, "2019-12-01"],
    [C6, PROV, "2021-05-10"],
    [C6, NAT, "2024-03-13"],
    # C7: national 2018 (before the plan), province one day after validity.
    [C7, NAT, "2018-08-20"],
    [C7, PROV, "2024-03-14"],
    # C8: provincial list and entity in 2018 only.
    [C8, R, "2018-05-01"],
    [C8, PL, "2018-10-01"],
    # C9: listed 2023: F1 runs past the validity end.
    [C9, L, "2023-06-01"],
    [C9, R, "2023-07-01"],
    # C10: certified 2023, never any R&D figure.
    [C10, L, "2021-06-01"],
    [C10, R, "2021-07-01"],
    [C10, CITY, "2023-05-01"],
]
# 年度数据: name, year, non-fiscal R&D, provincial grant (万元).
ANNUAL = [
    [C1, 2021, 3000, None],
    [C1, 2022, 1000, None],
    [C3, 2019, 400, None],
    [C3, 2021, 500, None],
    [C4, 2020, None, 30],
    [C4, 2021, None, 300],
    [C4, 2022, None, 50],
    [C5, 2021, None, 300],
    [C8, 2019, None, 200],
]


def write_book(path: Path) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    sheets = {
        "中心": [["中心名称", "重点领域", "所在县区", "建设形式", "法人单位类型"], *CENTERS],
        "事件": [["中心名称", "事件", "日期", "层级", "年度", "结果"], *EVENTS],
        "年度数据": [["中心名称", "年度", "非财政研发经费支出", "省级补助资金"], *ANNUAL],
    }
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


@pytest.fixture
def small_db(tmp_path: Path) -> Path:
    path = tmp_path / "funding.duckdb"
    import_files(path, [write_book(tmp_path / "funding.xlsx")])
    return path


def run(path: Path, as_of: dt.date = END, filters: Filters = ALL, **kw: Any) -> list[dict]:
    with db.connect(path) as con:
        return funding(con, as_of, filters, **kw)


def of(rows: list[dict], center: str) -> dict[int, dict]:
    return {r["year"]: r for r in rows if r["center"] == center}


def amounts(row: dict) -> tuple[Any, ...]:
    return (row["F1"], row["F2"], row["F3"], row["F4"], row["city_pays"], row["basis"])


# ---------------------------------------------------------------------------- F1


def test_f1_starts_with_the_entity_and_ends_after_the_certification_year(small_db: Path) -> None:
    """Test that F1 is paid from the entity's year through the certification year only."""
    # C1: listed 2019-06-10 but entity 2020-05-15 → no F1 for 2019; 2020 yes; certified
    # 2021-03-20, not before 2021-01-01 → 2021 yes; 2022 certified before → no F1.
    got = of(run(small_db), C1)
    assert got[2020]["F1"] == 50
    assert got[2021]["F1"] == 50
    assert 2019 not in got
    assert got[2022]["F1"] == 0


def test_f1_stops_the_year_after_a_cancellation(small_db: Path) -> None:
    """Test that a center cancelled in 2021 gets F1 for 2019–2021 and nothing after."""
    # C2: entity 2019-08-01, cancelled 2021-05-01 (not before 2021-01-01).
    got = of(run(small_db), C2)
    assert sorted(got) == [2019, 2020, 2021]
    assert all(amounts(r) == (50, 0, 0, 0, 50, "F1+F2") for r in got.values())


def test_f1_of_an_overdue_center_is_paid_with_a_note(small_db: Path) -> None:
    """Test that F1 goes on past the 2-year period as §6 reads, with a note saying it ended."""
    # C4: listed 2019-06-10, period ends 2021-06-10 (a Thursday); never certified or cancelled.
    got = of(run(small_db), C4)
    assert got[2021]["F1"] == 50 and not got[2021]["notes"]
    assert got[2022]["F1"] == 50
    assert any("培育期已于2021-06-10届满" in n for n in got[2022]["notes"])


# ---------------------------------------------------------------------------- F2


def test_f2_is_capped_at_500_and_is_20_percent_below_the_cap(small_db: Path) -> None:
    """Test that F2 is min(20 % × prior R&D, 500) in the three years after certification."""
    # C1 certified 2021 → F2 years 2022, 2023, 2024.
    # 2022: R&D 2021 = 3000 → 600 > 500 → 500 (evaluation 2021 passed).
    # 2023: R&D 2022 = 1000 → 200 (evaluation 2022 passed).
    got = of(run(small_db), C1)
    assert amounts(got[2022]) == (0, 500, 0, 0, 500, "F1+F2")
    assert amounts(got[2023]) == (0, 200, 0, 0, 200, "F1+F2")
    assert got[2023]["pending"] == []


def test_f2_without_the_prior_years_rd_is_pending(small_db: Path) -> None:
    """Test that unknown R&D makes the year pending, counted 0, and names the missing figure."""
    # C1 2024: evaluation 2023 passed, R&D 2023 not reported. 2025 is past the three years.
    got = of(run(small_db), C1)
    assert got[2024]["F2"] == 0 and got[2024]["city_pays"] == 0
    assert got[2024]["pending"] == ["rd_nonfiscal:2023"]
    assert got[2024]["pending_text"] == ["2023年度非财政研发经费支出未填报"]
    assert 2025 not in got
    # C10 certified 2023: 2024–2026 pending for both R&D and evaluation.
    c10 = of(run(small_db), C10)
    assert c10[2024]["pending"] == ["rd_nonfiscal:2023", "evaluation:2023"]
    assert sorted(y for y, r in c10.items() if r["pending"]) == [2024, 2025, 2026]


def test_failed_evaluation_pays_nothing_unless_rectified(small_db: Path) -> None:
    """Test that 不合格 + 整改合格 pays, 不合格 + 整改不合格 pays 0, and a revoked title stops F2."""
    # C3 certified 2019-11-15 → F2 years 2020–2022; F1 2019 only.
    # 2020: evaluation 2019 不合格, 整改评价 合格 2020-09-10 → paid: 20 % × 400 = 80.
    # 2021: evaluation 2020 合格, R&D 2020 missing → pending.
    # 2022: evaluation 2021 不合格, 整改 不合格 → 0 (would be 100): no amount, no pending, no row.
    got = of(run(small_db), C3)
    assert amounts(got[2019]) == (50, 0, 0, 0, 50, "F1+F2")
    assert amounts(got[2020]) == (0, 80, 0, 0, 80, "F1+F2")
    assert any("整改后合格" in n for n in got[2020]["notes"])
    assert got[2021]["pending"] == ["rd_nonfiscal:2020"]
    assert sorted(got) == [2019, 2020, 2021]


def test_rectification_not_yet_evaluated_is_pending(small_db: Path) -> None:
    """Test that between a failed evaluation and its rectification result F2 is pending."""
    # As of 2020-06-30 C3 failed 2019 (2020-03-20); the rectification result is 2020-09-10.
    got = of(run(small_db, dt.date(2020, 6, 30)), C3)
    assert got[2020]["pending"] == ["rectification:2019"]
    assert "合格则补助80万元" in got[2020]["pending_text"][0]


# ---------------------------------------------------------------------------- F3


def test_f3_and_f1_plus_f2_are_not_added_the_higher_applies(small_db: Path) -> None:
    """Test that the city pays max(F1 + F2, F3): F1 wins at 30, F3 at 300, a tie is F1+F2."""
    # C4: enterprise, provincial list 2020-04-01; F1 50 each year 2019–2022.
    got = of(run(small_db), C4)
    assert amounts(got[2019]) == (50, 0, 0, 0, 50, "F1+F2")
    assert amounts(got[2020]) == (50, 0, 30, 0, 50, "F1+F2")
    assert amounts(got[2021]) == (50, 0, 300, 0, 300, "F3")
    assert amounts(got[2022]) == (50, 0, 50, 0, 50, "F1+F2")


def test_f3_needs_an_enterprise_on_the_provincial_list(small_db: Path) -> None:
    """Test that a 事业单位 on the provincial list gets no matching for its provincial grant."""
    got = of(run(small_db), C5)
    assert amounts(got[2021]) == (50, 0, 0, 0, 50, "F1+F2")


# ---------------------------------------------------------------------------- F4, dates


def test_f4_is_paid_in_the_certification_years(small_db: Path) -> None:
    """Test that province 2021 gives 100 in 2021 and national 2024-03-13 gives 300 in 2024."""
    # C6 certified by the city 2019 (F1 2019; F2 2020–2022 pending: no data), province
    # 2021-05-10, national on the validity end itself (not after it).
    got = of(run(small_db), C6)
    assert amounts(got[2021]) == (0, 0, 0, 100, 100, "F1+F2")
    assert amounts(got[2024]) == (0, 0, 0, 300, 300, "F1+F2")
    assert got[2024]["beyond_validity"] is False
    assert sorted(got) == [2019, 2020, 2021, 2022, 2024]


def test_titles_and_listings_before_2019_earn_nothing(small_db: Path) -> None:
    """Test that a 2018 national title and a 2018 provincial list earn no F4, F3 or F1."""
    rows = run(small_db)
    # C7: national 2018-08-20 → no 300 anywhere; its 2024 row is the provincial reward only.
    assert {y: amounts(r) for y, r in of(rows, C7).items()} == {2024: (0, 0, 0, 100, 100, "F1+F2")}
    # C8: entity and provincial list in 2018 only, grant 200 in 2019 → nothing.
    assert of(rows, C8) == {}


def test_amounts_after_the_validity_end_are_marked(small_db: Path) -> None:
    """Test that F4 after 2024-03-13 and yearly grants from 2025 are computed and marked."""
    rows = run(small_db)
    c7 = of(rows, C7)[2024]  # province 2024-03-14, one day after the end
    assert c7["beyond_validity"] is True and c7["beyond_parts"] == ["F4"]
    c9 = of(rows, C9)  # listed 2023-06-01, entity 2023-07-01
    assert [(y, r["F1"], r["beyond_validity"]) for y, r in sorted(c9.items())] == [
        (2023, 50, False),
        (2024, 50, False),
        (2025, 50, True),
        (2026, 50, True),
    ]


def test_as_of_uses_only_what_was_known_then(small_db: Path) -> None:
    """Test that a past as-of date leaves out later events and years after it."""
    # As of 2022-02-01 C1's 2021 evaluation (2022-03-25) is unknown: 2022 pending evaluation,
    # with R&D 2021 known (3000 → 500 if passed).
    rows = run(small_db, dt.date(2022, 2, 1))
    got = of(rows, C1)
    assert sorted(got) == [2020, 2021, 2022]
    assert got[2022]["pending"] == ["evaluation:2021"]
    assert got[2022]["pending_text"] == ["2021年度评价结果未记录；合格则补助500万元"]
    # Nothing dated after 2022-02-01: C6's national title, C9, C10's certification.
    assert of(rows, C9) == {} and 2024 not in of(rows, C6)
    assert max(r["year"] for r in rows) == 2022


def test_year_argument_gives_that_year_only_and_filters_narrow(small_db: Path) -> None:
    """Test that year=2021 lists 2021 rows only and a county filter keeps its centers only."""
    rows = run(small_db, year=2021)
    # 2021: C1 F1, C2 F1, C3 pending, C4 F3, C5 F1, C6 F4, C10 F1 (listed 2021, entity 2021).
    assert [(r["center"], r["city_pays"]) for r in rows] == [
        (C1, 50),
        (C2, 50),
        (C3, 0),
        (C4, 300),
        (C5, 50),
        (C6, 100),
        (C10, 50),
    ]
    west = run(small_db, year=2021, filters=make_filters(counties=["西工区"]))
    assert [r["center"] for r in west] == [C3, C4]


def test_rows_keep_the_cli_keys_and_json_numbers(small_db: Path) -> None:
    """Test that every row has the CLI keys, amounts as JSON numbers and a consistent payout."""
    keys = {"center", "year", "F1", "F2", "F3", "F4", "city_pays", "basis", "pending"}
    for row in run(small_db):
        assert keys | {"beyond_validity"} <= row.keys()
        json.dumps(row, ensure_ascii=False)  # no Decimal, no date: plain JSON
        assert all(isinstance(row[k], int | float) for k in ("F1", "F2", "F3", "F4"))
        assert row["city_pays"] == max(row["F1"] + row["F2"], row["F3"]) + row["F4"]


# ---------------------------------------------------------------------------- fixture register


def test_fixture_register_rows_are_the_hand_worked_ones(messy_db: Path) -> None:
    """Test that the fixture register's payouts per year and center are the hand-worked figures."""
    rows = run(messy_db)
    # From make_fixture.py (entity, listing, certification dates; evaluations; annual data):
    # 2019 A, B 50 each (entity 2019, certified 2019-12-10: F1 in 2019).
    # 2020 A: F3 500 (province 2020-11-25, grant 500) + F4 100 = 600, F2 pending (no 2019 data);
    #      C 50 (entity 2020-03-05); F 50 vs F3 300 → 300; G 50; H 50 → 1050.
    # 2021 A F2 20 % × 1200 = 240; B 20 % × 800 = 160 + F4 100 = 260; C 20 % × 600 = 120;
    #      F G H K L M N O F1 8 × 50 = 400 → 1020.
    # 2022 G F2 20 % × 350 = 70 + F4 100 = 170; K L M N O F1 250 → 420 (C: 2021 failed twice).
    # 2023 O, P F1 → 100. 2024 P F1 → 50. 2025 only pending. 2026 M province → 100 (beyond).
    totals = by_year(rows, 2019, 2026).set_index("year")["city_pays"].to_dict()
    assert totals == {
        2019: 100,
        2020: 1050,
        2021: 1020,
        2022: 420,
        2023: 100,
        2024: 50,
        2025: 0,
        2026: 100,
    }
    a = of(rows, "洛阳高端轴承制造业创新中心")
    assert amounts(a[2020]) == (0, 0, 500, 100, 600, "F3")
    assert a[2020]["pending"] == ["rd_nonfiscal:2019", "evaluation:2019"]
    assert of(rows, "洛阳农机装备创新中心") == {}  # D: national 2018, before the plan
    assert of(rows, "洛阳功能玻璃新材料创新中心") == {}  # E: never registered, cancelled
    m = of(rows, "洛阳高端铝材创新中心")[2026]
    assert m["F4"] == 100 and m["beyond_validity"] is True


def test_fixture_register_rows_all_pay_the_higher_plus_rewards(messy_db: Path) -> None:
    """Test that on every fixture row city_pays = max(F1 + F2, F3) + F4 and basis says which."""
    rows = run(messy_db)
    # Rows per year, from the worked figures above: 2019 A B; 2020 A B C F G H; 2021 A B C F G
    # H K L M N O; 2022 A B F G H K L M N O; 2023 F G H K L M N O P; 2024 F G H K L M N O P;
    # 2025 K L M N O P; 2026 M O P → 2 + 6 + 11 + 10 + 9 + 9 + 6 + 3 = 56.
    assert len(rows) == 56
    for r in rows:
        assert r["city_pays"] == max(r["F1"] + r["F2"], r["F3"]) + r["F4"]
        assert r["basis"] == ("F3" if r["F3"] > r["F1"] + r["F2"] else "F1+F2")
        assert r["F2"] == 0 or not r["pending"]


def test_fixture_sector_filter_keeps_its_centers(messy_db: Path) -> None:
    """Test that 新材料 (B, E, L, N) pays B 50 + 260, L 50 + 50, N 50 + 50 = 510 in all."""
    rows = run(messy_db, filters=make_filters(sectors=["新材料"]))
    assert sum(r["city_pays"] for r in rows) == 510
    assert {r["center"][:6] for r in rows} == {"洛阳先进耐火", "洛阳高性能合", "洛阳高性能复"}


def test_demo_register_totals_agree_by_county_and_year(demo_db: Path) -> None:
    """Test that on the demo register county totals and yearly totals add up to the same sum."""
    rows = run(demo_db, DEMO_TODAY)
    total = sum(r["city_pays"] for r in rows)
    assert total > 0
    assert by_group(rows, "county")["city_pays"].sum() == pytest.approx(total)
    assert by_year(rows, 2019, 2026)["city_pays"].sum() == pytest.approx(total)
    for r in rows:
        assert r["city_pays"] == pytest.approx(max(r["F1"] + r["F2"], r["F3"]) + r["F4"])
        assert r["beyond_validity"] == bool(r["beyond_parts"])
        if r["year"] >= 2025 and (r["F1"] or r["F2"] or r["F3"]):
            assert r["beyond_validity"]


# ---------------------------------------------------------------------------- forecast


def test_forecast_continues_f1_to_the_period_end_and_estimates_f2(small_db: Path) -> None:
    """Test that the forecast from 2023-12-31 has C9's F1 and C1's estimated F2, C10 pending."""
    with db.connect(small_db) as con:
        rows = forecast(con, dt.date(2023, 12, 31), ALL)
    got = {(r["year"], r["center"]): r for r in rows}
    # C1: F2 year 2024 only; R&D 2023 unknown → latest known 2022 (1000) → 200, estimated.
    c1 = got[2024, C1]
    assert (c1["F2"], c1["estimated"], c1["rd_year"]) == (200, True, 2022)
    assert (2025, C1) not in got
    # C9: listed 2023-06-01, period ends in June 2025 → F1 2024 and 2025, not 2026.
    assert got[2024, C9]["F1"] == 50 and got[2025, C9]["F1"] == 50
    assert got[2025, C9]["beyond_validity"] is True
    assert (2026, C9) not in got
    # C10: certified 2023, no R&D at all → pending in 2024–2026.
    assert [got[y, C10]["pending"] for y in (2024, 2025, 2026)] == [
        ["rd_nonfiscal:2023"],
        ["rd_nonfiscal:2024"],
        ["rd_nonfiscal:2025"],
    ]
    assert {c for _, c in got} == {C1, C9, C10}


# ---------------------------------------------------------------------------- hand entries


def test_manual_amounts_show_beside_the_entitlement_and_are_audited(small_db: Path) -> None:
    """Test that 实际拨付 and 一事一议 entries appear in their rows and each writes an audit row."""
    with db.connect(small_db) as con:
        version = int(db.get_meta(con, "data_version") or 0)
    record_manual(small_db, C1, 2022, "实际拨付", 450, "市财政拨款", actor="test:clerk")
    record_manual(small_db, C1, 2022, "disbursed", "50万元", None, actor="test:clerk")
    entry = record_manual(small_db, C8, 2020, "一事一议", 100, "引进省级中心", actor="test:clerk")
    assert entry["center"] == C8 and entry["amount"] == 100
    rows = run(small_db, dt.date.today())
    c1 = of(rows, C1)[2022]
    assert (c1["F2"], c1["disbursed"], c1["manual"]) == (500, 500, 0)
    # C8 has no entitlement at all: the row is there for the hand-entered amount only.
    c8 = of(rows, C8)[2020]
    assert (c8["city_pays"], c8["manual"], c8["disbursed"]) == (0, 100, 0)
    with db.connect(small_db) as con:
        audit = con.execute(
            "select actor, action, entity, entity_key, after from audit_log "
            "where entity = 'funding_manual' order by id"
        ).fetchall()
        assert int(db.get_meta(con, "data_version") or 0) == version + 3
    assert [a[:4] for a in audit] == [
        ("test:clerk", "form", "funding_manual", f"{C1} 2022 实际拨付"),
        ("test:clerk", "form", "funding_manual", f"{C1} 2022 实际拨付"),
        ("test:clerk", "form", "funding_manual", f"{C8} 2020 一事一议"),
    ]
    assert json.loads(audit[0][4])["amount"] == 450


def test_manual_amounts_entered_after_the_as_of_date_are_left_out(small_db: Path) -> None:
    """Test that an amount entered today does not show in a view as of an earlier date."""
    record_manual(small_db, C8, 2020, "一事一议", 100, None, actor="test")
    assert of(run(small_db, dt.date(2022, 12, 31)), C8) == {}


@pytest.mark.parametrize(
    ("center", "year", "kind", "amount", "note", "error", "text"),
    [
        ("不存在的中心", 2022, "实际拨付", 10, None, UnknownName, "不存在的中心"),
        (C1, 2022, "奖金", 10, None, ManualEntryError, "无法识别的金额类别"),
        (C1, 2018, "实际拨付", 10, None, ManualEntryError, "年度应在"),
        (C1, 2022, "实际拨付", 0, None, ManualEntryError, "金额不能为0"),
        (C1, 2022, "实际拨付", -10, None, ManualEntryError, "须写明|请在说明"),
        (C1, 2022, "实际拨付", -10, "冲减", ManualEntryError, "合计将为负数"),
        ("", 2022, "实际拨付", 10, None, ManualEntryError, "中心名称"),
    ],
    ids=[
        "unknown-center",
        "bad-kind",
        "year-before-plan",
        "zero",
        "negative-no-note",
        "negative-below-zero",
        "no-center",
    ],
)
def test_bad_manual_entries_are_refused_and_write_nothing(
    small_db: Path,
    center: str,
    year: int,
    kind: str,
    amount: object,
    note: str | None,
    error: type[Exception],
    text: str,
) -> None:
    """Test that an unusable entry raises a Chinese message and leaves no row and no audit."""
    with pytest.raises(error, match=text):
        record_manual(small_db, center, year, kind, amount, note, actor="test")
    with db.connect(small_db) as con:
        assert con.execute("select count(*) from funding_manual").fetchone() == (0,)
        got = con.execute("select count(*) from audit_log where entity = 'funding_manual'")
        assert got.fetchone() == (0,)


def test_a_negative_amount_with_a_note_corrects_an_earlier_entry(small_db: Path) -> None:
    """Test that −50 with a note reduces a 实际拨付 total of 450 to 400."""
    record_manual(small_db, C1, 2022, "实际拨付", 450, None, actor="test")
    record_manual(small_db, C1, 2022, "实际拨付", -50, "多录50万元，冲减", actor="test")
    assert of(run(small_db, dt.date.today()), C1)[2022]["disbursed"] == 400


# ---------------------------------------------------------------------------- computed at once
# The rules run over every center and year at once (arrays, whole yuan); these pin what the
# hand-worked register above does not reach.


def register(tmp_path: Path, events: list[list[Any]], annual: list[list[Any]]) -> Path:
    """A database of one center, X (an enterprise in 涧西区), with these events and annual data."""
    wb = Workbook()
    wb.remove(wb.active)
    sheets = {
        "中心": [["中心名称", "重点领域", "所在县区", "建设形式", "法人单位类型"], [X, 1, "涧西区", "企业型", "企业法人"]],
        "事件": [["中心名称", "事件", "日期", "层级", "年度", "结果"], *events],
        "年度数据": [["中心名称", "年度", "非财政研发经费支出", "省级补助资金"], *annual],
    }  # fmt: skip
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(tmp_path / "x.xlsx")
    import_files(tmp_path / "x.duckdb", [tmp_path / "x.xlsx"])
    return tmp_path / "x.duckdb"


X = "十一号创新中心"


def test_a_rectification_belongs_to_the_last_evaluation_on_or_before_its_day(
    tmp_path: Path,
) -> None:
    """Test that a rectification on the day of the next evaluation is that one's, not the
    earlier failed one's (still pending), and a failed rectification pays nothing."""
    # X certified 2020-05-01 → F2 2021–2023 from R&D 1000 a year (20 % → 200).
    # 2021 (evaluation of 2020, 不合格 2021-03-01): no rectification before the next evaluation
    #   (2022-03-01) → pending rectification.
    # 2022 (of 2021, 不合格 2022-03-01): 整改评价 合格 the same day → paid, 200.
    # 2023 (of 2022): 不合格, 整改评价 不合格 → 0 and nothing pending → no row.
    path = register(
        tmp_path,
        [
            [X, L, "2019-06-10"],
            [X, R, "2019-07-01"],
            [X, CITY, "2020-05-01"],
            [X, EV, "2021-03-01", None, 2020, "不合格"],
            [X, EV, "2022-03-01", None, 2021, "不合格"],
            [X, RE, "2022-03-01", None, None, "合格"],
            [X, EV, "2023-03-01", None, 2022, "不合格"],
            [X, RE, "2023-09-01", None, None, "不合格"],
        ],
        [[X, 2020, 1000, None], [X, 2021, 1000, None], [X, 2022, 1000, None]],
    )
    got = of(run(path), X)
    assert sorted(got) == [2019, 2020, 2021, 2022]
    assert got[2021]["pending"] == ["rectification:2020"]
    assert got[2021]["pending_text"][0].endswith("；合格则补助200万元")
    assert amounts(got[2022]) == (0, 200, 0, 0, 200, "F1+F2")
    assert got[2022]["notes"] == ["2021年度评价不合格，整改后合格：按合格拨付"]


def test_a_revoked_provincial_title_ends_f3_from_the_next_year(tmp_path: Path) -> None:
    """Test that matching by the provincial title stops the year after its revocation."""
    # X certified by the province 2020-03-01 (reward 100), revoked 2021-08-01; grants 10 in
    # 2020–2022 (×1). 2021: revoked within the year → still matched; 2022: revoked before → 0.
    path = register(
        tmp_path,
        [[X, PROV, "2020-03-01"], [X, "撤销称号", "2021-08-01", "省级"]],
        [[X, y, None, 10] for y in (2020, 2021, 2022)],
    )
    got = of(run(path), X)
    assert amounts(got[2020]) == (0, 0, 10, 100, 110, "F3")
    assert amounts(got[2021]) == (0, 0, 10, 0, 10, "F3")
    assert 2022 not in got


def test_products_round_to_the_yuan_half_to_even_as_decimal_does() -> None:
    """Test that amounts × rate or ratio, in whole yuan, round as Decimal.quantize does (half to
    even), for ties, negatives and large amounts, and F2 takes the cap above it."""
    from decimal import Decimal

    from mic_tracker.funding import Rules, _times

    yuan = [0, 1, 2, 3, 5, 7, 15, 25, -1, -3, -25, 123_456_789, 10**17 + 5, -(10**17) - 5]
    for factor in ("0.5", "0.2", "1.5", "0.125", "1", "0.3333"):
        want = [int((Decimal(y) * Decimal(factor)).quantize(Decimal(1))) for y in yuan]
        assert _times(np.array(yuan), Decimal(factor)).tolist() == want, factor
    rules = Rules.from_plan()  # 20 %, cap 500 万元
    got, over = rules.f2_amounts(np.array([0, 3, 25_000_000, 25_000_005, 30_000_000]))
    assert got.tolist() == [0, 1, 5_000_000, 5_000_000, 5_000_000]
    assert over.tolist() == [False, False, False, True, True]


def test_page_tables_are_the_rows_of_funding_and_forecast(demo_db: Path) -> None:
    """Test that the 资金 page's tables, computed from the same facts without row dicts, are
    the totals, detail and pending items of funding() and forecast() on the demo register."""
    from mic_tracker.funding_tables import DETAIL_COLUMNS, page_tables, pending_table

    with db.connect(demo_db) as con:
        rows = funding(con, DEMO_TODAY, ALL)
        ahead = forecast(con, DEMO_TODAY, ALL, 3)
        tables = page_tables(con, DEMO_TODAY, ALL, (), 2019, DEMO_TODAY.year, 3)
    last = DEMO_TODAY.year
    pd_testing = pytest.importorskip("pandas.testing")
    pd_testing.assert_frame_equal(tables["years"], by_year(rows, 2019, last))
    pd_testing.assert_frame_equal(tables["county"], by_group(rows, "county"))
    pd_testing.assert_frame_equal(tables["future"], by_year(ahead, last + 1, last + 3))
    pd_testing.assert_frame_equal(tables["pending"], pending_table(rows))
    detail = tables["detail"]
    assert list(detail.columns) == DETAIL_COLUMNS
    assert detail["year"].is_monotonic_decreasing  # the latest year first
    assert sorted(zip(detail["year"], detail["center"], detail["city_pays"], strict=True)) == (
        sorted((r["year"], r["center"], float(r["city_pays"])) for r in rows)
    )


@pytest.mark.parametrize("levels", [(), ("city",)])
def test_narrowed_city_facts_give_the_filtered_reading_s_tables(
    demo_db: Path, levels: tuple[str, ...]
) -> None:
    """Test that the 资金 page's tables from the city-wide facts narrowed in memory, and from
    the city's funding rows narrowed to the filter's centers, equal those from facts read
    with the filters: the page reads the database and applies the rules once per date, not
    per filter change, so the in-memory rule must be the query's."""
    from mic_tracker.funding import load_facts
    from mic_tracker.funding_tables import city_rows, page_tables, tables_narrowed, tables_of

    pd_testing = pytest.importorskip("pandas.testing")
    last = DEMO_TODAY.year
    with db.connect(demo_db) as con:
        city = load_facts(con, DEMO_TODAY, ALL, last)
        rows = city_rows(city, DEMO_TODAY, levels, 3)
        for filters in narrowing_filters(con):
            want = page_tables(con, DEMO_TODAY, filters, levels, 2019, last, 3)
            facts = tables_of(city.narrowed(filters), DEMO_TODAY, levels, 2019, last, 3)
            picked = tables_narrowed(city, rows, filters, DEMO_TODAY, 2019, last, 3)
            assert len(want["names"]) < len(city.centers), filters  # the filter narrows
            for name, table in want.items():
                pd_testing.assert_frame_equal(facts[name], table, obj=f"{filters} {name}")
                pd_testing.assert_frame_equal(picked[name], table, obj=f"{filters} {name}")


def test_filters_keep_in_memory_the_centers_the_query_keeps(messy_db: Path) -> None:
    """Test that Filters.keeps, given the centers' columns, picks the filtered_centers macro's
    centers for each filter (the fixture has a county code no center is in, and NULL-free
    columns; a missing value is checked apart)."""
    with db.connect(messy_db) as con:
        centers = con.execute(
            "select c.id, f.sector, c.field_seq, d.current_code, c.form from centers c "
            "join fields f on f.seq = c.field_seq join divisions d on d.code = c.division_code "
            "order by c.id"
        ).fetchall()
        ids, *columns = (np.array(col, dtype=object) for col in zip(*centers, strict=True))
        for filters in narrowing_filters(con):
            want = {
                r[0]
                for r in con.execute(
                    "select id from filtered_centers($sectors, $fields, $counties, $forms)",
                    filters.params(),
                ).fetchall()
            }
            assert set(ids[filters.keeps(*columns)]) == want, filters
    nothing = np.array([None], dtype=object)
    assert not Filters(forms=("独立法人",)).keeps(nothing, nothing, nothing, nothing)[0]
    assert Filters().keeps(nothing, nothing, nothing, nothing)[0]
