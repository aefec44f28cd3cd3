"""The tally form of the daily log (`t`) with the real keys, the database
checked after; its snapshots at 120×40 and 80×24."""

from datetime import datetime

import pytest
from textual.widgets import DataTable, Static

from kela_tui import services
from kela_tui.models import Service, Visit
from kela_tui.widgets.tally_form import TallyForm
from tests.functional.helpers import burst, screen_text

SIZE = (120, 40)
ERASE = ["backspace"] * 5


def status(app) -> str:
    return str(app.screen.query_one("#status", Static).content)


def form_error(app) -> str:
    return str(app.screen.query_one("#form-error", Static).content)


def active() -> list[Service]:
    return list(Service.select().where(Service.status == "active").order_by(Service.at))


async def test_the_form_offers_the_last_hour_and_only_kinds_that_are_tallied(make_app):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        assert isinstance(app.screen, TallyForm)
        assert (app.screen.value("from"), app.screen.value("to")) == ("09:00", "10:00")
        shown = screen_text(app)
        assert "Advice on Kela matters" in shown and "Other Kela matter" in shown
        for kind in ("document", "feedback", "remote"):
            assert not app.screen.query(f"#count-{kind}")
        await pilot.press("escape")
        assert not isinstance(app.screen, TallyForm)
        assert Service.select().count() == 0


@pytest.mark.parametrize(
    ("lang", "start", "end", "said"),
    [
        ("fi", "9.00", "10.00", "9.00–10.00"),
        ("sv", "9.00", "10.00", "9.00–10.00"),
        ("en", "09:00", "10:00", "09:00–10:00"),
    ],
)
async def test_the_offered_period_is_written_as_the_language_writes_a_time(
    make_app, lang, start, end, said
):
    # Finnish and Swedish write 9.00, not 09:00; the form takes what it offers.
    app = make_app(lang)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        assert (app.screen.value("from"), app.screen.value("to")) == (start, end)
        await pilot.press("tab", "tab", "3", "enter")
        assert not isinstance(app.screen, TallyForm)
        assert said in status(app)
        assert len(active()) == 3


async def test_a_tally_typed_key_by_key_is_stored_and_shown_marked(make_app):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t", "tab", "tab", "3", "tab", "2")
        await pilot.press("enter")
        entered = active()
        assert [s.category for s in entered] == ["advice", "online", "advice", "online", "advice"]
        assert all(s.entered_later for s in entered)
        assert len({s.visit_id for s in entered}) == 5
        table = app.screen.query_one("#today", DataTable)
        assert table.row_count == 5
        rows = [table.get_row_at(i) for i in range(5)]
        assert all("entered later" in str(row[2]) for row in rows)
        assert status(app).startswith("✓ 5 services entered later for 09:00–10:00")
        # The newest of them is highlighted.
        assert table.cursor_row == table.get_row_index(str(entered[-1].id))


async def test_a_whole_form_in_one_burst(make_app):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await burst(
            pilot,
            "t",
            *ERASE,
            *"08:00",
            "tab",
            *ERASE,
            *"09:30",
            "tab",
            "1",
            "tab",
            "tab",
            "2",
            "tab",
            "4",
            "tab",
            "tab",
            "space",
            "tab",
            *"kiire [b]x[/b]",
            "enter",
        )
        entered = active()
        assert (
            sorted(s.category for s in entered) == ["advice"] + ["booking"] * 2 + ["material"] * 4
        )
        assert Visit.select().count() == 1
        assert {s.note for s in entered} == {"kiire [b]x[/b]"}
        assert min(s.at for s in entered) > datetime(2026, 9, 15, 5, 0)  # 08:00 Finnish time
        assert max(s.at for s in entered) < datetime(2026, 9, 15, 6, 30)
        # 08:00-09:00 is before the office opens: marked and said.
        assert "outside the office's opening hours" in status(app)


@pytest.mark.parametrize(
    ("keys", "said"),
    [
        (["tab", "tab", "x"], "whole number from 0 to 200, not 'x'"),
        (["tab", "tab", *"201"], "not 201"),
        ([], "nothing to enter"),
        (["tab", *ERASE, *"11:00", "tab", "1"], "in the future"),
        ([*ERASE, *"10:30", "tab", "tab", "1"], "must end after it begins"),
        ([*ERASE, *"9", "tab", "tab", "1"], "enter a time like 10:30"),
        (["tab", "tab", "1", *["tab"] * 6, *"131052-308T"], "identity code"),
    ],
)
async def test_bad_input_is_said_in_the_form_and_changes_nothing(make_app, keys, said):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "t", *keys, "enter")
        assert isinstance(app.screen, TallyForm)
        assert said in form_error(app)
        assert Service.select().count() == 0


async def test_a_closed_month_refuses_the_whole_tally(make_app, sqlite_ctx, clock):
    from kela_tui import statement
    from kela_tui.i18n import Translator
    from kela_tui.months import Month

    services.log_service(sqlite_ctx, "advice", at=datetime(2026, 9, 15, 9, 0))
    clock.set(datetime(2026, 10, 5, 12, 0))
    statement.issue(sqlite_ctx, Month(2026, 9), Translator("en"))
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        # Back to 30 September, in the closed month.
        await burst(pilot, *["left_square_bracket"] * 5, "t", "tab", "tab", "2", "enter")
        assert isinstance(app.screen, TallyForm)
        assert "closed" in form_error(app)
        assert Service.select().count() == 1


async def test_ctrl_z_undoes_the_whole_tally(make_app):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "1", "t", "tab", "tab", "2", "tab", "1", "enter")
        assert len(active()) == 4
        await pilot.press("ctrl+z")
        assert [s.category for s in active()] == ["advice"]
        assert "Undone: 3 services entered later." in status(app)
        table = app.screen.query_one("#today", DataTable)
        marks = [str(table.get_row_at(i)[2]) for i in range(table.row_count)]
        assert sum("voided" in mark for mark in marks) == 3


async def test_the_form_in_finnish_at_80_columns(make_app):
    app = make_app("fi")
    async with app.run_test(size=(80, 24)) as pilot:
        await burst(pilot, "t", "tab", "tab", "1", "enter")
        assert active()[0].entered_later
        assert "jälkikirjattu" in screen_text(app)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_snapshot_of_the_form(make_app, snap_compare, size):
    assert snap_compare(make_app(), terminal_size=size, press=["t", "tab", "tab", "3", "tab", "2"])


def test_snapshot_of_the_rows_entered_later(make_app, sqlite_ctx, snap_compare):
    services.log_service(sqlite_ctx, "advice", at=datetime(2026, 9, 15, 9, 50))
    keys = ["t", "tab", "tab", "3", "tab", "2", "enter"]
    assert snap_compare(make_app(), terminal_size=SIZE, press=keys)


async def test_a_refusal_is_brought_into_view_at_80_by_24(make_app):
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await burst(pilot, "t", "tab", "tab", "x", "enter")
        await pilot.pause()
        await pilot.pause()
        assert "the count must be a whole number" in screen_text(app)
        assert Service.select().count() == 0
