"""The App shell: screens on function keys, help, palette, staff on duty."""

from datetime import datetime

from textual.command import CommandPalette
from textual.widgets import DataTable, HelpPanel

from kela_tui import services
from kela_tui.screens.booth import BoothScreen
from kela_tui.screens.daily_log import DailyLogScreen
from kela_tui.screens.dashboard import DashboardScreen
from kela_tui.screens.statement import StatementScreen
from kela_tui.widgets.staff_picker import StaffPicker

SIZE = (120, 40)


async def test_starts_on_the_daily_log_with_todays_services(make_app, sqlite_ctx):
    services.log_service(sqlite_ctx, "advice", at=datetime(2026, 9, 15, 9, 5))
    services.log_service(sqlite_ctx, "online", at=datetime(2026, 9, 14, 9, 5))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()  # the columns are fitted once the table has its size
        assert isinstance(app.screen, DailyLogScreen)
        table = app.screen.query_one("#today", DataTable)
        assert table.row_count == 1
        row = table.get_row_at(0)
        assert (str(row[0]), str(row[1]), str(row[3])) == (
            "9.05",
            "Kela-asioiden neuvonta",
            "Virastomestari",
        )
        assert "vuorossa: Virastomestari" in app.sub_title


async def test_function_keys_switch_screens(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        for key, screen in (
            ("f3", BoothScreen),
            ("f4", DashboardScreen),
            ("f5", StatementScreen),
            ("f2", DailyLogScreen),
        ):
            await pilot.press(key)
            assert isinstance(app.screen, screen), key


async def test_f1_shows_and_hides_the_keys(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f1")
        assert len(app.screen.query(HelpPanel)) == 1
        await pilot.press("f1")
        await pilot.pause()
        assert len(app.screen.query(HelpPanel)) == 0


async def test_the_palette_offers_every_screen_by_name(make_app):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"Monthly dash")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)


async def test_palette_lists_screen_actions(make_app):
    app = make_app("en")
    async with app.run_test(size=SIZE):
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {
            "Daily log",
            "Remote booth",
            "Monthly dashboard",
            "Statement",
            "Staff on duty",
            "Keys",
            "Quit",
        } <= set(titles)


async def test_switching_the_staff_on_duty(make_app, sqlite_ctx):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        assert isinstance(app.screen, StaffPicker)
        await pilot.press("down", "enter")
        assert "vuorossa: Varahenkilö" in app.sub_title
        assert sqlite_ctx.staff.code == "varahenkilo"
        await pilot.press("s", "escape")
        assert sqlite_ctx.staff.code == "varahenkilo"


async def test_ctrl_q_quits(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.return_code == 0


def test_snapshot_daily_log_empty(make_app, snap_compare):
    assert snap_compare(make_app(), terminal_size=SIZE)


def test_snapshot_daily_log_with_entries(make_app, sqlite_ctx, snap_compare):
    services.log_service(sqlite_ctx, "advice", at=datetime(2026, 9, 15, 9, 5), note="asumistuki")
    services.log_service(sqlite_ctx, "material", at=datetime(2026, 9, 15, 9, 20))
    voided = services.log_service(sqlite_ctx, "online", at=datetime(2026, 9, 15, 9, 40))
    services.void_service(sqlite_ctx, voided.id, "väärä näppäin")
    services.log_service(sqlite_ctx, "other", at=datetime(2026, 9, 15, 9, 55))
    assert snap_compare(make_app(), terminal_size=SIZE)


def test_snapshot_help_panel(make_app, snap_compare):
    assert snap_compare(make_app("en"), terminal_size=SIZE, press=["f1"])
