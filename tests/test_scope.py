"""Scope in the data layer: what each role reads through a scoped connection, and which writes
each role may make — a county editor (涧西区) asking for another county's center by name or id
included. The fixture's 涧西区 centers are A, B, C and L (EXPECTED.md)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from mic_tracker import auth, db, forms
from mic_tracker.alerts import alerts
from mic_tracker.center_detail import annual, attributes, events, members
from mic_tracker.centers import center_list
from mic_tracker.conditions import eligibility
from mic_tracker.deadlines import deadlines
from mic_tracker.errors import FormRejected, ImportRejected, ScopeDenied
from mic_tracker.exporter import export_workbook
from mic_tracker.fields import centers_in_field
from mic_tracker.funding import center_names, funding, record_manual
from mic_tracker.importer import import_files
from mic_tracker.overview import recent_changes
from mic_tracker.report import Filters, counts
from mic_tracker.scope import Scope
from tests.fixtures.make_fixture import A, B, C, K, L
from tests.test_import import CENTER_HEADER, write_workbook

JIANXI = {A, B, C, L}
EDITOR = Scope("user:编辑甲", "editor")
VIEWER = Scope("user:领导乙", "viewer")
COUNTY = Scope("user:涧西丙", "county_editor", "410305")
ADMIN = Scope("user:管理丁", "admin")
DAY = dt.date(2026, 11, 26)


def _names(path: Path, scope: Scope | None) -> set[str]:
    with db.connect(path, scope=scope) as con:
        return {r["name"] for r in db.rows(con, "centers_all")}


def _id(path: Path, name: str) -> int:
    return next(c["id"] for c in forms.center_names(path, None) if c["name"] == name)


@pytest.mark.parametrize(
    "scope", [None, ADMIN, EDITOR, VIEWER], ids=["operator", "admin", "editor", "viewer"]
)
def test_city_wide_roles_read_every_center(messy_db: Path, scope: Scope | None) -> None:
    assert len(_names(messy_db, scope)) == 16


def test_a_county_editor_reads_only_their_divisions_rows_in_every_table(messy_db: Path) -> None:
    assert _names(messy_db, COUNTY) == JIANXI
    with db.connect(messy_db, scope=COUNTY) as con:
        ids = {r["id"] for r in db.rows(con, "centers_all")}
        assert {e["center_id"] for e in db.rows(con, "events_all")} <= ids
        assert {m["center_id"] for m in db.rows(con, "members_all")} <= ids
        assert {a["center_id"] for a in db.rows(con, "annual_all")} <= ids


# Every page's query of records, run on the county editor's connection: names only from 涧西区.
RECORD_QUERIES = {
    "center_list": lambda con: set(center_list(con, DAY, Filters(), ())["name"]),
    "alerts": lambda con: set(alerts(con, DAY, Filters())["center"]),
    "funding": lambda con: {r["center"] for r in funding(con, DAY, Filters(), None, ())},
    "funding_names": lambda con: set(center_names(con, DAY, Filters())),
    "recent_changes": lambda con: set(recent_changes(con, DAY, Filters(), 3650)["center"]),
    "centers_in_field": lambda con: set(centers_in_field(con, DAY, Filters(), 16)["name"]),
    "deadlines": lambda con: {d.center for d in deadlines(con, DAY, Filters())},
    "eligibility": lambda con: {r["center"] for r in eligibility(con, DAY, Filters())},
    "export_rows": lambda con: {r["name"] for r in db.rows(con, "centers_all")},
}


@pytest.mark.parametrize("query", list(RECORD_QUERIES))
def test_every_record_query_shows_a_county_editor_only_their_centers(
    messy_db: Path, query: str
) -> None:
    with db.connect(messy_db, scope=COUNTY) as con:
        shown = RECORD_QUERIES[query](con)
    with db.connect(messy_db) as con:
        everyone = RECORD_QUERIES[query](con)
    assert shown <= JIANXI
    assert everyone - JIANXI  # the same query unscoped does show other counties


def test_counts_on_a_county_editors_connection_are_their_divisions(messy_db: Path) -> None:
    with db.connect(messy_db, scope=COUNTY) as con:
        mine = counts(con, DAY, Filters())
    with db.connect(messy_db) as con:
        jianxi = counts(con, DAY, Filters(counties=("410305",)))
    assert mine == jianxi


def test_a_county_editor_asking_for_another_countys_center_by_id_gets_nothing(
    messy_db: Path,
) -> None:
    other = _id(messy_db, K)  # 西工区
    with pytest.raises(FormRejected, match="不在您可以查看的范围内"):
        forms.open_center(messy_db, other, COUNTY)
    with db.connect(messy_db, scope=COUNTY) as con:
        assert attributes(con, other) == {}
        assert events(con, other, DAY).empty
        assert members(con, other).empty and annual(con, other, DAY).empty
    assert K not in {c["name"] for c in forms.center_names(messy_db, COUNTY)}


def test_a_county_editor_writing_to_another_countys_center_by_name_or_id_is_refused(
    messy_db: Path, tmp_path: Path
) -> None:
    other = _id(messy_db, K)
    with pytest.raises(ScopeDenied, match="县区编辑只能修改涧西区的中心（该中心属于西工区）"):
        forms.record_event(messy_db, other, {"kind": "年度评价", "date": "2026-03-01"}, COUNTY)
    with pytest.raises(ScopeDenied):
        forms.add_member(messy_db, other, "某研究院", None, COUNTY)
    with pytest.raises(ScopeDenied):
        forms.save_annual(messy_db, other, 2030, {"revenue": "1"}, None, COUNTY)
    with pytest.raises(ScopeDenied, match="西工区"):
        record_manual(messy_db, K, 2026, "实际拨付", 10, None, scope=COUNTY)
    book = write_workbook(
        tmp_path / "k.xlsx", {"中心": [CENTER_HEADER, [K, 16, "西工区", "企业型"]]}
    )
    with pytest.raises(ImportRejected) as refused:
        import_files(messy_db, [book], scope=COUNTY)
    assert "县区编辑只能修改涧西区的中心" in refused.value.message()


def test_a_county_editor_may_not_move_a_center_out_of_or_into_their_division(
    messy_db: Path,
) -> None:
    mine = forms.open_center(messy_db, _id(messy_db, A), COUNTY)
    raw = forms.form_values(forms.CENTER_FORM, mine)
    with pytest.raises(ScopeDenied):
        forms.save_center(messy_db, {**raw, "division_code": "西工区"}, mine, COUNTY)
    new = {"name": "洛阳新建创新中心", "field_seq": "铜材", "division_code": "西工区"}
    with pytest.raises(ScopeDenied):
        forms.save_center(messy_db, new, None, COUNTY)


def test_a_county_editor_changes_their_own_centers(messy_db: Path, tmp_path: Path) -> None:
    mine = forms.open_center(messy_db, _id(messy_db, A), COUNTY)
    raw = forms.form_values(forms.CENTER_FORM, mine)
    forms.save_center(messy_db, {**raw, "tech_staff": "77"}, mine, COUNTY)
    new = {"name": "洛阳涧西新建创新中心", "field_seq": "铜材", "division_code": "涧西"}
    forms.save_center(messy_db, new, None, COUNTY)
    book = write_workbook(
        tmp_path / "a.xlsx", {"中心": [CENTER_HEADER, [B, 9, "涧西区", "企业型"]]}
    )
    import_files(messy_db, [book], scope=COUNTY)
    assert "洛阳涧西新建创新中心" in _names(messy_db, COUNTY)
    with db.connect(messy_db) as con:
        actors = {r["actor"] for r in db.rows(con, "audit_since", since=dt.datetime(2000, 1, 1))}
    assert COUNTY.actor in actors  # the audit log names the signed-in person


@pytest.mark.parametrize("scope", [VIEWER], ids=["viewer"])
def test_a_viewer_changes_nothing(messy_db: Path, tmp_path: Path, scope: Scope) -> None:
    center = _id(messy_db, A)
    opened = forms.open_center(messy_db, center, scope)
    raw = forms.form_values(forms.CENTER_FORM, opened)
    for write in (
        lambda: forms.save_center(messy_db, {**raw, "tech_staff": "1"}, opened, scope),
        lambda: forms.add_member(messy_db, center, "某单位", None, scope),
        lambda: forms.record_event(
            messy_db, center, {"kind": "年度评价", "date": "2026-03-01"}, scope
        ),
        lambda: record_manual(messy_db, A, 2026, "实际拨付", 10, None, scope=scope),
        lambda: import_files(
            messy_db, [write_workbook(tmp_path / "v.xlsx", {"中心": [CENTER_HEADER]})], scope=scope
        ),
    ):
        with pytest.raises(ScopeDenied, match="只能查看"):
            write()


def test_the_audit_log_reads_all_for_editors_own_for_county_editors_none_for_viewers(
    messy_db: Path,
) -> None:
    mine = forms.open_center(messy_db, _id(messy_db, A), COUNTY)
    forms.save_center(
        messy_db, {**forms.form_values(forms.CENTER_FORM, mine), "tech_staff": "5"}, mine, COUNTY
    )

    def actors(scope: Scope) -> set[str]:
        with db.connect(messy_db, scope=scope) as con:
            return {r["actor"] for r in db.rows(con, "audit_since", since=dt.datetime(2000, 1, 1))}

    assert len(actors(EDITOR)) >= 2
    assert actors(COUNTY) == {COUNTY.actor}
    assert actors(VIEWER) == set()


def test_the_register_export_of_a_county_editor_holds_only_their_centers(
    messy_db: Path, tmp_path: Path
) -> None:
    rows = export_workbook(messy_db, tmp_path / "mine.xlsx", COUNTY)
    assert rows["中心"] == len(JIANXI)


def test_a_county_editor_without_a_county_reads_nothing(messy_db: Path) -> None:
    with pytest.raises(ScopeDenied), db.connect(messy_db, scope=Scope("user:x", "county_editor")):
        pass


@pytest.mark.parametrize(
    "scope", [EDITOR, VIEWER, COUNTY], ids=["editor", "viewer", "county_editor"]
)
def test_only_an_admin_signed_in_manages_accounts(messy_db: Path, scope: Scope) -> None:
    auth.add_user(messy_db, "某编辑", "editor", None, "Pa55-word-for-tests", "test")
    for change in (
        lambda: auth.add_user(messy_db, "新账号", "viewer", None, "Another-pa55-word", scope),
        lambda: auth.disable_user(messy_db, "某编辑", scope),
        lambda: auth.enable_user(messy_db, "某编辑", scope),
        lambda: auth.set_password(messy_db, "某编辑", "Third-pa55-word-x", scope),
    ):
        with pytest.raises(ScopeDenied, match="只有管理员"):
            change()
    auth.add_user(messy_db, "新账号", "viewer", None, "Another-pa55-word", ADMIN)
    assert auth.current_user(messy_db, "新账号") is not None
