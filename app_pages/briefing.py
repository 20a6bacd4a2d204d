"""简报: one screen for a leader — targets with their lights, sentences from the data, the
forecast and the pace that closes each gap, what moved since the last saved briefing, the top
alerts, the fields with no center, the counties ranked; PDF and PPTX of the same content."""

import datetime as dt

import streamlit as st

from mic_tracker.briefing import compose, default_horizon
from mic_tracker.briefing_text import filters_line
from mic_tracker.i18n import language, t
from mic_tracker.snapshots import previous, save
from mic_tracker.ui import briefing_view as view_ui
from mic_tracker.ui.data import database, session_scope, show_error
from mic_tracker.ui.filters import current_view

view = current_view()
lang = language()
scope = session_scope()
st.title(t("领导简报"))
st.caption(
    t("按所选日期和筛选生成；可下载 PDF（A4）或 PPTX，也可用浏览器打印（打印时不含侧栏和按钮）。")
)

first = default_horizon(view.as_of).year
left, right = st.columns(2)
year = left.selectbox(t("预测至（年底）"), list(range(first, first + 11)), key="briefing_horizon")
snapshots = view_ui.saved_briefings(view.filters)
earlier = {s.id: s for s in snapshots if s.as_of < view.as_of}
default = previous(snapshots, view.as_of)
picked_id = right.selectbox(
    t("与哪一期简报比较"),
    [None, *earlier],
    index=list(earlier).index(default.id) + 1 if default else 0,
    format_func=lambda i: (
        t("不比较") if i is None else f"{earlier[i].title}（{earlier[i].as_of.isoformat()}）"
    ),
    key=f"briefing_compare_{lang}",  # labels differ by language
)
picked = earlier.get(picked_id) if picked_id is not None else None
try:
    fig, det = view_ui.read(view, dt.date(year, 12, 31))
except Exception as exc:
    show_error(exc)
    st.stop()

note = (
    t("（预警、空白领域和县区排名只计{county}的中心）", county=scope.county_name)
    if scope.county
    else ""
)
doc = compose(fig, det, filters_line(view.filters, lang, note), lang, picked)

pdf_col, pptx_col, _ = st.columns([1, 1, 2])
pdf_col.download_button(
    t("下载 PDF"),
    lambda: view_ui.pdf(doc),
    view_ui.export_name(doc, view.as_of, view.filters, "pdf"),
    mime="application/pdf",
    type="primary",
    width="stretch",
)
pptx_col.download_button(
    t("下载 PPTX"),
    lambda: view_ui.pptx(doc),
    view_ui.export_name(doc, view.as_of, view.filters, "pptx"),
    mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
    width="stretch",
)

view_ui.document(doc)

if scope.role in ("admin", "editor"):
    with st.form("briefing_save", clear_on_submit=False):
        st.markdown(t("**保存本期简报**：保存后，之后日期的简报会与它比较（只保存数字和状态）。"))
        title = st.text_input(
            t("简报标题"),
            value=t("{date}简报", date=view.as_of.isoformat()),
            max_chars=100,
            key="briefing_title",
        )
        if st.form_submit_button(t("保存本期简报"), key="briefing_save_button"):
            try:
                got = save(database(), title, view.as_of, view.filters, fig, scope)
            except Exception as exc:
                show_error(exc)
            else:
                st.success(t("已保存：{title}", title=got.title))
