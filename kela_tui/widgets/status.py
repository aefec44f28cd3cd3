"""The line above a screen's content that says what just happened."""

from __future__ import annotations

from textual.widgets import Static


class StatusLine(Static):
    """A confirmation, warning or refusal, coloured by the theme."""

    def __init__(self) -> None:
        super().__init__("", id="status")

    def say(self, text: str, kind: str = "ok") -> None:
        """`kind` is ok, warning or error; info is plain."""
        self.set_classes(f"status-{kind}")
        self.update(text)
