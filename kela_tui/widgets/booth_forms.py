"""The booth's dialogs: outcome of a session, a booking, an outage, a cancellation."""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult

from kela_tui import booth, text
from kela_tui.catalogue import CATEGORIES
from kela_tui.clock import from_utc_naive, parse_day
from kela_tui.errors import BadInput
from kela_tui.models import BoothBooking
from kela_tui.widgets.forms import Form, parse_clock
from kela_tui.widgets.literal import Field, Plain, PlainLabel


class EndForm(Form):
    """The outcome of a session; for one left open after its day or after the
    office closed, also its real end time. "Completed" is offered only once
    the session has reached "in session"."""

    TITLE = "booth.end_title"

    def __init__(self, number: int, state: booth.BoothStatus) -> None:
        super().__init__()
        self.number = number
        self.state = state

    def fields(self) -> ComposeResult:
        t = self.t
        if self.state.left_open:
            started = self.state.session_started
            yield PlainLabel(
                t("booth.end_time", day=t.date(started.date(), "long"), time=t.time(started))
            )
            yield Field(id="ended", placeholder=t("booth.end_time_hint"), max_length=5)
        yield PlainLabel(t("booth.outcome"))
        if not booth.reached_session(self.state.session):
            yield Plain(t("booth_outcomes.not_connected"), id="not-connected", classes="form-hint")
        outcomes = booth.outcomes(self.state.session)
        yield self.options("outcome", [(o, t(f"booth.outcome_{o}")) for o in outcomes])
        yield PlainLabel(t("booth.end_counter"))
        counter = [
            (c.code, f"{c.hotkey}  {t(c.label_key)}")
            for c in CATEGORIES
            if c.code not in ("remote", "document", "feedback")
        ]
        yield self.options("counter", counter)

    def submit(self):
        outcome = self.choice("outcome")
        counter = self.choice("counter") if outcome == "at_counter" else None
        ended = None
        if self.state.left_open:
            ended = parse_clock(self.value("ended"), self.state.session_started.date())
        return booth.end(self.ctx, outcome, self.number, counter_category=counter, at=ended)


class BookingForm(Form):
    TITLE = "booth.booking_form_title"

    def __init__(self, number: int) -> None:
        super().__init__()
        self.number = number

    def fields(self) -> ComposeResult:
        t, now = self.t, self.ctx.now()
        yield PlainLabel(t("booth.booking_date"))
        yield Field(value=now.strftime("%d.%m.%Y"), id="date", max_length=10)
        yield PlainLabel(t("booth.booking_time"))
        yield Field(id="time", max_length=5)
        yield PlainLabel(t("booth.booking_minutes"))
        yield Field(
            value=str(booth.DEFAULT_BOOKING_MINUTES), id="minutes", type="integer", max_length=3
        )
        yield PlainLabel(t("booth.booking_reference"))
        yield Field(id="reference", max_length=text.REFERENCE)

    def submit(self):
        starts: datetime = parse_clock(self.value("time"), parse_day(self.value("date")))
        try:
            minutes = int(self.value("minutes"))
        except ValueError:
            raise BadInput(
                "booking_length", minutes=self.value("minutes"), most=booth.MAX_BOOKING_MINUTES
            ) from None
        return booth.book(
            self.ctx, starts, minutes, self.value("reference").strip() or None, self.number
        )


class OutageForm(Form):
    TITLE = "booth.outage_title"

    def __init__(self, number: int) -> None:
        super().__init__()
        self.number = number

    def fields(self) -> ComposeResult:
        yield PlainLabel(self.t("booth.outage_reason"))
        yield Field(id="reason", max_length=text.REASON)

    def submit(self):
        return booth.set_out_of_order(self.ctx, self.value("reason"), self.number)


class CancelBookingForm(Form):
    """Cancelling the booking highlighted in F3's list, named in full so that
    the right one is cancelled."""

    TITLE = "booth.cancel_title"

    def __init__(self, booking: BoothBooking) -> None:
        super().__init__()
        self.booking = booking

    def fields(self) -> ComposeResult:
        t, booking = self.t, self.booking
        at = from_utc_naive(booking.at)
        yield Plain(
            t(
                "booth_cancel.which",
                weekday=t.weekday(at.weekday()),
                day=t.date(at.date()),
                time=t.time(at),
                minutes=booking.minutes,
            ),
            id="cancel-which",
        )
        reference = (
            t("booth_cancel.reference", reference=booking.reference)
            if booking.reference
            else t("booth_cancel.no_reference")
        )
        yield Plain(reference, id="cancel-reference")
        yield PlainLabel(t("booth.cancel_reason"))
        yield Field(id="reason", max_length=text.REASON)

    def submit(self):
        return booth.cancel_booking(self.ctx, self.booking.id, self.value("reason"))
