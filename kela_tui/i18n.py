"""The message catalogue (fi, sv, en) and Babel formatting for the chosen locale."""

from __future__ import annotations

import tomllib
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import PurePath

from babel import Locale
from babel.dates import (
    format_date,
    format_interval,
    format_skeleton,
    format_time,
    format_timedelta,
    get_day_names,
)
from babel.numbers import format_currency, format_decimal, format_percent

from kela_tui.controls import visible
from kela_tui.errors import KelaError

LANGUAGES = ("fi", "sv", "en")
DEFAULT_LANGUAGE = "fi"
# English as written in Ireland: the euro's own English-speaking country
# writes €300.00 and 28 Dec 2026 at 10:00 (en_FI would write 300,00 € and
# 28/12/2026, Finnish figures in English words).
LOCALES = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_IE"}

# CLDR's plural categories: a table of the catalogue whose keys are some of
# these (and always "other") is one message in its plural forms, chosen by
# the message's `count`, e.g. `received = { one = "…", other = "…" }`.
PLURAL_FORMS = frozenset({"zero", "one", "two", "few", "many", "other"})

Message = str | dict[str, str] | list[str]


@cache
def catalogue(lang: str) -> dict[str, Message]:
    """Every message of a language by its dotted key: text, a plural table,
    or a list (the Finnish genitive month names)."""
    text = (
        resources.files("kela_tui.messages").joinpath(f"{lang}.toml").read_text(encoding="utf-8")
    )
    return _flatten(tomllib.loads(text))


def is_plural(value: object) -> bool:
    return isinstance(value, dict) and "other" in value and set(value) <= PLURAL_FORMS


def texts(value: Message) -> list[str]:
    """The texts of a message: one, or each of its plural forms."""
    if isinstance(value, dict):
        return list(value.values())
    if isinstance(value, list):
        return value
    return [value]


def _flatten(tree: dict, prefix: str = "") -> dict[str, Message]:
    flat: dict[str, Message] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and not is_plural(value):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


class Msg:
    """A message to be translated later, where the language is known."""

    def __init__(self, key: str, /, **params: object) -> None:
        self.key = key
        self.params = params


class Money:
    """An amount of euros in a message, as the language writes it with its
    currency: 1 000 000,00 €, €1,000,000.00."""

    def __init__(self, value: Decimal) -> None:
        self.value = Decimal(value)


class Amount(Money):
    """An amount in a message as it is typed into a field, without the
    currency: 300,00 in Finnish and Swedish, 300.00 in English."""


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
        self._plural_form = Locale.parse(self.locale).plural_form
        self._messages = catalogue(lang)

    def __call__(self, key: str, /, **params: object) -> str:
        # A missing key shows itself rather than crashing a screen; a test
        # checks that every language has every key.
        if self.tui:
            key = self.tui_key(key)
        text = self._messages.get(key) or catalogue("en").get(key) or key
        if isinstance(text, dict):
            count = params.get("count", 0)
            text = text.get(self.plural_form(count), text["other"])
            if isinstance(count, int | Decimal):
                params = {**params, "count": self.number(count)}
        if not isinstance(text, str):
            return key
        if not params:
            return text
        return text.format(**{name: self._shown(value) for name, value in params.items()})

    def plural(self, key: str, count: int, /, **params: object) -> str:
        """A plural message in the form its count needs (`{count}` in it)."""
        return self(key, count=count, **params)

    def plural_form(self, count: object) -> str:
        """CLDR's plural category of a number in this language: "one" or
        "other" in Finnish, Swedish and English."""
        try:
            return self._plural_form(abs(Decimal(str(count))))
        except (ArithmeticError, ValueError):
            return "other"

    def has(self, key: str) -> bool:
        """Whether the catalogue has `key` (every language has the same keys,
        a test checks; the English one is not read only to ask)."""
        return key in self._messages

    def _shown(self, value: object) -> object:
        """A message's parameter: a nested message translated, text (which
        may be anything a person typed) with its control characters visible,
        and a day, a datetime or a month as the language writes it."""
        if isinstance(value, Msg):
            return self(value.key, **value.params)
        if isinstance(value, Amount):
            return self.amount(value.value)
        if isinstance(value, Money):
            return self.money(value.value)
        if isinstance(value, KelaError):
            return visible(self.error(value))
        if isinstance(value, str | BaseException | PurePath):
            return visible(str(value))
        if isinstance(value, datetime):
            return _Moment(self, value)
        if isinstance(value, date):
            return self.day(value)
        if _is_month(value):
            return _Month(self, value)
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

    def near_day(self, value: date) -> str:
        """A day of the coming week, without its year: 15.9., 15 sep.,
        15 Sept (a booking list, where the year goes without saying)."""
        return format_skeleton("MMMd", value, locale=self.locale)

    def days(self, first: date, last: date, year: bool = False) -> str:
        """A span of days as the language writes it, without the year unless
        asked: 1.–27.11. in Finnish, 1–27.11 in Swedish, 1 – 27 Nov in English;
        1.–27.11.2025 with the year."""
        skeleton = {"en": "MMMd"}.get(self.lang, "Md")
        return format_interval(
            first, last, f"y{skeleton}" if year else skeleton, locale=self.locale
        )

    def date(self, value: date, form: str = "short") -> str:
        """A date in Babel's form; the short one is the day as a sentence
        writes it (English "28/12/2026" would read as a Finnish form)."""
        if form == "short":
            return self.day(value)
        return format_date(value, form, locale=self.locale)

    def time(self, value: datetime | time) -> str:
        """A clock time as the language writes it: 10.00 in Finnish and
        Swedish, 10:00 in English."""
        return format_time(value, "short", locale=self.locale)

    def moment(self, value: datetime) -> str:
        """A day and a time inside a sentence: 28.12.2026 klo 10.00,
        28.12.2026 kl. 10.00, 28 Dec 2026 at 10:00."""
        return self("grammar.moment", day=self.day(value.date()), time=self.time(value))

    def duration(self, value: timedelta) -> str:
        return format_timedelta(value, threshold=1.5, locale=self.locale)

    def countdown(self, value: timedelta) -> str:
        """How long until something, as the language says it: "58 minuutin
        päästä" (the genitive, which a word glued after the number would
        miss), "om 58 minuter", "in 58 minutes"."""
        return format_timedelta(value, threshold=1.5, add_direction=True, locale=self.locale)

    def month(self, value: date, case: str = "") -> str:
        """A month and its year: as a heading or a subject (Finnish
        nominative "lokakuu 2026"), or in the genitive a sentence may need
        ("lokakuun 2026 selvitys"). CLDR has no Finnish genitive, so the
        catalogue lists it (`grammar.month_genitive`); a language that has
        no such form leaves the list empty and writes the name as it is."""
        if case == "genitive":
            names = self._messages.get("grammar.month_genitive") or []
            if len(names) == 12:
                return f"{names[value.month - 1]} {value.year}"
        elif case:
            raise ValueError(f"unknown case of a month: {case!r}")
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

    def amount(self, value: Decimal) -> str:
        """Euros and cents as a field shows them to be edited, the way the
        language writes a number: 1 000,00 in Finnish and Swedish (a no-break
        space between the thousands), 1,000.00 in English."""
        return format_decimal(value, "#,##0.00", locale=self.locale, decimal_quantization=True)


def _is_month(value: object) -> bool:
    # kela_tui.months imports the models; a month is known by its shape
    # so that this module stays free of the database layer.
    return type(value).__name__ == "Month" and isinstance(getattr(value, "first", None), date)


class _Month:
    """A month in a message: `{month}` as a heading writes it,
    `{month:genitive}` where the sentence needs the genitive, and
    `{month:iso}` where the text shows a command to type."""

    def __init__(self, t: Translator, month) -> None:
        self.t = t
        self.month = month

    def __format__(self, case: str) -> str:
        if case == "iso":
            # As the command line takes it: `kela-tui reopen 2026-10`.
            return str(self.month)
        return self.t.month(self.month.first, case)

    def __str__(self) -> str:
        return format(self)


class _Moment:
    """A datetime in a message: `{at}` is the day and the time
    (28.12.2026 klo 10.00), `{at:time}` the time and `{at:day}` the day."""

    def __init__(self, t: Translator, value: datetime) -> None:
        self.t = t
        self.value = value

    def __format__(self, part: str) -> str:
        if part == "time":
            return self.t.time(self.value)
        if part == "day":
            return self.t.day(self.value.date())
        if part:
            raise ValueError(f"unknown part of a moment: {part!r}")
        return self.t.moment(self.value)

    def __str__(self) -> str:
        return format(self)


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
