"""argparse's own words (usage, errors, the help's headings) in the chosen
language. argparse asks gettext for each text (`argparse._`, and
`argparse.ngettext` for plurals) when it builds a parser and when it speaks;
while a parser is built and used inside `argparse_language`, those give the
catalogue's `[argparse]` texts instead. A text this table does not know (one
a later Python words differently) stays as argparse has it."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager

from kela_tui.i18n import Translator

# argparse's texts (Python 3.11 to 3.13) and their keys in [argparse].
TEXTS = {
    "usage: ": "usage",
    "positional arguments": "positional_arguments",
    "options": "options",
    "show this help message and exit": "help",
    "show program's version number and exit": "version",
    "%(prog)s: error: %(message)s\n": "error",
    "argument %(argument_name)s: %(message)s": "argument",
    "the following arguments are required: %s": "required",
    "one of the arguments %s is required": "one_required",
    "unrecognized arguments: %s": "unrecognized",
    "invalid choice: %(value)r (choose from %(choices)s)": "invalid_choice",
    "invalid %(type)s value: %(value)r": "invalid_value",
    "expected one argument": "expected_one",
    "expected at most one argument": "expected_at_most_one",
    "expected at least one argument": "expected_at_least_one",
    "ambiguous option: %(option)s could match %(matches)s": "ambiguous",
    "not allowed with argument %s": "not_allowed",
    "ignored explicit argument %r": "ignored_explicit",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "unknown_parser",
    "can't open '%(filename)s': %(error)s": "cant_open",
    "unexpected option string: %s": "unexpected_option",
}
PLURALS = {"expected %s argument": "expected_n"}


@contextmanager
def argparse_language(t: Translator) -> Iterator[None]:
    """argparse speaks `t`'s language within the block."""

    def gettext(text: str) -> str:
        key = TEXTS.get(text)
        return t(f"argparse.{key}") if key else text

    def ngettext(singular: str, plural: str, count: int) -> str:
        key = PLURALS.get(singular)
        if key is None:
            return singular if count == 1 else plural
        return t(f"argparse.{key}_{'one' if count == 1 else 'other'}")

    saved = argparse._, argparse.ngettext
    argparse._, argparse.ngettext = gettext, ngettext
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved
