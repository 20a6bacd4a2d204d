"""数据: the import template, upload with a checked preview before anything is written, forms to
add and edit records, export, audit log."""

import datetime as dt
import tempfile
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from mic_tracker.audit import ACTIONS, ENTITIES, audit_rows, filter_audit
from mic_tracker.downloads import csv_bytes
from mic_tracker.errors import ImportRejected
from mic_tracker.exporter import export_workbook
from mic_tracker.i18n import language, t
from mic_tracker.report import Filters
from mic_tracker.sources import MAX_FILE_BYTES, MAX_ROWS_PER_SHEET
from mic_tracker.template_file import write_template
from mic_tracker.ui import register_forms as rf
from mic_tracker.ui.data import cached, clear_caches, database, session_scope, show_error
from mic_tracker.ui.filters import ViewState
from mic_tracker.ui.tables import table_with_downloads
from mic_tracker.ui.uploads import changes_table, error_table, run_import, tally_table

st.title(t("数据：导入、导出与审计"))


def _bytes(write: Callable[[Path], object]) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.xlsx"
        write(out)
        return out.read_bytes()


scope = session_scope()  # read now: the download is built later, outside this run
left, right = st.columns(2)
# Callables: the files are built when someone clicks, not on every rerun.
left.download_button(
    t("下载空白导入模板"), lambda: _bytes(write_template), "创新中心导入模板.xlsx", width="stretch"
)
right.download_button(
    t("导出整个登记册（导入模板格式）"),
    lambda: _bytes(lambda out: export_workbook(database(), out, scope)),
    f"创新中心登记册_{dt.date.today().isoformat()}.xlsx",
    width="stretch",
)

st.subheader(t("导入县区报送的工作簿"))
st.caption(
    t(
        "先检查、后导入：检查不会写入；确认后整份文件在一个事务中导入，有任何错误则一条也不写。"
        "导入前自动备份。"
    )
)
MAX_MB = MAX_FILE_BYTES // 2**20
files = st.file_uploader(
    t(
        "选择 .xlsx 或每个工作表一个 .csv（单个文件不超过 {mb} MB，每个工作表不超过 {rows} 行）",
        mb=MAX_MB,
        rows=f"{MAX_ROWS_PER_SHEET:,}",
    ),
    type=["xlsx", "csv"],
    accept_multiple_files=True,
    key="data_upload",
    help=t("超过 {mb} MB 的文件上传框会拒收：请按县区或年度拆分为多个文件分别导入。", mb=MAX_MB),
)
if files:
    try:
        preview = run_import(files, dry_run=True)
    except ImportRejected as exc:
        st.error(
            t(
                "不能导入：发现 {n} 处错误。请修改后重新上传；数据库未做任何更改。",
                n=len(exc.errors),
            )
        )
        table = error_table(exc)
        st.dataframe(table, hide_index=True, width="stretch")
        st.download_button(
            t("下载错误清单（CSV）"),
            csv_bytes(table),  # repeats uploaded cells: formula-like text is neutralised
            f"导入错误清单_{dt.date.today().isoformat()}.csv",
        )
    except Exception as exc:
        show_error(exc)
    else:
        st.markdown(t("**检查通过。导入后的变化：**"))
        st.dataframe(tally_table(preview), hide_index=True)
        if preview.changes:
            with st.expander(t("逐条查看将写入的变化（{n} 条）", n=len(preview.changes))):
                st.dataframe(changes_table(preview), hide_index=True, width="stretch")
        for w in preview.warnings:
            st.caption(t("提示：{note}", note=w.line()))
        for f in preview.flags:
            st.caption(t("标记：{flag}", flag=f))
        if not preview.changed:
            st.info(t("文件中的内容与数据库一致，没有需要导入的变化。"))
        elif st.button(t("确认导入"), type="primary", key="confirm_import"):
            bar = st.progress(0.0, text=t("开始导入"))
            try:
                run_import(
                    files, dry_run=False, progress=lambda f, step: bar.progress(f, text=step)
                )
            except Exception as exc:
                show_error(exc)
            else:
                clear_caches()
                st.success(t("已导入。各页面已按新数据更新。"))

st.subheader(t("登记与修改"))
st.caption(
    t(
        "表单与导入使用同一套检查规则；每次保存连同审计记录在一个事务中写入。"
        "修改时如记录已被他人改动，系统会拒绝保存并列出变化，不会覆盖。"
    )
)
rf.flash()
TABS = ("新增中心", "修改中心", "成员单位", "登记事件", "年度数据", "资金录入")


def funding_link() -> None:
    st.markdown(t("一事一议支持和实际拨付金额在「资金」页录入，录入后与测算的应享资助并列显示。"))
    st.page_link("app_pages/funding.py", label=t("前往资金页录入"), icon=":material/payments:")


# Only the open tab's form runs: four of them pick a center from the whole register, and at
# 20,000 centers each picker alone costs more than a rerun's budget. Choosing a tab reruns.
FORMS = (
    rf.add_center_form,
    rf.edit_center_form,
    rf.member_form,
    rf.event_form,
    rf.annual_form,
    funding_link,
)
labels = [t(x) for x in TABS]
tabs = st.tabs(labels, key=f"data_form_tab_{language()}", on_change="rerun")
for tab, draw in zip(tabs, FORMS, strict=True):
    if tab.open:
        with tab:
            draw()

st.subheader(t("审计日志"))
a, b, c, d = st.columns([1, 1, 1, 2])
since = a.date_input(
    t("此日期以来"),
    value=dt.date.today() - dt.timedelta(days=30),
    min_value=dt.date(2019, 1, 1),
    max_value=dt.date.today(),
    key="audit_since",
    format="YYYY-MM-DD",
)
# format_func: the choices stay Chinese (the log's values), their labels translate.
actions = b.multiselect(
    t("方式"), list(ACTIONS.values()), format_func=t, key="audit_actions", placeholder=t("全部")
)
entities = c.multiselect(
    t("对象"), list(ENTITIES.values()), format_func=t, key="audit_entities", placeholder=t("全部")
)
text = d.text_input(t("名称或内容包含"), key="audit_text")
log = filter_audit(cached(audit_rows, since), actions, entities, text)
st.caption(
    t(
        "共 {n} 条。每次写入（导入、表单、命令行）都与修改本身在同一事务中记录。",
        n=len(log),
    )
)
AUDIT_COLUMNS = {
    "logged_at": st.column_config.DatetimeColumn(t("时间"), format="YYYY-MM-DD HH:mm:ss"),
    "actor": t("操作人"),
    "action": t("方式"),
    "entity": t("对象"),
    "entity_key": t("名称"),
    "change": st.column_config.TextColumn(t("变化"), width="large"),  # stays Chinese
}
# The audit log is not narrowed by the sidebar's filters: its file is named by its own.
table_with_downloads(
    log.drop(columns="id").assign(action=log["action"].map(t), entity=log["entity"].map(t)),
    "审计日志",
    ViewState(dt.date.today(), Filters(), ()),
    hide_index=True,
    width="stretch",
    column_config=AUDIT_COLUMNS,
    extra=[
        t("自{date}起", date=since.isoformat()),
        *map(t, actions),
        *map(t, entities),
        *([text] if text else []),
    ],
)
