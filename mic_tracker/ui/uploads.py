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
                "文件": e.file,
                "工作表": e.sheet,
                "行": e.row,
                "列": e.column,
                "值": e.value,
                "问题": e.reason,
                "可接受": e.accepted,
            }
            for e in exc.errors
        ]
    )


def tally_table(result: ImportResult) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"工作表": sheet, "新增": t["added"], "更新": t["changed"], "未变": t["unchanged"]}
            for sheet, t in result.sheets.items()
        ]
    )


def changes_table(result: ImportResult) -> pd.DataFrame:
    """Every record the import writes, one line each, as the audit log will show it."""
    plan = load_plan()
    return pd.DataFrame(
        [
            {
                "对象": ENTITIES.get(c["entity"], c["entity"]),
                "名称": c["key"],
                "变化": describe(c["entity"], c["before"], c["after"], plan),
            }
            for c in result.changes
        ],
        columns=["对象", "名称", "变化"],
    )
