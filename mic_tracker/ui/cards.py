"""Status cards: one per target (metric × year), with the gap and the rule behind the light."""

from __future__ import annotations

from typing import Any

import streamlit as st

from mic_tracker.policy import Plan
from mic_tracker.report import STATUS_LABELS, STATUS_RULES

BADGE = {
    "met": "green",
    "on_track": "blue",
    "at_risk": "orange",
    "off_track": "red",
    "missed": "gray",
}
ICON = {
    "met": ":material/check_circle:",
    "on_track": ":material/trending_up:",
    "at_risk": ":material/warning:",
    "off_track": ":material/error:",
    "missed": ":material/cancel:",
}


def goal_text(t: dict[str, Any]) -> str:
    text = (
        str(t["target"]) if t["target"] == t["target_max"] else f"{t['target']}—{t['target_max']}"
    )
    return f"约{text}" if t["approx"] else text


def gap_text(t: dict[str, Any]) -> str:
    return f"还差 {t['gap']} 家" if t["gap"] else "已达到目标"


def status_badge(status: str) -> str:
    return f":{BADGE[status]}-badge[{ICON[status]} {STATUS_LABELS[status]}]"


def _pace(t: dict[str, Any]) -> str:
    if t["expected"] is None:
        return ""
    return f"按进度此时应有 {t['expected']:.1f} 家，低一阶段在推进 {t['pipeline']} 家"


def _rule(t: dict[str, Any]) -> str:
    pace = _pace(t)
    return f"{STATUS_RULES[t['status']]}。" + (f"{pace}。" if pace else "")


def target_cards(targets: list[dict[str, Any]], plan: Plan) -> None:
    """Cards grouped by target year, three to a row; the rule behind each light in its tooltip."""
    years = sorted({t["year"] for t in targets})
    for year in years:
        row = [t for t in targets if t["year"] == year]
        st.markdown(f"**到{year}年底**")
        for col, t in zip(st.columns(3), row, strict=False):
            with col, st.container(border=True):
                label = f"{plan.metrics[t['metric']]}　{status_badge(t['status'])}"
                st.markdown(label, help=_rule(t))
                st.markdown(f"### {t['actual']} / {goal_text(t)} 家")
                st.caption(" · ".join(x for x in (gap_text(t), _pace(t)) if x))
