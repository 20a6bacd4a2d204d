"""Seed fidelity: the plan data under data/policy/ says what 洛政办〔2019〕13号 says."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from mic_tracker.paths import POLICY_DIR
from mic_tracker.policy import Field, load_plan, read_fields

PLAN_TEXT_PATH = POLICY_DIR / "luoyang-2019-13-plan.txt"
PLAN_TEXT = PLAN_TEXT_PATH.read_text(encoding="utf-8")
ANNEX_HEADING = "洛阳市制造业创新中心建设导向目录"
ANNEX_ROW = re.compile(r"^(\d+)\t([^\t]*)\t([^\t]+)$")


def squeeze(text: str) -> str:
    """The text with every space, tab and line break removed (the PDF text breaks lines)."""
    return "".join(text.split())


PLAN_SQUEEZED = squeeze(PLAN_TEXT)


def parse_annex(text: str) -> list[tuple[int, str, str]]:
    """(seq, sector, field) rows of the annex table, blank sectors filled from the row above."""
    lines = text.splitlines()
    start = max(i for i, line in enumerate(lines) if line.strip() == ANNEX_HEADING)
    rows: list[tuple[int, str, str]] = []
    sector = ""
    for line in lines[start + 1 :]:
        m = ANNEX_ROW.match(line)
        if m is None:
            continue
        sector = m.group(2).strip() or sector
        rows.append((int(m.group(1)), sector, m.group(3).strip()))
    return rows


ANNEX = parse_annex(PLAN_TEXT)
ANNEX_SECTORS = list(dict.fromkeys(sector for _, sector, _ in ANNEX))


@pytest.fixture(scope="module")
def plan():
    return load_plan()


# ------------------------------------------------------------------------ 附件 导向目录


def test_annex_parser_reads_31_consecutive_rows_in_10_sectors():
    """Test that the annex table parsed from the plan text has rows 1–31 in 10 sectors."""
    assert [seq for seq, _, _ in ANNEX] == list(range(1, 32))
    assert len(ANNEX_SECTORS) == 10
    assert all(sector and field for _, sector, field in ANNEX)


@pytest.mark.parametrize(
    ("seq", "sector", "name"), ANNEX, ids=[f"{seq}-{name}" for seq, _, name in ANNEX]
)
def test_field_matches_annex_row(plan, seq, sector, name):
    """Test that key field N has the annex's sector and name, character for character."""
    assert plan.field(seq) == Field(seq, sector, name)


def test_fields_are_exactly_the_annex_rows(plan):
    """Test that the plan's field list is the annex table, no more and no fewer rows."""
    assert [(f.seq, f.sector, f.name) for f in plan.fields] == ANNEX


def test_sectors_are_the_annex_sectors_in_annex_order(plan):
    """Test that the plan has the annex's 10 sectors, in the order the annex lists them."""
    assert plan.sectors == ANNEX_SECTORS
    assert plan.sectors[0] == "先进装备制造业"
    assert plan.sectors[-1] == "轻工食品"


def test_read_fields_refuses_gap_in_seq(tmp_path: Path):
    """Test that read_fields refuses a field list whose 序号 skips a number."""
    path = tmp_path / "fields.csv"
    path.write_text(
        "序号,行业分类,重点领域\n1,先进装备制造业,机器人及智能制造\n2,,矿山设备\n4,,交通装备\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="序号"):
        read_fields(path)


def test_read_fields_fills_blank_sector_from_row_above(tmp_path: Path):
    """Test that read_fields gives a continuation row the last non-blank sector above it."""
    path = tmp_path / "fields.csv"
    path.write_text(
        "序号,行业分类,重点领域\n1,新材料,甲\n2,,乙\n3,建材,丙\n4,,丁\n", encoding="utf-8"
    )
    assert [f.sector for f in read_fields(path)] == ["新材料", "新材料", "建材", "建材"]


# ------------------------------------------------------------------------ 一(三) targets

# POLICY.md §2: (year, metric) -> (target, target_max, approx)
POLICY_TARGETS = {
    (2019, "cultivation"): (5, 5, False),
    (2019, "city"): (3, 3, False),
    (2020, "cultivation"): (10, 10, False),
    (2020, "city"): (5, 5, False),
    (2020, "province"): (2, 2, True),
    (2025, "city"): (20, 20, False),
    (2025, "province"): (5, 5, False),
    (2025, "national"): (1, 2, False),
}


def test_targets_table_equals_policy(plan):
    """Test that the plan's targets are exactly the table of POLICY.md §2."""
    got = {(t.year, t.metric): (t.target, t.target_max, t.approx) for t in plan.targets}
    assert len(plan.targets) == len(POLICY_TARGETS)
    assert got == POLICY_TARGETS


@pytest.mark.parametrize(
    ("year", "metric"), list(POLICY_TARGETS), ids=[f"{y}-{m}" for y, m in POLICY_TARGETS]
)
def test_target_quote_states_its_numbers_in_its_year_paragraph(plan, year, metric):
    """Test that a target's quote gives its numbers and is text of that year's paragraph."""
    t = next(t for t in plan.targets if (t.year, t.metric) == (year, metric))
    quote = squeeze(t.quote)
    if t.target_max == t.target:
        assert f"{t.target}家" in quote
    else:
        assert f"{t.target}—{t.target_max}家" in quote
    assert ("左右" in quote) == t.approx
    assert plan.metrics[metric][:2] in quote  # 培育 / 市级 / 省级 / 国家
    paragraph = next(
        squeeze(p) for p in PLAN_TEXT.splitlines() if squeeze(p).startswith(f"到{year}年底")
    )
    assert quote in paragraph
    assert quote in PLAN_SQUEEZED


# ------------------------------------------------------------------------ dates and labels


def test_plan_dates_match_the_plan(plan):
    """Test that issue date, applicability start and validity end are the plan's."""
    assert plan.issued == dt.date(2019, 3, 14)
    assert plan.applies_from == dt.date(2019, 1, 1)
    assert plan.validity_end == dt.date(2024, 3, 13)
    assert plan.pace_start == plan.issued
    assert "2019年3月14日" in PLAN_SQUEEZED
    assert "2019年1月1日后符合条件的企业和项目可享受本政策，有效期五年" in PLAN_SQUEEZED


def test_plan_identity_matches_the_plan(plan):
    """Test that the document number and title are as printed on the plan."""
    assert plan.doc_number == "洛政办〔2019〕13号"
    assert plan.title == "洛阳市制造业创新中心建设实施方案"
    assert squeeze(plan.doc_number) in PLAN_SQUEEZED
    assert plan.title in PLAN_SQUEEZED


def test_forms_are_the_three_construction_forms(plan):
    """Test that the construction forms are 企业型, 院所型, 平台型, each named in section 二."""
    assert list(plan.forms.values()) == ["企业型", "院所型", "平台型"]
    for label in plan.forms.values():
        assert f"{label}制造业创新中心" in PLAN_SQUEEZED


def test_levels_are_city_province_national(plan):
    """Test that the levels are 市级, 省级, 国家级 under the keys city, province, national."""
    assert plan.levels == {"city": "市级", "province": "省级", "national": "国家级"}


# POLICY.md §3: label -> key
POLICY_EVENTS = {
    "申报": "applied",
    "县级推荐": "county_recommended",
    "专家评审": "expert_reviewed",
    "拟培育名单公示": "notice_published",
    "列入市级培育名单": "cultivation_listed",
    "完成法人注册": "entity_registered",
    "申请验收": "acceptance_applied",
    "认定为市级": "city_certified",
    "取消培育资格": "cultivation_cancelled",
    "年度评价": "evaluation",
    "整改评价": "rectification_evaluation",
    "撤销称号": "title_revoked",
    "推荐省级/国家级": "recommended_up",
    "列入省级培育名单": "province_cultivation_listed",
    "认定为省级": "province_certified",
    "认定为国家级": "national_certified",
}


@pytest.mark.parametrize(("label", "key"), POLICY_EVENTS.items(), ids=list(POLICY_EVENTS.values()))
def test_event_label_has_policy_key(plan, label, key):
    """Test that each POLICY.md §3 event label is in the plan under its key."""
    assert key in plan.events
    assert plan.events[key].label == label
    assert plan.event_by_label(label).key == key


def test_events_are_exactly_the_policy_events(plan):
    """Test that the plan defines no event kinds beyond those of POLICY.md §3."""
    assert set(plan.events) == set(POLICY_EVENTS.values())


def test_evaluation_results_are_pass_and_fail(plan):
    """Test that evaluation results are 合格 / 不合格 as section 五 says."""
    assert plan.results == {"pass": "合格", "fail": "不合格"}
    assert "评价结果分为合格与不合格" in PLAN_SQUEEZED


# ------------------------------------------------------------------------ numbers

# (table, key, value in the data, phrase of the plan that states it)
NUMBERS = [
    ("thresholds", "E1_prior_year_revenue_wan", 10000, "上年度销售收入不低于1亿元"),
    ("thresholds", "P1_min_tech_staff", 25, "人数不少于25人"),
    ("thresholds", "P2_min_registered_capital_wan", 600, "不少于600万元"),
    ("thresholds", "E4_clean_years", 3, "近三年内无环境、安全、知识产权和税务等违法行为"),
    ("funding", "F1_cultivation_grant", 50, "市财政每年给予50万元的资金资助"),
    ("funding", "F2_rate", 0.20, "市财政给予不超过20%"),
    ("funding", "F2_cap", 500, "最高500万元的补助"),
    ("funding", "F2_years", 3, "连续支持三年"),
    ("funding", "F3_match_ratio", 1.0, "按照省补助资金给予1:1配套"),
    ("funding", "F4_province_reward", 100, "分别给予100万元、300万元的一次性奖励"),
    ("funding", "F4_national_reward", 300, "分别给予100万元、300万元的一次性奖励"),
    ("periods", "notice_working_days", 5, "公示期为5个工作日"),
    ("periods", "cultivation_years", 2, "不超过2年的培育期"),
    ("periods", "rectification_months", 6, "给予半年时间整改"),
]


@pytest.mark.parametrize(
    ("table", "key", "value", "phrase"), NUMBERS, ids=[key for _, key, _, _ in NUMBERS]
)
def test_number_matches_plan_text(plan, table, key, value, phrase):
    """Test that a threshold, amount or period in the data is the one the plan states."""
    assert getattr(plan, table)[key] == pytest.approx(value)
    assert phrase in PLAN_SQUEEZED
