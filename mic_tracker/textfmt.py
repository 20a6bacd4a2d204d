"""How figures and dates are written where people read them (zh-CN)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pandas as pd

UNSET = "未填"
WAN_PER_YI = 10000


def date_cn(day: dt.date) -> str:
    """2020年6月30日 — no leading zeros, as Chinese official documents write dates."""
    return f"{day.year}年{day.month}月{day.day}日"


def is_missing(value: Any) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _number(value: float | Decimal) -> str:
    """A number without trailing zeros: 1.20 → 1.2, 600.0 → 600."""
    text = f"{Decimal(str(value)).quantize(Decimal('0.0001')):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def money_cn(wan: float | Decimal | None) -> str:
    """An amount in 万元 as people read it: 600 → 600万元, 12000 → 1.2亿元, none → 未填."""
    if is_missing(wan):
        return UNSET
    assert wan is not None
    amount = Decimal(str(wan))
    if abs(amount) >= WAN_PER_YI:
        return f"{_number(amount / WAN_PER_YI)}亿元"
    return f"{_number(amount)}万元"
