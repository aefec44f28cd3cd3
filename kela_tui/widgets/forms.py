"""Small modal forms: `enter` saves, `escape` cancels. A refusal is shown in
the form, which keeps what was typed so it can be fixed."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, SelectionList
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from kela_tui import documents, feedback, services, text
from kela_tui.catalogue import (
    CATEGORIES,
    DOCUMENT_KINDS,
    EXCLUDED_DOCUMENTS,
    FEEDBACK_KINDS,
)
from kela_tui.clock import from_utc_naive, wall_time
from kela_tui.controls import one_line
from kela_tui.documents import FORWARD_METHODS
from kela_tui.errors import BadInput, KelaError
from kela_tui.i18n import Msg
from kela_tui.keys import translate_bindings
from kela_tui.models import Service
from kela_tui.widgets import marks
from kela_tui.widgets.guarded import Guarded
from kela_tui.widgets.literal import Field, Plain, PlainLabel, literal
from kela_tui.widgets.ticks import TickList


def parse_clock(text: str, day: date) -> datetime:
    """A time typed as HH:MM (or H.MM) on `day`, in Finnish time; a time that
    does not exist that day (clocks going forward) is refused."""
    try:
        hours, minutes = text.strip().replace(".", ":").split(":")
        at = datetime.combine(day, time(int(hours), int(minutes)))
    except ValueError:
        raise BadInput("bad_clock_time", value=text) from None
    return wall_time(at)


class Form(Guarded, ModalScreen):
    """A dialog whose `submit` calls the domain; its result dismisses it."""

    BINDINGS = [
        Binding("enter", "save", "form.save", priority=True),
        Binding("escape", "cancel", "form.cancel"),
    ]
    TITLE = ""
    HINT = "form.hint"

    def __init__(self) -> None:
        super().__init__()
        self.t = self.app.t
        self.ctx = self.app.ctx
        translate_bindings(self, self.t)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield PlainLabel(self.t(self.TITLE), classes="dialog-title")
            yield from self.fields()
            yield Plain("", id="form-error", classes="form-error")
            yield Plain(self.t(self.HINT), classes="form-hint")

    def on_mount(self) -> None:
        # Opened in a short window, the form shows its title first (focusing
        # the first field may have scrolled it away).
        self.call_after_refresh(self.query_one(".dialog").scroll_home, animate=False)

    def on_resize(self) -> None:
        # A window made smaller keeps the field being typed into in view.
        focused = self.focused
        if focused is not None:
            self.call_after_refresh(focused.scroll_visible, animate=False)

    def fields(self) -> ComposeResult:
        yield from ()

    def submit(self) -> object:
        raise NotImplementedError

    def action_save(self) -> None:
        try:
            result = self.submit()
        except KelaError as error:
            self.query_one("#form-error", Plain).update(self.t.error(error))
            return
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def value(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Field).value

    def choice(self, widget_id: str) -> str:
        options = self.query_one(f"#{widget_id}", OptionList)
        return options.get_option_at_index(options.highlighted or 0).id

    def options(self, widget_id: str, items: list[tuple[str, str]], current: str | None = None):
        options = OptionList(
            *(Option(literal(label), id=key) for key, label in items), id=widget_id, markup=False
        )
        keys = [key for key, _ in items]
        options.highlighted = keys.index(current) if current in keys else 0
        return options


class Backdated(Form):
    """A form that, on an earlier day, asks the time of the entry too."""

    def __init__(self, day: date, visit_of: int | None = None) -> None:
        super().__init__()
        self.day = day
        self.visit_of = visit_of
        # Decided when the form opens: one opened before midnight and saved
        # after it still has the fields it was shown with.
        self.backdating = day != self.ctx.today()

    def time_field(self) -> ComposeResult:
        if self.backdating:
            yield PlainLabel(self.t("form.time", day=self.t.date(self.day, "long")))
            yield Field(value=self.ctx.now().strftime("%H:%M"), id="time", max_length=5)

    def moment(self) -> datetime | None:
        return parse_clock(self.value("time"), self.day) if self.backdating else None


class DocumentForm(Backdated):
    """What one customer hands in at once: how many of each type, received
    together under one document service with one slip; a kind the point may
    not receive refers the customer instead (counted)."""

    TITLE = "document.form_title"
    DEFAULT_CSS = """
    DocumentForm .bundle-line {
        height: 1;
        margin-bottom: 1;
    }
    DocumentForm .bundle-line PlainLabel {
        width: 1fr;
    }
    DocumentForm .bundle-line Field {
        width: 8;
        margin: 0;
    }
    """

    def fields(self) -> ComposeResult:
        t = self.t
        yield PlainLabel(t("register.bundle_counts"))
        for kind in DOCUMENT_KINDS:
            yield from self.count_line(
                kind, t(f"document.{kind}"), "1" if kind == "application" else ""
            )
        yield PlainLabel(t("register.bundle_excluded"))
        for kind in EXCLUDED_DOCUMENTS:
            yield from self.count_line(kind, f"✗ {t(f'document.{kind}')}", "")
        yield PlainLabel(t("document.note"))
        yield Field(id="note", max_length=text.NOTE)
        yield from self.time_field()

    def count_line(self, kind: str, label: str, value: str) -> ComposeResult:
        with Horizontal(classes="bundle-line"):
            yield PlainLabel(label)
            yield Field(
                value=value,
                placeholder="0",
                id=f"count-{kind}",
                type="integer",
                max_length=3,
                compact=True,
            )

    def submit(self):
        lines = []
        for kind in DOCUMENT_KINDS + EXCLUDED_DOCUMENTS:
            typed = self.value(f"count-{kind}").strip()
            # Digits as a keyboard types them (not ٣ or ３), naming the line.
            if typed and not re.fullmatch(r"[0-9]{1,3}", typed, re.ASCII):
                raise BadInput(
                    "bad_count_line",
                    kind=Msg(f"document.{kind}"),
                    count=typed,
                    most=documents.MAX_COUNT,
                )
            count = int(typed or 0)
            if count:
                lines.append((kind, count))
        return documents.take_in(
            self.ctx,
            lines,
            at=self.moment(),
            note=self.value("note"),
            visit_of=self.visit_of,
            refer_excluded=True,
        )


class FeedbackForm(Backdated):
    TITLE = "feedback.form_title"

    def fields(self) -> ComposeResult:
        t = self.t
        yield PlainLabel(t("feedback.text"))
        yield Field(id="text", max_length=text.FEEDBACK)
        yield PlainLabel(t("feedback.kind"))
        kinds = [(k, t(f"feedback.kind_{k}")) for k in FEEDBACK_KINDS]
        yield self.options("kind", kinds, "other")
        yield from self.time_field()

    def submit(self):
        return feedback.record_feedback(
            self.ctx,
            self.value("text"),
            self.choice("kind"),
            at=self.moment(),
            visit_of=self.visit_of,
        )


class EntryActions(Form):
    """What to do with a selected entry: correct it or void it."""

    TITLE = "entry.title"
    HINT = "grammar.choice_hint"

    def __init__(self, service: Service) -> None:
        super().__init__()
        self.service = service

    def fields(self) -> ComposeResult:
        t = self.t
        at = from_utc_naive(self.service.at)
        yield Plain(f"{t.time(at)}  {t(f'category.{self.service.category}')}")
        if self.service.note:
            # The whole note, which the table may have cut.
            yield Plain(self.service.note, id="entry-note", classes="entry-note")
        actions = [("correct", t("entry.correct")), ("void", t("entry.void"))]
        if self.service.category == "document":
            actions.append(("slip", t("register.entry_copy")))
        yield self.options("action", actions)

    def submit(self):
        return self.choice("action")


class CorrectForm(Form):
    TITLE = "entry.correct_title"

    def __init__(self, service: Service) -> None:
        super().__init__()
        self.service = service

    def fields(self) -> ComposeResult:
        t, service = self.t, self.service
        linked = service.category in services.OWN_FUNCTION
        choices = [
            (c.code, f"{c.hotkey}  {t(c.label_key)}")
            for c in CATEGORIES
            if (c.code == service.category) or not (linked or c.code in services.OWN_FUNCTION)
        ]
        yield PlainLabel(t("entry.category"))
        yield self.options("category", choices, service.category)
        yield PlainLabel(t("entry.time"))
        yield Field(value=from_utc_naive(service.at).strftime("%H:%M"), id="time", max_length=5)
        yield PlainLabel(t("entry.note"))
        yield Field(value=service.note or "", id="note", max_length=text.NOTE)

    def submit(self):
        service = self.service
        old_at = from_utc_naive(service.at)
        at = parse_clock(self.value("time"), service.day)
        category = self.choice("category")
        note = self.value("note").strip() or None
        if (category, at.strftime("%H:%M"), note) == (
            service.category,
            old_at.strftime("%H:%M"),
            service.note,
        ):
            return None
        return services.correct_service(
            self.ctx,
            service.id,
            category_name=category,
            at=None if at.strftime("%H:%M") == old_at.strftime("%H:%M") else at,
            note=note,
        )


class VoidForm(Form):
    TITLE = "entry.void_title"

    def __init__(self, service: Service) -> None:
        super().__init__()
        self.service = service

    def fields(self) -> ComposeResult:
        yield PlainLabel(self.t("entry.reason"))
        yield Field(id="reason", max_length=text.REASON)

    def submit(self):
        return services.void_service(self.ctx, self.service.id, self.value("reason"))


class ForwardForm(Form):
    """Mark waiting documents and feedback forwarded to Kela. What is due
    today or overdue comes ticked; `a` ticks everything (again: nothing)."""

    TITLE = "forward.title"
    BINDINGS = [Binding("a", "tick_all", "register.key_tick_all")]

    def fields(self) -> ComposeResult:
        t, ctx = self.t, self.ctx
        today = ctx.today()
        items = [
            Selection(
                literal(
                    # An overdue one is marked with a symbol, as in the side panel.
                    f"{marks.WARNING + ' ' if d.deadline < today else ''}"
                    f"{d.receipt}  {t(f'document.{d.kind}')}  "
                    f"{marks.due(t, d.deadline, today)}"
                ),
                f"doc:{d.receipt}",
                d.deadline <= today,
            )
            for d in documents.waiting(ctx)
        ]
        # Feedback has no deadline of its own: it is due as a document
        # handed in the same day would be.
        items += [
            Selection(
                literal(f"{t('forward.feedback')} {t.date(f.day)}  {one_line(f.text)[:40]}"),
                f"fb:{f.id}",
                ctx.calendar.forwarding_deadline(f.day) <= today,
            )
            for f in feedback.waiting(ctx)
        ]
        yield PlainLabel(t("forward.items"))
        yield TickList(*items, id="items")
        yield Plain(t("register.forward_hint"), classes="form-hint")
        yield PlainLabel(t("forward.method"))
        yield self.options("method", [(m, t(f"forward.method_{m}")) for m in FORWARD_METHODS])
        yield PlainLabel(t("forward.time"))
        yield Field(value=self.ctx.now().strftime("%H:%M"), id="time", max_length=5)

    def action_tick_all(self) -> None:
        items = self.query_one("#items", SelectionList)
        if len(items.selected) == items.option_count:
            items.deselect_all()
        else:
            items.select_all()

    def submit(self):
        chosen = self.query_one("#items", SelectionList).selected
        if not chosen:
            raise BadInput("no_receipts")
        return feedback.forward_items(
            self.ctx,
            [c[4:] for c in chosen if c.startswith("doc:")],
            [int(c[3:]) for c in chosen if c.startswith("fb:")],
            at=forwarding_time(self.value("time"), self.ctx.now()),
            method=self.choice("method"),
        )


def forwarding_time(typed: str, now: datetime) -> datetime:
    """A forwarding time typed for earlier today (HH:MM), as late in its
    minute as has passed: a document received at 10:30:45 can be forwarded
    "at 10:30". A time later than now is refused; one before a document's
    receipt is refused by `documents.forward_documents`."""
    at = parse_clock(typed, now.date())
    if at.replace(second=0, microsecond=0) > now.replace(second=0, microsecond=0):
        raise BadInput("forward_future", time=typed.strip(), now=now)
    return min(at.replace(second=59), now)
