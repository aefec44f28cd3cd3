"""F4's year view (`y`): the year of the month shown, its months as columns,
computed in a worker; `[` and `]` move by year."""

from datetime import datetime

import pytest
from textual.widgets import DataTable, Static

from kela_tui import demo, services, statistics
from kela_tui.months import Month

SIZE = (120, 40)


async def settle(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


def status(app) -> str:
    return str(app.screen.query_one("#status", Static).render())


def year_table(app) -> list[list[str]]:
    table = app.screen.query_one("#year-table", DataTable)
    header = [str(column.label).strip() for column in table.ordered_columns]
    rows = [table.get_row_at(n) for n in range(table.row_count)]
    return [header] + [[str(c).strip() for c in row] for row in rows]


@pytest.fixture
def two_years(sqlite_ctx, clock):
    """The agreement from 15.8.2026, today 10.2.2027: a demo's first two
    months and a few services in 2027."""
    clock.set(datetime(2027, 2, 10, 16, 0))
    demo.fill(sqlite_ctx, months=2, seed=2)
    for day in (12, 13, 14):
        services.log_service(sqlite_ctx, "advice", at=datetime(2027, 1, day, 10, 0))
    services.log_service(sqlite_ctx, "online", at=datetime(2027, 2, 9, 10, 0))
    return sqlite_ctx


async def test_y_shows_the_year_and_brackets_move_by_year(make_app, two_years):
    ctx = two_years
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await settle(app, pilot)
        assert app.screen.month == Month(2027, 2)
        await pilot.press("y")
        await settle(app, pilot)
        screen = app.screen
        assert screen.year_view and screen.year_stats.year == 2027
        assert not screen.query_one("#tiles").display and screen.query_one("#year").display
        rows = year_table(app)
        assert rows[0][1:] == ["Jan", "Feb", "Total"]
        expected = statistics.year_stats(2027, [ctx.site], ctx.today())
        services = next(row for row in rows if row[0] == "Services")
        assert services[-1] == str(expected.total.services) == "4"
        assert "2027 · Kannuksen kaupungin yhteispalvelupiste · 2 months" in status(app)
        assert screen.sub_title == "Dashboard, year 2027"

        await pilot.press("left_square_bracket")
        await settle(app, pilot)
        assert screen.year_stats.year == 2026
        # February 2026 is before the agreement: its first month is kept.
        assert screen.month == Month(2026, 8)
        assert year_table(app)[0][1:] == ["Aug", "Sept", "Oct", "Nov", "Dec", "Total"]
        compensation = year_table(app)[-2]
        assert compensation[0] == "Compensation" and compensation[-1] == "€1,364.52"
        # Nothing before the agreement's first year.
        await pilot.press("left_square_bracket")
        await settle(app, pilot)
        assert screen.year_stats.year == 2026

        await pilot.press("right_square_bracket", "right_square_bracket")
        await settle(app, pilot)
        assert screen.year_stats.year == 2027
        # August 2027 has not begun: the current month is kept.
        assert screen.month == Month(2027, 2)

        await pilot.press("y")
        await settle(app, pilot)
        assert not screen.year_view and screen.query_one("#tiles").display
        assert screen.stats.month == Month(2027, 2)
        assert "February 2027" in status(app)


async def test_the_year_follows_the_point_switch(make_app, sqlite_ctx, clock):
    clock.set(datetime(2026, 10, 5, 10, 0))
    demo.fill_sites(sqlite_ctx, sites=2, months=1, seed=3)
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4", "y")
        await settle(app, pilot)
        kannus = app.screen.year_stats.total.services
        # The point by its name, and the month's euros not over the year's.
        assert sqlite_ctx.site.name in status(app)
        assert not app.screen.query_one("#money").display
        await pilot.press("s", "s")
        await settle(app, pilot)
        both = app.screen.year_stats
        assert both.scope == "all" and both.total.services > kannus
        assert "all points (2)" in status(app)
        await pilot.press("y")
        await settle(app, pilot)
        assert app.screen.query_one("#money").display


async def test_a_year_computed_late_never_shows_over_the_month(make_app, sqlite_ctx, clock):
    """`y` twice at once: the month comes back, the year's result is dropped."""
    clock.set(datetime(2026, 10, 5, 10, 0))
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4", "y", "y")
        await settle(app, pilot)
        assert not app.screen.year_view
        assert "October 2026" in status(app)
        assert app.screen.query_one("#tiles").display


async def test_the_year_without_records_shows_zeros(make_app, sqlite_ctx, clock):
    clock.set(datetime(2026, 9, 15, 10, 0))
    app = make_app("fi")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4", "y")
        await settle(app, pilot)
        rows = year_table(app)
        assert rows[0][1:] == ["elo", "syys", "Yhteensä"]
        assert rows[-2][-1] == "464,52\xa0€"
        assert rows[-1] == ["Selvitys", "luonnos", "kesken", ""]


@pytest.fixture
def demo_months(sqlite_ctx, clock):
    clock.set(datetime(2026, 11, 20, 16, 0))
    demo.fill(sqlite_ctx, months=3, seed=2)
    return sqlite_ctx


async def wait_for_workers(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_snapshot_year(make_app, demo_months, snap_compare):
    assert snap_compare(
        make_app(), terminal_size=SIZE, press=["f4", "y"], run_before=wait_for_workers
    )


def test_snapshot_year_at_80_columns(make_app, demo_months, snap_compare):
    assert snap_compare(
        make_app(), terminal_size=(80, 24), press=["f4", "y"], run_before=wait_for_workers
    )


@pytest.fixture
def whole_year(sqlite_ctx, clock):
    """2027 from January to 20 December, a few services each month."""
    clock.set(datetime(2027, 12, 20, 16, 0))
    for month in range(1, 13):
        for n in range(month):
            services.log_service(sqlite_ctx, "advice", at=datetime(2027, month, 10, 9, n))
    return sqlite_ctx


async def test_a_whole_year_at_80_columns_opens_on_its_end(make_app, whole_year):
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4", "y")
        await settle(app, pilot)
        await pilot.pause()
        table = app.screen.query_one("#year-table", DataTable)
        assert app.screen.focused is table
        header = [str(c.label).strip() for c in table.ordered_columns]
        assert header[-2:] == ["Dec", "Total"] and "Jan" not in header
        assert header[0] == "← earlier months"
        await pilot.press("left", "left")
        await settle(app, pilot)
        assert [str(c.label).strip() for c in table.ordered_columns][-1] == "Total"
        assert "Dec" not in [str(c.label).strip() for c in table.ordered_columns]


def month_columns(app) -> list[str]:
    table = app.screen.query_one("#year-table", DataTable)
    return [str(c.label).strip() for c in table.ordered_columns][1:-1]


async def test_the_months_move_whole_and_every_figure_is_whole(make_app, whole_year):
    """← and → bring one whole month at a time; the leftmost month in sight
    is never cut, nor its compensation; ← as often as there are months
    reaches January, → December, Home and End the two ends."""
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4", "y")
        await settle(app, pilot)
        await pilot.pause()
        latest = month_columns(app)
        assert latest[-1] == "Dec" and 2 <= len(latest) < 12
        seen = [latest]
        for _ in range(30):
            await pilot.press("left")
            await settle(app, pilot)
            seen.append(month_columns(app))
        assert seen[-1][0] == "Jan" and seen[-1] == month_columns(app)
        # One month at a time, and each picture whole.
        starts = [columns[0] for columns in seen]
        assert len(set(starts)) == 12 - len(latest) + 1
        for _ in range(12):
            await pilot.press("right")
        await settle(app, pilot)
        assert month_columns(app) == latest
        await pilot.press("home")
        await settle(app, pilot)
        assert month_columns(app)[0] == "Jan"
        await pilot.press("end")
        await settle(app, pilot)
        assert month_columns(app) == latest
        for line in rendered(app):
            # Each month's compensation is €300.00 (December's too: today
            # is in it), never a cut "0 €".
            if line.lstrip().startswith("Compensation"):
                assert line.split()[1:] == ["€300.00"] * len(latest) + ["€3,600.00"]
        assert all(len(line.rstrip()) <= 78 for line in rendered(app))


async def test_brackets_at_the_ends_of_the_years_say_why(make_app, two_years):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4", "y")
        await settle(app, pilot)
        await pilot.press("right_square_bracket")
        await settle(app, pilot)
        assert app.screen.year_stats.year == 2027
        notes = [n.message for n in app._notifications]
        assert "No later years yet." in notes
        await pilot.press("left_square_bracket", "left_square_bracket")
        await settle(app, pilot)
        assert app.screen.year_stats.year == 2026
        notes = [n.message for n in app._notifications]
        assert "The agreement starts 15 Aug 2026: there are no earlier years." in notes


async def run_year(pilot) -> None:
    """F4 and y, and the year computed, before the picture."""
    await pilot.press("f4", "y")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_snapshot_a_whole_year_at_80_columns(make_app, whole_year, snap_compare):
    assert snap_compare(make_app("en"), terminal_size=(80, 24), run_before=run_year)


# A stranger's findings (issue 15).


def rendered(app) -> list[str]:
    """The year table's lines as the screen draws them."""
    table = app.screen.query_one("#year-table", DataTable)
    return [strip.text for strip in table.render_lines(table.region.reset_offset)]


@pytest.mark.parametrize(("start", "end"), [((80, 24), (120, 40)), ((120, 40), (80, 24))])
async def test_the_year_is_laid_out_again_after_a_resize(make_app, demo_months, start, end):
    app = make_app("en")
    async with app.run_test(size=start) as pilot:
        await pilot.press("f4", "y")
        await settle(app, pilot)
        before = rendered(app)
        await pilot.resize_terminal(*end)
        await settle(app, pilot)
        await pilot.pause()
        after = rendered(app)
        compensation = next(line for line in after if "Compensation" in line)
        assert "€300.00" in compensation and "€1,064.52" in compensation
        assert any("Advice on Kela matters" in line for line in after)
        # y y lays it out from scratch: the same picture.
        await pilot.press("y", "y")
        await settle(app, pilot)
        await pilot.pause()
        assert rendered(app) == after
        assert before != after
