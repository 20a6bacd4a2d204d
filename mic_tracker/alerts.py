"""Everything that needs action, most urgent first, coloured like the Ouhai 三色预警 practice:
red for overdue, amber for due soon or a failed condition, green for on time.

Sources: the deadlines (mic_tracker.deadlines), the acceptance and application conditions of
live centers (mic_tracker.conditions), and fields with more than one live center (四).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from mic_tracker.conditions import (
    ACCEPTANCE_CODES,
    CODES,
    FieldState,
    check_name,
    one_per_field,
    one_per_field_from,
)
from mic_tracker.conditions_frame import failures
from mic_tracker.deadlines import deadline_columns
from mic_tracker.narrowing import ByCenter, CenterDims
from mic_tracker.policy import load_plan
from mic_tracker.report import Filters

SEVERITY_LABELS = {
    "red": "红色（已逾期）",
    "amber": "黄色（临近或待处理）",
    "green": "绿色（按期）",
}
SEVERITY_ORDER = ("red", "amber", "green")
SEVERITY_RANK = {key: i for i, key in enumerate(SEVERITY_ORDER)}
DEADLINE_SEVERITY = {
    "overdue": "red",
    "due_30": "amber",
    "due_90": "amber",
    "due_180": "green",  # half a year ahead is a heads-up, not yet a warning
    "ok": "green",
}
CITY_WIDE = "全市"  # alerts about the register as a whole, not one county's centers
COLUMNS = ["severity", "kind", "center", "county", "due", "days_left", "what", "rule", "clause"]


def deadline_rows(
    con: duckdb.DuckDBPyConnection, as_of: dt.date, filters: Filters
) -> list[dict[str, Any]]:
    """The alerts of the open deadlines, unsorted."""
    return list(deadline_rows_by_center(con, as_of, filters).rows)


def deadline_rows_by_center(
    con: duckdb.DuckDBPyConnection, as_of: dt.date, filters: Filters
) -> ByCenter[dict[str, Any]]:
    """deadline_rows with each row's center (a page narrows them to its filters)."""
    # numpy over the columns of Python strings (text + text joins them row by row); pandas'
    # string operations, and a frame at all, cost several ms even for the 60 centers of a city
    d = deadline_columns(con, as_of, filters, include_done=False)
    left, label, due, action = d["days_left"], d["label"], d["due"], d["action"]
    days = np.abs(left).astype(str).astype(object)
    when = np.where(left < 0, "已逾期 " + days + " 天", "还有 " + days + " 天")
    tentative = np.where(d["provisional"], "，日期暂定", "")
    rule = "逾期为红色，90天内到期为黄色，更远为绿色；期限按民法典第201–203条和法定工作日计算"
    columns = {
        "severity": np.array([DEADLINE_SEVERITY[s] for s in d["state"].tolist()], dtype=object),
        "kind": label,
        "center": d["center"],
        "county": d["county"],
        "due": due,
        "days_left": left,
        "what": np.where(action != "", action, label + "：" + due + "（" + when + "）" + tentative),
        "rule": np.full(len(left), rule, dtype=object),
        "clause": d["clause"],
    }
    values = [c.tolist() for c in columns.values()]
    rows = [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]
    return ByCenter(rows, d["center_id"].astype(np.int64))


def condition_rows(
    con: duckdb.DuckDBPyConnection, as_of: dt.date, filters: Filters
) -> list[dict[str, Any]]:
    """Failed conditions of centers still on their way: acceptance ones in cultivation,
    application ones while applying. Only those checks are computed, for every center at once."""
    return list(condition_rows_by_center(con, as_of, filters).rows)


def condition_rows_by_center(
    con: duckdb.DuckDBPyConnection, as_of: dt.date, filters: Filters
) -> ByCenter[dict[str, Any]]:
    """condition_rows with each row's center (a page narrows them to its filters)."""
    kinds = {
        "cultivation": (
            "验收条件未满足",
            "四(三) 申请验收须法人注册完成、管理层到位、内部管理制度运行",
        ),
        "applying": ("申报条件未满足", "三 建设要求（发起单位条件、建设方案要点）"),
    }
    application = tuple(c for c in CODES if c not in ACCEPTANCE_CODES)
    failing = failures(
        con, as_of, filters, {"cultivation": ACCEPTANCE_CODES, "applying": application}
    )
    thresholds = load_plan().thresholds
    # A register repeats few sets of failed codes: each set's text is built once.
    what = {
        codes: "、".join(f"{c} {check_name(c, thresholds)}" for c in codes)
        for codes in {f.failed for f in failing}
    }
    rows = [
        {
            "severity": "amber",
            "kind": kinds[stage][0],
            "center": center,
            "county": county,
            "due": None,
            "days_left": None,
            "what": what[codes],
            "rule": "条件不满足为黄色；无数据的条件不计入提示，在中心页查看",
            "clause": kinds[stage][1],
        }
        for center, county, stage, codes, _ in failing
    ]
    return ByCenter(rows, np.array([f.center_id for f in failing], dtype=np.int64))


def _field_rows(crowded: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for f in crowded:
        names = "、".join(f"{c['center']}（{c['county']}）" for c in f["centers"])
        rows.append(
            {
                "severity": "amber",
                "kind": "一个领域多个中心",
                "center": names,
                "county": CITY_WIDE,
                "due": None,
                "days_left": None,
                "what": f"{f['seq']} {f['field']}：在建 {f['live']} 家",
                "rule": "在培育或持有称号的中心多于一家时提示",
                "clause": "四 原则上，一个重点行业领域建设一个制造业创新中心",
            }
        )
    return rows


def alerts(con: duckdb.DuckDBPyConnection, as_of: dt.date, filters: Filters) -> pd.DataFrame:
    """All alerts as of the date: red first (longest overdue first), then amber, then green."""
    return assemble(
        deadline_rows(con, as_of, filters),
        condition_rows(con, as_of, filters),
        one_per_field(con, as_of, filters),
    )


def assemble(
    deadlines: list[dict[str, Any]],
    conditions: list[dict[str, Any]],
    by_field: dict[str, list[dict[str, Any]]],
) -> pd.DataFrame:
    """alerts from its three parts: deadline_rows, condition_rows and
    conditions.one_per_field of one date and filters, which a page reads at the same time."""
    return pd.DataFrame(sorted_rows(deadlines, conditions, by_field), columns=COLUMNS)


def sorted_rows(
    deadlines: list[dict[str, Any]],
    conditions: list[dict[str, Any]],
    by_field: dict[str, list[dict[str, Any]]],
) -> list[dict[str, Any]]:
    """The alerts' rows as assemble orders them (the rows given, not copies)."""
    return sorted([*deadlines, *conditions, *_field_rows(by_field["crowded"])], key=_urgency)


def _urgency(row: dict[str, Any]) -> tuple[int, bool, int, str]:
    """Colour, then days left (fewest first; none after), then center. Sorted in Python: the
    same pandas sort of a few dozen rows cost several ms."""
    days = row["days_left"]
    return SEVERITY_RANK[row["severity"]], days is None, days or 0, row["center"]


def with_counties(
    deadlines: list[dict[str, Any]],
    conditions: list[dict[str, Any]],
    states: list[FieldState],
    filters: Filters,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """alerts and their by_county counts, from deadline_rows, condition_rows and
    conditions.field_states of one date and filters (a page reads them at the same time)."""
    frame = assemble(deadlines, conditions, one_per_field_from(states, filters))
    return frame, by_county(frame)


# deadline_rows_by_center, condition_rows_by_center and conditions.field_states_by_center of
# every center (one date), and those centers' filter columns: what 预警 and 简报 read
AlertReads = tuple[
    ByCenter[dict[str, Any]], ByCenter[dict[str, Any]], ByCenter[FieldState], CenterDims
]


def narrowed_reads(
    reads: AlertReads, filters: Filters
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[FieldState]]:
    """deadline_rows, condition_rows and field_states of the filters, from the reads of every
    center narrowed in memory."""
    deadlines, conditions, states, dims = reads
    return (
        deadlines.narrowed(dims, filters),
        conditions.narrowed(dims, filters),
        states.narrowed(dims, filters),
    )


def with_counties_narrowed(
    reads: AlertReads, filters: Filters
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """with_counties from the reads of every center, narrowed to the filters."""
    return with_counties(*narrowed_reads(reads, filters), filters)


def by_county(frame: pd.DataFrame) -> pd.DataFrame:
    """Alert counts per county and colour, for the county offices (city-wide ones left out):
    most red first, then most amber, then most in all; ties by county name."""
    counts: dict[str, dict[str, int]] = {}
    # Counted in plain Python: a groupby and unstack of a few dozen rows cost about 6 ms.
    for county, severity in zip(frame["county"].tolist(), frame["severity"].tolist(), strict=True):
        if county != CITY_WIDE:
            counts.setdefault(county, dict.fromkeys(SEVERITY_ORDER, 0))[severity] += 1
    if not counts:
        return pd.DataFrame(columns=["county", *SEVERITY_ORDER, "total"])
    rows = [{"county": c, **n, "total": sum(n.values())} for c, n in sorted(counts.items())]
    rows.sort(key=lambda r: (-r["red"], -r["amber"], -r["total"]))
    return pd.DataFrame(rows).astype(dict.fromkeys([*SEVERITY_ORDER, "total"], "int64"))
