"""Reading the audit log: who changed what, when (every write records itself in its transaction)."""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import pandas as pd

from mic_tracker import db

ACTIONS = {"import": "导入", "form": "表单", "init": "初始化", "cli": "命令行"}
ENTITIES = {
    "center": "中心",
    "event": "事件",
    "members": "成员单位",
    "annual": "年度数据",
    "database": "数据库",
    "funding_manual": "资金录入",
}


def audit_rows(con: duckdb.DuckDBPyConnection, since: dt.date) -> pd.DataFrame:
    """Audit rows logged on or after the date, newest first, with before/after as short text."""
    rows = db.rows(con, "audit_since", since=dt.datetime.combine(since, dt.time()))
    frame = pd.DataFrame(
        rows,
        columns=["id", "logged_at", "actor", "action", "entity", "entity_key", "before", "after"],
    )
    frame["action"] = frame["action"].map(lambda a: ACTIONS.get(a, a))
    frame["entity"] = frame["entity"].map(lambda e: ENTITIES.get(e, e))
    for col in ("before", "after"):
        frame[col] = frame[col].map(_short)
    return frame.sort_values("id", ascending=False).reset_index(drop=True)


def _short(value: object) -> str:
    if not isinstance(value, str) or not value:
        return ""  # no JSON: None, or NaN where pandas filled a missing value
    text = json.dumps(json.loads(value), ensure_ascii=False)
    return text if len(text) <= 160 else text[:157] + "…"
