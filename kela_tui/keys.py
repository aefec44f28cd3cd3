"""Key bindings whose descriptions are message keys, shown translated."""

from __future__ import annotations

from dataclasses import replace

from textual.dom import DOMNode

from kela_tui.i18n import Translator


def translate_bindings(node: DOMNode, t: Translator) -> None:
    """Replace each binding's description (a catalogue key) with its text."""
    bindings = node._bindings.key_to_bindings
    for key, entries in bindings.items():
        bindings[key] = [
            replace(b, description=t(b.description)) if b.description else b for b in entries
        ]
