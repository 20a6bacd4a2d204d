"""AppTest of the 数据 page: upload is checked and previewed first, imported only on confirmation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from mic_tracker import db
from tests.apptest import open_app
from tests.conftest import BROKEN, MESSY
from tests.test_import import CENTER_HEADER, write_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def centers(path: Path) -> int:
    with db.connect(path) as con:
        return db.rows(con, "center_count")[0]["n"]


def upload(at, path: Path):
    at.file_uploader(key="data_upload").set_value((path.name, path.read_bytes(), XLSX))
    return at.run()


def test_upload_is_previewed_and_imported_only_on_confirmation(
    messy_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that a valid upload shows what will change, writes nothing, then imports on 确认导入."""
    book = write_workbook(
        tmp_path / "new.xlsx", {"中心": [CENTER_HEADER, ["新报送创新中心", 2, "栾川", "企业型"]]}
    )
    at = upload(open_app(messy_db, monkeypatch, "app_pages/data.py"), book)
    preview = at.dataframe[0].value
    assert preview.set_index("工作表").loc["中心", "新增"] == 1
    assert centers(messy_db) == 16  # nothing written by the check
    at.button(key="confirm_import").click().run()
    assert not at.exception
    assert centers(messy_db) == 17
    assert "已导入" in at.success[0].value


def test_broken_upload_lists_every_error_and_offers_no_import(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that a broken workbook shows the error table by row and has no confirm button."""
    at = upload(open_app(messy_db, monkeypatch, "app_pages/data.py"), BROKEN)
    errors = at.dataframe[0].value
    assert len(errors) == 7 and {"工作表", "行", "列", "问题", "可接受"} <= set(errors.columns)
    assert 18 in set(errors["行"])
    assert not any(b.key == "confirm_import" for b in at.button)
    assert centers(messy_db) == 16


def test_unchanged_upload_says_there_is_nothing_to_import(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that re-uploading the imported workbook is recognised as no change."""
    at = upload(open_app(messy_db, monkeypatch, "app_pages/data.py"), MESSY)
    assert "没有需要导入的变化" in at.info[0].value


def test_audit_log_shows_the_import(messy_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Test that the audit table lists the fixture import's center rows since a past date."""
    at = open_app(messy_db, monkeypatch, "app_pages/data.py")
    at.date_input(key="audit_since").set_value(dt.date(2019, 1, 1)).run()
    log = at.dataframe[0].value
    assert (
        (log["对象"] == "中心").sum() == 16
        if "对象" in log.columns
        else (log["entity"] == "中心").sum() == 16
    )


def test_audit_log_filters_and_downloads_name_the_period_and_the_filters(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that the audit view narrows by 方式 and text, and its files are named for it."""
    at = open_app(messy_db, monkeypatch, "app_pages/data.py")
    at.date_input(key="audit_since").set_value(dt.date(2019, 1, 1))
    at.multiselect(key="audit_actions").set_value(["导入"])
    at.text_input(key="audit_text").set_value("涧西区")
    at.run()
    log = at.dataframe[-1].value
    assert len(log) > 0 and set(log["action"]) == {"导入"}
    assert all("涧西区" in f"{k}{c}" for k, c in zip(log["entity_key"], log["change"], strict=True))
    names = [b.proto.help for b in at.get("download_button") if "审计日志" in b.proto.help]
    today = dt.date.today().isoformat()
    assert names == [
        f"文件名：审计日志_截至{today}_自2019-01-01起_导入_涧西区.{e}" for e in ("csv", "xlsx")
    ]
