"""Backup and restore: a consistent snapshot of every table as Parquet with a manifest, and a
restore into a new database that reproduces every report.

The snapshot is read inside one transaction, so it is consistent even while others write.
Ids keep their values; on restore each id sequence is advanced past the highest restored id.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from mic_tracker import __version__, db
from mic_tracker.errors import TrackerError

FORMAT = 1
# Table → the sequence its ids come from (None: no id column of its own). Restore order.
TABLES: dict[str, str | None] = {
    "meta": None,
    "centers": "center_id_seq",
    "members": None,
    "events": "event_id_seq",
    "annual_data": None,
    "audit_log": "audit_id_seq",
    "funding_manual": "funding_manual_id_seq",
    "users": None,
    "briefings": "briefing_id_seq",
}
MANIFEST = "manifest.json"
KEEP_AUTOMATIC = 10


class BackupError(TrackerError):
    """A backup or restore that cannot be carried out; the message says why."""


def _arrow(con: Any, query: str) -> pa.Table:
    # The relational API, not execute(): an Arrow result of execute() warns (it is copied),
    # and silencing that with warnings.catch_warnings() is not safe across threads.
    # It runs on the same connection, so inside the snapshot's transaction.
    return con.sql(db.sql_text(query)).to_arrow_table()


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def backup(path_db: Path, out_dir: Path) -> dict[str, Any]:
    """Write every table of the database to out_dir (which must be new or empty) with a manifest."""
    if out_dir.exists() and any(out_dir.iterdir()):
        raise BackupError(f"备份目录 {out_dir} 不是空目录；请指定一个新目录。")
    out_dir.mkdir(parents=True, exist_ok=True)
    tables: dict[str, dict[str, Any]] = {}
    with db.connect(path_db, create=False) as con, db.transaction(con):
        version = db.schema_version(con)
        data_version = db.get_meta(con, "data_version")
        for table in TABLES:
            data = _arrow(con, f"backup_{table}")
            target = out_dir / f"{table}.parquet"
            pq.write_table(data, target)
            tables[table] = {"rows": data.num_rows, "sha256": _sha256(target)}
    manifest = {
        "format": FORMAT,
        "created": dt.datetime.now().isoformat(timespec="seconds"),
        "source": str(path_db),
        "app_version": __version__,
        "schema_version": version,
        "data_version": data_version,
        "tables": tables,
    }
    (out_dir / MANIFEST).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return manifest


def _read_manifest(in_dir: Path) -> dict[str, Any]:
    path = in_dir / MANIFEST
    if not path.is_file():
        raise BackupError(f"{in_dir} 中没有 {MANIFEST}，不是本系统的备份目录。")
    manifest = json.loads(path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(
            f"备份格式 {manifest.get('format')} 无法识别（本版本读取格式 {FORMAT}）。"
        )
    for table, info in manifest["tables"].items():
        file = in_dir / f"{table}.parquet"
        if not file.is_file() or _sha256(file) != info["sha256"]:
            raise BackupError(f"备份文件 {file.name} 缺失或已损坏（校验和不符），未做任何恢复。")
    return manifest


def restore(in_dir: Path, path_db: Path) -> dict[str, Any]:
    """Restore a backup into a new database file; checks every file before writing anything."""
    manifest = _read_manifest(in_dir)
    if path_db.exists():
        raise BackupError(f"目标数据库 {path_db} 已存在；恢复只写入新的数据库文件。")
    try:
        with db.connect(path_db) as con:
            if manifest["schema_version"] > db.schema_version(con):
                raise BackupError("该备份来自更新版本的系统，请先升级本系统再恢复。")
            with db.transaction(con):
                _copy_tables(con, in_dir, manifest)
                db.audit(con, "restore", "database", str(path_db), None, {"from": str(in_dir)})
    except BaseException:
        for leftover in (path_db, path_db.with_name(path_db.name + ".wal")):
            leftover.unlink(missing_ok=True)
        raise
    return manifest


def _copy_tables(con: Any, in_dir: Path, manifest: dict[str, Any]) -> None:
    db.run(con, "restore_clear_meta").fetchall()
    for table, sequence in TABLES.items():
        if table not in manifest["tables"]:
            continue
        data = pq.read_table(in_dir / f"{table}.parquet")
        con.register("restore_src", data)
        try:
            db.run(con, f"restore_{table}").fetchall()
        finally:
            con.unregister("restore_src")
        if sequence and data.num_rows:
            highest = max(data.column("id").to_pylist())
            db.run(con, "sequence_advance", seq=sequence, n=highest).fetchall()
        if data.num_rows != manifest["tables"][table]["rows"]:
            raise BackupError(f"恢复后 {table} 的行数与备份清单不符，已撤销恢复。")


def automatic_backup(path_db: Path, label: str = "before-import") -> Path | None:
    """Before an import or a reset: snapshot the database beside it; keep the newest
    KEEP_AUTOMATIC of each label."""
    if not path_db.exists():
        return None
    root = path_db.parent / "backups" / path_db.stem
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = root / f"{label}-{stamp}"
    backup(path_db, target)
    for old in sorted(root.glob(f"{label}-*"))[:-KEEP_AUTOMATIC]:
        shutil.rmtree(old, ignore_errors=True)
    return target
