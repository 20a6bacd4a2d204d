"""Figures and table settings for the centers page: the list's columns, one center's timeline."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from mic_tracker.center_detail import EVENT_GROUPS
from mic_tracker.centers import DATE_COLUMNS, TABLE_COLUMNS, row_names
from mic_tracker.textfmt import date_cn
from mic_tracker.ui.style import LEVEL_COLORS, STATUS_COLORS, chart_layout

GROUP_COLORS = {
    "applying": "#8c959f",
    "cultivation": LEVEL_COLORS["cultivation"],
    "city": LEVEL_COLORS["city"],
    "province": LEVEL_COLORS["province"],
    "national": LEVEL_COLORS["national"],
    "passed": STATUS_COLORS["met"],
    "setback": STATUS_COLORS["off_track"],
}


def pick_row(table: pd.DataFrame) -> None:
    """on_select of the centers table: a clicked row chooses that center in the selectbox."""
    picked = row_names(table, st.session_state["center_table"]["selection"]["rows"])
    if picked:
        st.session_state["center"] = picked[0]


def mark_chosen(table: pd.DataFrame) -> None:
    """Highlight the chosen center's row, so the table and the page below always agree."""
    chosen = st.session_state.get("center", st.query_params.get("center"))  # URL on first run
    rows = [i for i, name in enumerate(table["name"]) if name == chosen]
    st.session_state["center_table"] = {"selection": {"rows": rows, "columns": [], "cells": []}}


def list_columns() -> dict[str, Any]:
    """column_config for the centers table: Chinese headers, dates as YYYY-MM-DD."""
    config: dict[str, Any] = {
        key: st.column_config.TextColumn(label) for key, label in TABLE_COLUMNS.items()
    }
    config["next_deadline"] = st.column_config.TextColumn(
        TABLE_COLUMNS["next_deadline"],
        help=(
            "培育中的中心：列入市级培育名单起2年的培育期满日（民法典第201—203条计算，"
            "遇休息日顺延至下一个工作日）。「暂定」：该年的法定节假日安排尚未公布，按周一至周五推算。"
        ),
    )
    for key in DATE_COLUMNS:
        config[key] = st.column_config.DateColumn(TABLE_COLUMNS[key], format="YYYY-MM-DD")
    return config


EVENT_COLUMNS = {
    "event_date": st.column_config.DateColumn("日期", format="YYYY-MM-DD"),
    "label": "事件",
    "note": "备注",
}
FACT_COLUMNS = {
    "项目": st.column_config.TextColumn("项目", width=190),
    "内容": st.column_config.TextColumn("内容", width="large"),
}
MEMBER_COLUMNS = {"name": "成员单位", "member_type": "类型"}


def timeline(events: pd.DataFrame, name: str, as_of: dt.date) -> go.Figure:
    """Each event as a dot on its own row, oldest at the top, coloured by what it means."""
    rows = list(dict.fromkeys(events["label"]))
    fig = go.Figure()
    for group, legend in EVENT_GROUPS.items():
        part = events[events["group"] == group]
        if part.empty:
            continue
        fig.add_scatter(
            x=part["event_date"],
            y=part["label"],
            mode="markers+text",
            name=legend,
            marker={
                "size": 13,
                "color": GROUP_COLORS[group],
                "line": {"color": "white", "width": 1},
            },
            text=[d.strftime("%Y-%m-%d") for d in part["event_date"]],
            textposition="middle right",
            textfont={"size": 11, "color": "#57606a"},
            customdata=[
                [date_cn(d.date()), n]
                for d, n in zip(part["event_date"], part["note"], strict=True)
            ],
            hovertemplate="%{y}<br>%{customdata[0]}<br>%{customdata[1]}<extra></extra>",
        )
    as_of_ms = dt.datetime.combine(as_of, dt.time()).timestamp() * 1000
    fig.add_vline(x=as_of_ms, line={"color": "#888", "dash": "dot"})
    fig.add_annotation(
        x=as_of_ms,
        y=1,
        yref="paper",
        text="截至日期",
        showarrow=False,
        xanchor="right",
        yanchor="bottom",
        font={"size": 11, "color": "#57606a"},
    )
    start = events["event_date"].min().date() - dt.timedelta(days=45)
    end = as_of + dt.timedelta(days=120)
    layout = chart_layout(f"{name}：截至{date_cn(as_of)}的事件（日期之后的事件不显示）")
    # Legend under the axis: the top right is taken by the as-of marker's label.
    layout["legend"] = {"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0, "xanchor": "left"}
    fig.update_layout(**layout, height=190 + 30 * len(rows), showlegend=True)
    fig.update_xaxes(title_text="日期", range=[start, end], tickformat="%Y年%-m月", showgrid=True)
    fig.update_yaxes(
        title_text="事件", categoryorder="array", categoryarray=rows, autorange="reversed"
    )
    return fig
