"""Writers for the concurrency test: the same operations run in threads of the test process
and in a second process (`python tests/concurrency_worker.py DB TAG ROUNDS DIR CENTER BASE`),
which prints what it did as JSON."""

from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from mic_tracker import forms
from mic_tracker.errors import EditConflict
from mic_tracker.importer import import_files
from mic_tracker.scope import Scope

SHARED = "洛阳高端轴承制造业创新中心"  # every writer edits this one: conflicts expected


@dataclass
class Tally:
    """What one writer did: acknowledged writes, refused conflicts, anything else that escaped."""

    writer: str
    edits: list[dict] = field(default_factory=list)
    members: list[dict] = field(default_factory=list)
    imports: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    waits: list[float] = field(default_factory=list)
    slowest: dict[str, float] = field(default_factory=dict)


def center_id(path: Path, name: str) -> int:
    return next(c["id"] for c in forms.center_names(path, None) if c["name"] == name)


def _timed(tally: Tally, kind: str, action) -> object:
    """Run the write, noting how long the writer waited for it to be acknowledged."""
    start = time.monotonic()
    try:
        return action()
    finally:
        took = time.monotonic() - start
        tally.waits.append(took)
        tally.slowest[kind] = max(tally.slowest.get(kind, 0.0), round(took, 3))


def edit(path: Path, tally: Tally, name: str, value: int) -> None:
    """Open the center, set 专业技术人员数 to value, save (as a person would, a moment later)."""
    try:
        opened = forms.open_center(path, center_id(path, name), None)
        raw = forms.form_values(forms.CENTER_FORM, opened)
        time.sleep(0.01)
        saved = _timed(
            tally,
            "edit",
            lambda: forms.save_center(
                path, {**raw, "tech_staff": str(value)}, opened, Scope(tally.writer, "editor")
            ),
        )
    except EditConflict as exc:
        tally.conflicts.append(exc.message())
        return
    except Exception as exc:  # anything else is a failure the test reports
        tally.errors.append(f"{type(exc).__name__}: {exc}")
        return
    tally.edits.append({"center": name, "value": value, "version": saved.row["version"]})


def add_member(path: Path, tally: Tally, name: str, member: str) -> None:
    try:
        _timed(
            tally,
            "member",
            lambda: forms.add_member(
                path, center_id(path, name), member, None, Scope(tally.writer, "editor")
            ),
        )
    except Exception as exc:
        tally.errors.append(f"{type(exc).__name__}: {exc}")
        return
    tally.members.append({"center": name, "member": member})


def import_center(path: Path, tally: Tally, folder: Path, name: str) -> None:
    """Import a new center and three events from CSV files, as a county's submission."""
    folder.mkdir(parents=True, exist_ok=True)
    centers = folder / "中心.csv"
    events = folder / "事件.csv"
    centers.write_text(f"中心名称,重点领域,所在县区\n{name},铜材,新安县\n", encoding="utf-8")
    events.write_text(
        "中心名称,事件,日期\n"
        f"{name},申报,2026-03-02\n{name},县级推荐,2026-03-20\n{name},专家评审,2026-04-10\n",
        encoding="utf-8",
    )
    try:
        _timed(
            tally,
            "import",
            lambda: import_files(path, [centers, events], scope=Scope(tally.writer, "editor")),
        )
    except Exception as exc:
        tally.errors.append(f"{type(exc).__name__}: {exc}")
        return
    tally.imports.append(name)


def mixed(path: Path, tally: Tally, rounds: int, folder: Path, own: str, base: int) -> Tally:
    """Each round: edit the shared center, edit this writer's own center, add a member, and
    every other round import. Values written are base + i, unique to the writer."""
    for i in range(rounds):
        edit(path, tally, SHARED, base + i)
        edit(path, tally, own, base + 500 + i)
        add_member(path, tally, own, f"{tally.writer}成员{i}")
        if i % 2 == 0:
            import_center(path, tally, folder / str(i), f"{tally.writer}导入中心{i}")
    return tally


if __name__ == "__main__":
    db_path, tag, rounds, folder, own, base = sys.argv[1:7]
    done = mixed(Path(db_path), Tally(tag), int(rounds), Path(folder), own, int(base))
    print(json.dumps(asdict(done), ensure_ascii=False))
