"""Forms save what the screen shows, however fast the keys come: each form's
keys, the key that opens it included, are posted in one burst with no pause,
and the stored record is checked."""

from datetime import datetime

import pytest

from kela_tui import booth, documents, services, statement
from kela_tui.i18n import Translator
from kela_tui.models import (
    BoothBooking,
    BoothOutage,
    BoothSession,
    Document,
    Feedback,
    MonthEvent,
    Service,
    Statement,
)
from kela_tui.months import Month
from tests.functional.helpers import burst

SIZE = (120, 40)
ERASE = ["backspace"] * 5


async def test_document_form(make_app, monkeypatch, tmp_path):
    monkeypatch.setattr("kela_tui.printing.output_folder", lambda: tmp_path)
    async with make_app("en").run_test(size=SIZE) as pilot:
        await burst(pilot, "5", "tab", "3", *["tab"] * 4, *"asumistuki [liite]", "enter")
        received = list(Document.select().order_by(Document.number))
        assert [(d.kind, d.note) for d in received] == [("application", "asumistuki [liite]")] + [
            ("attachment", "asumistuki [liite]")
        ] * 3
        assert {d.service_id for d in received} == {received[0].service_id}


async def test_feedback_form_refuses_a_code_typed_in_a_burst(make_app):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "7", *"Hyvä palvelu 131052-308T", "enter")
        assert Feedback.select().count() == 0
        assert "identity code" in str(app.screen.query_one("#form-error").content)
        await burst(pilot, *["backspace"] * 12, "tab", "up", "enter")
        saved = Feedback.get()
        assert (saved.text, saved.kind) == ("Hyvä palvelu", "suggestion")


async def test_enter_typed_before_the_terminal_was_taken_over_saves(make_app):
    """Keys typed while the program starts reach it through the terminal's
    line mode, where enter becomes a newline (ctrl+j to Textual): a
    stranger's feedback form stayed open with the next key in its text."""
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "7", *"startup3", "ctrl+j", "6")
        saved = Feedback.get()
        assert saved.text == "startup3"
        assert Service.select().where(Service.category == "material").count() == 1


async def test_backdated_time_form(make_app):
    async with make_app("en").run_test(size=SIZE) as pilot:
        await burst(pilot, "left_square_bracket", "1", *ERASE, *"13:56", "enter")
        service = Service.get()
        assert (service.day.isoformat(), service.hour, service.category) == (
            "2026-09-14",
            13,
            "advice",
        )
        assert service.at == datetime(2026, 9, 14, 10, 56)  # UTC


@pytest.mark.parametrize("way", [["left_square_bracket"], ["g", *"14.9.2026", "enter"]])
async def test_a_time_typed_ahead_replaces_the_prefilled_one(make_app, way):
    # The prefilled time is selected: typed ahead without erasing, the keys
    # replace it as they do typed one by one (a stranger lost all but the
    # first key here).
    async with make_app("en").run_test(size=SIZE) as pilot:
        await burst(pilot, *way, "1", *"13:56", "enter")
        service = Service.get()
        assert service.at == datetime(2026, 9, 14, 10, 56)  # 13:56 in Finland


async def test_correction_form(make_app, sqlite_ctx):
    logged = services.log_service(sqlite_ctx, "advice", at=datetime(2026, 9, 15, 9, 5))
    async with make_app("en").run_test(size=SIZE) as pilot:
        await burst(pilot, "enter", "enter", "down", "tab", *ERASE, *"09:30", "tab", *"uusi")
        await burst(pilot, "enter")
        new = Service.get(Service.status == "active")
        assert new.replaces_id == logged.id
        assert (new.category, new.hour, new.at.minute, new.note) == ("online", 9, 30, "uusi")


async def test_void_form(make_app, sqlite_ctx):
    logged = services.log_service(sqlite_ctx, "advice", at=datetime(2026, 9, 15, 9, 5))
    async with make_app("en").run_test(size=SIZE) as pilot:
        await burst(pilot, "enter", "down", "enter", *"väärä näppäin", "enter")
        voided = Service.get_by_id(logged.id)
        assert (voided.status, voided.void_reason) == ("voided", "väärä näppäin")


async def test_forward_form(make_app, sqlite_ctx):
    documents.receive_documents(sqlite_ctx, "application", 2, at=datetime(2026, 9, 14, 10, 0))
    async with make_app("en").run_test(size=SIZE) as pilot:
        await burst(pilot, "f", "tab", "tab", *ERASE, *"09:45", "enter")
        assert [d.forwarded_at for d in Document.select()] == [
            datetime(2026, 9, 15, 6, 45, 59)
        ] * 2


async def test_booking_form(make_app):
    async with make_app("en").run_test(size=SIZE) as pilot:
        await burst(pilot, "f3", "b", "tab", *"10:30", "tab", "tab", *"Kela [b]x[/b]", "enter")
        booking = BoothBooking.get()
        assert (booking.at, booking.minutes, booking.reference) == (
            datetime(2026, 9, 15, 7, 30),
            30,
            "Kela [b]x[/b]",
        )


async def test_out_of_order_form(make_app):
    async with make_app("en").run_test(size=SIZE) as pilot:
        await burst(pilot, "f3", "o", *"näyttö rikki [/]", "enter")
        assert BoothOutage.get().reason == "näyttö rikki [/]"


async def test_cancel_form(make_app, sqlite_ctx):
    booth.book(sqlite_ctx, datetime(2026, 9, 15, 11, 0), 30, "ajanvaraus")
    async with make_app("en").run_test(size=SIZE) as pilot:
        await burst(pilot, "f3", "c", *"asiakas peruu", "enter")
        assert BoothBooking.get().cancel_reason == "asiakas peruu"


async def test_end_form_of_a_session_left_open(make_app, sqlite_ctx, clock):
    clock.set(datetime(2026, 9, 30, 14, 0))
    booth.advance(sqlite_ctx)
    clock.set(datetime(2026, 10, 1, 9, 0))
    async with make_app("en").run_test(size=SIZE) as pilot:
        # Never connected: four outcomes, "customer left" the last.
        await burst(pilot, "f3", "e", *"14:45", "tab", "down", "down", "down", "enter")
        session = BoothSession.get()
        assert (session.outcome, session.ended_at) == (
            "customer_left",
            datetime(2026, 9, 30, 11, 45),
        )


async def test_issue_and_reopen_forms(make_app, sqlite_ctx, clock):
    clock.set(datetime(2026, 10, 6, 10, 0))
    services.log_service(sqlite_ctx, "advice", at=datetime(2026, 9, 10, 10, 0))
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "f5", "i", "enter")
        await app.workers.wait_for_complete()
        assert Statement.select().count() == 1
        await burst(pilot, "r", *"myöhäinen kirjaus", "enter")
        reopened = MonthEvent.select().order_by(MonthEvent.id.desc()).first()
        assert (reopened.action, reopened.reason) == ("reopen", "myöhäinen kirjaus")


async def test_a_burst_across_screens_and_forms_keeps_its_order(make_app, sqlite_ctx, clock):
    clock.set(datetime(2026, 10, 6, 10, 0))
    statement.issue(sqlite_ctx, Month(2026, 9), Translator("en"))
    async with make_app("en").run_test(size=SIZE) as pilot:
        await burst(pilot, "1", "plus", "6", "f3", "f2", "2", "7", *"kiitos", "enter", "8")
        assert [s.category for s in Service.select().order_by(Service.id)] == [
            "advice",
            "material",
            "online",
            "feedback",
            "other",
        ]
        first, second = Service.select().order_by(Service.id)[:2]
        assert first.visit_id == second.visit_id
        assert Feedback.get().text == "kiitos"
