"""argparse's own words (usage, errors, --help's headings) in the language
the command line chooses: --lang, else the configuration's, else Finnish."""

from __future__ import annotations

import argparse
import re

import pytest

from kela_tui.argparse_words import TEXTS, argparse_language
from kela_tui.i18n import Translator, catalogue

# argparse's English, as it words it (the parts between its placeholders).
ENGLISH = (
    "usage:",
    "error:",
    "positional arguments",
    "options:",
    "show this help message and exit",
    "show program's version number and exit",
    "the following arguments are required",
    "invalid choice",
    "choose from",
    "unrecognized arguments",
    "expected one argument",
    "invalid int value",
    "argument --",
)
WORDS = {
    "fi": ("käyttö:", "virhe:"),
    "sv": ("användning:", "fel:"),
}


def english_in(text: str) -> list[str]:
    return [words for words in ENGLISH if words in text]


USAGE_ERRORS = [
    ("doc", "receive", "--type", "poem"),  # invalid choice
    ("tally",),  # required arguments missing
    ("log", "1", "--no-such-option"),  # unrecognized
    ("log", "1", "--note"),  # expected one argument
    ("demo", "--months", "many"),  # invalid int value
    ("no-such-command",),
]


@pytest.mark.parametrize("lang", ["fi", "sv"])
@pytest.mark.parametrize("argv", USAGE_ERRORS)
def test_usage_errors_in_the_language_given_exit_2(cli, lang, argv):
    code, out, err = cli("--lang", lang, *argv)
    assert code == 2 and out == ""
    usage, error = WORDS[lang]
    assert err.startswith(usage) and f": {error} " in err
    assert english_in(err) == []


def test_usage_error_in_the_configurations_language(cli):
    code, _, err = cli("doc", "receive", "--type", "poem", language="sv")
    assert code == 2
    assert "användning:" in err and "ogiltigt val: 'poem' (välj bland" in err
    assert english_in(err) == []


def test_usage_error_in_finnish_by_default_and_lang_wins(cli):
    code, _, err = cli("tally")
    assert code == 2
    assert "virhe: puuttuvat pakolliset argumentit: PALVELU=MÄÄRÄ, --from, --to" in err
    assert english_in(err) == []
    code, _, err = cli("--lang=en", "tally", language="sv")
    assert code == 2 and "the following arguments are required" in err


@pytest.mark.parametrize("lang", ["fi", "sv"])
@pytest.mark.parametrize("argv", [("--help",), ("log", "--help"), ("doc", "receive", "-h")])
def test_help_in_the_language(cli, lang, argv):
    code, out, err = cli("--lang", lang, *argv)
    assert code == 0 and err == ""
    assert out.startswith(WORDS[lang][0])
    assert english_in(out) == []
    # The program's own help texts too.
    english = catalogue("en")
    helps = [english[key] for key in english if key.startswith("cli.help.")]
    flat = " ".join(out.split())
    assert [text for text in helps if "{" not in text and text in flat] == []
    assert {"fi": "tietokannan URL", "sv": "databasens URL"}[lang] in flat


def test_a_record_number_that_is_not_one_in_the_language(cli):
    code, _, err = cli("--lang", "sv", "log", "1", "--visit-of", "x")
    assert code == 2
    assert "fel: argumentet --visit-of: inte ett nummer: 'x'" in err


def test_every_text_translated_and_argparse_as_it_was_afterwards():
    for lang in ("fi", "sv", "en"):
        t = Translator(lang)
        for key in TEXTS.values():
            assert not t(f"argparse.{key}").startswith("argparse."), (lang, key)
    before = argparse._
    with argparse_language(Translator("fi")):
        assert argparse._("usage: ") == "käyttö: "
        assert argparse._("a text argparse may have in a later Python") == (
            "a text argparse may have in a later Python"
        )
        assert argparse.ngettext("expected %s argument", "expected %s arguments", 2) == (
            "tarvitsee %s arvoa"
        )
    assert argparse._ is before
    # The placeholders of each text are those argparse fills in.
    for lang in ("fi", "sv"):
        t = Translator(lang)
        for english, key in TEXTS.items():
            assert sorted(re.findall(r"%\(\w+\)[sr]|%[sr]", t(f"argparse.{key}"))) == sorted(
                re.findall(r"%\(\w+\)[sr]|%[sr]", english)
            ), (lang, key)
