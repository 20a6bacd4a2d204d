"""Built-in accounts: argon2id hashes only, one refusal message, lock-out, roles and counties."""

from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from mic_tracker import auth, db
from mic_tracker.errors import AuthError

ADMIN_PW = "Admin-Secret-7731"
EDITOR_PW = "Editor-Secret-4409"
START = dt.datetime(2030, 3, 1, 9, 0, 0)


class Clock:
    """auth._now, moved by hand."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture(autouse=True)
def _no_failure_delay(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "FAILURE_DELAY_SECONDS", 0)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(auth, "_now", fake)
    return fake


@pytest.fixture
def accounts(empty_db: Path) -> Path:
    """A database with an admin (boss) and an editor (alice)."""
    auth.create_first_admin(empty_db, "boss", ADMIN_PW)
    auth.add_user(empty_db, "alice", "editor", None, EDITOR_PW, actor="os:test")
    return empty_db


def stored_hash(path: Path, name: str) -> str:
    with db.connect(path) as con:
        return db.rows(con, "users_get", name=name)[0]["password_hash"]


def refusal(path: Path, name: str, password: str) -> str:
    with pytest.raises(AuthError) as caught:
        auth.sign_in(path, name, password)
    return caught.value.message()


def test_password_is_stored_as_an_argon2id_hash_without_the_password(accounts: Path) -> None:
    """Test that the stored hash is argon2id and does not contain the password."""
    got = stored_hash(accounts, "alice")
    assert got.startswith("$argon2id$")
    assert EDITOR_PW not in got
    assert auth.sign_in(accounts, "alice", EDITOR_PW) == auth.User("alice", "editor", None)


def test_database_file_never_holds_a_clear_password(empty_db: Path) -> None:
    """Test that after add_user and set_password the database files' bytes hold neither password."""
    first, second = "Unique-Clear-Text-Pw-1", "Another-Clear-Text-Pw-2"
    auth.add_user(empty_db, "carol", "viewer", None, first, actor="os:test")
    auth.set_password(empty_db, "carol", second, actor="os:test")
    db.close_idle()  # the file complete on disk, nothing left only in memory
    files = [p for p in empty_db.parent.iterdir() if p.name.startswith(empty_db.name)]
    assert empty_db in files
    for path in files:
        data = path.read_bytes()
        for pw in (first, second):
            assert pw.encode() not in data
            assert pw.encode("utf-16-le") not in data


def test_unknown_user_wrong_password_and_disabled_account_get_one_message(accounts: Path) -> None:
    """Test that the three refusals are word for word the same, so names cannot be probed."""
    wrong = refusal(accounts, "alice", "not-the-password")
    unknown = refusal(accounts, "nobody", EDITOR_PW)
    auth.disable_user(accounts, "alice", actor="os:test")
    disabled = refusal(accounts, "alice", EDITOR_PW)
    assert wrong == unknown == disabled == "用户名或密码错误"


def test_five_failures_lock_the_account_even_for_the_right_password(
    accounts: Path, clock: Clock
) -> None:
    """Test that after MAX_FAILURES failures the right password is refused with the lock message."""
    for _ in range(auth.MAX_FAILURES - 1):
        assert refusal(accounts, "alice", "wrong-password") == "用户名或密码错误"
    assert "锁定" in refusal(accounts, "alice", "wrong-password")
    clock.advance(minutes=1)
    assert refusal(accounts, "alice", EDITOR_PW) == (
        "登录失败次数过多，账号已暂时锁定，请 14 分钟后再试"
    )
    clock.advance(minutes=13, seconds=30)
    assert refusal(accounts, "alice", EDITOR_PW).endswith("请 1 分钟后再试")  # 30 s rounds up
    assert auth.sign_in(accounts, "boss", ADMIN_PW).name == "boss"  # other accounts unaffected


def test_lock_ends_after_lock_minutes(accounts: Path, clock: Clock) -> None:
    """Test that LOCK_MINUTES after the lock the right password signs in again."""
    for _ in range(auth.MAX_FAILURES):
        refusal(accounts, "alice", "wrong-password")
    clock.advance(minutes=auth.LOCK_MINUTES, seconds=1)
    assert auth.sign_in(accounts, "alice", EDITOR_PW).name == "alice"


def test_successful_sign_in_resets_the_failure_count(accounts: Path, clock: Clock) -> None:
    """Test that failures must be consecutive: a success in between starts the count again."""
    for _ in range(2):
        for _ in range(auth.MAX_FAILURES - 1):
            refusal(accounts, "alice", "wrong-password")
        assert auth.sign_in(accounts, "alice", EDITOR_PW).name == "alice"


def test_failures_are_counted_in_the_database(accounts: Path, clock: Clock) -> None:
    """Test that the count is stored (so tabs and processes share it) and list_users shows the lock."""
    for _ in range(auth.MAX_FAILURES):
        refusal(accounts, "alice", "wrong-password")
    listed = {u["name"]: u for u in auth.list_users(accounts)}
    assert listed["alice"]["locked_until"] == START + dt.timedelta(minutes=auth.LOCK_MINUTES)
    assert listed["boss"]["locked_until"] is None
    clock.advance(minutes=auth.LOCK_MINUTES + 1)
    assert {u["name"]: u for u in auth.list_users(accounts)}["alice"]["locked_until"] is None


def test_failed_sign_in_pauses(accounts: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Test that a refusal comes after FAILURE_DELAY_SECONDS, a success without it."""
    monkeypatch.setattr(auth, "FAILURE_DELAY_SECONDS", 0.3)
    started = time.monotonic()
    refusal(accounts, "nobody", "whatever-password")
    assert time.monotonic() - started >= 0.3


def test_set_password_ends_a_lock_and_replaces_the_old_password(
    accounts: Path, clock: Clock
) -> None:
    """Test that a new password unlocks, is stamped, and the old one no longer works."""
    for _ in range(auth.MAX_FAILURES):
        refusal(accounts, "alice", "wrong-password")
    clock.advance(minutes=2)
    auth.set_password(accounts, "alice", "Fresh-Password-55", actor="os:test")
    assert auth.sign_in(accounts, "alice", "Fresh-Password-55").name == "alice"
    assert refusal(accounts, "alice", EDITOR_PW) == "用户名或密码错误"
    alice = next(u for u in auth.list_users(accounts) if u["name"] == "alice")
    assert alice["password_changed_at"] == START + dt.timedelta(minutes=2)


def test_sign_in_upgrades_a_hash_made_with_weaker_parameters(accounts: Path) -> None:
    """Test that check_needs_rehash leads to a new hash with today's parameters on sign-in."""
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(EDITOR_PW)
    with db.writing(accounts) as con:
        db.run(con, "users_rehash", name="alice", password_hash=weak)
    assert auth.sign_in(accounts, "alice", EDITOR_PW).name == "alice"
    upgraded = stored_hash(accounts, "alice")
    assert upgraded != weak and not PasswordHasher().check_needs_rehash(upgraded)
    assert auth.sign_in(accounts, "alice", EDITOR_PW).name == "alice"


def test_county_editor_without_a_county_is_refused(accounts: Path) -> None:
    """Test that a county editor needs a county and the message says what to write."""
    with pytest.raises(AuthError, match="必须指定负责的县区"):
        auth.add_user(accounts, "ce", "county_editor", None, EDITOR_PW, actor="os:test")
    with pytest.raises(AuthError, match="必须指定负责的县区"):
        auth.add_user(accounts, "ce", "county_editor", "  ", EDITOR_PW, actor="os:test")


@pytest.mark.parametrize(
    ("written", "stored", "name"),
    [
        ("涧西区", "410305", "涧西区"),
        ("410305", "410305", "涧西区"),
        ("吉利区", "410308", "孟津区"),
    ],
)
def test_county_editor_county_is_stored_as_the_current_unit(
    accounts: Path, written: str, stored: str, name: str
) -> None:
    """Test that a county name or code is stored as today's unit code (吉利区 → 孟津区)."""
    user = auth.add_user(accounts, "ce", "county_editor", written, EDITOR_PW, actor="os:test")
    assert user.county == stored
    listed = next(u for u in auth.list_users(accounts) if u["name"] == "ce")
    assert (listed["county_code"], listed["county_name"]) == (stored, name)
    assert auth.sign_in(accounts, "ce", EDITOR_PW) == auth.User("ce", "county_editor", stored)


def test_county_refused_for_other_roles_and_unknown_counties(accounts: Path) -> None:
    """Test that only county editors take a county, and an unknown one lists what is accepted."""
    with pytest.raises(AuthError, match="只有县区编辑"):
        auth.add_user(accounts, "ed", "editor", "涧西区", EDITOR_PW, actor="os:test")
    with pytest.raises(AuthError, match=r"无法识别的县区：北京.*涧西区"):
        auth.add_user(accounts, "ed", "county_editor", "北京", EDITOR_PW, actor="os:test")


def test_first_admin_only_while_there_are_no_accounts(empty_db: Path) -> None:
    """Test that the setup makes an admin once; afterwards it is refused."""
    assert not auth.has_users(empty_db)
    assert auth.create_first_admin(empty_db, "boss", ADMIN_PW) == auth.User("boss", "admin", None)
    assert auth.has_users(empty_db)
    with pytest.raises(AuthError, match="已有管理员账号，请登录"):
        auth.create_first_admin(empty_db, "boss2", ADMIN_PW)
    assert [u["name"] for u in auth.list_users(empty_db)] == ["boss"]


def test_two_tabs_creating_the_first_admin_at_once_make_one(empty_db: Path) -> None:
    """Test that of racing first-admin setups exactly one succeeds (checked in the transaction)."""
    outcomes: list[str] = []

    def setup(name: str) -> None:
        try:
            auth.create_first_admin(empty_db, name, ADMIN_PW)
            outcomes.append("made")
        except AuthError as exc:
            outcomes.append(exc.message())

    threads = [threading.Thread(target=setup, args=(f"admin{i}",)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["made", "已有管理员账号，请登录", "已有管理员账号，请登录"]
    assert len(auth.list_users(empty_db)) == 1


def test_last_enabled_admin_cannot_be_disabled(accounts: Path) -> None:
    """Test that disabling the only enabled admin is refused, and allowed once there is another."""
    with pytest.raises(AuthError, match="最后一个可用的管理员"):
        auth.disable_user(accounts, "boss", actor="os:test")
    auth.add_user(accounts, "boss2", "admin", None, ADMIN_PW, actor="os:test")
    auth.disable_user(accounts, "boss", actor="os:test")
    with pytest.raises(AuthError, match="最后一个可用的管理员"):
        auth.disable_user(accounts, "boss2", actor="os:test")
    assert auth.current_user(accounts, "boss") is None


def test_disabling_takes_effect_for_a_signed_in_user_and_enabling_restores(accounts: Path) -> None:
    """Test that current_user is None once disabled and the user again once enabled."""
    assert auth.current_user(accounts, "alice") == auth.User("alice", "editor", None)
    auth.disable_user(accounts, "alice", actor="os:test")
    assert auth.current_user(accounts, "alice") is None
    auth.enable_user(accounts, "alice", actor="os:test")
    assert auth.current_user(accounts, "alice") == auth.User("alice", "editor", None)
    assert auth.current_user(accounts, "nobody") is None


def test_audit_rows_for_account_changes_hold_no_password_or_hash(accounts: Path) -> None:
    """Test that every account change is audited with its actor but never a password or hash."""
    auth.set_password(accounts, "alice", "Changed-Password-99", actor="os:ops")
    auth.disable_user(accounts, "alice", actor="os:ops")
    auth.enable_user(accounts, "alice", actor="os:ops")
    hashes = [stored_hash(accounts, n) for n in ("boss", "alice")]
    with db.connect(accounts) as con:
        logged = db.rows(con, "audit_since", since=dt.datetime(1970, 1, 1))
    users = [r for r in logged if r["entity"] == "user"]
    assert [(r["action"], r["entity_key"], r["actor"]) for r in users] == [
        ("user_add", "boss", "setup:boss"),
        ("user_add", "alice", "os:test"),
        ("user_password", "alice", "os:ops"),
        ("user_disable", "alice", "os:ops"),
        ("user_enable", "alice", "os:ops"),
    ]
    text = " ".join(str(v) for r in users for v in r.values())
    for secret in (ADMIN_PW, EDITOR_PW, "Changed-Password-99", "$argon2", *hashes):
        assert secret not in text


def test_list_users_never_returns_the_hash(accounts: Path) -> None:
    """Test that list_users has exactly the documented keys."""
    for u in auth.list_users(accounts):
        assert set(u) == {
            "name",
            "role",
            "role_label",
            "county_code",
            "county_name",
            "disabled",
            "locked_until",
            "created_at",
            "password_changed_at",
        }
        assert "$argon2" not in " ".join(map(str, u.values()))
    assert [u["role_label"] for u in auth.list_users(accounts)] == ["编辑", "管理员"]


@pytest.mark.parametrize(
    ("name", "password", "message"),
    [
        ("dave", "short-pw", "至少 10 个字符"),
        ("dave", "", "至少 10 个字符"),
        ("davidsmith", "davidsmith", "不能与用户名相同"),
        ("dave", "my-DAVE-password", "包含用户名"),
    ],
)
def test_password_rules(empty_db: Path, name: str, password: str, message: str) -> None:
    """Test that short passwords and ones holding the user name are refused, saying the rule."""
    with pytest.raises(AuthError, match=message):
        auth.add_user(empty_db, name, "viewer", None, password, actor="os:test")
    assert not auth.has_users(empty_db)


def test_password_of_exactly_the_minimum_length_is_accepted(empty_db: Path) -> None:
    """Test that MIN_PASSWORD_LENGTH characters are enough, and set_password keeps the rules."""
    auth.add_user(empty_db, "dave", "viewer", None, "x" * auth.MIN_PASSWORD_LENGTH, actor="os:t")
    with pytest.raises(AuthError, match="至少 10 个字符"):
        auth.set_password(empty_db, "dave", "x" * (auth.MIN_PASSWORD_LENGTH - 1), actor="os:t")


@pytest.mark.parametrize(
    ("name", "role", "message"),
    [
        ("", "viewer", "用户名不能为空"),
        ("two words", "viewer", "不能含空格"),
        ("x" * 33, "viewer", "1—32 个字符"),
        ("erin", "superuser", r"无法识别的角色：superuser.*county_editor"),
    ],
)
def test_name_and_role_rules(empty_db: Path, name: str, role: str, message: str) -> None:
    """Test that empty, spaced or over-long names and unknown roles are refused."""
    with pytest.raises(AuthError, match=message):
        auth.add_user(empty_db, name, role, None, EDITOR_PW, actor="os:test")


def test_duplicate_name_is_refused(accounts: Path) -> None:
    """Test that a second account with a taken name is refused and the first one kept."""
    with pytest.raises(AuthError, match="已存在"):
        auth.add_user(accounts, "alice", "admin", None, "Other-Password-1", actor="os:test")
    assert auth.sign_in(accounts, "alice", EDITOR_PW).role == "editor"


def test_wrong_guesses_from_many_tabs_at_once_all_count(accounts: Path, clock: Clock) -> None:
    """Test that failures made in parallel are each counted, so they lock the account too."""
    threads = [
        threading.Thread(target=refusal, args=(accounts, "alice", f"wrong-guess-{i}"))
        for i in range(auth.MAX_FAILURES)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert "锁定" in refusal(accounts, "alice", EDITOR_PW)
