"""Broken and unusual uploads, table-driven.

Each upload is either refused whole — `ImportRejected` naming file, sheet, row and column where
there is one, with a Chinese reason and an "accepted" hint, and the register left exactly as it
was — or accepted with the right values stored. Never a traceback.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from mic_tracker import db
from mic_tracker.errors import ImportRejected, describe
from mic_tracker.exporter import export_workbook
from mic_tracker.importer import import_files, parse_sheets
from mic_tracker.policy import load_plan
from mic_tracker.reference import load_resolver
from mic_tracker.sources import read_sources

CENTER_HEADER = ["中心名称", "重点领域", "所在县区", "建设形式"]
EVENT_HEADER = ["中心名称", "事件", "日期"]
SHEET_XML = "xl/worksheets/sheet1.xml"
MB = 1024 * 1024
JIANXI, CHANHE = "410305", "410304"  # 涧西区, 瀍河回族区
CJK = re.compile(r"[\u4e00-\u9fff]")

Rows = list[list[object]]
Build = Callable[[Path], list[Path]]


# ------------------------------------------------------------------------------ builders


def workbook(
    path: Path,
    sheets: dict[str, Rows],
    merged: dict[str, list[str]] | None = None,
    text: dict[str, list[str]] | None = None,
) -> Path:
    """An .xlsx with these sheets; `merged` ranges are merged, `text` cells typed as text."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        for ref in (merged or {}).get(name, []):
            ws.merge_cells(ref)
        for ref in (text or {}).get(name, []):
            ws[ref].data_type = "s"  # openpyxl would otherwise write "=…" as a formula
    wb.save(path)
    return path


def rewrite_part(path: Path, part: str, change: Callable[[bytes], bytes]) -> Path:
    """Rewrite one part of an .xlsx, e.g. to add what openpyxl cannot write."""
    with zipfile.ZipFile(path) as z:
        parts = {info.filename: z.read(info) for info in z.infolist()}
    parts[part] = change(parts[part])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def with_cached_results(path: Path, results: dict[str, tuple[str, str]]) -> Path:
    """Give formula cells the result Excel saves with them: {cell: (type, value)}.

    openpyxl writes formulas without a result; Excel and WPS always save one.
    """

    def change(xml: bytes) -> bytes:
        for ref, (kind, value) in results.items():
            # empty result as <v/> or <v></v> (openpyxl's writer with or without lxml)
            pattern = rf'<c r="{ref}"><f>(.*?)</f>(?:<v ?/>|<v></v>)</c>'.encode()
            cell = rf'<c r="{ref}" t="{kind}"><f>\1</f><v>{value}</v></c>'.encode()
            xml, n = re.subn(pattern, cell, xml)
            assert n == 1, ref
        return xml

    return rewrite_part(path, SHEET_XML, change)


def corrupt_compressed_tail(path: Path, part: str) -> Path:
    """Flip bytes near the end of a part's deflate stream, as a broken download or disk does."""
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(part)
    name_len, extra_len = struct.unpack_from("<HH", raw, info.header_offset + 26)
    end = info.header_offset + 30 + name_len + extra_len + info.compress_size
    for i in range(end - 40, end - 30):
        raw[i] ^= 0xFF
    path.write_bytes(bytes(raw))
    return path


def csv_file(path: Path, rows: Rows, encoding: str) -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def center_book(path: Path, *rows: list[object], **sheets: Rows) -> Path:
    """A workbook with a 中心 sheet of these rows (and any further sheets)."""
    return workbook(path, {"中心": [CENTER_HEADER, *rows], **sheets})


def event_book(path: Path, date: object) -> Path:
    """One center and its 申报 event on `date`."""
    return center_book(
        path,
        ["甲创新中心", 1, "涧西区", "企业型"],
        事件=[EVENT_HEADER, ["甲创新中心", "申报", date]],
    )


def formula_book(path: Path) -> Path:
    """A number formula and a HYPERLINK formula, as openpyxl writes them (no saved result)."""
    return workbook(
        path,
        {
            "中心": [
                [*CENTER_HEADER, "专业技术人员数", "牵头单位"],
                [
                    "甲创新中心",
                    1,
                    "涧西区",
                    "企业型",
                    "=1+1",
                    '=HYPERLINK("http://evil.example","点我")',
                ],
            ]
        },
    )


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def sparse(path: Path, size: int) -> Path:
    with path.open("wb") as fh:
        fh.truncate(size)
    return path


def ole_container(path: Path) -> Path:
    """What an old .xls and an .xlsx with an opening password both are: an OLE compound file."""
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504) + b"EncryptionInfo" * 40)
    return path


def zip_without_workbook(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("说明.txt", "不是工作簿")
    return path


def one(build: Callable[[Path], Path], name: str) -> Build:
    """A builder of one upload called `name` in the test's directory."""
    return lambda tmp: [build(tmp / name)]


# ------------------------------------------------------------------------------ the register


def snapshot(path: Path) -> str:
    """Every stored row, the audit trail's length and the data version, as one text."""
    with db.connect(path) as con:
        tables = {
            name: db.rows(con, name)
            for name in ("centers_all", "members_all", "events_all", "annual_all")
        }
        audit = con.execute("select count(*) from audit_log").fetchone()
        version = db.get_meta(con, "data_version")
    return json.dumps([tables, audit, version], default=str, ensure_ascii=False, sort_keys=True)


Stored = tuple[dict[str, dict[str, object]], set[tuple[str, str, dt.date]]]


def stored(path: Path) -> Stored:
    """The centers by name, and every event as (center, kind, date)."""
    with db.connect(path) as con:
        centers = {r["name"]: r for r in db.rows(con, "centers_all")}
        names = {r["id"]: name for name, r in centers.items()}
        events = {
            (names[e["center_id"]], e["kind"], e["event_date"]) for e in db.rows(con, "events_all")
        }
    return centers, events


# ------------------------------------------------------------------------------ refused


@dataclass(frozen=True)
class Err:
    """One expected error: where, fragments of the reason, a fragment of the accepted hint."""

    sheet: str
    row: int | None
    column: str | None
    reason: tuple[str, ...]
    accepted: str
    file: str | None = None  # None: the (first) upload's name


@dataclass(frozen=True)
class Refused:
    build: Build
    errors: tuple[Err, ...]


RESAVE = "另存为 .xlsx"
SHEETS_HINT = "工作表名为 中心、事件、年度数据"

REFUSED: dict[str, Refused] = {
    # 1. sheet names ---------------------------------------------------------------------
    "sheet-named-Sheet1-names-the-expected-sheets": Refused(
        one(
            lambda p: workbook(p, {"Sheet1": [CENTER_HEADER, ["甲创新中心", 1, "涧西", "企业型"]]}),
            "a.xlsx",
        ),
        (Err("", None, None, ("没有找到可导入的工作表", "Sheet1"), SHEETS_HINT),),
    ),
    "sheets-Sheet1-and-Sheet2-are-both-named": Refused(
        one(lambda p: workbook(p, {"Sheet1": [CENTER_HEADER], "Sheet2": [EVENT_HEADER]}), "b.xlsx"),
        (Err("", None, None, ("没有找到可导入的工作表", "Sheet1、Sheet2"), SHEETS_HINT),),
    ),
    "empty-workbook-default-sheet": Refused(
        one(lambda p: workbook(p, {"Sheet": []}), "空.xlsx"),
        (Err("", None, None, ("没有找到可导入的工作表", "Sheet"), SHEETS_HINT),),
    ),
    "sheet-without-any-row": Refused(
        one(lambda p: workbook(p, {"中心": []}), "c.xlsx"),
        (Err("中心", 1, None, ("工作表为空，缺少表头",), "第1行为表头"),),
    ),
    # 2. merged cells --------------------------------------------------------------------
    "merged-across-a-data-row-is-ambiguous": Refused(
        one(
            lambda p: workbook(
                p,
                {
                    "中心": [
                        CENTER_HEADER,
                        ["甲创新中心", 1, "涧西区", "企业型"],
                        ["以下为新增", None, None, None],
                    ]
                },
                merged={"中心": ["A3:D3"]},
            ),
            "d.xlsx",
        ),
        (
            Err(
                "中心",
                3,
                "中心名称",
                ("合并单元格 A3:D3 横跨多列", "中心名称、重点领域、所在县区、建设形式"),
                "取消合并",
            ),
        ),
    ),
    # 3. header position -----------------------------------------------------------------
    "title-row-then-header-missing-a-required-column": Refused(
        one(
            lambda p: workbook(
                p,
                {"中心": [["2024年洛阳市制造业创新中心统计表"], ["中心名称", "重点领域"]]},
            ),
            "e.xlsx",
        ),
        (Err("中心", 2, None, ("缺少必填列：所在县区",), "列名见导入模板"),),
    ),
    "header-repeats-a-column-under-an-alias": Refused(
        one(lambda p: workbook(p, {"中心": [[*CENTER_HEADER, "县区"]]}), "f.xlsx"),
        (Err("中心", 1, "县区", ("列「所在县区」重复",), "每列只出现一次"),),
    ),
    # 5. size ----------------------------------------------------------------------------
    "csv-over-20-mb-padded-note-column": Refused(
        one(
            lambda p: csv_file(
                p,
                [
                    [*CENTER_HEADER, "说明"],
                    ["甲创新中心", 1, "涧西区", "企业型", "备" * (7 * MB)],
                ],
                "utf-8",
            ),
            "中心.csv",
        ),
        (Err("", None, None, ("文件过大（上限 20 MB）",), "拆分为多个文件"),),
    ),
    "sparse-xlsx-over-20-mb-is-not-opened": Refused(
        # Were it opened, the message would say it is no workbook: the size is checked first.
        one(lambda p: sparse(p, 21 * MB), "大.xlsx"),
        (Err("", None, None, ("文件过大（上限 20 MB）",), "拆分为多个文件"),),
    ),
    # 7. formulas ------------------------------------------------------------------------
    "formula-name-without-saved-result-reads-blank": Refused(
        # Never evaluated: with no saved result the cell is empty, so the name is missing.
        one(
            lambda p: workbook(
                p, {"中心": [CENTER_HEADER, ['=CONCAT("甲","创新中心")', 1, "涧西区", "企业型"]]}
            ),
            "g.xlsx",
        ),
        (Err("中心", 2, "中心名称", ("必填项为空",), "填写中心名称"),),
    ),
    "formula-error-results-are-not-stored-as-text": Refused(
        one(
            lambda p: with_cached_results(
                formula_book(p), {"E2": ("e", "#DIV/0!"), "F2": ("e", "#N/A")}
            ),
            "h.xlsx",
        ),
        (
            Err("中心", 2, "专业技术人员数", ("Excel 错误值",), "修正公式"),
            Err("中心", 2, "牵头单位", ("Excel 错误值",), "修正公式"),
        ),
    ),
    # 8. impossible and ambiguous dates --------------------------------------------------
    "impossible-date-2021-02-30": Refused(
        one(lambda p: event_book(p, "2021-02-30"), "i.xlsx"),
        (Err("事件", 2, "日期", ("日期不存在：2021年2月30日",), "2019-03-14"),),
    ),
    "impossible-date-2021年2月29日-not-a-leap-year": Refused(
        one(lambda p: event_book(p, "2021年2月29日"), "j.xlsx"),
        (Err("事件", 2, "日期", ("日期不存在：2021年2月29日",), "2019年3月14日"),),
    ),
    "day-month-order-ambiguous-5-3-2021": Refused(
        one(lambda p: event_book(p, "5/3/2021"), "k.xlsx"),
        (Err("事件", 2, "日期", ("日期有歧义",), "2019-03-14"),),
    ),
    "serial-number-far-outside-dates": Refused(
        one(lambda p: event_book(p, 123), "l.xlsx"),
        (Err("事件", 2, "日期", ("无法识别的日期：123",), "Excel 日期单元格"),),
    ),
    # not a workbook, or a damaged one ---------------------------------------------------
    "xls-or-password-protected-xlsx-ole-container": Refused(
        one(ole_container, "旧表.xlsx"),
        (Err("", None, None, ("旧版 .xls 格式或设置了打开密码",), "取消打开密码"),),
    ),
    "html-table-saved-as-xlsx": Refused(
        one(
            lambda p: write(p, "<table><tr><td>中心名称</td></tr></table>".encode()),
            "系统导出.xlsx",
        ),
        (Err("", None, None, ("无法作为 Excel 工作簿打开（BadZipFile）",), RESAVE),),
    ),
    "zero-byte-xlsx": Refused(
        one(lambda p: write(p, b""), "零.xlsx"),
        (Err("", None, None, ("无法作为 Excel 工作簿打开",), RESAVE),),
    ),
    "truncated-xlsx-download": Refused(
        one(
            lambda p: write(
                p, center_book(p, ["甲创新中心", 1, "涧西", "企业型"]).read_bytes()[:3000]
            ),
            "半截.xlsx",
        ),
        (Err("", None, None, ("无法作为 Excel 工作簿打开（BadZipFile）",), RESAVE),),
    ),
    "zip-that-is-not-a-workbook": Refused(
        one(zip_without_workbook, "压缩包.xlsx"),
        (Err("", None, None, ("无法作为 Excel 工作簿打开（KeyError）",), RESAVE),),
    ),
    "sheet-xml-cut-off": Refused(
        one(
            lambda p: rewrite_part(
                center_book(p, ["甲创新中心", 1, "涧西", "企业型"]), SHEET_XML, lambda x: x[:-200]
            ),
            "m.xlsx",
        ),
        (Err("中心", None, None, ("工作表已损坏，无法读取（ParseError）",), RESAVE),),
    ),
    "deflate-data-damaged": Refused(
        one(
            lambda p: corrupt_compressed_tail(
                center_book(p, *[[f"中心{i}", 1, "涧西", "企业型"] for i in range(200)]), SHEET_XML
            ),
            "n.xlsx",
        ),
        (Err("中心", None, None, ("工作表已损坏，无法读取",), RESAVE),),
    ),
    "xls-extension": Refused(
        one(lambda p: write(p, b"<html></html>"), "o.xls"),
        (Err("", None, None, ("不支持的文件类型",), ".xlsx 工作簿"),),
    ),
    # CSV --------------------------------------------------------------------------------
    "empty-csv": Refused(
        one(lambda p: write(p, b""), "中心.csv"),
        (Err("中心", 1, None, ("工作表为空，缺少表头",), "第1行为表头"),),
    ),
    "utf16-csv": Refused(
        one(
            lambda p: csv_file(p, [CENTER_HEADER, ["甲创新中心", 1, "涧西", "企业型"]], "utf-16"),
            "中心.csv",
        ),
        (Err("中心", None, None, ("文件编码无法识别",), "GBK"),),
    ),
    "csv-whose-name-and-headers-name-no-sheet": Refused(
        one(lambda p: csv_file(p, [["名称", "地址"], ["甲", "涧西"]], "utf-8"), "导出.csv"),
        (Err("", None, None, ("无法判断该 CSV 属于哪个工作表",), "中心.csv"),),
    ),
    "same-sheet-in-two-files": Refused(
        lambda tmp: [
            center_book(tmp / "p.xlsx", ["甲创新中心", 1, "涧西", "企业型"]),
            csv_file(
                tmp / "中心.csv", [CENTER_HEADER, ["乙创新中心", 2, "涧西", "企业型"]], "utf-8"
            ),
        ],
        (Err("中心", None, None, ("在 p.xlsx 中已出现",), "只提供一次", file="中心.csv"),),
    ),
}


@pytest.mark.parametrize("case", REFUSED.values(), ids=REFUSED.keys())
def test_broken_upload_is_refused_with_a_located_chinese_message(
    case: Refused, messy_db: Path, tmp_path: Path
) -> None:
    """Test that each broken upload is refused whole, located, in Chinese, by a dry run and by
    a real import alike, and the register is left exactly as it was."""
    uploads = case.build(tmp_path)
    before = snapshot(messy_db)
    with pytest.raises(ImportRejected) as trial:
        import_files(messy_db, uploads, dry_run=True)
    with pytest.raises(ImportRejected) as info:
        import_files(messy_db, uploads)
    assert snapshot(messy_db) == before
    errors = info.value.errors
    assert errors == trial.value.errors
    expected = [(x.file or uploads[0].name, x.sheet, x.row, x.column) for x in case.errors]
    assert [(e.file, e.sheet, e.row, e.column) for e in errors] == expected
    for e, x in zip(errors, case.errors, strict=True):
        assert all(part in e.reason for part in x.reason), e.reason
        assert x.accepted in e.accepted, e.accepted
        assert CJK.search(e.reason) and CJK.search(e.accepted)
    text = describe(info.value)
    assert text.startswith(f"导入未执行：发现 {len(errors)} 处错误，数据库未做任何更改。")
    assert all(e.line() in text for e in errors)


# ------------------------------------------------------------------------------ accepted


@dataclass(frozen=True)
class Accepted:
    build: Build
    centers: dict[str, dict[str, object]]  # name → the stored values to check
    events: frozenset[tuple[str, str, dt.date]] = frozenset()  # every stored event
    warnings: tuple[tuple[str, int | None, str], ...] = ()  # (sheet, row, reason fragment)


MAR_5 = dt.date(2021, 3, 5)
DATE_FORMATS: dict[str, object] = {
    "chinese-text-2021年3月5日": "2021年3月5日",
    "slashes-2021/3/5": "2021/3/5",
    "dots-2021.3.5": "2021.3.5",
    "iso-with-time-2021-03-05-08:30": "2021-03-05 08:30",
    "compact-20210305": "20210305",
    "excel-serial-number-44260": 44260,
    "excel-serial-as-text-44260": "44260",
    "excel-serial-with-time-fraction": 44260.75,
    "excel-date-cell": dt.datetime(2021, 3, 5),
}

ACCEPTED: dict[str, Accepted] = {
    **{
        f"date-{name}": Accepted(
            one(lambda p, v=value: event_book(p, v), "日期.xlsx"),
            {"甲创新中心": {"division_code": JIANXI}},
            frozenset({("甲创新中心", "applied", MAR_5)}),
        )
        for name, value in DATE_FORMATS.items()
    },
    # 1. a sheet name that contains the template's name ----------------------------------
    "sheet-named-中心信息-reads-as-中心": Accepted(
        one(
            lambda p: workbook(
                p, {"中心信息": [CENTER_HEADER, ["甲创新中心", 1, "涧西", "企业型"]]}
            ),
            "a.xlsx",
        ),
        {"甲创新中心": {"division_code": JIANXI, "form": "企业型"}},
    ),
    "unknown-extra-sheet-is-a-warning": Accepted(
        one(
            lambda p: workbook(
                p, {"中心": [CENTER_HEADER, ["甲创新中心", 1, "涧西", "企业型"]], "Sheet1": []}
            ),
            "b.xlsx",
        ),
        {"甲创新中心": {"division_code": JIANXI}},
        warnings=(("Sheet1", None, "未知工作表，已忽略"),),
    ),
    # 2. merged cells --------------------------------------------------------------------
    "merged-county-block-means-same-as-above": Accepted(
        one(
            lambda p: workbook(
                p,
                {
                    "中心": [
                        CENTER_HEADER,
                        ["甲创新中心", 1, "涧西区", "企业型"],
                        ["乙创新中心", 2, None, "院所型"],
                        ["丙创新中心", 3, None, "平台型"],
                        ["丁创新中心", 4, "瀍河回族区", "企业型"],
                    ]
                },
                merged={"中心": ["C2:C4"]},
            ),
            "c.xlsx",
        ),
        {
            "甲创新中心": {"division_code": JIANXI, "form": "企业型"},
            "乙创新中心": {"division_code": JIANXI, "form": "院所型"},
            "丙创新中心": {"division_code": JIANXI, "form": "平台型"},
            "丁创新中心": {"division_code": CHANHE, "form": "企业型"},
        },
    ),
    "merged-optional-column-block-is-not-blanked": Accepted(
        # Before the fix the lower rows silently stored no 建设形式 (and would clear a stored one).
        one(
            lambda p: workbook(
                p,
                {
                    "中心": [
                        [*CENTER_HEADER, "牵头单位性质"],
                        ["甲创新中心", 1, "涧西区", "企业型", "企业"],
                        ["乙创新中心", 2, "涧西区", None, None],
                    ]
                },
                merged={"中心": ["D2:D3", "E2:E3"]},
            ),
            "d.xlsx",
        ),
        {
            "甲创新中心": {"form": "企业型", "lead_unit_type": "企业"},
            "乙创新中心": {"form": "企业型", "lead_unit_type": "企业"},
        },
    ),
    "merged-center-name-over-its-events": Accepted(
        one(
            lambda p: workbook(
                p,
                {
                    "中心": [CENTER_HEADER, ["甲创新中心", 1, "涧西", "企业型"]],
                    "事件": [
                        EVENT_HEADER,
                        ["甲创新中心", "申报", "2021-03-05"],
                        [None, "县级推荐", "2021-03-20"],
                        [None, "专家评审", "2021-04-10"],
                    ],
                },
                merged={"事件": ["A2:A4"]},
            ),
            "e.xlsx",
        ),
        {"甲创新中心": {"division_code": JIANXI}},
        frozenset(
            {
                ("甲创新中心", "applied", MAR_5),
                ("甲创新中心", "county_recommended", dt.date(2021, 3, 20)),
                ("甲创新中心", "expert_reviewed", dt.date(2021, 4, 10)),
            }
        ),
    ),
    "merged-header-cell-over-an-empty-column": Accepted(
        one(
            lambda p: workbook(
                p,
                {"中心": [[*CENTER_HEADER, None], ["甲创新中心", 1, "涧西区", "院所型", None]]},
                merged={"中心": ["D1:E1"]},
            ),
            "f.xlsx",
        ),
        {"甲创新中心": {"form": "院所型"}},
    ),
    "merge-spanning-a-known-and-an-unknown-column": Accepted(
        one(
            lambda p: workbook(
                p,
                {
                    "中心": [
                        [*CENTER_HEADER, "牵头单位", "联系人"],
                        ["甲创新中心", 1, "涧西区", "企业型", "洛阳轴承集团股份有限公司", None],
                    ]
                },
                merged={"中心": ["E2:F2"]},
            ),
            "g.xlsx",
        ),
        {"甲创新中心": {"lead_unit": "洛阳轴承集团股份有限公司"}},
        warnings=(("中心", 1, "未知列，已忽略"),),
    ),
    # 3. a title row above the header ----------------------------------------------------
    "title-row-above-header": Accepted(
        one(
            lambda p: workbook(
                p,
                {
                    "中心": [
                        ["2024年洛阳市制造业创新中心统计表"],
                        CENTER_HEADER,
                        ["甲创新中心", 1, "涧西区", "企业型"],
                    ]
                },
            ),
            "h.xlsx",
        ),
        {"甲创新中心": {"division_code": JIANXI}},
        warnings=(("中心", 2, "表头在第2行"),),
    ),
    "merged-title-and-blank-row-above-header": Accepted(
        one(
            lambda p: workbook(
                p,
                {
                    "中心": [
                        ["2024年洛阳市制造业创新中心统计表", None, None, None],
                        [],
                        CENTER_HEADER,
                        ["甲创新中心", 1, "涧西区", "企业型"],
                        ["乙创新中心", 2, None, "企业型"],
                    ]
                },
                merged={"中心": ["A1:D1", "C4:C5"]},
            ),
            "i.xlsx",
        ),
        {"甲创新中心": {"division_code": JIANXI}, "乙创新中心": {"division_code": JIANXI}},
        warnings=(("中心", 3, "表头在第3行"),),
    ),
    # 6. CSV in GBK without BOM ----------------------------------------------------------
    "gbk-csv-without-bom": Accepted(
        one(
            lambda p: csv_file(
                p,
                [
                    [*CENTER_HEADER, "牵头单位", "成员单位"],
                    [
                        "洛阳轴承创新中心",
                        "轴承及基础件",
                        "瀍河回族区",
                        "企业型",
                        "洛阳轴承集团股份有限公司",
                        "河南科技大学(高校)；中钢洛耐科技股份有限公司（企业）",
                    ],
                ],
                "gbk",
            ),
            "中心.csv",
        ),
        {
            "洛阳轴承创新中心": {
                "division_code": CHANHE,
                "form": "企业型",
                "lead_unit": "洛阳轴承集团股份有限公司",
                "field_seq": 6,
            }
        },
    ),
    "gbk-csv-named-by-its-headers": Accepted(
        one(
            lambda p: csv_file(p, [CENTER_HEADER, ["甲创新中心", "1", "涧西", "企业型"]], "gbk"),
            "县区报送.csv",
        ),
        {"甲创新中心": {"division_code": JIANXI}},
    ),
    # 7. formulas: never evaluated, never stored as formulas -----------------------------
    "formula-with-saved-result-stores-excels-result": Accepted(
        # The saved result is 7, not what =1+1 gives: the value is read, never computed.
        one(
            lambda p: with_cached_results(
                formula_book(p), {"E2": ("n", "7"), "F2": ("str", "点我")}
            ),
            "j.xlsx",
        ),
        {"甲创新中心": {"tech_staff": 7, "lead_unit": "点我"}},
    ),
    "formula-without-saved-result-reads-blank": Accepted(
        one(formula_book, "k.xlsx"),
        {"甲创新中心": {"tech_staff": None, "lead_unit": None}},
    ),
    "formula-looking-text-cell-is-stored-as-text": Accepted(
        one(
            lambda p: workbook(
                p,
                {
                    "中心": [
                        [*CENTER_HEADER, "牵头单位"],
                        [
                            "甲创新中心",
                            1,
                            "涧西区",
                            "企业型",
                            '=HYPERLINK("http://evil.example","点我")',
                        ],
                    ]
                },
                text={"中心": ["E2"]},
            ),
            "l.xlsx",
        ),
        {"甲创新中心": {"lead_unit": '=HYPERLINK("http://evil.example","点我")'}},
    ),
    # other cheap realities --------------------------------------------------------------
    "sheet-with-only-headers-adds-nothing": Accepted(
        one(lambda p: workbook(p, {"中心": [CENTER_HEADER], "事件": [EVENT_HEADER]}), "m.xlsx"),
        {},
    ),
    "blank-and-invisible-rows-are-skipped": Accepted(
        one(
            lambda p: center_book(
                p,
                ["甲创新中心", 1, "涧西", "企业型"],
                ["  ", None, "\u3000", None],
                ["\u200b", "", None, " "],
                ["乙创新中心", 2, "涧西", "企业型"],
            ),
            "n.xlsx",
        ),
        {"甲创新中心": {"field_seq": 1}, "乙创新中心": {"field_seq": 2}},
    ),
    "headers-with-spaces-full-width-and-aliases": Accepted(
        one(
            lambda p: workbook(
                p,
                {
                    "中心": [
                        [
                            " 中心 名称 ",
                            "领域",
                            "所在县（市、区）",
                            "建设形式\u3000",
                            "注册资本(万元)",
                        ],
                        ["甲创新中心", "1", "410305", "企业型", "600"],
                    ]
                },
            ),
            "o.xlsx",
        ),
        {"甲创新中心": {"division_code": JIANXI, "form": "企业型"}},
    ),
    "xlsm-extension-reads-as-workbook": Accepted(
        one(lambda p: center_book(p, ["甲创新中心", 1, "涧西", "企业型"]), "p.xlsm"),
        {"甲创新中心": {"division_code": JIANXI}},
    ),
}


@pytest.mark.parametrize("case", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_unusual_upload_is_accepted_with_the_right_values(
    case: Accepted, empty_db: Path, tmp_path: Path
) -> None:
    """Test that each unusual upload imports the values it shows, after an identical dry run."""
    uploads = case.build(tmp_path)
    before = snapshot(empty_db)
    trial = import_files(empty_db, uploads, dry_run=True)
    assert snapshot(empty_db) == before
    result = import_files(empty_db, uploads)
    assert result.sheets == trial.sheets
    assert result.sheets["中心"]["added"] == len(case.centers)
    assert result.sheets["事件"]["added"] == len(case.events)
    assert [(w.sheet, w.row) for w in result.warnings] == [(s, r) for s, r, _ in case.warnings]
    for w, (_, _, reason) in zip(result.warnings, case.warnings, strict=True):
        assert reason in w.reason
    centers, events = stored(empty_db)
    assert set(centers) == set(case.centers)
    for name, values in case.centers.items():
        assert {k: centers[name][k] for k in values} == values, name
    assert events == case.events


def test_gbk_member_names_are_stored_as_written(empty_db: Path, tmp_path: Path) -> None:
    """Test that a GBK CSV's member list keeps its Chinese names and types intact."""
    upload = csv_file(
        tmp_path / "中心.csv",
        [
            [*CENTER_HEADER, "成员单位"],
            [
                "甲创新中心",
                1,
                "瀍河",
                "企业型",
                "河南科技大学(高校)；中钢洛耐科技股份有限公司（企业）",
            ],
        ],
        "gbk",
    )
    raw = upload.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    import_files(empty_db, [upload])
    with db.connect(empty_db) as con:
        members = [(m["name"], m["member_type"]) for m in db.rows(con, "members_all")]
    assert members == [("河南科技大学", "高校"), ("中钢洛耐科技股份有限公司", "企业")]


# ------------------------------------------------------------------------------ formula round trip

INJECTIONS = {
    "lead_unit": '=HYPERLINK("http://evil.example","点我")',
    "entity_name": "+cmd|' /C calc'!A0",
    "members": "@洛阳测试有限公司",
}


def test_formula_looking_text_survives_export_as_text_and_reimports_unchanged(
    empty_db: Path, tmp_path: Path
) -> None:
    """Test that text like "=HYPERLINK(…)" is stored as text, exported as a text cell, and
    imports back the same: it never becomes a live formula along the way."""
    upload = csv_file(
        tmp_path / "中心.csv",
        [
            [*CENTER_HEADER, "牵头单位", "法人单位名称", "成员单位"],
            ["甲创新中心", 1, "涧西", "企业型", *INJECTIONS.values()],
        ],
        "utf-8",
    )
    import_files(empty_db, [upload])
    center = stored(empty_db)[0]["甲创新中心"]
    assert (center["lead_unit"], center["entity_name"]) == (
        INJECTIONS["lead_unit"],
        INJECTIONS["entity_name"],
    )

    exported = tmp_path / "导出.xlsx"
    export_workbook(empty_db, exported)
    with zipfile.ZipFile(exported) as z:
        sheets = [z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not any(re.search(rb"<f[ >]", xml) for xml in sheets)
    ws = load_workbook(exported)["中心"]
    header = [c.value for c in ws[1]]
    cells = {h: ws.cell(row=2, column=i + 1) for i, h in enumerate(header)}
    for column in ("牵头单位", "法人单位名称", "成员单位"):
        assert cells[column].data_type == "s", column
    assert cells["牵头单位"].value == INJECTIONS["lead_unit"]

    again = tmp_path / "again.duckdb"
    import_files(again, [exported])
    assert stored(again)[0]["甲创新中心"]["lead_unit"] == INJECTIONS["lead_unit"]
    with db.connect(again) as con:
        assert [m["name"] for m in db.rows(con, "members_all")] == [INJECTIONS["members"]]


# ------------------------------------------------------------------------------ many rows

MANY = 10_000


def test_ten_thousand_rows_are_checked_and_imported_whole(empty_db: Path, tmp_path: Path) -> None:
    """Test that a 10,000-row 中心 sheet with an event per center imports whole: every row
    stored with its values, the counts right, and a row's errors would name its Excel row."""
    names = [f"测试{i:05d}创新中心" for i in range(MANY)]
    rows = [[n, i % 31 + 1, "涧西区", "企业型", f"{i}万"] for i, n in enumerate(names)]
    upload = workbook(
        tmp_path / "万行.xlsx",
        {
            "中心": [[*CENTER_HEADER, "注册资本"], *rows],
            "事件": [EVENT_HEADER, *([n, "申报", "2021-03-05"] for n in names)],
        },
    )
    sources = read_sources([upload])
    parsed = parse_sheets(sources.sheets, load_plan(), load_resolver())
    assert not sources.errors and not parsed.errors
    assert parsed.centers[names[-1]].ref.row == MANY + 1
    result = import_files(empty_db, [upload])
    assert result.sheets["中心"] == {"added": MANY, "changed": 0, "unchanged": 0}
    assert result.sheets["事件"] == {"added": MANY, "changed": 0, "unchanged": 0}
    centers, _ = stored(empty_db)
    last = centers[names[-1]]
    assert (last["field_seq"], last["division_code"]) == ((MANY - 1) % 31 + 1, JIANXI)
    assert last["registered_capital"] == MANY - 1
    with db.connect(empty_db) as con:
        events = db.rows(con, "events_all")
        audit = db.rows(con, "audit_since", since=dt.datetime(2000, 1, 1))
    assert len(events) == MANY and len({e["center_id"] for e in events}) == MANY
    assert len(audit) == 2 * MANY  # one audit row per center and per event
