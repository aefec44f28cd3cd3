"""Care at the edges: quitting with something in progress asks first, a new
installation is greeted with the keys to start, and refusals inside the TUI
name the TUI's keys instead of command-line commands."""

from datetime import datetime

import pytest

from kela_tui import booth, services
from kela_tui.models import MonthEvent, Service
from kela_tui.widgets.forms import FeedbackForm
from kela_tui.widgets.literal import Field
from kela_tui.widgets.quit_dialog import QuitDialog
from kela_tui.widgets.welcome import Welcome
from tests.functional.helpers import burst, screen_text

SIZE = (120, 40)
SMALL = (80, 24)


# Quitting


async def test_quit_with_nothing_in_progress_is_immediate(make_app):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+q")
        assert not isinstance(app.screen, QuitDialog)
    assert app.return_code == 0


async def test_quit_with_a_form_only_looked_at_is_immediate(make_app):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("7")
        assert isinstance(app.screen, FeedbackForm)
        await pilot.press("ctrl+q")
        assert not isinstance(app.screen, QuitDialog)
    assert app.return_code == 0


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_quit_with_typed_form_asks_and_escape_keeps_working(make_app, lang):
    app = make_app(lang)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("7", *"Kiitos [b]", "ctrl+q")
        assert isinstance(app.screen, QuitDialog)
        said = screen_text(app)
        assert app.t("quit.title") in said
        assert app.t("feedback.form_title") in said
        await pilot.press("escape")
        assert isinstance(app.screen, FeedbackForm)
        assert app.screen.query_one("#text", Field).value == "Kiitos [b]"
        assert app.return_code is None
        # No (n) keeps working as escape does; yes quits.
        await pilot.press("ctrl+q", "n")
        assert isinstance(app.screen, FeedbackForm)
        await pilot.press("ctrl+q", "y")
    assert app.return_code == 0
    assert Service.select().count() == 0


async def test_quit_with_typed_form_in_one_burst(make_app):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "7", *"thanks", "ctrl+q", "escape")
        assert isinstance(app.screen, FeedbackForm)
        assert app.screen.query_one("#text", Field).value == "thanks"
        await burst(pilot, "ctrl+q", "enter")
    assert app.return_code == 0


async def test_quit_with_typed_form_left_on_another_screen_asks(make_app):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        # The form keeps the function keys; the palette still changes screens.
        await pilot.press("7", *"half a thought", "f4")
        assert isinstance(app.screen, FeedbackForm)
        await pilot.press("ctrl+p", *"Monthly dashboard")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_mode == "dashboard"
        await pilot.press("ctrl+q")
        assert isinstance(app.screen, QuitDialog)
        assert "Customer feedback" in screen_text(app)
        await pilot.press("escape", "f2")
        assert app.screen.query_one("#text", Field).value == "half a thought"


async def test_quit_with_a_cancelled_form_is_immediate(make_app):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("7", *"half a thought", "escape", "ctrl+q")
    assert app.return_code == 0


async def test_quit_with_a_booth_session_asks(make_app, sqlite_ctx, clock):
    booth.advance(sqlite_ctx, 1)
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+q")
        assert isinstance(app.screen, QuitDialog)
        said = screen_text(app)
        assert "A remote session has been in progress in booth 1 since 10:00" in said
        assert "Nothing in the session is lost" in said
        await pilot.press("escape")
        assert not isinstance(app.screen, QuitDialog)
        assert app.return_code is None
        # Ended (from another workstation, say), quitting is immediate again.
        booth.end(sqlite_ctx, "customer_left")
        await pilot.press("ctrl+q")
        assert not isinstance(app.screen, QuitDialog)
    assert app.return_code == 0


async def test_quit_from_the_palette_asks_too(make_app, sqlite_ctx):
    booth.advance(sqlite_ctx, 1)
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"Quit")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, QuitDialog)
        await pilot.press("k")  # kyllä, in any language
    assert app.return_code == 0


def test_snapshot_quit_dialog(make_app, sqlite_ctx, snap_compare):
    booth.advance(sqlite_ctx, 1)
    keys = ["7", *"Kiitos", "ctrl+q"]
    assert snap_compare(make_app(), terminal_size=SIZE, press=keys)


def test_snapshot_quit_dialog_small(make_app, sqlite_ctx, snap_compare):
    booth.advance(sqlite_ctx, 1)
    keys = ["7", *"Kiitos", "ctrl+q"]
    assert snap_compare(make_app(), terminal_size=SMALL, press=keys)


# The welcome of a new installation


async def test_welcome_until_something_is_logged(make_app):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        welcome = app.screen.query_one(Welcome)
        assert welcome.display
        said = screen_text(app)
        for words in ("Welcome!", "log a service", "settings and the staff's names", "F6"):
            assert words in said
        assert "kela-tui " not in said
        await pilot.press("1")
        assert not welcome.display
        # Voided, it still was logged: the welcome does not come back.
        await pilot.press("ctrl+z")
        await pilot.press("left_square_bracket", "right_square_bracket")
        assert not welcome.display


async def test_no_welcome_once_anything_was_logged_on_any_day(make_app, sqlite_ctx):
    services.log_service(sqlite_ctx, "advice", at=datetime(2026, 9, 1, 10, 0))
    app = make_app("en")
    async with app.run_test(size=SIZE):
        assert not app.screen.query_one(Welcome).display
        assert "Welcome!" not in screen_text(app)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("size", [SIZE, SMALL], ids=["120x40", "80x24"])
def test_snapshot_welcome(make_app, snap_compare, lang, size):
    assert snap_compare(make_app(lang), terminal_size=size)


# Refusals inside the TUI name the TUI's keys


CLOSED = {
    "fi": ("elokuu 2026 on suljettu", "F5", " r "),
    "sv": ("augusti 2026 är stängd", "F5", " r "),
    "en": ("August 2026 is closed", "F5", " r "),
}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_closed_month_refusal_names_f5_and_r(make_app, sqlite_ctx, clock, lang):
    clock.set(datetime(2026, 9, 2, 10, 0))
    services.log_service(sqlite_ctx, "advice", at=datetime(2026, 8, 31, 9, 30))
    MonthEvent.create(
        site=sqlite_ctx.site, month="2026-08", action="close", at=datetime(2026, 9, 1)
    )
    app = make_app(lang)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("left_square_bracket", "left_square_bracket", "1", "enter")
        said = str(app.screen.query_one("#form-error").content)
    closed, f5, r = CLOSED[lang]
    assert closed in said and f5 in said and r in said
    assert "kela-tui" not in said and "--reason" not in said
    assert Service.select().count() == 1
