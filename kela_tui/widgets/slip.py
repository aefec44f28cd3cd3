"""After documents are received: their receipt numbers, and the customer's
slip. Opened again from a document row, it prints a copy, marked as one."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen

from kela_tui import printing
from kela_tui.clock import from_utc_naive
from kela_tui.errors import KelaError
from kela_tui.keys import translate_bindings
from kela_tui.models import Document
from kela_tui.widgets import marks
from kela_tui.widgets.guarded import Guarded
from kela_tui.widgets.literal import Plain, PlainLabel, literal


class SlipDialog(Guarded, ModalScreen):
    BINDINGS = [
        Binding("p", "print", "slip.print"),
        Binding("escape,enter", "close", "slip.close"),
    ]

    def __init__(self, received: list[Document], *, copy: bool = False) -> None:
        super().__init__()
        self.t = self.app.t
        self.received = received
        self.copy = copy
        translate_bindings(self, self.t)

    def compose(self) -> ComposeResult:
        t = self.t
        first = self.received[0]
        with Vertical(classes="dialog"):
            if self.copy:
                at = from_utc_naive(first.at)
                title = t(
                    "register.copy_title",
                    count=len(self.received),
                    at=at,
                )
            else:
                title = t("slip.dialog_title", count=len(self.received))
            yield PlainLabel(title, classes="dialog-title")
            yield Plain(
                "\n".join(f"{d.receipt}  {t(f'document.{d.kind}')}" for d in self.received),
                id="receipts",
            )
            forwarded = [d.forwarded_at for d in self.received]
            if self.copy and all(forwarded):
                day = from_utc_naive(max(forwarded)).date()
                yield Plain(t("register.forwarded_on", day=t.date(day, "long")))
            else:
                yield Plain(t("slip.deadline", day=t.date(first.deadline, "long")))
            yield Plain("", id="print-result")
            yield Plain(t("register.copy_hint" if self.copy else "slip.hint"), classes="form-hint")

    def action_print(self) -> None:
        self.query_one("#print-result", Plain).update(self.t("statement.printing"))
        self.print_slip()

    @work(thread=True, exclusive=True, group="slip", exit_on_error=False)
    def print_slip(self) -> None:
        """The slip's PDF to the printer (see printing.py): made and sent in
        the background, so the counter never waits for WeasyPrint or lp."""
        app, t = self.app, self.t
        from kela_tui import receipts  # jinja2 is loaded only when a slip is printed

        try:
            with app.ctx.db.connection_context():
                slip = receipts.slip(app.ctx, self.received, t, copy=self.copy)
            printed = printing.print_document(
                slip.name, slip.pdf, slip.html, printer=app.ctx.config.printer
            )
        except KelaError as error:
            app.call_from_thread(self.show_result, marks.marked(t.error(error), "error"), "error")
            return
        except Exception as error:  # noqa: BLE001 - printing never ends the program
            app.call_from_thread(self.show_result, "", "info")
            app.call_from_thread(app.report, error)
            return
        message, kind = printing.said(printed, t, "slip")
        if kind == "warning":
            message = marks.marked(message, "warning")
        app.call_from_thread(self.show_result, message, kind)

    def show_result(self, message: str, kind: str) -> None:
        if self not in self.app.screen_stack:
            # Closed while the slip was printing: said all the same.
            if message:
                severity = {"ok": "information", "info": "information"}.get(kind, kind)
                self.app.notify(message, severity=severity, markup=False)
            return
        result = self.query_one("#print-result", Plain)
        if kind in ("error", "warning"):
            result.update(literal(message, f"$text-{kind}"))
        else:
            result.update(message)

    def action_close(self) -> None:
        self.dismiss(None)
