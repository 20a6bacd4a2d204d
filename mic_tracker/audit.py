"""Reading the audit log: who changed what, when (every write records itself in its transaction)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import duckdb
import pandas as pd

from mic_tracker import db

ACTIONS = {
    "import": "导入",
    "form": "表单",
    "init": "初始化",
    "cli": "命令行",
    "reset": "清空重建",
    "restore": "从备份恢复",
}
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
    pairs = [_changed(b, a) for b, a in zip(frame["before"], frame["after"], strict=True)]
    frame["before"] = [_short(b) for b, _ in pairs]
    frame["after"] = [_short(a) for _, a in pairs]
    return frame.sort_values("id", ascending=False).reset_index(drop=True)


def _load(value: object) -> Any:
    if not isinstance(value, str) or not value:
        return None  # no JSON: None, or NaN where pandas filled a missing value
    return json.loads(value)


def _changed(before: object, after: object) -> tuple[Any, Any]:
    """For an edit of a record, only the keys whose values changed, so the log reads as a diff."""
    old, new = _load(before), _load(after)
    if isinstance(old, dict) and isinstance(new, dict):
        keys = [k for k in new if old.get(k) != new.get(k)]
        return {k: old.get(k) for k in keys}, {k: new[k] for k in keys}
    return old, new


def _short(value: Any) -> str:
    if value is None:
        return ""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 160 else text[:157] + "…"


def filter_audit(
    frame: pd.DataFrame, actions: list[str], entities: list[str], text: str = ""
) -> pd.DataFrame:
    """Rows of audit_rows' frame with one of the actions and entities (as labelled; empty
    means all) whose name, operator or before/after contains the text."""
    keep = pd.Series(True, index=frame.index)
    if actions:
        keep &= frame["action"].isin(actions)
    if entities:
        keep &= frame["entity"].isin(entities)
    if text.strip():
        needle = text.strip()
        hay = frame[["entity_key", "actor", "before", "after"]].fillna("").astype(str)
        keep &= hay.apply(lambda col: col.str.contains(needle, regex=False)).any(axis=1)
    return frame[keep].reset_index(drop=True)
