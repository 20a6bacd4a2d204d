"""Forms: the import's rules for input, the lifecycle for events, optimistic edits, audit rows."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from mic_tracker import db, forms
from mic_tracker.errors import EditConflict, FormRejected
from mic_tracker.report import Filters, counts
from mic_tracker.scope import Scope
from tests.fixtures.make_fixture import A, H, Ic, J

NEW = {"name": "洛阳新型储能装备创新中心", "field_seq": "新能源装备", "division_code": "涧西区"}


def _id(path: Path, name: str) -> int:
    return next(c["id"] for c in forms.center_names(path, None) if c["name"] == name)


def _audit(path: Path) -> list[dict]:
    with db.connect(path) as con:
        return db.rows(con, "audit_since", since=dt.datetime(2000, 1, 1))


def _version(path: Path) -> str | None:
    with db.connect(path) as con:
        return db.get_meta(con, "data_version")


def _open_raw(path: Path, name: str) -> tuple[dict, dict]:
    opened = forms.open_center(path, _id(path, name), None)
    return opened, forms.form_values(forms.CENTER_FORM, opened)


def test_add_center_stores_it_with_an_audit_row_and_bumps_the_data_version(messy_db: Path) -> None:
    before = _version(messy_db)
    saved = forms.save_center(messy_db, NEW, None, Scope("app:张三", "editor"))
    opened = forms.open_center(messy_db, _id(messy_db, NEW["name"]), None)
    assert opened["division_code"] == "410305" and opened["version"] == 1
    assert ("所在县区", "（空）", "涧西区") in saved.changes
    last = _audit(messy_db)[-1]
    assert (last["actor"], last["action"], last["entity"], last["entity_key"]) == (
        "app:张三",
        "form",
        "center",
        NEW["name"],
    )
    assert _version(messy_db) != before


def test_add_center_refuses_a_name_already_registered_even_spelled_with_spaces(
    messy_db: Path,
) -> None:
    with pytest.raises(FormRejected, match="已有同名中心"):
        forms.save_center(messy_db, {**NEW, "name": f" {A}　"}, None, Scope("app", "editor"))


def test_add_center_names_every_bad_field_with_what_is_accepted(messy_db: Path) -> None:
    bad = {**NEW, "division_code": "涧东区", "field_seq": "", "registered_capital": "约500万"}
    with pytest.raises(FormRejected) as err:
        forms.save_center(messy_db, bad, None, Scope("app", "editor"))
    text = err.value.message()
    assert "「所在县区」" in text and "涧西区" in text  # the accepted list names real units
    assert "「重点领域」：必填，尚未填写" in text
    assert "「注册资本」" in text and "约数" in text
    assert _audit(messy_db)[-1]["action"] == "import"  # nothing written


def test_edit_center_writes_only_the_changed_field_and_bumps_its_version(messy_db: Path) -> None:
    opened, raw = _open_raw(messy_db, A)
    saved = forms.save_center(
        messy_db, {**raw, "lead_unit": "新的牵头单位"}, opened, Scope("app:李四", "editor")
    )
    assert saved.changes == [("牵头单位", opened["lead_unit"] or "（空）", "新的牵头单位")]
    now = forms.open_center(messy_db, opened["id"], None)
    assert now["version"] == opened["version"] + 1 and now["lead_unit"] == "新的牵头单位"
    last = _audit(messy_db)[-1]
    assert json.loads(last["before"])["lead_unit"] == opened["lead_unit"]
    assert json.loads(last["after"])["lead_unit"] == "新的牵头单位"


def test_saving_an_unchanged_center_writes_nothing(messy_db: Path) -> None:
    opened, raw = _open_raw(messy_db, A)
    before = _version(messy_db)
    assert forms.save_center(messy_db, raw, opened, Scope("app", "editor")).changes == []
    assert _version(messy_db) == before
    assert forms.open_center(messy_db, opened["id"], None)["version"] == opened["version"]


def test_edit_of_a_center_changed_since_it_was_opened_is_refused_showing_the_change(
    messy_db: Path,
) -> None:
    mine, raw = _open_raw(messy_db, A)
    theirs, their_raw = _open_raw(messy_db, A)
    forms.save_center(
        messy_db, {**their_raw, "tech_staff": "250"}, theirs, Scope("app:王五", "editor")
    )
    with pytest.raises(EditConflict) as err:
        forms.save_center(
            messy_db, {**raw, "lead_unit": "我的修改"}, mine, Scope("app:李四", "editor")
        )
    assert ("专业技术人员数", str(mine["tech_staff"]), "250") in err.value.changes
    assert "app:王五" in err.value.message() and "未写入" in err.value.message()
    stored = forms.open_center(messy_db, mine["id"], None)
    assert stored["lead_unit"] == mine["lead_unit"] and stored["tech_staff"] == 250


def test_renaming_a_center_onto_another_centers_name_is_refused(messy_db: Path) -> None:
    opened, raw = _open_raw(messy_db, A)
    with pytest.raises(FormRejected, match="已有同名中心"):
        forms.save_center(messy_db, {**raw, "name": H}, opened, Scope("app", "editor"))


def test_add_member_appends_it_and_refuses_the_same_unit_twice(messy_db: Path) -> None:
    center = _id(messy_db, A)
    forms.add_member(messy_db, center, "洛阳理工学院", "高校", Scope("app", "editor"))
    with db.connect(messy_db) as con:
        members = db.rows(con, "center_members", center_id=center)
    assert (members[-1]["name"], members[-1]["member_type"]) == ("洛阳理工学院", "高校")
    with pytest.raises(FormRejected, match="已是"):
        forms.add_member(messy_db, center, " 洛阳理工学院 ", None, Scope("app", "editor"))
    with pytest.raises(FormRejected, match="成员单位类型"):
        forms.add_member(messy_db, center, "某协会", "社团", Scope("app", "editor"))


def _cultivation(path: Path, day: dt.date) -> int:
    with db.connect(path) as con:
        return counts(con, day, Filters())["cultivation"]


def test_recording_a_listing_adds_the_center_to_the_cultivation_count(messy_db: Path) -> None:
    day = dt.date(2026, 11, 26)
    before = _cultivation(messy_db, day)
    event = {"kind": "列入市级培育名单", "date": "2026-01-10", "note": "第六批"}
    saved = forms.record_event(messy_db, _id(messy_db, J), event, Scope("app", "editor"))
    assert saved.changes == [("事件", "", "2026-01-10 列入市级培育名单")]
    assert _cultivation(messy_db, day) == before + 1
    assert _cultivation(messy_db, dt.date(2026, 1, 9)) == before


def test_an_event_the_history_does_not_allow_is_refused_with_the_reason(messy_db: Path) -> None:
    event = {"kind": "认定为市级", "date": "2026-01-10"}
    with pytest.raises(FormRejected, match="列入市级培育名单"):
        forms.record_event(messy_db, _id(messy_db, Ic), event, Scope("app", "editor"))
    with pytest.raises(FormRejected, match="日期"):
        forms.record_event(
            messy_db, _id(messy_db, Ic), {"kind": "专家评审", "date": "2026-02-30"}, "app"
        )


def test_the_same_event_twice_is_refused(messy_db: Path) -> None:
    event = {"kind": "申报", "date": dt.date(2025, 10, 20)}
    with pytest.raises(FormRejected, match="已登记过同一天的同一事件"):
        forms.record_event(messy_db, _id(messy_db, J), event, Scope("app", "editor"))


def test_annual_data_entered_then_corrected_against_what_the_form_showed(messy_db: Path) -> None:
    center = _id(messy_db, H)
    assert forms.open_annual(messy_db, center, 2030, None) is None
    forms.save_annual(
        messy_db,
        center,
        2030,
        {"revenue": "1.2亿元", "new_patents": "3"},
        None,
        Scope("app", "editor"),
    )
    opened = forms.open_annual(messy_db, center, 2030, None)
    assert opened is not None and opened["revenue"] == Decimal("12000")
    raw = forms.form_values(forms.ANNUAL_FORM, opened)
    saved = forms.save_annual(
        messy_db, center, 2030, {**raw, "new_patents": "4"}, opened, Scope("app", "editor")
    )
    assert saved.changes == [("新增发明专利", "3", "4")]


def test_annual_data_entered_by_someone_else_meanwhile_is_not_overwritten(messy_db: Path) -> None:
    center = _id(messy_db, H)
    forms.save_annual(messy_db, center, 2030, {"revenue": "800"}, None, Scope("app:王五", "editor"))
    with pytest.raises(EditConflict) as err:
        forms.save_annual(
            messy_db, center, 2030, {"revenue": "900"}, None, Scope("app:李四", "editor")
        )
    assert ("营业收入", "（空）", "800") in err.value.changes
    assert forms.open_annual(messy_db, center, 2030, None)["revenue"] == Decimal("800")
