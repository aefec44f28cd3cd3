"""The one way text reaches the screen: literally.

Whatever a person typed or a file holds (a note, a staff or site name, a
reason, a message quoting a typed value) is shown as it is: never read as
Textual or Rich markup, where `[/]` would end the program and `[b]` would
vanish, and never as terminal control, where ESC would steer the terminal.
Widgets get `Content` or rich `Text` objects built here, never a markup
string, and `Static`s and `Label`s are made with `markup=False`."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual import events
from textual.content import Content
from textual.widgets import Input, Label, Static

from kela_tui.controls import one_line, pictured, visible

Part = str | Content | tuple[str, str]


def cell(text: str | None, style: str = "", width: int | None = None) -> Text:
    """A table cell: one line, literal; cut to `width` columns with an
    ellipsis when given (the whole text is in the row's dialog)."""
    shown = one_line(text or "")
    if width is not None and cell_len(shown) > width:
        shown = set_cell_size(shown, max(width - 1, 0)).rstrip() + "…"
    return Text(shown, style=style)


def literal(text: str | None, style: str = "") -> Content:
    """Text shown as it is, control characters made visible."""
    return Content.styled(visible(text or ""), style)


def assemble(*parts: Part) -> Content:
    """Pieces of literal text, some with a style: ("overdue", "$text-error")."""
    return Content.assemble(
        *(
            visible(part)
            if isinstance(part, str)
            else (visible(part[0]), part[1])
            if isinstance(part, tuple)
            else part
            for part in parts
        )
    )


def lines(*rows: Content | str) -> Content:
    """Rows of literal content, one per line."""
    return Content("\n").join(row if isinstance(row, Content) else literal(row) for row in rows)


def _shown(content: str | Content | Text) -> Content | Text:
    return literal(content) if isinstance(content, str) else content


class Plain(Static):
    """A Static that shows its text literally."""

    def __init__(self, content: str | Content = "", **kwargs) -> None:
        super().__init__(_shown(content), markup=False, **kwargs)

    def update(self, content: str | Content = "", *, layout: bool = True) -> None:
        super().update(_shown(content), layout=layout)


class PlainLabel(Label):
    """A Label that shows its text literally."""

    def __init__(self, content: str | Content = "", **kwargs) -> None:
        super().__init__(_shown(content), markup=False, **kwargs)

    def update(self, content: str | Content = "", *, layout: bool = True) -> None:
        super().update(_shown(content), layout=layout)


class Field(Input):
    """A text field that shows what it holds as text: a control character
    pasted in (or stored by an older version and put back for correcting) is
    shown as its symbol, never sent to the terminal, and the form refuses it
    when saved. A paste longer than the field takes is cut to what fits.
    `typed` says whether it holds anything else than what it was opened with
    (quitting asks first then)."""

    def __init__(self, value: str | None = None, *args, **kwargs) -> None:
        super().__init__(value, *args, **kwargs)
        self.first = self.value

    @property
    def typed(self) -> bool:
        return self.value != self.first

    @property
    def _value(self) -> Text:
        if self.password:
            return super()._value
        return Text(pictured(self.value), no_wrap=True, overflow="ignore", end="")

    def _on_paste(self, event: events.Paste) -> None:
        # Textual calls Input's own handler after this one, with the text cut.
        if self.max_length and event.text:
            room = max(0, self.max_length - len(self.value) + len(self.selected_text))
            event.text = event.text.splitlines()[0][:room]
