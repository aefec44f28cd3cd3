"""After documents are received: their receipt numbers, and the customer's slip."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen

from kela_tui import printing
from kela_tui.errors import KelaError
from kela_tui.keys import translate_bindings
from kela_tui.models import Document
from kela_tui.widgets.guarded import Guarded
from kela_tui.widgets.literal import Plain, PlainLabel, literal


class SlipDialog(Guarded, ModalScreen):
    BINDINGS = [
        Binding("p", "print", "slip.print"),
        Binding("escape,enter", "close", "slip.close"),
    ]

    def __init__(self, received: list[Document]) -> None:
        super().__init__()
        self.t = self.app.t
        self.received = received
        translate_bindings(self, self.t)

    def compose(self) -> ComposeResult:
        t = self.t
        with Vertical(classes="dialog"):
            yield PlainLabel(
                t("slip.dialog_title", count=len(self.received)), classes="dialog-title"
            )
            yield Plain(
                "\n".join(f"{d.receipt}  {t(f'document.{d.kind}')}" for d in self.received),
                id="receipts",
            )
            yield Plain(t("slip.deadline", day=t.date(self.received[0].deadline, "long")))
            yield Plain("", id="print-result")
            yield Plain(t("slip.hint"), classes="form-hint")

    def action_print(self) -> None:
        t = self.t
        result = self.query_one("#print-result", Plain)
        from kela_tui import receipts  # jinja2 is loaded only when a slip is printed

        try:
            slip = receipts.slip(self.app.ctx, self.received, t)
            printed = printing.print_document(
                slip.name, slip.text, slip.html, printer=self.app.ctx.config.printer
            )
        except KelaError as error:
            result.update(literal(t.error(error), "$text-error"))
            return
        if printed.printer:
            result.update(t("slip.printed"))
        else:
            result.update(t("slip.opened" if printed.opened else "slip.saved", path=printed.path))

    def action_close(self) -> None:
        self.dismiss(None)
