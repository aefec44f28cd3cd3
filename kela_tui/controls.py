"""Control characters: what may not reach a terminal, and how stored text is
shown instead. Free of other imports, so that every layer can use it."""

from __future__ import annotations

import re

CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
CONTROLS_MULTILINE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# A control shown as its symbol from Unicode's Control Pictures block
# (U+2400…: ␀ ␛ ␡), a C1 control as the replacement character. Line breaks
# and tabs are layout, not control, where text may run over several lines.
_PICTURES = {code: chr(0x2400 + code) for code in range(0x20) if code not in (0x09, 0x0A)}
_PICTURES |= {0x7F: "\u2421"} | {code: "\ufffd" for code in range(0x80, 0xA0)}
_ONE_LINE = _PICTURES | {0x0A: " \u23ce ", 0x09: " "}


def visible(text: str) -> str:
    """`text` with every control character but line breaks and tabs replaced
    by a visible symbol (a carriage return, ESC or NUL never reach a terminal)."""
    return text.replace("\r\n", "\n").translate(_PICTURES)


def one_line(text: str) -> str:
    """`text` for a single line of a table: controls visible, line breaks as ⏎."""
    return text.replace("\r\n", "\n").translate(_ONE_LINE)
