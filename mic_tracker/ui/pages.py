"""The app's pages and who sees which: 领导 (viewer) all but 数据; 管理员 also 用户."""

from __future__ import annotations

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from mic_tracker.scope import Scope


def pages_for(scope: Scope | None) -> list[StreamlitPage]:
    """The pages in the navigation; before sign-in (None) all of them, hidden."""
    role = scope.role if scope else "admin"
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
            "app_pages/levels.py",
            title="层级",
            icon=":material/stacked_bar_chart:",
            url_path="levels",
        ),
        st.Page(
            "app_pages/centers.py", title="中心", icon=":material/factory:", url_path="centers"
        ),
        st.Page(
            "app_pages/alerts.py", title="预警", icon=":material/notifications:", url_path="alerts"
        ),
        st.Page(
            "app_pages/funding.py", title="资金", icon=":material/payments:", url_path="funding"
        ),
    ]
    if role != "viewer":  # 领导 read; the 数据 page is for those who keep the register
        pages.append(
            st.Page("app_pages/data.py", title="数据", icon=":material/database:", url_path="data")
        )
    if role == "admin":
        pages.append(
            st.Page("app_pages/users.py", title="用户", icon=":material/group:", url_path="users")
        )
    return pages
