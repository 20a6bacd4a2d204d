"""Sign-in before any page shows data: the first admin's account on a new installation, the
sign-in form, sessions that end after inactivity, the signed-in person in the sidebar.

The session holds only a Scope (name, role, county) and the time of the last action; it never
holds a password. Each rerun re-reads the account, so disabling someone takes effect at once.
"""

from __future__ import annotations

import time

import streamlit as st

from mic_tracker import auth, db
from mic_tracker.i18n import t
from mic_tracker.scope import ROLE_LABELS, Scope
from mic_tracker.ui.data import clear_caches, database, read_status, show_error

IDLE_MINUTES = 30
_SCOPE, _SEEN, _NOTICE = "scope", "last_seen", "signin_notice"


def scope_of(user: auth.User) -> Scope:
    return Scope(f"user:{user.name}", user.role, user.county)


def signed_in() -> Scope | None:
    """The signed-in person's scope, or None (also when the session has run out)."""
    return _current()


def require_user() -> Scope:
    """The signed-in person's scope; otherwise draw the sign-in (or first admin) form and stop."""
    scope = st.session_state.get(_SCOPE)
    if isinstance(scope, Scope):
        return scope
    if notice := st.session_state.pop(_NOTICE, None):
        st.info(notice)
    if auth.has_users(database()):
        _sign_in_form()
    else:
        _first_admin_form()
    st.stop()
    raise AssertionError("unreachable")  # st.stop() ends the run


def _current() -> Scope | None:
    scope = st.session_state.get(_SCOPE)
    if not isinstance(scope, Scope):
        return None
    if time.time() - st.session_state.get(_SEEN, 0) > IDLE_MINUTES * 60:
        sign_out(t("超过 {n} 分钟未操作，已自动退出。请重新登录。", n=IDLE_MINUTES))
        return None
    # One connection a rerun: the account, then the data's status.
    with db.connect(database()) as con:
        user = auth.current_user_on(con, scope.actor.removeprefix("user:"))
        read_status(con)
    if user is None or scope_of(user) != scope:
        sign_out(t("您的账号已被停用或权限已变更，请重新登录。"))
        return None
    st.session_state[_SEEN] = time.time()
    return scope


def _start(user: auth.User) -> None:
    clear_caches()
    st.session_state[_SCOPE] = scope_of(user)
    st.session_state[_SEEN] = time.time()
    st.rerun()


def sign_out(notice: str | None = None) -> None:
    """End the session; the notice is shown above the sign-in form (translated when made)."""
    notice = notice or t("已退出登录。")
    for key in (_SCOPE, _SEEN):
        st.session_state.pop(key, None)
    st.session_state[_NOTICE] = notice


def _sign_in_form() -> None:
    st.title(t("洛阳市制造业创新中心建设监测平台"))
    with st.form("sign_in"):
        name = st.text_input(t("用户名"), key="signin_name")
        password = st.text_input(t("密码"), type="password", key="signin_password")
        if st.form_submit_button(t("登录"), type="primary"):
            try:
                user = auth.sign_in(database(), name.strip(), password)
            except Exception as exc:
                show_error(exc)
            else:
                _start(user)
    st.caption(
        t(
            "连续 {n} 次密码错误，账号将锁定 {minutes} 分钟。",
            n=auth.MAX_FAILURES,
            minutes=auth.LOCK_MINUTES,
        )
    )


def _first_admin_form() -> None:
    st.title(t("首次使用：创建管理员账号"))
    st.info(t("系统中还没有任何账号。请为本单位的系统管理员设置用户名和密码；系统不提供默认密码。"))
    with st.form("first_admin"):
        name = st.text_input(t("管理员用户名"), key="setup_name")
        password = st.text_input(t("密码"), type="password", key="setup_password")
        again = st.text_input(t("再次输入密码"), type="password", key="setup_again")
        st.caption(t("密码至少 {n} 个字符，且不能包含用户名。", n=auth.MIN_PASSWORD_LENGTH))
        if st.form_submit_button(t("创建并登录"), type="primary"):
            if password != again:
                st.error(t("两次输入的密码不一致。"))
                return
            try:
                user = auth.create_first_admin(database(), name.strip(), password)
            except Exception as exc:
                show_error(exc)
            else:
                _start(user)


def user_box(scope: Scope) -> None:
    """Who is signed in, with which rights, and the way out (sidebar)."""
    with st.sidebar:
        where = f" · {scope.county_name}" if scope.county else ""
        st.caption(
            t(
                "当前用户：{name}（{role}{where}）",
                name=scope.actor.removeprefix("user:"),
                role=t(ROLE_LABELS[scope.role]),
                where=where,
            )
        )
        if st.button(t("退出登录"), key="sign_out", width="stretch"):
            sign_out()
            st.rerun()
