"""总览: where each target of the plan stands as of a date (placeholder until the dashboard issue)."""

import datetime as dt

import pandas as pd
import streamlit as st

from mic_tracker.demo import load_demo
from mic_tracker.policy import load_plan
from mic_tracker.report import STATUS_LABELS, STATUS_RULES, Filters
from mic_tracker.textfmt import date_cn
from mic_tracker.ui.data import database, get_report, show_error, status

plan = load_plan()
st.title("制造业创新中心建设目标进度")
st.caption(f"{plan.doc_number}《{plan.title}》")

info = status()
if not info["centers"]:
    st.info(
        "数据库中还没有任何创新中心。可以先载入示例数据看看效果，或用命令行导入各县区报送的工作簿。"
    )
    if st.button("载入示例数据（示例数据，非真实登记）", type="primary"):
        try:
            load_demo(database())
        except Exception as exc:
            show_error(exc)
        else:
            st.rerun()
    st.code("python -m mic_tracker import 各县区报送.xlsx", language="bash")
    st.stop()

as_of = st.date_input("截至日期", value=dt.date.today(), format="YYYY-MM-DD")
data = get_report(as_of, Filters())
changed = info["last_change"].replace("T", " ")[:16] if info["last_change"] else "—"
line = f"截至 {date_cn(as_of)} · 数据最后更新 {changed}"
if info["demo"]:
    line += " · **示例数据**"
st.markdown(line)

names = plan.metrics


def target_text(t: dict) -> str:
    text = (
        str(t["target"]) if t["target"] == t["target_max"] else f"{t['target']}—{t['target_max']}"
    )
    return f"约{text}" if t["approx"] else text


rows = [
    {
        "目标": f"{t['year']}年底 {names[t['metric']]}",
        "实际": t["actual"],
        "目标数": t["target"]
        if t["target"] == t["target_max"]
        else f"{t['target']}—{t['target_max']}",
        "差距": f"还差 {t['gap']} 家" if t["gap"] else "已达到",
        "状态": STATUS_LABELS[t["status"]],
        "规则": STATUS_RULES[t["status"]],
    }
    for t in data["targets"]
]
st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
