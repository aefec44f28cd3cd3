"""Key bindings whose descriptions are message keys, shown translated; and
Textual's own bindings (of the screens and the widgets the app uses), shown
in the chosen language too."""

from __future__ import annotations

import re
from dataclasses import replace

from textual.binding import Binding
from textual.dom import DOMNode

from kela_tui.i18n import Translator

# Textual's own descriptions are found in the catalogue's [textual] section
# under their English text made into a key ("Cursor up" is
# `textual.cursor_up`), so that the mapping needs no list here: a
# description without a translation stays as Textual wrote it, and the
# test of every screen's words (tests/functional/test_language.py) names it.
TEXTUAL = "textual."
# Textual's bindings that do nothing in this program, hidden from F1's list
# (they still work): the tables move by rows, and nothing scrolls sideways.
HIDDEN = frozenset(
    {
        "Cursor left",
        "Cursor right",
        "Home",
        "End",
        "Page Left",
        "Page Right",
        "Scroll Left",
        "Scroll Right",
    }
)
# Textual's group title in F1 for a text field's keys.
GROUP_TITLES = {"Input": "textual.group_input"}


def textual_key(text: str) -> str:
    """The catalogue key of one of Textual's English texts."""
    return TEXTUAL + re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def translate_textual(text: str, t: Translator) -> str:
    """One of Textual's English texts in the chosen language (as it is when
    the catalogue has no translation for it)."""
    key = textual_key(text)
    return t(key) if t.has(key) else text


def translate_bindings(node: DOMNode, t: Translator) -> None:
    """Replace each binding's description (a catalogue key, or one of
    Textual's English descriptions) with its text, and its footer group's
    description likewise. Doing it again changes nothing."""
    bindings = node._bindings.key_to_bindings
    for key, entries in bindings.items():
        bindings[key] = [translated(b, t) for b in entries]
    title = node.BINDING_GROUP_TITLE
    if title in GROUP_TITLES:
        # An attribute of the node, shadowing the class's.
        node.BINDING_GROUP_TITLE = t(GROUP_TITLES[title])


def translated(binding: Binding, t: Translator) -> Binding:
    group = binding.group
    if group is not None and group.description:
        group = replace(group, description=_text(group.description, t))
    description = _text(binding.description, t)
    tooltip = _text(binding.tooltip, t)
    # A key without words (escape ending a mode) has nothing to say in F1.
    system = binding.system or not description or binding.description in HIDDEN
    return replace(binding, description=description, tooltip=tooltip, group=group, system=system)


def _text(text: str, t: Translator) -> str:
    if not text:
        return ""
    key = textual_key(text)
    if t.has(key):
        return t(key)
    # A text that is no key is one translated already (or Textual's own,
    # without a translation): it stays as it is.
    return t(text) if t.has(text) else text


def key_name(key: str, t: Translator) -> str | None:
    """A key's name in the chosen language, where it has one in words
    (`space`, `shift`); None where Textual's name (a symbol, or a key cap's
    label such as `esc` or `tab`) is the same in every language."""
    name = f"{TEXTUAL}key_{key}"
    return t(name) if t.has(name) else None
