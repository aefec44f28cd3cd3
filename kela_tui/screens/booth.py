"""F3: the remote-service booth: state, timers, duties, the Kela-hours gate
and bookings."""

from __future__ import annotations

from datetime import timedelta

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Digits, Header, OptionList
from textual.widgets.option_list import Option

from kela_tui import booth
from kela_tui import db as storage
from kela_tui.changes import Changes
from kela_tui.clock import from_utc_naive
from kela_tui.errors import KelaError
from kela_tui.keys import translate_bindings
from kela_tui.widgets.booth_forms import BookingForm, CancelBookingForm, EndForm, OutageForm
from kela_tui.widgets.footer import KelaFooter
from kela_tui.widgets.guarded import Guarded
from kela_tui.widgets.literal import Plain, PlainLabel, cell, literal
from kela_tui.widgets.marks import WARNING
from kela_tui.widgets.status import StatusLine


def clock_text(elapsed: timedelta) -> str:
    seconds = max(0, int(elapsed.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"


class BoothScreen(Guarded, Screen):
    DEFAULT_CSS = """
        #booth-main {
            width: 1fr;
            min-width: 30;
            padding: 0 1;
        }

        #booth-side {
            width: 52;
            max-width: 50%;
            padding: 0 1;
            border-left: vkey $primary 50%;
        }

        #booth-state {
            height: 3;
            content-align: center middle;
            text-style: bold;
            background: $boost;
        }

        #booth-state.state-free {
            background: $success-muted;
            color: $text-success;
        }

        #booth-state.state-out_of_order, #booth-state.left-open {
            background: $error-muted;
            color: $text-error;
        }

        #booth-state.state-in_session {
            background: $primary-muted;
            color: $text-primary;
        }

        #booth-state.state-assessing, #booth-state.state-preparing,
        #booth-state.state-connecting, #booth-state.state-closing {
            background: $warning-muted;
            color: $text-warning;
        }

        #timers {
            height: auto;
            margin: 1 0;
        }

        #timers .timer {
            width: 28;
            height: auto;
        }

        /* A narrow window: the timers in one line of text instead of large
           digits, and the bookings beside them in a narrower column. */
        #timers-line {
            display: none;
            margin: 1 0 0 0;
            text-style: bold;
        }

        BoothScreen.-narrow #timers {
            display: none;
        }

        BoothScreen.-narrow #timers-line {
            display: block;
        }

        BoothScreen.-narrow #booth-side {
            width: 42;
        }

        /* Nothing scrolls sideways: a long reference is cut (the cancel
           dialog names it whole). */
        BoothScreen.-narrow #bookings, BoothScreen.-narrow #sessions {
            overflow-x: hidden;
        }

        #booth-side .section, #booth-main .section {
            width: 1fr;
        }

        #booth-warning {
            color: $text-error;
            text-style: bold;
        }

        #gate.gate-open {
            color: $text-success;
        }

        #gate.gate-shut {
            color: $text-warning;
        }



        #duties {
            height: auto;
        }

        #bookings, #sessions {
            height: auto;
            max-height: 12;
        }

        /* The booking that c cancels stays visible while the duties have
           the keys. */
        #bookings:blur > .datatable--cursor {
            background: $accent-muted;
            color: $text-accent;
            text-style: bold;
        }

        #bookings-hint {
            color: $text-muted;
        }
    """
    BINDINGS = [
        Binding("n", "next", "key.next", id="kela.booth.next"),
        Binding("e", "end", "key.end", id="kela.booth.end"),
        Binding("space", "tick", "key.tick", id="kela.booth.tick"),
        Binding("b", "book", "key.book", id="kela.booth.book"),
        Binding("c", "cancel_booking", "key.cancel_booking", id="kela.booth.cancel"),
        Binding("o", "out_of_order", "key.out_of_order", id="kela.booth.out_of_order"),
        Binding("left_square_bracket", "other_booth(-1)", "key.other_booth", show=False),
        Binding("right_square_bracket", "other_booth(1)", "key.other_booth", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self, self.app.t)
        self.number = 1
        self.state: booth.BoothStatus | None = None
        # What the screen shows (booth, today), and what was written since.
        self.shown: tuple | None = None
        self.changes = Changes()

    def compose(self) -> ComposeResult:
        t = self.app.t
        yield Header()
        yield StatusLine()
        with Horizontal():
            with Vertical(id="booth-main"):
                yield Plain("", id="booth-state")
                with Horizontal(id="timers"):
                    with Vertical(classes="timer"):
                        yield PlainLabel(t("booth.session_timer"))
                        yield Digits("0:00:00", id="session-timer")
                    with Vertical(classes="timer"):
                        yield PlainLabel(t("booth.phase_timer"))
                        yield Digits("0:00:00", id="phase-timer")
                yield Plain("", id="timers-line")
                yield Plain("", id="booth-warning")
                yield Plain("", id="gate")
                yield PlainLabel(t("booth.duties"), classes="section")
                yield OptionList(id="duties", markup=False)
            with Vertical(id="booth-side"):
                yield PlainLabel(t("booth.bookings"), classes="section")
                bookings = DataTable(id="bookings", cursor_type="row")
                bookings.add_columns(
                    *(cell(t(f"booth.{key}")) for key in ("when", "length", "reference"))
                )
                yield bookings
                yield Plain("", id="bookings-hint")
                yield PlainLabel(t("booth.finished"), classes="section")
                sessions = DataTable(id="sessions", cursor_type="row")
                sessions.add_columns(
                    *(cell(t(f"booth.{key}")) for key in ("when", "length", "outcome"))
                )
                yield sessions
        yield KelaFooter()

    def on_mount(self) -> None:
        self.set_interval(1, self.show_timers)
        self.query_one("#duties").focus()

    def on_screen_resume(self) -> None:
        # Read again only when something was written since, or the day moved
        # on; the clocks and the gate follow the time in any case.
        with storage.reading(self.app.ctx.db):
            new = self.changes.look()
        if new or new is None or self.shown != (self.number, self.app.ctx.today()):
            self.refresh_booth(looked=True)
        else:
            self.show_gate()
            self.show_timers()

    # What the screen shows

    def refresh_booth(self, looked: bool = False) -> None:
        t, ctx = self.app.t, self.app.ctx
        if not looked:
            with storage.reading(ctx.db):
                self.changes.look()
        self.shown = (self.number, ctx.today())
        self.state = state = booth.status(ctx, self.number)
        self.sub_title = t("booth.title", booth=self.number)
        label = self.query_one("#booth-state", Plain)
        if state.left_open:
            started = state.session_started
            label.update(
                t(
                    "booth.left_open",
                    state=t(f"booth.state_{state.state}"),
                    day=t.date(started.date()),
                    time=t.time(started),
                )
            )
            label.set_classes("left-open")
            self.say(t("booth.left_open_hint"), "warning")
        else:
            label.update(t(f"booth.state_{state.state}"))
            label.set_classes(f"state-{state.state}")
        duties = self.query_one("#duties", OptionList)
        highlighted = duties.highlighted
        duties.clear_options()
        duties.add_options(
            Option(literal(f"[{'x' if d in state.ticked else ' '}] {t(f'booth.duty_{d}')}"), id=d)
            for d in booth.DUTIES
        )
        duties.highlighted = highlighted or 0
        self.show_gate()
        self.show_timers()
        self.show_bookings()
        self.show_sessions()

    def show_timers(self) -> None:
        state, now = self.state, self.app.ctx.now()
        if state is None:
            return
        self.query_one("#session-timer", Digits).update(clock_text(state.elapsed(now)))
        self.query_one("#phase-timer", Digits).update(clock_text(state.phase_elapsed(now)))
        t = self.app.t
        self.query_one("#timers-line", Plain).update(
            f"{t('booth.session_timer')} {clock_text(state.elapsed(now))}"
            f" · {t('booth.phase_timer')} {clock_text(state.phase_elapsed(now))}"
        )
        limit = self.app.ctx.point.session_warn_minutes
        long = state.session is not None and state.elapsed(now) > timedelta(minutes=limit)
        self.query_one("#booth-warning", Plain).update(
            f"{WARNING} {self.app.t('booth.warn_long', count=limit)}" if long else ""
        )

    def show_gate(self) -> None:
        t, ctx = self.app.t, self.app.ctx
        now = ctx.now()
        gate = self.query_one("#gate", Plain)
        if ctx.calendar.in_kela_hours(now):
            gate.update(t("booth.kela_open"))
            gate.set_classes("gate-open")
            return
        opens = ctx.calendar.next_kela_window(now)
        following = t("booth.next_window", at=opens) if opens else t("booth.no_window")
        gate.update(t("booth.kela_shut", next=following))
        gate.set_classes("gate-shut")

    def show_bookings(self) -> None:
        t, ctx = self.app.t, self.app.ctx
        table = self.query_one("#bookings", DataTable)
        # The highlighted booking stays highlighted when the list is read anew.
        kept = self.highlighted_booking_key()
        table.clear()
        for entry in booth.bookings(ctx, ctx.today(), 8, self.number):
            at = from_utc_naive(entry.at)
            table.add_row(
                cell(f"{t.near_day(at.date())} {t.time(at)}"),
                cell(f"{entry.minutes} min"),
                cell(entry.reference),
                key=str(entry.id),
            )
        if kept is not None and kept in table.rows:
            table.move_cursor(row=table.get_row_index(kept), animate=False)
        self.query_one("#bookings-hint", Plain).update(
            t("booth_cancel.hint") if table.row_count else ""
        )

    def highlighted_booking_key(self) -> str | None:
        """The key of the booking highlighted in the list, if any."""
        table = self.query_one("#bookings", DataTable)
        if not table.row_count or not table.is_valid_row_index(table.cursor_row):
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return row_key.value

    def show_sessions(self) -> None:
        t, ctx = self.app.t, self.app.ctx
        table = self.query_one("#sessions", DataTable)
        table.clear()
        for session in booth.finished_sessions(ctx, ctx.today(), self.number):
            minutes = round((session.ended_at - session.at).total_seconds() / 60)
            table.add_row(
                cell(t.time(from_utc_naive(session.at))),
                cell(f"{minutes} min"),
                cell(t(f"booth.outcome_{session.outcome}")),
            )

    def say(self, text: str, kind: str = "ok") -> None:
        self.query_one(StatusLine).say(text, kind)

    def attempt(self, action) -> object | None:
        try:
            return action()
        except KelaError as error:
            self.say(self.app.t.error(error), "error")
            return None

    # Keys

    def action_next(self) -> None:
        t = self.app.t
        if self.state is not None and self.state.state == booth.FLOW[-1]:
            self.action_end()
            return
        moved = self.attempt(lambda: booth.advance(self.app.ctx, self.number))
        if moved is not None:
            self.refresh_booth()
            self.say(t("booth.moved", state=t(f"booth.state_{moved.state}")))

    def action_end(self) -> None:
        def ended(session) -> None:
            if session is None:
                return
            t = self.app.t
            minutes = round((session.ended_at - session.at).total_seconds() / 60)
            self.refresh_booth()
            self.say(
                t(
                    "booth_outcomes.ended",
                    outcome=t(f"booth.outcome_{session.outcome}"),
                    minutes=minutes,
                    service=t(f"category.{session.service.category}"),
                )
            )

        if self.state is None or self.state.session is None:
            self.attempt(lambda: booth.end(self.app.ctx, "completed", self.number))
            return
        self.app.push_screen(EndForm(self.number, self.state), ended)

    def action_tick(self) -> None:
        duties = self.query_one("#duties", OptionList)
        duty = duties.get_option_at_index(duties.highlighted or 0).id
        if self.attempt(lambda: booth.tick(self.app.ctx, duty, self.number)) is not None:
            self.refresh_booth()
            self.say(self.app.t("booth.ticked", duty=self.app.t(f"booth.duty_{duty}")))
            if (duties.highlighted or 0) < len(booth.DUTIES) - 1:
                duties.highlighted = (duties.highlighted or 0) + 1

    def action_book(self) -> None:
        def booked(booking) -> None:
            if booking is None:
                return
            t = self.app.t
            at = from_utc_naive(booking.at)
            self.refresh_booth()
            self.say(
                t("booth.booked", day=t.date(at.date()), time=t.time(at), minutes=booking.minutes)
            )

        self.app.push_screen(BookingForm(self.number), booked)

    def action_cancel_booking(self) -> None:
        """Cancel the booking highlighted in the list, named in the dialog."""
        t, ctx = self.app.t, self.app.ctx
        key = self.highlighted_booking_key()
        if key is None:
            self.say(t("booth_cancel.none"), "warning")
            return
        booking = booth.active_booking(ctx, int(key))
        if booking is None:
            # Cancelled on another workstation since the list was read.
            self.refresh_booth()
            self.say(t("booth_cancel.gone"), "warning")
            return

        def cancelled(result) -> None:
            if result is not None:
                at = from_utc_naive(result.at)
                self.refresh_booth()
                self.say(
                    t(
                        "booth_cancel.done",
                        weekday=t.weekday(at.weekday()),
                        day=t.date(at.date()),
                        time=t.time(at),
                    )
                )

        self.app.push_screen(CancelBookingForm(booking), cancelled)

    def action_out_of_order(self) -> None:
        t = self.app.t
        if self.state is not None and self.state.state == booth.OUT_OF_ORDER:
            if self.attempt(lambda: booth.back_in_use(self.app.ctx, self.number)) is not None:
                self.refresh_booth()
                self.say(t("booth.outage_over"))
            return

        def done(outage) -> None:
            if outage is not None:
                self.refresh_booth()
                self.say(t("booth.outage_set"), "warning")

        self.app.push_screen(OutageForm(self.number), done)

    def action_other_booth(self, step: int) -> None:
        count = self.app.ctx.point.booths
        self.number = (self.number - 1 + step) % count + 1
        self.refresh_booth()
