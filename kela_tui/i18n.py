"""The message catalogue (fi, sv, en) and Babel formatting for the chosen locale."""

from __future__ import annotations

import tomllib
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import PurePath

from babel.dates import (
    format_date,
    format_time,
    format_timedelta,
    get_day_names,
)
from babel.numbers import format_currency, format_decimal, format_percent

from kela_tui.controls import visible
from kela_tui.errors import KelaError

LANGUAGES = ("fi", "sv", "en")
DEFAULT_LANGUAGE = "fi"
LOCALES = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_FI"}


@cache
def catalogue(lang: str) -> dict[str, str]:
    text = (
        resources.files("kela_tui.messages").joinpath(f"{lang}.toml").read_text(encoding="utf-8")
    )
    return _flatten(tomllib.loads(text))


def _flatten(tree: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


class Msg:
    """A message to be translated later, where the language is known."""

    def __init__(self, key: str, /, **params: object) -> None:
        self.key = key
        self.params = params


class Translator:
    """Messages and formats of one language. The TUI's translator (`tui`)
    words a message the TUI's way where the command line's names a command:
    `error.month_closed` is said as `error_tui.month_closed` when that exists."""

    def __init__(self, lang: str = DEFAULT_LANGUAGE, *, tui: bool = False) -> None:
        if lang not in LANGUAGES:
            lang = DEFAULT_LANGUAGE
        self.lang = lang
        self.tui = tui
        self.locale = LOCALES[lang]
        self._messages = catalogue(lang)

    def __call__(self, key: str, /, **params: object) -> str:
        # A missing key shows itself rather than crashing a screen; a test
        # checks that every language has every key.
        if self.tui:
            key = self.tui_key(key)
        text = self._messages.get(key) or catalogue("en").get(key) or key
        if not params:
            return text
        return text.format(**{name: self._shown(value) for name, value in params.items()})

    def has(self, key: str) -> bool:
        """Whether the catalogue has `key` (every language has the same keys,
        a test checks; the English one is not read only to ask)."""
        return key in self._messages

    def _shown(self, value: object) -> object:
        """A message's parameter: a nested message translated, and text (which
        may be anything a person typed) with its control characters visible."""
        if isinstance(value, Msg):
            return self(value.key, **value.params)
        if isinstance(value, KelaError):
            return visible(self.error(value))
        if isinstance(value, str | BaseException | PurePath):
            return visible(str(value))
        if isinstance(value, date) and not isinstance(value, datetime):
            return self.day(value)
        return value

    def day(self, value: date) -> str:
        """A date inside a sentence, as the language writes it: 1.11.2026 in
        Finnish and Swedish, 1 Nov 2026 in English."""
        return format_date(value, "medium" if self.lang == "en" else "short", locale=self.locale)

    def error(self, error: KelaError) -> str:
        return self(f"error.{error.key}", **error.params)

    def tui_key(self, key: str) -> str:
        """The key of a message's TUI wording: a message whose command-line
        wording names a command or an option (`kela-tui reopen …`) has a
        second one, `SECTION_tui.NAME`, naming the TUI's keys instead."""
        section, _, name = key.partition(".")
        override = f"{section}_tui.{name}"
        return override if override in self._messages else key

    def for_tui(self) -> Translator:
        """The same language, with the TUI's wording of errors."""
        return Translator(self.lang, tui=True)

    def date(self, value: date, form: str = "short") -> str:
        return format_date(value, form, locale=self.locale)

    def time(self, value: datetime, form: str = "HH:mm") -> str:
        return format_time(value, form, locale=self.locale)

    def duration(self, value: timedelta) -> str:
        return format_timedelta(value, threshold=1.5, locale=self.locale)

    def month(self, value: date) -> str:
        return format_date(value, "LLLL yyyy", locale=self.locale)

    def weekday(self, number: int) -> str:
        """A short weekday name, Monday being 0."""
        return get_day_names("abbreviated", locale=self.locale)[number]

    def percent(self, share: float, signed: bool = False) -> str:
        text = format_percent(share, locale=self.locale)
        return f"+{text}" if signed and share > 0 else text

    def number(self, value: int | float | Decimal) -> str:
        return format_decimal(value, locale=self.locale)

    def money(self, value: Decimal) -> str:
        return format_currency(value, "EUR", locale=self.locale)


_current: Translator | None = None


def translator() -> Translator:
    global _current
    if _current is None:
        _current = Translator()
    return _current


def use_language(lang: str) -> Translator:
    global _current
    _current = Translator(lang)
    return _current
