"""F2: the counter's daily log, the home screen. One key logs a service."""

from __future__ import annotations

from datetime import date, timedelta

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header

from kela_tui import booth, documents, feedback, services, tally
from kela_tui.catalogue import CATEGORIES, category
from kela_tui.clock import from_utc_naive
from kela_tui.errors import KelaError
from kela_tui.keys import translate_bindings
from kela_tui.models import Referral, Service
from kela_tui.widgets.forms import (
    Backdated,
    CorrectForm,
    DocumentForm,
    EntryActions,
    FeedbackForm,
    ForwardForm,
    VoidForm,
)
from kela_tui.widgets.guarded import Guarded
from kela_tui.widgets.literal import Plain, cell
from kela_tui.widgets.side_panel import SidePanel
from kela_tui.widgets.slip import SlipDialog
from kela_tui.widgets.staff_picker import StaffPicker
from kela_tui.widgets.status import StatusLine
from kela_tui.widgets.tally_form import Entered, TallyForm

LOG_GROUP = Binding.Group("key.log_group", compact=True)


class Moment(Text):
    """A time cell that sorts by the entry's instant and number, so the table
    stays newest first when one row is added."""

    def __init__(self, text: str, order: tuple) -> None:
        super().__init__(text)
        self.order = order


class TimeForm(Backdated):
    """The time of an entry logged on an earlier day."""

    TITLE = "log.backdate_title"

    def __init__(self, code: str, day: date, visit_of: int | None) -> None:
        super().__init__(day, visit_of)
        self.code = code

    def fields(self) -> ComposeResult:
        yield Plain(self.t(f"category.{self.code}"))
        yield from self.time_field()

    def submit(self):
        return services.log_service(self.ctx, self.code, at=self.moment(), visit_of=self.visit_of)


class DailyLogScreen(Guarded, Screen):
    BINDINGS = [
        *(
            Binding(
                c.hotkey, f"log('{c.code}')", c.label_key, id=f"kela.log.{c.code}", group=LOG_GROUP
            )
            for c in CATEGORIES
        ),
        Binding("plus", "add_to_visit", "key.add", id="kela.add"),
        Binding("ctrl+z", "undo", "key.undo", id="kela.undo"),
        Binding("f", "forward", "key.forward", id="kela.forward"),
        Binding("s", "choose_staff", "key.staff", id="kela.staff"),
        Binding("left_square_bracket", "day(-1)", "key.previous_day", id="kela.previous_day"),
        Binding("right_square_bracket", "day(1)", "key.next_day", id="kela.next_day"),
        Binding("t", "tally", "tally.key", id="kela.tally"),
        Binding("escape", "cancel_add", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self, self.app.t)
        self.day = self.app.ctx.today()
        # The day that was today when the screen last looked: after midnight a
        # screen that showed today moves on to the new day.
        self.known_today = self.day
        self.last: Service | None = None
        # The services of the tally just entered, which ctrl+z undoes together.
        self.last_tally: list[int] | None = None
        self.shown_tally = False
        self.adding = False
        self.waiting: tuple | None = None

    def compose(self) -> ComposeResult:
        t = self.app.t
        yield Header()
        yield StatusLine()
        with Horizontal():
            table = DataTable(id="today", cursor_type="row", zebra_stripes=True)
            for key in ("time", "service", "marks", "duration", "staff", "note"):
                table.add_column(cell(t(f"log.{key}")), key=key)
            yield table
            with Vertical(id="side"):
                yield SidePanel(id="panel")
        yield Footer()

    def on_mount(self) -> None:
        # The booth's state and the countdown to the next booking keep moving.
        self.set_interval(30, self.tick)

    def on_screen_resume(self) -> None:
        if self.shown_tally:
            # The tally form's result is shown already (its callback comes
            # first): its rows were added, the day need not be rebuilt.
            self.shown_tally = False
            self.follow_today()
            return
        self.follow_today()
        self.refresh_entries()

    def tick(self) -> None:
        if not self.follow_today():
            self.refresh_panel()

    def follow_today(self) -> bool:
        """Move on to the new day after midnight, if the screen showed today;
        returns whether it did (and showed it)."""
        today = self.app.ctx.today()
        if today == self.known_today:
            return False
        moved = self.day == self.known_today
        self.known_today = today
        if moved:
            self.day, self.last, self.last_tally, self.adding = today, None, None, False
            self.refresh_entries()
        return moved

    # What the screen shows

    def refresh_entries(self) -> None:
        """Rebuild the table for the day shown, and the side panel."""
        table = self.query_one("#today", DataTable)
        table.clear()
        for entry in services.entries_of_day(self.app.ctx, self.day):
            self.add_entry(table, entry)
        self.refresh_panel()

    def add_entry(self, table: DataTable, entry: Service) -> None:
        t = self.app.t
        at = from_utc_naive(entry.at)
        # Voided and superseded entries stay visible, struck through.
        style = "" if entry.status == "active" else "strike dim"
        table.add_row(
            Moment(t.time(at), (entry.at, entry.id)),
            cell(t(f"category.{entry.category}"), style),
            cell(self.marks(entry)),
            cell(_duration(entry.duration_seconds)),
            cell(entry.staff.name),
            cell(entry.note),
            key=str(entry.id),
        )

    def show_new(self, entry: Service) -> None:
        """Add a just-committed entry without rebuilding the day's table."""
        if entry.day != self.day:
            return
        table = self.query_one("#today", DataTable)
        self.add_entry(table, entry)
        table.sort("time", key=lambda moment: moment.order, reverse=True)
        # The cursor follows the new entry, so enter corrects or voids it.
        table.move_cursor(row=table.get_row_index(str(entry.id)))

    def refresh_panel(self, registers: bool = True) -> None:
        """The side panel; `registers=False` keeps what a plain service does not
        change (documents and feedback waiting, the booths, the next booking),
        so logging stays quick."""
        t, ctx = self.app.t, self.app.ctx
        if registers or self.waiting is None:
            self.waiting = (
                documents.waiting(ctx),
                feedback.waiting(ctx),
                [booth.status(ctx, n) for n in range(1, ctx.point.booths + 1)],
                booth.next_booking(ctx),
            )
        counts, visits = services.day_counts(ctx, self.day)
        self.query_one(SidePanel).show(
            t, self.day, ctx.today(), ctx.staff.name, counts, visits, *self.waiting, ctx.now()
        )

    def marks(self, entry: Service) -> str:
        t = self.app.t
        marks = []
        if entry.status != "active":
            marks.append(t(f"log.mark_{entry.status}"))
        if entry.replaces_id:
            marks.append(t("log.mark_correction"))
        if entry.entered_later:
            marks.append(t("tally.mark"))
        if entry.outside_hours:
            marks.append(t("log.mark_outside"))
        return ", ".join(marks)

    def say(self, text: str, kind: str = "ok") -> None:
        self.query_one(StatusLine).say(text, kind)

    def refused(self, error: KelaError) -> None:
        self.say(self.app.t.error(error), "error")

    def logged(self, result: object) -> None:
        """Show what a form or a key wrote, after it is committed."""
        t = self.app.t
        if result is None:
            return
        if isinstance(result, Referral):
            kind = t(f"document.{result.kind}")
            self.refresh_panel()
            self.say(t("log.referred", kind=kind), "warning")
            return
        if isinstance(result, list):  # documents received
            service = result[0].service
            self.app.push_screen(SlipDialog(result))
        else:
            service = getattr(result, "service", result)
        self.last = service
        self.last_tally = None
        self.show_new(service)
        self.refresh_panel(registers=service.category in services.OWN_FUNCTION)
        self.show_logged(service)

    def show_logged(self, service: Service) -> None:
        t = self.app.t
        text = t(
            "log.logged",
            time=t.time(from_utc_naive(service.at)),
            service=t(f"category.{service.category}"),
        )
        if service.outside_hours:
            self.say(f"{text} {t('warning.outside_hours')}", "warning")
        else:
            self.say(text)

    # Keys

    def action_log(self, code: str) -> None:
        self.follow_today()
        visit_of = self.last.id if self.adding and self.last else None
        self.adding = False
        ctx = self.app.ctx
        if code == "document":
            self.app.push_screen(DocumentForm(self.day, visit_of), self.logged)
        elif code == "feedback":
            self.app.push_screen(FeedbackForm(self.day, visit_of), self.logged)
        elif self.day != ctx.today():
            self.app.push_screen(TimeForm(code, self.day, visit_of), self.logged)
        else:
            try:
                service = services.log_service(ctx, category(code), visit_of=visit_of)
            except KelaError as error:
                self.refused(error)
                return
            self.logged(service)

    def action_add_to_visit(self) -> None:
        if self.last is None:
            self.say(self.app.t("log.nothing_to_add"), "warning")
            return
        self.adding = True
        self.say(self.app.t("log.adding", service=self.app.t(f"category.{self.last.category}")))

    def action_cancel_add(self) -> None:
        if self.adding:
            self.adding = False
            self.say("")

    def action_undo(self) -> None:
        t = self.app.t
        if self.last_tally:
            self.undo_tally()
            return
        if self.last is None:
            self.say(t("log.nothing_to_undo"), "warning")
            return
        try:
            undone = services.undo(self.app.ctx, self.last.id)
        except KelaError as error:
            self.refused(error)
            return
        self.last = None
        self.refresh_entries()
        self.say(t("log.undone", service=t(f"category.{undone.category}")))

    def action_tally(self) -> None:
        self.follow_today()
        self.adding = False
        self.app.push_screen(TallyForm(self.day), self.tallied)

    def tallied(self, result: Entered | None) -> None:
        """Show the services of a tally, after they are committed: added to
        the table and sorted once, not the day rebuilt."""
        if result is None:
            return
        t, entered = self.app.t, result.services
        self.last, self.last_tally = None, [service.id for service in entered]
        self.shown_tally = True
        if entered[0].day == self.day:
            table = self.query_one("#today", DataTable)
            for service in entered:
                self.add_entry(table, service)
            table.sort("time", key=lambda moment: moment.order, reverse=True)
            table.move_cursor(row=table.get_row_index(str(entered[-1].id)))
        self.refresh_panel(registers=False)
        said = t(
            "tally.entered", count=len(entered), start=t.time(result.start), end=t.time(result.end)
        )
        outside = sum(service.outside_hours for service in entered)
        if outside:
            self.say(f"{said} {t('tally.outside', count=outside)}", "warning")
        else:
            self.say(said)

    def undo_tally(self) -> None:
        try:
            undone = tally.undo_tally(self.app.ctx, self.last_tally)
        except KelaError as error:
            self.refused(error)
            return
        self.last_tally = None
        self.refresh_entries()
        self.say(self.app.t("tally.undone", count=len(undone)))

    def action_forward(self) -> None:
        def done(count: int | None) -> None:
            if count:
                self.refresh_panel()
                self.say(self.app.t("log.forwarded", count=count))

        self.app.push_screen(ForwardForm(), done)

    def action_day(self, step: int) -> None:
        ctx = self.app.ctx
        day = self.day + timedelta(days=step)
        if day > ctx.today() or day < ctx.point.agreement_start:
            return
        self.day = day
        self.adding = False
        self.refresh_entries()
        self.say("" if day == ctx.today() else self.app.t("log.browsing"))

    def action_choose_staff(self) -> None:
        ctx = self.app.ctx

        def chosen(code: str | None) -> None:
            if code:
                self.app.set_staff(code)
                self.refresh_panel(registers=False)

        self.app.push_screen(
            StaffPicker(ctx.active_staff(), ctx.staff, self.app.t("log.choose_staff")), chosen
        )

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        try:
            service = services.active_service(self.app.ctx, int(event.row_key.value))
        except KelaError as error:
            self.refused(error)
            return

        def chosen(action: str | None) -> None:
            if action == "correct":
                self.app.push_screen(CorrectForm(service), self.changed)
            elif action == "void":
                self.app.push_screen(VoidForm(service), self.changed)

        self.app.push_screen(EntryActions(service), chosen)

    def changed(self, result: Service | None) -> None:
        if result is None:
            return
        t = self.app.t
        self.refresh_entries()
        key = "log.voided" if result.status == "voided" else "log.corrected"
        self.say(t(key, service=t(f"category.{result.category}")))


def _duration(seconds: int | None) -> str:
    if not seconds:
        return ""
    minutes, secs = divmod(seconds, 60)
    return f"{minutes}:{secs:02d}"
