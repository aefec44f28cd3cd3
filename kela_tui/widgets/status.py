"""The line above a screen's content that says what just happened."""

from __future__ import annotations

from textual.content import Content

from kela_tui.widgets import marks
from kela_tui.widgets.literal import Plain


class StatusLine(Plain):
    """A confirmation, warning or refusal, coloured by the theme. Its text often
    quotes what was typed, so it is always shown literally."""

    def __init__(self) -> None:
        super().__init__("", id="status")

    def say(self, text: str | Content, kind: str = "ok") -> None:
        """`kind` is ok, warning or error; info is plain. A warning or an
        error begins with its symbol as well as its colour."""
        self.set_classes(f"status-{kind}")
        self.update(marks.marked(text, kind))
