"""City-wide results narrowed to the report filters in memory.

A filter change on a page would otherwise run its queries again, each costing 12–20 ms at city
scale however few rows it returns (mostly planning the state macro). The filters do not depend
on the date (queries/macros.sql, filtered_centers), so a result read once per date for every
center the person may see, with each row's center, can be narrowed to any filters here: the
rows the same query would give with those filters, in the same order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import duckdb
import numpy as np

from mic_tracker import db

if TYPE_CHECKING:  # report reads its groups through ByDims
    import pandas as pd

    from mic_tracker.report import Filters

T = TypeVar("T")


@dataclass(frozen=True)
class CenterDims:
    """The filter columns of every center, by center_id (sorted)."""

    ids: np.ndarray
    sector: np.ndarray
    field_seq: np.ndarray
    county_code: np.ndarray
    form: np.ndarray

    def keeps(self, center_ids: np.ndarray, filters: Filters) -> np.ndarray:
        """Which of the centers the filters keep (an unknown id: none)."""
        if not len(self.ids):
            return np.zeros(len(center_ids), dtype=bool)
        at = np.searchsorted(self.ids, center_ids)
        known = at < len(self.ids)
        known[known] = self.ids[at[known]] == center_ids[known]
        at = np.where(known, at, 0)
        columns = (self.sector, self.field_seq, self.county_code, self.form)
        return known & filters.keeps(*(c[at] for c in columns))


def center_dims(con: duckdb.DuckDBPyConnection) -> CenterDims:
    """Every center's filter columns (queries/center_dims.sql); not dated."""
    got = db.arrow(con, "center_dims")
    ids = got["center_id"].to_numpy().astype(np.int64)
    rest = (got[k].to_numpy(zero_copy_only=False) for k in ("sector", "field_seq", "county_code"))
    return CenterDims(ids, *rest, got["form"].to_numpy(zero_copy_only=False))


@dataclass(frozen=True)
class ByCenter(Generic[T]):
    """Rows of a result with the center each is about, in the result's order."""

    rows: Sequence[T]
    center_ids: np.ndarray

    def narrowed(self, dims: CenterDims, filters: Filters) -> list[T]:
        """The rows whose centers the filters keep, in order (all of them without filters)."""
        if not filters.active:
            return list(self.rows)
        return _picked(self.rows, dims.keeps(self.center_ids, filters))


DIMS = ("sector", "field_seq", "county_code", "form")
# the same columns where a frame calls the field 序号 `seq` (fields_centers, center_list)
SEQ_DIMS = ("sector", "seq", "county_code", "form")


def frame_keeps(frame: pd.DataFrame, filters: Filters, columns: Sequence[str] = DIMS) -> np.ndarray:
    """Which rows of a frame that carries the filter columns the filters keep."""
    return filters.keeps(*(frame[c].to_numpy(dtype=object) for c in columns))


@dataclass(frozen=True)
class ByDims:
    """Rows (dicts) that carry the columns the filters read (DIMS) themselves: for city-wide
    figures read without a person's scope (counts, no names), which that person's CenterDims
    would not cover."""

    rows: Sequence[dict[str, Any]]

    @cached_property
    def _dims(self) -> list[np.ndarray]:
        return [np.array([r[k] for r in self.rows], dtype=object) for k in DIMS]

    def narrowed(self, filters: Filters) -> list[dict[str, Any]]:
        """The rows the filters keep, in order (all of them without filters)."""
        if not filters.active:
            return list(self.rows)
        kept = filters.keeps(*self._dims) if self.rows else np.zeros(0, dtype=bool)
        return _picked(self.rows, kept)


def _picked(rows: Sequence[T], kept: np.ndarray) -> list[T]:
    """The rows where kept is true, in order."""
    return [row for row, keep in zip(rows, kept.tolist(), strict=True) if keep]
