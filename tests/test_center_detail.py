"""The centers list, its search and downloads, and one center's detail, on the fixture register.

Expected figures are worked by hand from tests/fixtures/EXPECTED.md and the rows written by
tests/fixtures/make_fixture.py (the reasoning is in the comments next to each figure).
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from mic_tracker import db
from mic_tracker.center_detail import (
    annual,
    annual_table,
    attributes,
    events,
    members,
    yes_no,
)
from mic_tracker.centers import (
    TABLE_COLUMNS,
    center_list,
    deadline_text,
    id_of,
    row_names,
    search,
)
from mic_tracker.downloads import csv_bytes, export_frame, xlsx_bytes
from mic_tracker.report import METRICS, Filters, counts, make_filters
from mic_tracker.textfmt import money_cn
from tests.conftest import DEMO_TODAY
from tests.fixtures.make_fixture import DN, A, B, C, E, F, G, H, J, L, P

D5 = dt.date(2022, 6, 30)
LATE = dt.date(2022, 12, 31)

# C's events in date order (make_fixture.py EVENTS, block C). Up to 2022-06-30 the first ten;
# the rectification (2022-09-30) and the revocation (2022-10-20) come after that date.
C_EVENTS_D5 = [
    ("2019-08-12", "申报"),
    ("2019-09-02", "县级推荐"),
    ("2019-10-15", "专家评审"),
    ("2019-10-28", "拟培育名单公示"),
    ("2019-11-20", "列入市级培育名单"),
    ("2020-03-05", "完成法人注册"),
    ("2020-06-30", "申请验收"),
    ("2020-09-18", "认定为市级"),
    ("2021-03-26", "年度评价（2020年度，合格）"),
    ("2022-03-30", "年度评价（2021年度，不合格）"),
]
C_EVENTS_LATE = [
    *C_EVENTS_D5,
    ("2022-09-30", "整改评价（不合格）"),
    ("2022-10-20", "撤销称号（市级）"),
]


def _list(path: Path, as_of: dt.date, filters: Filters | None = None, levels: tuple[str, ...] = ()):
    with db.connect(path) as con:
        return center_list(con, as_of, filters or Filters(), levels)


def _id(path: Path, name: str) -> int:
    frame = _list(path, dt.date(2026, 11, 26))
    found = id_of(frame, name)
    assert found is not None
    return found


@pytest.mark.parametrize(
    ("wan", "text"),
    [
        (12000, "1.2亿元"),
        (600, "600万元"),
        (Decimal("653000"), "65.3亿元"),  # C's 65.3亿 prior-year revenue
        (10000, "1亿元"),
        (9999.5, "9999.5万元"),  # just under 1亿: stays in 万元, not rounded up to 1亿元
        (17883, "1.7883亿元"),  # exact to the 万元, no rounding near thresholds
        (0, "0万元"),
        (None, "未填"),
    ],
    ids=["1.2亿", "600万", "65.3亿", "1亿", "under-1亿", "exact", "zero", "none"],
)
def test_money_is_written_in_wan_or_yi(wan: float | Decimal | None, text: str) -> None:
    """Test that amounts in 万元 read as 万元 below 1亿 and as 亿元 from 1亿 on, 未填 when missing."""
    assert money_cn(wan) == text


def test_yes_no_has_three_answers() -> None:
    """Test that a condition reads 是, 否 or 未填."""
    assert [yes_no(True), yes_no(False), yes_no(None)] == ["是", "否", "未填"]


def test_stage_of_c_changes_with_the_revocation(messy_db: Path) -> None:
    """Test that C is a city center on 2022-06-30 and has lost the title by 2022-12-31."""
    # EXPECTED.md: C certified 2020-09-18, city title revoked 2022-10-20.
    early = _list(messy_db, D5).set_index("name")
    late = _list(messy_db, LATE).set_index("name")
    assert early.loc[C, "stage_label"] == "市级创新中心"
    assert late.loc[C, "stage_label"] == "市级称号已撤销"
    # Revocation is not a cancellation: C still counts as a cultivation object.
    assert bool(late.loc[C, "cultivation"]) and not bool(late.loc[C, "city"])


def test_list_leaves_out_centers_whose_history_starts_later(messy_db: Path) -> None:
    """Test that centers whose first event is after the date are not listed yet."""
    # 16 centers; on 2022-06-30 P (first event 申报 2022-08-15) and J (申报 2025-10-20) have
    # no history yet → 14. On 2026-11-26 every center has started → 16.
    early = _list(messy_db, D5)
    assert len(early) == 14
    assert P not in set(early["name"]) and J not in set(early["name"])
    assert len(_list(messy_db, dt.date(2026, 11, 26))) == 16


def test_next_deadline_is_the_end_of_cultivation(messy_db: Path) -> None:
    """Test that centers still in cultivation show when their two years run out, others nothing."""
    # On 2022-06-30 in cultivation (EXPECTED.md D5 pipeline city {M, N, O}): M and N listed
    # 2020-09-28 → 2022-09-28, a Wednesday before the National Day holiday, a working day;
    # O listed 2021-07-26 → 2023-07-26, a Wednesday, a working day. Certified, cancelled and
    # applying centers have no cultivation deadline.
    frame = _list(messy_db, D5).set_index("name")
    deadlines = frame["next_deadline"].dropna().to_dict()
    assert deadlines == {
        "洛阳高端铝材创新中心": "2022-09-28 培育期满",
        "洛阳高性能复合材料创新中心": "2022-09-28 培育期满",
        "洛阳机器人及智能装备创新中心": "2023-07-26 培育期满",
    }


@pytest.mark.parametrize(
    ("stage", "listed", "as_of", "text"),
    [
        # POLICY.md §4: 2019-11-20 → 2021-11-22 (11-20 was a Saturday).
        ("cultivation", dt.date(2019, 11, 20), dt.date(2021, 11, 22), "2021-11-22 培育期满"),
        (
            "cultivation",
            dt.date(2019, 11, 20),
            dt.date(2021, 11, 23),
            "2021-11-22 培育期满（已逾期）",
        ),
        # 2026-11-20 + 2 years is beyond chinese-calendar's years: Monday–Friday, provisional.
        ("cultivation", dt.date(2026, 11, 20), D5, "2028-11-20 培育期满（暂定）"),
        ("city", dt.date(2019, 11, 20), D5, None),
    ],
    ids=["on-the-day", "overdue", "provisional", "certified"],
)
def test_deadline_text_says_date_kind_and_state(
    stage: str, listed: dt.date, as_of: dt.date, text: str | None
) -> None:
    """Test that the deadline reads date first, then kind, marked when provisional or overdue."""
    assert deadline_text(stage, listed, as_of) == text


def test_list_honours_the_report_filters(messy_db: Path) -> None:
    """Test that county and sector filters narrow the list to the hand-worked centers."""
    # EXPECTED.md: 涧西 = A, B, C, L; 新材料 = B, E, N, L (N 洛阳高性能复合材料创新中心).
    jianxi = _list(messy_db, D5, make_filters(counties=["涧西"]))
    assert set(jianxi["name"]) == {A, B, C, L}
    both = _list(messy_db, D5, make_filters(sectors=["新材料"], counties=["涧西"]))
    assert set(both["name"]) == {B, L}


def test_level_filter_keeps_centers_holding_a_chosen_title(messy_db: Path) -> None:
    """Test that the level filter keeps centers holding one of the chosen titles on the date."""
    # EXPECTED.md D5 = 2022-06-30: province {A, B, G}; national {D}; cultivation 11 centers.
    province = _list(messy_db, D5, levels=("province",))
    assert set(province["name"]) == {A, B, G}
    either = _list(messy_db, D5, levels=("cultivation", "national"))
    assert len(either) == 11 + 1  # D holds no cultivation title, so no overlap


def test_list_agrees_with_the_report_on_demo_data(demo_db: Path) -> None:
    """Test that the titles held in the list add up to report counts on the demo register."""
    with db.connect(demo_db) as con:
        frame = center_list(con, DEMO_TODAY, Filters())
        expected = counts(con, DEMO_TODAY, Filters())
        for metric in METRICS:
            assert int(frame[metric].sum()) == expected[metric], metric
            one_level = center_list(con, DEMO_TODAY, Filters(), (metric,))
            assert len(one_level) == expected[metric], metric


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("轴承", {A}),  # A's name and field 轴承及基础件; no other name, lead unit or field
        ("河南科技大学", {H}),  # H's lead unit; members are not searched
        ("新材料", {E, F}),  # E 功能玻璃新材料 (name and field), F 石化新材料 (name)
        ("ｌｙｃ", {A}),  # full-width lower case finds A's lead unit 洛阳LYC轴承有限公司
        ("洛阳  矿山", {C}),  # every word must match: only C has 矿山
        ("   ", None),  # blank search keeps everything
        ("量子", set()),
    ],
    ids=["name-field", "lead-unit", "two-hits", "width-case", "words", "blank", "none"],
)
def test_search_matches_name_lead_unit_or_field(
    messy_db: Path, text: str, names: set[str] | None
) -> None:
    """Test that search finds text in the name, lead unit or field, ignoring width and case."""
    frame = _list(messy_db, D5)
    found = search(frame, text)
    assert set(found["name"]) == (set(frame["name"]) if names is None else names)


def test_events_of_c_stop_at_the_date(messy_db: Path) -> None:
    """Test that C's timeline holds its events up to the date, labelled in Chinese."""
    c = _id(messy_db, C)
    with db.connect(messy_db) as con:
        early = events(con, c, D5)
        late = events(con, c, LATE)
    as_pairs = lambda f: [  # noqa: E731
        (d.date().isoformat(), lab) for d, lab in zip(f["event_date"], f["label"], strict=True)
    ]
    assert as_pairs(early) == C_EVENTS_D5
    assert as_pairs(late) == C_EVENTS_LATE
    assert list(late["group"])[-2:] == ["setback", "setback"]
    assert late["note"].iloc[-1] == "整改后仍不合格"


def test_events_name_the_level_of_a_recommendation(messy_db: Path) -> None:
    """Test that 推荐 and 认定 events carry their level and colour group."""
    # A: 推荐省级/国家级 省级 2020-03-20, 认定为省级 2020-11-25. D: 认定为国家级 2018-08-20.
    with db.connect(messy_db) as con:
        a = events(con, _id(messy_db, A), dt.date(2020, 12, 31))
        d = events(con, _id(messy_db, DN), dt.date(2020, 12, 31))
    assert list(a["label"])[-2:] == ["推荐省级/国家级（省级）", "认定为省级"]
    assert list(a["group"])[-2:] == ["province", "province"]
    assert list(d["label"]) == ["认定为国家级"] and list(d["group"]) == ["national"]


def test_attributes_read_as_written_in_the_template(messy_db: Path) -> None:
    """Test that C's and E's attributes show money in 万元/亿元, 是/否/未填 and the old county."""
    with db.connect(messy_db) as con:
        c = attributes(con, _id(messy_db, C))
        e = attributes(con, _id(messy_db, E))
        f = attributes(con, _id(messy_db, F))
    # C: 注册资本 "0.12亿" = 1200万元; 上年销售收入 "65.3亿"; GB code 410305 = 涧西区 today too.
    assert c["注册资本"] == "1200万元"
    assert c["牵头单位上年销售收入"] == "65.3亿元"
    assert c["所在县区"] == "涧西区"
    assert c["重点领域"] == "2 矿山设备（先进装备制造业）"
    assert c["专业技术人员"] == "52人"
    assert c["近三年有违法记录"] == "否"  # written 无
    # E: written 偃师市, today 偃师区; no legal entity; 注册资本 600; 销售收入 "8000万".
    assert e["所在县区"] == "偃师市（今偃师区）"
    assert e["法人单位"] == "未填"
    assert e["注册资本"] == "600万元"
    assert e["牵头单位上年销售收入"] == "8000万元"
    assert e["管理层到位"] == "否" and e["省级以上创新载体"] == "否"
    # F: 注册资本 "6,000,000元" = 600万元; 销售收入 "412亿元"; written 吉利区 → 孟津区.
    assert f["注册资本"] == "600万元"
    assert f["牵头单位上年销售收入"] == "412亿元"
    assert f["所在县区"] == "吉利区（今孟津区）"


def test_members_keep_their_order_and_type(messy_db: Path) -> None:
    """Test that C's three members come in the order written, with 未注明 for a missing type."""
    with db.connect(messy_db) as con:
        c = members(con, _id(messy_db, C))
        j = members(con, _id(messy_db, J))
    assert list(zip(c["name"], c["member_type"], strict=True)) == [
        ("洛阳矿山机械工程设计研究院有限责任公司", "科研院所"),
        ("河南科技大学", "高校"),
        ("洛阳中重自动化工程有限责任公司", "未注明"),
    ]
    assert j.empty  # J wrote no members


def test_annual_data_only_for_years_ended_by_the_date(messy_db: Path) -> None:
    """Test that C's annual data shows 2020 from 2020-12-31 on and 2021 only after 2021 ends."""
    c = _id(messy_db, C)
    with db.connect(messy_db) as con:
        mid_2021 = annual(con, c, dt.date(2021, 6, 30))
        d5 = annual(con, c, D5)
    assert list(mid_2021["year"]) == [2020]
    assert list(d5["year"]) == [2020, 2021]
    table = annual_table(d5).set_index("指标")
    # 2020: R&D "６００万元", revenue "8500万元"; 2021: R&D "450万", revenue "0.9亿元" = 9000万元.
    assert table.loc["非财政研发经费支出", "2020年"] == "600万元"
    assert table.loc["营业收入", "2021年"] == "9000万元"
    assert table.loc["新增发明专利", "2020年"] == "3项"
    assert table.loc["年度总结已提交", "2021年"] == "否"
    assert table.loc["省级补助资金", "2020年"] == "未填"


def _download(frame: pd.DataFrame) -> pd.DataFrame:
    """The list as the page exports it: its columns, under its Chinese headers."""
    return export_frame(frame, TABLE_COLUMNS, list(TABLE_COLUMNS))


def test_csv_has_a_bom_chinese_headers_and_no_formulas(messy_db: Path) -> None:
    """Test that the list's CSV starts with a UTF-8 BOM, has Chinese headers and neutralised text."""
    frame = _list(messy_db, D5)
    frame.loc[0, "name"] = "=1+1"
    raw = csv_bytes(_download(frame))
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == ",".join(TABLE_COLUMNS.values())
    assert lines[1].startswith("'=1+1,")
    assert len(lines) == 1 + 14
    # C's row carries its dates in ISO form: listed 2019-11-20, city 2020-09-18.
    c_line = next(line for line in lines if line.startswith(C))
    assert "2019-11-20,2020-09-18" in c_line


def test_xlsx_holds_the_table_as_text_never_formulas(messy_db: Path) -> None:
    """Test that the list's workbook has the shown rows, Chinese headers, real dates, no formulas."""
    frame = search(_list(messy_db, D5), "新材料")
    frame.loc[0, "lead_unit"] = "=cmd|' /C calc'!A0"
    ws = load_workbook(io.BytesIO(xlsx_bytes(_download(frame)))).active
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == list(TABLE_COLUMNS.values())
    assert {r[0] for r in rows[1:]} == {E, F}
    cells = [cell for row in ws.iter_rows(min_row=2) for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    assert "=cmd|' /C calc'!A0" in {cell.value for cell in cells if cell.data_type == "s"}
    listed = list(TABLE_COLUMNS).index("listed_on")
    assert all(isinstance(r[listed], dt.datetime | type(None)) for r in rows[1:])


def test_row_positions_map_to_names(messy_db: Path) -> None:
    """Test that a table selection's row positions give the names, ignoring stale positions."""
    frame = _list(messy_db, D5)
    assert row_names(frame, [1]) == [frame["name"].iloc[1]]
    assert row_names(frame, [99]) == []
