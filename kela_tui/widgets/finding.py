"""Finding one's way in the daily log: a receipt by its number, a day by its
date. Each dialog's result is where the log goes; what it was asked for is
checked here and refused in the dialog."""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from kela_tui import documents, privacy
from kela_tui.clock import from_utc_naive, parse_recent_day
from kela_tui.errors import BadInput, KelaError
from kela_tui.i18n import Msg
from kela_tui.models import Document
from kela_tui.widgets.forms import Form
from kela_tui.widgets.literal import Field, Plain, PlainLabel, literal

# The longest receipt number (the point's code is at most 32 characters).
QUERY_LENGTH = 64


class FindReceipt(Form):
    """`enter` searches; one receipt found is gone to at once, several are
    listed to choose from with the arrows and `enter`."""

    TITLE = "register.find_title"
    HINT = "register.find_hint"

    def __init__(self) -> None:
        super().__init__()
        self.found: list[Document] = []

    def fields(self) -> ComposeResult:
        yield PlainLabel(self.t("register.find_label"))
        yield Field(id="query", max_length=QUERY_LENGTH)
        yield Plain("", id="found-count")
        matches = OptionList(id="matches", markup=False)
        matches.display = False
        yield matches

    def action_save(self) -> None:
        matches = self.query_one("#matches", OptionList)
        if matches.has_focus and self.found:
            self.dismiss(self.found[matches.highlighted or 0])
            return
        try:
            found = self.search()
        except KelaError as error:
            self.query_one("#form-error", Plain).update(self.t.error(error))
            return
        if found is not None:
            self.dismiss(found)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.found[event.option_index])

    def search(self) -> Document | None:
        """The one receipt that matches; several are listed instead (None)."""
        t = self.t
        query = self.value("query")
        found = documents.find_receipts(self.ctx, query)
        if not found.documents:
            raise BadInput("receipt_not_found", query=query.strip())
        if found.total == 1:
            return found.documents[0]
        self.found = found.documents
        matches = self.query_one("#matches", OptionList)
        matches.clear_options()
        matches.add_options(Option(literal(self.describe(d))) for d in found.documents)
        matches.highlighted = 0
        matches.display = True
        key = (
            "register.found_many" if found.total == len(found.documents) else "register.found_more"
        )
        self.query_one("#found-count", Plain).update(
            t(key, count=found.total, shown=len(found.documents))
        )
        self.query_one("#form-error", Plain).update("")
        matches.focus()
        return None

    def describe(self, document: Document) -> str:
        t = self.t
        at = from_utc_naive(document.at)
        if document.status != "active":
            state = t("register.state_voided")
        elif document.forwarded_at is not None:
            state = t("register.state_forwarded")
        else:
            state = t("register.state_waiting")
        return (
            f"{document.receipt}  {t(f'document.{document.kind}')}  "
            f"{t.date(at.date())} {t.time(at)}  {state}"
        )


class GoToDay(Form):
    """A day typed the Finnish way (`1.9.`, `1.9.2026`) or as ISO, within the
    agreement and not in the future."""

    TITLE = "register.goto_title"
    HINT = "register.goto_hint"

    def fields(self) -> ComposeResult:
        yield PlainLabel(self.t("register.goto_label"))
        yield Field(id="day", max_length=12)

    def submit(self) -> date:
        ctx = self.ctx
        today = ctx.today()
        typed = self.value("day")
        privacy.guard(typed, Msg("register.day_field"))  # refused, not said back
        day = parse_recent_day(typed, today)
        if day > today:
            raise BadInput("goto_future", day=day)
        agreement = ctx.point
        if day < agreement.agreement_start:
            raise BadInput("goto_before_agreement", day=day, start=agreement.agreement_start)
        if agreement.agreement_end and day > agreement.agreement_end:
            raise BadInput("goto_after_agreement", day=day, end=agreement.agreement_end)
        return day
