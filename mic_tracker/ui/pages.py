"""The app's pages and who sees which: 领导 (viewer) all but 数据; 管理员 also 用户."""

from __future__ import annotations

from typing import NamedTuple

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from mic_tracker.i18n import language, t
from mic_tracker.scope import Scope

EVERYONE = ("admin", "editor", "county_editor", "viewer")
WRITERS = ("admin", "editor", "county_editor")


class PageSpec(NamedTuple):
    script: str
    title: str  # Chinese: shown through t(), so the key of its translation
    icon: str
    url_path: str
    roles: tuple[str, ...] = EVERYONE


PAGES = (
    PageSpec("app_pages/overview.py", "总览", ":material/dashboard:", "overview"),
    PageSpec("app_pages/fields.py", "领域", ":material/category:", "fields"),
    PageSpec("app_pages/counties.py", "县区", ":material/map:", "counties"),
    PageSpec("app_pages/levels.py", "层级", ":material/stacked_bar_chart:", "levels"),
    PageSpec("app_pages/centers.py", "中心", ":material/factory:", "centers"),
    PageSpec("app_pages/alerts.py", "预警", ":material/notifications:", "alerts"),
    PageSpec("app_pages/funding.py", "资金", ":material/payments:", "funding"),
    PageSpec("app_pages/briefing.py", "简报", ":material/summarize:", "briefing"),
    # 领导 read; the 数据 page is for those who keep the register.
    PageSpec("app_pages/data.py", "数据", ":material/database:", "data", WRITERS),
    PageSpec("app_pages/users.py", "用户", ":material/group:", "users", ("admin",)),
)


def page_specs(role: str) -> list[PageSpec]:
    return [p for p in PAGES if role in p.roles]


def pages_for(scope: Scope | None) -> list[StreamlitPage]:
    """The pages in the navigation, titled in this run's language; before sign-in (None) all
    of them, shown hidden.

    Kept in the session for its role and language: building them resolves every script's path
    on each rerun. Not shared between sessions: st.navigation marks the chosen page on the
    object for the run."""
    role = scope.role if scope else "admin"
    key = (role, language())
    kept = st.session_state.get("_pages")
    if not (isinstance(kept, tuple) and kept[0] == key):
        kept = (key, _pages(role))
        st.session_state["_pages"] = kept
    return kept[1]


def _pages(role: str) -> list[StreamlitPage]:
    return [
        st.Page(p.script, title=t(p.title), icon=p.icon, url_path=p.url_path, default=i == 0)
        for i, p in enumerate(page_specs(role))
    ]
