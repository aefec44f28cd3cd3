"""The command line's argument names (metavars) in the language chosen, and a
help text for every argument. Only what is shown changes: option names,
subcommand names, choices and what scripts get stay as PRODUCT.md has them."""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from kela_tui.argparse_words import argparse_language
from kela_tui.cli import build_parser
from kela_tui.i18n import LANGUAGES, Translator, translator, use_language
from kela_tui.months import Month

# The English names argparse showed before (some are Swedish words as well:
# TEXT, ID, KOD are left out of the Swedish list).
ENGLISH = {
    "MONTH",
    "COMMAND",
    "ACTION",
    "DB",
    "CONFIG",
    "SITE",
    "CATEGORY",
    "ISO",
    "NOTE",
    "KEY",
    "VALUE",
    "FILE",
    "DATE",
    "NAME",
    "RECEIPT",
    "ROLE",
    "COUNT",
    "MONTHS",
    "SEED",
    "SITES",
    "SERVICE",
    "TYPE",
    "HH",
}
ONLY_ENGLISH = {"fi": ENGLISH | {"TEXT", "ID"}, "sv": ENGLISH}

COMMANDS = [
    ("--help",),
    ("log", "--help"),
    ("doc", "receive", "--help"),
    ("doc", "forward", "--help"),
    ("feedback", "--help"),
    ("tally", "--help"),
    ("stats", "--help"),
    ("statement", "--help"),
    ("reopen", "--help"),
    ("export", "--help"),
    ("demo", "--help"),
    ("backup", "--help"),
    ("db", "--help"),
    ("settings", "show", "--help"),
    ("settings", "set", "--help"),
    ("settings", "import", "--help"),
    ("staff", "add", "--help"),
    ("staff", "role", "--help"),
    ("staff", "--help"),
]


@contextmanager
def language(lang: str) -> Iterator[None]:
    """The command line's language while its parser is built and used."""
    before = translator().lang
    use_language(lang)
    try:
        with argparse_language(Translator(lang)):
            yield
    finally:
        use_language(before)


def english_names(text: str, lang: str) -> list[str]:
    # Upper-case words only: option names, choices and commands are lower case.
    return sorted(set(re.findall(r"\b[A-Z]{2,}\b", text)) & ONLY_ENGLISH[lang])


@pytest.mark.parametrize("lang", ["fi", "sv"])
@pytest.mark.parametrize("argv", COMMANDS)
def test_help_names_arguments_in_the_language(cli, lang, argv):
    code, out, err = cli("--lang", lang, *argv)
    assert code == 0 and err == ""
    assert english_names(out, lang) == []


@pytest.mark.parametrize(
    ("lang", "argv", "named"),
    [
        ("fi", ("stats",), "puuttuvat pakolliset argumentit: KUUKAUSI"),
        ("sv", ("stats",), "följande argument saknas: MÅNAD"),
        ("fi", ("settings", "set"), "puuttuvat pakolliset argumentit: AVAIN, ARVO"),
        ("sv", ("settings", "set"), "följande argument saknas: NYCKEL, VÄRDE"),
        ("fi", ("backup",), "jokin argumenteista TIEDOSTO --auto tarvitaan"),
        ("sv", ("staff", "rename"), "följande argument saknas: KOD, NAMN"),
        ("fi", ("doc", "forward"), "puuttuvat pakolliset argumentit: KUITTI"),
        ("fi", ("staff",), "puuttuvat pakolliset argumentit: TOIMINTO"),
        ("sv", ("reopen", "2026-10"), "följande argument saknas: --reason"),
    ],
)
def test_a_missing_argument_is_named_in_the_language_exit_2(cli, lang, argv, named):
    code, out, err = cli("--lang", lang, *argv)
    assert code == 2 and out == ""
    assert named in err
    assert english_names(err, lang) == []


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_usage_without_a_command_and_bad_option_values_in_the_language(cli, lang):
    code, _, err = cli("--lang", lang, "log", "1", "--visit-of")
    assert code == 2
    assert {"fi": "--visit-of NUMERO", "sv": "--visit-of NUMMER"}[lang] in err
    assert english_names(err, lang) == []
    code, _, err = cli("--lang", lang, "tally", "--from")
    assert code == 2 and {"fi": "--from TT:MM", "sv": "--from TT:MM"}[lang] in err


def test_english_names_stay_as_they_were(cli):
    _, out, _ = cli("--lang", "en", "tally", "--help")
    assert "--from HH:MM" in out and "SERVICE=COUNT" in out and "--staff ID" in out
    code, _, err = cli("--lang", "en", "stats")
    assert code == 2 and "the following arguments are required: MONTH" in err


def test_the_reopen_hint_quotes_the_name_the_help_shows(cli):
    for lang in ("fi", "sv", "en"):
        t = Translator(lang)
        _, out, _ = cli("--lang", lang, "reopen", "--help")
        name = t("cli.metavar.text")
        assert f"--reason {name}" in out
        assert f"--reason {name})" in t("error.month_closed", month=Month(2026, 10))


def test_names_shown_only_options_and_values_as_before(cli, tmp_path):
    """A Finnish metavar does not change what the options are called or what
    the program gets."""
    with language("fi"):
        args = build_parser().parse_args(
            ["settings", "set", "agreement.x", "5", "--from", "2026-11-01", "--db", "sqlite://"]
        )
    assert (args.key, args.value, args.valid_from, args.db) == (
        "agreement.x",
        "5",
        "2026-11-01",
        "sqlite://",
    )


def _walk(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _walk(sub, (*path, name))
        else:
            yield path, action


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_argument_of_every_command_has_a_help_text(lang):
    with language(lang):
        parser = build_parser()
        missing = [
            (" ".join(path), action.option_strings or action.dest)
            for path, action in _walk(parser)
            if not action.help or action.help == argparse.SUPPRESS
        ]
    assert missing == []
