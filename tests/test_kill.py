"""A process killed with SIGKILL in the middle of an import leaves the database as it was
before the import (or, killed while committing, as it is after it) — never half of it."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mic_tracker import db
from tests.conftest import ROOT

ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def _submission(folder: Path, n: int) -> Path:
    folder.mkdir()
    path = folder / "中心.csv"
    rows = ["中心名称,重点领域,所在县区"] + [
        f"批量登记中心{i},{1 + i % 31},涧西区" for i in range(n)
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _import(path: Path, file: Path) -> None:
    cmd = [sys.executable, "-m", "mic_tracker", "--db", str(path), "import", str(file)]
    subprocess.run(cmd, check=True, capture_output=True, env=ENV)


def _state(path: Path) -> dict[str, object]:
    """What an import may touch: the centers, the audit log's length, the data version."""
    with db.connect(path) as con:
        return {
            "centers": sorted(c["name"] for c in db.rows(con, "centers_all")),
            "audit": len(db.rows(con, "audit_since", since=dt.datetime(2000, 1, 1))),
            "data_version": db.get_meta(con, "data_version"),
        }


def _kill_import(path: Path, file: Path, line: str, then: float) -> bool:
    """Start the CLI import; once it reports `line`, wait `then` s and SIGKILL it.
    Returns whether it was still running when killed."""
    cmd = [
        sys.executable,
        "-m",
        "mic_tracker",
        "--db",
        str(path),
        "import",
        str(file),
        "--progress",
    ]
    with subprocess.Popen(
        cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=ENV
    ) as proc:
        assert proc.stderr is not None
        for got in proc.stderr:
            if line in got:
                break
        time.sleep(then)
        running = proc.poll() is None
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    return running


def test_sigkill_while_writing_leaves_the_database_as_before(
    messy_db: Path, tmp_path: Path
) -> None:
    before = _state(messy_db)
    file = _submission(tmp_path / "in", 10_000)
    assert _kill_import(messy_db, file, "保存中心", then=0.0)
    assert _state(messy_db) == before
    _import(messy_db, file)  # and the same import goes through afterwards
    assert len(_state(messy_db)["centers"]) == len(before["centers"]) + 10_000


@pytest.mark.parametrize(
    ("line", "delay"),
    [("保存审计记录", 0.0), ("提交", 0.0), ("提交", 0.05), ("提交", 0.2)],
)
def test_sigkill_while_committing_leaves_all_or_nothing(
    messy_db: Path, tmp_path: Path, line: str, delay: float
) -> None:
    file = _submission(tmp_path / "in", 3000)
    after_db = tmp_path / "after.duckdb"
    shutil.copy(messy_db, after_db)
    _import(after_db, file)
    before, after = _state(messy_db), _state(after_db)
    _kill_import(messy_db, file, line, then=delay)
    now = _state(messy_db)
    assert now["centers"] in (before["centers"], after["centers"])
    assert now["audit"] - before["audit"] in (0, after["audit"] - before["audit"])
