import re
from datetime import date
from decimal import Decimal

import pytest

from kela_tui.i18n import LANGUAGES, Translator, catalogue, texts

PLACEHOLDER = re.compile(r"\{(\w+)")


def test_every_language_has_every_message():
    keys = {lang: set(catalogue(lang)) for lang in LANGUAGES}
    for lang in LANGUAGES:
        assert keys[lang] == keys["en"], lang


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_placeholders_agree_with_english(lang):
    english = catalogue("en")
    for key, message in catalogue(lang).items():
        found = {name for text in texts(message) for name in PLACEHOLDER.findall(text)}
        expected = {name for text in texts(english[key]) for name in PLACEHOLDER.findall(text)}
        assert found == expected, key


def test_category_labels_are_the_agreements_words():
    assert Translator("fi")("category.advice") == "Kela-asioiden neuvonta"
    assert Translator("sv")("category.online") == "Handledning i FPA:s e-tjänster"
    assert Translator("en")("category.remote") == "Remote-service preparation and support"


def test_money_and_dates_follow_the_locale():
    assert Translator("fi").money(Decimal("164.52")) == "164,52\xa0€"
    assert Translator("sv").money(Decimal("1300")) == "1\xa0300,00\xa0€"
    assert Translator("fi").date(date(2026, 8, 15), "long") == "15. elokuuta 2026"
    assert Translator("sv").date(date(2026, 8, 15), "long") == "15 augusti 2026"


def test_unknown_language_falls_back_to_finnish():
    assert Translator("de").lang == "fi"


@pytest.mark.parametrize(
    "lang, shown, with_year",
    [
        ("fi", "1.–27.11.", "1.–27.11.2025"),
        ("sv", "1–27.11", "1–27.11.2025"),
        ("en", "1 – 27 Nov", "1–27 Nov 2025"),
    ],
)
def test_a_span_of_days_in_each_language(lang, shown, with_year):
    t = Translator(lang)
    # English puts thin spaces around the dash.
    assert t.days(date(2026, 11, 1), date(2026, 11, 27)).replace("\u2009", " ") == shown
    assert t.days(date(2025, 11, 1), date(2025, 11, 27), year=True) == with_year
