"""数据: the import template, upload with a checked preview before anything is written, export, audit log."""

import datetime as dt
import tempfile
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from mic_tracker.audit import audit_rows
from mic_tracker.errors import ImportRejected
from mic_tracker.exporter import export_workbook
from mic_tracker.template_file import write_template
from mic_tracker.ui.data import cached, clear_caches, database, show_error
from mic_tracker.ui.uploads import error_table, run_import, tally_table

st.title("数据：导入、导出与审计")


def _bytes(write: Callable[[Path], object]) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.xlsx"
        write(out)
        return out.read_bytes()


left, right = st.columns(2)
# Callables: the files are built when someone clicks, not on every rerun.
left.download_button(
    "下载空白导入模板", lambda: _bytes(write_template), "创新中心导入模板.xlsx", width="stretch"
)
right.download_button(
    "导出整个登记册（导入模板格式）",
    lambda: _bytes(lambda out: export_workbook(database(), out)),
    f"创新中心登记册_{dt.date.today().isoformat()}.xlsx",
    width="stretch",
)

st.subheader("导入县区报送的工作簿")
st.caption(
    "先检查、后导入：检查不会写入；确认后整份文件在一个事务中导入，有任何错误则一条也不写。导入前自动备份。"
)
files = st.file_uploader(
    "选择 .xlsx 或每个工作表一个 .csv",
    type=["xlsx", "csv"],
    accept_multiple_files=True,
    key="data_upload",
)
if files:
    try:
        preview = run_import(files, dry_run=True)
    except ImportRejected as exc:
        st.error(f"不能导入：发现 {len(exc.errors)} 处错误。请修改后重新上传；数据库未做任何更改。")
        table = error_table(exc)
        st.dataframe(table, hide_index=True, width="stretch")
        st.download_button(
            "下载错误清单（CSV）", table.to_csv(index=False).encode("utf-8-sig"), "导入错误清单.csv"
        )
    except Exception as exc:
        show_error(exc)
    else:
        st.markdown("**检查通过。导入后的变化：**")
        st.dataframe(tally_table(preview), hide_index=True)
        for w in preview.warnings:
            st.caption(f"提示：{w.line()}")
        for f in preview.flags:
            st.caption(f"标记：{f}")
        if not preview.changed:
            st.info("文件中的内容与数据库一致，没有需要导入的变化。")
        elif st.button("确认导入", type="primary", key="confirm_import"):
            try:
                run_import(files, dry_run=False)
            except Exception as exc:
                show_error(exc)
            else:
                clear_caches()
                st.success("已导入。各页面已按新数据更新。")

st.subheader("审计日志")
since = st.date_input(
    "显示此日期以来的记录",
    value=dt.date.today() - dt.timedelta(days=30),
    key="audit_since",
    format="YYYY-MM-DD",
)
log = cached(audit_rows, since)
st.caption(f"共 {len(log)} 条。每次写入（导入、表单、命令行）都在同一事务中记录。")
st.dataframe(
    log.drop(columns="id"),
    hide_index=True,
    width="stretch",
    column_config={
        "logged_at": st.column_config.DatetimeColumn("时间", format="YYYY-MM-DD HH:mm:ss"),
        "actor": "操作人",
        "action": "方式",
        "entity": "对象",
        "entity_key": "名称",
        "before": "修改前",
        "after": "修改后",
    },
)
