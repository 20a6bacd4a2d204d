"""Figures and table settings for the centers page: the list's columns, one center's timeline.

Labels are translated when drawn (t); the package's frames stay Chinese, so search, selection
and downloads' keys work the same in both languages.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from mic_tracker.center_detail import EVENT_GROUPS
from mic_tracker.centers import DATE_COLUMNS, TABLE_COLUMNS, row_names
from mic_tracker.i18n import language, t
from mic_tracker.policy import load_plan
from mic_tracker.textfmt import is_missing
from mic_tracker.ui.frame import day
from mic_tracker.ui.style import LEVEL_COLORS, STATUS_COLORS, chart_layout
from mic_tracker.ui.tables import SHOWN_ROWS

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
    """Highlight the chosen center's row, so the table and the page below always agree (no
    row when it is past the rows the table draws)."""
    chosen = st.session_state.get("center", st.query_params.get("center"))  # URL on first run
    drawn = table["name"].iloc[:SHOWN_ROWS].to_numpy()
    rows = np.flatnonzero(drawn == chosen).tolist() if chosen else []
    st.session_state["center_table"] = {"selection": {"rows": rows, "columns": [], "cells": []}}


def list_columns() -> dict[str, Any]:
    """column_config for the centers table: headers in the chosen language, dates YYYY-MM-DD."""
    config: dict[str, Any] = {
        key: st.column_config.TextColumn(t(label)) for key, label in TABLE_COLUMNS.items()
    }
    config["next_deadline"] = st.column_config.TextColumn(
        t(TABLE_COLUMNS["next_deadline"]),
        help=t(
            "培育中的中心：列入市级培育名单起2年的培育期满日（民法典第201—203条计算，"
            "遇休息日顺延至下一个工作日）。「暂定」：该年的法定节假日安排尚未公布，按周一至周五推算。"
        ),
    )
    for key in DATE_COLUMNS:
        config[key] = st.column_config.DateColumn(t(TABLE_COLUMNS[key]), format="YYYY-MM-DD")
    return config


def list_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The list as shown: the stage and form in the chosen language (rows stay in order)."""
    if language() == "zh":
        return table
    # Each distinct text translated once: a stress-scale list has 20,000 rows, a dozen texts.
    return table.assign(
        stage_label=_translated(table["stage_label"]), form=_translated(table["form"])
    )


def _translated(column: pd.Series) -> pd.Series:
    words = {v: t(v) for v in column.dropna().unique()}
    return column.map(words)


def event_columns() -> dict[str, Any]:
    return {
        "event_date": st.column_config.DateColumn(t("日期"), format="YYYY-MM-DD"),
        "label": t("事件"),
        "note": t("备注"),
    }


def fact_columns() -> dict[str, Any]:
    return {
        "项目": st.column_config.TextColumn(t("项目"), width=190),
        "内容": st.column_config.TextColumn(t("内容"), width="large"),
    }


def member_columns() -> dict[str, str]:
    return {"name": t("成员单位"), "member_type": t("类型")}


def _event_text(kind: str, level: Any, eval_year: Any, result: Any) -> str:
    """center_detail.event_label in the chosen language: 年度评价（2021年度，不合格）."""
    plan = load_plan()
    label = t(plan.events[kind].label) if kind in plan.events else kind
    details = []
    if kind in ("title_revoked", "recommended_up") and not is_missing(level):
        details.append(t(plan.levels.get(str(level), str(level))))
    if not is_missing(eval_year):
        details.append(t("{year}年度", year=int(eval_year)))
    if not is_missing(result):
        details.append(t(plan.results.get(str(result), str(result))))
    if not details:
        return label
    return t("{label}（{details}）", label=label, details=t("，").join(details))


def event_rows(events: pd.DataFrame) -> pd.DataFrame:
    """The events with `label` in the chosen language (the package gives it in Chinese)."""
    if language() == "zh":
        return events
    labels = [
        _event_text(k, lv, y, r)
        for k, lv, y, r in zip(
            events["kind"], events["level"], events["eval_year"], events["result"], strict=True
        )
    ]
    return events.assign(label=labels)


def annual_rows(table: pd.DataFrame) -> pd.DataFrame:
    """center_detail.annual_table with its words translated: indicators, headers, 是/否/未填
    (amounts and counts keep their units as the package writes them)."""
    table = table.map(t)
    return table.rename(columns={c: _year_header(c) for c in table.columns})


def _year_header(column: str) -> str:
    if column.endswith("年") and column[:-1].isdigit():
        return t("{year}年", year=column[:-1])
    return t(column)


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
            name=t(legend),
            marker={
                "size": 13,
                "color": GROUP_COLORS[group],
                "line": {"color": "white", "width": 1},
            },
            text=[d.strftime("%Y-%m-%d") for d in part["event_date"]],
            textposition="middle right",
            textfont={"size": 11, "color": "#57606a"},
            customdata=[
                [day(d.date()), n] for d, n in zip(part["event_date"], part["note"], strict=True)
            ],
            hovertemplate="%{y}<br>%{customdata[0]}<br>%{customdata[1]}<extra></extra>",
        )
    as_of_ms = dt.datetime.combine(as_of, dt.time()).timestamp() * 1000
    fig.add_vline(x=as_of_ms, line={"color": "#888", "dash": "dot"})
    fig.add_annotation(
        x=as_of_ms,
        y=1,
        yref="paper",
        text=t("截至日期"),
        showarrow=False,
        xanchor="right",
        yanchor="bottom",
        font={"size": 11, "color": "#57606a"},
    )
    start = events["event_date"].min().date() - dt.timedelta(days=45)
    end = as_of + dt.timedelta(days=120)
    layout = chart_layout(
        t("{name}：截至{date}的事件（日期之后的事件不显示）", name=name, date=day(as_of))
    )
    # Legend under the axis: the top right is taken by the as-of marker's label.
    layout["legend"] = {"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0, "xanchor": "left"}
    fig.update_layout(**layout, height=190 + 30 * len(rows), showlegend=True)
    fig.update_xaxes(
        title_text=t("日期"), range=[start, end], tickformat=t("%Y年%-m月"), showgrid=True
    )
    fig.update_yaxes(
        title_text=t("事件"), categoryorder="array", categoryarray=rows, autorange="reversed"
    )
    return fig
