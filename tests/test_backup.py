"""Backup and restore: a restored database reproduces every report; damage is refused whole."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from mic_tracker import backup as backup_module
from mic_tracker import db
from mic_tracker.backup import BackupError, backup, restore
from mic_tracker.importer import import_files
from mic_tracker.report import make_filters, report
from tests.conftest import MESSY
from tests.test_import import CENTER_HEADER, write_workbook

DATES = [dt.date(2019, 12, 31), dt.date(2020, 12, 31), dt.date(2024, 6, 30), dt.date(2026, 11, 26)]


def all_reports(path: Path) -> list[dict]:
    with db.connect(path) as con:
        return [
            report(con, day, f)
            for day in DATES
            for f in (make_filters(), make_filters(counties=["孟津区"]))
        ]


@pytest.mark.parametrize("source", ["messy_db", "demo_db"], ids=["fixture", "demo"])
def test_restore_reproduces_every_report(
    source: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """Test that backup then restore into a new file gives identical reports and demo flag."""
    original = request.getfixturevalue(source)
    manifest = backup(original, tmp_path / "bk")
    assert manifest["tables"]["centers"]["rows"] > 0
    restored = tmp_path / "restored.duckdb"
    restore(tmp_path / "bk", restored)
    assert all_reports(restored) == all_reports(original)


def test_restored_database_takes_new_rows_without_id_clashes(
    messy_db: Path, tmp_path: Path
) -> None:
    """Test that sequences are advanced past restored ids, so a new import adds a center."""
    backup(messy_db, tmp_path / "bk")
    restored = tmp_path / "restored.duckdb"
    restore(tmp_path / "bk", restored)
    book = write_workbook(
        tmp_path / "n.xlsx", {"中心": [CENTER_HEADER, ["新建创新中心", 3, "西工", "企业型"]]}
    )
    import_files(restored, [book])
    with db.connect(restored) as con:
        ids = [r["id"] for r in db.rows(con, "centers_all")]
    assert len(ids) == 17 and len(set(ids)) == 17


def test_damaged_backup_is_refused_and_writes_nothing(messy_db: Path, tmp_path: Path) -> None:
    """Test that a changed file fails its checksum and no database file is left behind."""
    backup(messy_db, tmp_path / "bk")
    (tmp_path / "bk" / "events.parquet").write_bytes(b"not parquet")
    target = tmp_path / "restored.duckdb"
    with pytest.raises(BackupError, match="校验和不符"):
        restore(tmp_path / "bk", target)
    assert not target.exists()


def test_backup_refuses_a_non_empty_directory_and_restore_an_existing_database(
    messy_db: Path, tmp_path: Path
) -> None:
    """Test that neither command overwrites something that is already there."""
    (tmp_path / "bk").mkdir()
    (tmp_path / "bk" / "x.txt").write_text("x")
    with pytest.raises(BackupError, match="不是空目录"):
        backup(messy_db, tmp_path / "bk")
    backup(messy_db, tmp_path / "bk2")
    with pytest.raises(BackupError, match="已存在"):
        restore(tmp_path / "bk2", messy_db)


def test_manifest_records_rows_and_checksums(messy_db: Path, tmp_path: Path) -> None:
    """Test that the manifest names every table with its row count and a sha256."""
    backup(messy_db, tmp_path / "bk")
    manifest = json.loads((tmp_path / "bk" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["tables"]["centers"]["rows"] == 16
    assert manifest["tables"]["events"]["rows"] == 124
    assert all(len(t["sha256"]) == 64 for t in manifest["tables"].values())


def test_each_import_is_preceded_by_a_backup_and_only_the_newest_are_kept(
    empty_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that imports leave automatic backups beside the database, pruned to the newest N."""
    monkeypatch.setattr(backup_module, "KEEP_AUTOMATIC", 2)
    for i in range(3):
        book = write_workbook(
            tmp_path / f"{i}.xlsx", {"中心": [CENTER_HEADER, [f"中心{i}", 1, "涧西", "企业型"]]}
        )
        import_files(empty_db, [book])
    kept = sorted((empty_db.parent / "backups" / empty_db.stem).glob("before-import-*"))
    assert len(kept) == 2
    restored = tmp_path / "r.duckdb"
    restore(kept[-1], restored)  # the state just before the third import: two centers
    with db.connect(restored) as con:
        assert db.rows(con, "center_count")[0]["n"] == 2


def test_dry_run_makes_no_backup(empty_db: Path) -> None:
    """Test that checking a file does not write a backup."""
    import_files(empty_db, [MESSY], dry_run=True)
    assert not (empty_db.parent / "backups").exists()
