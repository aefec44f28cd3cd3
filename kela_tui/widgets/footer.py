"""The footer of every screen: compact where the window is narrow, so that
the screen's own keys (which come first) stay in view at 80 columns."""

from __future__ import annotations

from textual import events
from textual.widgets import Footer

# Below this many columns the screens fold their side panels (app.py).
WIDE = 110


class KelaFooter(Footer):
    def on_resize(self, event: events.Resize) -> None:
        self.compact = event.size.width < WIDE
