"""Uploaded files → the importer: the dry run that previews, the real run, the error table."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from mic_tracker.audit import ENTITIES
from mic_tracker.changes import describe
from mic_tracker.errors import ImportRejected
from mic_tracker.i18n import t
from mic_tracker.importer import ImportResult, Progress, import_files
from mic_tracker.policy import load_plan
from mic_tracker.ui.data import database, session_scope


@contextmanager
def saved(files: Sequence[Any]) -> Iterator[list[Path]]:
    """The uploaded files written to a temporary folder under their own names, for the importer."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for f in files:
            path = Path(tmp) / Path(f.name).name
            path.write_bytes(f.getvalue())
            paths.append(path)
        yield paths


def run_import(
    files: Sequence[Any], dry_run: bool, progress: Progress | None = None
) -> ImportResult:
    """Check (dry_run) or import the uploads into the app's database; raises ImportRejected."""
    with saved(files) as paths:
        return import_files(
            database(), paths, dry_run=dry_run, progress=progress, scope=session_scope()
        )


def error_table(exc: ImportRejected) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                t("文件"): e.file,
                t("工作表"): e.sheet,
                t("行"): e.row,
                t("列"): e.column,
                t("值"): e.value,
                t("问题"): e.reason,  # the importer's reasons stay Chinese
                t("可接受"): e.accepted,
            }
            for e in exc.errors
        ]
    )


def tally_table(result: ImportResult) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                t("工作表"): sheet,
                t("新增"): n["added"],
                t("更新"): n["changed"],
                t("未变"): n["unchanged"],
            }
            for sheet, n in result.sheets.items()
        ]
    )


def changes_table(result: ImportResult) -> pd.DataFrame:
    """Every record the import writes, one line each, as the audit log will show it."""
    plan = load_plan()
    columns = [t("对象"), t("名称"), t("变化")]
    return pd.DataFrame(
        [
            (
                t(ENTITIES.get(c["entity"], c["entity"])),
                c["key"],
                describe(c["entity"], c["before"], c["after"], plan),  # stays Chinese
            )
            for c in result.changes
        ],
        columns=columns,
    )
