"""Table downloads: safe CSV and Excel bytes (formula injection), and file names with the filters."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
import streamlit as st
from openpyxl import load_workbook

from mic_tracker.downloads import (
    MAX_STEM,
    csv_bytes,
    export_frame,
    file_name,
    neutralise,
    xlsx_bytes,
)
from mic_tracker.exporter import FORMULA_STARTS
from mic_tracker.report import make_filters
from mic_tracker.ui import tables
from mic_tracker.ui.tables import labels_of

DAY = dt.date(2026, 11, 26)
# One text cell per dangerous start, then harmless text; a number column with a negative.
RISKY = ['=HYPERLINK("http://x","点我")', "+86 379", "-1+2", "@SUM(A1)", "\tcmd", "\rcmd"]


def _frame() -> pd.DataFrame:
    n = len(RISKY) + 2
    return pd.DataFrame(
        {
            "名称": [*RISKY, "洛阳=中心", None],
            "数量": [-5, *range(1, n)],
            "金额": [-12.5, *[float(i) for i in range(1, n - 1)], None],
            "日期": pd.to_datetime(["2019-11-20"] * (n - 1) + [None]),
        }
    )


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+86 379", "'+86 379"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("洛阳=中心", "洛阳=中心"),
        (-5, -5),
        (None, None),
    ],
    ids=["equals", "plus", "minus", "at", "tab", "cr", "inside", "number", "none"],
)
def test_formula_like_text_is_neutralised(value: object, safe: object) -> None:
    """Test that text starting with = + - @ tab or CR gets an apostrophe; other values stay."""
    assert neutralise(value) == safe


def test_the_rule_is_the_exporters() -> None:
    """Test that every start the register export treats as a formula is neutralised here."""
    assert all(neutralise(start + "x") == "'" + start + "x" for start in FORMULA_STARTS)


def test_csv_is_utf8_with_bom_and_neutralised() -> None:
    """Test the CSV: BOM, Chinese intact, risky text prefixed, numbers and dates plain."""
    raw = csv_bytes(_frame())
    assert raw.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", keep_default_na=False)
    assert list(back.columns) == ["名称", "数量", "金额", "日期"]
    assert list(back["名称"]) == ["'" + v for v in RISKY] + ["洛阳=中心", ""]
    assert back["数量"].tolist()[0] == -5  # a number, not text: never prefixed
    assert pd.api.types.is_integer_dtype(back["数量"])
    assert back["金额"].tolist()[0] == "-12.5"  # the empty last cell keeps this column text
    assert back["日期"].tolist()[0] == "2019-11-20" and back["日期"].tolist()[-1] == ""


def test_csv_lines_have_no_formula_start() -> None:
    """Test that no field of the CSV starts with a formula character unless it is a number."""
    text = csv_bytes(_frame()).decode("utf-8-sig")
    back = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    risky = [v for v in back.to_numpy().ravel() if v.startswith(FORMULA_STARTS)]
    assert risky and all(_is_number(v) for v in risky)  # only a number may start with a minus


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_xlsx_keeps_text_exact_as_text_cells() -> None:
    """Test the workbook: risky text kept exactly in text cells, numbers and dates typed."""
    ws = load_workbook(io.BytesIO(xlsx_bytes(_frame(), "测试/表"))).active
    assert ws.title == "测试-表" and ws.freeze_panes == "A2"
    assert [c.value for c in ws[1]] == ["名称", "数量", "金额", "日期"]
    assert all(c.font.bold for c in ws[1])
    rows = list(ws.iter_rows(min_row=2))
    assert all(cell.data_type != "f" for row in rows for cell in row)
    names = [row[0].value for row in rows]
    # XML reads a carriage return back as a line feed; the cell is still text, never run.
    assert names[:5] == RISKY[:5] and names[5] in ("\rcmd", "\ncmd")
    assert all(row[0].data_type == "s" for row in rows[:-1])
    assert names[6] == "洛阳=中心" and names[7] is None
    first = rows[0]
    assert first[1].value == -5 and first[1].data_type == "n"
    assert first[2].value == -12.5 and first[2].data_type == "n"
    assert first[3].value == dt.datetime(2019, 11, 20) and first[3].is_date
    assert first[3].number_format == "yyyy-mm-dd"
    assert rows[-1][3].value is None


def test_xlsx_read_by_pandas_shows_the_text() -> None:
    """Test that pandas reads the workbook back with the original text and numbers."""
    back = pd.read_excel(io.BytesIO(xlsx_bytes(_frame())), engine="openpyxl")
    assert back["名称"].tolist()[:5] == RISKY[:5]
    assert back["数量"].tolist()[0] == -5


def test_export_frame_picks_and_renames_columns() -> None:
    """Test that the export keeps the shown columns in order under the shown headers."""
    frame = pd.DataFrame({"a": [1], "b": [2], "c": [3]})
    out = export_frame(frame, {"a": "甲", "c": "丙"}, ["c", "a", "missing"])
    assert list(out.columns) == ["丙", "甲"]


def test_labels_come_from_the_column_config() -> None:
    """Test that plain labels, column configs and hidden columns are all understood."""
    config = {
        "a": "甲",
        "b": st.column_config.NumberColumn("乙", format="%d"),
        "c": None,
        "d": st.column_config.TextColumn(width="small"),  # no label: header stays "d"
    }
    assert labels_of(config) == {"a": "甲", "b": "乙", "c": None}


def test_file_name_has_title_date_and_filters() -> None:
    """Test the plain name, then one with a sector and a county, in the order of the filter bar."""
    assert file_name("创新中心名单", DAY, "csv") == "创新中心名单_截至2026-11-26.csv"
    filters = make_filters(sectors=["新材料"], counties=["涧西区"])
    name = file_name("创新中心名单", DAY, "xlsx", filters)
    assert name == "创新中心名单_截至2026-11-26_新材料_涧西区.xlsx"


def test_file_name_names_fields_levels_and_extra_words() -> None:
    """Test that fields by 序号 and levels by key come out as their Chinese names."""
    filters = make_filters(fields=["6"], counties=["孟津县"], forms=["企业型"])
    name = file_name("预警事项", DAY, "csv", filters, ("city", "province"), ["红色、黄色"])
    assert name == (
        "预警事项_截至2026-11-26_轴承及基础件_孟津区_企业型_市级创新中心、省级创新中心_红色、黄色.csv"
    )


def test_file_name_counts_many_values() -> None:
    """Test that three or more values of one filter are named by their count."""
    filters = make_filters(fields=["1", "2", "3"], counties=["涧西区", "洛龙区"])
    name = file_name("创新中心名单", DAY, "csv", filters)
    assert name == "创新中心名单_截至2026-11-26_3个领域_涧西区、洛龙区.csv"


def test_file_name_stays_short() -> None:
    """Test that long filters are counted, longest first, until the name fits."""
    filters = make_filters(
        sectors=["新材料", "电子信息"],
        fields=["高性能有色金属及合金材料", "功能玻璃与化学新材料"],
        counties=["洛阳高新技术产业开发区", "伊滨经济技术开发区"],
        forms=["企业型", "院所型"],
    )
    name = file_name("创新中心名单", DAY, "csv", filters, ("province", "national"))
    stem = name.removesuffix(".csv")
    assert len(stem) <= MAX_STEM
    assert "2个县区" in stem and "截至2026-11-26" in stem and stem.startswith("创新中心名单_")
    long = file_name("创新中心名单", DAY, "csv", extra=["搜索" + "很长的文字" * 30])
    assert len(long) == MAX_STEM + len(".csv") and long.startswith("创新中心名单_截至2026-11-26_")


def test_file_name_has_no_forbidden_characters() -> None:
    """Test that / \\ : * ? " < > | and control characters never reach the file name."""
    name = file_name('a/b\\c:d*e?f"g<h>i|j', DAY, "csv", extra=["搜索=x\ty", " . "])
    assert name == "a-b-c-d-e-f-g-h-i-j_截至2026-11-26_搜索=x-y.csv"


def test_a_long_table_shows_its_first_rows_and_keeps_all_for_the_downloads() -> None:
    """Test that a table longer than SHOWN_ROWS draws that many rows with a note giving the
    total, keeps every row for its files, and a short one is drawn whole without a note."""
    long = pd.DataFrame({"年度": range(tables.SHOWN_ROWS + 7), "中心": "甲"})
    shown = tables.as_shown(long)
    assert shown.drawn.num_rows == tables.SHOWN_ROWS and len(shown.whole) == tables.SHOWN_ROWS + 7
    assert (
        shown.note
        == f"显示前 {tables.SHOWN_ROWS:,} 行，共 {tables.SHOWN_ROWS + 7:,} 行；下载的文件含全部。"
    )
    assert shown.drawn.column_names == ["年度", "中心"]
    short = tables.as_shown(long.head(3))
    assert short.drawn.num_rows == 3 and short.note is None and not short.empty


def _long_table_script() -> None:
    import datetime as dt

    import pandas as pd

    from mic_tracker.report import make_filters
    from mic_tracker.ui import tables
    from mic_tracker.ui.filters import ViewState

    view = ViewState(dt.date(2026, 11, 26), make_filters(), ())
    rows = int(__import__("os").environ["ROWS"])
    tables.table_with_downloads(
        pd.DataFrame({"名称": [f"中心{i}" for i in range(rows)]}), "名单", view
    )


@pytest.mark.parametrize("rows", [3, 507])
def test_table_with_downloads_draws_at_most_shown_rows_and_says_how_many(
    rows: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that a page table longer than SHOWN_ROWS draws its first rows with a line giving
    the total, and a short one is drawn whole with no such line."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("ROWS", str(rows))
    at = AppTest.from_function(_long_table_script).run()
    assert not at.exception
    drawn = at.dataframe[0].value
    assert len(drawn) == min(rows, tables.SHOWN_ROWS)
    assert drawn["名称"].iloc[-1] == f"中心{min(rows, tables.SHOWN_ROWS) - 1}"
    notes = [c.value for c in at.caption if "下载的文件含全部" in c.value]
    assert notes == ([f"显示前 500 行，共 {rows:,} 行；下载的文件含全部。"] if rows > 500 else [])
