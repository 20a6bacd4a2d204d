"""What a signed-in person may see and change (issue 6), applied in the data layer.

Reads: a scoped connection (db.connect(path, scope=...)) shadows the register's tables with
temporary views holding only the rows the person may read, so every query on it — whichever
page runs it — sees only those. Writes: every write function takes the scope and calls
require_write before it changes anything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from mic_tracker.errors import ScopeDenied
from mic_tracker.reference import load_resolver

F = TypeVar("F", bound=Callable[..., Any])
ROLE_LABELS = {"admin": "管理员", "editor": "编辑", "viewer": "领导", "county_editor": "县区编辑"}


@dataclass(frozen=True)
class Scope:
    """A signed-in person: the audit log's actor, a role, and for a county editor the current
    code of their division. The command line acts as the operator and passes no scope."""

    actor: str
    role: str
    county: str | None = None

    @property
    def key(self) -> str:
        """Part of every cache key, so one person's results never reach another."""
        return f"{self.role}|{self.county or ''}|{self.actor}"

    @property
    def county_name(self) -> str:
        return division_name(self.county) if self.county else "全市"

    def reads_users(self) -> bool:
        return self.role == "admin"

    def reads_audit(self) -> str:
        """'all', 'own' (a county editor's own changes) or 'none' (a viewer)."""
        return {"admin": "all", "editor": "all", "county_editor": "own"}.get(self.role, "none")


def city_totals(func: F) -> F:
    """Mark a function whose result is counts only (no center names, no records): a county
    editor still sees the city-wide target figures it gives (ui.data.shared_city)."""
    func.city_totals = True  # type: ignore[attr-defined]
    return func


def current_unit(code: str) -> str:
    """The reporting unit a stored division code belongs to today (吉利区 → 孟津区)."""
    resolver = load_resolver()
    division = resolver.by_code.get(code)
    return resolver.current(division).code if division else code


def division_name(code: str) -> str:
    division = load_resolver().by_code.get(code)
    return division.name if division else code


def write_refusal(scope: Scope | None, division_code: str | None = None) -> str | None:
    """Why this person may not change a center of that division, or None when they may."""
    if scope is None or scope.role in ("admin", "editor"):
        return None
    if scope.role != "county_editor":
        return f"{ROLE_LABELS.get(scope.role, scope.role)}账号只能查看，不能修改数据。"
    if division_code is None or current_unit(division_code) != scope.county:
        where = f"（该中心属于{division_name(division_code)}）" if division_code else ""
        return f"县区编辑只能修改{scope.county_name}的中心{where}。"
    return None


def require_write(scope: Scope | None, division_code: str | None = None) -> None:
    """Refuse a change the person may not make; None is the command line's operator."""
    reason = write_refusal(scope, division_code)
    if reason:
        raise ScopeDenied(reason)


def require_editing(scope: Scope | None) -> None:
    """Refuse a read-only account before it starts a change of any center."""
    if scope is not None and scope.role not in ("admin", "editor", "county_editor"):
        raise ScopeDenied(write_refusal(scope) or "")


def require_admin(scope: Scope | None) -> None:
    if scope is not None and scope.role != "admin":
        raise ScopeDenied("只有管理员可以管理用户账号。")


def require_admin_or_editor(scope: Scope | None) -> None:
    """For changes to the whole register (loading demo data): the bureau's staff only."""
    if scope is not None and scope.role not in ("admin", "editor"):
        raise ScopeDenied("只有管理员和编辑可以载入或清空整个登记册。")
