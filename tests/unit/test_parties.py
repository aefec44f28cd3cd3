"""The statement's parties as point settings ([statement]): each number
checked with python-stdnum and kept as it is printed, free text checked as
any text, all optional; versions stored before them still load."""

import json
import tomllib
from datetime import date, datetime

import pytest

from kela_tui import parties, settings
from kela_tui.cli import main
from kela_tui.context import open_context
from kela_tui.errors import BadInput
from kela_tui.i18n import Translator
from kela_tui.models import SiteSettings
from kela_tui.parties import Parties
from kela_tui.point import PointSettings, point_from_tree, typed_value

EN = Translator("en")

ALL = {
    "statement.city_business_id": "1234567-1",
    "statement.kela_business_id": "0246246-0",
    "statement.agreement_reference": "Kaupunginhallitus § 123",
    "statement.agreement_date": "2026-05-12",
    "statement.contact_name": "Leena Sampi",
    "statement.contact_phone": "040 123 4567",
    "statement.contact_email": "leena.sampi@kannus.fi",
    "statement.bank_account": "FI21 1234 5600 0007 85",
    "statement.payment_reference": "RF18 5390 0754 7034",
}


@pytest.fixture
def kela(tmp_path, clock, capsys, db_url, config):
    """The command line against one set-up database: (code, out, err)."""
    open_context(config, db_url, clock).db.close()

    def run(*argv: str) -> tuple[int, str, str]:
        given = ["--config", str(tmp_path / "config.toml"), "--db", db_url, "--lang", "en"]
        code = main([*given, *argv], clock=clock)
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_nothing_is_set_by_default():
    assert PointSettings().parties == Parties()
    assert set(PointSettings().tree()["statement"].values()) == {""}


@pytest.mark.parametrize(
    ("read", "typed", "kept"),
    [
        (parties.business_id, "0246246-0", "0246246-0"),
        (parties.business_id, "0246246 0", "0246246-0"),
        (parties.business_id, "02462460", "0246246-0"),
        (parties.bank_account, "fi2112345600000785", "FI21 1234 5600 0007 85"),
        (parties.bank_account, "FI21 1234 5600 0007 85", "FI21 1234 5600 0007 85"),
        (parties.bank_account, "DE89370400440532013000", "DE89 3704 0044 0532 0130 00"),
        (parties.payment_reference, "rf18539007547034", "RF18 5390 0754 7034"),
        (parties.payment_reference, "RF18 5390 0754 7034", "RF18 5390 0754 7034"),
        # A Finnish national reference, 7-3-1, grouped in fives from the right.
        (parties.payment_reference, "1232", "1232"),
        (parties.payment_reference, "1234561", "12 34561"),
        (parties.payment_reference, "12345 67890 12345 67 3", "123 45678 90123 45673"),
        (parties.phone, "+358  40 123 4567", "+358 40 123 4567"),
        (parties.email, " leena.sampi@kannus.fi ", "leena.sampi@kannus.fi"),
    ],
)
def test_a_number_is_kept_as_it_is_printed(read, typed, kept):
    assert read(typed) == kept


def test_the_national_reference_check_digit():
    # 1, 2, 3 weighted from the right 7, 3, 1: 3·7 + 2·3 + 1·1 = 28, to 30 is 2.
    assert parties.national_check_digit("123") == "2"
    # The Finnish banks' own example: 123456 gives 1234561.
    assert parties.national_check_digit("123456") == "1"


@pytest.mark.parametrize(
    ("key", "value", "said"),
    [
        ("city_business_id", "0246246-1", "the check digit does not match"),
        ("city_business_id", "024624-0", "wrong length"),
        ("kela_business_id", "abc", "characters such a number cannot have"),
        ("kela_business_id", "131052-308T", "expected a business ID"),
        ("bank_account", "FI21 1234 5600 0007 86", "the check digit does not match"),
        ("bank_account", "not an account", "not shaped like an account number"),
        ("bank_account", "FI21 1234 5600 0007 8€", "not shaped like an account number"),
        ("bank_account", "FI21 1234", "not shaped like an account number"),
        ("bank_account", "9" * 1_000_000, "wrong length"),
        ("payment_reference", "RF18 5390 0754 7035", "the check digit does not match"),
        ("payment_reference", "1233", "the check digit does not match"),
        ("payment_reference", "12", "wrong length"),
        ("payment_reference", "12a4", "characters a reference cannot have"),
        ("payment_reference", "0012", "wrong length"),
        ("contact_phone", "soita minulle", "expected a phone number"),
        ("contact_phone", "040 12", "expected a phone number"),
        ("contact_email", "leena.sampi", "expected an email address"),
        ("contact_email", "a@b@c.fi", "expected an email address"),
        # Free text: no identity code, no control character, not too long.
        ("contact_name", "Leena 131052-308T", "No identity code is stored in this field"),
        ("contact_name", "Leena 131052-308U", "No identity code is stored in this field"),
        ("contact_phone", "131052-308T", "identity code"),
        ("contact_email", "131052-308T@kannus.fi", "identity code"),
        ("agreement_reference", "Kh § 123 010594Y9021", "identity code"),
        ("contact_name", "Leena\x1b[2J", "control character (U+001B)"),
        ("contact_name", "x" * 1_000_000, "too long"),
        # Printed on the statement's head: at most so long that it stays one page.
        ("contact_name", "Leena " * 10 + "x", "at most 60 characters, not 61"),
        ("agreement_reference", "Kh § 123 " * 11 + "xx", "at most 100 characters, not 101"),
        ("contact_email", "l" * 55 + "@kannus.fi", "at most 64 characters, not 65"),
        # The agreement is decided before it begins (15 Aug 2026).
        ("agreement_date", "2027-01-01", "is after the agreement began (15 Aug 2026)"),
        ("agreement_date", "2026-08-16", "is after the agreement began"),
        ("agreement_date", "12.5.2026", "expected a date like 2026-08-15"),
        ("agreement_date", "1999-12-31", "years 2000–2100"),
        ("city_business_id", 1234567, "expected a business ID"),
    ],
)
def test_a_wrong_value_names_the_key_and_what_is_wrong_and_changes_nothing(ctx, key, value, said):
    with pytest.raises(BadInput) as caught:
        settings.change(ctx, {f"statement.{key}": value})
    message = EN.error(caught.value)
    assert message.startswith(f"statement.{key}: "), message
    assert said in message, message
    assert len(message) < 400
    assert SiteSettings.select().count() == 1
    assert ctx.settings.on(ctx.today()).parties == Parties()


def test_every_setting_is_kept_and_shown(ctx, clock):
    clock.set(datetime(2026, 10, 6, 10, 0))
    settings.change(ctx, ALL)
    kept = ctx.settings.on(ctx.today()).parties
    assert kept == Parties(
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
    # Set from the first month not yet issued: every statement still to be
    # issued has them, the agreement's first month too.
    assert ctx.settings.on(date(2026, 8, 15)).parties == kept
    assert [v.valid_from for v in ctx.settings.versions] == [date(2026, 8, 15)]


def test_brackets_are_kept_as_typed(ctx):
    settings.change(ctx, {"statement.contact_name": "Leena [/]Sampi [b]x[/b]"})
    assert ctx.settings.on(ctx.today()).parties.contact_name == "Leena [/]Sampi [b]x[/b]"


def test_a_version_stored_before_the_parties_still_loads(ctx):
    row = SiteSettings.get()
    stored = json.loads(row.values)
    del stored["statement"]
    row.values = json.dumps(stored)
    row.save()
    assert settings.history(ctx.site).on(ctx.today()).parties == Parties()


def test_typing_the_same_number_again_changes_nothing(ctx):
    settings.change(ctx, {"statement.bank_account": "FI21 1234 5600 0007 85"})
    versions = SiteSettings.select().count()
    assert typed_value("statement.bank_account", "fi2112345600000785") == (
        "FI21 1234 5600 0007 85"
    )
    assert typed_value("statement.bank_account", "fi21 wrong") == "fi21 wrong"
    assert typed_value("statement.agreement_date", "12.5.2026") == "2026-05-12"
    assert typed_value("statement.agreement_date", "") == ""
    again = typed_value("statement.bank_account", "fi2112345600000785")
    settings.change(ctx, {"statement.bank_account": again})
    assert SiteSettings.select().count() == versions


def test_settings_set_on_the_command_line(kela, clock):
    clock.set(datetime(2026, 10, 6, 10, 0))
    code, out, err = kela("settings", "set", "statement.bank_account", "fi2112345600000785")
    assert (code, err) == (0, "")
    code, out, err = kela("settings", "set", "statement.agreement_date", "12.5.2026")
    assert (code, err) == (0, "")
    shown = json.loads(kela("settings", "show", "--format", "json")[1])["settings"]
    assert shown["statement"]["bank_account"] == "FI21 1234 5600 0007 85"
    assert shown["statement"]["agreement_date"] == "2026-05-12"


@pytest.mark.parametrize(
    ("key", "value", "said"),
    [
        ("statement.city_business_id", "0246246-1", "the check digit does not match"),
        ("statement.bank_account", "FI21 1234 5600 0007 86", "the check digit does not match"),
        ("statement.payment_reference", "RF00 1234", "expected an RF creditor reference"),
        ("statement.contact_name", "Leena 131052-308T", "identity code"),
        ("statement.contact_name", "x" * 1_000_000, "too long"),
        ("statement.contact_email", "[/]", "expected an email address"),
        ("statement.agreement_date", "31.2.2026", "expected a date"),
    ],
)
def test_a_wrong_value_on_the_command_line_exits_2(kela, key, value, said):
    code, out, err = kela("settings", "set", key, value)
    assert code == 2, (out, err)
    assert f"{key}: " in err and said in err, err
    assert len(err) < 600
    assert SiteSettings.select().count() == 1


def test_settings_show_and_import_take_the_section_back(kela, tmp_path, clock):
    clock.set(datetime(2026, 10, 6, 10, 0))
    _, shown, _ = kela("settings", "show")
    # Nothing set yet: the section is there, empty, and reads back.
    assert tomllib.loads(shown)["statement"]["agreement_date"] == ""
    filled = shown.replace('city_business_id = ""', 'city_business_id = "1234567-1"')
    filled = filled.replace('agreement_date = ""', "agreement_date = 2026-05-12")
    filled = filled.replace('bank_account = ""', 'bank_account = "FI2112345600000785"')
    target = tmp_path / "point.toml"
    target.write_text(filled, encoding="utf-8")
    assert kela("settings", "import", str(target))[0] == 0
    _, again, _ = kela("settings", "show")
    section = tomllib.loads(again)["statement"]
    assert section["city_business_id"] == "1234567-1"
    assert section["agreement_date"] == date(2026, 5, 12)
    assert section["bank_account"] == "FI21 1234 5600 0007 85"
    versions = SiteSettings.select().count()
    target.write_text(again, encoding="utf-8")
    assert kela("settings", "import", str(target))[0] == 0
    assert SiteSettings.select().count() == versions


def test_a_settings_file_with_a_wrong_number_writes_nothing(kela, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[site]\nname = "Uusi"\n[statement]\nbank_account = "FI00 0000"\n', encoding="utf-8"
    )
    code, _, err = kela("settings", "import", str(bad))
    assert code == 2 and "statement.bank_account" in err
    assert SiteSettings.select().count() == 1


def test_an_unknown_key_in_the_section_is_named():
    with pytest.raises(BadInput) as caught:
        point_from_tree({"statement": {"iban": "FI21 1234 5600 0007 85"}})
    assert EN.error(caught.value) == "statement.iban: unknown key (misspelt?)"


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_every_message_is_in_every_language(lang):
    t = Translator(lang)
    for name in parties.KEYS:
        assert t.has(f"parties.key_{name}")
    for reason in ("checksum", "length", "format", "component"):
        assert t.has(f"parties.reason_{reason}")
