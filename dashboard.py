"""洛阳市制造业创新中心建设监测平台 — the app's entry point: page config and navigation."""

import streamlit as st

st.set_page_config(page_title="洛阳市制造业创新中心监测", page_icon="🏭", layout="wide")

pages = [
    st.Page("pages/overview.py", title="总览", icon="📊", default=True),
]
st.navigation(pages).run()
