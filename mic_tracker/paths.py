"""Where the project's files are, and the database the app and the CLI open by default."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
POLICY_DIR = DATA / "policy"
REFERENCE_DIR = DATA / "reference"
I18N_DIR = DATA / "i18n"
QUERIES = ROOT / "queries"
DEFAULT_DB = DATA / "tracker.duckdb"
DEFAULT_POLICY = POLICY_DIR / "luoyang-2019-13.toml"


def database_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The database file: --db, else TRACKER_DB, else data/tracker.duckdb."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("TRACKER_DB")
    return Path(env) if env else DEFAULT_DB
