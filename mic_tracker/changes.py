"""One change — an audit row's entity, before and after — told in plain Chinese, for the import
preview and the audit log: "所在县区：涧西区 → 西工区", "新增事件：2026-01-10 列入市级培育名单"."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from typing import Any

from mic_tracker.policy import Plan, load_plan
from mic_tracker.reference import load_resolver
from mic_tracker.scope import ROLE_LABELS, division_name
from mic_tracker.template import ANNUAL_COLUMNS, CENTER_COLUMNS, Column

_COLUMNS = {
    "center": {c.key: c for c in CENTER_COLUMNS},
    "annual": {c.key: c for c in ANNUAL_COLUMNS},
}


def load(value: object) -> Any:
    """An audit row's before/after: JSON text, or nothing (None, or pandas' NaN)."""
    return json.loads(value) if isinstance(value, str) and value else None


def describe(entity: str, before: Any, after: Any, plan: Plan | None = None) -> str:
    """The change in one line (before and after as stored in the audit log, already parsed)."""
    plan = plan or load_plan()
    if entity == "event":
        return _event(after, plan, "更新事件" if before else "新增事件")
    if entity == "members":
        return _members(before, after)
    if entity in _COLUMNS and isinstance(after, dict):
        return _record(_COLUMNS[entity], before, after, plan)
    if entity == "database" and isinstance(after, dict):
        return _database(after)
    if entity == "user" and isinstance(after, dict):
        return _account(after)
    if entity == "funding_manual" and isinstance(after, dict):
        return f"录入{after.get('amount')}万元" + (
            f"（{after['note']}）" if after.get("note") else ""
        )
    return "" if after is None else json.dumps(after, ensure_ascii=False)


_ACCOUNT = {
    "role": "角色",
    "county_code": "所属县区",
    "county": "所属县区",
    "disabled": "已停用",
    "password_changed_at": "密码修改于",
}


def _account(after: dict[str, Any]) -> str:
    """A user account change (the log never holds a password or its hash)."""
    parts = []
    for key, value in after.items():
        if key == "role":
            value = ROLE_LABELS.get(value, value)
        elif key.startswith("county") and value:
            value = division_name(value)
        elif isinstance(value, bool):
            value = "是" if value else "否"
        parts.append(f"{_ACCOUNT.get(key, key)}：{'—' if value is None else value}")
    return "；".join(parts)


def _database(after: dict[str, Any]) -> str:
    if after.get("demo"):
        return f"载入示例数据：{after.get('centers')} 个中心（随机种子 {after.get('seed')}）"
    if after.get("cleared"):
        return "清空登记册（清空前已自动备份）"
    if after.get("from"):
        return f"从备份恢复：{after['from']}"
    return json.dumps(after, ensure_ascii=False)


def _record(columns: dict[str, Column], before: Any, after: dict[str, Any], plan: Plan) -> str:
    if not isinstance(before, dict):
        shown = [
            f"{c.header}：{display(c, after[k], plan)}"
            for k, c in columns.items()
            if after.get(k) is not None and c.kind not in ("name",)
        ]
        return "新增：" + "；".join(shown) if shown else "新增"
    parts = []
    for k, c in columns.items():
        if k not in after:
            continue
        # Compared as shown: the log keeps 1500.0000 from the table and 1500 from a form.
        old, new = display(c, before.get(k), plan), display(c, after.get(k), plan)
        if old != new:
            parts.append(f"{c.header}：{old} → {new}")
    return "；".join(parts) or "无变化"


def _event(after: Any, plan: Plan, verb: str) -> str:
    if not isinstance(after, dict):
        return verb
    kind = plan.events.get(after.get("kind", ""))
    text = f"{verb}：{after.get('date', '')} {kind.label if kind else after.get('kind')}"
    if after.get("level") and kind is not None and kind.level == "choose":
        text += f"（{plan.levels.get(after['level'], after['level'])}）"
    if after.get("eval_year"):
        text += f" {after['eval_year']}年度"
    if after.get("result"):
        text += f" {plan.results.get(after['result'], after['result'])}"
    return text


def _members(before: Any, after: Any) -> str:
    def names(value: Any) -> list[str]:
        return [m[0] if isinstance(m, list | tuple) else str(m) for m in value or []]

    old, new = names(before), names(after)
    added = [n for n in new if n not in old]
    removed = [n for n in old if n not in new]
    parts = []
    if added:
        parts.append("新增成员单位：" + "、".join(added))
    if removed:
        parts.append("移除成员单位：" + "、".join(removed))
    return "；".join(parts) or "成员单位顺序调整"


def display(col: Column, value: Any, plan: Plan) -> str:
    """A stored (or JSON-stored) value as a person reads it."""
    if value is None:
        return "（空）"
    if col.kind == "bool":
        return "是" if value else "否"
    if col.kind == "field":
        return plan.field(int(value)).name
    if col.kind == "county":
        division = load_resolver().by_code.get(str(value))
        return division.name if division else str(value)
    if col.kind == "money" or isinstance(value, Decimal):
        try:
            return format(Decimal(str(value)).normalize(), "f")
        except InvalidOperation:
            return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
