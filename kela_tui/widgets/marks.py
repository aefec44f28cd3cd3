"""Symbols that say what a colour says, for a terminal without colours
(NO_COLOR), a colour-blind eye, a screen reader or a braille display: a
state is never shown by its colour alone. Each is one cell wide in every
terminal (no emoji presentation)."""

from __future__ import annotations

WARNING = "⚠"  # overdue, past the session limit, a warning said
ERROR = "✗"  # a refusal or an error said
# By the kind of a status line or a notification.
BY_KIND = {"warning": WARNING, "error": ERROR}


def marked(text, kind: str):
    """`text` (a str or a Content) after the symbol of `kind`, when it has
    one and the text does not already begin with a symbol of its own."""
    mark = BY_KIND.get(kind)
    if mark is None or not text or str(text)[:1] in "✓✗⚠":
        return text
    return f"{mark} {text}" if isinstance(text, str) else f"{mark} " + text


def due(t, deadline, today) -> str:
    """A document's deadline in words: "due today" on its last day, else
    the day."""
    if deadline == today:
        return t("forward.due_today")
    return t("forward.due", day=t.date(deadline))
