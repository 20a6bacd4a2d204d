"""The 资金 page's and the CLI's summaries of funding rows (mic_tracker.funding): totals by year,
county and field, the pending items, the detail as shown, and the page's tables read once per
date and narrowed to each filter. Sums are taken in whole yuan, so they are exact."""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow.compute as pc

from mic_tracker.funding import (
    BEYOND_PARTS,
    PARTS,
    YUAN,
    Facts,
    Rules,
    Table,
    earning_years,
    entitlement,
    estimate,
    load_facts,
    manual_entries,
    null_false,
)
from mic_tracker.report import Filters

AMOUNT_COLUMNS = [*PARTS, "entitled", "city_pays", "manual", "disbursed"]


def frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """The rows as a table with `entitled` = F1+F2+F3+F4 (before 从高) and `n_pending`."""
    cols = ["center", "year", *PARTS, "city_pays", "basis", "pending", "beyond_validity"]
    out = pd.DataFrame(
        rows,
        columns=[
            *cols,
            "county",
            "field_seq",
            "field",
            "sector",
            "manual",
            "disbursed",
            "pending_text",
            "notes",
        ],
    )
    for col in (*PARTS, "city_pays", "manual", "disbursed"):
        out[col] = pd.to_numeric(out[col]).astype(float)
    out["entitled"] = out[list(PARTS)].sum(axis=1)
    out["n_pending"] = [len(p) for p in out["pending"]]
    return out


def _sums(t: Table, groups: np.ndarray, n: int) -> dict[str, np.ndarray]:
    """Per group (each row's group, 0..n-1): AMOUNT_COLUMNS in 万元, summed in whole yuan (so
    exactly), entitled being F1+F2+F3+F4 (before 从高)."""
    c = t.cols
    values = np.column_stack(
        [sum(c[p] for p in PARTS) if col == "entitled" else c[col] for col in AMOUNT_COLUMNS]
    )
    totals = np.zeros((n, len(AMOUNT_COLUMNS)), dtype=np.int64)
    np.add.at(totals, groups, values)
    return {col: totals[:, i] / YUAN for i, col in enumerate(AMOUNT_COLUMNS)}


def _year_totals(t: Table, first: int, last: int) -> pd.DataFrame:
    """by_year of the table's rows, without making them dicts first; summed in whole yuan, so
    a total may differ from by_year's float sum in its last binary digit (it is the exact one)."""
    r = Rules.from_plan()
    years = np.arange(first, last + 1)
    t = t.take((t.cols["year"] >= first) & (t.cols["year"] <= last))
    groups = t.cols["year"] - first
    pending = np.isin(t.cols["cell"], np.fromiter(t.pending, np.int64, len(t.pending)))
    return pd.DataFrame(
        {
            "year": years,
            **_sums(t, groups, len(years)),
            "pending_rows": np.bincount(groups[pending], minlength=len(years)),
            "beyond": [r.year_beyond(int(y)) for y in years],
        }
    )


def _group_totals(t: Table, key: str) -> pd.DataFrame:
    """by_group of the table's rows (summed in whole yuan, as _year_totals): per county or
    field, largest payout first."""
    if not t.cols["cell"].size:
        return pd.DataFrame(columns=[key, *AMOUNT_COLUMNS, "centers"])
    # each row's group through its center's (sorted as Python sorts text; no group: left out)
    column = t.centers[key]
    named = null_false(pc.is_valid(column))
    names, group_of = np.unique(
        column.drop_null().to_numpy(zero_copy_only=False).astype(str), return_inverse=True
    )
    by_center = np.full(len(named), -1)
    by_center[named] = group_of
    groups = by_center[t.cols["at"]]
    t = t.take(groups >= 0)
    present, groups = np.unique(groups[groups >= 0], return_inverse=True)  # groups with rows
    names = names[present].astype(object)
    # each group's centers: its distinct (group, center) pairs
    pairs = np.unique(groups * t.centers.num_rows + t.cols["at"])
    totals = pd.DataFrame(
        {
            key: names,
            **_sums(t, groups, len(names)),
            "centers": np.bincount(pairs // t.centers.num_rows, minlength=len(names)),
        }
    )
    return totals.sort_values("city_pays", ascending=False).reset_index(drop=True)


def by_year(rows: list[dict[str, Any]], first: int, last: int) -> pd.DataFrame:
    """Per year first..last: the four grants, entitled, city_pays, manual, disbursed, the number
    of pending rows and whether the year lies beyond the plan's validity. Zeros included."""
    return _by_year(frame(rows), first, last)


def _by_year(data: pd.DataFrame, first: int, last: int) -> pd.DataFrame:
    r = Rules.from_plan()
    sums = data.groupby("year")[AMOUNT_COLUMNS].sum()
    pending = data[data["n_pending"] > 0].groupby("year").size()
    out = sums.reindex(range(first, last + 1), fill_value=0.0)
    out["pending_rows"] = pending.reindex(out.index, fill_value=0).astype(int)
    out["beyond"] = [r.year_beyond(y) for y in out.index]
    return out.rename_axis("year").reset_index()


def by_group(rows: list[dict[str, Any]], key: str) -> pd.DataFrame:
    """Totals per county (`county`) or field (`field`): grants, entitled, city_pays, centers."""
    return _by_group(frame(rows), key)


def _by_group(data: pd.DataFrame, key: str) -> pd.DataFrame:
    if data.empty:
        return pd.DataFrame(columns=[key, *AMOUNT_COLUMNS, "centers"])
    sums = data.groupby(key)[AMOUNT_COLUMNS].sum()
    sums["centers"] = data.groupby(key)["center"].nunique()
    return sums.sort_values("city_pays", ascending=False).reset_index()


def pending_table(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Rows with pending items, one line per item, with the explanation."""
    out = [
        {"year": row["year"], "center": row["center"], "code": code, "text": text}
        for row in rows
        for code, text in zip(row["pending"], row["pending_text"], strict=True)
    ]
    return pd.DataFrame(out, columns=["year", "center", "code", "text"])


def _pending_lines(t: Table) -> pd.DataFrame:
    """pending_table of the table's rows."""
    cells, years = t.cols["cell"].tolist(), t.cols["year"].tolist()
    names = t.center_values("name")
    out = [
        (years[i], names[i], code, text)
        for i, cell in enumerate(cells)
        for code, text in t.pending.get(cell, ())
    ]
    return pd.DataFrame(out, columns=["year", "center", "code", "text"])


DETAIL_COLUMNS = [
    "year", "center", "county", *PARTS, "city_pays", "basis", "pending",
    "beyond_validity", "beyond_parts", "manual", "disbursed", "notes",
]  # fmt: skip


def _detail(t: Table) -> pd.DataFrame:
    """One line per row, ready to show, the latest year first (a long table shows its first
    rows): amounts in 万元; the pending texts and the notes joined with ；, the parts beyond the
    plan's validity with 、 (the texts stay Chinese)."""
    t = t.take(np.argsort(-t.cols["year"], kind="stable"))
    c = t.cols
    cells, bits = c["cell"].tolist(), c["beyond"]
    return pd.DataFrame(
        {
            "year": c["year"],
            "center": t.center_column("name"),
            "county": t.center_column("county"),
            **{p: c[p] / YUAN for p in PARTS},
            "city_pays": c["city_pays"] / YUAN,
            "basis": c["basis"],
            "pending": ["；".join(text for _, text in t.pending.get(x, ())) for x in cells],
            "beyond_validity": bits != 0,
            "beyond_parts": ["、".join(BEYOND_PARTS[b]) for b in bits.tolist()],
            "manual": c["manual"] / YUAN,
            "disbursed": c["disbursed"] / YUAN,
            "notes": ["；".join(t.notes.get(x, ())) for x in cells],
        },
        columns=DETAIL_COLUMNS,
    )


def page_tables(
    con: duckdb.DuckDBPyConnection,
    as_of: dt.date,
    filters: Filters,
    levels: tuple[str, ...],
    first: int,
    last: int,
    ahead: int,
) -> dict[str, pd.DataFrame]:
    """Everything the 资金 page shows, as tables, from one reading of the facts: years
    first..last, county and field totals, the next `ahead` years' forecast, the detail (ready to
    show), the pending items, the centers' names for the entry form and the hand-entered
    amounts. Frames of plain columns, without row dicts: the page's cache copies its results
    (lists in cells copy one by one; 50,000 row dicts took seconds)."""
    facts = load_facts(con, as_of, filters, as_of.year)
    return tables_of(facts, as_of, levels, first, last, ahead)


def tables_of(
    facts: Facts, as_of: dt.date, levels: tuple[str, ...], first: int, last: int, ahead: int
) -> dict[str, pd.DataFrame]:
    """page_tables from facts already read (with annual figures up to as_of's year)."""
    return _tables(facts, *city_rows(facts, as_of, levels, ahead), as_of, first, last, ahead)


def city_rows(
    facts: Facts, as_of: dt.date, levels: tuple[str, ...], ahead: int
) -> tuple[Table, Table]:
    """The entitlement rows of every year to as_of's and the next `ahead` years' forecast
    rows, of the centers in the facts (the 资金 page's for every center, once per date and
    levels: tables_narrowed picks a filter's rows from them)."""
    r = Rules.from_plan()
    return entitlement(facts, earning_years(r, as_of, None), r, levels), estimate(
        facts, as_of, ahead, r, levels
    )


def tables_narrowed(
    facts: Facts,
    rows: tuple[Table, Table],
    filters: Filters,
    as_of: dt.date,
    first: int,
    last: int,
    ahead: int,
) -> dict[str, pd.DataFrame]:
    """page_tables of the filters from the facts of every center and their city_rows: each
    center's rows are its own (no rule reads another center), so the filter's rows are the
    rows of the centers it keeps, in the same order."""
    facts = facts.narrowed(filters)
    if filters.active:
        rows = tuple(t.take(np.isin(t.cols["center_id"], facts.ids)) for t in rows)
    return _tables(facts, *rows, as_of, first, last, ahead)


def _tables(
    facts: Facts,
    rows: Table,
    future: Table,
    as_of: dt.date,
    first: int,
    last: int,
    ahead: int,
) -> dict[str, pd.DataFrame]:
    nxt = as_of.year + 1
    return {
        "years": _year_totals(rows, first, last),
        "county": _group_totals(rows, "county"),
        "field": _group_totals(rows, "field"),
        "future": _year_totals(future, nxt, nxt + ahead - 1),
        "detail": _detail(rows),
        "pending": _pending_lines(rows),
        "names": pd.DataFrame({"name": facts.centers["name"].to_pandas()}),
        "entries": manual_entries(facts),
    }


def text_lines(rows: list[dict[str, Any]]) -> list[str]:
    """Plain Chinese lines for the CLI without --json."""
    lines = []
    for row in rows:
        parts = "，".join(f"{k} {row[k]}" for k in PARTS if row[k])
        line = (
            f"{row['year']} {row['center']}：市财政应付 {row['city_pays']} 万元（{row['basis']}）"
        )
        if parts:
            line += f"；{parts}"
        if row["pending"]:
            line += "；待定：" + "；".join(row["pending_text"])
        if row["beyond_validity"]:
            line += "；超出方案有效期"
        lines.append(line)
    return lines
