"""The booth screen with the real keys; timers driven by the injected clock."""

from datetime import datetime, timedelta

import pytest
from textual.widgets import DataTable, Digits, Input, OptionList, Static

from kela_tui import booth, statistics
from kela_tui.app import KelaApp
from kela_tui.context import open_context
from kela_tui.i18n import Translator
from kela_tui.models import BoothBooking, BoothSession, Service
from kela_tui.months import Month
from kela_tui.widgets.booth_forms import BookingForm, CancelBookingForm, EndForm
from tests.conftest import with_point

SIZE = (120, 40)


def text(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).content)


def digits(app, selector: str) -> str:
    return app.screen.query_one(selector, Digits).value


async def test_a_full_session_from_free_to_free(make_app, clock):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        assert text(app, "#booth-state") == "FREE"
        await pilot.press("n")
        assert text(app, "#booth-state") == "ASSESSING THE NEED"
        for _ in booth.DUTIES:
            await pilot.press("space")
        assert booth.status(app.ctx).ticked == set(booth.DUTIES)
        for state in ("PREPARING", "CONNECTING TO KELA", "IN SESSION", "CLOSING"):
            clock.advance(minutes=5)
            await pilot.press("n")
            assert text(app, "#booth-state") == state
        clock.advance(minutes=2, seconds=5)
        app.screen.show_timers()
        assert digits(app, "#session-timer") == "0:22:05"
        assert digits(app, "#phase-timer") == "0:02:05"
        await pilot.press("n")  # from closing, n asks the outcome like e
        assert isinstance(app.screen, EndForm)
        await pilot.press("enter")
        assert text(app, "#booth-state") == "FREE"
        assert "Completed, 22 min" in text(app, "#status")
        service = Service.get()
        # Connected, the remote service lasts from connecting to Kela (at +10 min).
        assert (service.category, service.duration_seconds) == ("remote", 12 * 60 + 5)
        assert app.screen.query_one("#sessions", DataTable).row_count == 1


async def test_handled_at_the_counter_logs_that_service(make_app):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        # Not connected: the outcomes start with "handled at the counter".
        await pilot.press("f3", "n", "e", "tab", "down", "enter")
        assert BoothSession.get().outcome == "at_counter"
        assert Service.get().category == "online"


async def test_connecting_outside_kela_hours_is_refused_with_the_next_window(make_app, clock):
    clock.set(datetime(2026, 9, 18, 15, 30))  # a Friday after the hours
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        assert "next window opens 21 Sept 2026 at 09:00" in text(app, "#gate")
        await pilot.press("n", "n", "n")
        assert "cannot be opened" in text(app, "#status")
        assert text(app, "#booth-state") == "PREPARING"


def outcome_ids(app) -> list[str]:
    options = app.screen.query_one("#outcome", OptionList)
    return [options.get_option_at_index(i).id for i in range(options.option_count)]


async def test_a_saturday_session_cannot_be_completed(make_app, clock):
    """Issue 13: on a Saturday, n three times (connecting refused), then e:
    "completed" is not offered, and what happened is logged as a remote
    service that is no completed booth session."""
    clock.set(datetime(2026, 9, 19, 11, 0))
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3", "n", "n", "n")
        assert "cannot be opened" in text(app, "#status")
        await pilot.press("e")
        assert isinstance(app.screen, EndForm)
        assert outcome_ids(app) == [
            "at_counter",
            "kela_unavailable",
            "technical_failure",
            "customer_left",
        ]
        assert "cannot end as completed" in text(app, "#not-connected")
        clock.advance(minutes=6)
        await pilot.press("down", "enter")
        assert text(app, "#booth-state") == "FREE"
        session = BoothSession.get()
        assert session.outcome == "kela_unavailable" and session.connected_at is None
        assert "Kela not available, 6 min" in text(app, "#status")
        service = Service.get()
        assert (service.category, service.duration_seconds) == ("remote", 6 * 60)
        stats = statistics.month_stats(Month(2026, 9), [app.ctx.site], clock.today())
        assert stats.booth["sessions"] == 0 and stats.booth["outcomes"]["kela_unavailable"] == 1


async def test_completed_is_offered_once_in_session(make_app):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3", "n", "n", "n", "e")
        assert "completed" not in outcome_ids(app)
        await pilot.press("escape", "n", "e")
        assert outcome_ids(app)[0] == "completed"
        assert not app.screen.query("#not-connected")


async def test_a_long_session_is_warned_about(make_app, clock):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3", "n")
        clock.advance(minutes=46)
        app.screen.show_timers()
        assert "over 45 minutes" in text(app, "#booth-warning")


async def test_the_session_survives_a_restart(sqlite_ctx, config, clock, sqlite_url):
    first = KelaApp(sqlite_ctx, Translator("en"))
    async with first.run_test(size=SIZE) as pilot:
        await pilot.press("f3", "n", "space", "n")
    clock.advance(minutes=10)
    again = KelaApp(open_context(config, sqlite_url, clock), Translator("en"))
    async with again.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        assert text(again, "#booth-state") == "PREPARING"
        assert digits(again, "#session-timer") == "0:10:00"
        assert digits(again, "#phase-timer") == "0:10:00"
        assert "[x] Assess" in str(again.screen.query_one("#duties").get_option_at_index(0).prompt)


async def test_out_of_order_and_back(make_app):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3", "o", *"verkko poikki", "enter")
        assert text(app, "#booth-state") == "OUT OF ORDER"
        await pilot.press("n")
        assert "out of order" in text(app, "#status")
        await pilot.press("o")
        assert text(app, "#booth-state") == "FREE"


async def test_booking_and_cancelling(make_app):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3", "b")
        form = app.screen
        assert isinstance(form, BookingForm)
        form.query_one("#date", Input).value = "16.9.2026"
        form.query_one("#time", Input).value = "10:00"
        form.query_one("#reference", Input).value = "asumistuki"
        await pilot.press("enter")
        assert "Booked 16 Sept 2026 at 10:00, 30 min" in text(app, "#status")
        assert Service.get().category == "booking"
        await pilot.press("b")
        app.screen.query_one("#date", Input).value = "16.9.2026"
        app.screen.query_one("#time", Input).value = "10:15"
        await pilot.press("enter")
        assert "overlaps another one at 10:00" in str(
            app.screen.query_one("#form-error", Static).content
        )
        await pilot.press("escape")
        app.screen.query_one("#bookings", DataTable).focus()
        await pilot.press("c", *"asiakas perui", "enter")
        assert BoothBooking.get().cancelled_at is not None


def two_bookings(ctx):
    first = booth.book(ctx, datetime(2026, 9, 16, 10, 0), 30, "asumistuki [b]")
    second = booth.book(ctx, datetime(2026, 9, 17, 13, 0), 45, "eläke")
    return first, second


async def test_the_highlighted_booking_is_marked_without_tab(make_app, sqlite_ctx):
    two_bookings(sqlite_ctx)
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        table = app.screen.query_one("#bookings", DataTable)
        assert not table.has_focus and app.screen.query_one("#duties").has_focus
        # Shown highlighted though the duties have the keys (see the snapshot).
        assert table.cursor_row == 0 and table.show_cursor
        assert "c cancels the highlighted booking" in text(app, "#bookings-hint")
        await pilot.press("tab", "down", "shift+tab")
        assert not table.has_focus
        assert table.cursor_row == 1


async def test_cancelling_names_the_highlighted_booking(make_app, sqlite_ctx):
    first, second = two_bookings(sqlite_ctx)
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3", "c")
        assert text(app, "#cancel-which") == "Booking Wed 16 Sept 2026 at 10:00, 30 min"
        assert text(app, "#cancel-reference") == "Reference: asumistuki [b]"
        await pilot.press("escape", "tab", "down", "c")
        assert text(app, "#cancel-which") == "Booking Thu 17 Sept 2026 at 13:00, 45 min"
        assert text(app, "#cancel-reference") == "Reference: eläke"
        await pilot.press(*"asiakas perui", "enter")
        assert BoothBooking.get_by_id(second.id).cancelled_at is not None
        assert BoothBooking.get_by_id(first.id).cancelled_at is None
        assert "Cancelled the booking Thu 17 Sept 2026 at 13:00" in text(app, "#status")
        table = app.screen.query_one("#bookings", DataTable)
        assert table.row_count == 1 and table.cursor_row == 0


async def test_cancelling_with_no_bookings_or_one_already_gone(make_app, sqlite_ctx):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3", "c")
        assert "no bookings ahead" in text(app, "#status")
        assert text(app, "#bookings-hint") == ""
        booking = booth.book(sqlite_ctx, datetime(2026, 9, 16, 10, 0))
        app.screen.refresh_booth()
        # Cancelled on another workstation while this one still lists it.
        booth.cancel_booking(sqlite_ctx, booking.id, "toisella koneella")
        await pilot.press("c")
        assert not isinstance(app.screen, CancelBookingForm)
        assert "already been cancelled" in text(app, "#status")
        assert app.screen.query_one("#bookings", DataTable).row_count == 0


async def test_a_reference_with_an_identity_code_is_refused(make_app):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3", "b")
        app.screen.query_one("#time", Input).value = "14:00"
        app.screen.query_one("#reference", Input).value = "131052-308T"
        await pilot.press("enter")
        assert "identity code" in str(app.screen.query_one("#form-error", Static).content)
        assert BoothBooking.select().count() == 0


async def test_the_daily_log_shows_the_booth_and_the_next_booking(make_app, sqlite_ctx):
    booth.book(sqlite_ctx, datetime(2026, 9, 15, 13, 30))
    booth.advance(sqlite_ctx)
    app = make_app("en")
    async with app.run_test(size=SIZE):
        panel = text(app, "#panel")
        assert "Booth 1: ASSESSING THE NEED" in panel
        assert "Next booking 15 Sept 2026 at 13:30 (in 4 hours)" in panel


@pytest.mark.parametrize(
    ("lang", "soon", "later"),
    [
        ("fi", "(58 minuutin päästä)", "(2 tunnin päästä)"),
        ("sv", "(om 58 minuter)", "(om 2 timmar)"),
        ("en", "(in 58 minutes)", "(in 2 hours)"),
    ],
)
async def test_the_next_booking_counts_down_as_the_language_says_it(
    make_app, sqlite_ctx, clock, lang, soon, later
):
    # Finnish says "58 minuutin päästä": the genitive, not "58 minuuttia päästä".
    now = clock.now()
    booth.book(sqlite_ctx, (now + timedelta(minutes=58)).replace(second=0, microsecond=0))
    app = make_app(lang)
    async with app.run_test(size=SIZE):
        assert soon in text(app, "#panel")
    clock.set(now - timedelta(minutes=62))
    app = make_app(lang)
    async with app.run_test(size=SIZE):
        assert later in text(app, "#panel")


async def test_several_booths(sqlite_url, config, clock):
    ctx = open_context(with_point(config, booths=2), sqlite_url, clock)
    app = KelaApp(ctx, Translator("en"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3", "n", "right_square_bracket")
        assert app.screen.number == 2 and text(app, "#booth-state") == "FREE"
        await pilot.press("n", "left_square_bracket")
        assert BoothSession.select().count() == 2
        assert text(app, "#booth-state") == "ASSESSING THE NEED"


@pytest.mark.parametrize(
    "keys",
    [
        pytest.param(["f3"], id="free"),
        pytest.param(["f3", "n", "space"], id="assessing"),
        pytest.param(["f3", "n", "n", "n", "n"], id="in_session"),
        pytest.param(["f3", "n", "n", "n", "n", "n", "e"], id="end_form"),
        pytest.param(["f3", "o", *"kamera", "enter"], id="out_of_order"),
        pytest.param(["f3", "b"], id="booking_form"),
    ],
)
def test_snapshots(make_app, snap_compare, keys):
    assert snap_compare(make_app(), terminal_size=SIZE, press=keys)


@pytest.mark.parametrize("size", [SIZE, (80, 24)], ids=["120x40", "80x24"])
@pytest.mark.parametrize(
    "keys",
    [
        pytest.param(["f3", "n", "n", "e"], id="end_form_not_connected"),
        pytest.param(["f3", "n", "n", "n", "n", "e"], id="end_form_in_session"),
    ],
)
def test_snapshot_end_form_before_and_after_connecting(make_app, snap_compare, keys, size):
    assert snap_compare(make_app(), terminal_size=size, press=keys)


@pytest.mark.parametrize("size", [SIZE, (80, 24)], ids=["120x40", "80x24"])
@pytest.mark.parametrize(
    "keys",
    [
        pytest.param(["f3", "tab", "down", "shift+tab"], id="highlight_unfocused"),
        pytest.param(["f3", "tab", "down", "c"], id="cancel_dialog"),
    ],
)
def test_snapshot_bookings(make_app, sqlite_ctx, snap_compare, keys, size):
    two_bookings(sqlite_ctx)
    assert snap_compare(make_app(), terminal_size=size, press=keys)


def test_snapshot_refused_outside_kela_hours(make_app, clock, snap_compare):
    clock.set(datetime(2026, 9, 19, 11, 0))
    assert snap_compare(make_app(), terminal_size=SIZE, press=["f3", "n", "n", "n"])


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_no_two_keys_in_the_footer_say_the_same(make_app, lang):
    # Swedish said "e Avsluta" (the session) and "^q Avsluta" (the program).
    app = make_app(lang)
    async with app.run_test(size=SIZE) as pilot:
        for screen in ("f2", "f3", "f4", "f5", "f6"):
            await pilot.press(screen)
            shown = [
                binding.description
                for _, binding, _, _ in app.screen.active_bindings.values()
                if binding.show
            ]
            assert len(shown) == len(set(shown)), (screen, shown)
