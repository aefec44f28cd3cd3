"""Key bindings whose descriptions are message keys, shown translated."""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding
from textual.dom import DOMNode

from kela_tui.i18n import Translator


def translate_bindings(node: DOMNode, t: Translator) -> None:
    """Replace each binding's description (a catalogue key) with its text,
    and its footer group's description likewise."""
    bindings = node._bindings.key_to_bindings
    for key, entries in bindings.items():
        bindings[key] = [translated(b, t) for b in entries]


def translated(binding: Binding, t: Translator) -> Binding:
    group = binding.group
    if group is not None and group.description:
        group = replace(group, description=t(group.description))
    description = t(binding.description) if binding.description else ""
    return replace(binding, description=description, group=group)
