"""Concurrent writers: threads of this process (as the app's sessions are) and a second
process, editing the same and different centers, adding members and importing at once, while
the CLI imports and backs up. Nothing acknowledged may be lost, conflicting edits must be
refused with the conflict message, and no lock error may reach anyone.

The figures are written to tests/artifacts/concurrency.json (quoted in the issue note)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from mic_tracker import db, forms
from mic_tracker.db import LOCK_WAIT_SECONDS
from tests.concurrency_worker import SHARED, Tally, center_id, mixed
from tests.conftest import ROOT
from tests.fixtures.make_fixture import B, C, E, F, G

ROUNDS = 6
OWN = {"线程1": B, "线程2": C, "线程3": E, "线程4": F}
ARTIFACTS = ROOT / "tests" / "artifacts"


def _python(*args: str) -> list[str]:
    return [sys.executable, *args]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


class Reader(threading.Thread):
    """Reads all the while; an imported center must show all three of its events or none."""

    def __init__(self, path: Path, stop: threading.Event) -> None:
        super().__init__()
        self.path, self.stop, self.reads, self.torn = path, stop, 0, []

    def run(self) -> None:
        while not self.stop.is_set():
            with db.connect(self.path) as con:
                names = {c["id"]: c["name"] for c in db.rows(con, "centers_all")}
                events = db.rows(con, "events_all")
            imported = {i for i, n in names.items() if "导入中心" in n}
            for i in imported:
                n = sum(1 for e in events if e["center_id"] == i)
                if n != 3:
                    self.torn.append(f"{names[i]}: {n} events")
            self.reads += 1
            time.sleep(0.02)


def _run_all(path: Path, tmp: Path) -> tuple[list[Tally], dict]:
    tallies = [Tally(w) for w in OWN]
    threads = [
        threading.Thread(
            target=mixed, args=(path, t, ROUNDS, tmp / t.writer, OWN[t.writer], 1000 * n)
        )
        for n, t in enumerate(tallies, start=1)
    ]
    stop = threading.Event()
    reader = Reader(path, stop)
    worker = subprocess.Popen(
        _python(
            str(ROOT / "tests" / "concurrency_worker.py"),
            str(path),
            "进程2",
            str(ROUNDS),
            str(tmp / "p2"),
            G,
            "9000",
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    for t in [reader, *threads]:
        t.start()
    time.sleep(1.0)
    submitted = tmp / "cli" / "中心.csv"
    submitted.parent.mkdir()
    submitted.write_text(
        "中心名称,重点领域,所在县区\n命令行登记中心,钛合金,宜阳县\n", encoding="utf-8"
    )
    cli = {
        "import": subprocess.run(
            _python("-m", "mic_tracker", "--db", str(path), "import", str(submitted)),
            capture_output=True,
            text=True,
            env=_env(),
            check=False,
        ),
        "backup": subprocess.run(
            _python("-m", "mic_tracker", "--db", str(path), "backup", str(tmp / "backup")),
            capture_output=True,
            text=True,
            env=_env(),
            check=False,
        ),
    }
    out, err = worker.communicate(timeout=600)
    for t in threads:
        t.join()
    stop.set()
    reader.join()
    assert worker.returncode == 0, err
    second = Tally(**json.loads(out))
    return [*tallies, second], {"cli": cli, "reader": reader}


def test_concurrent_writers_lose_nothing_and_refuse_conflicting_edits(
    messy_db: Path, tmp_path: Path
) -> None:
    shared_before = forms.open_center(messy_db, center_id(messy_db, SHARED), None)
    db.keep_open(0.5)  # as the app's server process does
    try:
        tallies, extra = _run_all(messy_db, tmp_path)
    finally:
        db.keep_open(0)
        db.close_idle()
    reader = extra["reader"]

    # No lock error, no other error, escaped to any writer; the CLI ran while they wrote.
    assert [e for t in tallies for e in t.errors] == []
    for name, done in extra["cli"].items():
        assert done.returncode == 0, f"{name}: {done.stderr}"
    assert (tmp_path / "backup" / "manifest.json").is_file()
    assert reader.torn == [] and reader.reads > 0

    # The shared center: every acknowledged edit is one version step, none overwritten blind.
    shared = [e for t in tallies for e in t.edits if e["center"] == SHARED]
    versions = sorted(e["version"] for e in shared)
    first = shared_before["version"]
    assert versions == list(range(first + 1, first + len(shared) + 1))
    now = forms.open_center(messy_db, shared_before["id"], None)
    assert now["version"] == first + len(shared)
    assert now["tech_staff"] == max(shared, key=lambda e: e["version"])["value"]
    conflicts = [c for t in tallies for c in t.conflicts]
    assert conflicts and all("已被他人修改" in c and "未写入" in c for c in conflicts)

    # Each writer's own center, members and imports: everything acknowledged is there.
    with db.connect(messy_db) as con:
        names = {c["id"]: c["name"] for c in db.rows(con, "centers_all")}
        members = {(names[m["center_id"]], m["name"]) for m in db.rows(con, "members_all")}
        audit = db.rows(con, "audit_since", since=shared_before["updated_at"])
    for t in tallies:
        own = [e for e in t.edits if e["center"] != SHARED]
        assert len(own) == ROUNDS  # nobody else edits it: never a conflict
        stored = forms.open_center(messy_db, center_id(messy_db, own[0]["center"]), None)
        assert stored["tech_staff"] == own[-1]["value"]
        assert {(m["center"], m["member"]) for m in t.members} <= members
        assert set(t.imports) <= set(names.values())
    assert "命令行登记中心" in names.values()
    # Every acknowledged form write has its audit row, by its writer.
    form_rows = [(a["actor"], a["entity"]) for a in audit if a["action"] == "form"]
    for t in tallies:
        assert form_rows.count((t.writer, "center")) == len(t.edits)
        assert form_rows.count((t.writer, "members")) == len(t.members)

    waits = [w for t in tallies for w in t.waits]
    assert max(waits) < LOCK_WAIT_SECONDS
    figures = {
        "writers": len(tallies) + len(extra["cli"]),
        "acknowledged_writes": sum(len(t.edits) + len(t.members) + len(t.imports) for t in tallies)
        + len(extra["cli"]),
        "conflicts_refused": len(conflicts),
        "lost": 0,
        "longest_wait_s": round(max(waits), 3),
        "median_wait_s": round(sorted(waits)[len(waits) // 2], 3),
        "reads_while_writing": reader.reads,
    }
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "concurrency.json").write_text(json.dumps(figures, ensure_ascii=False, indent=2))
    print(figures, {t.writer: t.slowest for t in tallies})
