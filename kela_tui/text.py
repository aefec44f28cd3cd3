"""Text is data: what a person typed or a file holds is checked where it comes
in and shown literally where it goes out.

Coming in, control characters are refused (C0 and C1 controls and DEL; a tab
or line break only in a field that allows several lines), as is text that is
too long for its field or holds a personal identity code. Going out, text
already stored by an older version has its controls made visible, so nothing
stored can steer the terminal it is shown on."""

from __future__ import annotations

import unicodedata

from kela_tui import privacy
from kela_tui.controls import CONTROLS, CONTROLS_MULTILINE, one_line, visible
from kela_tui.errors import BadInput
from kela_tui.i18n import Msg

__all__ = ["blank", "clean", "one_line", "visible"]

# Characters that show nothing: blanks that are not whitespace to Python.
_INVISIBLE = {"\u2800", "\u3164", "\u115f", "\u1160", "\uffa0", "\u180e"}


def blank(value: str) -> bool:
    """Whether `value` shows nothing: only spaces, invisible format characters,
    combining marks or blank symbols (U+200B alone is no reason)."""
    return all(
        char.isspace() or char in _INVISIBLE or unicodedata.category(char) in ("Cf", "Mn", "Me")
        for char in value
    )


# Longest text each kind of field takes; the database's own limits are larger.
NOTE = 500
REASON = 500
REFERENCE = 200
FEEDBACK = 4000
NAME = 200
CITY = 100


def clean(
    value: str | None,
    field: Msg,
    *,
    most: int,
    multiline: bool = False,
    required: bool = False,
    empty_key: str = "text_required",
    identity_key: str = "identity_code",
) -> str | None:
    """Check a free-text value where it comes in: no control characters, at
    most `most` characters, no identity code (refused with the message
    `identity_key`: a customer's by default). Returns it without surrounding
    whitespace, or None when it is empty (unless `required`)."""
    if value is None or blank(value):
        if required:
            raise BadInput(empty_key, field=field)
        return None
    if multiline:
        value = value.replace("\r\n", "\n")
    found = (CONTROLS_MULTILINE if multiline else CONTROLS).search(value)
    if found:
        code = ord(found.group())
        key = "not_text" if 0xD800 <= code < 0xE000 else "control_character"
        raise BadInput(key, field=field, char=f"U+{code:04X}")
    value = value.strip()
    if len(value) > most:
        raise BadInput("text_too_long", field=field, most=most, length=len(value))
    privacy.guard(value, field, identity_key)
    return value
