"""Cell-value parsers: messy spreadsheet input that must parse, and input that must be refused."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from mic_tracker.errors import ValueParseError
from mic_tracker.parsing import (
    decode_csv_bytes,
    normalize_name,
    normalize_text,
    parse_bool,
    parse_date,
    parse_int,
    parse_money_wan,
    parse_year,
    split_members,
)

CJK = re.compile(r"[\u4e00-\u9fff]")

PARSERS = {
    "normalize_text": normalize_text,
    "normalize_name": normalize_name,
    "parse_money_wan": parse_money_wan,
    "parse_date": parse_date,
    "parse_bool": parse_bool,
    "parse_int": parse_int,
    "parse_year": parse_year,
}


def assert_refusal_explains_itself(err: ValueParseError, example: str) -> None:
    """Reason and accepted are Chinese sentences, and accepted shows an example format."""
    assert err.reason and CJK.search(err.reason), err.reason
    assert err.accepted and CJK.search(err.accepted), err.accepted
    assert example in err.accepted, err.accepted


# ---------------------------------------------------------------------------- empty cells


@pytest.mark.parametrize(
    "empty",
    [None, "", "   ", "\u3000\u3000", "\xa0", " \t\n ", float("nan"), Decimal("NaN")],
    ids=["none", "empty", "spaces", "fullwidth-spaces", "nbsp", "tabs-newlines", "nan", "dec-nan"],
)
@pytest.mark.parametrize("parser", list(PARSERS), ids=list(PARSERS))
def test_empty_cell_gives_none_from_every_parser(parser: str, empty: object) -> None:
    assert PARSERS[parser](empty) is None


@pytest.mark.parametrize(
    "empty", [None, "", " \u3000 ", float("nan")], ids=["none", "empty", "ws", "nan"]
)
def test_empty_member_cell_gives_no_members(empty: object) -> None:
    assert split_members(empty) == []


def test_pandas_missing_values_count_as_empty() -> None:
    pd = pytest.importorskip("pandas")
    assert parse_date(pd.NaT) is None
    assert normalize_text(pd.NA) is None
    assert parse_money_wan(pd.NA) is None


# ---------------------------------------------------------------------------- text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("洛阳轴承创新中心  ", "洛阳轴承创新中心"),
        ("\u3000洛阳轴承创新中心\u3000", "洛阳轴承创新中心"),
        ("\xa0涧西区\xa0", "涧西区"),
        ("洛阳   轴承\t\n创新中心", "洛阳 轴承 创新中心"),
        ("ＬＹＣ轴承", "LYC轴承"),
        ("（企业）", "(企业)"),
        ("１２３", "123"),
        (410305.0, "410305"),
        (410305, "410305"),
        (12.5, "12.5"),
        (Decimal("600.00"), "600"),
        ("\ufeff中心名称", "中心名称"),
    ],
    ids=[
        "trailing-spaces",
        "fullwidth-spaces",
        "nbsp",
        "internal-runs-collapse",
        "fullwidth-letters-nfkc",
        "fullwidth-parens-nfkc",
        "fullwidth-digits",
        "excel-whole-float",
        "int",
        "fractional-float-kept",
        "whole-decimal",
        "bom-dropped",
    ],
)
def test_text_is_nfkc_trimmed_and_collapsed(raw: object, expected: str) -> None:
    assert normalize_text(raw) == expected


def test_name_key_ignores_all_whitespace() -> None:
    assert normalize_name("洛阳 轴承\u3000创新 中心 ") == normalize_name("洛阳轴承创新中心")
    assert normalize_name("洛阳 轴承\u3000创新 中心 ") == "洛阳轴承创新中心"


def test_name_key_applies_nfkc() -> None:
    assert normalize_name("ＬＹＣ 轴承") == "LYC轴承"


# ---------------------------------------------------------------------------- money


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("600", "600"),
        ("600万", "600"),
        ("600万元", "600"),
        ("６００万元", "600"),
        ("0.06亿", "600"),
        ("1.2亿元", "12000"),
        ("6,000,000元", "600"),
        ("1,200.5万元", "1200.5"),
        ("1，200万元", "1200"),
        ("600 万元 ", "600"),
        ("\u3000600\u3000万元", "600"),
        ("¥600", "600"),
        ("￥600万元", "600"),
        ("600.00万元", "600"),
        ("12345元", "1.2345"),
        ("0", "0"),
        (600, "600"),
        (600.0, "600"),
        (1234.5, "1234.5"),
        (0.1, "0.1"),
        (Decimal("600.000"), "600"),
    ],
    ids=[
        "bare-number-is-wan",
        "wan",
        "wan-yuan",
        "fullwidth-digits",
        "yi-small",
        "yi-yuan",
        "yuan-with-thousands",
        "thousands-and-fraction",
        "chinese-comma-thousands",
        "spaces-around-unit",
        "fullwidth-spaces",
        "yen-sign",
        "fullwidth-yen-sign",
        "trailing-zeros",
        "yuan-to-fraction-of-wan",
        "zero",
        "int-cell",
        "whole-float-cell",
        "fractional-float-cell",
        "float-point-one-not-binary",
        "decimal-cell",
    ],
)
def test_money_parses_to_exact_wan(raw: object, expected: str) -> None:
    result = parse_money_wan(raw)
    assert isinstance(result, Decimal)
    assert result == Decimal(expected)
    assert str(result) == expected


def test_money_with_yi_unit_converts_to_wan() -> None:
    assert parse_money_wan("1.2亿元") == Decimal("12000")
    assert parse_money_wan("0.06亿") == Decimal("600")  # 1亿 = 10000万
    assert parse_money_wan("0.0001亿") == Decimal("1")


def test_money_in_yuan_converts_to_wan_exactly() -> None:
    assert parse_money_wan("6,000,000元") == Decimal("600")
    assert parse_money_wan("1元") == Decimal("0.0001")


def test_money_wan_prints_as_plain_integer_not_exponent() -> None:
    assert str(parse_money_wan("600万元")) == "600"
    assert str(parse_money_wan("0.06亿")) == "600"
    assert str(parse_money_wan("1亿元")) == "10000"


def test_money_float_cell_has_no_binary_rounding_noise() -> None:
    assert parse_money_wan(0.1) == Decimal("0.1")
    assert parse_money_wan(1234.5) == Decimal("1234.5")
    # not the binary expansion 0.1000000000000000055511151231257827…
    assert parse_money_wan(0.1).as_tuple().digits == (1,)  # type: ignore[union-attr]


def test_money_trailing_zeros_do_not_matter_for_equality() -> None:
    assert parse_money_wan("600.50万元") == parse_money_wan("600.5")
    assert str(parse_money_wan("600.50万元")) == "600.5"


# ---------------------------------------------------------------------------- dates


class _FakeTimestamp:
    """Anything with a .date() method, like a pandas Timestamp."""

    def date(self) -> dt.date:
        return dt.date(2019, 3, 14)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2019-03-14", dt.date(2019, 3, 14)),
        ("2019/3/14", dt.date(2019, 3, 14)),
        ("2019.3.14", dt.date(2019, 3, 14)),
        ("2019年3月14日", dt.date(2019, 3, 14)),
        ("2019年3月14", dt.date(2019, 3, 14)),
        ("2019 年 3 月 14 日", dt.date(2019, 3, 14)),
        ("20190314", dt.date(2019, 3, 14)),
        ("２０１９年３月１４日", dt.date(2019, 3, 14)),
        ("２０１９－０３－１４", dt.date(2019, 3, 14)),
        ("2019-03-14 00:00:00", dt.date(2019, 3, 14)),
        ("2019-03-14T08:30", dt.date(2019, 3, 14)),
        (" 2019-03-14\u3000", dt.date(2019, 3, 14)),
        (43538, dt.date(2019, 3, 14)),
        (43538.0, dt.date(2019, 3, 14)),
        (43538.75, dt.date(2019, 3, 14)),
        ("43538", dt.date(2019, 3, 14)),
        (20190314, dt.date(2019, 3, 14)),
        (dt.date(2019, 3, 14), dt.date(2019, 3, 14)),
        (dt.datetime(2019, 3, 14, 15, 30), dt.date(2019, 3, 14)),
        (_FakeTimestamp(), dt.date(2019, 3, 14)),
        ("2020-02-29", dt.date(2020, 2, 29)),
    ],
    ids=[
        "iso",
        "slashes",
        "dots",
        "chinese",
        "chinese-without-ri",
        "chinese-with-spaces",
        "compact",
        "chinese-fullwidth-digits",
        "iso-fullwidth",
        "iso-with-midnight",
        "iso-with-T-time",
        "surrounding-spaces",
        "excel-serial-int",
        "excel-serial-float",
        "excel-serial-with-time",
        "excel-serial-string",
        "compact-number-cell",
        "date-object",
        "datetime-object",
        "duck-typed-timestamp",
        "leap-day",
    ],
)
def test_date_parses_messy_inputs(raw: object, expected: dt.date) -> None:
    result = parse_date(raw)
    assert result == expected
    assert type(result) is dt.date


def test_date_from_pandas_timestamp() -> None:
    pd = pytest.importorskip("pandas")
    assert parse_date(pd.Timestamp("2019-03-14 10:00")) == dt.date(2019, 3, 14)


def test_date_excel_serial_uses_1899_12_30_epoch() -> None:
    assert parse_date(43538) == dt.date(2019, 3, 14)
    assert parse_date(43539) == dt.date(2019, 3, 15)
    assert parse_date(36526) == dt.date(2000, 1, 1)


# ---------------------------------------------------------------------------- yes / no


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("是", True),
        ("有", True),
        ("√", True),
        ("✓", True),
        ("✔", True),
        ("Y", True),
        ("yes", True),
        ("True", True),
        ("1", True),
        (1, True),
        (1.0, True),
        ("ｙｅｓ", True),
        (" 是 ", True),
        (True, True),
        ("否", False),
        ("无", False),
        ("没有", False),
        ("×", False),
        ("✗", False),
        ("✘", False),
        ("x", False),
        ("N", False),
        ("no", False),
        ("FALSE", False),
        ("0", False),
        (0, False),
        (False, False),
    ],
    ids=[
        "shi",
        "you",
        "check",
        "check-light",
        "check-heavy",
        "Y",
        "yes-lower",
        "True-mixed",
        "one-text",
        "one-int",
        "one-float",
        "yes-fullwidth",
        "shi-spaces",
        "bool-true",
        "fou",
        "wu",
        "meiyou",
        "times",
        "ballot-x",
        "ballot-x-heavy",
        "x-lower",
        "N",
        "no-lower",
        "FALSE",
        "zero-text",
        "zero-int",
        "bool-false",
    ],
)
def test_bool_accepts_chinese_marks_and_english(raw: object, expected: bool) -> None:
    assert parse_bool(raw) is expected


# ---------------------------------------------------------------------------- integers and years


@pytest.mark.parametrize(
    ("raw", "unit", "expected"),
    [
        (25, "", 25),
        (25.0, "", 25),
        ("25", "", 25),
        ("２５", "", 25),
        ("1,200", "", 1200),
        (" 25 ", "", 25),
        ("25人", "人", 25),
        ("25 人", "人", 25),
        ("２５人", "人", 25),
        ("3个", "", 3),
        ("3项", "", 3),
        ("3家", "人", 3),
        ("3件", "", 3),
        ("25.0", "", 25),
        (0, "", 0),
        (Decimal("7"), "", 7),
    ],
    ids=[
        "int",
        "whole-float",
        "text",
        "fullwidth-digits",
        "thousands",
        "spaces",
        "given-unit",
        "given-unit-with-space",
        "fullwidth-with-unit",
        "ge",
        "xiang",
        "jia-with-other-unit-given",
        "jian",
        "whole-decimal-text",
        "zero",
        "decimal",
    ],
)
def test_int_parses_counts(raw: object, unit: str, expected: int) -> None:
    result = parse_int(raw, unit=unit)
    assert result == expected
    assert type(result) is int


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(2020, 2020), ("2020", 2020), ("2020年", 2020), ("2020年度", 2020), (2020.0, 2020),
     ("２０２０", 2020), (" 2021 ", 2021), (1990, 1990), (2100, 2100)],
    ids=["int", "text", "nian", "niandu", "float", "fullwidth", "spaces", "min", "max"],
)  # fmt: skip
def test_year_parses_four_digit_years(raw: object, expected: int) -> None:
    result = parse_year(raw)
    assert result == expected
    assert type(result) is int


# ---------------------------------------------------------------------------- members


def test_members_split_on_mixed_separators_with_types_in_both_brackets() -> None:
    raw = (
        "洛阳LYC轴承有限公司(企业)；河南科技大学（高校）、洛阳轴承研究所有限公司;"
        "中信重工机械股份有限公司，中国一拖集团有限公司, 洛阳理工学院（ 高校 ）\n"
        "洛阳市轴承行业协会\r\n\n"
    )
    assert split_members(raw) == [
        ("洛阳LYC轴承有限公司", "企业"),
        ("河南科技大学", "高校"),
        ("洛阳轴承研究所有限公司", None),
        ("中信重工机械股份有限公司", None),
        ("中国一拖集团有限公司", None),
        ("洛阳理工学院", "高校"),
        ("洛阳市轴承行业协会", None),
    ]


def test_members_empty_items_are_dropped() -> None:
    assert split_members("；；甲公司、 、\n\n乙公司；") == [("甲公司", None), ("乙公司", None)]


def test_members_duplicates_kept_once_first_wins_order_preserved() -> None:
    raw = "乙公司(企业)；甲公司；乙 公司（高校）；甲公司(企业)；丙公司"
    assert split_members(raw) == [("乙公司", "企业"), ("甲公司", None), ("丙公司", None)]


def test_members_parentheses_inside_a_name_stay_in_the_name() -> None:
    assert split_members("中航光电(洛阳)有限公司；北京某某（洛阳）科技有限公司(企业)") == [
        ("中航光电(洛阳)有限公司", None),
        ("北京某某(洛阳)科技有限公司", "企业"),
    ]


def test_members_names_are_nfkc_normalised() -> None:
    assert split_members("ＬＹＣ  轴承\u3000公司（企业）") == [("LYC 轴承 公司", "企业")]


def test_members_empty_type_means_no_type() -> None:
    assert split_members("甲公司（ ）") == [("甲公司", None)]


# ---------------------------------------------------------------------------- CSV bytes

CSV_TEXT = "中心名称,所在县区,注册资本\n洛阳轴承创新中心,涧西区,600万元\n"


def test_csv_gbk_bytes_decode_and_are_labelled_gbk() -> None:
    assert decode_csv_bytes(CSV_TEXT.encode("gbk")) == (CSV_TEXT, "GBK")


def test_csv_utf8_bom_bytes_decode_without_the_bom() -> None:
    text, label = decode_csv_bytes(CSV_TEXT.encode("utf-8-sig"))
    assert (text, label) == (CSV_TEXT, "UTF-8-BOM")
    assert not text.startswith("\ufeff")


def test_csv_plain_utf8_bytes_decode_as_utf8() -> None:
    assert decode_csv_bytes(CSV_TEXT.encode("utf-8")) == (CSV_TEXT, "UTF-8")


def test_csv_gb18030_only_characters_decode() -> None:
    text = "中心名称\n𠀀公司\n"  # outside GBK, inside GB18030
    assert decode_csv_bytes(text.encode("gb18030")) == (text, "GBK")


@pytest.mark.parametrize(
    "raw",
    [
        b"\xff\xfe" + "中心名称".encode("utf-16-le"),
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00",
        b"\xef\xbb\xbf" + "中心名称".encode("gbk"),
        b"\x81\x30",
    ],
    ids=["utf16", "xlsx-zip", "bom-then-gbk", "truncated-gb18030"],
)
def test_csv_undecodable_bytes_are_refused(raw: bytes) -> None:
    with pytest.raises(ValueParseError) as info:
        decode_csv_bytes(raw)
    assert info.value.reason == "文件编码无法识别"
    assert info.value.accepted == "UTF-8、带BOM的UTF-8 或 GBK 编码的 CSV 文件"


# ---------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("parser", "raw", "example"),
    [
        (parse_money_wan, "-600", "600万元"),
        (parse_money_wan, -600, "600万元"),
        (parse_money_wan, -0.5, "600万元"),
        (parse_money_wan, "未知", "600万元"),
        (parse_money_wan, "万元", "600万元"),
        (parse_money_wan, "600美元", "600万元"),
        (parse_money_wan, "600千元", "600万元"),
        (parse_money_wan, "600-700万", "600万元"),
        (parse_money_wan, "600万～700万", "600万元"),
        (parse_money_wan, "约600万", "600万元"),
        (parse_money_wan, "600万左右", "600万元"),
        (parse_money_wan, "600多万", "600万元"),
        (parse_money_wan, True, "600万元"),
        (parse_money_wan, "60,00万", "600万元"),
        (parse_money_wan, float("inf"), "600万元"),
        (parse_date, "2019-02-30", "2019-03-14"),
        (parse_date, "2019年13月1日", "2019-03-14"),
        (parse_date, "1989-12-31", "2019-03-14"),
        (parse_date, "2101-01-01", "2019-03-14"),
        (parse_date, dt.date(1985, 1, 1), "2019-03-14"),
        (parse_date, "3/14/2019", "2019-03-14"),
        (parse_date, "14/3/2019", "2019-03-14"),
        (parse_date, "下个月", "2019-03-14"),
        (parse_date, "2019年3月", "2019-03-14"),
        (parse_date, "2019-3/14", "2019-03-14"),
        (parse_date, 123, "2019-03-14"),
        (parse_date, "12345", "2019-03-14"),
        (parse_date, 90000, "2019-03-14"),
        (parse_date, True, "2019-03-14"),
        (parse_bool, "可能", "是/否"),
        (parse_bool, "2", "是/否"),
        (parse_bool, 2, "是/否"),
        (parse_bool, "是否", "是/否"),
        (parse_int, "25.5", "25"),
        (parse_int, 25.5, "25"),
        (parse_int, "-3", "25"),
        (parse_int, -3, "25"),
        (parse_int, "若干", "25"),
        (parse_int, "25人", "25"),
        (parse_int, True, "25"),
        (parse_int, "1,20", "25"),
        (parse_year, "20", "2020"),
        (parse_year, "1989", "2020"),
        (parse_year, 2101, "2020"),
        (parse_year, 2020.5, "2020"),
        (parse_year, "二〇二〇年", "2020"),
        (parse_year, "2020-2021", "2020"),
        (parse_year, True, "2020"),
    ],
    ids=[
        "money-negative-text",
        "money-negative-int",
        "money-negative-float",
        "money-no-number",
        "money-unit-only",
        "money-foreign-currency",
        "money-qian-yuan",
        "money-range",
        "money-range-tilde",
        "money-approximate-yue",
        "money-approximate-zuoyou",
        "money-approximate-duo",
        "money-bool",
        "money-bad-grouping",
        "money-infinity",
        "date-feb-30",
        "date-month-13",
        "date-before-1990",
        "date-after-2100",
        "date-object-before-1990",
        "date-month-first-ambiguous",
        "date-day-first-ambiguous",
        "date-free-text",
        "date-no-day",
        "date-mixed-separators",
        "date-small-number",
        "date-serial-string-out-of-range",
        "date-serial-out-of-range",
        "date-bool",
        "bool-free-text",
        "bool-two-text",
        "bool-two-int",
        "bool-both-words",
        "int-decimal-text",
        "int-decimal-float",
        "int-negative-text",
        "int-negative-int",
        "int-free-text",
        "int-unit-not-allowed",
        "int-bool",
        "int-bad-grouping",
        "year-two-digits",
        "year-before-1990",
        "year-after-2100",
        "year-fraction",
        "year-chinese-numerals",
        "year-range",
        "year-bool",
    ],
)
def test_refused_values_explain_reason_and_accepted_formats(
    parser: object, raw: object, example: str
) -> None:
    assert callable(parser)
    with pytest.raises(ValueParseError) as info:
        parser(raw)
    assert_refusal_explains_itself(info.value, example)


def test_refused_money_lists_the_accepted_units_and_examples() -> None:
    with pytest.raises(ValueParseError) as info:
        parse_money_wan("600千元")
    assert "千元" in info.value.reason
    for example in ("600万元", "1.2亿元", "6,000,000元", "万元"):
        assert example in info.value.accepted


def test_refused_approximate_money_says_it_is_approximate() -> None:
    with pytest.raises(ValueParseError) as info:
        parse_money_wan("约600万")
    assert "约数" in info.value.reason


def test_refused_range_money_says_multiple_numbers() -> None:
    with pytest.raises(ValueParseError) as info:
        parse_money_wan("600-700万")
    assert "多个数字" in info.value.reason


def test_refused_invalid_calendar_date_says_it_does_not_exist() -> None:
    with pytest.raises(ValueParseError) as info:
        parse_date("2019-02-30")
    assert "不存在" in info.value.reason
    assert "2019年3月14日" in info.value.accepted


def test_refused_ambiguous_date_says_it_is_ambiguous() -> None:
    with pytest.raises(ValueParseError) as info:
        parse_date("3/14/2019")
    assert "歧义" in info.value.reason


def test_refused_int_accepted_text_mentions_the_given_unit() -> None:
    with pytest.raises(ValueParseError) as info:
        parse_int("25.5人", unit="人")
    assert "25人" in info.value.accepted


def test_refused_bool_lists_the_chinese_marks() -> None:
    with pytest.raises(ValueParseError) as info:
        parse_bool("可能")
    assert "是/否、有/无、√/×" in info.value.accepted


def test_refused_member_without_name() -> None:
    with pytest.raises(ValueParseError) as info:
        split_members("甲公司；（企业）")
    assert_refusal_explains_itself(info.value, "(企业)")


def test_refused_member_with_unbalanced_bracket() -> None:
    with pytest.raises(ValueParseError) as info:
        split_members("甲公司（企业")
    assert_refusal_explains_itself(info.value, "(企业)")
