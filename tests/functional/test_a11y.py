"""Screens for every eye: no state by colour alone, NO_COLOR and the
high-contrast theme (snapshots), the terminal's cursor on the focused row or
field, animations that can be turned off."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest
from textual.geometry import Offset
from textual.widgets import DataTable, Input, OptionList, Static

from kela_tui import demo
from kela_tui.app import KelaApp, lower_animation
from kela_tui.errors import Refused
from kela_tui.i18n import Translator
from kela_tui.themes import HIGH_CONTRAST
from kela_tui.widgets.side_panel import SidePanel
from tests.functional.helpers import after

SIZE = (120, 40)
NARROW = (80, 24)


def configure(ctx, **changes) -> None:
    ctx.config = dataclasses.replace(ctx.config, **changes)


@pytest.fixture(params=["no_color", "high_contrast"])
def look(request, monkeypatch, sqlite_ctx):
    """NO_COLOR (read when the app is built) or the high-contrast theme
    chosen in the workstation's file."""
    if request.param == "no_color":
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)
        configure(sqlite_ctx, theme=HIGH_CONTRAST)
    return request.param


# Snapshots


@pytest.mark.parametrize("size", [SIZE, NARROW], ids=["120", "80"])
def test_daily_log_overdue_voided_corrected(make_app, busy_day, look, snap_compare, size):
    """Overdue documents (⚠), a voided and a corrected row (words), outside
    hours: all readable without colour."""
    assert snap_compare(make_app(), terminal_size=size)


@pytest.mark.parametrize("size", [SIZE, NARROW], ids=["120", "80"])
def test_booth_past_its_time_limit(make_app, clock, look, snap_compare, size):
    async def run_before(pilot):
        await pilot.press("f3", "n")
        clock.advance(minutes=46)
        pilot.app.screen.show_timers()
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


def test_booth_out_of_order(make_app, look, snap_compare):
    keys = ["f3", "o", *"verkko poikki", "enter"]
    assert snap_compare(make_app(), terminal_size=SIZE, press=keys)


@pytest.fixture
def demo_months(sqlite_ctx, clock):
    clock.set(datetime(2026, 11, 20, 16, 0))
    demo.fill(sqlite_ctx, months=3, seed=2)
    return sqlite_ctx


@pytest.mark.parametrize("size", [SIZE, NARROW], ids=["120", "80"])
def test_dashboard_changes_and_overdue(make_app, demo_months, look, snap_compare, size):
    keys = after("f4", "left_square_bracket")
    assert snap_compare(make_app(), terminal_size=size, run_before=keys)


# No state by colour alone


def shown(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).content)


async def test_overdue_documents_carry_a_symbol(make_app, busy_day):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        side = str(app.screen.query_one(SidePanel).content)
        assert "⚠ overdue: 2" in side
        assert "⚠ KANNUS-2026-00001" in side and "⚠ KANNUS-2026-00002" in side
        # The one handed in today is not late: no symbol.
        assert "\u00a0 KANNUS-2026-00003" in side and "⚠ KANNUS-2026-00003" not in side
        # The voided and the corrected rows say so in words.
        table = app.screen.query_one("#today", DataTable)
        marks = [str(table.get_row_at(i)[2]).strip() for i in range(table.row_count)]
        assert "voided" in marks and "corrected" in marks


async def test_a_long_session_warns_with_a_symbol(make_app, clock):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3", "n")
        clock.advance(minutes=46)
        app.screen.show_timers()
        assert shown(app, "#booth-warning").startswith("⚠ The session has lasted over 45")


async def test_a_refusal_and_a_warning_begin_with_their_symbol(make_app, clock):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        assert shown(app, "#status").startswith("✓ ")
        clock.advance(seconds=30)
        await pilot.press("ctrl+z")
        assert shown(app, "#status").startswith("✗ ")
        app.screen.say("Look out", "warning")
        assert shown(app, "#status") == "⚠ Look out"
        app.screen.say("Just so", "info")
        assert shown(app, "#status") == "Just so"
        app.report(Refused("month_closed", month="2026-08"))
        await pilot.pause()
        (notice,) = list(app._notifications)
        assert notice.message.startswith("✗ ") and notice.severity == "error"


# The terminal's cursor


async def test_the_cursor_follows_the_focused_row_and_field(make_app, busy_day):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#today", DataTable)
        top = table.content_region.y + 1  # under the header
        assert app.cursor_position == Offset(table.content_region.x, top)
        await pilot.press("down", "down")
        await pilot.pause()
        assert table.cursor_row == 2
        assert app.cursor_position == Offset(table.content_region.x, top + 2)
        # In a form the cursor is the field's own.
        await pilot.press("5")
        await pilot.pause()
        field = app.focused
        assert isinstance(field, Input)
        assert app.cursor_position.y == field.content_region.y
        await pilot.press("tab")
        await pilot.pause()
        assert app.focused is not field
        # On the cell where the next character goes: after "abc", the fourth
        # (a stranger found it one cell further, Textual's block cursor's room).
        await pilot.press("escape", "7")
        await pilot.pause()
        other = app.focused
        assert isinstance(other, Input)
        await pilot.press(*"abc")
        await pilot.pause()
        start = other.content_region
        assert other.value == "abc"
        assert app.cursor_position == Offset(start.x + 3, start.y)
        await pilot.press("home")
        await pilot.pause()
        assert app.cursor_position == Offset(start.x, start.y)


async def test_the_cursor_follows_a_list_s_highlighted_option(make_app):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        duties = app.screen.query_one("#duties", OptionList)
        assert app.focused is duties
        first = app.cursor_position
        assert first == duties.content_region.offset
        await pilot.press("down", "down")
        await pilot.pause()
        assert duties.highlighted == 2
        assert app.cursor_position == Offset(first.x, first.y + duties._index_to_line[2])


async def test_the_cursor_can_be_left_to_textual(make_app, sqlite_ctx, busy_day):
    configure(sqlite_ctx, terminal_cursor=False)
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "down")
        await pilot.pause()
        assert app.cursor_position == Offset(0, 0)


# Animations


@pytest.mark.parametrize(
    ("env", "configured", "level"),
    [
        ("full", "full", "full"),
        ("full", "none", "none"),
        ("none", "full", "none"),
        ("basic", "full", "basic"),
        ("basic", "none", "none"),
    ],
)
def test_the_lower_animation_level_holds(env, configured, level):
    assert lower_animation(env, configured) == level


async def test_animations_off_in_the_file(make_app, sqlite_ctx):
    configure(sqlite_ctx, animations="none")
    app = make_app("en")
    assert app.animation_level == "none"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("7")
        await pilot.pause()
        field = app.focused
        assert isinstance(field, Input)
        assert field.cursor_blink is False


async def test_animations_stay_on_by_default(make_app):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("7")
        await pilot.pause()
        assert app.focused.cursor_blink is True


# The theme


async def test_the_high_contrast_theme_is_offered_and_chosen_from_the_file(make_app, sqlite_ctx):
    app = make_app("en")
    assert HIGH_CONTRAST in app.available_themes
    configure(sqlite_ctx, theme=HIGH_CONTRAST)
    chosen = KelaApp(sqlite_ctx, Translator("en"), strict=True)
    async with chosen.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert chosen.theme == HIGH_CONTRAST
        assert chosen.current_theme.background == "#000000"


async def test_the_forward_form_marks_the_overdue_ones(make_app, busy_day):
    from textual.widgets import SelectionList

    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        await pilot.pause()
        items = app.screen.query_one("#items", SelectionList)
        prompts = [str(items.get_option_at_index(i).prompt) for i in range(items.option_count)]
        assert prompts[0].startswith("⚠ KANNUS-2026-00001")
        assert prompts[1].startswith("⚠ KANNUS-2026-00002")
        assert prompts[2].startswith("KANNUS-2026-00003")
        # A ticked box shows X, an unticked one is empty: not colour alone.
        buttons = [items.render_line(i).text[:3] for i in range(items.option_count)]
        assert buttons == ["▐X▌", "▐X▌", "▐ ▌", "▐ ▌"]
        await pilot.press("space")  # unticks the first
        await pilot.pause()
        assert items.render_line(0).text[:3] == "▐ ▌"


async def test_a_checkbox_is_empty_when_not_ticked(make_app):
    from textual.widgets import Checkbox

    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        await pilot.pause()
        box = app.screen.query_one("#one-visit", Checkbox)
        assert str(box.render()).startswith("▐ ▌")
        box.value = True
        assert str(box.render()).startswith("▐X▌")


async def test_the_cursor_goes_to_a_dialog_with_nothing_to_focus(make_app, sqlite_ctx):
    """The quit check has no field: the cursor goes to its title, not stay
    on the daily log's row behind it (a stranger's braille display read the
    screen behind)."""
    from kela_tui import booth
    from kela_tui.widgets.quit_dialog import QuitDialog

    booth.advance(sqlite_ctx, 1)
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, QuitDialog)
        assert app.screen.focused is None
        dialog = app.screen.query_one("#quit-dialog").content_region
        assert app.cursor_position == Offset(dialog.x, dialog.y)
        await pilot.press("escape")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert app.cursor_position.x == table.content_region.x
