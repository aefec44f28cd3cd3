"""The statement's parties reach the statements still to be issued: set
from the first month not yet issued unless a day is given, a warning when a
month is issued without an account or business IDs a later version has; a
value set again changes nothing and says so; a reference without its
leading zeros; limits written under, versions stored before still load."""

import json
from datetime import date, datetime

import pytest

from kela_tui import parties, settings, statement
from kela_tui.i18n import Translator
from kela_tui.models import Audit, SiteSettings
from kela_tui.months import Month
from kela_tui.parties import Parties
from kela_tui.point import typed_value
from tests.unit.test_parties import kela as kela  # noqa: F401 - the fixture

EN = Translator("en")
ACCOUNT = "FI21 1234 5600 0007 85"
AUGUST, SEPTEMBER, OCTOBER = Month(2026, 8), Month(2026, 9), Month(2026, 10)


def issue(ctx, clock, month):
    clock.set(datetime(2026, 11, 27, 10, 0))
    return statement.issue(ctx, month, EN)


def test_a_party_set_without_a_day_reaches_every_month_not_yet_issued(ctx, clock):
    clock.set(datetime(2026, 11, 27, 10, 0))
    made = settings.change(ctx, {"statement.bank_account": ACCOUNT})
    # From the agreement's start (15 Aug 2026), not from today.
    assert made.day == date(2026, 8, 15)
    for month in (AUGUST, SEPTEMBER, OCTOBER):
        assert ctx.settings.for_month(month).parties.bank_account == ACCOUNT
        assert statement.missing_parties(ctx, month) is None


def test_after_an_issued_month_a_party_is_set_from_the_next(ctx, clock):
    issue(ctx, clock, AUGUST)
    made = settings.change(ctx, {"statement.city_business_id": "0246246-0"})
    assert made.day == date(2026, 9, 1)
    assert ctx.settings.for_month(AUGUST).parties.city_business_id == ""
    assert ctx.settings.for_month(SEPTEMBER).parties.city_business_id == "0246246-0"


def test_other_settings_are_still_changed_from_today(ctx, clock):
    clock.set(datetime(2026, 11, 27, 10, 0))
    made = settings.change(ctx, {"site.city": "Kannus kaupunki"})
    assert made.day == date(2026, 11, 27)
    # A mix of keys too: only the statement's alone move the day.
    made = settings.change(ctx, {"site.city": "Kannus", "statement.bank_account": ACCOUNT})
    assert made.day == date(2026, 11, 27)


def test_issuing_a_month_without_the_account_a_later_version_has_warns(ctx, clock):
    clock.set(datetime(2026, 11, 27, 10, 0))
    settings.change(ctx, {"statement.bank_account": ACCOUNT}, date(2026, 11, 27))
    warning = statement.missing_parties(ctx, AUGUST)
    said = EN(warning.key, **warning.params)
    assert "statement.bank_account is set only from 27 Nov 2026" in said
    assert "the statement of August 2026 does not have it" in said
    assert "set it in F6 from 15 Aug 2026" in said
    issued = issue(ctx, clock, AUGUST)
    after = statement.missing_parties(ctx, AUGUST, issued=True)
    said = EN(after.key, **after.params)
    assert "kela-tui reopen 2026-08" in said
    assert f'settings set statement.bank_account "{ACCOUNT}" --from 2026-08-15' in said
    assert json.loads(issued.figures)["site"].get("parties") is None
    # November has it: nothing to say.
    assert statement.missing_parties(ctx, Month(2026, 11)) is None


def test_the_command_line_sets_a_party_for_every_unissued_month_and_warns_at_issue(kela, clock):
    clock.set(datetime(2026, 11, 27, 10, 0))
    code, out, err = kela("settings", "set", "statement.bank_account", ACCOUNT)
    assert (code, err) == (0, "")
    assert "statement.bank_account changed from 15 Aug 2026" in out
    assert "from the start of August 2026 (so far to the end of November 2026)" in out
    code, out, err = kela(
        "settings", "set", "statement.city_business_id", "0246246-0", "--from", "2026-11-27"
    )
    assert code == 0
    code, out, err = kela("issue", "2026-08")
    assert code == 0, err
    assert "revision 1 issued" in out
    assert "statement.city_business_id is set only from 27 Nov 2026" in err
    assert "kela-tui reopen 2026-08" in err
    assert "statement.bank_account" not in err


def test_setting_the_same_value_again_says_nothing_changed(clock, kela):
    clock.set(datetime(2026, 11, 27, 10, 0))
    code, out, _ = kela("settings", "set", "statement.bank_account", ACCOUNT)
    assert "changed from" in out

    def versions():
        return json.loads(kela("settings", "show", "--format", "json")[1])["versions"]

    before = versions()
    code, out, err = kela("settings", "set", "statement.bank_account", "fi2112345600000785")
    assert (code, err) == (0, "")
    assert out.strip() == (
        "statement.bank_account: the same value is already in force on 15 Aug 2026;"
        " nothing changed"
    )
    # Any key: the city as it is, from today or a given day.
    code, out, _ = kela("settings", "set", "site.city", "Kannus")
    assert "nothing changed" in out and "changed from" not in out
    code, out, _ = kela("settings", "set", "site.city", "Kannus", "--from", "2026-10-01")
    assert "nothing changed" in out
    assert versions() == before


def test_a_change_to_the_same_value_writes_and_audits_nothing(ctx):
    settings.change(ctx, {"statement.bank_account": ACCOUNT})
    rows, audits = SiteSettings.select().count(), Audit.select().count()
    made = settings.change(ctx, {"site.city": "Kannus", "statement.bank_account": ACCOUNT})
    assert made.wrote is False
    assert (SiteSettings.select().count(), Audit.select().count()) == (rows, audits)
    assert settings.change(ctx, {"site.city": "Kannus kaupunki"}).wrote is True


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("0001232", "1232"),
        ("00 0123 2", "1232"),
        ("0000000001232", "1232"),
        ("12345672", "123 45672"),
    ],
)
def test_a_reference_is_kept_without_its_leading_zeros(ctx, typed, kept):
    assert parties.payment_reference(typed) == kept
    assert typed_value("statement.payment_reference", typed) == kept
    settings.change(ctx, {"statement.payment_reference": typed})
    assert ctx.settings.on(ctx.today()).parties.payment_reference == kept


def test_a_version_stored_before_the_limits_still_loads_and_other_keys_change(ctx):
    row = SiteSettings.get()
    stored = json.loads(row.values)
    long_name = "Leena " * 30
    stored["statement"]["contact_name"] = long_name.strip()
    stored["statement"]["agreement_reference"] = ("Kh § 123 " * 22).strip()
    row.values = json.dumps(stored)
    row.save()
    assert settings.history(ctx.site).first.parties.contact_name == long_name.strip()
    ctx.reload_settings()
    # Another key changes; the old value stays until it is set again.
    settings.change(ctx, {"site.city": "Kannus kaupunki"}, ctx.settings.first.agreement_start)
    assert ctx.settings.first.parties.contact_name == long_name.strip()


def test_an_agreement_date_after_a_new_start_is_refused_too(ctx):
    from kela_tui.errors import BadInput

    settings.change(ctx, {"statement.agreement_date": "2026-08-01"})
    with pytest.raises(BadInput) as caught:
        settings.change(ctx, {"agreement.start": "2026-07-15"}, date(2026, 7, 15))
    assert "statement.agreement_date" in EN.error(caught.value)
    assert ctx.settings.first.parties == Parties(agreement_date=date(2026, 8, 1))
