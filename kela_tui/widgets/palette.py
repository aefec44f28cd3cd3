"""Textual's command palette, worded in the chosen language: its placeholder
and its line for a search that found nothing."""

from __future__ import annotations

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette
from textual.widgets.option_list import Option

from kela_tui.keys import translate_textual


class KelaPalette(CommandPalette):
    def __init__(self, t, *, providers=None, placeholder: str = "Search for commands…", **kwargs):
        super().__init__(providers, placeholder=translate_textual(placeholder, t), **kwargs)
        self.t = t

    def _start_no_matches_countdown(self, search_value: str) -> None:
        """As Textual's, with "No matches found" translated."""
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                nothing = translate_textual("No matches found", self.t)
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text(nothing, style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)
