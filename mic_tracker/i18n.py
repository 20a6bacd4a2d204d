"""中文 / English: every label goes through `t`, keyed by its Chinese text.

The Chinese text is the key so the code stays readable and a missing translation falls back to
Chinese instead of breaking a page. Translations live in data/i18n/en.toml. The language is
per script run (a context variable), so one browser session's choice never leaks into another's.
Names from the data (fields, sectors, centers, counties) are not translated.
"""

from __future__ import annotations

import tomllib
from contextvars import ContextVar
from functools import cache
from typing import Any

from mic_tracker.paths import I18N_DIR

LANGUAGES = {"zh": "中文", "en": "English"}
_current: ContextVar[str] = ContextVar("language", default="zh")


def set_language(lang: str) -> None:
    """Choose the language for the rest of this script run (or CLI command)."""
    _current.set(lang if lang in LANGUAGES else "zh")


def language() -> str:
    return _current.get()


@cache
def catalogue(lang: str) -> dict[str, str]:
    if lang == "zh":
        return {}
    with (I18N_DIR / f"{lang}.toml").open("rb") as f:
        return tomllib.load(f)


def t(text: str, lang: str | None = None, ctx: str | None = None, **values: Any) -> str:
    """The text in the chosen language; `values` fill `{name}` placeholders after translation.

    `ctx` picks a translation for one use of a word that English says differently elsewhere
    (the status 预警 is "At risk", the page 预警 is "Alerts"): the entry "ctx|中文" when present.
    """
    found = catalogue(lang or language())
    out = found.get(f"{ctx}|{text}", found.get(text, text)) if ctx else found.get(text, text)
    return out.format(**values) if values else out
