"""What every page shares: the language switch, the header line, the first-start screen."""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from mic_tracker.demo import load_demo
from mic_tracker.errors import ImportRejected
from mic_tracker.i18n import LANGUAGES, language, set_language, t
from mic_tracker.scope import Scope, require_admin_or_editor
from mic_tracker.textfmt import date_cn
from mic_tracker.ui.data import clear_caches, database, session_scope, show_error
from mic_tracker.ui.filters import ViewState, describe
from mic_tracker.ui.uploads import error_table, run_import

LANG_KEY = "lang"  # the switch's key, and its query parameter: ?lang=en


def choose_language() -> str:
    """Set this run's language before anything is drawn, keep it in the URL, and return it.

    The switch is drawn later in the run, so its value is read from the session (the last
    click) or, on a session's first run, from the link's ?lang=. Not bind="query-params": a
    bound widget writes its label (English) to the URL, and links say lang=en.
    """
    if st.session_state.get(LANG_KEY) not in LANGUAGES:
        asked = st.query_params.get(LANG_KEY)
        st.session_state[LANG_KEY] = asked if asked in LANGUAGES else "zh"
    set_language(st.session_state[LANG_KEY])
    if language() == "zh":
        st.query_params.pop(LANG_KEY, None)  # the default: links stay as they were
    else:
        st.query_params[LANG_KEY] = language()  # survives page switches, so links carry it
    return language()


def language_switch() -> None:
    """中文 | English in the sidebar; its value was set up by choose_language."""
    with st.sidebar:
        st.segmented_control(
            "语言 / Language",  # the same in both languages: findable by either reader
            list(LANGUAGES),
            format_func=LANGUAGES.get,
            required=True,
            key=LANG_KEY,
            width="stretch",
        )


def day(d: dt.date) -> str:
    """A date in words: 2026年11月26日, or in English 2026-11-26 (as the date inputs show it)."""
    return date_cn(d) if language() == "zh" else d.isoformat()


def header(view: ViewState, info: dict[str, Any], scope: Scope | None = None) -> None:
    """As-of date, the data's last change, the filters, and 示例数据 when it is demo data;
    for a county editor, that the records shown are their division's."""
    changed = info["last_change"].replace("T", " ")[:16] if info["last_change"] else "—"
    parts = [
        t("截至 **{date}**", date=day(view.as_of)),
        t("数据最后更新 {changed}", changed=changed),
        t("共登记 {n} 个中心", n=info["centers"]),
    ]
    filters = describe(view)
    if filters:
        parts.append(t("筛选：{filters}（目标仍为全市目标）", filters=filters))
    if scope is not None and scope.county:
        parts.append(t("范围：{county}的中心（总览的目标数为全市合计）", county=scope.county_name))
    line = " · ".join(parts)
    if info["demo"]:
        line = f":orange-badge[{t('示例数据')}] " + line
    with st.container(key="page_header"):
        st.markdown(line)


def first_start() -> None:
    """An empty register: offer demo data or an import, never load anything silently."""
    st.title(t("洛阳市制造业创新中心建设监测平台"))
    st.info(
        t(
            "数据库中还没有任何创新中心。请选择：载入一套示例数据先看看效果，"
            "或导入各县区报送的工作簿。"
        )
    )
    left, right = st.columns(2)
    with left, st.container(border=True):
        st.subheader(t("载入示例数据"))
        st.caption(
            t("约60个虚构的中心，页面上会标注「示例数据」。以后可用 `db init --force` 清空。")
        )
        if st.button(t("载入示例数据"), type="primary", key="load_demo"):
            _load_demo()
    with right, st.container(border=True):
        st.subheader(t("导入工作簿"))
        st.caption(
            t("导入模板：工作表「中心」「事件」「年度数据」；也可以每个工作表一个 CSV 文件。")
        )
        files = st.file_uploader(t("选择文件"), type=["xlsx", "csv"], accept_multiple_files=True)
        if files and st.button(t("检查并导入"), key="import"):
            _import_uploads(files)


def _load_demo() -> None:
    try:
        require_admin_or_editor(session_scope())
        load_demo(database())
    except Exception as exc:
        show_error(exc)
    else:
        clear_caches()
        st.rerun()


def _import_uploads(files: list[Any]) -> None:
    try:
        run_import(files, dry_run=False)
    except ImportRejected as exc:
        st.error(t("导入未执行：发现 {n} 处错误，数据库未做任何更改。", n=len(exc.errors)))
        st.dataframe(error_table(exc), hide_index=True)
        return
    except Exception as exc:
        show_error(exc)
        return
    clear_caches()
    st.rerun()
