"""F5: the monthly statement: preview, issue (closes the month), print, export."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header

from kela_tui import db as storage
from kela_tui import export, printing, spreadsheet, statement, text
from kela_tui.changes import Changes
from kela_tui.errors import KelaError
from kela_tui.keys import translate_bindings
from kela_tui.months import Month, is_closed
from kela_tui.widgets.footer import KelaFooter
from kela_tui.widgets.forms import Form
from kela_tui.widgets.guarded import Guarded
from kela_tui.widgets.literal import Field, Plain, PlainLabel
from kela_tui.widgets.status import StatusLine


class IssueForm(Form):
    """Issuing closes the month: asked once more."""

    TITLE = "statement.issue_title"
    HINT = "grammar.confirm_hint"

    def __init__(self, month: Month) -> None:
        super().__init__()
        self.month = month

    def fields(self) -> ComposeResult:
        yield Plain(self.t("statement.issue_confirm", month=self.month))
        # A later version with the account or business IDs this month lacks:
        # said before the month is closed, while it can still be set.
        missing = statement.missing_parties(self.ctx, self.month)
        if missing is not None:
            # Named as F6 names the fields, not by the settings' keys.
            names = missing.params["names"]
            keys = ", ".join(self.t(f"parties.key_{name}") for name in names)
            yield Plain(
                self.t(missing.key, **{**missing.params, "keys": keys}), id="missing-parties"
            )

    def submit(self):
        return statement.issue(self.ctx, self.month, self.t)


class ReopenForm(Form):
    TITLE = "statement.reopen_title"

    def __init__(self, month: Month) -> None:
        super().__init__()
        self.month = month

    def fields(self) -> ComposeResult:
        yield PlainLabel(self.t("statement.reopen_reason"))
        yield Field(id="reason", max_length=text.REASON)

    def submit(self):
        return statement.reopen(self.ctx, self.month, self.value("reason"))


class ExportChoice(Form):
    """Which file the month's services go to: CSV (as before) or a
    spreadsheet (XLSX). `c` and `x` choose at once."""

    TITLE = "xlsx.choose_title"
    HINT = "grammar.choice_hint"
    BINDINGS = [
        Binding("c", "pick('csv')", "xlsx.key_csv", show=False),
        Binding("x", "pick('xlsx')", "xlsx.key_xlsx", show=False),
    ]

    def __init__(self, current: str = "csv") -> None:
        super().__init__()
        self.current = current

    def fields(self) -> ComposeResult:
        t = self.t
        formats = [("csv", t("xlsx.choose_csv")), ("xlsx", t("xlsx.choose_xlsx"))]
        yield self.options("format", formats, self.current)
        yield Plain(t("xlsx.choose_where", folder=printing.output_folder()), classes="form-hint")

    def submit(self) -> str:
        return self.choice("format")

    def action_pick(self, chosen: str) -> None:
        self.dismiss(chosen)


class StatementScreen(Guarded, Screen):
    DEFAULT_CSS = """
        #preview-box {
            padding: 0 2;
        }
    """
    BINDINGS = [
        # The footer shows them in this order: the most used first, so that
        # they stay in view at 80 columns.
        Binding("i", "issue", "key.issue", id="kela.statement.issue"),
        Binding("p", "print", "key.print", id="kela.statement.print"),
        Binding("r", "reopen", "key.reopen", id="kela.statement.reopen"),
        Binding("x", "export", "key.export", id="kela.statement.export"),
        Binding("left_square_bracket", "month(-1)", "key.previous_month", id="kela.st.previous"),
        Binding("right_square_bracket", "month(1)", "key.next_month", id="kela.st.next"),
    ]

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self, self.app.t)
        ctx = self.app.ctx
        # The month to claim is usually the one just over.
        self.month = max(Month.of(ctx.today()).previous(), Month.of(ctx.point.agreement_start))
        self.notice = ""
        # What the preview shows (month, today), and what was written since.
        self.shown: tuple | None = None
        self.changes = Changes()
        # How many times the preview was made (for tests).
        self.loads = 0
        # The export's format chosen last, offered first the next time.
        self.export_format = "csv"

    def compose(self) -> ComposeResult:
        yield Header()
        yield StatusLine()
        with VerticalScroll(id="preview-box"):
            yield Plain("", id="preview")
        yield KelaFooter()

    def on_screen_resume(self) -> None:
        # Made again only when something was written since, or the day
        # moved on: coming back to the same month shows it as it was.
        with storage.reading(self.app.ctx.db):
            new = self.changes.look()
        if new or new is None or self.notice or self.shown != self.wanted():
            self.show_month(looked=True)

    def wanted(self) -> tuple:
        return (self.month, self.app.ctx.today())

    def show_month(self, looked: bool = False) -> None:
        t, ctx = self.app.t, self.app.ctx
        if not looked:
            with storage.reading(ctx.db):
                self.changes.look()
        self.shown = self.wanted()
        self.loads += 1
        self.sub_title = t("statement.screen_title", month=t.month(self.month.first))
        try:
            data = statement.prepare(ctx, self.month)
        except KelaError as error:
            self.query_one("#preview", Plain).update("")
            self.say(t.error(error), "error")
            return
        text, _ = statement.render_document(data, t)
        self.query_one("#preview", Plain).update(text)
        if data.stored is not None:
            self.say(
                t(
                    "statement.state_issued",
                    revision=data.stored.revision,
                    sha=data.stored.sha256[:12],
                )
            )
        elif self.month.last >= ctx.today():
            self.say(self.not_yet(), "warning")
        else:
            self.say(t("statement.state_draft"), "warning")
        if self.notice:
            self.say(self.notice, "warning")
            self.notice = ""

    def not_yet(self) -> str:
        """The current month is a draft only: from which day it can be issued."""
        t = self.app.t
        return t("statement.state_current", day=self.month.next().first)

    def say(self, text: str, kind: str = "ok") -> None:
        self.query_one(StatusLine).say(text, kind)

    def action_month(self, step: int) -> None:
        ctx = self.app.ctx
        target = self.month.next() if step > 0 else self.month.previous()
        if Month.of(ctx.point.agreement_start) <= target <= Month.of(ctx.today()):
            self.month = target
            self.show_month()

    def action_issue(self) -> None:
        ctx = self.app.ctx
        if self.month.last >= ctx.today():
            self.say(self.not_yet(), "warning")
            return
        if is_closed(ctx.site, self.month):
            self.say(self.app.t("statement.already_closed"), "warning")
            return

        def issued(result) -> None:
            if result is not None:
                self.keep_pdfs(result)

        # The preview is redrawn when the screen resumes after the dialog.
        self.app.push_screen(IssueForm(self.month), issued)

    @work(thread=True, exclusive=True, group="statement-pdf", exit_on_error=False)
    def keep_pdfs(self, issued) -> None:
        """The issued statement's PDFs, made and stored after the issue; the
        counter goes on meanwhile."""
        ctx, t = self.app.ctx, self.app.t
        self.app.call_from_thread(self.busy, t("statement.making_pdfs"))
        try:
            with ctx.db.connection_context():
                kept = statement.keep_pdfs(ctx, issued)
        except Exception as error:  # noqa: BLE001 - the issue itself is done
            self.app.call_from_thread(self.done_busy)
            self.app.call_from_thread(self.app.report, error)
            return
        self.app.call_from_thread(self.done_busy)
        if not kept:
            self.app.call_from_thread(self.say, t("warning.pdf_later"), "warning")

    def busy(self, text: str) -> None:
        self.say(text, "info")
        self.query_one(StatusLine).loading = True

    def done_busy(self) -> None:
        self.query_one(StatusLine).loading = False
        self.show_month()

    def action_reopen(self) -> None:
        def done(event) -> None:
            if event is not None:
                # Shown when the screen resumes after the dialog.
                self.notice = self.app.t("cli.reopened", month=self.month)

        self.app.push_screen(ReopenForm(self.month), done)

    def action_print(self) -> None:
        self.busy(self.app.t("statement.printing"))
        self.print_month(self.month)

    @work(thread=True, exclusive=True, group="statement", exit_on_error=False)
    def print_month(self, month: Month) -> None:
        ctx, t = self.app.ctx, self.app.t
        try:
            with ctx.db.connection_context():
                message, kind = self.print_or_save(month)
        except KelaError as error:
            message, kind = t.error(error), "error"
        except Exception as error:  # noqa: BLE001 - printing never ends the program
            self.app.call_from_thread(self.done_printing, "", "info")
            self.app.call_from_thread(self.app.report, error)
            return
        self.app.call_from_thread(self.done_printing, message, kind)

    def print_or_save(self, month: Month) -> tuple[str, str]:
        """Print the statement's formatted PDF (see printing.py); without a
        printer, save it and open it; without what PDFs need (Pango), the
        HTML instead, saying what to install. Never the plain text."""
        ctx, t = self.app.ctx, self.app.t
        name = statement.number(ctx, month)
        _text, html = statement.document(ctx, month, t)
        printed = printing.print_document(
            name, lambda: statement.pdf(ctx, month, t), html, printer=ctx.config.printer
        )
        return printing.said(printed, t, "statement")

    def done_printing(self, message: str, kind: str) -> None:
        self.query_one(StatusLine).loading = False
        if message:
            self.say(message, kind)
            if self.app.screen is not self:
                # Printing went on while the staff went back to the counter:
                # the result is told on whatever screen is open.
                failed = kind == "error"
                self.app.notify(
                    message,
                    severity="error" if failed else "information",
                    markup=False,
                    timeout=30 if failed else 8,
                )

    def action_export(self) -> None:
        def chosen(fmt: str | None) -> None:
            if fmt is not None:
                self.export_format = fmt
                self.busy(self.app.t("xlsx.exporting"))
                self.export_month(self.month, fmt)

        self.app.push_screen(ExportChoice(self.export_format), chosen)

    @work(thread=True, group="statement-export", exit_on_error=False)
    def export_month(self, month: Month, fmt: str) -> None:
        """The month's services to a file in the documents folder, where the
        statement's PDF goes; a year's spreadsheet takes a moment, the
        counter goes on meanwhile."""
        ctx, t = self.app.ctx, self.app.t
        try:
            with ctx.db.connection_context():
                statement.check_begun(ctx, month)
                records = export.rows(ctx, month)
                if fmt == "xlsx":
                    content = spreadsheet.month_workbook(ctx, month, records, t)
                else:
                    content = export.to_csv(records)
                path = printing.save(spreadsheet.file_name(ctx, month), content, fmt)
        except KelaError as error:
            message, kind = t.error(error), "error"
        except Exception as error:  # noqa: BLE001 - an export never ends the program
            self.app.call_from_thread(self.done_printing, "", "info")
            self.app.call_from_thread(self.app.report, error)
            return
        else:
            message, kind = t("statement.exported", count=len(records), path=path), "ok"
        self.app.call_from_thread(self.done_printing, message, kind)
