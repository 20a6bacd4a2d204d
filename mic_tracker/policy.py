"""The plan as data: loads data/policy/*.toml and the annex's field list.

Everything numeric the plan states is read from there, so a revised plan loads without a
code change. The objects are frozen and cached: load once per process.
"""

from __future__ import annotations

import csv
import datetime as dt
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from mic_tracker.paths import DEFAULT_POLICY


@dataclass(frozen=True)
class Field:
    seq: int
    sector: str
    name: str


@dataclass(frozen=True)
class Target:
    year: int
    metric: str
    target: int
    target_max: int
    approx: bool
    quote: str

    @property
    def deadline(self) -> dt.date:
        return dt.date(self.year, 12, 31)


@dataclass(frozen=True)
class EventKind:
    key: str
    label: str
    level: str | None
    default_level: str | None


@dataclass(frozen=True)
class Plan:
    id: str
    doc_number: str
    title: str
    issued: dt.date
    applies_from: dt.date
    validity_end: dt.date
    pace_start: dt.date
    fields: tuple[Field, ...]
    forms: dict[str, str]
    levels: dict[str, str]
    metrics: dict[str, str]
    targets: tuple[Target, ...]
    events: dict[str, EventKind]
    results: dict[str, str]
    thresholds: dict[str, Any]
    periods: dict[str, Any]
    funding: dict[str, Any]

    @property
    def sectors(self) -> list[str]:
        return list(dict.fromkeys(f.sector for f in self.fields))

    def field(self, seq: int) -> Field:
        return self.fields[seq - 1]

    def event_by_label(self, label: str) -> EventKind | None:
        return next((e for e in self.events.values() if e.label == label), None)

    def level_by_label(self, label: str) -> str | None:
        return next((k for k, v in self.levels.items() if v == label), None)


def read_fields(path: Path) -> tuple[Field, ...]:
    """The annex table; a blank sector continues the last one above it, as in the annex."""
    fields: list[Field] = []
    sector = ""
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            sector = row["行业分类"].strip() or sector
            fields.append(Field(int(row["序号"]), sector, row["重点领域"].strip()))
    if [f.seq for f in fields] != list(range(1, len(fields) + 1)):
        raise ValueError(f"{path}: 序号 must run 1..N without gaps")
    return tuple(fields)


def _labels(rows: list[dict[str, Any]]) -> dict[str, str]:
    return {r["key"]: r["label"] for r in rows}


@cache
def load_plan(path: Path = DEFAULT_POLICY) -> Plan:
    """Read the plan file and the field list it names."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    meta = raw["plan"]
    targets = tuple(
        Target(
            t["year"],
            t["metric"],
            t["target"],
            t.get("target_max", t["target"]),
            t.get("approx", False),
            t.get("quote", ""),
        )
        for t in raw["targets"]
    )
    events = {
        e["key"]: EventKind(e["key"], e["label"], e.get("level"), e.get("default_level"))
        for e in raw["events"]
    }
    return Plan(
        id=meta["id"],
        doc_number=meta["doc_number"],
        title=meta["title"],
        issued=meta["issued"],
        applies_from=meta["applies_from"],
        validity_end=meta["validity_end"],
        pace_start=raw["status"]["pace_start"],
        fields=read_fields(path.parent / meta["fields_file"]),
        forms=_labels(raw["forms"]),
        levels=_labels(raw["levels"]),
        metrics=_labels(raw["metrics"]),
        targets=targets,
        events=events,
        results={"pass": raw["evaluation"]["pass"], "fail": raw["evaluation"]["fail"]},
        thresholds=raw["thresholds"],
        periods=raw["periods"],
        funding=raw["funding"],
    )
