"""`users` commands end to end: passwords from standard input only, Chinese output, exit codes."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mic_tracker import auth, db
from mic_tracker.errors import AuthError
from tests.conftest import ROOT

ADMIN_PW = "Cli-Admin-Secret-3"


def users(path: Path, *args: str, password: str | None = None) -> subprocess.CompletedProcess[str]:
    """python -m mic_tracker --db PATH users ARGS, the password (if any) as stdin's first line."""
    env = {k: v for k, v in os.environ.items() if k != "MIC_TRACKER_DEBUG"}
    return subprocess.run(
        [sys.executable, "-m", "mic_tracker", "--db", str(path), "users", *args],
        cwd=ROOT,
        env=env,
        input=None if password is None else password + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def with_admin(tmp_path: Path) -> Path:
    path = tmp_path / "users.duckdb"
    out = users(path, "add", "boss", "--role", "admin", "--password-stdin", password=ADMIN_PW)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "已添加账号「boss」：管理员"
    return path


def test_added_account_signs_in_with_the_password_from_stdin(with_admin: Path) -> None:
    """Test that users add stores the stdin line (spaces kept, newline dropped) as the password."""
    pw = " spaced password "
    out = users(with_admin, "add", "eve", "--role", "viewer", "--password-stdin", password=pw)
    assert out.returncode == 0, out.stderr
    assert auth.sign_in(with_admin, "eve", pw) == auth.User("eve", "viewer", None)
    with pytest.raises(AuthError):
        auth.sign_in(with_admin, "eve", pw.strip())
    assert auth.sign_in(with_admin, "boss", ADMIN_PW).role == "admin"


def test_without_password_stdin_add_and_passwd_are_refused_and_nothing_changes(
    tmp_path: Path,
) -> None:
    """Test that add and passwd without --password-stdin exit 2, say how, and change nothing."""
    path = tmp_path / "refused.duckdb"
    out = users(path, "add", "boss", "--role", "admin", password=ADMIN_PW)
    assert out.returncode == 2
    assert "--password-stdin" in out.stderr and "Traceback" not in out.stderr
    assert not path.exists() or not auth.has_users(path)
    made = users(path, "add", "boss", "--role", "admin", "--password-stdin", password=ADMIN_PW)
    assert made.returncode == 0, made.stderr
    out = users(path, "passwd", "boss", password="Another-Password-1")
    assert out.returncode == 2 and "--password-stdin" in out.stderr
    assert auth.sign_in(path, "boss", ADMIN_PW).name == "boss"


def test_county_editor_gets_the_current_unit_and_list_shows_it(with_admin: Path) -> None:
    """Test that --county 吉利区 is stored as 孟津区 (410308) and both list forms show it."""
    out = users(
        with_admin,
        "add",
        "ce",
        "--role",
        "county_editor",
        "--county",
        "吉利区",
        "--password-stdin",
        password="County-Editor-Pw-1",
    )
    assert out.returncode == 0, out.stderr
    assert "县区编辑" in out.stdout and "孟津区" in out.stdout
    table = users(with_admin, "list")
    assert table.returncode == 0
    assert any(
        "ce" in line and "县区编辑" in line and "孟津区" in line
        for line in table.stdout.splitlines()
    )
    listed = {u["name"]: u for u in json.loads(users(with_admin, "list", "--json").stdout)}
    assert listed["ce"]["county_code"] == "410308"
    assert listed["boss"]["role_label"] == "管理员"


def test_list_json_has_no_hash(with_admin: Path) -> None:
    """Test that users list --json carries the documented keys and nothing of the hash."""
    out = users(with_admin, "list", "--json")
    assert out.returncode == 0, out.stderr
    assert "argon2" not in out.stdout and ADMIN_PW not in out.stdout
    (boss,) = json.loads(out.stdout)
    assert set(boss) == {
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


def test_disable_and_enable_show_in_the_list_and_the_last_admin_stays(with_admin: Path) -> None:
    """Test that disable marks 已停用, enable clears it, and the last admin cannot be disabled."""
    pw = "Secret-Pass-123"
    added = users(with_admin, "add", "eve", "--role", "editor", "--password-stdin", password=pw)
    assert added.returncode == 0, added.stderr
    out = users(with_admin, "disable", "eve")
    assert (out.returncode, out.stdout.strip()) == (0, "已停用账号「eve」")
    line = next(x for x in users(with_admin, "list").stdout.splitlines() if "eve" in x)
    assert "已停用" in line
    out = users(with_admin, "enable", "eve")
    assert (out.returncode, out.stdout.strip()) == (0, "已启用账号「eve」")
    line = next(x for x in users(with_admin, "list").stdout.splitlines() if "eve" in x)
    assert "已停用" not in line
    out = users(with_admin, "disable", "boss")
    assert out.returncode == 1
    assert "最后一个可用的管理员" in out.stderr and "Traceback" not in out.stderr


def test_passwd_replaces_the_password(with_admin: Path) -> None:
    """Test that users passwd sets the new password and the old one stops working."""
    out = users(with_admin, "passwd", "boss", "--password-stdin", password="Brand-New-Pass-8")
    assert (out.returncode, out.stdout.strip()) == (0, "已重设账号「boss」的密码")
    assert auth.sign_in(with_admin, "boss", "Brand-New-Pass-8").name == "boss"
    with pytest.raises(AuthError):
        auth.sign_in(with_admin, "boss", ADMIN_PW)


def test_refusals_exit_1_with_the_rule_in_chinese(with_admin: Path) -> None:
    """Test that a short password, an unknown role, an unknown account each exit 1 and explain."""
    cases = [
        (("add", "x", "--role", "viewer", "--password-stdin"), "short", "至少 10 个字符"),
        (("add", "x", "--role", "chief", "--password-stdin"), "Long-Enough-1", "无法识别的角色"),
        (("add", "x", "--role", "county_editor", "--password-stdin"), "Long-Enough-1", "必须指定"),
        (("add", "boss", "--role", "viewer", "--password-stdin"), "Long-Enough-1", "已存在"),
        (("disable", "nobody"), None, "没有名为「nobody」的账号"),
    ]
    for args, password, message in cases:
        out = users(with_admin, *args, password=password)
        assert out.returncode == 1, (args, out.stderr)
        assert message in out.stderr and "Traceback" not in out.stderr


def test_account_changes_are_audited_as_the_operating_system_user(with_admin: Path) -> None:
    """Test that the CLI records the os: user as actor and no password or hash in the log."""
    users(with_admin, "passwd", "boss", "--password-stdin", password="Audited-Pass-77")
    with db.connect(with_admin) as con:
        logged = [
            r
            for r in db.rows(con, "audit_since", since=dt.datetime(1970, 1, 1))
            if r["entity"] == "user"
        ]
    assert [r["action"] for r in logged] == ["user_add", "user_password"]
    assert all(r["actor"] == db.current_user() for r in logged)
    text = " ".join(str(v) for r in logged for v in r.values())
    assert "Audited-Pass-77" not in text and ADMIN_PW not in text and "argon2" not in text
