"""The 数据 page's forms: widgets drawn from the template's columns, saved through
`mic_tracker.forms` (which checks them with the import's rules), messages shown in one place.

Widgets return what a spreadsheet cell would hold (names, text amounts, 是/否), so the form
and the import accept exactly the same input.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import streamlit as st

from mic_tracker import forms
from mic_tracker.errors import EditConflict
from mic_tracker.i18n import t
from mic_tracker.policy import load_plan
from mic_tracker.reference import load_resolver
from mic_tracker.template import MEMBER_TYPES, Column
from mic_tracker.ui.data import cached, clear_caches, database, session_scope, show_error

YES_NO = {"是": True, "否": False}
UNSET = "（未填）"
_FLASH = "register_form_saved"


def _choices(col: Column, value: Any) -> list[str]:
    plan = load_plan()
    if col.kind == "field":
        return [f.name for f in plan.fields]
    if col.kind == "county":
        names = [d.name for d in load_resolver().current_units]
        return names if value in (None, *names) else [*names, value]
    if col.kind == "form":
        return list(plan.forms.values())
    return list(col.choices)


def _label(col: Column) -> str:
    unit = t("万元") if col.kind == "money" else t(col.unit)
    unit = t("（{unit}）", unit=unit) if unit else ""
    return t(col.header) + unit + (" *" if col.required else "")


def widget(col: Column, value: Any, key: str, where: Any = st) -> Any:
    """One column's input, prefilled with value as forms.form_values gives it."""
    label = _label(col)
    if col.kind == "bool":
        options = [UNSET, *YES_NO]
        shown = UNSET if value is None else ("是" if value else "否")
        # format_func: the values stay what a cell would hold (是/否), the labels translate.
        got = where.selectbox(label, options, index=options.index(shown), key=key, format_func=t)
        return YES_NO.get(got)
    if col.kind in ("field", "county", "form", "choice"):
        options = _choices(col, value)
        index = options.index(value) if value in options else None
        return where.selectbox(
            label, options, index=index, key=key, placeholder=t("请选择"), format_func=t
        )
    hint = t("可写 1200、1,200万元 或 0.12亿元") if col.kind == "money" else None
    return where.text_input(label, value="" if value is None else str(value), key=key, help=hint)


def column_inputs(
    columns: tuple[Column, ...], values: dict[str, Any], prefix: str
) -> dict[str, Any]:
    """The inputs of a form in two columns; returns raw values by column key."""
    grid = st.columns(2)
    return {
        c.key: widget(c, values.get(c.key), f"{prefix}_{c.key}", grid[i % 2])
        for i, c in enumerate(columns)
    }


def flash() -> None:
    """The result of the last save, kept across the rerun that redraws the page."""
    if saved := st.session_state.pop(_FLASH, None):
        st.success(saved)


def _saved(text: str) -> None:
    st.session_state[_FLASH] = text
    clear_caches()
    st.rerun()


def _describe(saved: forms.Saved) -> str:
    if not saved.changes:
        return t("「{record}」没有变化，未写入。", record=saved.record)
    lines = [t("已保存「{record}」：", record=saved.record)]
    lines += [f"- {t(what)}：{before or '—'} → {after}" for what, before, after in saved.changes]
    lines += [t("- 标记：{flag}", flag=f) for f in saved.flags]  # the flags stay Chinese
    return "\n".join(lines)


def save(action: Callable[[], forms.Saved]) -> bool:
    """Run a save; show what was written, or why not. True when refused as a conflict."""
    try:
        result = action()
    except EditConflict as exc:
        show_error(exc)
        return True
    except Exception as exc:
        show_error(exc)
        return False
    _saved(_describe(result))
    return False


def center_picker(label: str, key: str) -> int | None:
    names = {c["name"]: c["id"] for c in cached(forms.center_name_rows)}
    chosen = st.selectbox(label, list(names), index=None, key=key, placeholder=t("选择中心"))
    return names.get(chosen) if chosen else None


def add_center_form() -> None:
    with st.form("form_add_center", clear_on_submit=False):
        raw = column_inputs(forms.CENTER_FORM, {}, "add")
        if st.form_submit_button(t("登记新中心"), type="primary"):
            save(lambda: forms.save_center(database(), raw, None, session_scope()))


def edit_center_form() -> None:
    center_id = center_picker(t("要修改的中心"), "edit_center_pick")
    if center_id is None:
        return
    held = _held(
        "edit_opened",
        (center_id,),
        lambda: forms.open_center(database(), center_id, session_scope()),
    )
    opened = held["row"]
    st.caption(
        t(
            "打开时的版本：第 {version} 版。保存时如已被他人修改，将不会覆盖。",
            version=opened["version"],
        )
    )
    values = forms.form_values(forms.CENTER_FORM, opened)
    with st.form("form_edit_center"):
        raw = column_inputs(forms.CENTER_FORM, values, f"edit_{held['n']}")
        submitted = st.form_submit_button(t("保存修改"), type="primary")
        conflict = submitted and save(lambda: _edit(raw, opened))
    if conflict:
        _offer_reopen("edit_opened")


def _edit(raw: dict[str, Any], opened: dict[str, Any]) -> forms.Saved:
    saved = forms.save_center(database(), raw, opened, session_scope())
    st.session_state.pop("edit_opened", None)  # reopen at the new version after the rerun
    return saved


def member_form() -> None:
    center_id = center_picker(t("中心"), "member_center_pick")
    with st.form("form_member", clear_on_submit=True):
        left, right = st.columns([3, 1])
        name = left.text_input(t("成员单位名称") + " *", key="member_name")
        kind = right.selectbox(
            t("类型"),
            MEMBER_TYPES,
            index=None,
            key="member_type",
            placeholder=t("可不填"),
            format_func=t,
        )
        if st.form_submit_button(t("添加成员单位"), type="primary"):
            if center_id is None:
                st.error(t("请先选择中心。"))
            else:
                save(lambda: forms.add_member(database(), center_id, name, kind, session_scope()))


def event_form() -> None:
    plan = load_plan()
    center_id = center_picker(t("中心"), "event_center_pick")
    with st.form("form_event"):
        a, b, c = st.columns(3)
        kinds = [e.label for e in plan.events.values()]
        raw = {
            "kind": a.selectbox(
                t("事件") + " *",
                kinds,
                index=None,
                key="event_kind",
                placeholder=t("请选择"),
                format_func=t,
            ),
            "date": b.date_input(
                t("日期") + " *", value=None, key="event_date", format="YYYY-MM-DD"
            ),
            "level": c.selectbox(
                t("层级"),
                list(plan.levels.values()),
                index=None,
                key="event_level",
                placeholder=t("按事件"),
                format_func=t,
            ),
        }
        d, e, f = st.columns([1, 1, 2])
        raw["eval_year"] = d.text_input(t("评价年度"), key="event_year", help=t("年度评价须填写"))
        raw["result"] = e.selectbox(
            t("评价结果"),
            list(plan.results.values()),
            index=None,
            key="event_result",
            placeholder="—",
            format_func=t,
        )
        raw["note"] = f.text_input(t("备注"), key="event_note", placeholder=t("如：第五批；文号"))
        st.caption(t("按生命周期规则检查：缺少前置事件或顺序不对的事件不会写入，并说明原因。"))
        if st.form_submit_button(t("登记事件"), type="primary"):
            if center_id is None:
                st.error(t("请先选择中心。"))
            else:
                save(lambda: forms.record_event(database(), center_id, raw, session_scope()))


def _held(name: str, key: tuple[Any, ...], load: Callable[[], Any]) -> dict[str, Any]:
    """What a form opened, kept in the session until saved, so the save compares against
    what the person saw, not against a fresh read."""
    held = st.session_state.get(name)
    if not held or held["key"] != key:
        opened_count = st.session_state.get("_opened_count", 0) + 1
        st.session_state["_opened_count"] = opened_count
        held = st.session_state[name] = {"key": key, "row": load(), "n": opened_count}
    return held


def _offer_reopen(name: str) -> None:
    """Drawn after the form: a form may hold no button but its submit button."""
    st.button(
        t("载入最新内容后重新编辑"),
        key=f"reopen_{name}",
        on_click=lambda: st.session_state.pop(name, None),
    )


def annual_form() -> None:
    left, right = st.columns([3, 1])
    with left:
        center_id = center_picker(t("中心"), "annual_center_pick")
    year = int(
        right.number_input(
            t("年度"),
            min_value=2000,
            max_value=2100,
            value=dt.date.today().year - 1,
            key="annual_year",
        )
    )
    if center_id is None:
        return
    held = _held(
        "annual_opened",
        (center_id, year),
        lambda: forms.open_annual(database(), center_id, year, session_scope()),
    )
    opened = held["row"]
    st.caption(t("该年度尚未录入。") if opened is None else t("该年度已有数据，修改后保存。"))
    values = forms.form_values(forms.ANNUAL_FORM, opened)
    with st.form("form_annual"):
        raw = column_inputs(forms.ANNUAL_FORM, values, f"annual_{held['n']}")
        submitted = st.form_submit_button(t("保存年度数据"), type="primary")
        conflict = submitted and save(lambda: _save_annual(center_id, year, raw, opened))
    if conflict:
        _offer_reopen("annual_opened")


def _save_annual(center_id: int, year: int, raw: dict[str, Any], opened: Any) -> forms.Saved:
    saved = forms.save_annual(database(), center_id, year, raw, opened, session_scope())
    st.session_state.pop("annual_opened", None)
    return saved
