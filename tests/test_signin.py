"""AppTest of sign-in and roles: nothing before sign-in, a wrong password gets nothing, each
role sees its pages, a county editor's centers, map and alerts hold only their division."""

from __future__ import annotations

import time
import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from mic_tracker import auth
from mic_tracker.errors import AuthError
from mic_tracker.scope import Scope
from mic_tracker.ui.pages import page_specs
from tests.apptest import APP, PASSWORD, open_app
from tests.conftest import ROOT
from tests.fixtures.make_fixture import A, B, C, K, L

JIANXI = {A, B, C, L}


@pytest.fixture(autouse=True)
def _no_failure_delay(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "FAILURE_DELAY_SECONDS", 0)


def _fresh(db_path: Path, monkeypatch: pytest.MonkeyPatch, page: str = "") -> AppTest:
    monkeypatch.setenv("TRACKER_DB", str(db_path))
    at = AppTest.from_file(APP, default_timeout=60)
    return at.run()


def _shows_no_data(at: AppTest) -> bool:
    return not at.dataframe and not at.get("plotly_chart") and not at.metric


def test_nothing_is_shown_before_sign_in(messy_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    auth.add_user(messy_db, "编辑甲", "editor", None, PASSWORD, "test")
    at = _fresh(messy_db, monkeypatch)
    assert at.title[0].value == "洛阳市制造业创新中心建设监测平台"
    assert (
        at.text_input(key="signin_password").proto.type
        == at.text_input(key="signin_password").proto.PASSWORD
    )
    assert _shows_no_data(at) and not at.sidebar.button


def test_a_wrong_password_gets_nothing_and_the_right_one_gets_in(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    auth.add_user(messy_db, "编辑甲", "editor", None, PASSWORD, "test")
    at = _fresh(messy_db, monkeypatch)
    at.text_input(key="signin_name").set_value("编辑甲")
    at.text_input(key="signin_password").set_value("不是这个密码-123")
    at = at.button[0].click().run()
    assert "用户名或密码错误" in at.error[0].value and _shows_no_data(at)
    at.text_input(key="signin_password").set_value(PASSWORD)
    at = at.button[0].click().run()
    assert not at.exception and at.title[0].value == "目标进度总览"
    assert "当前用户：编辑甲（编辑）" in at.sidebar.caption[-1].value


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    auth.add_user(messy_db, "编辑甲", "editor", None, PASSWORD, "test")
    at = _fresh(messy_db, monkeypatch)
    at.text_input(key="signin_name").set_value("编辑甲")
    for _ in range(auth.MAX_FAILURES):
        at.text_input(key="signin_password").set_value("错误的密码-0000")
        at = at.button[0].click().run()
    at.text_input(key="signin_password").set_value(PASSWORD)
    at = at.button[0].click().run()
    assert "账号已暂时锁定" in at.error[0].value and _shows_no_data(at)


def test_a_new_installation_asks_for_the_first_admin_and_has_no_default_password(
    empty_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _fresh(empty_db, monkeypatch)
    assert at.title[0].value == "首次使用：创建管理员账号"
    at.text_input(key="setup_name").set_value("管理员")
    at.text_input(key="setup_password").set_value("一个足够长的密码-1")
    at.text_input(key="setup_again").set_value("一个足够长的密码-1")
    at = at.button[0].click().run()
    assert not at.exception
    assert [u["role"] for u in auth.list_users(empty_db)] == ["admin"]


def test_each_role_sees_its_pages() -> None:
    def titles(role: str) -> list[str]:
        return [p.url_path for p in page_specs(role)]

    everyone = [
        *("overview", "fields", "counties", "levels", "centers", "alerts", "funding"),
        "briefing",  # 简报: leaders read and export it; only the bureau saves one
    ]
    assert titles("viewer") == everyone
    assert titles("editor") == titles("county_editor") == [*everyone, "data"]
    assert titles("admin") == [*everyone, "data", "users"]


def test_before_sign_in_every_page_is_known_but_hidden_and_none_runs(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    auth.add_user(messy_db, "编辑甲", "editor", None, PASSWORD, "test")
    monkeypatch.setenv("TRACKER_DB", str(messy_db))
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("app_pages/data.py")
    at = at.run()
    assert at.title[0].value == "洛阳市制造业创新中心建设监测平台" and _shows_no_data(at)


def test_a_county_editors_centers_map_and_alerts_hold_only_their_division(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_app(
        messy_db, monkeypatch, "app_pages/centers.py", role="county_editor", scope_county="410305"
    )
    assert set(at.dataframe[0].value["name"]) == JIANXI
    at = open_app(
        messy_db, monkeypatch, "app_pages/alerts.py", role="county_editor", scope_county="410305"
    )
    shown = set(at.dataframe[0].value["center"]) if at.dataframe else set()
    assert shown and shown <= JIANXI and K not in shown
    at = open_app(
        messy_db, monkeypatch, "app_pages/counties.py", role="county_editor", scope_county="410305"
    )
    ranking = at.dataframe[0].value.set_index("label")
    assert ranking.loc["涧西区"].drop("rank").sum() > 0
    others = ranking.drop(index="涧西区").drop(columns="rank")
    assert int(others.to_numpy().sum()) == 0  # the other divisions are listed with no count


def test_a_county_editor_still_sees_the_city_target_totals(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_app(
        messy_db, monkeypatch, role="county_editor", scope_county="410305", as_of="2020-12-31"
    )
    text = " ".join(m.value for m in at.markdown)
    assert "3 / 5 家" in text  # city 2020, city-wide (EXPECTED.md), not 涧西区's own count


def test_an_idle_session_ends_and_a_disabled_account_is_signed_out(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_app(messy_db, monkeypatch)
    at.session_state["last_seen"] = time.time() - 31 * 60
    at = at.run()
    assert "超过 30 分钟未操作" in at.info[0].value and _shows_no_data(at)
    at = open_app(messy_db, monkeypatch, role="viewer")
    auth.disable_user(messy_db, "测试viewer", "test")
    at = at.run()
    assert "已被停用" in at.info[0].value and _shows_no_data(at)


def test_the_server_config_keeps_xsrf_on_and_error_details_hidden() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["enableXsrfProtection"] is True
    assert config["client"]["showErrorDetails"] == "none"
    assert config["server"]["maxUploadSize"] == 20


def test_a_session_claiming_more_rights_than_the_account_has_is_signed_out(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A forged or stale session (say, admin for a viewer's account) is not trusted."""
    at = open_app(messy_db, monkeypatch, role="viewer")
    at.session_state["scope"] = Scope("user:测试viewer", "admin")
    at = at.run()
    assert "权限已变更" in at.info[0].value and _shows_no_data(at)


@pytest.mark.parametrize("name", ["' OR '1'='1", "admin'--", "编辑甲\x00", "编辑甲 "])
def test_injection_like_user_names_get_the_same_refusal(messy_db: Path, name: str) -> None:
    auth.add_user(messy_db, "编辑甲", "editor", None, PASSWORD, "test")
    with pytest.raises(AuthError, match="用户名或密码错误"):
        auth.sign_in(messy_db, name, "' OR '1'='1")


def test_a_viewer_gets_no_entry_form_on_the_funding_page(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_app(messy_db, monkeypatch, "app_pages/funding.py", role="viewer")
    assert not at.exception
    assert "领导账号只能查看" in " ".join(c.value for c in at.caption)
    assert not [b for b in at.button if b.label == "保存"]


def test_cached_results_are_kept_apart_by_scope(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same page, same filters, same data version: a county editor's cached list must not be
    served to an editor, nor the other way round."""
    page = "app_pages/centers.py"
    editor = open_app(messy_db, monkeypatch, page, as_of="2026-11-26")
    county = open_app(
        messy_db, monkeypatch, page, role="county_editor", scope_county="410305", as_of="2026-11-26"
    )
    again = open_app(messy_db, monkeypatch, page, as_of="2026-11-26")
    assert len(editor.dataframe[0].value) == len(again.dataframe[0].value) == 16
    assert set(county.dataframe[0].value["name"]) == JIANXI


def test_an_admin_adds_a_county_editor_on_the_users_page(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_app(messy_db, monkeypatch, "app_pages/users.py", role="admin")
    at.text_input(key="user_add_name").set_value("老城区编辑")
    at.selectbox(key="user_add_role").set_value("county_editor")
    at.selectbox(key="user_add_county").set_value("老城区")
    at.text_input(key="user_add_password").set_value("老城区的密码-2026")
    at = next(b for b in at.button if b.label == "新增").click().run()
    assert not at.exception and "已新增账号「老城区编辑」（县区编辑）" in at.success[0].value
    assert auth.current_user(messy_db, "老城区编辑") == auth.User(
        "老城区编辑", "county_editor", "410302"
    )
