"""The import template (DESIGN.md): sheets, columns, how each cell is read and written back.

Import, export and (later) the downloadable template all read this one definition.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mic_tracker import parsing

LEAD_UNIT_TYPES = ("企业", "科研院所", "高校", "院所转制企业", "民办非企业", "其他")
ENTITY_TYPES = ("企业法人", "民办非企业", "事业单位")
MEMBER_TYPES = (*LEAD_UNIT_TYPES, "行业协会", "金融机构")

SHEET_CENTERS = "中心"
SHEET_EVENTS = "事件"
SHEET_ANNUAL = "年度数据"
SHEETS = (SHEET_CENTERS, SHEET_EVENTS, SHEET_ANNUAL)
# The template's hidden sheet of drop-down options: read past silently on import.
OPTIONS_SHEET = "选项"


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    kind: str  # text, name, money, int, bool, date, year, choice, field, county, members, event, level, result
    required: bool = False
    aliases: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    unit: str = ""

    def headers(self) -> tuple[str, ...]:
        unit = ("（万元）", "(万元)") if self.kind == "money" else ()
        return (self.header, *self.aliases, *(self.header + u for u in unit))


CENTER_COLUMNS = (
    Column("中心名称", "name", "name", required=True),
    Column("重点领域", "field_seq", "field", required=True, aliases=("重点领域序号", "领域")),
    Column("建设形式", "form", "form"),
    Column("牵头单位", "lead_unit", "text"),
    Column("牵头单位性质", "lead_unit_type", "choice", choices=LEAD_UNIT_TYPES),
    Column(
        "所在县区", "division_code", "county", required=True, aliases=("县区", "所在县（市、区）")
    ),
    Column("法人单位名称", "entity_name", "text"),
    Column("法人单位类型", "entity_type", "choice", choices=ENTITY_TYPES),
    Column("注册资本", "registered_capital", "money"),
    Column("专业技术人员数", "tech_staff", "int", unit="人"),
    Column("牵头单位上年销售收入", "lead_prior_revenue", "money"),
    Column("省级以上创新载体", "provincial_carrier", "bool"),
    Column("有效发明专利或软件著作权数", "patents", "int", unit="项"),
    Column("近三年违法记录", "violations_3y", "bool"),
    Column("管理层到位", "management_in_place", "bool"),
    Column("内部管理制度运行", "internal_systems", "bool"),
    Column("技术专家委员会", "expert_committee", "bool"),
    Column("章程及运行机制", "charter", "bool"),
    Column("开放合作与知识产权制度", "open_ip_rules", "bool"),
    Column("成员单位", "members", "members"),
)

EVENT_COLUMNS = (
    Column("中心名称", "center", "name", required=True),
    Column("事件", "kind", "event", required=True, aliases=("事件类型",)),
    Column("日期", "date", "date", required=True, aliases=("事件日期",)),
    Column("层级", "level", "level"),
    Column("年度", "eval_year", "year", aliases=("评价年度",)),
    Column("结果", "result", "result", aliases=("评价结果",)),
    Column("备注", "note", "text"),
)


def _std(level: str) -> Column:
    return Column(
        f"主持制定{level}标准",
        f"std_{ {'地方': 'local', '行业': 'industry', '国家': 'national', '国际': 'international'}[level] }",
        "int",
        unit="项",
        aliases=(
            f"主持制定标准({level})",
            f"主持制定标准（{level}）",
            f"{level}标准",
            f"主持制定标准-{level}",
            f"主持制定标准_{level}",
            f"{level}标准数",
        ),
    )


ANNUAL_COLUMNS = (
    Column("中心名称", "center", "name", required=True),
    Column("年度", "year", "year", required=True),
    Column("非财政研发经费支出", "rd_nonfiscal", "money"),
    Column("营业收入", "revenue", "money"),
    Column("省级补助资金", "province_grant", "money"),
    Column("新增发明专利", "new_patents", "int", unit="项"),
    _std("地方"),
    _std("行业"),
    _std("国家"),
    _std("国际"),
    Column("重点项目数", "key_projects", "int", unit="个"),
    Column("技术成果转化数", "tech_transfers", "int", unit="项"),
    Column("引进高层次人才数", "talents", "int", unit="人"),
    Column("年度总结已提交", "summary_submitted", "bool"),
)

COLUMNS = {SHEET_CENTERS: CENTER_COLUMNS, SHEET_EVENTS: EVENT_COLUMNS, SHEET_ANNUAL: ANNUAL_COLUMNS}

# Plain value parsers by column kind; the kinds that need reference data are resolved by
# the importer, which knows the plan and the divisions.
PARSERS: dict[str, Callable[..., Any]] = {
    "text": parsing.normalize_text,
    "name": parsing.normalize_text,
    "money": parsing.parse_money_wan,
    "bool": parsing.parse_bool,
    "date": parsing.parse_date,
    "year": parsing.parse_year,
}


def header_index(sheet: str) -> dict[str, Column]:
    """Every accepted spelling of a header (NFKC, no spaces) → its column."""
    out: dict[str, Column] = {}
    for col in COLUMNS[sheet]:
        for h in col.headers():
            out[header_key(h)] = col
    return out


def header_key(text: object) -> str:
    return parsing.normalize_name(text) or ""
