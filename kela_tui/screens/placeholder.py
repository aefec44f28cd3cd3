"""A screen whose full version is still to come: says so in the user's language."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, Static


class PendingScreen(Screen):
    """Title and a line saying what the screen will hold."""

    MESSAGE = ""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.body(), classes="pending")
        yield Footer()

    def body(self) -> str:
        return self.app.t(self.MESSAGE)
