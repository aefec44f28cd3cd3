"""Ticks that show without colour: Textual draws a ticked and an unticked
box with the same "X" in two colours, which NO_COLOR, a colour-blind eye or
a braille display cannot tell apart. Here an unticked box is empty."""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import Checkbox, SelectionList
from textual.widgets._toggle_button import ToggleButton

TICKED = ToggleButton.BUTTON_INNER
UNTICKED = " "


class TickBox(Checkbox):
    def render(self):
        # Read by ToggleButton._button when it draws the box.
        self.BUTTON_INNER = TICKED if self.value else UNTICKED
        return super().render()


class TickList(SelectionList):
    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        if len(segments) < 3 or segments[0].text != ToggleButton.BUTTON_LEFT:
            return strip
        try:
            selection = self.get_option_at_index(int(self.scroll_offset.y) + y)
        except Exception:  # noqa: BLE001 - a line past the options: as drawn
            return strip
        inner = TICKED if selection.value in self._selected else UNTICKED
        segments[1] = Segment(inner, segments[1].style)
        return Strip(segments, strip.cell_length)
