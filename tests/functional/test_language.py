"""Every word on the screen in the chosen language, Textual's own too: the
keys of its widgets in F1 and the footer, key names, the command palette."""

from __future__ import annotations

import re

import pytest
from textual import containers, widgets
from textual.app import App
from textual.command import CommandInput, CommandList, CommandPalette
from textual.keys import KEY_DISPLAY_ALIASES
from textual.screen import ModalScreen, Screen
from textual.scroll_view import ScrollView
from textual.widget import Widget

from kela_tui.widgets.palette import KelaPalette
from tests.functional.helpers import screen_text

SIZE = (120, 40)
# Textual's classes whose keys the program's screens can show.
TEXTUAL_CLASSES = (
    App,
    Screen,
    ModalScreen,
    Widget,
    ScrollView,
    containers.ScrollableContainer,
    containers.VerticalScroll,
    widgets.DataTable,
    widgets.Input,
    widgets.OptionList,
    widgets.SelectionList,
    widgets.Checkbox,
    widgets.Digits,
    widgets.Header,
    widgets.Footer,
    widgets.KeyPanel,
    CommandPalette,
    CommandInput,
    CommandList,
)


def textual_english() -> set[str]:
    """Textual's English words that the program's screens could show: every
    binding description and tooltip of the classes above, their F1 group
    titles, the palette's texts, Textual's own palette commands, and the
    keys Textual names in English words."""
    words: set[str] = set()
    for cls in TEXTUAL_CLASSES:
        for _key, binding in cls._merged_bindings:
            words |= {binding.description, binding.tooltip}
        words.add(cls.BINDING_GROUP_TITLE or "")
    words |= {"Search for commands…", "Search for themes…", "No matches found"}
    words |= {"Do you want to quit?", "to quit the app"}
    app = App()
    for command in App.get_system_commands(app, Screen()):
        words |= {command.title, command.help}
    words |= {"Screenshot", "Maximize", "Minimize", "Change theme"}
    # Key caps that Textual writes as on the keyboard (esc, tab, del, pgup,
    # home) stay; a key named in an English word does not.
    words |= {name for name in KEY_DISPLAY_ALIASES.values() if name in ("space",)}
    words |= {"shift"}
    return {word for word in words if word and word != "palette"}


ENGLISH = sorted(textual_english(), key=len, reverse=True)


def english_in(text: str) -> list[str]:
    return [
        word for word in ENGLISH if re.search(rf"(?<!\w){re.escape(word.rstrip('.'))}(?!\w)", text)
    ]


def f1_list(app) -> str:
    """What F1's key panel lists, all of it (the panel itself scrolls): each
    key as shown, its description and tooltip, and group titles."""
    lines = []
    for namespace, binding, _enabled, tooltip in app.screen.active_bindings.values():
        if binding.system:
            continue
        title = namespace.BINDING_GROUP_TITLE or ""
        lines.append(f"{title} {app.get_key_display(binding)} {binding.description} {tooltip}")
    return "\n".join(lines)


async def until(pilot, condition) -> None:
    """Wait until `condition()` holds (the palette searches in a worker and
    says it found nothing after a moment)."""
    for _ in range(250):
        await pilot.pause(0.02)
        if condition():
            return
    raise AssertionError("waited in vain")


async def shown(pilot, text: str) -> str:
    """The screen once it shows `text`."""
    await until(pilot, lambda: text in screen_text(pilot.app))
    return screen_text(pilot.app)


async def seen(pilot, key: str | None = None) -> str:
    """What a screen and its F1 list show, with F1 open and closed."""
    app = pilot.app
    if key is not None:
        await pilot.press(key)
        await pilot.pause()
    text = [screen_text(app), f1_list(app)]
    await pilot.press("f1")
    await pilot.pause()
    text.append(screen_text(app))
    await pilot.press("f1")
    await pilot.pause()
    return "\n".join(text)


def test_the_list_of_textual_words_is_textuals():
    assert {"Cursor up", "Page Left", "Focus Next", "Copy selected text", "space"} <= set(ENGLISH)
    assert english_in("↑ Cursor up\nspace Kuittaa") == ["Cursor up", "space"]
    assert english_in("välilyönti Kuittaa · Kopioi valittu teksti") == []


@pytest.mark.parametrize("lang", ["fi", "sv"])
async def test_every_screen_and_f1_in_the_language(make_app, busy_day, clock, lang):
    app = make_app(lang)
    found: dict[str, list[str]] = {}
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for key in (None, "f3", "f4", "f5", "f6", "f2"):
            found[f"screen {key}"] = english_in(await seen(pilot, key))
        # The booth's duties and bookings, the settings' staff table.
        await pilot.press("f3", "tab")
        found["booth bookings"] = english_in(await seen(pilot))
        await pilot.press("f6", "tab")
        found["settings, next field"] = english_in(await seen(pilot))
        # The dialogs a single key opens on the daily log, with a field focused.
        for key in ("5", "7", "s", "slash", "g", "t", "f", "enter"):
            await pilot.press("f2")
            await pilot.pause()
            found[f"dialog {key}"] = english_in(await seen(pilot, key))
            await pilot.press("escape")
            await pilot.pause()
    assert {where: words for where, words in found.items() if words} == {}


@pytest.mark.parametrize("lang", ["fi", "sv"])
async def test_the_palette_in_the_language(make_app, monkeypatch, lang):
    monkeypatch.setattr(KelaPalette, "_NO_MATCHES_COUNTDOWN", 0.01)
    app = make_app(lang)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, KelaPalette)
        empty = screen_text(app) + f1_list(app)
        placeholder = {"fi": "Hae komentoa…", "sv": "Sök kommando…"}[lang]
        assert placeholder in empty
        await pilot.press(*"qqxzy")
        nothing = await shown(pilot, {"fi": "Ei osumia", "sv": "Inga träffar"}[lang])
        # Changing the theme opens Textual's own search of themes.
        theme = {"fi": "Vaihda teema", "sv": "Byt tema"}[lang]
        await pilot.press(*["backspace"] * 5, *theme)
        commands = app.screen.query_one(CommandList)
        await until(
            pilot,
            lambda: commands.option_count > 0 and not commands.get_option_at_index(0).disabled,
        )
        some = screen_text(app)
        await pilot.press("enter")
        themes = await shown(pilot, {"fi": "Hae teemaa…", "sv": "Sök tema…"}[lang])
        assert isinstance(app.screen, KelaPalette)
        assert english_in("\n".join([empty, nothing, some, themes])) == []


@pytest.mark.parametrize("lang", ["fi", "sv"])
async def test_ctrl_c_says_how_to_quit_in_the_language(make_app, lang):
    app = make_app(lang)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+c")
        await pilot.pause()
        (notice,) = app._notifications
        assert english_in(f"{notice.title} {notice.message}") == []
        assert "^q" in notice.message


@pytest.mark.parametrize(
    ("lang", "space", "shift"),
    [
        ("fi", "välilyönti", "vaihto+tab"),
        ("sv", "mellanslag", "skift+tab"),
        ("en", "space", "shift+tab"),
    ],
)
async def test_key_names_in_the_language(make_app, lang, space, shift):
    from textual.binding import Binding

    app = make_app(lang)
    async with app.run_test(size=SIZE):
        assert app.get_key_display(Binding("space", "x")) == space
        assert app.get_key_display(Binding("shift+tab", "x")) == shift
        assert app.get_key_display(Binding("ctrl+space", "x")) == f"^{space}"
        assert app.get_key_display(Binding("escape", "x")) == "esc"
        assert app.get_key_display(Binding("ctrl+q", "x")) == "^q"
        assert app.get_key_display(Binding("f1", "x")) == "f1"


async def test_textuals_english_keys_are_in_sentence_case_as_ours(make_app):
    # Textual's own "Focus Next" stood out among "Cursor up", "Next day"…
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f6")
        listed = f1_list(app)
        assert "Focus next" in listed and "Focus previous" in listed
        assert "Focus Next" not in listed and "Focus Previous" not in listed
