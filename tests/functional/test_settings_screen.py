"""F6 with the real keys: the point's settings in groups, each changed in a
form from a day; the staff added, renamed and marked as left."""

from datetime import datetime, time
from decimal import Decimal

import pytest

from kela_tui.models import SiteSettings, Staff
from kela_tui.screens.settings import ConfirmForm, GroupForm, SettingsScreen, StaffForm
from kela_tui.widgets.literal import Field
from tests.functional.helpers import burst, screen_text

SIZE = (120, 40)
ERASE = ["ctrl+u"]


def status(app) -> str:
    return str(app.screen.query_one("#status").content)


async def test_the_screen_shows_the_groups_and_the_values_in_force(make_app):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f6")
        assert isinstance(app.screen, SettingsScreen)
        text = screen_text(app)
        assert "Name: Kannuksen kaupungin yhteispalvelupiste" in text
        assert "Versions valid from: 15 Aug 2026" in text
        await pilot.press("down")
        assert "Monthly compensation: €300.00" in screen_text(app)


@pytest.mark.parametrize(
    ("lang", "hours", "day"),
    [
        ("fi", "maanantai: 9.00–15.00", ": 15.8.2026"),
        ("sv", "måndag: 9.00–15.00", ": 15.8.2026"),
        ("en", "Monday: 09:00–15:00", "In force from: 15 Aug 2026"),
    ],
)
async def test_hours_and_days_are_shown_as_the_language_writes_them(make_app, lang, hours, day):
    # On the screen (not in a field to type into) a time is 9.00 in Finnish
    # and Swedish and a day is 1 Sept 2026 in English.
    app = make_app(lang)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f6", "down")
        assert day in screen_text(app)
        await pilot.press("down")
        assert hours in screen_text(app)


async def test_opening_hours_changed_from_a_day(make_app, sqlite_ctx):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f6", "down", "down", "enter")
        assert isinstance(app.screen, GroupForm)
        await burst(pilot, *ERASE, *"08:00-16:00", "tab", "tab", "tab", "tab")
        await burst(pilot, *ERASE, *"08:00-11:30, 12:00-14:00", "tab", "tab", "tab")
        await burst(pilot, *ERASE, *"1.10.2026", "enter")
        assert isinstance(app.screen, SettingsScreen)
        assert "Saved" in status(app)
    point = sqlite_ctx.settings.on(datetime(2026, 10, 5).date())
    assert point.office_hours.on(0) == ((time(8), time(16)),)
    assert point.office_hours.on(4) == ((time(8), time(11, 30)), (time(12), time(14)))
    assert [v.valid_from.isoformat() for v in sqlite_ctx.settings.versions] == [
        "2026-08-15",
        "2026-10-01",
    ]


async def test_a_change_of_the_compensation_is_confirmed_naming_the_months(make_app, sqlite_ctx):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f6", "down", "enter")
        await burst(pilot, "tab", "tab", *ERASE, *"320,00", "tab", "tab", *ERASE, *"1.9.2026")
        await burst(pilot, "enter")
        assert isinstance(app.screen, ConfirmForm)
        text = screen_text(app)
        assert "applies from 1 Sept 2026" in text or "applies from 1 Sep 2026" in text
        assert "September 2026" in text and "onwards" in text
        assert SiteSettings.select().count() == 1
        await pilot.press("enter")
        assert isinstance(app.screen, SettingsScreen)
    assert sqlite_ctx.settings.on(datetime(2026, 9, 1).date()).monthly_compensation == Decimal(
        "320.00"
    )


@pytest.mark.parametrize(
    ("lang", "typed", "shown"),
    [
        ("fi", "300,00", "Kuukausikorvaus: 300,00\u00a0€"),
        ("sv", "300,00", "Månadsersättning: 300,00\u00a0€"),
        ("en", "300.00", "Monthly compensation: €300.00"),
    ],
)
async def test_the_compensation_is_typed_as_the_language_writes_a_number(
    make_app, lang, typed, shown
):
    # The panel shows the euro sign once (no "(€)" in the label); the field
    # to edit holds the amount as the language writes a number.
    app = make_app(lang)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f6", "down")
        text = screen_text(app)
        assert shown in text and "(€)" not in text
        await pilot.press("enter")
        assert isinstance(app.screen, GroupForm)
        field = app.screen.query_one("#agreement--monthly_compensation", Field)
        assert field.value == typed


async def test_a_finnish_amount_with_a_comma_is_saved(make_app, sqlite_ctx):
    app = make_app("fi")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f6", "down", "enter")
        await burst(pilot, "tab", "tab", *ERASE, *"320,50", "tab", "tab", *ERASE, *"1.9.2026")
        await burst(pilot, "enter")
        assert isinstance(app.screen, ConfirmForm)
        await pilot.press("enter")
        assert isinstance(app.screen, SettingsScreen)
        assert "Kuukausikorvaus: 320,50\u00a0€" in screen_text(app)
    day = datetime(2026, 9, 1).date()
    assert sqlite_ctx.settings.on(day).monthly_compensation == Decimal("320.50")


async def test_finnish_thousands_apart_by_a_space_are_read(make_app, sqlite_ctx):
    app = make_app("fi")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f6", "down", "enter")
        await burst(pilot, "tab", "tab", *ERASE, *"1 000,00", "tab", "tab", *ERASE, *"1.9.2026")
        await burst(pilot, "enter", "enter")
        assert isinstance(app.screen, SettingsScreen)
    day = datetime(2026, 9, 1).date()
    assert sqlite_ctx.settings.on(day).monthly_compensation == Decimal("1000.00")


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        (
            "fi",
            "Kuukausikorvaus: odotettiin euromäärää väliltä 0–1\u00a0000\u00a0000,00\u00a0€"
            ' sentin tarkkuudella, esim. "300,00", saatiin "1e3"',
        ),
        (
            "sv",
            "Månadsersättning: ska vara ett eurobelopp mellan 0 och 1\u00a0000\u00a0000,00\u00a0€"
            ' med högst två decimaler, t.ex. "300,00", inte "1e3"',
        ),
        (
            "en",
            "Monthly compensation: expected an amount in euros from 0 to €1,000,000.00,"
            ' to the cent, like "300.00", got "1e3"',
        ),
    ],
)
async def test_a_refused_amount_names_the_field_and_changes_nothing(
    make_app, sqlite_ctx, lang, said
):
    app = make_app(lang)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f6", "down", "enter")
        await burst(pilot, "tab", "tab", *ERASE, *"1e3", "enter")
        assert isinstance(app.screen, GroupForm)
        error = str(app.screen.query_one("#form-error").content)
        assert error == said
        assert "agreement." not in error
        await pilot.press("escape")
        assert isinstance(app.screen, SettingsScreen)
    assert SiteSettings.select().count() == 1
    assert sqlite_ctx.settings.on(sqlite_ctx.today()).monthly_compensation == Decimal("300.00")


async def test_space_turns_the_proration_off(make_app, sqlite_ctx):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f6", "down", "enter")
        await burst(pilot, "tab", "tab", "tab", "space", "enter")
        assert isinstance(app.screen, ConfirmForm)
        await pilot.press("enter")
        assert isinstance(app.screen, SettingsScreen)
        assert "Partial month prorated: no" in screen_text(app)
    assert sqlite_ctx.settings.on(sqlite_ctx.today()).prorate is False


async def test_a_wrong_value_is_refused_in_the_form(make_app):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f6", "down", "down", "enter")
        await burst(pilot, *ERASE, *"nine to five", "enter")
        assert isinstance(app.screen, GroupForm)
        error = str(app.screen.query_one("#form-error").content)
        assert error.startswith("Monday: expected opening hours like")
    assert SiteSettings.select().count() == 1


async def test_the_placeholder_staff_are_replaced_with_real_names(make_app, sqlite_ctx):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f6", *["down"] * 7)
        assert "Virastomestari" in screen_text(app)
        await pilot.press("a")
        assert isinstance(app.screen, StaffForm)
        await burst(pilot, *"maija", "tab", *"Maija Meikäläinen", "tab", "up", "enter")
        await burst(pilot, "tab")  # into the staff table
        await burst(pilot, "enter")
        assert isinstance(app.screen, StaffForm)
        await burst(pilot, "tab", "tab", "down", "enter")  # the first one has left
        text = screen_text(app)
        assert "Maija Meikäläinen" in text and "left" in text
    assert [(s.code, s.role, s.active) for s in Staff.select().order_by(Staff.id)] == [
        ("virastomestari", "virastomestari", False),
        ("varahenkilo", "deputy", True),
        ("maija", "virastomestari", True),
    ]


async def test_enter_on_the_staff_group_moves_into_the_list(make_app):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f6", *["down"] * 7, "enter")
        assert app.screen.query_one("#staff").has_focus
        await pilot.press("down", "enter")
        assert isinstance(app.screen, StaffForm)
        assert app.screen.query_one("#name", Field).value == "Varahenkilö"


async def test_a_staff_name_with_an_identity_code_is_refused(make_app):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f6", *["down"] * 7, "a")
        await burst(pilot, *"x", "tab", *"Maija 131052–308T", "enter")
        assert isinstance(app.screen, StaffForm)
        assert "identity code" in str(app.screen.query_one("#form-error").content)
    assert Staff.get_or_none(code="x") is None


async def test_the_palette_offers_the_settings(make_app):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p", *"settings", "enter")
        assert isinstance(app.screen, SettingsScreen)


@pytest.mark.parametrize(
    "keys",
    [
        pytest.param(["f6"], id="point"),
        pytest.param(["f6", *["down"] * 7], id="staff"),
        pytest.param(["f6", "down", "down", "enter"], id="hours_form"),
    ],
)
def test_snapshots(make_app, snap_compare, keys):
    assert snap_compare(make_app(), terminal_size=SIZE, press=keys)


@pytest.mark.parametrize(
    "keys",
    [
        pytest.param(["f6", "down"], id="agreement"),
        pytest.param(["f6", "down", "enter"], id="agreement_form"),
        pytest.param(["f6", *["down"] * 7, "enter"], id="staff"),
        pytest.param(["f6", "down", "down", "enter"], id="hours_form"),
    ],
)
def test_snapshot_at_80_columns(make_app, snap_compare, keys):
    assert snap_compare(make_app(), terminal_size=(80, 24), press=keys)


async def test_settings_left_in_the_file_are_named_when_the_app_starts(sqlite_ctx):
    from kela_tui.app import KelaApp
    from kela_tui.i18n import Msg, Translator

    sqlite_ctx.notices.append(
        Msg("notice.point_keys_unread", path="/etc/kela [x].toml", keys="office_hours.mon")
    )
    app = KelaApp(sqlite_ctx, Translator("en"), strict=True)
    async with app.run_test(size=SIZE):
        shown = [(str(n.message), n.severity) for n in app._notifications]
    assert shown == [
        (
            # A warning begins with its symbol as well as its colour.
            "⚠ the point's settings in /etc/kela [x].toml (office_hours.mon) are no longer read: "
            "they live in the database, the same on every workstation (F6)",
            "warning",
        )
    ]


async def test_the_theme_of_the_file_is_used_and_a_chosen_one_kept(sqlite_ctx, tmp_path):
    import dataclasses

    from kela_tui.app import KelaApp
    from kela_tui.config import load
    from kela_tui.i18n import Translator

    path = tmp_path / "ws.toml"
    path.write_text('language = "en"  # mine\ntheme = "nord"\n[site]\ncode = "KANNUS"\n')
    sqlite_ctx.config = dataclasses.replace(sqlite_ctx.config, theme="nord", path=path)
    app = KelaApp(sqlite_ctx, Translator("en"), strict=True)
    async with app.run_test(size=SIZE) as pilot:
        assert app.theme == "nord"
        await pilot.press("ctrl+p", *"change theme", "enter")
        await burst(pilot, *"gruvbox", "enter")
        assert app.theme == "gruvbox"
    assert load(str(path)).theme == "gruvbox"
    assert (
        path.read_text() == 'language = "en"  # mine\ntheme = "gruvbox"\n[site]\ncode = "KANNUS"\n'
    )


async def test_the_screens_take_up_what_another_workstation_changed(
    make_app, sqlite_ctx, sqlite_url, config, clock
):
    from kela_tui import settings
    from kela_tui.models import Service
    from tests.unit.test_settings import elsewhere

    clock.set(datetime(2026, 11, 26, 10, 0))
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        assert Service.select().count() == 1

        def changed(office):
            settings.change(office, {"site.name": "Kannuksen asiointipiste"})
            settings.add_staff(office, "maija", "Maija", "virastomestari")
            settings.update_staff(office, "virastomestari", active=False)

        elsewhere(config, sqlite_url, clock, sqlite_ctx, changed)
        # Half a minute later the screen has taken it up (the timer's call).
        app.take_up_changes()
        await pilot.pause()
        assert "Kannuksen asiointipiste · on duty: Maija" in screen_text(app)
        assert any(
            "Virastomestari has left the point" in str(n.message) for n in app._notifications
        )
        await pilot.press("2")
        assert (
            Service.select()
            .where(Service.staff.in_(Staff.select().where(Staff.code == "maija")))
            .count()
            == 1
        )
        # The agreement ended elsewhere: the next key is refused, whatever the
        # timer has or has not done yet.
        clock.set(datetime(2026, 11, 27, 10, 0))
        ended = {"agreement.end": "2026-11-26"}
        elsewhere(config, sqlite_url, clock, sqlite_ctx, lambda o: settings.change(o, ended))
        await pilot.press("1")
        assert "is after the agreement's end on 26 Nov 2026" in status(app)
    assert Service.select().count() == 2


async def test_escape_leaves_the_staff_list(make_app):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f6", *["down"] * 7, "enter")
        assert app.screen.query_one("#staff").has_focus
        await pilot.press("escape")
        assert app.screen.query_one("#groups").has_focus


async def test_a_whole_form_in_one_burst_lands_past_the_checkbox(make_app, sqlite_ctx, clock):
    from datetime import date

    clock.set(datetime(2026, 11, 20, 10, 0))
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f6", "down", "enter")
        await burst(pilot, "tab", "tab", "tab", "space", "tab", *ERASE, *"1.12.2026", "enter")
        assert isinstance(app.screen, ConfirmForm)
        assert "applies from 1 Dec 2026" in screen_text(app)
        await burst(pilot, "enter")
    assert sqlite_ctx.settings.on(date(2026, 12, 1)).prorate is False
    assert sqlite_ctx.settings.on(date(2026, 11, 30)).prorate is True


async def test_f6_again_shows_what_changed_meanwhile(
    make_app, sqlite_ctx, sqlite_url, config, clock
):
    from kela_tui import settings
    from tests.unit.test_settings import elsewhere

    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f6")
        renamed = {"site.name": "Uusi nimi"}
        elsewhere(config, sqlite_url, clock, sqlite_ctx, lambda o: settings.change(o, renamed))
        assert "Name: Uusi nimi" not in screen_text(app)
        await pilot.press("f6")
        assert "Name: Uusi nimi" in screen_text(app)
