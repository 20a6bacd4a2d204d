"""The briefing's sentences: three to five plain statements generated from the figures.

Written for a leader who reads them in two minutes: the headline target with its gap and the
forecast range, the other titles, the lights, the pace that closes the gaps, and the risks.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from mic_tracker.downloads import KINDS, filter_names
from mic_tracker.i18n import t
from mic_tracker.policy import load_plan
from mic_tracker.report import STATUS_LABELS, Filters
from mic_tracker.textfmt import date_cn

HEADLINE = "city"  # the plan's main 2025 target: 20 city-level centers
STATUS_ORDER = ("met", "on_track", "at_risk", "off_track", "missed")


def date_text(day: dt.date, lang: str) -> str:
    return day.strftime("%-d %B %Y") if lang == "en" else date_cn(day)


def filters_line(filters: Filters, lang: str, scope_note: str = "") -> str:
    """筛选：全部（全市） or the chosen filters, saying the targets stay city-wide."""
    names = filter_names(filters)
    if not names:
        return t("筛选：无（全市）", lang) + scope_note
    parts = t("；", lang).join(
        f"{t(KINDS[k][0], lang, ctx='filter')}{t('：', lang)}{'、'.join(v)}"
        for k, v in names.items()
    )
    return t("筛选：{parts}（目标仍为全市目标）", lang, parts=parts) + scope_note


def target_text(row: dict[str, Any]) -> str:
    """20, or 1–2 where the plan gives a range (national 2025)."""
    if row["target_max"] > row["target"]:
        return f"{row['target']}–{row['target_max']}"
    return str(row["target"])


def span(low: int, high: int) -> str:
    """11–19, or 1 when the range is one number."""
    return str(low) if low == high else f"{low}–{high}"


def _metric(metric: str, lang: str) -> str:
    return t(load_plan().metrics[metric], lang, ctx="plural")


def _latest(fig: dict[str, Any], metric: str) -> dict[str, Any] | None:
    """The metric's target with the latest deadline (2025 for city, province, national)."""
    rows = [r for r in fig["targets"] if r["metric"] == metric]
    return max(rows, key=lambda r: r["year"]) if rows else None


def headline(fig: dict[str, Any], lang: str) -> str:
    as_of = dt.date.fromisoformat(fig["as_of"])
    r = _latest(fig, HEADLINE)
    assert r is not None
    # Once the deadline has passed, the row's count is the one at the deadline: say so.
    counted_on = min(as_of, dt.date.fromisoformat(r["deadline"]))
    values = {
        "date": date_text(counted_on, lang),
        "metric": _metric(HEADLINE, lang),
        "held": r["actual"],
        "year": r["year"],
        "target": target_text(r),
        "gap": r["gap"],
    }
    if r["gap"] == 0:
        return t("截至{date}，{metric}{held}家，已达到{year}年目标{target}家。", lang, **values)
    if r["forecast"] is None:
        return t(
            "截至{date}，{metric}{held}家，{year}年目标{target}家未达成，差{gap}家。",
            lang,
            **values,
        )
    low, high = r["forecast"]
    return t(
        "截至{date}，{metric}{held}家，距{year}年目标{target}家还差{gap}家，"
        "按当前进度预计到{year}年底可达{span}家。",
        lang,
        span=span(low, high),
        **values,
    )


def others(fig: dict[str, Any], lang: str) -> str:
    parts = []
    for metric in ("province", "national"):
        r = _latest(fig, metric)
        if r is None:
            continue
        values = {
            "metric": _metric(metric, lang),
            "held": r["actual"],
            "year": r["year"],
            "target": target_text(r),
            "gap": r["gap"],
        }
        if r["gap"] == 0:
            parts.append(t("{metric}{held}家，已达到{year}年目标（{target}家）", lang, **values))
        elif r["forecast"] is None:
            parts.append(t("{metric}{held}家，{year}年目标{target}家未达成", lang, **values))
        else:
            low, high = r["forecast"]
            parts.append(
                t(
                    "{metric}{held}家，{year}年目标{target}家，还差{gap}家，预计可达{span}家",
                    lang,
                    span=span(low, high),
                    **values,
                )
            )
    return t("；", lang).join(parts) + t("。", lang)


def lights(fig: dict[str, Any], lang: str) -> str:
    tally = {s: sum(r["status"] == s for r in fig["targets"]) for s in STATUS_ORDER}
    parts = [
        t("{label}{n}项", lang, label=t(STATUS_LABELS[s], lang, ctx="status"), n=n)
        for s, n in tally.items()
        if n
    ]
    return t(
        "方案{n}项目标中：{parts}。", lang, n=len(fig["targets"]), parts=t("，", lang).join(parts)
    )


def pace_sentence(fig: dict[str, Any], lang: str) -> str | None:
    """每年需新增N家 for every target still open; None when none is."""
    parts = [
        t(
            "{year}年{metric}每年需新增{n}家（还差{gap}家，距期限{years}年）",
            lang,
            year=r["year"],
            metric=_metric(r["metric"], lang),
            n=r["pace"]["per_year"],
            gap=r["gap"],
            years=f"{r['pace']['years_left']:.1f}",
        )
        for r in fig["targets"]
        if r["pace"] is not None
    ]
    if not parts:
        return None
    return t("要按期实现目标：", lang) + t("；", lang).join(parts) + t("。", lang)


def risks(fig: dict[str, Any], det: dict[str, Any], lang: str) -> str:
    counts = det["alert_counts"]
    return t(
        "当前红色预警{red}项、黄色预警{amber}项；{fields}个重点领域尚无在建中心。",
        lang,
        red=counts.get("red", 0),
        amber=counts.get("amber", 0),
        fields=len(det["empty_fields"]),
    )


def sentences(fig: dict[str, Any], det: dict[str, Any], lang: str) -> list[str]:
    out = [headline(fig, lang), others(fig, lang), lights(fig, lang)]
    pace = pace_sentence(fig, lang)
    if pace:
        out.append(pace)
    out.append(risks(fig, det, lang))
    if any(fig["filters"].values()):
        out.append(t("以上数字只计筛选范围内的中心，目标为全市目标。", lang))
    return out
