"""Status cards: one per target (metric × year), with the gap and the rule behind the light."""

from __future__ import annotations

from typing import Any

import streamlit as st

from mic_tracker.i18n import language, t
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


def goal_text(g: dict[str, Any]) -> str:
    text = (
        str(g["target"]) if g["target"] == g["target_max"] else f"{g['target']}—{g['target_max']}"
    )
    return t("约{n}", n=text) if g["approx"] else text


def gap_text(g: dict[str, Any]) -> str:
    return t("还差 {n} 家", n=g["gap"]) if g["gap"] else t("已达到目标")


def status_label(status: str) -> str:
    """The status in words; 预警 alone is the 预警 page's title (Alerts), as a status At risk."""
    if status == "at_risk" and language() != "zh":
        return t("预警（状态）")
    return t(STATUS_LABELS[status])


def status_badge(status: str) -> str:
    return f":{BADGE[status]}-badge[{ICON[status]} {status_label(status)}]"


def _pace(g: dict[str, Any]) -> str:
    if g["expected"] is None:
        return ""
    return t(
        "按进度此时应有 {expected} 家，低一阶段在推进 {pipeline} 家",
        expected=f"{g['expected']:.1f}",
        pipeline=g["pipeline"],
    )


def _rule(g: dict[str, Any]) -> str:
    pace = _pace(g)
    return t("{rule}。", rule=t(STATUS_RULES[g["status"]])) + (
        t("{rule}。", rule=pace) if pace else ""
    )


def target_cards(targets: list[dict[str, Any]], plan: Plan) -> None:
    """Cards grouped by target year, three to a row; the rule behind each light in its tooltip."""
    years = sorted({t["year"] for t in targets})
    for year in years:
        row = [g for g in targets if g["year"] == year]
        st.markdown(t("**到{year}年底**", year=year))
        for col, g in zip(st.columns(3), row, strict=False):
            with col, st.container(border=True):
                label = f"{t(plan.metrics[g['metric']])}　{status_badge(g['status'])}"
                st.markdown(label, help=_rule(g))
                st.markdown(
                    "### " + t("{actual} / {goal} 家", actual=g["actual"], goal=goal_text(g))
                )
                st.caption(" · ".join(x for x in (gap_text(g), _pace(g)) if x))
