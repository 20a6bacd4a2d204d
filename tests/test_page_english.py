"""AppTest in English (?lang=en): the navigation, the header, the sign-in form and the pages
中心, 资金, 数据, 用户 read in English; only names from the data stay Chinese. Chinese stays the
default, and the switch in the sidebar changes the language of the very next run."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from mic_tracker import auth, db
from mic_tracker.i18n import set_language, t
from mic_tracker.policy import load_plan
from mic_tracker.reference import load_resolver
from mic_tracker.ui.pages import page_specs
from tests.apptest import APP, open_app

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
A = "洛阳高端轴承制造业创新中心"
PAGES = ("app_pages/centers.py", "app_pages/funding.py", "app_pages/data.py", "app_pages/users.py")
TITLES = {
    "app_pages/centers.py": "Innovation centers",
    "app_pages/funding.py": "Funding: city grants calculated",
    "app_pages/data.py": "Data: import, export and audit",
    "app_pages/users.py": "User accounts",
}
# Chinese that English pages keep on purpose: the import template's sheet names and units
# as people type them, and provisional deadlines as the package writes them.
KEPT = ("中心", "事件", "年度数据", "万元", "亿元", "暂定")


def data_names(db_path: Path) -> list[str]:
    """Names from the data, longest first (so a center's name goes before its county's)."""
    plan = load_plan()
    with db.connect(db_path) as con:
        centers = [r[0] for r in con.execute("select name from centers").fetchall()]
    names = [
        *centers,
        *(f.name for f in plan.fields),
        *plan.sectors,
        *(d.name for d in load_resolver().current_units),
        *(u["name"] for u in auth.list_users(db_path)),
        plan.doc_number,
        *KEPT,
    ]
    return sorted(set(names), key=len, reverse=True)


def chinese_left(texts: Iterable[str], names: list[str]) -> list[str]:
    """The texts that still hold Chinese once the data's names are taken out."""
    left = []
    for text in texts:
        rest = text
        for name in names:
            rest = rest.replace(name, "")
        if CJK.search(rest):
            left.append(text)
    return left


def labels(at: AppTest) -> list[str]:
    """What a reader sees as words: headings, text, messages, widget labels, tabs, metrics."""
    shown: list[str] = []
    for kind in ("title", "header", "subheader", "caption", "markdown", "info", "success"):
        shown += [str(e.value) for e in at.get(kind)]
    shown += [str(e.value) for e in at.get("warning")] + [str(e.value) for e in at.get("error")]
    for kind in ("button", "selectbox", "multiselect", "text_input", "date_input", "tab"):
        shown += [str(e.label) for e in at.get(kind)]
    shown += [str(m.label) for m in at.metric]
    shown += [str(getattr(e, "placeholder", "") or "") for e in at.get("selectbox")]
    return shown


@pytest.fixture
def nav_titles(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The titles dashboard.py gives st.navigation, one list per run."""
    runs: list[list[str]] = []
    navigation = st.navigation

    def spy(pages: list[Any], *args: Any, **kwargs: Any) -> Any:
        runs.append([p.title for p in pages])
        return navigation(pages, *args, **kwargs)

    monkeypatch.setattr(st, "navigation", spy)
    return runs


def test_navigation_and_header_are_english(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch, nav_titles: list[list[str]]
) -> None:
    at = open_app(messy_db, monkeypatch, "app_pages/centers.py", role="admin", lang="en")
    titles = nav_titles[-1]
    assert titles == [t(p.title, lang="en") for p in page_specs("admin")]
    assert {"Overview", "Centers", "Funding", "Data", "Users"} <= set(titles)
    assert chinese_left(titles, []) == []
    header = at.get("markdown")[0].value
    assert header.startswith("As of **") and "centers registered" in header
    assert not CJK.search(header)
    assert at.button(key="sign_out").label == "Sign out"
    assert at.query_params["lang"] == "en"  # kept in the URL, so a link carries it


@pytest.mark.parametrize("page", PAGES)
def test_my_pages_are_english_but_for_the_data_names(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch, page: str
) -> None:
    at = open_app(messy_db, monkeypatch, page, role="admin", lang="en", center=A)
    assert at.title[0].value == TITLES[page]
    assert chinese_left(labels(at), data_names(messy_db)) == []


def test_every_form_tab_of_the_data_page_is_english(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch, english_in_test_thread: None
) -> None:
    """Test each of the 数据 page's form tabs in English (only the open tab's form runs)."""
    at = open_app(messy_db, monkeypatch, "app_pages/data.py", role="admin", lang="en")
    set_language("en")  # AppTest formats the widgets' options in this thread
    tabs = [str(tab.label) for tab in at.get("tab")]
    assert len(tabs) == 6
    for label in tabs[1:]:
        at.session_state["data_form_tab_en"] = label
        at.run()
        assert not at.exception
        assert chinese_left(labels(at), data_names(messy_db)) == [], label


def test_chinese_is_the_default(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch, nav_titles: list[list[str]]
) -> None:
    at = open_app(messy_db, monkeypatch, "app_pages/funding.py", role="admin")
    assert at.title[0].value == "资金：市财政资助测算"
    assert nav_titles[-1][0] == "总览"
    assert "lang" not in at.query_params


@pytest.fixture
def english_in_test_thread() -> Iterator[None]:
    """AppTest calls widgets' format_func (t) in the test's thread when it sends their state:
    that thread must follow the session's language, and go back to Chinese afterwards."""
    yield
    set_language("zh")


def test_the_switch_changes_the_language_and_it_stays_across_pages(
    messy_db: Path,
    monkeypatch: pytest.MonkeyPatch,
    nav_titles: list[list[str]],
    english_in_test_thread: None,
) -> None:
    at = open_app(messy_db, monkeypatch, "app_pages/centers.py", role="admin")
    assert at.title[0].value == "创新中心名单"
    at.sidebar.button_group(key="lang").set_value("en").run()
    set_language("en")
    assert at.title[0].value == "Innovation centers" and nav_titles[-1][4] == "Centers"
    assert at.query_params["lang"] == "en"
    at.switch_page("app_pages/users.py")
    at.run()
    assert at.title[0].value == "User accounts"
    at.sidebar.button_group(key="lang").set_value("zh").run()
    assert at.title[0].value == "用户账号" and "lang" not in at.query_params


def test_the_sign_in_form_is_english(messy_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_DB", str(messy_db))
    auth.add_user(messy_db, "编辑甲", "editor", None, "测试用的密码-2026", "test")
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    assert at.title[0].value == "Luoyang Manufacturing Innovation Center Monitoring Platform"
    assert at.text_input(key="signin_name").label == "User name"
    assert at.button[0].label == "Sign in"
    assert chinese_left(labels(at), []) == []
