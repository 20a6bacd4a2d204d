"""What every page shares: the header line, the first-start screen, error display."""

from __future__ import annotations

from typing import Any

import streamlit as st

from mic_tracker.demo import load_demo
from mic_tracker.errors import ImportRejected
from mic_tracker.scope import Scope, require_admin_or_editor
from mic_tracker.textfmt import date_cn
from mic_tracker.ui.data import clear_caches, database, session_scope, show_error
from mic_tracker.ui.filters import ViewState, describe
from mic_tracker.ui.uploads import error_table, run_import


def header(view: ViewState, info: dict[str, Any], scope: Scope | None = None) -> None:
    """As-of date, the data's last change, the filters, and 示例数据 when it is demo data;
    for a county editor, that the records shown are their division's."""
    changed = info["last_change"].replace("T", " ")[:16] if info["last_change"] else "—"
    parts = [
        f"截至 **{date_cn(view.as_of)}**",
        f"数据最后更新 {changed}",
        f"共登记 {info['centers']} 个中心",
    ]
    filters = describe(view)
    if filters:
        parts.append(f"筛选：{filters}（目标仍为全市目标）")
    if scope is not None and scope.county:
        parts.append(f"范围：{scope.county_name}的中心（总览的目标数为全市合计）")
    line = " · ".join(parts)
    if info["demo"]:
        line = ":orange-badge[示例数据] " + line
    with st.container(key="page_header"):
        st.markdown(line)


def first_start() -> None:
    """An empty register: offer demo data or an import, never load anything silently."""
    st.title("洛阳市制造业创新中心建设监测平台")
    st.info(
        "数据库中还没有任何创新中心。请选择：载入一套示例数据先看看效果，或导入各县区报送的工作簿。"
    )
    left, right = st.columns(2)
    with left, st.container(border=True):
        st.subheader("载入示例数据")
        st.caption("约60个虚构的中心，页面上会标注「示例数据」。以后可用 `db init --force` 清空。")
        if st.button("载入示例数据", type="primary", key="load_demo"):
            try:
                require_admin_or_editor(session_scope())
                load_demo(database())
            except Exception as exc:
                show_error(exc)
            else:
                clear_caches()
                st.rerun()
    with right, st.container(border=True):
        st.subheader("导入工作簿")
        st.caption("导入模板：工作表「中心」「事件」「年度数据」；也可以每个工作表一个 CSV 文件。")
        files = st.file_uploader("选择文件", type=["xlsx", "csv"], accept_multiple_files=True)
        if files and st.button("检查并导入", key="import"):
            _import_uploads(files)


def _import_uploads(files: list[Any]) -> None:
    try:
        run_import(files, dry_run=False)
    except ImportRejected as exc:
        st.error(f"导入未执行：发现 {len(exc.errors)} 处错误，数据库未做任何更改。")
        st.dataframe(error_table(exc), hide_index=True)
        return
    except Exception as exc:
        show_error(exc)
        return
    clear_caches()
    st.rerun()
