"""Documents as people bring them, with the real keys: a bundle's form, a
copy of its slip, finding a receipt, going to a day, forwarding what is due."""

from datetime import date, datetime

import pytest
from pypdf import PdfReader
from textual.widgets import DataTable, OptionList, SelectionList, Static

from kela_tui import documents
from kela_tui.models import Document, Service
from kela_tui.widgets.finding import FindReceipt, GoToDay
from kela_tui.widgets.forms import ForwardForm
from kela_tui.widgets.slip import SlipDialog
from tests.functional.helpers import burst, screen_text, settled

SIZE = (120, 40)
SIZES = pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])


def status(app) -> str:
    return str(app.screen.query_one("#status", Static).content)


def form_error(app) -> str:
    return str(app.screen.query_one("#form-error", Static).content)


def cursor_service(app) -> int:
    table = app.screen.query_one("#today", DataTable)
    return int(table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value)


@pytest.fixture
def register(sqlite_ctx):
    """A bundle on 1 September, one document on 10 September, one today."""
    ctx = sqlite_ctx
    bundle = documents.receive_bundle(
        ctx, [("application", 1), ("attachment", 2)], at=datetime(2026, 9, 1, 9, 30)
    )
    documents.receive_documents(ctx, "other", at=datetime(2026, 9, 10, 10, 0))
    documents.receive_documents(ctx, "application", at=datetime(2026, 9, 15, 9, 0))
    return bundle


async def test_a_whole_bundle_form_in_one_burst(make_app):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "5", "tab", "2", "tab", "1", "tab", "tab", "tab", *"[b]x[/b]", "enter")
        assert isinstance(app.screen, SlipDialog)
        received = list(Document.select().order_by(Document.number))
        assert [d.kind for d in received] == ["application", "attachment", "attachment", "other"]
        assert Service.select().count() == 1
        shown = screen_text(app)
        assert "KANNUS-2026-00004  Other document" in shown
        await burst(pilot, "escape")
        # The row shows its receipts, and the note as typed.
        table = app.screen.query_one("#today", DataTable)
        note = table.get_row(str(received[0].service_id))[-1]
        assert str(note) == "2026-00001–00004  [b]x[/b]"


@pytest.mark.parametrize("typed", ["٣", "３", "-1"])
async def test_a_count_not_in_digits_is_refused_naming_its_line(make_app, typed):
    # A stranger had ٣ received as 3 and -1 refused as "must be 1-100".
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "5", "tab", *typed, "enter")
        error = form_error(app)
        assert error.startswith("Attachment: give the number in digits 0–100") and typed in error
        assert Document.select().count() == 0 and Service.select().count() == 0


async def test_a_bundle_with_an_identity_code_in_its_note_writes_nothing(make_app):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "5", "tab", "2", *["tab"] * 4, *"131052-308T", "enter")
        assert "identity code" in form_error(app)
        assert Document.select().count() == 0 and Service.select().count() == 0


async def test_a_bundle_into_a_closed_month_is_refused_in_the_form(make_app, sqlite_ctx, clock):
    from kela_tui.models import MonthEvent

    MonthEvent.create(
        site=sqlite_ctx.site, month="2026-09", action="close", at=datetime(2026, 9, 15)
    )
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "5", "tab", "2", "enter")
        assert "closed" in form_error(app)
        assert Document.select().count() == 0


async def test_a_copy_of_the_slip_from_the_row(make_app, register, monkeypatch, tmp_path):
    monkeypatch.setattr("shutil.which", lambda name: None)
    monkeypatch.setattr("kela_tui.printing.output_folder", lambda: tmp_path)
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "g", *"1.9.", "enter")
        assert app.screen.day == date(2026, 9, 1)
        await burst(pilot, "p")
        assert isinstance(app.screen, SlipDialog) and app.screen.copy
        assert "COPY" in screen_text(app)
        await burst(pilot, "p")
        await settled(pilot)
        saved = PdfReader(tmp_path / "kuitti-KANNUS-2026-00001-kopio.pdf")
        slip = "".join(page.extract_text() for page in saved.pages)
        assert "COPY" in slip and "KANNUS-2026-00003" in slip
        await burst(pilot, "escape")
        # The copy is also in the row's actions.
        await burst(pilot, "enter", "down", "down", "enter")
        assert isinstance(app.screen, SlipDialog) and app.screen.copy


async def test_a_copy_of_a_row_that_is_no_document_says_so(make_app, sqlite_ctx):
    from kela_tui import services

    services.log_service(sqlite_ctx, "advice")
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "p")
        assert "this row is Advice on Kela matters" in status(app)
        assert not isinstance(app.screen, SlipDialog)


async def test_finding_one_receipt_goes_to_its_day_and_row(make_app, register):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"00002", "enter")
        assert app.screen.day == date(2026, 9, 1)
        assert cursor_service(app) == register[0].service_id
        assert "KANNUS-2026-00002" in status(app)


async def test_the_row_found_is_under_the_cursor_among_others(make_app, sqlite_ctx):
    from kela_tui import services

    for hour in (9, 10, 11, 12, 13):
        services.log_service(sqlite_ctx, "advice", at=datetime(2026, 9, 1, hour, 0))
    (found,) = documents.receive_documents(sqlite_ctx, "other", at=datetime(2026, 9, 1, 9, 30))
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "slash", *"00001", "enter")
        await pilot.pause()
        assert app.screen.day == date(2026, 9, 1)
        assert cursor_service(app) == found.service_id
        await burst(pilot, "p")  # the copy is of the row found
        assert isinstance(app.screen, SlipDialog) and app.screen.received[0].id == found.id


async def test_finding_several_lists_them_to_choose(make_app, register):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "slash", *"kannus", "enter")
        assert isinstance(app.screen, FindReceipt)
        matches = app.screen.query_one("#matches", OptionList)
        assert matches.option_count == 5 and "5 receipts match: choose one." in screen_text(app)
        # Newest first: 00005 today, 00004 on 10 September.
        await burst(pilot, "down", "enter")
        assert app.screen.day == date(2026, 9, 10)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("[/]", "only letters, digits"),
        ("00\x1b[2J", "only letters, digits"),
        ("131052-308T", "The search contains a personal identity code"),
        ("09999", "no receipt number at this service point contains '09999'"),
        ("", "type a receipt number"),
    ],
)
async def test_a_search_that_finds_nothing_says_so_and_stays(make_app, register, typed, message):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "slash", *typed, "enter")
        assert isinstance(app.screen, FindReceipt)
        assert message in form_error(app)
        assert "131052" not in form_error(app)  # never said back
        await burst(pilot, "escape")
        assert app.screen.day == date(2026, 9, 15)


@pytest.mark.parametrize(
    ("typed", "day"),
    [("1.9.", date(2026, 9, 1)), ("10.9.2026", date(2026, 9, 10)), ("2026-09-14", None)],
)
async def test_going_to_a_day(make_app, register, typed, day):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g", *typed, "enter")
        assert app.screen.day == (day or date(2026, 9, 14))


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("31.2.", "there is no day 31.2. in the calendar"),
        ("[/]", "not '[/]'"),
        ("16.9.2026", "in the future"),
        ("14.8.2026", "before the agreement"),
        ("131052-308T", "The day contains a personal identity code"),
    ],
)
async def test_a_bad_day_is_refused_and_changes_nothing(make_app, typed, message):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "g", *typed, "enter")
        assert isinstance(app.screen, GoToDay)
        assert message in form_error(app)
        assert "131052" not in form_error(app)
        await burst(pilot, "escape")
        assert app.screen.day == date(2026, 9, 15)


async def test_forwarding_ticks_what_is_due_and_a_ticks_all(make_app, register):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "f")
        items = app.screen.query_one("#items", SelectionList)
        # Due: the bundle (2 September) and the 10 September one; not today's.
        assert sorted(items.selected) == [f"doc:KANNUS-2026-0000{n}" for n in (1, 2, 3, 4)]
        await burst(pilot, "a")
        assert len(items.selected) == 5
        await burst(pilot, "a")
        assert items.selected == []
        await burst(pilot, "a", "enter")
        assert Document.select().where(Document.forwarded_at.is_null(True)).count() == 0


async def test_forwarding_earlier_today_but_not_before_receipt(make_app, register, clock):
    clock.set(datetime(2026, 9, 15, 14, 0))
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "f", "a", "tab", "tab", *["backspace"] * 5, *"8:59", "enter")
        assert isinstance(app.screen, ForwardForm)
        assert "received on 15 Sept 2026 at 09:00" in form_error(app)
        await burst(pilot, *["backspace"] * 5, *"14:01", "enter")
        assert "it is not 14:01 yet" in form_error(app)
        assert Document.select().where(Document.forwarded_at.is_null(False)).count() == 0
        await burst(pilot, *["backspace"] * 5, *"9:30", "enter")
        assert not isinstance(app.screen, ForwardForm)
        assert {d.forwarded_at for d in Document.select()} == {datetime(2026, 9, 15, 6, 30, 59)}


# Snapshots of the new dialogs.


@SIZES
def test_bundle_form_snapshot(make_app, register, snap_compare, size):
    assert snap_compare(make_app(), terminal_size=size, press=["5", "tab", "2"])


@SIZES
def test_search_snapshot(make_app, register, snap_compare, size):
    assert snap_compare(make_app(), terminal_size=size, press=["slash", *"kannus-2026", "enter"])


@SIZES
def test_goto_snapshot(make_app, register, snap_compare, size):
    assert snap_compare(make_app(), terminal_size=size, press=["g", *"31.2.", "enter"])


@SIZES
def test_forward_snapshot(make_app, register, snap_compare, size):
    assert snap_compare(make_app(), terminal_size=size, press=["f"])


@SIZES
def test_slip_copy_snapshot(make_app, register, snap_compare, size):
    assert snap_compare(make_app(), terminal_size=size, press=["g", *"1.9.", "enter", "p"])
