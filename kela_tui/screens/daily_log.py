"""F2: the counter's daily log, the home screen. One key logs a service."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header

from kela_tui import booth, documents, feedback, services, tally
from kela_tui import db as storage
from kela_tui.catalogue import CATEGORIES, category
from kela_tui.changes import Changes
from kela_tui.clock import from_utc_naive
from kela_tui.errors import KelaError
from kela_tui.keys import translate_bindings
from kela_tui.models import Service
from kela_tui.widgets.backup_status import BackupStatus, BackupSummary
from kela_tui.widgets.footer import HORIZONTAL_BREAKPOINTS, KelaFooter
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
from kela_tui.widgets.side_panel import SidePanel, summary
from kela_tui.widgets.status import StatusLine
from kela_tui.widgets.welcome import Welcome

if TYPE_CHECKING:
    from kela_tui.widgets.tally_form import Entered

# The dialogs are imported when first opened (or by the app's warm-up after
# the first frame), which keeps start-up short.
DIALOGS = (
    "kela_tui.widgets.finding",
    "kela_tui.widgets.slip",
    "kela_tui.widgets.staff_picker",
    "kela_tui.widgets.tally_form",
)

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


class DayTable(DataTable):
    """The day's entries; fits its columns again when its width changes (a
    window resized, the side panel shown or hidden)."""

    def on_resize(self) -> None:
        self.call_after_refresh(self.screen.fit_columns)


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
        Binding("v", "toggle_side", "key.side", id="kela.side"),
        Binding("t", "tally", "tally.key", id="kela.tally"),
        Binding("escape", "cancel_add", show=False),
        Binding("p", "slip_copy", "register.key_copy", id="kela.slip_copy"),
        Binding("slash", "find_receipt", "register.key_find", id="kela.find_receipt"),
        Binding("g", "go_to_day", "register.key_goto", id="kela.go_to_day"),
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
        self.widths: dict[str, int] = {}
        self.longest: dict[str, int] = {}
        self.fitted = 0
        self.started = False  # whether anything was ever logged at the point
        # The receipt numbers of the day's document rows, by service.
        self.receipts: dict[int, str] = {}
        # The row a search went to, by its key, until the table shows it.
        self.cursor_to: str | None = None
        self.shown_day: date | None = None
        # What was written since the screen last looked (here or elsewhere).
        self.changes = Changes()
        # How many times the day was read and shown whole (for tests).
        self.rebuilds = 0

    def compose(self) -> ComposeResult:
        # The window's breakpoint class (app.py) from the start, as the screen
        # gets it on its first resize: the first frame is laid out as the
        # ones after it, and the day is read once, for the table's width.
        self.add_class(*self._get_breakpoint_classes(self.app.size.width, HORIZONTAL_BREAKPOINTS))
        yield Header()
        yield StatusLine()
        # Where the side panel is folded away (a narrow window), its gist.
        yield Plain("", id="summary")
        yield BackupSummary()
        with Horizontal():
            with Vertical(id="log-area"):
                table = DayTable(id="today", cursor_type="row", zebra_stripes=True)
                # The first frame shows the headings; the day is read right
                # after it (see on_screen_resume).
                self.add_headings(table, column_widths(self.app.t, self.app.size.width))
                yield table
                yield Welcome(id="welcome")
            with Vertical(id="side"):
                yield SidePanel(id="panel")
                yield BackupStatus(id="backup")
        yield KelaFooter()

    def on_mount(self) -> None:
        # The booth's state and the countdown to the next booking keep moving.
        self.set_interval(30, self.tick)

    def fit_columns(self) -> None:
        """Columns as wide as the table allows (see `column_widths`), once
        the table has its size."""
        table = self.query_one("#today", DataTable)
        if self.shown_day is None or table.size.width != self.fitted:
            try:
                self.refresh_entries()
            except Exception as error:  # noqa: BLE001 - reported as a key's error is
                # Called after a refresh, outside any message that Guarded
                # would catch: a failure (the database lost) is said, and
                # the program goes on.
                self.app.report(error)
            finally:
                # The keys typed meanwhile are for the day now shown.
                self.app.release_keys()

    def on_screen_resume(self) -> None:
        if self.shown_day is None:
            # The first time: the first frame is drawn before the database
            # is read (the table's headings and the footer's keys, the side
            # panel empty); the day is read as soon as the table has its
            # width, and the keys typed meanwhile wait for it.
            self.app.hold_keys()
            self.call_after_refresh(self.fit_columns)
            return
        if self.shown_tally:
            # The tally form's result is shown already (its callback comes
            # first): its rows were added, the day need not be rebuilt.
            self.shown_tally = False
            self.follow_today()
            return
        if not self.follow_today():
            self.take_up_changes()

    def take_up_changes(self) -> None:
        """Show what was written since the screen last looked, here or at
        another workstation: new services are added to the table; anything
        else that rows show (a correction, a void, a name) reads the day
        again; the side panel is read again on any change. Nothing written:
        nothing is read."""
        with storage.reading(self.app.ctx.db):
            new = self.changes.look()
            if new is None or any(
                change.action != "create" and change.entity in ROW_ENTITIES for change in new
            ):
                self.refresh_entries(looked=True)
                return
            if not new:
                return
            ids = [c.entity_id for c in new if c.entity == "service" and c.action == "create"]
            table = self.query_one("#today", DataTable)
            added = [
                entry
                for entry in services.entries_by_id(self.app.ctx, ids)
                if str(entry.id) not in table.rows
            ]
            if added:
                self.show_new(*added, follow=False)
            self.refresh_panel()

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

    def refresh_entries(self, looked: bool = False) -> None:
        """Rebuild the table for the day shown, and the side panel; `looked`
        when the changes were just looked at."""
        table = self.query_one("#today", DataTable)
        if not looked:
            # What is written from now on is new to the screen.
            self.changes.look()
        self.rebuilds += 1
        # The cursor stays on its row when the same day is shown again (as
        # when a dialog closes), or goes to the row a search found.
        keep, self.cursor_to = self.cursor_to, None
        if keep is None and self.shown_day == self.day and table.row_count:
            keep = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
        self.shown_day = self.day
        entries = services.entries_of_day(self.app.ctx, self.day)
        self.receipts = documents.receipts_by_service(
            self.app.ctx, [e.id for e in entries if e.category == "document"]
        )
        rows = [self.texts(entry) for entry in entries]
        self.fitted = table.size.width
        self.widths = column_widths(self.app.t, table.size.width, rows)
        # The widths follow from the longest text of each column: a new row
        # needs them fitted again only when it is longer still.
        self.longest = {key: max((cell_len(row[key]) for row in rows), default=0) for key in WIDE}
        table.clear(columns=True)
        self.add_headings(table, self.widths)
        for entry, texts in zip(entries, rows, strict=True):
            self.add_entry(table, entry, texts)
        if keep is not None and keep in table.rows:
            table.move_cursor(row=table.get_row_index(keep))
        self.greet()
        self.refresh_panel()

    def add_headings(self, table: DataTable, widths: dict[str, int]) -> None:
        for key, width in widths.items():
            table.add_column(cell(self.app.t(f"log.{key}"), width=width), key=key, width=width)

    def greet(self) -> None:
        """On a new installation (nothing logged at the point yet, on any
        day) a welcome under the empty table; gone once anything is logged."""
        welcome = self.query_one(Welcome)
        self.started = self.started or services.anything_logged(self.app.ctx)
        if self.started:
            welcome.hide()
        else:
            welcome.greet(self.app.t)

    def texts(self, entry: Service) -> dict[str, str]:
        """What a row shows, column by column, before it is fitted."""
        t = self.app.t
        return {
            "service": t(f"category.{entry.category}"),
            "marks": self.marks(entry),
            "staff": entry.staff.name,
            "note": self.note_of(entry),
        }

    def longer(self, texts: dict[str, str]) -> bool:
        """Whether a row's texts are longer than the columns were fitted for."""
        return any(cell_len(texts[key]) > self.longest.get(key, 0) for key in WIDE)

    def add_entry(self, table: DataTable, entry: Service, texts: dict[str, str]) -> None:
        at = from_utc_naive(entry.at)
        # Voided and superseded entries stay visible, struck through.
        style = "" if entry.status == "active" else "strike dim"
        width = self.widths
        table.add_row(
            Moment(self.app.t.time(at), (entry.at, entry.id)),
            cell(texts["service"], style, width["service"]),
            cell(texts["marks"], width=width["marks"]),
            cell(texts["staff"], width=width["staff"]),
            cell(texts["note"], width=width["note"]),
            key=str(entry.id),
        )

    def note_of(self, entry: Service) -> str:
        """The note, after the receipt numbers on a document row."""
        receipts = self.receipts.get(entry.id)
        if not receipts:
            return entry.note or ""
        return f"{receipts}  {entry.note}" if entry.note else receipts

    def show_new(self, *entries: Service, follow: bool = True) -> None:
        """Add just-committed entries without rebuilding the day's table
        (unless one is longer than its columns were fitted for); the cursor
        goes to the newest (`follow`) or stays on its row."""
        if not self.started:
            self.started = True
            self.query_one(Welcome).hide()
        entries = tuple(entry for entry in entries if entry.day == self.day)
        if not entries:
            return
        shown = [entry.id for entry in entries if entry.category == "document"]
        if shown:
            self.receipts |= documents.receipts_by_service(self.app.ctx, shown)
        table = self.query_one("#today", DataTable)
        kept = None
        if not follow and table.row_count:
            kept = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
        rows = [(entry, self.texts(entry)) for entry in entries]
        if any(self.longer(texts) for _, texts in rows):
            # A row longer than the columns were fitted for: fit them again.
            self.refresh_entries()
        else:
            for entry, texts in rows:
                self.add_entry(table, entry, texts)
        table.sort("time", key=lambda moment: moment.order, reverse=True)
        # The cursor follows the newest entry, so enter corrects or voids it.
        kept = str(entries[-1].id) if kept is None else kept
        if kept in table.rows:
            table.move_cursor(row=table.get_row_index(kept))

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
        waiting, _, booths, _ = self.waiting
        self.query_one("#summary", Plain).update(
            summary(t, self.day, ctx.today(), counts, visits, waiting, booths)
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
        if entry.duration_seconds:
            # A booth session's length (minutes:seconds) is a mark of its own.
            marks.insert(0, _duration(entry.duration_seconds))
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
        referred = ""
        if isinstance(result, documents.Intake):
            if result.referrals:
                kinds = ", ".join(t(f"document.{r.kind}") for r in result.referrals)
                referred = t("log.referred", kind=kinds)
            if not result.documents:
                self.refresh_panel()
                self.say(referred, "warning")
                return
            service = result.documents[0].service
            from kela_tui.widgets.slip import SlipDialog

            self.app.push_screen(SlipDialog(result.documents))
        else:
            service = getattr(result, "service", result)
        self.last = service
        self.last_tally = None
        self.show_new(service)
        self.refresh_panel(registers=service.category in services.OWN_FUNCTION)
        self.show_logged(service, referred)

    def show_logged(self, service: Service, warning: str = "") -> None:
        t = self.app.t
        text = t(
            "log.logged",
            time=t.time(from_utc_naive(service.at)),
            service=t(f"category.{service.category}"),
        )
        if service.outside_hours:
            warning = f"{t('warning.outside_hours')} {warning}".strip()
        if warning:
            self.say(f"{text} {warning}", "warning")
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

    def action_toggle_side(self) -> None:
        """Show the side panel in a narrow window (where it is folded away),
        or hide it in a wide one."""
        narrow = self.has_class("-narrow")
        self.toggle_class("-side-shown" if narrow else "-side-hidden")

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
        from kela_tui.widgets.tally_form import TallyForm

        self.app.push_screen(TallyForm(self.day), self.tallied)

    def tallied(self, result: Entered | None) -> None:
        """Show the services of a tally, after they are committed: added to
        the table and sorted once, not the day rebuilt."""
        if result is None:
            return
        t, entered = self.app.t, result.services
        self.last, self.last_tally = None, [service.id for service in entered]
        self.shown_tally = True
        self.show_new(*entered)
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
        self.go_to(day)

    def go_to(self, day: date, service_id: int | None = None) -> None:
        """Show `day`, with the cursor on the row of `service_id` if given."""
        self.day = day
        self.adding = False
        self.cursor_to = None if service_id is None else str(service_id)
        self.refresh_entries()
        # The keys act on the row shown under the cursor (p, enter).
        self.query_one("#today", DataTable).focus()
        self.say("" if day == self.app.ctx.today() else self.app.t("log.browsing"))

    def action_go_to_day(self) -> None:
        from kela_tui.widgets.finding import GoToDay

        self.app.push_screen(GoToDay(), lambda day: day and self.go_to(day))

    def action_find_receipt(self) -> None:
        def found(document) -> None:
            if document is None:
                return
            t = self.app.t
            service = document.service
            self.go_to(service.day, service.id)
            at = from_utc_naive(document.at)
            self.say(
                t(
                    "register.found",
                    receipt=document.receipt,
                    day=t.date(at.date()),
                    time=t.time(at),
                )
            )

        from kela_tui.widgets.finding import FindReceipt

        self.app.push_screen(FindReceipt(), found)

    def action_slip_copy(self) -> None:
        """A copy of the slip of the document row under the cursor."""
        table = self.query_one("#today", DataTable)
        if not table.row_count:
            self.say(self.app.t("register.no_row"), "warning")
            return
        row_key = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key
        try:
            bundle = documents.bundle_of(self.app.ctx, int(row_key.value))
        except KelaError as error:
            self.refused(error)
            return
        from kela_tui.widgets.slip import SlipDialog

        self.app.push_screen(SlipDialog(bundle, copy=True))

    def action_choose_staff(self) -> None:
        from kela_tui.widgets.staff_picker import StaffPicker

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
            elif action == "slip":
                from kela_tui.widgets.slip import SlipDialog

                self.app.push_screen(
                    SlipDialog(documents.bundle_of(self.app.ctx, service.id), copy=True)
                )

        self.app.push_screen(EntryActions(service), chosen)

    def changed(self, result: Service | None) -> None:
        if result is None:
            return
        t = self.app.t
        self.refresh_entries()
        key = "log.voided" if result.status == "voided" else "log.corrected"
        self.say(t(key, service=t(f"category.{result.category}")))


# What a row shows besides its own service: a change to any of these (other
# than a new one) reads the day again.
ROW_ENTITIES = frozenset(("service", "visit", "staff", "site", "site_settings"))
COLUMNS = ("time", "service", "marks", "staff", "note")
# The columns as wide as the day's rows need (the note takes what is left).
WIDE = ("service", "marks", "staff")
# What a column takes besides its text: a space on either side.
PADDING = 2


def column_widths(t, total: int, rows: list[dict[str, str]] = ()) -> dict[str, int]:
    """The daily log's column widths for a table `total` columns wide
    showing `rows`: the time fixed; service, marks and staff as wide as the
    day's rows need, within bounds, so that no column keeps a width another
    day needed; the note the rest. No column is narrower than its heading;
    what does not fit ends with an ellipsis (the row's dialog has it all)."""
    heading = {key: cell_len(t(f"log.{key}")) for key in COLUMNS}
    usable = max(total, 60) - PADDING * len(COLUMNS) - 2  # and the scroll bar
    widths = {"time": max(5, heading["time"])}
    rest = usable - widths["time"]

    def need(key: str, low: int, part: float) -> int:
        longest = max((cell_len(row[key]) for row in rows), default=0)
        return max(heading[key], min(longest, max(low, int(rest * part))))

    widths["service"] = need("service", 18, 0.4)
    widths["marks"] = need("marks", 10, 0.3)
    widths["staff"] = need("staff", 14, 0.22)
    note = max(heading["note"], 12)
    # Where the note would get less than its least, the others give way:
    # the staff first, then the marks, then the service (never below their
    # headings).
    for key, low in (("staff", 10), ("marks", 10), ("service", 16)):
        over = sum(widths[k] for k in ("service", "marks", "staff")) + note - rest
        if over > 0:
            widths[key] = max(heading[key], min(low, widths[key]), widths[key] - over)
    taken = widths["service"] + widths["marks"] + widths["staff"]
    widths["note"] = max(note, rest - taken)
    return {key: widths[key] for key in COLUMNS}


def _duration(seconds: int | None) -> str:
    if not seconds:
        return ""
    minutes, secs = divmod(seconds, 60)
    return f"{minutes}:{secs:02d}"
