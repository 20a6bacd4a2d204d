"""Figures and cell text for the alerts page.

The package writes its alerts in Chinese; in English the cells are rebuilt here from the
package's own fixed texts (kinds, rules, clauses, actions) and the values inside them.
"""

from __future__ import annotations

import re

import pandas as pd

from mic_tracker.alerts import CITY_WIDE, SEVERITY_LABELS, SEVERITY_ORDER
from mic_tracker.deadlines import ACTIONS, KIND_LABELS
from mic_tracker.i18n import language, t
from mic_tracker.ui.figures import PlainFigure
from mic_tracker.ui.style import chart_layout

SEVERITY_COLORS = {"red": "#cf222e", "amber": "#d4a72c", "green": "#2da44e"}
SEVERITY_DOTS = {"red": "红", "amber": "黄", "green": "绿"}
CROWDED = "一个领域多个中心"  # alerts.py's kind for a field with more than one live center
CROWDED_WHAT = re.compile(r"^(?P<seq>\d+) (?P<field>.+)：在建 (?P<n>\d+) 家$")
CLEAN_YEARS = re.compile(r"^近(?P<years>\d+)年无违法行为$")  # conditions.CHECKS["E4"]


def severity_label(severity: str) -> str:
    return t(SEVERITY_LABELS[severity])


def severity_column(severity: str) -> str:
    return f"● {t(SEVERITY_DOTS[severity])}"


def severity_words(chosen: list[str] | None) -> str:
    """The colours chosen, for a file name (红色、黄色); nothing when all or none are chosen."""
    if not chosen or set(chosen) == set(SEVERITY_LABELS):
        return ""
    # The labels' words before the bracket: 红色（已逾期） → 红色.
    words = [SEVERITY_LABELS[k].split("（")[0] for k in SEVERITY_ORDER if k in chosen]
    return t("、").join(map(t, words))


def _deadline_what(what: str, kind: str, due: str, days_left: int) -> str:
    """alerts.deadline_rows' text: the action when overdue, else label, due date and time left."""
    if what in ACTIONS.values():
        return t(what)
    days = abs(days_left)
    one = "one" if days == 1 else None
    when = (
        t("已逾期 {n} 天", ctx=one, n=days) if days_left < 0 else t("还有 {n} 天", ctx=one, n=days)
    )
    text = t("{label}：{due}（{when}）", label=t(kind), due=due, when=when)
    return text + (t("，日期暂定") if "日期暂定" in what else "")


def _check_name(item: str) -> str:
    """ "A1 法人注册完成" → "A1 Legal entity registered" (the code stays)."""
    code, _, name = item.partition(" ")
    years = CLEAN_YEARS.match(name)
    words = t("近{years}年无违法行为", years=years["years"]) if years else t(name)
    return f"{code} {words}"


def _what(row: pd.Series) -> str:
    if row["kind"] in KIND_LABELS.values():
        return _deadline_what(row["what"], row["kind"], row["due"], int(row["days_left"]))
    crowded = CROWDED_WHAT.match(row["what"]) if row["kind"] == CROWDED else None
    if crowded:
        return t("{seq} {field}：在建 {n} 家", **crowded.groupdict())
    return t("、").join(_check_name(x) for x in row["what"].split("、"))


def _centers(row: pd.Series) -> str:
    """A crowded field's centers, 甲（涧西区）、乙（孟津区）, with English punctuation."""
    if row["kind"] != CROWDED:
        return row["center"]
    return row["center"].replace("（", " (").replace("）", ")").replace("、", ", ")


def alert_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The alerts with their words in the chosen language (names and dates as they are)."""
    if language() == "zh" or frame.empty:
        return frame
    return frame.assign(
        kind=frame["kind"].map(t),
        center=frame.apply(_centers, axis=1),
        county=frame["county"].map(lambda c: t(c) if c == CITY_WIDE else c),
        what=frame.apply(_what, axis=1),
        rule=frame["rule"].map(t),
        clause=frame["clause"].map(t),
    )


def county_chart(table: pd.DataFrame) -> PlainFigure:
    """Alerts per county, stacked by colour, the county with most red first."""
    counties = [str(c) for c in table["county"]]
    traces = []
    for key in SEVERITY_ORDER:
        name = severity_label(key)
        values = [int(v) for v in table[key]]
        traces.append(
            {
                "type": "bar",
                "y": counties,
                "x": values,
                "name": name,
                "orientation": "h",
                "marker": {"color": SEVERITY_COLORS[key]},
                "text": [str(v) if v > 0 else "" for v in values],
                "textposition": "inside",
                "customdata": counties,  # a click narrows the county filter to it
                "hovertemplate": f"%{{y}}{t('：')}%{{x}} {t('项')}<extra>{name}</extra>",
            }
        )
    layout = chart_layout(t("各县区预警数（项，按颜色）"))
    layout.update(
        barmode="stack",
        height=max(260, 34 * len(table) + 120),
        # Above the bars: under them the legend would cover the axis title on a short chart.
        legend={
            "orientation": "h",
            "traceorder": "normal",  # 红 黄 绿 as in the table (stacked bars reverse it)
            "yanchor": "bottom",
            "y": 1.0,
            "x": 1,
            "xanchor": "right",
        },
        yaxis={"autorange": "reversed", "title": {"text": t("县区 / 开发区")}},
        xaxis={"title": {"text": t("预警数（项）")}},
    )
    return PlainFigure({"data": traces, "layout": layout})
