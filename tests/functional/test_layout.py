"""Every window from 80×24 to 200×60: the daily log's columns fit the window
and the day, the side panel folds away below 110 columns (`v` shows it),
forms scroll the focused field into view, footers keep the most used keys,
and every screen has a snapshot at 80×24 and 120×40."""

from datetime import datetime

import pytest
from rich.cells import cell_len
from textual.widgets import DataTable

from kela_tui import services
from kela_tui.screens.daily_log import COLUMNS, column_widths
from kela_tui.widgets.side_panel import SidePanel
from tests.functional.helpers import after, burst, screen_text

SIZES = ((80, 24), (120, 40))
LONG_NOTE = "asiakas toi väärän lomakkeen ja kysyi sitten asumistuesta sekä opintotuesta " * 3


def log_table(app) -> DataTable:
    return app.screen.query_one("#today", DataTable)


def widths(app) -> dict[str, int]:
    return {key.value: column.width for key, column in log_table(app).columns.items()}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("width", [80, 96, 110, 120, 160, 200])
async def test_columns_fit_the_window_and_no_heading_is_cut(make_app, busy_day, lang, width):
    app = make_app(lang)
    async with app.run_test(size=(width, 30)) as pilot:
        await pilot.pause()
        table = log_table(app)
        for key, column in table.columns.items():
            assert column.width >= cell_len(str(column.label)), key
            assert "…" not in str(column.label)
        # No horizontal scrolling: the columns fit the table.
        assert table.max_scroll_x == 0
        assert table.virtual_size.width <= table.size.width


def test_column_widths_never_cut_a_heading_even_in_a_tiny_table():
    def t(key: str) -> str:
        return {"log.marks": "A very long heading for marks"}.get(key, key)

    rows = [{"service": "x" * 80, "marks": "y" * 80, "staff": "z" * 80, "note": "n" * 500}]
    for total in (0, 40, 80, 120, 300):
        fitted = column_widths(t, total, rows)
        assert list(fitted) == list(COLUMNS)
        for key in COLUMNS:
            assert fitted[key] >= cell_len(t(f"log.{key}"))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_a_long_note_ends_with_an_ellipsis_and_the_dialog_has_it_all(
    make_app, sqlite_ctx, size
):
    note = "[/] [b]x " + LONG_NOTE.strip()[:480]
    services.log_service(sqlite_ctx, "advice", note=note)
    app = make_app("en")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        shown = str(log_table(app).get_row_at(0)[COLUMNS.index("note")])
        assert shown.startswith("[/] [b]x") and shown.endswith("…") and len(shown) < 60
        await pilot.press("enter")  # the row's actions show the whole note
        assert str(app.screen.query_one("#entry-note").content) == note
        assert " ".join(screen_text(app).split()).count("opintotuesta") >= 3
        await pilot.press("enter")  # correcting: the note in its field
        assert note == app.screen.query_one("#note").value


async def test_columns_do_not_stay_shrunk_after_a_day_with_long_marks(make_app, sqlite_ctx, clock):
    services.log_service(sqlite_ctx, "advice", at=datetime(2026, 9, 15, 9, 0))
    # The day before: a service outside the opening hours, voided.
    late = services.log_service(sqlite_ctx, "advice", at=datetime(2026, 9, 14, 18, 0))
    services.void_service(sqlite_ctx, late.id, "väärä päivä")
    app = make_app("fi")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        before = widths(app)
        assert str(log_table(app).get_row_at(0)[COLUMNS.index("staff")]) == "Virastomestari"
        await pilot.press("left_square_bracket")
        marks = str(log_table(app).get_row_at(0)[COLUMNS.index("marks")])
        assert marks.startswith("mitätöity, aukio")
        await pilot.press("right_square_bracket")
        assert widths(app) == before
        assert str(log_table(app).get_row_at(0)[COLUMNS.index("staff")]) == "Virastomestari"


async def test_a_new_row_wider_than_the_days_columns_fits_them_again(make_app, clock):
    clock.set(datetime(2026, 9, 15, 9, 0))
    app = make_app("en")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1")
        clock.set(datetime(2026, 9, 15, 18, 30))
        await pilot.press("2")
        assert str(log_table(app).get_row_at(0)[COLUMNS.index("marks")]) == "outside hours"


async def test_a_narrow_window_folds_the_side_panel_and_v_shows_it(make_app, busy_day):
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        panel = app.screen.query_one("#side")
        summary = app.screen.query_one("#summary")
        assert not panel.display and summary.display
        assert "Documents to forward: 3" in screen_text(app)
        assert "v shows the side panel" in screen_text(app)
        await pilot.press("v")
        # Shown, the panel takes the table's place: side by side neither fits.
        table, area = log_table(app), app.screen.query_one("#log-area")
        assert panel.display and not summary.display and not area.display
        assert "Today, Tuesday 15 September 2026" in str(app.screen.query_one(SidePanel).content)
        assert panel.region.width == 80
        # Keys still log while it is shown.
        await pilot.press("1")
        assert "Visits 11" in str(app.screen.query_one(SidePanel).content)
        await pilot.press("v")
        assert not panel.display and area.display
        assert table.max_scroll_x == 0
        # Widening the window brings the panel back; v hides it there.
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert panel.display and not summary.display
        await pilot.press("v")
        assert not panel.display and summary.display


@pytest.mark.parametrize("key", ["5", "7", "left_square_bracket,5"])
async def test_forms_scroll_the_focused_field_into_view(make_app, busy_day, key):
    app = make_app("fi")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*key.split(","))
        dialog = app.screen.query_one(".dialog")
        seen = set()
        for _ in range(12):
            focused = app.screen.focused
            assert focused is not None
            seen.add(focused.id)
            visible = dialog.content_region
            region = focused.region
            assert visible.contains_region(region) or (
                # A list taller than the dialog shows its top at least.
                region.height > visible.height and visible.contains(region.x, region.y)
            ), focused
            await pilot.press("tab")
        assert "note" in seen or "text" in seen


async def test_a_form_keeps_its_focused_field_in_view_when_the_window_shrinks(make_app):
    app = make_app("fi")
    async with app.run_test(size=(200, 60)) as pilot:
        await pilot.press("5")
        for _ in range(12):
            if app.screen.focused.id == "note":
                break
            await pilot.press("tab")
        await pilot.press(*"abc")
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        note = app.screen.query_one("#note")
        assert app.screen.focused is note and note.value == "abc"
        assert app.screen.query_one(".dialog").content_region.contains_region(note.region)


async def test_a_form_opens_with_its_title_in_view_in_a_short_window(make_app):
    app = make_app("fi")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("left_square_bracket", "5")
        await pilot.pause()
        assert app.screen.query_one(".dialog").scroll_y == 0
        assert "Asiakirjan vastaanotto" in screen_text(app)


async def test_the_narrow_summary_names_the_day_shown(make_app, busy_day):
    app = make_app("fi")
    async with app.run_test(size=(80, 24)) as pilot:
        assert "Tänään, 15.9.2026" in screen_text(app)
        await pilot.press("left_square_bracket")
        assert "14.9.2026 ·" in screen_text(app)
        assert "Tänään" not in screen_text(app)


@pytest.mark.parametrize("screen", ["f2", "f5"])
async def test_keys_help_covers_a_narrow_window_rather_than_squeezing_it(make_app, screen):
    app = make_app("fi")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(screen)
        await app.workers.wait_for_complete()
        await pilot.press("f1")
        await pilot.pause()
        panel = app.screen.query_one("HelpPanel")
        assert panel.region.width == 80


@pytest.mark.parametrize("width", [110, 112, 114, 120])
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_dashboard_tiles_keep_their_labels_whole(make_app, width, lang):
    from kela_tui.i18n import Translator

    t = Translator(lang)
    app = make_app(lang)
    async with app.run_test(size=(width, 40)) as pilot:
        await pilot.press("f4")
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = screen_text(app)
        for name in ("visits", "services", "documents", "booth", "feedback", "referrals"):
            assert t(f"dashboard.tile_{name}") in text


@pytest.mark.parametrize(
    "screen, words",
    [
        ("f2", ["Log", "Add to visit", "Undo", "Forward to Kela"]),
        ("f3", ["Next phase", "End", "Book", "Cancel booking"]),
        ("f5", ["Issue", "Print", "Reopen", "Export"]),
    ],
)
async def test_the_most_used_keys_stay_in_the_footer_at_80_columns(make_app, screen, words):
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(screen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        footer = screen_text(app).splitlines()[-1]
        for word in words:
            assert word in footer, (word, footer)
        # The palette's key ends the line: no letter of the keys scrolled
        # under it shows beside it (a stranger saw "Commandsu").
        assert footer.rstrip().endswith("^p Commands"), footer


@pytest.mark.parametrize("width", [80, 120])
async def test_a_group_of_keys_is_apart_from_the_next_key(make_app, width):
    app = make_app("fi")
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.pause()
        footer = screen_text(app).splitlines()[-1]
        assert "Kirjaa + Lisää" in " ".join(footer.split()), footer
        assert "Kirjaa+" not in footer


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
@pytest.mark.parametrize("screen", ["f1", "f2", "f3", "f4", "f5", "f6"])
def test_snapshot_every_screen(make_app, busy_day, snap_compare, screen, size):
    # The key and then the wait for the settled screen (F4's figures drawn):
    # snap_compare's own keys would come after `run_before`'s wait.
    assert snap_compare(make_app(), terminal_size=size, run_before=after(screen))


def test_snapshot_side_panel_shown_at_80x24(make_app, busy_day, snap_compare):
    assert snap_compare(make_app(), terminal_size=(80, 24), press=["v"])


def test_snapshot_form_scrolled_to_its_note_at_80x24(make_app, busy_day, snap_compare):
    keys = ["left_square_bracket", "5", *["tab"] * 7]
    assert snap_compare(make_app(), terminal_size=(80, 24), press=keys)


async def test_a_new_row_no_longer_than_the_days_does_not_rebuild_the_day(
    make_app, busy_day, monkeypatch
):
    # Rebuilding the day for every new row made catching up 20 services slow.
    app = make_app("en")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        rebuilt = []
        original = screen.refresh_entries
        monkeypatch.setattr(screen, "refresh_entries", lambda: rebuilt.append(1) or original())
        await pilot.press("1")
        assert rebuilt == [] and log_table(app).row_count == 14
        await burst(pilot, "t", "tab", "tab", "3", "enter")
        assert rebuilt == [1]  # "entered later" is a longer mark than the day had
        await burst(pilot, "t", "tab", "tab", "2", "enter")
        assert rebuilt == [1] and log_table(app).row_count == 19
