"""Cell-value parsers for the bureau's import workbooks (Excel or CSV).

Every parser takes whatever a spreadsheet cell may hold (str, int, float, Decimal,
date/datetime, pandas/numpy scalars, None) and returns a clean Python value, or raises
`ValueParseError(reason, accepted)` with both texts in Chinese. An empty cell (None,
"", whitespace only, NaN, pandas NaT/NA) gives None from every parser; whether a value
is required is the caller's business.

Pure functions; the only one that deals with bytes is `decode_csv_bytes`.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re
import unicodedata
from decimal import Decimal, InvalidOperation, localcontext

from mic_tracker.errors import ValueParseError

__all__ = [
    "ACCEPTED_BOOL",
    "ACCEPTED_DATE",
    "ACCEPTED_MEMBERS",
    "ACCEPTED_MONEY",
    "ACCEPTED_YEAR",
    "YEAR_MAX",
    "YEAR_MIN",
    "decode_csv_bytes",
    "normalize_name",
    "normalize_text",
    "parse_bool",
    "parse_date",
    "parse_int",
    "parse_money_wan",
    "parse_year",
    "split_members",
]

YEAR_MIN = 1990
YEAR_MAX = 2100

ACCEPTED_MONEY = (
    "非负数字，单位可为 元/万元/亿元（默认万元；不接受千元、外币），"
    "如 600、600万、600万元、0.06亿、1.2亿元、6,000,000元、¥600"
)
ACCEPTED_DATE = (
    "Excel 日期单元格，或 2019-03-14、2019/3/14、2019.3.14、2019年3月14日、20190314"
    f"（年份 {YEAR_MIN}–{YEAR_MAX}）"
)
ACCEPTED_BOOL = "是/否、有/无、√/×（也可为 Y/N、TRUE/FALSE、1/0）"
ACCEPTED_YEAR = f"{YEAR_MIN}–{YEAR_MAX} 之间的四位年份，如 2020、2020年"
ACCEPTED_MEMBERS = (
    "成员单位名称，用 ；、， 或换行分隔，每项可带类型，如 洛阳轴承集团(企业)；河南科技大学（高校）"
)

# Characters that are invisible but not whitespace to str.split(); dropped everywhere.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))

_WAN_SHIFT = {"": 0, "万": 0, "万元": 0, "元": -4, "亿": 4, "亿元": 4}
_APPROXIMATE = ("约", "大约", "大概", "左右", "上下", "近", "超过", "以上", "以下", "多", "余")
_MINUS = ("-", "−", "–", "—")

_BOOL_TRUE = frozenset({"是", "有", "√", "✓", "✔", "Y", "YES", "TRUE", "1"})
_BOOL_FALSE = frozenset({"否", "无", "没有", "×", "✗", "✘", "X", "N", "NO", "FALSE", "0"})

_INT_UNITS = ("个", "项", "家", "件")

_MEMBER_SEPARATORS = re.compile(r"[;,、\n\r\u2028\u2029]+")
_MEMBER_WITH_TYPE = re.compile(r"^(?P<name>.*?)\s*\((?P<type>[^()]*)\)$")


# ---------------------------------------------------------------------------- helpers


def _is_missing(value: object) -> bool:
    """None, NaN (float, numpy or Decimal) and pandas' NaT / NA count as an empty cell."""
    if value is None:
        return True
    if isinstance(value, Decimal):
        return value.is_nan()
    if isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral):
        return math.isnan(float(value))
    return type(value).__name__ in {"NaTType", "NAType"}


def _is_bool(value: object) -> bool:
    """Python bools and numpy bools (which are not `bool` subclasses)."""
    return isinstance(value, bool) or type(value).__name__ == "bool_"


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(_INVISIBLE)


def _number_text(value: numbers.Real | Decimal) -> str:
    """A number as a spreadsheet user would write it: whole numbers without '.0'."""
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            return str(value)
        if value == value.to_integral_value():
            return str(int(value))
        return format(value.normalize(), "f")
    as_float = float(value)
    if math.isfinite(as_float) and as_float.is_integer():
        return str(int(as_float))
    return str(value)


def _tidy(amount: Decimal) -> Decimal:
    """Normalise so trailing zeros don't matter, without turning 600 into 6E+2."""
    with localcontext() as ctx:
        ctx.prec = 60
        amount = amount.normalize()
        if amount == amount.to_integral_value():
            amount = amount.quantize(Decimal(1))
        if amount.is_zero():
            amount = abs(amount)  # no "-0"
    return amount


def _strip_grouping(digits: str, accepted: str) -> str:
    """Remove thousands separators from an unsigned number, checking they sit every 3 digits."""
    if "," not in digits:
        return digits
    whole, dot, fraction = digits.partition(".")
    if not re.fullmatch(r"\d{1,3}(?:,\d{3})+", whole) or "," in fraction:
        raise ValueParseError(f"千位分隔符位置不正确：{digits}", accepted)
    return whole.replace(",", "") + dot + fraction


def _whole_number(value: numbers.Real | Decimal, what: str, accepted: str) -> int:
    """A numeric cell as a non-negative int; refuses fractions and negatives."""
    if isinstance(value, numbers.Integral):
        number = int(value)
    else:
        exact = value if isinstance(value, Decimal) else Decimal(str(float(value)))
        if not exact.is_finite():
            raise ValueParseError(f"{what}不是有效数字：{value}", accepted)
        if exact != exact.to_integral_value():
            raise ValueParseError(f"{what}必须是整数，不能有小数：{_number_text(value)}", accepted)
        number = int(value)
    if number < 0:
        raise ValueParseError(f"{what}不能为负数：{number}", accepted)
    return number


# ---------------------------------------------------------------------------- text


def normalize_text(value: object) -> str | None:
    """NFKC, trimmed, internal whitespace runs collapsed to one space; empty → None.

    Whole numbers (Excel gives 410305.0 for a typed 410305) come back without '.0'.
    """
    if _is_missing(value):
        return None
    if not _is_bool(value) and isinstance(value, numbers.Real | Decimal):
        text = _number_text(value)
    else:
        text = str(value)
    text = " ".join(_nfkc(text).split())
    return text or None


def normalize_name(value: object) -> str | None:
    """The matching key for names: normalize_text with every whitespace removed."""
    text = normalize_text(value)
    if text is None:
        return None
    return text.replace(" ", "") or None


# ---------------------------------------------------------------------------- money


def parse_money_wan(value: object) -> Decimal | None:
    """An amount in 万元, exact. Bare numbers (and numeric cells) are already 万元."""
    if _is_missing(value):
        return None
    if _is_bool(value):
        raise ValueParseError("金额不能是是/否值", ACCEPTED_MONEY)
    if isinstance(value, Decimal | numbers.Real):
        if isinstance(value, Decimal):
            amount = value
        elif isinstance(value, numbers.Integral):
            amount = Decimal(int(value))
        else:
            # str() is the shortest repr: 1234.5 → Decimal("1234.5"), not the binary expansion.
            amount = Decimal(str(float(value)))
        if not amount.is_finite():
            raise ValueParseError(f"金额不是有效数字：{value}", ACCEPTED_MONEY)
        if amount < 0:
            raise ValueParseError(f"金额不能为负数：{_number_text(value)}", ACCEPTED_MONEY)
        return _tidy(amount)

    text = normalize_text(value)
    if text is None:
        return None
    compact = text.replace(" ", "").upper()
    if compact.startswith(("¥", "￥")):
        compact = compact[1:]
    if compact.startswith("RMB"):
        compact = compact[3:]
    if any(word in compact for word in _APPROXIMATE) or compact.startswith(("~", "≈")):
        raise ValueParseError(f"金额须为确切数字，不能是约数：{text}", ACCEPTED_MONEY)
    if compact.startswith(_MINUS):
        raise ValueParseError(f"金额不能为负数：{text}", ACCEPTED_MONEY)
    numbers_found = re.findall(r"\d[\d,]*(?:\.\d+)?", compact)
    if not numbers_found:
        raise ValueParseError(f"金额中没有数字：{text}", ACCEPTED_MONEY)
    if len(numbers_found) > 1:
        raise ValueParseError(f"金额只能填一个数字，不能是多个数字或范围：{text}", ACCEPTED_MONEY)
    match = re.fullmatch(r"(?P<number>\d[\d,]*(?:\.\d+)?)(?P<unit>.*)", compact)
    if match is None:
        raise ValueParseError(f"无法识别的金额：{text}", ACCEPTED_MONEY)
    unit = match["unit"]
    if unit not in _WAN_SHIFT:
        raise ValueParseError(f"无法识别的金额单位「{unit}」：{text}", ACCEPTED_MONEY)
    digits = _strip_grouping(match["number"], ACCEPTED_MONEY)
    try:
        amount = Decimal(digits)
    except InvalidOperation:  # pragma: no cover - the regex only lets digits through
        raise ValueParseError(f"无法识别的金额：{text}", ACCEPTED_MONEY) from None
    with localcontext() as ctx:
        ctx.prec = 60
        amount = amount.scaleb(_WAN_SHIFT[unit])
    return _tidy(amount)


# ---------------------------------------------------------------------------- dates

_EXCEL_EPOCH = dt.date(1899, 12, 30)
_SERIAL_MIN = 20000
_SERIAL_MAX = 80000

_DATE_SEPARATED = re.compile(
    r"(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)
_DATE_CHINESE = re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日?")
_DATE_COMPACT = re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})")
_DATE_DAY_FIRST_OR_MONTH_FIRST = re.compile(r"\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}")


def _checked_date(year: int, month: int, day: int, text: str) -> dt.date:
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise ValueParseError(
            f"日期的年份 {year} 超出范围（{YEAR_MIN}–{YEAR_MAX}）：{text}", ACCEPTED_DATE
        )
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueParseError(
            f"日期不存在：{year}年{month}月{day}日（{text}）", ACCEPTED_DATE
        ) from None


def _in_range(day: dt.date, text: str) -> dt.date:
    return _checked_date(day.year, day.month, day.day, text)


def _from_serial(serial: int, text: str) -> dt.date:
    if not _SERIAL_MIN <= serial <= _SERIAL_MAX:
        raise ValueParseError(f"无法识别的日期：{text}", ACCEPTED_DATE)
    return _in_range(_EXCEL_EPOCH + dt.timedelta(days=serial), text)


def parse_date(value: object) -> dt.date | None:
    """A calendar date from an Excel date cell, an Excel serial number or a written date."""
    if _is_missing(value):
        return None
    if _is_bool(value):
        raise ValueParseError("日期不能是是/否值", ACCEPTED_DATE)
    if isinstance(value, dt.datetime):
        return _in_range(value.date(), str(value))
    if isinstance(value, dt.date):
        return _in_range(value, str(value))
    if not isinstance(value, str | numbers.Real | Decimal):
        to_date = getattr(value, "date", None)  # pandas Timestamp and friends
        if callable(to_date):
            result = to_date()
            if isinstance(result, dt.date):
                return _in_range(result, str(value))
    if isinstance(value, numbers.Real | Decimal):
        text = _number_text(value)
        number = float(value)
        if not math.isfinite(number) or number < 0:
            raise ValueParseError(f"无法识别的日期：{text}", ACCEPTED_DATE)
        whole = int(number)  # a fraction is the time of day in an Excel serial
        if whole == number and 10_000_000 <= whole <= 99_999_999:
            # 20190314 typed into a number cell
            return _checked_date(whole // 10_000, whole // 100 % 100, whole % 100, text)
        return _from_serial(whole, text)

    text = normalize_text(value)
    if text is None:
        return None
    compact = text.replace(" ", "")
    for pattern, candidate in (
        (_DATE_SEPARATED, text),
        (_DATE_CHINESE, compact),
        (_DATE_COMPACT, compact),
    ):
        match = pattern.fullmatch(candidate)
        if match:
            return _checked_date(int(match["y"]), int(match["m"]), int(match["d"]), text)
    if re.fullmatch(r"\d{5}", compact):
        return _from_serial(int(compact), text)
    if _DATE_DAY_FIRST_OR_MONTH_FIRST.fullmatch(compact):
        raise ValueParseError(
            f"日期有歧义，无法确定日和月的顺序：{text}（请按 年-月-日 填写）", ACCEPTED_DATE
        )
    raise ValueParseError(f"无法识别的日期：{text}", ACCEPTED_DATE)


# ---------------------------------------------------------------------------- yes / no


def parse_bool(value: object) -> bool | None:
    """是/否, 有/无, √/× and the usual English and 1/0 spellings."""
    if _is_missing(value):
        return None
    if _is_bool(value):
        return bool(value)
    text = normalize_text(value)
    if text is None:
        return None
    key = text.replace(" ", "").upper()
    if key in _BOOL_TRUE:
        return True
    if key in _BOOL_FALSE:
        return False
    raise ValueParseError(f"无法识别的是/否值：{text}", ACCEPTED_BOOL)


# ---------------------------------------------------------------------------- integers


def parse_int(value: object, unit: str = "") -> int | None:
    """A non-negative whole number, optionally followed by `unit` or 个/项/家/件."""
    units = tuple(u for u in (_nfkc(unit).strip(), *_INT_UNITS) if u)
    example = f"25{units[0]}"
    accepted = f"非负整数，如 25、1,200、{example}（可带单位 {'/'.join(units)}）"
    if _is_missing(value):
        return None
    if _is_bool(value):
        raise ValueParseError("数量不能是是/否值", accepted)
    if isinstance(value, numbers.Real | Decimal):
        return _whole_number(value, "数量", accepted)

    text = normalize_text(value)
    if text is None:
        return None
    compact = text.replace(" ", "")
    for word in sorted(units, key=len, reverse=True):
        if compact.endswith(word) and len(compact) > len(word):
            compact = compact[: -len(word)]
            break
    if compact.startswith(_MINUS) and re.fullmatch(r"\d[\d,]*(?:\.\d+)?", compact[1:]):
        raise ValueParseError(f"数量不能为负数：{text}", accepted)
    match = re.fullmatch(r"\d[\d,]*(?:\.\d+)?", compact)
    if match is None:
        if re.search(r"\d", compact):
            raise ValueParseError(f"无法识别的数量或单位：{text}", accepted)
        raise ValueParseError(f"数量中没有数字：{text}", accepted)
    return _whole_number(Decimal(_strip_grouping(compact, accepted)), "数量", accepted)


def parse_year(value: object) -> int | None:
    """A four-digit year within 1990–2100: 2020, "2020", "2020年", "2020年度", 2020.0."""
    if _is_missing(value):
        return None
    if _is_bool(value):
        raise ValueParseError("年份不能是是/否值", ACCEPTED_YEAR)
    if isinstance(value, numbers.Real | Decimal):
        year = _whole_number(value, "年份", ACCEPTED_YEAR)
        text = str(year)
    else:
        text = normalize_text(value) or ""
        if not text:
            return None
        match = re.fullmatch(r"(\d{4})(?:年度?)?", text.replace(" ", ""))
        if match is None:
            raise ValueParseError(f"无法识别的年份：{text}", ACCEPTED_YEAR)
        year = int(match[1])
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise ValueParseError(f"年份超出范围（{YEAR_MIN}–{YEAR_MAX}）：{text}", ACCEPTED_YEAR)
    return year


# ---------------------------------------------------------------------------- members


def split_members(value: object) -> list[tuple[str, str | None]]:
    """A member list → [(name, type or None)], in order, each name once (first wins).

    Names are compared by `normalize_name`, so "洛阳 轴承" and "洛阳轴承" are one member.
    A trailing "(类型)" / "（类型）" is split off as the type; parentheses elsewhere in a
    name (e.g. "中航光电(洛阳)有限公司") stay part of the name.
    """
    if _is_missing(value):
        return []
    raw = value if isinstance(value, str) else (normalize_text(value) or "")
    members: list[tuple[str, str | None]] = []
    seen: set[str] = set()
    for piece in _MEMBER_SEPARATORS.split(_nfkc(raw)):
        item = normalize_text(piece)
        if item is None:
            continue
        if item.count("(") != item.count(")"):
            raise ValueParseError(f"成员单位的括号不配对：{item}", ACCEPTED_MEMBERS)
        name: str | None = item
        kind: str | None = None
        match = _MEMBER_WITH_TYPE.fullmatch(item)
        if match:
            name = normalize_text(match["name"])
            kind = normalize_text(match["type"])
        if name is None:
            raise ValueParseError(f"成员单位缺少名称：{item}", ACCEPTED_MEMBERS)
        key = normalize_name(name) or name
        if key in seen:
            continue
        seen.add(key)
        members.append((name, kind))
    return members


# ---------------------------------------------------------------------------- CSV bytes

_UTF8_BOM = b"\xef\xbb\xbf"
_CSV_UNREADABLE = ("文件编码无法识别", "UTF-8、带BOM的UTF-8 或 GBK 编码的 CSV 文件")


def decode_csv_bytes(raw: bytes) -> tuple[str, str]:
    """Decode a CSV file's bytes: UTF-8 with BOM, UTF-8, then GB18030 (reported as "GBK").

    Text containing NUL characters (UTF-16 files, a renamed .xlsx) is refused too.
    """
    if raw.startswith(_UTF8_BOM):
        # A BOM says UTF-8; falling back to GBK would only turn it into mojibake.
        attempts = [("utf-8-sig", "UTF-8-BOM")]
    else:
        attempts = [("utf-8", "UTF-8"), ("gb18030", "GBK")]
    for codec, label in attempts:
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text, label
    raise ValueParseError(*_CSV_UNREADABLE)
