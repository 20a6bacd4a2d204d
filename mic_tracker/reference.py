"""Divisions (GB/T 2260, with the 2021 changes) and development zones, and the resolver that
maps whatever a county office writes to today's reporting unit."""

from __future__ import annotations

import csv
import datetime as dt
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from mic_tracker.errors import UnknownName
from mic_tracker.paths import REFERENCE_DIR

# Prefixes people write in front of a county name; stripped before matching.
_PREFIXES = ("河南省", "洛阳市", "洛阳")


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    short_name: str
    kind: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    successor_code: str | None
    aliases: tuple[str, ...]

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

    @property
    def is_zone(self) -> bool:
        return self.kind == "zone"


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def read_divisions(path: Path) -> tuple[Division, ...]:
    with path.open(encoding="utf-8", newline="") as fh:
        return tuple(
            Division(
                code=r["code"],
                name=r["name"],
                short_name=r["short_name"],
                kind=r["kind"],
                valid_from=_date(r["valid_from"]),
                valid_to=_date(r["valid_to"]),
                successor_code=r["successor_code"] or None,
                aliases=tuple(a for a in r["aliases"].split(";") if a),
            )
            for r in csv.DictReader(fh)
        )


def _key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


class Resolver:
    """Maps a full name, short name, GB code, old name or zone name to a division.

    `match` returns the division as written (possibly historical, so exports keep what
    was entered); `current` follows successors to today's reporting unit.
    """

    def __init__(self, divisions: tuple[Division, ...]) -> None:
        self.divisions = divisions
        self.by_code = {d.code: d for d in divisions}
        self.current_units = tuple(d for d in divisions if d.is_current)  # read on every rerun
        self._index: dict[str, Division] = {}
        # Current divisions are indexed last so a short name shared by an old and a new
        # division (偃师, 孟津) lands on today's one.
        for d in sorted(divisions, key=lambda d: d.is_current):
            for name in (d.code, d.name, d.short_name, *d.aliases):
                self._index[_key(name)] = d

    def match(self, text: str) -> Division:
        key = _key(str(text))
        if key.endswith(".0") and key[:-2].isdigit():
            key = key[:-2]
        found = self._index.get(key)
        while found is None and key.startswith(_PREFIXES):
            key = next(key[len(p) :] for p in _PREFIXES if key.startswith(p))
            found = self._index.get(key)
        if found is None:
            raise UnknownName("县区", str(text), self.accepted())
        return found

    def current(self, division: Division | str) -> Division:
        d = division if isinstance(division, Division) else self.match(division)
        while d.successor_code:
            d = self.by_code[d.successor_code]
        return d

    def accepted(self) -> str:
        names = "、".join(d.name for d in self.current_units)
        return f"洛阳市县区或开发区的全称、简称、GB/T 2260代码或2021年前旧名（如偃师市、吉利区），现有：{names}"


@cache
def load_resolver(path: Path = REFERENCE_DIR / "divisions.csv") -> Resolver:
    return Resolver(read_divisions(path))
