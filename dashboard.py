"""洛阳市制造业创新中心建设监测平台 — entry point: page config, the shared filter bar, navigation."""

import streamlit as st

from mic_tracker import db
from mic_tracker.ui.data import load_status
from mic_tracker.ui.filters import filter_bar
from mic_tracker.ui.frame import first_start, header

st.set_page_config(
    page_title="洛阳市制造业创新中心监测", page_icon=":material/factory:", layout="wide"
)

pages = [
    st.Page(
        "app_pages/overview.py",
        title="总览",
        icon=":material/dashboard:",
        url_path="overview",
        default=True,
    ),
    st.Page("app_pages/fields.py", title="领域", icon=":material/category:", url_path="fields"),
    st.Page("app_pages/counties.py", title="县区", icon=":material/map:", url_path="counties"),
    st.Page(
        "app_pages/levels.py", title="层级", icon=":material/stacked_bar_chart:", url_path="levels"
    ),
    st.Page("app_pages/centers.py", title="中心", icon=":material/factory:", url_path="centers"),
    st.Page(
        "app_pages/alerts.py", title="预警", icon=":material/notifications:", url_path="alerts"
    ),
    st.Page("app_pages/funding.py", title="资金", icon=":material/payments:", url_path="funding"),
    st.Page("app_pages/data.py", title="数据", icon=":material/database:", url_path="data"),
]
page = st.navigation(pages)
# The server process keeps the file open between reruns; another process asking for it
# (the CLI) gets it handed over between two operations (mic_tracker.db._Instance).
db.keep_open(0.5)
info = load_status()
if not info["centers"]:
    first_start()
    st.stop()
view = filter_bar()
header(view, info)
page.run()
