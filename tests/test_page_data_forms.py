"""AppTest of the 数据 page's forms: add, edit with the optimistic check, events refused with
the lifecycle's reason — all written through the same checks as an import."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from mic_tracker import forms
from mic_tracker.scope import Scope
from tests.apptest import open_app
from tests.fixtures.make_fixture import A, Ic, J

PAGE = "app_pages/data.py"


def _submit(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click()
    return at.run()


def _input(at: AppTest, prefix: str, key: str):
    return next(w for w in at.text_input if w.key.startswith(prefix) and w.key.endswith(f"_{key}"))


def _open_tab(at: AppTest, label: str) -> AppTest:
    """Choose a form's tab, as a click on it does: only the open tab's form runs."""
    at.session_state["data_form_tab_zh"] = label
    return at.run()


def _id(path: Path, name: str) -> int:
    return next(c["id"] for c in forms.center_names(path, None) if c["name"] == name)


def test_only_the_open_tab_runs_its_form(messy_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Test that the first tab's form shows by default and choosing another tab shows that
    form instead (the others, each a picker over the whole register, do not run)."""
    at = open_app(messy_db, monkeypatch, PAGE)
    keys = {w.key for w in at.selectbox}
    assert "add_field_seq" in keys and "edit_center_pick" not in keys
    at = _open_tab(at, "登记事件")
    keys = {w.key for w in at.selectbox}
    assert "event_center_pick" in keys and "add_field_seq" not in keys


def test_add_center_form_registers_a_center_and_says_what_was_saved(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_app(messy_db, monkeypatch, PAGE)
    at.text_input(key="add_name").set_value("洛阳钨钼新材料创新中心")
    at.selectbox(key="add_field_seq").set_value("钨钼合金")
    at.selectbox(key="add_division_code").set_value("栾川县")
    at.text_input(key="add_registered_capital").set_value("0.1亿元")
    at = _submit(at, "登记新中心")
    assert not at.exception and not at.error
    assert "已保存「洛阳钨钼新材料创新中心」" in at.success[0].value
    stored = forms.open_center(messy_db, _id(messy_db, "洛阳钨钼新材料创新中心"), None)
    assert stored["division_code"] == "410324" and stored["registered_capital"] == 1000


def test_add_center_form_with_a_missing_required_field_names_it_and_writes_nothing(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_app(messy_db, monkeypatch, PAGE)
    at.text_input(key="add_name").set_value("洛阳新中心")
    at = _submit(at, "登记新中心")
    assert "「重点领域」：必填，尚未填写" in at.error[0].value
    assert "「所在县区」：必填，尚未填写" in at.error[0].value
    assert "洛阳新中心" not in {c["name"] for c in forms.center_names(messy_db, None)}


def test_editing_a_center_someone_changed_meanwhile_is_refused_with_the_change(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _open_tab(open_app(messy_db, monkeypatch, PAGE), "修改中心")
    at.selectbox(key="edit_center_pick").set_value(A).run()
    # Someone else saves a change while this form is open.
    theirs = forms.open_center(messy_db, _id(messy_db, A), None)
    raw = forms.form_values(forms.CENTER_FORM, theirs)
    forms.save_center(messy_db, {**raw, "tech_staff": "321"}, theirs, Scope("app:王五", "editor"))
    _input(at, "edit_", "lead_unit").set_value("我的修改")
    at = _submit(at, "保存修改")
    message = at.error[0].value
    assert "未保存" in message and "app:王五" in message
    assert f"专业技术人员数：您打开时为「{theirs['tech_staff']}」，现在为「321」" in message
    assert forms.open_center(messy_db, theirs["id"], None)["lead_unit"] != "我的修改"
    # Reopening loads what is stored now; the edit then saves.
    at = next(b for b in at.button if b.key == "reopen_edit_opened").click().run()
    assert _input(at, "edit_", "tech_staff").value == "321"
    _input(at, "edit_", "lead_unit").set_value("我的修改")
    at = _submit(at, "保存修改")
    assert not at.error and "牵头单位" in at.success[0].value
    assert forms.open_center(messy_db, theirs["id"], None)["lead_unit"] == "我的修改"


def test_event_form_refuses_what_the_lifecycle_does_not_allow_with_the_reason(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _open_tab(open_app(messy_db, monkeypatch, PAGE), "登记事件")
    at.selectbox(key="event_center_pick").set_value(Ic)
    at.selectbox(key="event_kind").set_value("认定为市级")
    at.date_input(key="event_date").set_value(dt.date(2026, 3, 1))
    at = _submit(at, "登记事件")
    assert "列入市级培育名单" in at.error[0].value


def test_event_form_records_a_listing(messy_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _open_tab(open_app(messy_db, monkeypatch, PAGE), "登记事件")
    at.selectbox(key="event_center_pick").set_value(J)
    at.selectbox(key="event_kind").set_value("列入市级培育名单")
    at.date_input(key="event_date").set_value(dt.date(2026, 3, 1))
    at = _submit(at, "登记事件")
    assert not at.error and "2026-03-01 列入市级培育名单" in at.success[0].value


def test_member_and_annual_forms_save(messy_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _open_tab(open_app(messy_db, monkeypatch, PAGE), "成员单位")
    at.selectbox(key="member_center_pick").set_value(A)
    at.text_input(key="member_name").set_value("洛阳轴承研究所")
    at.selectbox(key="member_type").set_value("科研院所")
    at = _submit(at, "添加成员单位")
    assert "洛阳轴承研究所（科研院所）" in at.success[0].value
    at = _open_tab(at, "年度数据")
    at.selectbox(key="annual_center_pick").set_value(A)
    at.number_input(key="annual_year").set_value(2031).run()
    _input(at, "annual_", "revenue").set_value("5,000万元")
    at = _submit(at, "保存年度数据")
    assert (
        "2031年度数据" in at.success[0].value and "营业收入：（空） → 5000" in at.success[0].value
    )
    assert forms.open_annual(messy_db, _id(messy_db, A), 2031, None)["revenue"] == 5000
