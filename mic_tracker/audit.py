"""Reading the audit log: who changed what, when (every write records itself in its transaction)."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from mic_tracker import db
from mic_tracker.changes import describe, load
from mic_tracker.policy import load_plan

ACTIONS = {
    "import": "导入",
    "form": "表单",
    "init": "初始化",
    "cli": "命令行",
    "reset": "清空重建",
    "restore": "从备份恢复",
    "user_add": "新增账号",
    "user_disable": "停用账号",
    "user_enable": "启用账号",
    "user_password": "重置密码",
}
ENTITIES = {
    "center": "中心",
    "event": "事件",
    "members": "成员单位",
    "annual": "年度数据",
    "database": "数据库",
    "funding_manual": "资金录入",
    "user": "用户账号",
    "briefing": "简报",
}


def audit_rows(con: duckdb.DuckDBPyConnection, since: dt.date) -> pd.DataFrame:
    """Audit rows logged on or after the date, newest first, each change told in one line."""
    rows = db.rows(con, "audit_since", since=dt.datetime.combine(since, dt.time()))
    plan = load_plan()
    frame = pd.DataFrame(
        [
            {
                "id": r["id"],
                "logged_at": r["logged_at"],
                "actor": r["actor"],
                "action": ACTIONS.get(r["action"], r["action"]),
                "entity": ENTITIES.get(r["entity"], r["entity"]),
                "entity_key": r["entity_key"],
                "change": describe(r["entity"], load(r["before"]), load(r["after"]), plan),
            }
            for r in rows
        ],
        columns=["id", "logged_at", "actor", "action", "entity", "entity_key", "change"],
    )
    return frame.sort_values("id", ascending=False).reset_index(drop=True)


def filter_audit(
    frame: pd.DataFrame, actions: list[str], entities: list[str], text: str = ""
) -> pd.DataFrame:
    """Rows of audit_rows' frame with one of the actions and entities (as labelled; empty
    means all) whose name, operator or change contains the text."""
    keep = pd.Series(True, index=frame.index)
    if actions:
        keep &= frame["action"].isin(actions)
    if entities:
        keep &= frame["entity"].isin(entities)
    if text.strip():
        needle = text.strip()
        hay = frame[["entity_key", "actor", "change"]].fillna("").astype(str)
        keep &= hay.apply(lambda col: col.str.contains(needle, regex=False)).any(axis=1)
    return frame[keep].reset_index(drop=True)
