"""Built-in user accounts: roles, argon2id password hashes, sign-in with a lock-out.

Everything about an account lives in the users table, the count of failed sign-ins too, so
a lock-out holds across browser tabs and processes. Account changes are audited like data
changes, but never with a password or its hash; sign-ins are not audited (the log records
changes to data, not visits).
"""

from __future__ import annotations

import datetime as dt
import math
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from mic_tracker import db
from mic_tracker.errors import AuthError, UnknownName
from mic_tracker.reference import load_resolver
from mic_tracker.scope import Scope, require_admin

ROLES: dict[str, str] = {
    "admin": "管理员",
    "editor": "编辑",
    "viewer": "领导",
    "county_editor": "县区编辑",
}
MIN_PASSWORD_LENGTH = 10
MAX_FAILURES = 5
LOCK_MINUTES = 15
FAILURE_DELAY_SECONDS = 1.0  # after each failed sign-in, so guessing is slow
MAX_NAME_LENGTH = 32

# One message for an unknown name, a wrong password and a disabled account, so the sign-in
# form does not tell which names exist.
WRONG_CREDENTIALS = "用户名或密码错误"
_PASSWORD_RULE = f"密码至少 {MIN_PASSWORD_LENGTH} 个字符，且不能与用户名相同或包含用户名"
_hasher = PasswordHasher()  # argon2id with the library's current default parameters


@dataclass(frozen=True)
class User:
    name: str
    role: str
    county: str | None  # current division code for a county editor, else None


def _now() -> dt.datetime:
    """The clock for lock-outs and stamps (tests replace it)."""
    return dt.datetime.now()


def has_users(path_db: Path) -> bool:
    """Whether any account exists (none: the app offers to create the first admin)."""
    with db.connect(path_db) as con:
        return _count(con) > 0


def _operator(actor: str | Scope) -> str:
    """Who changes an account: the command line's operator (a name), or a signed-in person,
    who must be an admin."""
    if isinstance(actor, Scope):
        require_admin(actor)
        return actor.actor
    return actor


def add_user(
    path_db: Path, name: str, role: str, county: str | None, password: str, actor: str | Scope
) -> User:
    """A new account; refused (AuthError) when a rule is not met or the name is taken."""
    actor = _operator(actor)
    user = _new_user(name, role, county)
    _check_password(user.name, password)
    password_hash = _hasher.hash(password)  # before the transaction: hashing is slow
    with db.writing(path_db) as con:
        _insert(con, user, password_hash, actor)
    return user


def create_first_admin(path_db: Path, name: str, password: str) -> User:
    """The first account, an admin; only while there is none. Checked in the transaction
    that inserts it, so of two tabs setting up at once the second is refused."""
    user = _new_user(name, "admin", None)
    _check_password(user.name, password)
    password_hash = _hasher.hash(password)
    with db.writing(path_db) as con:
        if _count(con):
            raise AuthError("已有管理员账号，请登录")
        _insert(con, user, password_hash, actor=f"setup:{user.name}")
    return user


def list_users(path_db: Path) -> list[dict[str, Any]]:
    """Every account by name, without its hash. locked_until is set only while a lock-out
    lasts (an expired one means nothing)."""
    with db.connect(path_db, create=False) as con:
        found = db.rows(con, "users_list")
    now = _now()
    return [
        {
            "name": r["name"],
            "role": r["role"],
            "role_label": ROLES.get(r["role"], r["role"]),
            "county_code": r["county_code"],
            "county_name": r["county_name"],
            "disabled": r["disabled"],
            "locked_until": _active_lock(r["locked_until"], now),
            "created_at": r["created_at"],
            "password_changed_at": r["password_changed_at"],
        }
        for r in found
    ]


def disable_user(path_db: Path, name: str, actor: str | Scope) -> None:
    """Disable an account (it can no longer sign in; a signed-in session ends at its next
    rerun). The last enabled admin cannot be disabled: nobody could manage accounts then."""
    actor = _operator(actor)
    with db.writing(path_db, create=False) as con:
        row = _existing(con, name)
        if row["disabled"]:
            return
        if row["role"] == "admin" and _enabled_admins(con) <= 1:
            raise AuthError(
                f"不能停用「{row['name']}」：它是最后一个可用的管理员账号。"
                "请先添加或启用另一个管理员账号，再停用此账号。"
            )
        _set_disabled(con, row["name"], True, actor)


def enable_user(path_db: Path, name: str, actor: str | Scope) -> None:
    """Enable a disabled account again."""
    actor = _operator(actor)
    with db.writing(path_db, create=False) as con:
        row = _existing(con, name)
        if row["disabled"]:
            _set_disabled(con, row["name"], False, actor)


def set_password(path_db: Path, name: str, password: str, actor: str | Scope) -> None:
    """A new password (same rules as a new account); ends a lock-out."""
    actor = _operator(actor)
    _check_password(name, password)
    password_hash = _hasher.hash(password)  # before the transaction: hashing is slow
    now = _now()
    with db.writing(path_db, create=False) as con:
        row = _existing(con, name)
        db.run(con, "users_set_password", name=row["name"], password_hash=password_hash, now=now)
        after = {"password_changed_at": now.isoformat(timespec="seconds")}
        db.audit(con, "user_password", "user", row["name"], None, after, actor=actor)


def sign_in(path_db: Path, name: str, password: str) -> User:
    """The user with this name and password; AuthError otherwise, after a pause."""
    name, now = name.strip(), _now()
    with db.connect(path_db) as con:
        seen = _row(con, name)
    # The slow hash check runs outside any transaction, so guesses do not hold up writers.
    outcome = _precheck(seen, password, now)
    if isinstance(outcome, bool):
        with db.writing(path_db) as con:
            outcome = _settle(con, name, seen, outcome, password, now)
    if isinstance(outcome, User):
        return outcome
    time.sleep(FAILURE_DELAY_SECONDS)
    raise AuthError(outcome)


def current_user(path_db: Path, name: str) -> User | None:
    """The enabled account by this name, or None (the app asks on every rerun, so disabling
    an account takes effect at once)."""
    with db.connect(path_db) as con:
        return current_user_on(con, name)


def current_user_on(con: duckdb.DuckDBPyConnection, name: str) -> User | None:
    """current_user on an open connection (the app reads the account and the data version
    through one each rerun)."""
    row = _row(con, name)
    return None if row is None or row["disabled"] else _user(row)


def _precheck(seen: dict[str, Any] | None, password: str, now: dt.datetime) -> bool | str:
    """Whether the password is right, or the refusal when there is nothing to record."""
    if seen is None:
        _verify(_dummy_hash(), password)  # as slow as a real check, so timing tells no names
        return WRONG_CREDENTIALS
    if seen["disabled"]:
        _verify(seen["password_hash"], password)
        return WRONG_CREDENTIALS
    if _active_lock(seen["locked_until"], now):
        return _locked_message(seen["locked_until"] - now)
    return _verify(seen["password_hash"], password)


def _settle(
    con: duckdb.DuckDBPyConnection,
    name: str,
    seen: dict[str, Any] | None,
    right: bool,
    password: str,
    now: dt.datetime,
) -> User | str:
    """Record the checked attempt against the account as it is now: another tab or process
    may have locked, disabled or re-passworded it during the check."""
    row = _row(con, name)
    if row is None or row["disabled"]:
        return WRONG_CREDENTIALS
    if _active_lock(row["locked_until"], now):
        return _locked_message(row["locked_until"] - now)
    if seen is None or row["password_hash"] != seen["password_hash"]:
        right = _verify(row["password_hash"], password)  # rare: checked against an old hash
    if not right:
        return _record_failure(con, row, now)
    if row["failed_count"] or row["locked_until"] is not None:
        db.run(con, "users_sign_in_ok", name=row["name"])
    if _hasher.check_needs_rehash(row["password_hash"]):
        db.run(con, "users_rehash", name=row["name"], password_hash=_hasher.hash(password))
    return _user(row)


def _record_failure(con: duckdb.DuckDBPyConnection, row: dict[str, Any], now: dt.datetime) -> str:
    lock = dt.timedelta(minutes=LOCK_MINUTES)
    db.run(
        con,
        "users_sign_in_failed",
        name=row["name"],
        max_failures=MAX_FAILURES,
        lock_until=now + lock,
    )
    if row["failed_count"] + 1 >= MAX_FAILURES:
        return _locked_message(lock)  # say so now rather than at the next try
    return WRONG_CREDENTIALS


def _locked_message(left: dt.timedelta) -> str:
    minutes = max(1, math.ceil(left.total_seconds() / 60))
    return f"登录失败次数过多，账号已暂时锁定，请 {minutes} 分钟后再试"


def _active_lock(locked_until: dt.datetime | None, now: dt.datetime) -> dt.datetime | None:
    return locked_until if locked_until is not None and locked_until > now else None


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False  # a damaged hash refuses like a wrong password


@cache
def _dummy_hash() -> str:
    return _hasher.hash("no such user: a hash to verify against")


def _new_user(name: str, role: str, county: str | None) -> User:
    name = _checked_name(name)
    if role not in ROLES:
        choices = "、".join(f"{k}（{v}）" for k, v in ROLES.items())
        raise AuthError(f"无法识别的角色：{role}；可选：{choices}")
    return User(name, role, _county_for(role, county))


def _checked_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise AuthError(f"用户名不能为空：请填写 1—{MAX_NAME_LENGTH} 个字符，不含空格")
    if len(name) > MAX_NAME_LENGTH or any(c.isspace() or not c.isprintable() for c in name):
        raise AuthError(
            f"用户名「{name}」不可用：用户名为 1—{MAX_NAME_LENGTH} 个字符，不能含空格或控制字符"
        )
    return name


def _county_for(role: str, county: str | None) -> str | None:
    """The current division code a county editor edits; other roles have none."""
    given = (county or "").strip()
    if role != "county_editor":
        if given:
            raise AuthError(f"只有县区编辑（county_editor）指定县区；{ROLES[role]}账号不能指定县区")
        return None
    if not given:
        raise AuthError(
            "县区编辑（county_editor）必须指定负责的县区：填写县区名称、简称或代码，如 涧西区 或 410305"
        )
    resolver = load_resolver()
    try:
        division = resolver.match(given)
    except UnknownName as exc:
        raise AuthError(f"{exc}；可填写：{exc.accepted}") from exc
    return resolver.current(division).code  # an old name (吉利区) means today's unit


def _check_password(name: str, password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AuthError(f"密码太短：{_PASSWORD_RULE}")
    if name.strip().casefold() in password.casefold():
        raise AuthError(f"密码不能与用户名相同或包含用户名：{_PASSWORD_RULE}")


def _insert(con: duckdb.DuckDBPyConnection, user: User, password_hash: str, actor: str) -> None:
    if _row(con, user.name) is not None:
        raise AuthError(f"用户名「{user.name}」已存在，请换一个用户名")
    db.run(
        con,
        "users_insert",
        name=user.name,
        role=user.role,
        county_code=user.county,
        password_hash=password_hash,
        now=_now(),
    )
    after = {"role": user.role, "county_code": user.county}
    db.audit(con, "user_add", "user", user.name, None, after, actor=actor)


def _set_disabled(con: duckdb.DuckDBPyConnection, name: str, disabled: bool, actor: str) -> None:
    db.run(con, "users_set_disabled", name=name, disabled=disabled)
    action = "user_disable" if disabled else "user_enable"
    db.audit(
        con, action, "user", name, {"disabled": not disabled}, {"disabled": disabled}, actor=actor
    )


def _row(con: duckdb.DuckDBPyConnection, name: str) -> dict[str, Any] | None:
    found = db.rows(con, "users_get", name=name)
    return found[0] if found else None


def _existing(con: duckdb.DuckDBPyConnection, name: str) -> dict[str, Any]:
    row = _row(con, name.strip())
    if row is None:
        raise AuthError(f"没有名为「{name}」的账号，请检查用户名")
    return row


def _count(con: duckdb.DuckDBPyConnection) -> int:
    return int(db.rows(con, "users_count")[0]["n"])


def _enabled_admins(con: duckdb.DuckDBPyConnection) -> int:
    return int(db.rows(con, "users_enabled_admins")[0]["n"])


def _user(row: dict[str, Any]) -> User:
    return User(name=row["name"], role=row["role"], county=row["county_code"])
