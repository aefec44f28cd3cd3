"""F2: the counter's daily log, the home screen."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from kela_tui import services
from kela_tui.catalogue import CATEGORIES
from kela_tui.clock import from_utc_naive
from kela_tui.keys import translate_bindings
from kela_tui.widgets.staff_picker import StaffPicker


class DailyLogScreen(Screen):
    BINDINGS = [Binding("s", "choose_staff", "key.staff")]

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self, self.app.t)

    def compose(self) -> ComposeResult:
        t = self.app.t
        yield Header()
        with Horizontal():
            table = DataTable(id="today", cursor_type="row", zebra_stripes=True)
            table.add_columns(
                t("log.time"),
                t("log.service"),
                t("log.staff"),
                t("log.note"),
                t("log.marks"),
            )
            yield table
            with Vertical(id="side"):
                yield Static(id="counts")
        yield Footer()

    def on_screen_resume(self) -> None:
        self.refresh_entries()

    def refresh_entries(self) -> None:
        t, ctx = self.app.t, self.app.ctx
        entries = services.entries_of_day(ctx, ctx.today())
        table = self.query_one("#today", DataTable)
        table.clear()
        for entry in entries:
            marks = []
            if entry.outside_hours:
                marks.append(t("log.mark_outside"))
            if entry.status != "active":
                marks.append(t(f"log.mark_{entry.status}"))
            table.add_row(
                t.time(from_utc_naive(entry.at)),
                t(f"category.{entry.category}"),
                entry.staff.name,
                entry.note or "",
                ", ".join(marks),
                key=str(entry.id),
            )
        active = [e for e in entries if e.status == "active"]
        lines = [t("log.today", day=t.date(ctx.today(), "full")), ""]
        for cat in CATEGORIES:
            n = sum(1 for e in active if e.category == cat.code)
            lines.append(f"{cat.hotkey}  {t(cat.label_key):<40} {n:>3}")
        lines += [
            "",
            t(
                "log.totals",
                visits=len({e.visit_id for e in active}),
                services=len(active),
            ),
        ]
        self.query_one("#counts", Static).update("\n".join(lines))

    def action_choose_staff(self) -> None:
        ctx = self.app.ctx
        staff = ctx.active_staff()

        def chosen(code: str | None) -> None:
            if code:
                self.app.set_staff(code)

        self.app.push_screen(StaffPicker(staff, ctx.staff, self.app.t("log.choose_staff")), chosen)
