"""The monthly dashboard: navigation, loading in a worker, its main states."""

from datetime import datetime

import pytest
from textual.widgets import DataTable, Static

from kela_tui import demo, services
from kela_tui.months import Month
from tests.functional.helpers import after

SIZE = (120, 40)


async def settle(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


def tile(app, name: str) -> str:
    """The tile's text as shown, without markup or narrow spaces."""
    shown = str(app.screen.query_one(f"#tile-{name}", Static).render())
    return shown.replace("\u00a0", "")


async def test_navigation_stays_within_the_agreement_and_today(make_app, clock):
    clock.set(datetime(2026, 10, 5, 10, 0))
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await settle(app, pilot)
        assert app.screen.month == Month(2026, 10)
        await pilot.press("right_square_bracket")
        assert app.screen.month == Month(2026, 10)
        for _ in range(4):
            await pilot.press("left_square_bracket")
        await settle(app, pilot)
        assert app.screen.month == Month(2026, 8)
        assert app.screen.stats.month == Month(2026, 8)


async def test_the_screen_shows_the_statistics_modules_numbers(make_app, sqlite_ctx, clock):
    clock.set(datetime(2026, 10, 5, 10, 0))
    services.log_service(sqlite_ctx, "advice", at=datetime(2026, 9, 1, 10, 0))
    services.log_service(sqlite_ctx, "advice", at=datetime(2026, 10, 1, 10, 0))
    services.log_service(sqlite_ctx, "online", at=datetime(2026, 10, 2, 10, 0))
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await settle(app, pilot)
        # 1 to 5 October has three open days, 1 to 5 September four: per
        # open day, 2/3 against 1/4.
        assert "Services\n2\n▲ +167%/day" in tile(app, "services")
        table = app.screen.query_one("#categories", DataTable)
        assert [str(c) for c in table.get_row_at(0)[1:]] == ["1", "▲ +33%/day"]
        assert [str(c) for c in table.get_row_at(1)[1:]] == ["1", "▲ +0.33/day"]
        await pilot.press("left_square_bracket")
        await settle(app, pilot)
        # September against the half August the agreement had, per open day:
        # one service in 22 open days, none in 11.
        assert "Services\n1\n▲ +0.05/day" in tile(app, "services")


async def test_all_points_compare_only_the_points_in_force_in_both_months(
    make_app, sqlite_ctx, clock
):
    from datetime import date

    from tests.unit.test_statistics import joining

    clock.set(datetime(2026, 11, 5, 10, 0))
    for day in range(1, 18):
        services.log_service(sqlite_ctx, "advice", at=datetime(2026, 9, day, 10, 0))
    for day in range(1, 19):
        services.log_service(sqlite_ctx, "advice", at=datetime(2026, 10, day, 10, 0))
    halsua = joining(sqlite_ctx, "HALSUA", date(2026, 10, 20))
    for day in (21, 22):
        services.log_service(halsua, "online", at=datetime(2026, 10, day, 10, 0))
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await settle(app, pilot)
        await pilot.press("left_square_bracket", "s", "s")
        await settle(app, pilot)
        status = str(app.screen.query_one("#status").render())
        assert "all points (2)" in status, status
        assert "change compared with September 2026 · 1 of 2 points compared" in status
        # Both points' 20 shown; the old point's 18 against its 17 compared.
        assert "Services\n20\n▲ +1 (+6%)" in tile(app, "services")
        table = app.screen.query_one("#categories", DataTable)
        online = [str(c) for c in table.get_row_at(1)[1:]]
        assert online == ["2", "= 0"]


@pytest.fixture
def demo_months(sqlite_ctx, clock):
    clock.set(datetime(2026, 11, 20, 16, 0))
    demo.fill(sqlite_ctx, months=3, seed=2)
    return sqlite_ctx


async def test_a_busy_month_agrees_with_stats(make_app, demo_months):
    from kela_tui import statistics

    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4", "left_square_bracket", "left_square_bracket")
        await settle(app, pilot)
        expected = statistics.month_stats(Month(2026, 9), [demo_months.site], demo_months.today())
        assert f"\n{expected.services}\n" in tile(app, "services")
        assert app.screen.stats.to_json()["by_category"] == expected.to_json()["by_category"]


def shown(months_back: int, *more: str):
    """F4, `months_back` months back and `more` keys, then the settled screen."""
    return after("f4", *["left_square_bracket"] * months_back, *more)


def test_snapshot_busy_month(make_app, demo_months, snap_compare):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=shown(2))


def test_snapshot_august_2026(make_app, demo_months, snap_compare):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=shown(3))


def test_snapshot_empty_month(make_app, snap_compare):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=shown(0))


async def test_switching_between_points_and_all(make_app, sqlite_ctx, clock):
    clock.set(datetime(2026, 10, 5, 10, 0))
    demo.fill_sites(sqlite_ctx, sites=2, months=1, seed=3)
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4", "left_square_bracket", "left_square_bracket")
        await settle(app, pilot)
        kannus = app.screen.stats.services
        assert app.screen.stats.sites == ["KANNUS"]
        await pilot.press("s")
        await settle(app, pilot)
        assert app.screen.stats.sites == ["TOHOLAMPI"]
        toholampi = app.screen.stats.services
        await pilot.press("s")
        await settle(app, pilot)
        assert app.screen.stats.scope == "all"
        assert app.screen.stats.services == kannus + toholampi
        assert "all points (2)" in str(app.screen.query_one("#status", Static).render())
        await pilot.press("s")
        await settle(app, pilot)
        assert app.screen.stats.sites == ["KANNUS"]


def test_snapshot_busy_month_at_80_columns(make_app, demo_months, snap_compare):
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=shown(2))


def test_snapshot_busy_month_at_80_columns_scrolled(make_app, demo_months, snap_compare):
    assert snap_compare(
        make_app(),
        terminal_size=(80, 24),
        run_before=shown(2, "pagedown"),
    )


def test_snapshot_busy_month_at_200_columns(make_app, demo_months, snap_compare):
    assert snap_compare(make_app(), terminal_size=(200, 60), run_before=shown(2))


async def test_s_with_one_point_says_why_nothing_changes(make_app, clock):
    clock.set(datetime(2026, 10, 5, 10, 0))
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await settle(app, pilot)
        loads = app.screen.loads
        await pilot.press("s")
        await settle(app, pilot)
        assert app.screen.loads == loads and app.screen.scope == 0
        (notice,) = app._notifications
        assert "Only one service point in this database" in str(notice.message)


async def test_a_points_name_is_shown_as_typed(make_app, sqlite_ctx, clock):
    from kela_tui.models import Site

    clock.set(datetime(2026, 10, 5, 10, 0))
    name = "[b]Piste[/b] [link=x]y[/link]"
    Site.update(name=name).where(Site.id == sqlite_ctx.site.id).execute()
    sqlite_ctx.site.name = name
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await settle(app, pilot)
        status = str(app.screen.query_one("#status", Static).render())
        assert name in status
