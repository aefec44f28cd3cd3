"""A small modal to choose the staff member on duty."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from kela_tui.models import Staff
from kela_tui.widgets.guarded import Guarded
from kela_tui.widgets.literal import PlainLabel, literal


class StaffPicker(Guarded, ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", show=False)]

    def __init__(self, staff: list[Staff], current: Staff, title: str) -> None:
        super().__init__()
        self.staff = staff
        self.current = current
        self.heading = title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield PlainLabel(self.heading, classes="dialog-title")
            yield OptionList(
                *(Option(literal(f"{s.name}  ({s.code})"), id=s.code) for s in self.staff),
                markup=False,
            )

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        codes = [s.code for s in self.staff]
        options.highlighted = codes.index(self.current.code) if self.current.code in codes else 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
