"""The list of centers with their stage as of a date, for the centers page and downloads."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from mic_tracker import db
from mic_tracker.report import Filters
from mic_tracker.stages import STAGE_LABELS


def center_list(con: duckdb.DuckDBPyConnection, as_of: dt.date, filters: Filters) -> pd.DataFrame:
    """One row per center matching the filters; `stage_label` says where it stands."""
    frame = db.run(con, "center_list", as_of=as_of, **filters.params()).df()
    frame["stage_label"] = frame["stage"].map(STAGE_LABELS)
    return frame
