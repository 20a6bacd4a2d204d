"""The briefing on screen: the same sections the PDF and the slides print, laid out for A4 when
the browser prints it (no sidebar, no buttons)."""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

import streamlit as st

from mic_tracker import db
from mic_tracker.briefing import details_narrowed, figures_narrowed
from mic_tracker.briefing_doc import LIGHT_RGB, BriefingDoc, Section, Table
from mic_tracker.downloads import file_name
from mic_tracker.forecast import pool_rows, step_groups
from mic_tracker.i18n import t
from mic_tracker.policy import load_plan
from mic_tracker.report import Filters, count_groups, report_dates
from mic_tracker.snapshots import Snapshot, saved
from mic_tracker.ui.data import (
    alert_reads,
    database,
    derived,
    session_scope,
    shared_city,
    status,
    together,
)
from mic_tracker.ui.filters import ViewState

PRINT_CSS = """
<style>
.briefing-table {border-collapse: collapse; width: 100%; font-size: 0.9rem; margin: 0.3rem 0;}
.briefing-table th {background: #f0f2f6; text-align: left; padding: 4px 8px;}
.briefing-table td {border-top: 1px solid #e6e6e6; padding: 4px 8px;}
.briefing-dot {display: inline-block; width: 0.8em; height: 0.8em; border-radius: 50%;
  margin-right: 0.4em; vertical-align: -0.05em;}
.briefing-demo {color: #c83232; font-weight: 700;}
@media print {
  @page {size: A4; margin: 14mm;}
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"],
  [data-testid="stDecoration"], .stButton, .stDownloadButton, .stSelectbox, .stTextInput,
  .stForm, .briefing-no-print, [data-testid="stExpander"] {display: none !important;}
  [data-testid="stMainBlockContainer"] {padding: 0 !important; max-width: 100% !important;}
  .briefing-table {font-size: 9pt;}
  .briefing-table tr, .stPlotlyChart, [data-testid="stPlotlyChart"] {break-inside: avoid;}
  h2, h3 {break-after: avoid;}
}
</style>
"""


def read(view: ViewState, horizon: dt.date) -> tuple[dict[str, Any], dict[str, Any]]:
    """briefing.figures and briefing.details of the view, put together once per view from
    reads of every center as of the date (the alert ones are the 预警 page's own), narrowed to
    the filters in memory: a filter change reads nothing again. The seven reads run at the same
    time. The results are shared: read them, do not change them."""
    as_of, filters = view.as_of, view.filters
    dates = tuple(report_dates(load_plan(), as_of))
    counted, history, pools, *reads = together(
        lambda: shared_city(count_groups, dates, Filters()),
        lambda: shared_city(step_groups, as_of, Filters()),
        lambda: shared_city(pool_rows, as_of, Filters()),
        *alert_reads(as_of),
    )
    info = status()
    register = {"demo": info["demo"], "last_change": info["last_change"]}
    fig = derived(
        figures_narrowed,
        (as_of, filters, horizon, info["last_change"]),
        *(as_of, filters, horizon, counted, history, pools, register),
    )
    return fig, derived(details_narrowed, (as_of, filters), tuple(reads), filters)


def saved_briefings(filters: Filters) -> list[Snapshot]:
    """Read fresh each run (saving one does not change the register's data version)."""
    with db.connect(database(), scope=session_scope()) as con:
        return saved(con, filters)


def _dot(light: str | None) -> str:
    if light is None:
        return ""
    rgb = "rgb({},{},{})".format(*LIGHT_RGB[light])
    return f'<span class="briefing-dot" style="background:{rgb}"></span>'


def table_html(table: Table) -> str:
    head = "".join(f"<th>{escape(c)}</th>" for c in table.columns)
    body = []
    for i, row in enumerate(table.rows):
        light = table.lights[i] if i < len(table.lights) else None
        cells = [
            (_dot(light) if j == table.light_column else "") + escape(cell)
            for j, cell in enumerate(row)
        ]
        body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return (
        f'<table class="briefing-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def section(s: Section) -> None:
    st.subheader(s.title)
    if s.key == "summary":
        st.markdown("\n".join(f"- {escape(line)}" for line in s.lines))
    else:
        for line in s.lines:
            st.markdown(escape(line))
    if s.table is not None and s.table.rows:
        st.html(table_html(s.table))
    if s.chart is not None:
        st.plotly_chart(s.chart, width="stretch", key=f"briefing_chart_{s.key}")
    if s.note:
        st.caption(s.note)


def document(doc: BriefingDoc) -> None:
    st.html(PRINT_CSS)
    stamp = " · ".join(escape(line) for line in doc.stamp())
    if doc.demo:
        stamp = stamp.replace(
            escape(doc.demo_label), f'<span class="briefing-demo">{escape(doc.demo_label)}</span>'
        )
    st.html(f"<div><b>{escape(doc.title)}</b><br>{stamp}</div>")
    for s in doc.sections:
        section(s)


def export_name(doc: BriefingDoc, as_of: dt.date, filters: Filters, ext: str) -> str:
    """简报_截至2022-06-30_新材料.pdf (Briefing_… in English)."""
    return file_name(t("简报", doc.lang) if doc.lang == "zh" else "Briefing", as_of, ext, filters)


def pdf(doc: BriefingDoc) -> bytes:
    """Made only when the button is clicked (rendering the chart takes a browser)."""
    from mic_tracker.export_pdf import pdf_bytes

    return pdf_bytes(doc)


def pptx(doc: BriefingDoc) -> bytes:
    from mic_tracker.export_pptx import pptx_bytes

    return pptx_bytes(doc)
