"""A table with its downloads: CSV and Excel of exactly what is shown, named with date and filters."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from mic_tracker.downloads import csv_bytes, export_frame, file_name, xlsx_bytes
from mic_tracker.i18n import t
from mic_tracker.ui.filters import ViewState

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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


def table_with_downloads(
    frame: pd.DataFrame,
    title: str,
    view: ViewState,
    *,
    extra: Iterable[str] = (),
    **dataframe: Any,
) -> Any:
    """st.dataframe(frame, **dataframe) with its download buttons under it; returns its value.

    The buttons take the table's column_config, column_order and key (or else the title).
    """
    shown = st.dataframe(frame, **dataframe)
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
