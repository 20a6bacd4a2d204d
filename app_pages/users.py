"""用户: accounts and their roles (admins only): add, disable or enable, set a new password."""

import pandas as pd
import streamlit as st

from mic_tracker import auth
from mic_tracker.i18n import t
from mic_tracker.scope import require_admin
from mic_tracker.ui.data import database, session_scope, show_error
from mic_tracker.ui.filters import unit_names

scope = session_scope()
require_admin(scope)  # only in an admin's navigation; the account functions check too
st.title(t("用户账号"))
if done := st.session_state.pop("users_done", None):
    st.success(done)

users = auth.list_users(database())
table = pd.DataFrame(
    users, columns=["name", "role_label", "county_name", "disabled", "locked_until"]
)
table["county_name"] = table["county_name"].fillna("—")
table["role_label"] = table["role_label"].map(t)
table["locked_until"] = [f"{t:%Y-%m-%d %H:%M}" if t else "—" for t in table["locked_until"]]
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    column_config={
        "name": t("用户名"),
        "role_label": t("角色"),
        "county_name": t("所属县区"),
        "disabled": st.column_config.CheckboxColumn(t("已停用")),
        "locked_until": t("锁定至"),
    },
)
st.caption(
    t(
        "领导：查看全部页面，不能修改；编辑：修改全部；县区编辑：只看、只改本县区的中心；"
        "管理员：另可管理账号。"
    )
)


def _done(text: str) -> None:
    st.session_state["users_done"] = text
    st.rerun()


add, switch, password = st.tabs([t("新增账号"), t("停用或启用"), t("重置密码")])
with add, st.form("user_add", clear_on_submit=True):
    a, b, c = st.columns(3)
    name = a.text_input(t("用户名"), key="user_add_name")
    role = b.selectbox(
        t("角色"), list(auth.ROLES), format_func=lambda r: t(auth.ROLES[r]), key="user_add_role"
    )
    county = c.selectbox(
        t("所属县区（县区编辑必填）"),
        unit_names(),
        index=None,
        placeholder=t("其他角色不填"),
        key="user_add_county",
    )
    first = a.text_input(t("初始密码"), type="password", key="user_add_password")
    st.caption(
        t(
            "密码至少 {n} 个字符，且不能包含用户名；请当面或电话告知本人。",
            n=auth.MIN_PASSWORD_LENGTH,
        )
    )
    if st.form_submit_button(t("新增"), type="primary"):
        try:
            auth.add_user(database(), name.strip(), role, county, first, scope)
        except Exception as exc:
            show_error(exc)
        else:
            _done(
                t("已新增账号「{name}」（{role}）。", name=name.strip(), role=t(auth.ROLES[role]))
            )

names = [u["name"] for u in users]
with switch:
    who = st.selectbox(
        t("账号"), names, index=None, placeholder=t("选择账号"), key="user_switch_name"
    )
    left, right = st.columns(2)
    if who and left.button(t("停用"), key="user_disable"):
        try:
            auth.disable_user(database(), who, scope)
        except Exception as exc:
            show_error(exc)
        else:
            _done(t("已停用「{name}」：该账号已登录的会话在下一次操作时退出。", name=who))
    if who and right.button(t("启用"), key="user_enable"):
        auth.enable_user(database(), who, scope)
        _done(t("已启用「{name}」。", name=who))

with password, st.form("user_password", clear_on_submit=True):
    who = st.selectbox(
        t("账号"), names, index=None, placeholder=t("选择账号"), key="user_password_name"
    )
    new = st.text_input(t("新密码"), type="password", key="user_password_new")
    if st.form_submit_button(t("设置新密码"), type="primary") and who:
        try:
            auth.set_password(database(), who, new, scope)
        except Exception as exc:
            show_error(exc)
        else:
            _done(t("已为「{name}」设置新密码，锁定（如有）已解除。", name=who))
