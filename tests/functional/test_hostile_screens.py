"""Whatever was typed or stored is shown as text on every screen: markup-like
brackets, terminal controls, odd Unicode. An unexpected error is written to
the error log and said in one line; the screen goes on."""

import sys
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from peewee import OperationalError
from textual.widgets import Label, Static

from kela_tui import booth, documents, errorlog, feedback, services
from kela_tui import settings as point_settings
from kela_tui.app import KelaApp
from kela_tui.controls import one_line
from kela_tui.errors import KelaError
from kela_tui.i18n import Translator
from kela_tui.models import Feedback, Service, Staff
from kela_tui.screens.booth import BoothScreen
from kela_tui.widgets.charts import DailyBars, HeatMap
from kela_tui.widgets.side_panel import SidePanel
from tests.functional.helpers import burst, screen_text

SIZES = ((120, 40), (80, 24))
SCREENS = ("f2", "f3", "f4", "f5")
MARKUP = "katso [/] [b]liite[/b] [@click=app.quit]x[/] [$text-error]y"


def store_everywhere(ctx, words: str) -> None:
    """`words` in every stored text field: a note, a booking reference, a
    feedback text, a void reason, a staff member's and the point's name."""
    logged = services.log_service(ctx, "advice", note=words, at=datetime(2026, 9, 15, 9, 0))
    services.log_service(ctx, "online", note="[/]", at=datetime(2026, 9, 15, 9, 1))
    services.void_service(ctx, logged.id, words)
    services.log_service(ctx, "material", note=words, at=datetime(2026, 9, 15, 9, 2))
    documents.receive_documents(ctx, "application", note=words, at=datetime(2026, 9, 14, 9, 0))
    feedback.record_feedback(ctx, words, at=datetime(2026, 9, 15, 9, 3))
    booth.book(ctx, datetime(2026, 9, 15, 11, 0), 30, words)
    Staff.update(name=words).where(Staff.code == "virastomestari").execute()
    point_settings.change(ctx, {"site.name": words}, ctx.settings.first.agreement_start)
    ctx.staff = Staff.get_by_id(ctx.staff.id)


async def visit_every_screen(app: KelaApp, pilot, size) -> dict[str, str]:
    """Each screen, the staff picker and the forward dialog, at `size`;
    returns what each showed."""
    shown = {}
    await pilot.resize_terminal(*size)
    for key in SCREENS:
        await burst(pilot, key)
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown[key] = screen_text(app)
    await burst(pilot, "f2", "s")
    shown["staff"] = screen_text(app)
    await burst(pilot, "escape", "f")
    shown["forward"] = screen_text(app)
    await burst(pilot, "escape")
    return shown


async def test_markup_in_every_field_is_shown_literally_everywhere(make_app, sqlite_ctx):
    store_everywhere(sqlite_ctx, MARKUP)
    app = make_app("en")
    async with app.run_test(size=SIZES[0]) as pilot:
        for size in SIZES:
            shown = await visit_every_screen(app, pilot, size)
            assert app.is_running
        wide = await visit_every_screen(app, pilot, (200, 60))
    assert "katso [/] [b]liite[/b]" in wide["f2"]  # the note column
    assert "katso [/] [b]liite[/b]" in wide["staff"]
    assert "katso [/] [b]liite[/b]" in wide["f3"]  # the booking's reference
    assert "Feedback 15 Sept 2026  katso [/] [b]liite[/b]" in wide["forward"]
    assert app.sub_title.startswith(MARKUP)
    del shown


async def test_stored_control_characters_are_shown_not_sent(make_app, sqlite_ctx):
    services.log_service(sqlite_ctx, "advice", note="x", at=datetime(2026, 9, 15, 9, 0))
    # As an older version may have stored them.
    Service.update(note="vanha \x1b]2;otsikko\x1b\\ \x1b[2J\x9b31m").execute()
    Staff.update(name="Maija\x1b[5m").where(Staff.code == "virastomestari").execute()
    sqlite_ctx.staff = Staff.get_by_id(sqlite_ctx.staff.id)
    app = make_app("en")
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "vanha ␛]2;otsikko␛\\ ␛[2J\ufffd31m" in text
        assert "Maija␛[5m" in text
        assert "\x1b" not in text and "\x9b" not in text


def test_no_screen_shows_text_as_markup(make_app, sqlite_ctx):
    """Every Static and Label of ours is made without markup; Textual's own
    Static and Label are never used directly. Only the charts, which draw
    numbers, use markup."""

    async def check(pilot):
        for key in SCREENS:
            await pilot.press(key)
            for widget in pilot.app.screen.walk_children():
                assert type(widget) not in (Static, Label), widget
                ours = type(widget).__module__.startswith("kela_tui")
                if (
                    ours
                    and isinstance(widget, Static)
                    and not isinstance(widget, DailyBars | HeatMap)
                ):
                    assert not widget._render_markup, widget

    import asyncio

    async def run():
        app = make_app("en")
        async with app.run_test(size=(120, 40)) as pilot:
            await check(pilot)

    asyncio.run(run())


words = (
    st.lists(
        st.one_of(
            st.characters(categories=("L", "N", "P", "S", "Zs")),
            st.sampled_from(["[", "]", "[/]", "[b]", "[@click=app.quit]", "🙂", "שלום", "مرحبا"]),
        ),
        min_size=1,
        max_size=12,
    )
    .map("".join)
    .filter(lambda s: s.strip() and s == s.strip() and len(s) <= 100)
)


@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(words)
def test_any_text_in_any_field_keeps_every_screen_running(tmp_path_factory, words):
    import asyncio

    from kela_tui.clock import FixedClock
    from kela_tui.config import Config
    from kela_tui.context import open_context
    from kela_tui.errors import Refused

    folder = tmp_path_factory.mktemp("any")
    ctx = open_context(
        Config(path=folder / "c.toml"),
        f"sqlite:///{folder}/k.db",
        FixedClock(datetime(2026, 9, 15, 10, 0)),
        mode="create",
    )
    try:
        try:
            store_everywhere(ctx, words)
        except Refused:
            return  # an identity code after all: refused, as it should be

        async def run():
            app = KelaApp(ctx, Translator("fi"), strict=True)
            async with app.run_test(size=SIZES[0]) as pilot:
                for size in SIZES:
                    shown = await visit_every_screen(app, pilot, size)
                    assert app.is_running
                    # The staff picker shows the whole name, even at 80 columns.
                    assert one_line(words) in shown["staff"]

        asyncio.run(run())
    finally:
        ctx.db.close()


# Errors never end the program


@pytest.fixture
def forgiving(sqlite_ctx, monkeypatch, tmp_path):
    """An app as staff run it: not strict, with its error log in tmp_path."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return KelaApp(sqlite_ctx, Translator("en"))


def notices(app) -> str:
    return " ".join(str(n.message) for n in app._notifications)


async def test_an_unexpected_error_is_logged_and_the_screen_goes_on(forgiving, monkeypatch):
    app = forgiving
    real = services.log_service

    def broken(ctx, name, **kwargs):
        secret_value = "asiakkaan-tieto-42"
        if name.code == "advice":
            raise RuntimeError(f"boom {len(secret_value)}")
        return real(ctx, name, **kwargs)

    monkeypatch.setattr(services, "log_service", broken)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1")
        log = errorlog.path()
        assert f"details are in {log}" in notices(app)
        written = log.read_text(encoding="utf-8")
        assert "RuntimeError: boom 18" in written and "Traceback" in written
        assert "asiakkaan-tieto-42" not in written  # no local variables
        assert oct(log.stat().st_mode & 0o777) == "0o600"
        await pilot.press("2")
        assert app.is_running
        assert [s.category for s in Service.select()] == ["online"]


async def test_a_database_failure_is_said_in_words(forgiving, monkeypatch):
    app = forgiving

    def full(*args, **kwargs):
        raise OperationalError("database or disk is full")

    monkeypatch.setattr(services, "day_counts", full)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1")
        assert "the disk is full: nothing was saved" in notices(app)
        assert app.is_running


async def test_a_refusal_nobody_caught_is_shown_too(forgiving, monkeypatch):
    from kela_tui import statement

    def refuse(*args, **kwargs):
        raise KelaError("db_busy")

    monkeypatch.setattr(statement, "prepare", refuse)
    async with forgiving.run_test(size=(120, 40)) as pilot:
        await pilot.press("f5")
        assert forgiving.is_running


async def test_printing_without_pango_prints_nothing_and_says_what_to_install(
    make_app, sqlite_ctx, clock, monkeypatch, tmp_path
):
    """Even with a printer, not the plain text in the PDF's place."""
    clock.set(datetime(2026, 10, 6, 10, 0))
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    monkeypatch.setattr("shutil.which", lambda name: "/usr/bin/lp")
    monkeypatch.setattr("subprocess.run", lambda *a, **kw: pytest.fail("printed"))
    monkeypatch.setattr("sys.platform", "linux")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr("kela_tui.printing.output_folder", lambda: tmp_path)
    app = make_app("en")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f5", "p")
        await app.workers.wait_for_complete()
        await pilot.pause()
        status = str(app.screen.query_one("#status").content)
        assert status.startswith(
            "⚠ Not printed: the PDF could not be made, so the HTML version was saved as "
            f"{tmp_path}"
        )
        assert "Pango library that WeasyPrint needs is missing" in status
        assert (tmp_path / "KANNUS-2026-09.html").exists()
        assert not (tmp_path / "KANNUS-2026-09.pdf").exists()
        assert app.is_running


# A booth session left open


async def test_a_session_left_open_is_shown_and_ended_with_its_time(make_app, sqlite_ctx, clock):
    clock.set(datetime(2026, 9, 30, 14, 0))
    booth.advance(sqlite_ctx)
    clock.set(datetime(2026, 10, 1, 9, 0))
    app = make_app("en")
    async with app.run_test(size=(120, 40)) as pilot:
        panel = app.screen.query_one(SidePanel)
        assert "Booth 1: left open since 30 Sept 2026 at 14:00" in str(panel.content)
        await pilot.press("f3")
        assert isinstance(app.screen, BoothScreen)
        text = screen_text(app)
        assert "LEFT OPEN: ASSESSING THE NEED since 30 Sept 2026 at 14:00" in text
        assert "e ends it with its actual end time" in text
        await pilot.press("e", "enter")
        assert "enter a time like 10:30" in str(app.screen.query_one("#form-error").content)


async def test_a_stored_note_with_controls_is_shown_in_the_correction_form_as_symbols(
    make_app, sqlite_ctx
):
    services.log_service(sqlite_ctx, "advice", note="x", at=datetime(2026, 9, 15, 9, 0))
    Service.update(note="T\x1b]2;PWNED\x1b\\ \x1b[2J\x9b").execute()
    app = make_app("en")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter", "enter")
        text = screen_text(app)
        assert "T␛]2;PWNED␛\\ ␛[2J\ufffd" in text and "\x1b" not in text
        await pilot.press("down", "enter")
        assert "contains a control character (U+001B)" in str(
            app.screen.query_one("#form-error").content
        )
        assert Service.select().count() == 1


async def test_a_long_paste_without_bracketed_paste_goes_in_at_once_and_is_cut(make_app):
    from tests.functional.helpers import burst

    app = make_app("en")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("7")
        await burst(pilot, *("x" * 6000))
        assert len(app.screen.query_one("#text").value) == 4000
        await burst(pilot, "enter")
        assert len(Feedback.get().text) == 4000


# The third stranger


async def test_a_bracketed_paste_goes_in_once(make_app):
    from textual import events

    from tests.functional.helpers import burst

    app = make_app("en")
    async with app.run_test(size=(120, 40)) as pilot:
        await burst(pilot, "7", events.Paste("hello world\nsecond line"), "enter")
        assert Feedback.get().text == "hello world"


async def test_a_paste_in_a_burst_lands_in_the_field_the_keys_opened(make_app):
    from textual import events

    from tests.functional.helpers import burst

    app = make_app("en")
    async with app.run_test(size=(120, 40)) as pilot:
        await burst(pilot, "1", "2", "7", events.Paste("Hyva palvelu"), *" kiitos", "enter")
        assert Feedback.get().text == "Hyva palvelu kiitos"
        assert [s.category for s in Service.select().order_by(Service.id)] == [
            "advice",
            "online",
            "feedback",
        ]


@pytest.mark.parametrize("size", [(40, 30), (50, 24), (30, 40)])
async def test_the_booth_on_a_narrow_terminal(make_app, size):
    app = make_app("en")
    async with app.run_test(size=size) as pilot:
        await pilot.press("f3")
        await pilot.resize_terminal(8, 40)
        await pilot.pause()
        assert app.is_running


async def test_an_error_while_drawing_ends_with_one_line_not_a_traceback(forgiving):
    from kela_tui.widgets.literal import Plain

    class Broken(Plain):
        def render(self):
            secret_value = "asiakkaan-tieto-42"
            raise RuntimeError(f"drawing failed {len(secret_value)}")

    app = forgiving
    async with app.run_test(size=(120, 40)) as pilot:
        await app.screen.mount(Broken("x"))
        await pilot.pause()
    assert app.return_code == 1
    written = errorlog.path().read_text(encoding="utf-8")
    assert "RuntimeError: drawing failed 18" in written
    assert "asiakkaan-tieto-42" not in written


async def test_a_form_opened_before_midnight_saves_after_it(make_app, clock):
    clock.set(datetime(2026, 9, 15, 23, 59, 50))
    app = make_app("en")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("7", *"Hyvä palvelu")
        clock.set(datetime(2026, 9, 16, 0, 0, 5))
        await pilot.press("enter")
        saved = Feedback.get()
        assert (saved.text, saved.day.isoformat()) == ("Hyvä palvelu", "2026-09-16")


async def test_the_daily_log_moves_on_at_midnight(make_app, clock):
    clock.set(datetime(2026, 9, 15, 23, 59, 0))
    app = make_app("en")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1")
        clock.set(datetime(2026, 9, 16, 0, 1, 0))
        await pilot.press("2")
        first, second = Service.select().order_by(Service.id)
        assert (first.day.isoformat(), second.day.isoformat()) == ("2026-09-15", "2026-09-16")
        assert "Today, Wednesday" in screen_text(app)
