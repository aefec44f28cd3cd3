"""Where the terminal's cursor goes: on the focused row or field, so that a
screen reader or a braille display, which follow the terminal's cursor,
follow the work. Textual hides the cursor and leaves it where a text field
put it; the app shows it and moves it here before every frame."""

from __future__ import annotations

from textual.geometry import Offset
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import DataTable, Input, OptionList

# Makes the terminal's cursor visible (Textual's driver hides it at start).
SHOW = "\x1b[?25h"


def focus_offset(focused: Widget | None) -> Offset | None:
    """The screen cell of the focused widget's current row, option or
    character: a field's cursor, the start of a table's highlighted row (the
    highlighted cell in a cell cursor), the start of a list's highlighted
    option, otherwise the widget's first cell. None when nothing is focused
    or it is not on the screen."""
    if focused is None or not focused.is_mounted or not focused.region:
        return None
    content = focused.content_region
    scroll_x, scroll_y = int(focused.scroll_x), int(focused.scroll_y)
    if isinstance(focused, Input):
        # On the cell where the next character goes: Textual's own offset is
        # one cell further at the end of the text (room for its block cursor).
        cell = focused._position_to_cell(focused.cursor_position)
        return Offset(content.x + cell - scroll_x, content.y)
    if isinstance(focused, DataTable) and focused.row_count:
        row = focused.cursor_row
        if focused.cursor_type == "cell":
            region = focused._get_cell_region(focused.cursor_coordinate)
        else:
            region = focused._get_row_region(row)
        # The header stays at the top while the rows scroll under it.
        fixed = focused.header_height if focused.show_header else 0
        y = region.y - scroll_y if region.y - scroll_y >= fixed else fixed
        x = region.x - scroll_x if focused.cursor_type == "cell" else 0
        return _inside(content, Offset(content.x + max(0, x), content.y + y))
    if isinstance(focused, OptionList) and focused.highlighted is not None:
        focused._update_lines()
        line = focused._index_to_line.get(focused.highlighted)
        if line is not None:
            return _inside(content, Offset(content.x, content.y + line - scroll_y))
    return Offset(content.x, content.y)


def _inside(region, offset: Offset) -> Offset:
    """The offset kept inside the widget's region (a row scrolled out of view
    leaves the cursor on the nearest edge)."""
    x = min(max(offset.x, region.x), region.right - 1)
    y = min(max(offset.y, region.y), region.bottom - 1)
    return Offset(x, y)


def dialog_offset(screen: Screen) -> Offset | None:
    """A dialog with nothing to focus (a question, a slip, the quit check):
    the first cell of the dialog, its title, so that a screen reader reads
    the dialog rather than the screen behind it."""
    if not isinstance(screen, ModalScreen) or screen.focused is not None:
        return None
    for child in screen.children:
        if child.is_mounted and child.region:
            region = child.content_region
            return Offset(region.x, region.y)
    return None
