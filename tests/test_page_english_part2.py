"""AppTest in English (?lang=en), part 2: the pages 总览, 领域, 县区, 层级 and 预警 read in English
but for the names from the data, their figures' titles and axes too; Chinese stays the default.
The package's labels these pages translate when drawn, and their drill-down hints, have English."""

from __future__ import annotations

import ast
import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from mic_tracker import alerts, conditions, deadlines, fields, levels
from mic_tracker.counties import KIND_LABELS, metric_labels
from mic_tracker.paths import I18N_DIR
from mic_tracker.reference import load_resolver
from tests.apptest import open_app
from tests.conftest import ROOT
from tests.test_page_english import CJK, chinese_left, data_names, labels

AS_OF = "2022-06-30"
TITLES = {
    "app_pages/overview.py": ("Progress toward the targets", "目标进度总览"),
    "app_pages/fields.py": ("Key field coverage", "重点领域覆盖"),
    "app_pages/counties.py": ("Counties: map and ranking", "县区分布：地图与排名"),
    "app_pages/levels.py": ("Levels: from application to national", "层级：从申报到国家级"),
    "app_pages/alerts.py": ("Alerts: matters to act on", "预警：需要办理的事项"),
}
PAGES = tuple(TITLES)


def names(db_path: Path) -> list[str]:
    """data_names plus every division's short and old names (高新区, 偃师市), longest first."""
    divisions = load_resolver().divisions
    extra = [n for d in divisions for n in (d.name, d.short_name)]
    return sorted({*data_names(db_path), *extra}, key=len, reverse=True)


def figures(at: AppTest) -> list[dict[str, Any]]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def figure_words(fig: dict[str, Any]) -> list[str]:
    """A figure's title, axis titles, legend names, colour-bar titles, annotations and hover
    texts (Plotly's d3 date formats %Y年 would show in the hover too)."""
    layout = fig["layout"]
    words = [layout.get("title", {}).get("text", "")]
    words += [
        value.get("title", {}).get("text", "")
        for key, value in layout.items()
        if key.startswith(("xaxis", "yaxis"))
    ]
    for trace in fig["data"]:
        if trace.get("showlegend", True) and trace.get("name"):
            words.append(trace["name"])
        bar = trace.get("marker", {}).get("colorbar", {})
        words.append(bar.get("title", {}).get("text", ""))
        words += [trace.get("hovertemplate", ""), trace.get("texttemplate", "")]
        for key in ("hovertext", "text"):
            value = trace.get(key)
            words += value if isinstance(value, list) else [value or ""]
        words += [str(c[0]) for c in trace.get("customdata") or [] if isinstance(c, list)]
    # The grid wraps a field's name over lines: join them again to find the name.
    words += [a.get("text", "").replace("<br>", "") for a in layout.get("annotations", [])]
    return [str(w) for w in words if w]


@pytest.mark.parametrize("page", PAGES)
def test_the_page_is_english_but_for_the_data_names(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch, page: str
) -> None:
    at = open_app(messy_db, monkeypatch, page, lang="en", as_of=AS_OF)
    assert not at.exception
    assert at.title[0].value == TITLES[page][0]
    assert not CJK.search(at.title[0].value)
    assert [s.value for s in at.subheader if CJK.search(s.value)] == []
    known = names(messy_db)
    widgets = [w.label for kind in ("radio", "button_group") for w in at.main.get(kind)]
    widgets += [str(o) for w in at.get("radio") for o in w.options]
    assert chinese_left([*labels(at), *widgets], known) == []
    drawn = figures(at)
    assert drawn, "every one of these pages draws a figure"
    for fig in drawn:
        assert fig["layout"]["title"]["text"], "every figure says what it shows"
        assert chinese_left(figure_words(fig), known) == []


@pytest.mark.parametrize("page", PAGES)
def test_chinese_is_still_the_default(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch, page: str
) -> None:
    at = open_app(messy_db, monkeypatch, page, as_of=AS_OF)
    assert at.title[0].value == TITLES[page][1]
    assert "lang" not in at.query_params


def test_the_alerts_table_reads_in_english(messy_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The package writes its alerts in Chinese: kind, what, rule and clause are rebuilt."""
    at = open_app(messy_db, monkeypatch, "app_pages/alerts.py", lang="en", as_of=AS_OF)
    at.pills(key="alert_severity").set_value(["red", "amber", "green"]).run()
    table = at.dataframe[0].value
    assert len(table) > 0
    assert "Colour" not in table.columns  # headers come from column_config, keys stay
    cells = [str(v) for col in ("kind", "what", "rule", "clause") for v in table[col]]
    assert chinese_left(cells, names(messy_db)) == []
    assert [m.label for m in at.metric] == [
        "Red (overdue)",
        "Amber (due soon or to handle)",
        "Green (on schedule)",
    ]


def test_the_counties_metric_reads_in_a_sentence(
    messy_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_app(messy_db, monkeypatch, "app_pages/counties.py", lang="en", as_of=AS_OF)
    assert at.subheader[0].value == "Ranked by number of city-level centers"
    assert at.metric[0].label == "Whole city: city-level centers"


def catalogue() -> dict[str, str]:
    with (I18N_DIR / "en.toml").open("rb") as f:
        return tomllib.load(f)


def test_the_package_labels_these_pages_translate_have_their_english() -> None:
    shown = {
        *fields.LEVEL_LABELS.values(),
        fields.PRINCIPLE,
        *alerts.SEVERITY_LABELS.values(),
        *deadlines.KIND_LABELS.values(),
        *deadlines.CLAUSES.values(),
        *deadlines.ACTIONS.values(),
        *(name for name, _ in conditions.CHECKS.values() if "{" not in name),
        *(s.label for s in levels.STEPS),
        levels.APPLYING_LABEL,
        levels.APPLIED_LABEL,
        *metric_labels().values(),
        *KIND_LABELS.values(),
    }
    english = catalogue()
    assert sorted(shown - set(english)) == []
    assert (
        sorted(f"plural|{m}" for m in metric_labels().values() if f"plural|{m}" not in english)
        == []
    )


def _hints(path: Path) -> list[str]:
    """The hints (4th argument) of drill.clickable_chart calls, constants resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    consts = {
        target.id: node.value.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    hints = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "clickable_chart"
        ):
            arg = node.args[3]
            hints.append(arg.value if isinstance(arg, ast.Constant) else consts[arg.id])
    return hints


def test_every_drill_down_hint_has_its_english() -> None:
    """clickable_chart translates its hint itself, so test_i18n's scan of t() misses them."""
    hints = [h for page in PAGES for h in _hints(ROOT / page)]
    assert len(hints) >= 6
    assert sorted(set(hints) - set(catalogue())) == []
