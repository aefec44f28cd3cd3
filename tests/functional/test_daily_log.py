"""The counter with the real keys: every action, the database checked after."""

import asyncio
import threading
from datetime import datetime

import pytest
from pypdf import PdfReader
from textual.widgets import DataTable, Input, SelectionList, Static

from kela_tui import documents, feedback, services
from kela_tui.models import Document, Feedback, MonthEvent, Referral, Service, Visit
from kela_tui.screens.daily_log import DailyLogScreen
from kela_tui.widgets.forms import CorrectForm, DocumentForm, EntryActions, VoidForm
from kela_tui.widgets.slip import SlipDialog
from tests.functional.helpers import _key_event, settled

SIZE = (120, 40)


def status(app) -> str:
    return str(app.screen.query_one("#status", Static).content)


def active(category=None) -> list[Service]:
    query = Service.select().where(Service.status == "active")
    if category:
        query = query.where(Service.category == category)
    return list(query.order_by(Service.id))


def table_rows(app) -> int:
    return app.screen.query_one("#today", DataTable).row_count


async def test_hotkeys_log_visits_committed_before_shown(make_app):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        for key in "1234":
            await pilot.press(key)
        await pilot.press("6", "8")
        assert [s.category for s in active()] == [
            "advice",
            "online",
            "remote",
            "booking",
            "material",
            "other",
        ]
        assert Visit.select().count() == 6
        assert table_rows(app) == 6
        assert status(app) == "✓ 10:00 Other Kela matter"


async def test_plus_adds_a_service_to_the_visit_just_logged(make_app):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1", "plus")
        assert "Adding to the visit" in status(app)
        await pilot.press("6")
        first, second = active()
        assert first.visit_id == second.visit_id
        await pilot.press("2")
        assert active()[-1].visit_id != first.visit_id


async def test_plus_without_a_service_says_so(make_app):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("plus")
        assert "Log a service first" in status(app)


async def test_outside_hours_is_marked_and_warned(make_app, clock):
    clock.set(datetime(2026, 9, 15, 16, 45))
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        assert "outside the office's opening hours" in status(app)
        assert "status-warning" in app.screen.query_one("#status").classes
        table = app.screen.query_one("#today", DataTable)
        assert "outside hours" in table.get_row_at(0)[2]
        assert active()[0].outside_hours


async def test_ctrl_z_undoes_within_the_grace_period(make_app, clock):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        clock.advance(seconds=9)
        await pilot.press("ctrl+z")
        assert "Undone" in status(app)
        undone = Service.get()
        assert undone.status == "voided" and undone.void_reason == "undo"
        assert "voided" in app.screen.query_one("#today", DataTable).get_row_at(0)[2]


async def test_ctrl_z_after_the_grace_period_is_refused(make_app, clock):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        clock.advance(seconds=11)
        await pilot.press("ctrl+z")
        assert "only within 10 seconds" in status(app)
        assert Service.get().status == "active"


async def test_document_form_receives_and_offers_the_slip(make_app, monkeypatch, tmp_path):
    monkeypatch.setattr("shutil.which", lambda name: None)
    monkeypatch.setattr("kela_tui.printing.output_folder", lambda: tmp_path)
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5")
        assert isinstance(app.screen, DocumentForm)
        # One application (the default) and two attachments: one bundle.
        await pilot.press("tab", "2", "tab", "tab", "tab", "tab", *"asumistuki", "enter")
        assert isinstance(app.screen, SlipDialog)
        received = list(Document.select().order_by(Document.number))
        assert [(d.receipt, d.kind) for d in received] == [
            ("KANNUS-2026-00001", "application"),
            ("KANNUS-2026-00002", "attachment"),
            ("KANNUS-2026-00003", "attachment"),
        ]
        assert {d.note for d in received} == {"asumistuki"}
        assert Service.select().count() == 1
        await pilot.press("p")
        await settled(pilot)
        # No printer: the slip's PDF is saved, and its path shown.
        saved = tmp_path / "kuitti-KANNUS-2026-00001.pdf"
        slip = "".join(page.extract_text() for page in PdfReader(saved).pages)
        assert "counts as received by Kela on the same day" in slip
        assert "KANNUS-2026-00003" in slip and "COPY" not in slip
        assert str(saved) in str(app.screen.query_one("#print-result", Static).content)
        await pilot.press("escape")
        assert "Document receipt" in status(app)


async def test_slip_goes_to_lp_as_its_pdf(make_app, monkeypatch, tmp_path):
    """lp gets the slip's formatted PDF on A4, not its text."""
    lp = tmp_path / "lp"
    lp.write_text(
        f'#!/bin/sh\nprintf "%s\\n" "$@" > {tmp_path}/args\n'
        f'for last in "$@"; do :; done\ncp "$last" {tmp_path}/printed.pdf\n',
        encoding="utf-8",
    )
    lp.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:/usr/bin:/bin")
    app = make_app("fi")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5", "enter", "p")
        await settled(pilot)
        args = (tmp_path / "args").read_text(encoding="utf-8").split()
        assert args[:5] == ["-t", "kuitti-KANNUS-2026-00001", "-o", "media=A4", "--"]
        text = PdfReader(tmp_path / "printed.pdf").pages[0].extract_text()
        assert "KANNUS-2026-00001" in text and "Hakemus" in text
        assert "katsotaan saapuneeksi Kelaan samana päivänä" in text
        assert "tulostimelle" in str(app.screen.query_one("#print-result", Static).content)


async def test_a_slip_closed_while_printing_says_how_it_went(make_app, monkeypatch):
    """The slip prints in the background: closed meanwhile, the dialog is
    gone, and the result is said all the same."""
    from kela_tui import printing

    closed = threading.Event()

    def slow_printer(name, make_pdf, html, folder=None, printer="", platform=None):
        closed.wait(timeout=60)
        return printing.Printed(printer=True)

    monkeypatch.setattr(printing, "print_document", slow_printer)
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5", "enter", "p")
        assert "Printing…" in str(app.screen.query_one("#print-result", Static).content)
        await pilot.press("escape")
        assert not isinstance(app.screen, SlipDialog)
        closed.set()
        await settled(pilot)
        assert "The receipt was sent to the printer." in [
            str(n.message) for n in app._notifications
        ]


@pytest.mark.parametrize("tabs", [3, 4])
async def test_excluded_documents_are_refused_and_referred(make_app, tabs):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5", "backspace", *["tab"] * tabs, "1", "enter")
        assert "earnings-related pension provider" in status(app)
        assert Document.select().count() == 0
        assert Referral.select().count() == 1


async def test_zero_documents_is_refused_in_the_form(make_app):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5", "backspace", "enter")
        assert isinstance(app.screen, DocumentForm)
        assert "nothing to receive" in str(app.screen.query_one("#form-error", Static).content)
        await pilot.press("tab", "tab", "tab", "2", "0", "0", "enter")
        assert "from 1 to 100, not 200" in str(app.screen.query_one("#form-error", Static).content)
        await pilot.press("escape")
        assert Document.select().count() == 0 and Service.select().count() == 0


async def test_escape_cancels_a_form(make_app):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("7", *"hyvä", "escape")
        assert Feedback.select().count() == 0
        assert not app.screen.query(Input)


async def test_feedback_with_an_identity_code_is_refused_and_kept(make_app):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("7", *"asiakas 010594Y9021", "enter")
        error = str(app.screen.query_one("#form-error", Static).content)
        assert "identity code" in error
        text = app.screen.query_one("#text", Input)
        assert text.value == "asiakas 010594Y9021"
        assert Feedback.select().count() == 0
        text.value = "asiakas kiitti"
        await pilot.press("tab", "up", "up", "up", "enter")
        saved = Feedback.get()
        assert (saved.text, saved.kind) == ("asiakas kiitti", "praise")
        assert feedback.waiting(app.ctx)[0].id == saved.id


async def test_a_note_with_an_identity_code_in_a_document_is_refused(make_app):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5", *["tab"] * 5, *"131052-308U", "enter")
        assert "looks like" in str(app.screen.query_one("#form-error", Static).content)
        assert Document.select().count() == 0


async def test_keys_typed_before_the_day_is_read_land_on_it_in_order(
    make_app, sqlite_ctx, monkeypatch
):
    """The first frame is drawn before the day is read (the table's headings,
    no rows yet); keys typed meanwhile wait for the day and then land on it,
    in the order typed: enter opens the day's newest row (which the table
    did not have yet when it was typed), escape closes it, 2 logs a service
    and enter opens that one."""
    services.log_service(sqlite_ctx, "advice", at=datetime(2026, 9, 15, 9, 30))
    keys = ("enter", "escape", "2", "enter")
    seen = {}
    fit = DailyLogScreen.fit_columns

    def typed_while_loading(screen):
        if screen.shown_day is not None:
            fit(screen)
            return
        if "loading" in seen:
            return  # the table's resize, while the day is still to be read
        table = screen.query_one("#today", DataTable)
        seen["loading"] = (table.row_count, [str(c.label) for c in table.columns.values()])
        for key in keys:
            event = _key_event(key)
            event.set_sender(screen.app)
            screen.app.post_message(event)

        async def read_later():
            # Turns of the event loop enough for the keys to go through,
            # were they not held.
            for _ in range(2_000):
                await asyncio.sleep(0)
            fit(screen)

        tasks.append(asyncio.get_running_loop().create_task(read_later()))

    tasks = []
    monkeypatch.setattr(DailyLogScreen, "fit_columns", typed_while_loading)
    opened = []
    entry_actions = EntryActions.__init__

    def opening(form, service):
        opened.append(service.category)
        entry_actions(form, service)

    monkeypatch.setattr(EntryActions, "__init__", opening)
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(50_000):
            await asyncio.sleep(0)
            if app.keys_taken() == len(keys) and app.keys_settled():
                break
        await pilot.pause()
        assert seen["loading"] == (0, ["Time", "Service", "Marks", "Staff", "Note"])
        assert opened == ["advice", "online"]
        assert isinstance(app.screen, EntryActions)
        assert [s.category for s in active()] == ["advice", "online"]


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_start_up_reads_the_day_once(make_app, sqlite_ctx, size):
    """Laid out for the window's width from the first frame, the table is
    filled once, not once more when the narrow layout folds the side panel."""
    services.log_service(sqlite_ctx, "advice", at=datetime(2026, 9, 15, 9, 30))
    app = make_app("en")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert table_rows(app) == 1
        assert app.screen.rebuilds == 1


async def test_correcting_an_entry(make_app, sqlite_ctx):
    services.log_service(sqlite_ctx, "advice", at=datetime(2026, 9, 15, 9, 30))
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        assert isinstance(app.screen, EntryActions)
        await pilot.press("enter")
        assert isinstance(app.screen, CorrectForm)
        app.screen.query_one("#time", Input).value = "09:45"
        app.screen.query_one("#note", Input).value = "opintotuki"
        await pilot.press("down", "enter")
        old, new = Service.select().order_by(Service.id)
        assert old.status == "corrected" and old.category == "advice"
        assert new.category == "online" and new.note == "opintotuki" and new.hour == 9
        assert datetime.fromisoformat(str(new.at)).minute == 45
        assert "Corrected" in status(app)
        assert "correction" in app.screen.query_one("#today", DataTable).get_row_at(0)[2]


async def test_voiding_needs_a_reason(make_app, sqlite_ctx):
    services.log_service(sqlite_ctx, "advice", at=datetime(2026, 9, 15, 9, 30))
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "down", "enter")
        assert isinstance(app.screen, VoidForm)
        await pilot.press("enter")
        error = str(app.screen.query_one("#form-error", Static).content)
        assert "give a reason for voiding" in error
        assert Service.get().status == "active"
        await pilot.press(*"wrong key", "enter")
        assert Service.get().status == "voided" and Service.get().void_reason == "wrong key"


async def test_a_closed_month_refuses_correction_and_backdating(make_app, sqlite_ctx, clock):
    clock.set(datetime(2026, 9, 2, 10, 0))
    services.log_service(sqlite_ctx, "advice", at=datetime(2026, 8, 31, 9, 30))
    MonthEvent.create(
        site=sqlite_ctx.site, month="2026-08", action="close", at=datetime(2026, 9, 1)
    )
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert app.screen.day.isoformat() == "2026-08-31"
        await pilot.press("enter", "enter")
        correct = app.screen
        assert isinstance(correct, CorrectForm)
        correct.query_one("#note", Input).value = "later thought"
        await pilot.press("enter")
        assert "August 2026 is closed" in str(correct.query_one("#form-error", Static).content)
        await pilot.press("escape", "1", "enter")
        assert "August 2026 is closed" in str(app.screen.query_one("#form-error", Static).content)
        assert Service.select().count() == 1 and Service.get().status == "active"


async def test_browsing_earlier_days_and_backdating(make_app, sqlite_ctx):
    services.log_service(sqlite_ctx, "advice", at=datetime(2026, 9, 14, 11, 0))
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        assert table_rows(app) == 0
        await pilot.press("right_square_bracket")  # never past today
        assert app.screen.day == sqlite_ctx.today()
        await pilot.press("left_square_bracket")
        assert table_rows(app) == 1
        await pilot.press("2")
        app.screen.query_one("#time", Input).value = "13:15"
        await pilot.press("enter")
        backdated = active("online")[0]
        assert backdated.day.isoformat() == "2026-09-14" and backdated.hour == 13
        assert table_rows(app) == 2


async def test_backdating_before_the_agreement_is_impossible(make_app, clock):
    clock.set(datetime(2026, 8, 17, 10, 0))
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("left_square_bracket", "left_square_bracket", "left_square_bracket")
        assert app.screen.day.isoformat() == "2026-08-15"


async def test_forwarding_documents_and_feedback(make_app, sqlite_ctx, clock):
    documents.receive_documents(sqlite_ctx, "application", 2, at=datetime(2026, 9, 10, 10, 0))
    feedback.record_feedback(sqlite_ctx, "Kiitos", "praise", at=datetime(2026, 9, 11, 10, 0))
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        panel = str(app.screen.query_one("#panel", Static).content)
        assert "Documents to forward: 2" in panel and "overdue: 2" in panel
        await pilot.press("f")
        items = app.screen.query_one("#items", SelectionList)
        assert len(items.selected) == 3
        await pilot.press("space")  # leave the first document for later
        await pilot.press("tab", "down", "enter")
        assert "2 documents or feedback forwarded to Kela." in status(app)
        forwarded = Document.select().where(Document.forwarded_at.is_null(False))
        assert [d.forward_method for d in forwarded] == ["courier"]
        assert Feedback.get().forward_method == "courier"
        panel = str(app.screen.query_one("#panel", Static).content)
        assert "Documents to forward: 1" in panel


async def test_forwarding_nothing_is_refused(make_app, sqlite_ctx):
    documents.receive_documents(sqlite_ctx, "application")
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        # Received today, due tomorrow: not ticked.
        await pilot.press("f", "enter")
        assert "at least one" in str(app.screen.query_one("#form-error", Static).content)


async def test_selecting_a_voided_entry_says_so(make_app, sqlite_ctx):
    service = services.log_service(sqlite_ctx, "advice", at=datetime(2026, 9, 15, 9, 30))
    services.void_service(sqlite_ctx, service.id, "wrong")
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        assert "already been voided" in status(app)


async def test_side_panel_counts_and_staff(make_app):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1", "1", "plus", "2", "s", "down", "enter", "8")
        panel = str(app.screen.query_one("#panel", Static).content)
        assert "Visits 3 · services 4" in panel
        assert "On duty: Varahenkilö" in panel
        assert active("other")[0].staff.code == "varahenkilo"
