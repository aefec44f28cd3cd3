"""Inside the TUI a message names the TUI's keys, never a command-line
command: `error.X` is said as `error_tui.X` (and `notice.X` as `notice_tui.X`)
where the command line's wording names a command or an option."""

import re

import pytest

from kela_tui.cli import build_parser
from kela_tui.errors import BadInput, Refused
from kela_tui.i18n import LANGUAGES, Msg, Translator, catalogue, texts
from kela_tui.months import Month

# A command of the command line: `kela-tui reopen`, `kela-tui --db X db upgrade`
# (the program's bare name, as in "a newer kela-tui", is not a command).
COMMANDS = next(action.choices for action in build_parser()._actions if action.dest == "command")
NAMES_A_COMMAND = re.compile(
    r"kela-tui (--[a-z]+ \S+ )*(" + "|".join(COMMANDS) + r"|\{command\})\b|kela-tui \{|--[a-z]"
)

# The command line's own output, which the TUI never shows but for these.
SHOWN_BY_THE_TUI = {"cli.reopened"}


def tui_texts(lang: str) -> dict[str, str]:
    """Every message the TUI may show, as the TUI words it. Messages only
    the command line says before the TUI starts (a missing database, say)
    are worded for the TUI anyway: the test need not know which they are."""
    t = Translator(lang, tui=True)
    return {
        key: " ".join(texts(t._messages[t.tui_key(key)]))
        for key in catalogue(lang)
        if (not key.startswith("cli.") or key in SHOWN_BY_THE_TUI) and "_tui." not in key
    }


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_check_finds_what_the_command_line_names(lang):
    cli = catalogue(lang)
    for key in ("error.month_closed", "error.own_function", "error.db_missing"):
        assert NAMES_A_COMMAND.search(cli[key]), key


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_message_shown_in_the_tui_names_a_command(lang):
    naming = {key: text for key, text in tui_texts(lang).items() if NAMES_A_COMMAND.search(text)}
    assert naming == {}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_tui_wording_overrides_a_message(lang):
    messages = catalogue(lang)
    for key in messages:
        section, _, name = key.partition(".")
        if section.endswith("_tui"):
            assert f"{section.removesuffix('_tui')}.{name}" in messages, key


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_command_line_keeps_naming_the_command(lang):
    cli = Translator(lang)
    said = cli.error(Refused("month_closed", month=Month(2026, 10)))
    assert "kela-tui reopen 2026-10 --reason" in said


CLOSED = {
    "fi": "F5, valitse lokakuu 2026 näppäimillä [ ja ], sitten r",
    "sv": "F5, välj oktober 2026 med [ och ], sedan r",
    "en": "F5, choose October 2026 with [ and ], then r",
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_closed_month_in_the_tui_names_f5_and_r(lang):
    tui = Translator(lang).for_tui()
    said = tui.error(Refused("month_closed", month=Month(2026, 10)))
    assert CLOSED[lang] in said
    assert "kela-tui" not in said and "--reason" not in said


@pytest.mark.parametrize("lang", LANGUAGES)
def test_tui_wording_reaches_raised_direct_and_nested_messages(lang):
    tui = Translator(lang, tui=True)
    nested = Msg("error.unknown_staff", staff="x[/]")
    for said in (
        tui.error(BadInput("unknown_staff", staff="x[/]")),
        tui("error.unknown_staff", staff="x[/]"),
        tui("problem.free_text", field="f", reason=nested),
    ):
        assert "F6" in said and "kela-tui" not in said and "'x[/]'" in said


def test_a_message_without_a_tui_wording_is_the_same_in_both():
    for lang in LANGUAGES:
        cli, tui = Translator(lang), Translator(lang, tui=True)
        assert cli("error.bad_clock_time", value="25:00") == tui(
            "error.bad_clock_time", value="25:00"
        )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_month_with_unfinished_work_names_the_way_where_it_is_said(lang):
    # A stranger found the command line naming the TUI's keys here.
    error = Refused(
        "month_unfinished",
        month=Month(2026, 10),
        waiting=Msg("grammar.documents_waiting", count=4),
    )
    cli, tui = Translator(lang).error(error), Translator(lang, tui=True).error(error)
    assert "kela-tui doc forward" in cli
    assert "kela-tui" not in tui and "F2" in tui
