"""F6's group for the statement's parties, with the real keys: typed in a
form (in one burst too), a wrong number refused in the form naming the
field, hostile text shown literally."""

from datetime import date

import pytest
from textual import events

from kela_tui import settings
from kela_tui.models import SiteSettings
from kela_tui.parties import Parties
from kela_tui.screens.settings import GroupForm, SettingsScreen
from tests.functional.helpers import burst, screen_text
from tests.unit.test_parties import ALL

SIZE = (120, 40)
ERASE = ["ctrl+u"]
# The group is the last one in the list, after the staff.
OPEN = ["f6", *["down"] * 8]


def form_error(app) -> str:
    return str(app.screen.query_one("#form-error").content)


def parties_now(ctx) -> Parties:
    return ctx.settings.on(ctx.today()).parties


@pytest.fixture
def filled(sqlite_ctx):
    settings.change(sqlite_ctx, ALL, sqlite_ctx.settings.first.agreement_start)
    return sqlite_ctx


async def test_the_group_shows_what_is_set(make_app, filled):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*OPEN)
        text = screen_text(app)
        assert "The statement's parties" in text
        assert "Kela's business ID: 0246246-0" in text
        assert "Agreement date: 12 May 2026" in text
        assert "Bank account (IBAN): FI21 1234 5600 0007 85" in text


async def test_a_whole_form_typed_in_one_burst_is_saved(make_app, sqlite_ctx):
    app = make_app("en")
    typed = [
        "1234567 1",
        "0246246-0",
        "Kaupunginhallitus § 123",
        "12.5.2026",
        "Leena Sampi",
        "040 123 4567",
        "leena.sampi@kannus.fi",
        "fi21 1234 5600 0007 85",
        "rf18539007547034",
    ]
    # "§" pasted: a Pilot key has no character for it (a terminal has).
    keys = [
        key
        for value in typed
        for key in (*ERASE, *([events.Paste(value)] if "§" in value else value), "tab")
    ]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*OPEN, "enter")
        assert isinstance(app.screen, GroupForm)
        await burst(pilot, *keys, "enter")
        assert isinstance(app.screen, SettingsScreen)
        assert "Saved: 9 settings changed" in screen_text(app)
        assert "Payment reference: RF18 5390 0754 7034" in screen_text(app)
    assert parties_now(sqlite_ctx) == Parties(
        "1234567-1",
        "0246246-0",
        "Kaupunginhallitus § 123",
        date(2026, 5, 12),
        "Leena Sampi",
        "040 123 4567",
        "leena.sampi@kannus.fi",
        "FI21 1234 5600 0007 85",
        "RF18 5390 0754 7034",
    )


async def test_a_value_typed_key_by_key(make_app, sqlite_ctx):
    app = make_app("fi")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*OPEN, "enter", *["tab"] * 7, *"FI2112345600000785", "enter")
        assert isinstance(app.screen, SettingsScreen)
        assert "Tilinumero (IBAN): FI21 1234 5600 0007 85" in screen_text(app)
    assert parties_now(sqlite_ctx).bank_account == "FI21 1234 5600 0007 85"


@pytest.mark.parametrize(
    ("lang", "field", "value", "said"),
    [
        (
            "en",
            7,
            "FI21 1234 5600 0007 86",
            "Bank account (IBAN): expected a bank account as an IBAN, like FI21 1234 5600"
            ' 0007 85, got "FI21 1234 5600 0007 86": the check digit does not match',
        ),
        (
            "fi",
            0,
            "0246246-1",
            'Kaupungin Y-tunnus: odotettiin Y-tunnusta muodossa 0246246-0, saatiin "0246246-1":'
            " tarkiste ei täsmää",
        ),
        (
            "sv",
            8,
            "RF18 5390 0754 7035",
            "Referensnummer: ska vara en RF-referens (t.ex. RF18 5390 0754 7034) eller ett"
            ' finskt referensnummer (t.ex. 1232), inte "RF18 5390 0754 7035": kontrollsiffran'
            " stämmer inte",
        ),
        ("en", 4, "Leena 131052-308T", "Contact person: The value contains a personal identity"),
        ("en", 6, "leena.sampi", "Contact's email: expected an email address"),
        ("en", 3, "31.2.2026", "Agreement date: expected a date"),
    ],
)
async def test_a_wrong_value_is_refused_in_the_form_and_changes_nothing(
    make_app, sqlite_ctx, lang, field, value, said
):
    app = make_app(lang)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*OPEN, "enter")
        await burst(pilot, *["tab"] * field, *ERASE, *value, "enter")
        assert isinstance(app.screen, GroupForm)
        assert form_error(app).startswith(said), form_error(app)
        assert "statement." not in form_error(app)
        await pilot.press("escape")
        assert isinstance(app.screen, SettingsScreen)
    assert SiteSettings.select().count() == 1
    assert parties_now(sqlite_ctx) == Parties()


async def test_hostile_text_is_shown_as_typed(make_app, sqlite_ctx):
    app = make_app("en")
    hostile = "Leena [/] [bold]Sampi[/bold] [link=x]y"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*OPEN, "enter")
        await burst(pilot, *["tab"] * 4, *ERASE, *hostile, "tab", *ERASE, *"0401-23456", "enter")
        assert isinstance(app.screen, SettingsScreen)
        text = screen_text(app)
        assert f"Contact person: {hostile}" in text
        # A phone number with a dash where a date has one is no date.
        assert "Contact's phone: 0401-23456" in text
        await pilot.press("enter")
        assert isinstance(app.screen, GroupForm)
        assert hostile in screen_text(app)
    assert parties_now(sqlite_ctx).contact_name == hostile


async def test_a_control_character_is_refused_in_the_form(make_app, sqlite_ctx):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*OPEN, "enter")
        field = app.screen.query_one("#statement--contact_name")
        field.value = "Leena\x1b[2J"
        await pilot.press("enter")
        assert form_error(app).startswith("Contact person: The value contains a control")
    assert parties_now(sqlite_ctx) == Parties()


def test_snapshot_of_the_group(make_app, filled, snap_compare):
    assert snap_compare(make_app("en"), terminal_size=SIZE, press=OPEN)


@pytest.mark.parametrize("size", [SIZE, (80, 24)], ids=["120x40", "80x24"])
def test_snapshot_of_the_form(make_app, filled, snap_compare, size):
    assert snap_compare(make_app(), terminal_size=size, press=[*OPEN, "enter"])


def test_snapshot_of_the_group_at_80_columns(make_app, filled, snap_compare):
    assert snap_compare(make_app(), terminal_size=(80, 24), press=OPEN)
