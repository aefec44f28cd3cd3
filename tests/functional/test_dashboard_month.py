"""F4 on three points' demo history, read on Friday 27 November 2026 at 10:00:
like-for-like comparisons (the running month against the same days, the half
month the agreement began in per open day), the compensation to date, points
by name, and why `s`, `[` and `]` change nothing at their ends."""

import shutil
from datetime import date, datetime

import pytest
from textual.widgets import DataTable, Static

from kela_tui import demo
from kela_tui.clock import FixedClock
from kela_tui.config import Config
from kela_tui.context import open_context
from kela_tui.months import Month
from tests.conftest import new_sqlite_url
from tests.functional.helpers import after, settled

NOW = datetime(2026, 11, 27, 10, 0)
SIZE = (120, 40)


@pytest.fixture(scope="module")
def three_points(tmp_path_factory):
    """The demo history of three points from 15 August to today, made once."""
    folder = tmp_path_factory.mktemp("three-points")
    url = new_sqlite_url(folder / "kela.db")
    ctx = open_context(Config(path=folder / "config.toml"), url, FixedClock(NOW))
    demo.fill_sites(ctx, sites=3, seed=5)
    ctx.db.close()
    return folder / "kela.db"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def sqlite_url(three_points, tmp_path) -> str:
    shutil.copy(three_points, tmp_path / "kela.db")
    return f"sqlite:///{tmp_path / 'kela.db'}"


def text(app, selector: str) -> str:
    """A widget's text as shown, with plain spaces for Babel's thin and
    no-break ones."""
    shown = str(app.screen.query_one(selector, Static).render())
    return shown.replace("\u2009", " ").replace("\u00a0", " ").replace("\u202f", " ")


def notices(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def open_dashboard(app, pilot, *keys: str) -> None:
    await pilot.press("f4", *keys)
    await settled(pilot)


async def test_the_running_month_is_compared_with_the_same_days(make_app, sqlite_ctx):
    from kela_tui import statistics

    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await open_dashboard(app, pilot)
        assert app.screen.month == Month(2026, 11)
        status = text(app, "#status")
        # 20 open days against 19 (1 November a Sunday): per open day.
        assert "per open day: 1 – 27 Nov (20 days) vs 1 – 27 Oct (19 days)" in status, status
        assert "Kannuksen kaupungin yhteispalvelupiste" in status
        assert "KANNUS" not in status
        stats = app.screen.stats
        october = (date(2026, 10, 1), date(2026, 10, 27))
        expected = statistics.headline(Month(2026, 10), [sqlite_ctx.site.id], october)
        assert stats.previous.services == expected.services
        # Every tile shows its change.
        for name in ("visits", "services", "documents", "booth", "feedback", "referrals"):
            shown = text(app, f"#tile-{name}").splitlines()
            assert len(shown) == 3 and shown[2], (name, shown)
        assert stats.previous.per_open_day
        assert text(app, "#tile-services").endswith("/day")


async def test_a_finished_month_is_compared_with_the_whole_month(make_app):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await open_dashboard(app, pilot, "left_square_bracket")
        assert "change compared with September 2026" in text(app, "#status")
        stats = app.screen.stats
        assert not stats.previous.partial and not stats.previous.per_open_day


async def test_september_against_half_august_is_per_open_day(make_app):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await open_dashboard(app, pilot, "left_square_bracket", "left_square_bracket")
        status = text(app, "#status")
        assert "per open day: 1 – 30 Sept (22 days) vs 15 – 31 Aug (11 days)" in status, status
        for name in ("visits", "services", "documents", "booth", "feedback", "referrals"):
            assert text(app, f"#tile-{name}").endswith("/day"), name
        # Not the +90 % or so of counting 22 open days against 11.
        services = text(app, "#tile-services")
        assert "(+9" not in services and "(+1" not in services, services
        table = app.screen.query_one("#categories", DataTable)
        assert all(str(table.get_row_at(n)[2]).endswith("/day") for n in range(table.row_count))


async def test_all_points_open_days_are_point_days(make_app):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await open_dashboard(app, pilot, "s", "s", "s", *["left_square_bracket"] * 2)
        status = text(app, "#status")
        assert "all points (3)" in status
        assert "per open day: 1 – 30 Sept (66 point-days) vs 15 – 31 Aug (33 point-days)" in (
            status
        ), status
        # All three points began on 15 August: none is left out.
        assert "compared" not in status
        await pilot.press("left_square_bracket")
        await settled(pilot)
        assert "part of the month: 15 – 31 Aug, 33 point-days" in text(app, "#status")


async def test_the_first_month_is_partial_and_the_agreement_ends_the_way_back(make_app):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await open_dashboard(app, pilot, *["left_square_bracket"] * 3)
        assert app.screen.month == Month(2026, 8)
        assert "part of the month: 15 – 31 Aug, 11 open days" in text(app, "#status")
        # Every tile says there is nothing to compare with; the table a dash.
        for tile in ("visits", "services", "documents", "booth", "feedback", "referrals"):
            assert text(app, f"#tile-{tile}").splitlines()[2] == "nothing to compare"
        table = app.screen.query_one("#categories", DataTable)
        assert {str(table.get_row_at(n)[2]) for n in range(table.row_count)} == {"–"}
        loads = app.screen.loads
        await pilot.press("left_square_bracket")
        await settled(pilot)
        assert app.screen.month == Month(2026, 8) and app.screen.loads == loads
        assert any("The agreement starts 15 Aug 2026" in n for n in notices(app))


async def test_the_current_month_is_the_last(make_app):
    app = make_app("fi")
    async with app.run_test(size=SIZE) as pilot:
        await open_dashboard(app, pilot, "right_square_bracket")
        assert app.screen.month == Month(2026, 11)
        assert "Myöhempiä kuukausia ei vielä ole." in notices(app)


async def test_the_compensation_per_point_and_for_all(make_app):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await open_dashboard(app, pilot)
        # 17/31 of 300.00 for August, then 300.00 a month.
        one = "Compensation €300.00 · year to date €1,064.52 · agreement to date €1,064.52"
        assert text(app, "#money") == one
        shown = []
        for _ in range(3):
            await pilot.press("s")
            await settled(pilot)
            shown.append((text(app, "#status").split(" · ")[1], text(app, "#money")))
        assert shown == [
            ("Lestijärven yhteispalvelupiste", one),
            ("Toholammin yhteispalvelupiste", one),
            (
                "all points (3)",
                "Compensation €900.00 · year to date €3,193.56 · agreement to date €3,193.56",
            ),
        ]
        await pilot.press("left_square_bracket", "left_square_bracket", "left_square_bracket")
        await settled(pilot)
        assert text(app, "#money") == (
            "Compensation €493.56 · year to date €493.56 · agreement to date €493.56"
        )


async def test_the_compensation_on_separate_lines_where_one_is_too_narrow(make_app):
    app = make_app("sv")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dashboard(app, pilot, "s", "s", "s")
        lines = text(app, "#money").splitlines()
        assert lines[0].startswith("Ersättning 900,00 €")
        assert all(len(line) <= 78 for line in lines)
        assert not any(line.startswith("€") for line in lines)


def test_snapshot_the_running_month(make_app, snap_compare):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=after("f4"))


def test_snapshot_the_running_month_at_80x24(make_app, snap_compare):
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=after("f4"))


def test_snapshot_august_2026_of_all_points(make_app, snap_compare):
    keys = ["f4", "s", "s", "s", *["left_square_bracket"] * 3]
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=after(*keys))


def test_snapshot_august_2026_at_80x24(make_app, snap_compare):
    keys = ["f4", *["left_square_bracket"] * 3]
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=after(*keys))


def test_snapshot_a_full_month_of_three_points(make_app, snap_compare):
    keys = ["f4", "s", "s", "s", "left_square_bracket"]
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=after(*keys))


def test_snapshot_a_full_month_of_three_points_at_80x24(make_app, snap_compare):
    keys = ["f4", "s", "s", "s", "left_square_bracket"]
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=after(*keys))


async def test_the_title_names_the_month_whose_figures_are_shown(make_app):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await open_dashboard(app, pilot)
        screen = app.screen
        assert screen.sub_title == "Dashboard, November 2026"
        screen.action_month(-1)
        # October is computed; November's figures are still shown, under
        # November's name, and the status line says "loading".
        assert screen.sub_title == "Dashboard, November 2026"
        assert "Calculating" in text(app, "#status")
        await settled(pilot)
        assert screen.month == Month(2026, 10)
        assert screen.sub_title == "Dashboard, October 2026"


def test_a_change_is_grouped_as_the_figures_are():
    from kela_tui.i18n import Translator
    from kela_tui.screens.dashboard import change

    t = Translator("fi")
    assert change(6942, 9056, t).startswith(f"▼ -{t.number(2114)} (")
    assert change(9056, 6942, t).startswith(f"▲ +{t.number(2114)} (")


async def test_documents_not_yet_due_are_not_late(make_app, sqlite_ctx, clock):
    from kela_tui import documents

    # Tuesday 1 December 2026 at 10:00: one document received, due tomorrow.
    clock.set(datetime(2026, 12, 1, 10, 0))
    documents.receive_documents(sqlite_ctx, "application", 1, at=datetime(2026, 12, 1, 9, 30))
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await open_dashboard(app, pilot)
        assert app.screen.month == Month(2026, 12)
        panel = text(app, "#documents-panel")
        assert "0 % on time" not in panel and "0% on time" not in panel, panel


async def test_the_panels_group_their_figures_as_the_tiles_do(make_app):
    import re

    app = make_app("fi")
    async with app.run_test(size=SIZE) as pilot:
        # October, all three points: the staff's services run to thousands.
        await open_dashboard(app, pilot, "left_square_bracket", "s", "s", "s")
        panel = text(app, "#other-panel")
        assert re.search(r"\d \d{3}", panel), panel
        assert not re.search(r"\d{4}", panel), panel
