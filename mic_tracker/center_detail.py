"""One center's page: its attributes, its dated events as of a date, members and annual data.

Everything dated is cut at `as_of`: events after it are left out (not greyed), and annual
data only for years that had ended by then — the page never shows what had not happened yet.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import pandas as pd

from mic_tracker import db
from mic_tracker.policy import load_plan
from mic_tracker.textfmt import UNSET, is_missing, money_cn

# Event colour groups for the timeline, in legend order: key -> Chinese legend label.
EVENT_GROUPS = {
    "applying": "申报与评审",
    "cultivation": "培育",
    "city": "市级",
    "province": "省级",
    "national": "国家级",
    "passed": "评价合格",
    "setback": "不合格、取消或撤销",
}
_KIND_GROUP = {
    "applied": "applying",
    "county_recommended": "applying",
    "expert_reviewed": "applying",
    "notice_published": "applying",
    "cultivation_listed": "cultivation",
    "entity_registered": "cultivation",
    "acceptance_applied": "cultivation",
    "city_certified": "city",
    "province_cultivation_listed": "province",
    "province_certified": "province",
    "national_certified": "national",
    "cultivation_cancelled": "setback",
    "title_revoked": "setback",
}

# Annual data rows (template 年度数据), label and how the value is written.
ANNUAL_ROWS = (
    ("rd_nonfiscal", "非财政研发经费支出", "money"),
    ("revenue", "营业收入", "money"),
    ("province_grant", "省级补助资金", "money"),
    ("new_patents", "新增发明专利", "项"),
    ("std_local", "主持制定地方标准", "项"),
    ("std_industry", "主持制定行业标准", "项"),
    ("std_national", "主持制定国家标准", "项"),
    ("std_international", "主持制定国际标准", "项"),
    ("key_projects", "重点项目数", "个"),
    ("tech_transfers", "技术成果转化数", "项"),
    ("talents", "引进高层次人才数", "人"),
    ("summary_submitted", "年度总结已提交", "bool"),
)


def yes_no(value: bool | None) -> str:
    """是 / 否 / 未填."""
    if is_missing(value):
        return UNSET
    return "是" if value else "否"


def _count(value: Any, unit: str) -> str:
    return UNSET if is_missing(value) else f"{int(value)}{unit}"


def _text(value: Any) -> str:
    return UNSET if is_missing(value) or not str(value).strip() else str(value)


def attributes(con: duckdb.DuckDBPyConnection, center_id: int) -> dict[str, str]:
    """The template fields of one center as label → text (money in 万元/亿元, 是/否/未填)."""
    found = db.rows(con, "center_detail_attributes", center_id=center_id)
    if not found:
        return {}
    c = found[0]
    county = c["division_as_written"]
    if c["county"] != county:
        county = f"{county}（今{c['county']}）"
    lead = _text(c["lead_unit"])
    if not is_missing(c["lead_unit_type"]):
        lead = f"{lead}（{c['lead_unit_type']}）"
    entity = _text(c["entity_name"])
    if not is_missing(c["entity_type"]):
        entity = f"{entity}（{c['entity_type']}）"
    return {
        "重点领域": f"{c['seq']} {c['field']}（{c['sector']}）",
        "建设形式": _text(c["form"]),
        "牵头单位": lead,
        "所在县区": county,
        "法人单位": entity,
        "注册资本": money_cn(c["registered_capital"]),
        "专业技术人员": _count(c["tech_staff"], "人"),
        "牵头单位上年销售收入": money_cn(c["lead_prior_revenue"]),
        "有效发明专利或软件著作权": _count(c["patents"], "项"),
        "省级以上创新载体": yes_no(c["provincial_carrier"]),
        "近三年有违法记录": yes_no(c["violations_3y"]),
        "管理层到位": yes_no(c["management_in_place"]),
        "内部管理制度运行": yes_no(c["internal_systems"]),
        "技术专家委员会": yes_no(c["expert_committee"]),
        "章程及运行机制": yes_no(c["charter"]),
        "开放合作与知识产权制度": yes_no(c["open_ip_rules"]),
    }


def event_label(kind: str, level: str | None, eval_year: int | None, result: str | None) -> str:
    """An event in words: 年度评价（2021年度，不合格）, 撤销称号（市级）, 认定为市级."""
    plan = load_plan()
    label = plan.events[kind].label if kind in plan.events else kind
    details = []
    if kind in ("title_revoked", "recommended_up") and not is_missing(level):
        details.append(plan.levels.get(str(level), str(level)))
    if not is_missing(eval_year):
        details.append(f"{int(eval_year)}年度")  # type: ignore[arg-type]
    if not is_missing(result):
        details.append(plan.results.get(str(result), str(result)))
    return f"{label}（{'，'.join(details)}）" if details else label


def event_group(kind: str, level: str | None, result: str | None) -> str:
    """Which colour group of EVENT_GROUPS an event belongs to."""
    if kind in ("evaluation", "rectification_evaluation"):
        return "setback" if result == "fail" else "passed"
    if kind == "recommended_up":
        return str(level) if level in ("province", "national") else "province"
    return _KIND_GROUP.get(kind, "applying")


def events(con: duckdb.DuckDBPyConnection, center_id: int, as_of: dt.date) -> pd.DataFrame:
    """One center's events on or before as_of, oldest first, with `label` and colour `group`."""
    frame = db.run(con, "center_detail_events", center_id=center_id, as_of=as_of).df()
    frame["event_date"] = pd.to_datetime(frame["event_date"])
    frame["label"] = [
        event_label(k, lv, y, r)
        for k, lv, y, r in zip(
            frame["kind"], frame["level"], frame["eval_year"], frame["result"], strict=True
        )
    ]
    frame["group"] = [
        event_group(k, lv, r)
        for k, lv, r in zip(frame["kind"], frame["level"], frame["result"], strict=True)
    ]
    frame["note"] = frame["note"].astype(object).where(frame["note"].notna(), "")
    return frame


def members(con: duckdb.DuckDBPyConnection, center_id: int) -> pd.DataFrame:
    """Member units in the order entered: name and type (未注明 when the row gave none)."""
    frame = db.run(con, "center_detail_members", center_id=center_id).df()
    frame["member_type"] = (
        frame["member_type"].astype(object).where(frame["member_type"].notna(), "未注明")
    )
    return frame[["name", "member_type"]]


def annual(con: duckdb.DuckDBPyConnection, center_id: int, as_of: dt.date) -> pd.DataFrame:
    """Annual data rows for years ended by as_of, oldest first (money in 万元)."""
    return db.run(con, "center_detail_annual", center_id=center_id, as_of=as_of).df()


def annual_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Annual data as people read it: one row per indicator, one column per year (2020年…)."""
    table: dict[str, list[str]] = {"指标": [label for _, label, _ in ANNUAL_ROWS]}
    for _, row in frame.iterrows():
        cells = []
        for key, _, kind in ANNUAL_ROWS:
            value = row[key]
            if kind == "money":
                cells.append(money_cn(value))
            elif kind == "bool":
                cells.append(yes_no(value))
            else:
                cells.append(_count(value, kind))
        table[f"{int(row['year'])}年"] = cells
    return pd.DataFrame(table)
