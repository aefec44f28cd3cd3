"""Control characters: what may not reach a terminal, and how stored text is
shown instead. Free of other imports, so that every layer can use it."""

from __future__ import annotations

import re

# C0 and C1 controls and DEL; the bidirectional embeddings, overrides and
# isolates, which make a terminal show text in another order than it is
# (the marks U+200E and U+200F, which right-to-left text needs, are allowed);
# and lone surrogates, which are bytes that were not text at all.
_REFUSED = "\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
# The Unicode line and paragraph separators break a line like a line break.
CONTROLS = re.compile(f"[\\x00-\\x1f\u2028\u2029{_REFUSED}]")
CONTROLS_MULTILINE = re.compile(f"[\\x00-\\x08\\x0b-\\x1f{_REFUSED}]")
# A control shown as its symbol from Unicode's Control Pictures block
# (U+2400…: ␀ ␛ ␡), a C1 control as the replacement character. Line breaks
# and tabs are layout, not control, where text may run over several lines.
_PICTURES = {code: chr(0x2400 + code) for code in range(0x20) if code not in (0x09, 0x0A)}
_PICTURES |= {0x7F: "\u2421"} | {code: "\ufffd" for code in range(0x80, 0xA0)}
_PICTURES |= {code: "\ufffd" for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
_PICTURES |= {code: "\ufffd" for code in range(0xD800, 0xE000)}
_ONE_LINE = _PICTURES | {0x0A: " \u23ce ", 0x09: " ", 0x2028: " \u23ce ", 0x2029: " \u23ce "}
# One symbol for one character, line breaks and tabs included: for a field
# being edited, where positions must not move.
_EVERY_PICTURE = _PICTURES | {0x09: "\u2409", 0x0A: "\u240a"}


def visible(text: str) -> str:
    """`text` with every control character but line breaks and tabs replaced
    by a visible symbol (a carriage return, ESC or NUL never reach a terminal)."""
    return text.replace("\r\n", "\n").translate(_PICTURES)


def pictured(text: str) -> str:
    """`text` with every control character, line breaks and tabs too, as one
    visible symbol: the same length, for showing a field as it is typed."""
    return text.translate(_EVERY_PICTURE)


def one_line(text: str) -> str:
    """`text` for a single line of a table: controls visible, line breaks as ⏎."""
    return text.replace("\r\n", "\n").translate(_ONE_LINE)
