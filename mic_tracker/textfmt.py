"""How figures and dates are written where people read them (zh-CN)."""

from __future__ import annotations

import datetime as dt


def date_cn(day: dt.date) -> str:
    """2020年6月30日 — no leading zeros, as Chinese official documents write dates."""
    return f"{day.year}年{day.month}月{day.day}日"
