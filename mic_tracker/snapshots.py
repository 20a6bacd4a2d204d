"""Saved briefings and what moved since the previous one.

A briefing is saved with its figures as shown (counts and statuses, no names), so "since the
last briefing" compares with what leaders were told then, not with a recomputation.
Movement follows the Ouhai 三色 practice: a target improves when its light moves
red → amber → green, or, with the same light, when its count rises.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from mic_tracker import db
from mic_tracker.briefing_doc import LIGHTS
from mic_tracker.errors import BriefingRejected, ScopeDenied
from mic_tracker.report import Filters
from mic_tracker.scope import Scope

LIGHT_RANK = {"red": 0, "amber": 1, "green": 2}
MAX_TITLE = 100


@dataclass(frozen=True)
class Snapshot:
    id: int
    title: str
    as_of: dt.date
    saved_at: dt.datetime
    saved_by: str
    targets: list[dict[str, Any]]


def _filters_key(filters: Filters) -> str:
    return json.dumps(filters.as_json(), ensure_ascii=False, sort_keys=True)


def saved(con: duckdb.DuckDBPyConnection, filters: Filters) -> list[Snapshot]:
    """Briefings saved for this view (the same filters), newest as-of date first."""
    return [
        Snapshot(
            r["id"],
            r["title"],
            r["as_of"],
            r["saved_at"],
            r["saved_by"],
            json.loads(r["figures"])["targets"],
        )
        for r in db.rows(con, "briefing_list", filters=_filters_key(filters))
    ]


def previous(snapshots: list[Snapshot], as_of: dt.date) -> Snapshot | None:
    """The latest briefing saved for a date before this one."""
    return next((s for s in snapshots if s.as_of < as_of), None)


def save(
    path_db: Path,
    title: str,
    as_of: dt.date,
    filters: Filters,
    figures: dict[str, Any],
    who: Scope | None = None,
) -> Snapshot:
    """Save a briefing's figures with its title, in one transaction with its audit row."""
    if who is not None and who.role not in ("admin", "editor"):
        raise ScopeDenied("只有管理员和编辑可以保存简报。")
    title = " ".join(title.split())
    if not title or len(title) > MAX_TITLE:
        raise BriefingRejected(f"简报标题：请填写 1–{MAX_TITLE} 个字，如“2022年二季度简报”")
    actor = who.actor if who else db.current_user()
    kept = {"targets": figures["targets"]}
    with db.writing(path_db) as con:
        got = db.rows(
            con,
            "briefing_insert",
            title=title,
            as_of=as_of,
            filters=_filters_key(filters),
            figures=db.to_json(kept),
            saved_by=actor,
        )[0]
        after = {"title": title, "as_of": as_of.isoformat(), "filters": filters.as_json()}
        db.audit(con, "form", "briefing", title, None, after, actor=actor)
    return Snapshot(got["id"], title, as_of, got["saved_at"], actor, kept["targets"])


def light(status: str) -> str:
    return LIGHTS.get(status, "red")


def moved(before: dict[str, Any], now: dict[str, Any]) -> str:
    """improved / declined / same, by the light first, then the count."""
    a, b = LIGHT_RANK[light(before["status"])], LIGHT_RANK[light(now["status"])]
    if a != b:
        return "improved" if b > a else "declined"
    if now["actual"] != before["actual"]:
        return "improved" if now["actual"] > before["actual"] else "declined"
    return "same"


def movement(snapshot: Snapshot, targets: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per target now shown: its figures then and now and which way it moved."""
    then = {(t["year"], t["metric"]): t for t in snapshot.targets}
    out = []
    for t in targets:
        before = then.get((t["year"], t["metric"]))
        if before is None:
            continue
        out.append(
            {
                "year": t["year"],
                "metric": t["metric"],
                "actual_before": before["actual"],
                "actual_now": t["actual"],
                "light_before": light(before["status"]),
                "light_now": light(t["status"]),
                "status_before": before["status"],
                "status_now": t["status"],
                "moved": moved(before, t),
            }
        )
    return out
