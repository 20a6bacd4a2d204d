"""The 中文 / English catalogue: every label the code passes to t() has its English, with the
same {placeholders}; t falls back to Chinese; the language never leaks between threads."""

from __future__ import annotations

import ast
import string
import threading
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from mic_tracker import i18n
from mic_tracker.audit import ACTIONS, ENTITIES
from mic_tracker.center_detail import ANNUAL_ROWS, EVENT_GROUPS
from mic_tracker.centers import LIST_TITLE, TABLE_COLUMNS
from mic_tracker.downloads import KINDS
from mic_tracker.forms import ANNUAL_FORM, CENTER_FORM
from mic_tracker.funding import MANUAL_KINDS, PART_LABELS
from mic_tracker.i18n import set_language, t
from mic_tracker.paths import I18N_DIR
from mic_tracker.policy import load_plan
from mic_tracker.report import STATUS_LABELS, STATUS_RULES
from mic_tracker.scope import ROLE_LABELS
from mic_tracker.stages import STAGE_LABELS
from mic_tracker.template import MEMBER_TYPES
from mic_tracker.ui.charts_funding import MANUAL_NOTE
from mic_tracker.ui.pages import PAGES
from mic_tracker.ui.register_forms import UNSET, YES_NO
from tests.conftest import ROOT

SOURCES = ("mic_tracker", "app_pages", "dashboard.py")


def catalogue() -> dict[str, str]:
    with (I18N_DIR / "en.toml").open("rb") as f:
        return tomllib.load(f)


def source_files() -> Iterator[Path]:
    for name in SOURCES:
        path = ROOT / name
        yield from sorted(path.rglob("*.py")) if path.is_dir() else [path]


def t_calls(path: Path) -> Iterator[ast.Call]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "t":
            yield node


def literal_keys(path: Path) -> Iterator[tuple[str, int]]:
    """First arguments of calls to a name `t` that are string constants, with their line."""
    for call in t_calls(path):
        first = call.args[0] if call.args else None
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            yield first.value, call.lineno


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_the_source_scan_finds_the_calls(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text('t("甲")\nt("乙{n}", n=1)\nt(name)\nx.t("丙")\nst.title("丁")\n')
    assert [k for k, _ in literal_keys(sample)] == ["甲", "乙{n}"]


def test_every_literal_passed_to_t_has_its_english() -> None:
    english = catalogue()
    missing = [
        f"{path.relative_to(ROOT)}:{line}: {key}"
        for path in source_files()
        for key, line in literal_keys(path)
        if key not in english
    ]
    assert not missing, "add these to data/i18n/en.toml:\n" + "\n".join(missing)


def displayed_labels() -> set[str]:
    """Labels the pages translate at display time (t(label)), from the package's dictionaries."""
    plan = load_plan()
    labels = {p.title for p in PAGES}
    for table in (
        ROLE_LABELS,
        STATUS_LABELS,
        STATUS_RULES,
        TABLE_COLUMNS,
        STAGE_LABELS,
        EVENT_GROUPS,
        PART_LABELS,
        MANUAL_KINDS,
        ACTIONS,
        ENTITIES,
        plan.metrics,
        plan.forms,
        plan.levels,
        plan.results,
    ):
        labels |= set(table.values())
    labels |= {e.label for e in plan.events.values()}
    labels |= {kind[0] for kind in KINDS.values()}
    labels |= {label for _, label, _ in ANNUAL_ROWS}
    for col in (*CENTER_FORM, *ANNUAL_FORM):
        labels |= {col.header, *col.choices} | ({col.unit} if col.unit else set())
    labels |= {*MEMBER_TYPES, *YES_NO, UNSET, MANUAL_NOTE, LIST_TITLE}
    return labels


def test_labels_from_the_packages_dictionaries_have_their_english() -> None:
    missing = sorted(displayed_labels() - set(catalogue()))
    assert not missing, "add these to data/i18n/en.toml:\n" + "\n".join(missing)


def test_no_placeholder_is_named_like_an_argument_of_t() -> None:
    """t(text, lang, **values): a placeholder called text is a TypeError, one called lang
    silently chooses the language."""
    clashes = [
        f"{path.relative_to(ROOT)}:{call.lineno}"
        for path in source_files()
        for call in t_calls(path)
        if any(k.arg == "text" for k in call.keywords)
        or (
            call.args
            and isinstance(call.args[0], ast.Constant)
            and "{lang}" in str(call.args[0].value)
        )
    ]
    assert not clashes


def test_every_english_entry_keeps_the_placeholders_of_its_key() -> None:
    wrong = {
        key: value for key, value in catalogue().items() if placeholders(key) != placeholders(value)
    }
    assert not wrong


def test_the_catalogue_parses_and_has_no_empty_entry() -> None:
    english = catalogue()
    assert english and all(isinstance(v, str) for v in english.values())
    assert not [k for k, v in english.items() if not v.strip() and k.strip()]


def test_an_unknown_text_stays_chinese_and_placeholders_are_filled() -> None:
    assert t("没有这条翻译的文字", lang="en") == "没有这条翻译的文字"
    assert t("没有这条翻译的 {n}", lang="en", n=3) == "没有这条翻译的 3"
    assert t("共登记 {n} 个中心", lang="en", n=3) == "3 centers registered"
    assert t("共登记 {n} 个中心", lang="zh", n=3) == "共登记 3 个中心"


def test_an_unknown_language_is_chinese() -> None:
    done: list[str] = []

    def run() -> None:
        set_language("fr")
        done.append(i18n.language())

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert done == ["zh"]


def test_the_language_does_not_leak_between_threads() -> None:
    """Two script runs at once (two browser sessions) each keep their own language."""
    both_set = threading.Barrier(2, timeout=10)
    seen: dict[str, list[str]] = {}

    def run(lang: str) -> None:
        set_language(lang)
        both_set.wait()  # the other thread has set its language too
        seen[lang] = [i18n.language(), t("登录")]

    threads = [threading.Thread(target=run, args=(lang,)) for lang in ("en", "zh")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == {"en": ["en", "Sign in"], "zh": ["zh", "登录"]}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_t_takes_the_language_explicitly(lang: str) -> None:
    assert t("退出登录", lang=lang) == {"en": "Sign out", "zh": "退出登录"}[lang]
