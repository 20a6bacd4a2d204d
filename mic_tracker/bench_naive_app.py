"""The benchmark's baseline: the overview as a typical Streamlit app computes it — every table
read into pandas on each rerun, the as-of state and the counts worked out in pandas, no cache.

Not part of the product; `mic_tracker.bench` runs it in AppTest beside the real pages. It
counts exactly what the overview's target table counts (POLICY.md §2, titles held).
"""

import datetime as dt
import time

import pandas as pd
import streamlit as st

from mic_tracker import db, paths
from mic_tracker.policy import load_plan

started = time.perf_counter()
plan = load_plan()
with db.connect(paths.database_path(), create=False) as con:
    tables = {
        name: db.run(con, f"backup_{name}").df()  # select * of each register table
        for name in ("centers", "events", "members", "annual_data")
    }
    tables["fields"] = db.run(con, "fields_all").df()
    tables["divisions"] = db.run(con, "divisions_all").df()

as_of = dt.date.fromisoformat(st.query_params.get("as_of", dt.date.today().isoformat()))
sectors = st.sidebar.multiselect("行业分类", plan.sectors, key="sector")

centers = tables["centers"].merge(
    tables["fields"][["seq", "sector"]], left_on="field_seq", right_on="seq"
)
centers = centers.merge(
    tables["divisions"][["code", "current_code"]], left_on="division_code", right_on="code"
)
if sectors:
    centers = centers[centers["sector"].isin(sectors)]

events = tables["events"]
events = events[pd.to_datetime(events["event_date"]).dt.date <= as_of]
events = events.assign(level=events["level"].fillna(""))


def last(kind: str, level: str | None = None) -> pd.Series:
    chosen = events[events["kind"] == kind]
    if level is not None:
        chosen = chosen[chosen["level"] == level]
    return chosen.groupby("center_id")["event_date"].max()


def held(on: pd.Series, off: pd.Series) -> pd.Series:
    frame = pd.DataFrame({"on": on, "off": off})
    return frame["on"].notna() & (frame["off"].isna() | (frame["on"] > frame["off"]))


state = pd.DataFrame(
    {
        "cultivation": held(last("cultivation_listed"), last("cultivation_cancelled")),
        "city": held(last("city_certified"), last("title_revoked", "city")),
        "province": held(last("province_certified"), last("title_revoked", "province")),
        "national": held(last("national_certified"), last("title_revoked", "national")),
    }
).fillna(False)
state = centers.merge(state, left_on="id", right_index=True, how="left").fillna(
    {m: False for m in ("cultivation", "city", "province", "national")}
)
metrics = ["cultivation", "city", "province", "national"]
counts = state[metrics].sum()
targets = pd.DataFrame(
    [
        {
            "年度": t.year,
            "指标": plan.metrics[t.metric],
            "目标": t.target,
            "实际": int(counts[t.metric]),
        }
        for t in plan.targets
    ]
)
st.title("目标进度（基准：朴素写法）")
st.dataframe(targets)
st.dataframe(state.groupby("field_seq")[metrics].sum())
st.dataframe(state.groupby("current_code")[metrics].sum())
st.session_state["_script_seconds"] = time.perf_counter() - started
