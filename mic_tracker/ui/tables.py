"""A table with its downloads: CSV and Excel of exactly what is shown, named with date and filters."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pyarrow as pa
import streamlit as st

from mic_tracker.downloads import csv_bytes, export_frame, file_name, xlsx_bytes
from mic_tracker.i18n import t
from mic_tracker.ui.data import HASH_FUNCS, cache_key
from mic_tracker.ui.filters import ViewState

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A long table shows its first rows and its downloads have them all: at a province's scale a
# 20,000-row table cost a rerun's budget to send on every rerun, and no one reads it on screen.
SHOWN_ROWS = 500


def labels_of(column_config: Mapping[str, Any] | None) -> dict[str, str | None]:
    """Column key → the header st.dataframe shows (None: the column is hidden)."""
    labels: dict[str, str | None] = {}
    for key, config in (column_config or {}).items():
        if config is None or isinstance(config, str):
            labels[key] = config
        elif isinstance(config, Mapping) and config.get("label"):
            labels[key] = str(config["label"])
    return labels


def download_buttons(
    frame: pd.DataFrame,
    title: str,
    view: ViewState,
    *,
    column_config: Mapping[str, Any] | None = None,
    column_order: Sequence[str] | None = None,
    extra: Iterable[str] = (),
    key: str | None = None,
) -> None:
    """Two compact buttons, 下载 CSV and 下载 Excel, for the table as shown.

    Pass the st.dataframe's column_config and column_order: the file gets the same columns
    under the same headers. The bytes are built only when someone clicks. `title` is Chinese:
    the buttons' keys come from it (stable across languages), the file and sheet names from
    its translation.
    """
    labels = labels_of(column_config)
    hidden = {k for k, v in labels.items() if v is None}
    shown = [c for c in (column_order or frame.columns) if c not in hidden]
    headers = {k: v for k, v in labels.items() if v}

    def table() -> pd.DataFrame:  # on click only: at 20,000 rows it costs a rerun's budget
        return export_frame(frame, headers, shown)

    extra = tuple(extra)
    key = key or title
    title = t(title)
    with st.container(horizontal=True, gap="small", key=f"downloads_{key}"):
        for label, ext, mime, build in (
            (t("下载 CSV"), "csv", "text/csv", lambda: csv_bytes(table())),
            (t("下载 Excel"), "xlsx", XLSX, lambda: xlsx_bytes(table(), title)),
        ):
            name = file_name(title, view.as_of, ext, view.filters, view.levels, extra)
            st.download_button(
                label,
                build,  # a callable: the file is built on click, not on every rerun
                name,
                mime=mime,
                key=f"download_{key}_{ext}",
                help=t("文件名：{name}", name=name),
                on_click="ignore",
                icon=":material/download:",
                type="tertiary",
            )


def too_long_note(total: int) -> str | None:
    """The line under a table cut to SHOWN_ROWS rows, or None when it is drawn whole."""
    if total <= SHOWN_ROWS:
        return None
    return t(
        "显示前 {shown} 行，共 {total} 行；下载的文件含全部。",
        shown=f"{SHOWN_ROWS:,}",
        total=f"{total:,}",
    )


@dataclass(frozen=True)
class Shown:
    """A table as a page shows it, built once and kept with the page's cached view: at most
    SHOWN_ROWS rows in Arrow (st.dataframe takes them as they are, a frame it converts on every
    rerun), the note when they are not all, and the whole table for its downloads."""

    whole: pd.DataFrame
    drawn: pa.Table
    note: str | None

    @property
    def empty(self) -> bool:
        return self.whole.empty


def as_shown(table: pd.DataFrame) -> Shown:
    """The table as a page shows it (see Shown)."""
    drawn = pa.Table.from_pandas(table.head(SHOWN_ROWS), preserve_index=False)
    return Shown(table, drawn, too_long_note(len(table)))


def draw(table: Shown, title: str, view: ViewState, **dataframe: Any) -> None:
    """The table's rows, the note when they are not all, and its downloads (all rows)."""
    st.dataframe(table.drawn, hide_index=True, width="stretch", **dataframe)
    if table.note:
        st.caption(table.note)
    download_buttons(table.whole, title, view)


# Keyed by what the rows depend on (rows_key); the frame itself is not hashed (a leading _).
@st.cache_resource(show_spinner=False, max_entries=64, hash_funcs=HASH_FUNCS)
def _drawn(key: tuple[Any, ...], _frame: pd.DataFrame) -> pa.Table:
    del key
    return pa.Table.from_pandas(_frame.head(SHOWN_ROWS), preserve_index=False)


def table_with_downloads(
    frame: pd.DataFrame,
    title: str,
    view: ViewState,
    *,
    extra: Iterable[str] = (),
    rows_key: tuple[Any, ...] | None = None,
    **dataframe: Any,
) -> Any:
    """st.dataframe of the frame's first SHOWN_ROWS rows (with a note when there are more) and
    the download buttons for all of them under it; returns the table's value (its selection
    holds positions in the frame, which the drawn rows keep).

    rows_key, when given, is everything the frame is made from besides the database, data
    version, person and language (ui.data.cache_key adds those): the drawn rows are then
    turned into Arrow once per key, not on every rerun (at 500 rows that cost 10 ms a rerun).
    The buttons take the table's column_config, column_order and key (or else the title).
    """
    rows = (
        frame.head(SHOWN_ROWS) if rows_key is None else _drawn(cache_key(title, *rows_key), frame)
    )
    shown = st.dataframe(rows, **dataframe)
    if note := too_long_note(len(frame)):
        st.caption(note)
    download_buttons(
        frame,
        title,
        view,
        column_config=dataframe.get("column_config"),
        column_order=dataframe.get("column_order"),
        extra=extra,
        key=dataframe.get("key"),
    )
    return shown
