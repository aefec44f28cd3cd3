"""The footer of every screen: compact where the window is narrow, so that
the screen's own keys (which come first) stay in view at 80 columns."""

from __future__ import annotations

from textual import events
from textual._context import active_app
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

# Below this many columns the screens fold their side panels (app.py).
WIDE = 110
# Every screen gets -narrow below WIDE columns and -wide from it: side panels
# fold away, tiles and charts lay out again (app.tcss, screens).
HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WIDE, "-wide")]


class KelaFooter(Footer):
    def __init__(self, **kwargs) -> None:
        # Compact from the start where the window is narrow, so that the keys
        # are not styled twice before the first frame (the footer spans the
        # window).
        app = active_app.get(None)
        kwargs.setdefault("compact", app is not None and app.size.width < WIDE)
        super().__init__(**kwargs)

    def on_resize(self, event: events.Resize) -> None:
        self.compact = event.size.width < WIDE

    # Textual composes the footer's keys anew whenever the screen's bindings
    # may have changed (each time the screen is shown, each focus change):
    # some forty widgets mounted and styled, a third of a screen switch. The
    # keys are composed again only when what they show did change.

    def _shown(self) -> tuple | None:
        if not self._bindings_ready:
            return None
        keys = tuple(
            (binding.key, binding.action, binding.description, enabled, tooltip, binding.group)
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show
        )
        return keys, self.show_command_palette

    def compose(self):
        self._composed_for = self._shown()
        for widget in super().compose():
            if self.compact and isinstance(widget, FooterKey):
                # Given its class now, a key is styled once as it mounts, not
                # again when its compact follows the footer's.
                widget.add_class("-compact", update=False)
            yield widget

    def bindings_changed(self, screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        if self.is_attached and self._shown() != getattr(self, "_composed_for", None):
            await self.recompose()
