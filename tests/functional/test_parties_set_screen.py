"""F6 sets the statement's parties from the first month not yet issued
(its form says so, and which statements get them); F5 asks before issuing
a month whose statement lacks the account a later version has."""

from datetime import date, datetime

from kela_tui import settings, statement
from kela_tui.i18n import Translator
from kela_tui.months import Month, is_closed
from kela_tui.screens.settings import GroupForm, SettingsScreen
from kela_tui.screens.statement import IssueForm
from tests.functional.helpers import burst, screen_text

SIZE = (120, 40)
OPEN = ["f6", *["down"] * 8]
ACCOUNT = "FI21 1234 5600 0007 85"
# To the account's field: the eighth of the form.
TO_ACCOUNT = ["tab"] * 7


def said(app, selector: str) -> str:
    return str(app.screen.query_one(selector).content)


async def test_f6_sets_the_parties_from_the_first_month_not_yet_issued(
    make_app, sqlite_ctx, clock
):
    clock.set(datetime(2026, 11, 27, 10, 0))
    statement.issue(sqlite_ctx, Month(2026, 8), Translator("en"))
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*OPEN, "enter")
        assert isinstance(app.screen, GroupForm)
        assert app.screen.value("valid-from") == "1.9.2026"
        assert "apply from 1 Sept 2026, the first month not yet issued" in said(
            app, "#valid-from-note"
        )
        await burst(pilot, *TO_ACCOUNT, *"fi2112345600000785", "enter")
        assert isinstance(app.screen, SettingsScreen)
        text = " ".join(screen_text(app).split())
        assert "Saved: 1 setting changed from 1 Sept 2026." in text
        assert "from the start of September 2026 (so far to the end of November 2026)" in text
    assert sqlite_ctx.settings.for_month(Month(2026, 9)).parties.bank_account == ACCOUNT
    assert sqlite_ctx.settings.for_month(Month(2026, 8)).parties.bank_account == ""


async def test_other_groups_still_change_from_today(make_app, sqlite_ctx, clock):
    clock.set(datetime(2026, 11, 27, 10, 0))
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f6", "enter")
        assert isinstance(app.screen, GroupForm)
        assert app.screen.value("valid-from") == "27.11.2026"


async def test_f5_says_before_issuing_that_the_month_lacks_the_account(
    make_app, sqlite_ctx, clock
):
    clock.set(datetime(2026, 11, 27, 10, 0))
    settings.change(sqlite_ctx, {"statement.bank_account": ACCOUNT}, date(2026, 11, 27))
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5", *["["] * 2)
        assert app.screen.month == Month(2026, 8)
        await pilot.press("i")
        assert isinstance(app.screen, IssueForm)
        text = said(app, "#missing-parties")
        assert "Bank account (IBAN) is set only from 27 Nov 2026" in text
        assert "cancel (esc) and set it in F6 from 15 Aug 2026" in text
        await pilot.press("escape")
        assert not is_closed(sqlite_ctx.site, Month(2026, 8))
        # Set from August as said: issued without a word.
        settings.change(sqlite_ctx, {"statement.bank_account": ACCOUNT}, date(2026, 8, 15))
        app.take_up_changes(show=False)
        await pilot.press("i")
        assert isinstance(app.screen, IssueForm)
        assert not app.screen.query("#missing-parties")
