"""Grammar from a library: plural forms by CLDR's rules, months in the case
the sentence needs, days and times in sentences as each language writes
them, money per language; never an ISO date or a "(a)" plural in a sentence."""

import ast
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from kela_tui.i18n import LANGUAGES, Msg, Translator, catalogue, is_plural, texts
from kela_tui.months import Month

PACKAGE = Path(__file__).parents[2] / "kela_tui"

ISO_DATE = re.compile(r"(?<![\w-])\d{4}-\d{2}(-\d{2})?(?![\w-])")
# "asiakirja(a)", "handling(ar)", "document(s)": a plural by hand.
HAND_PLURAL = re.compile(r"\w\((a|ä|ta|tä|s|es|er|ar|or|en|na)\)")
# Messages that show the machine format a person types: a config file's
# values, the command line's arguments, a form's accepted input.
TYPED_FORMATS = {
    "problem.date",
    "problem.date_list",
    "error.bad_date",
    "error.bad_month",
    "error.bad_time",
    "error.bad_recent_day",
    "register.goto_label",
    # What a period on the command line is typed as, and an example file name.
    "error.bad_period",
    "error.bad_month_or_year",
    "year.help_stats_period",
    "year.help_period",
    "xlsx.export_output",
}
# Parameters that are numbers in every message that has them.
NUMERIC = {
    "count",
    "most",
    "minutes",
    "seconds",
    "sessions",
    "documents",
    "services",
    "received",
    "forwarded",
    "on_time",
    "shown",
    "days",
    "month_days",
    "total",
    "length",
    "visits",
}
PARAM = re.compile(r"\{(\w+)(?:![rsa])?(?::([^}]*))?\}")

OCTOBER = Month(2026, 10)
AT = datetime(2026, 12, 28, 10, 0)


def every_message():
    for lang in LANGUAGES:
        for key, message in catalogue(lang).items():
            yield lang, key, message


def test_no_iso_date_or_hand_made_plural_in_any_message():
    found = []
    for lang, key, message in every_message():
        for text in texts(message):
            if ISO_DATE.search(text) and key not in TYPED_FORMATS:
                found.append((lang, key, text))
            if HAND_PLURAL.search(text):
                found.append((lang, key, text))
    assert found == []


def test_plural_tables_have_the_forms_of_their_language():
    for lang, key, message in every_message():
        if is_plural(message):
            assert set(message) == {"one", "other"}, (lang, key)
            assert all("{count}" in text for text in message.values()), (lang, key)
    for lang in LANGUAGES:
        plurals = {key for key, message in catalogue(lang).items() if is_plural(message)}
        english = {key for key, message in catalogue("en").items() if is_plural(message)}
        assert plurals == english, lang


def sample(name: str, spec: str, number: int) -> object:
    """A value for a message's parameter, of the kind its name and its
    format spec say."""
    if name in NUMERIC:
        return number
    if spec in ("genitive", "iso") or name in ("month", "first", "last"):
        return OCTOBER
    if spec in ("time", "day") or name in ("at", "since", "when", "now"):
        return AT
    if name == "day":
        return date(2026, 12, 28)
    return "X"


def numeric_messages():
    for lang, key, message in every_message():
        names = {name for text in texts(message) for name, _ in PARAM.findall(text)}
        if is_plural(message) or names & NUMERIC:
            yield pytest.param(lang, key, id=f"{lang}-{key}")


@pytest.mark.parametrize(("lang", "key"), list(numeric_messages()))
def test_every_message_with_a_number_reads_right_with_1_2_and_5(lang, key):
    message = catalogue(lang)[key]
    t = Translator(lang)
    said = {}
    for number in (1, 2, 5):
        params = {
            name: sample(name, spec, number)
            for text in texts(message)
            for name, spec in PARAM.findall(text)
        }
        said[number] = t(key, **params)
        assert str(number) in said[number]
        assert not HAND_PLURAL.search(said[number]), said[number]
        assert not ISO_DATE.search(said[number]) or key in TYPED_FORMATS, said[number]
    if is_plural(message) and message["one"] != message["other"]:
        # Where the language inflects (Finnish "10 sekunnin ajan" does not).
        assert said[1].replace("1", "") != said[2].replace("2", ""), key


@pytest.mark.parametrize(
    ("lang", "one", "two"),
    [
        ("fi", "1 asiakirja vastaanotettu", "2 asiakirjaa vastaanotettu"),
        ("sv", "1 handling mottagen", "2 handlingar mottagna"),
        ("en", "1 document received", "2 documents received"),
    ],
)
def test_the_slip_dialog_counts_documents_in_the_right_form(lang, one, two):
    t = Translator(lang)
    assert t("slip.dialog_title", count=1) == one
    assert t.plural("slip.dialog_title", 2) == two


def test_a_count_is_written_as_the_language_writes_numbers():
    assert Translator("fi").plural("statement.exported", 1234, path="x") == (
        "1\xa0234 palvelua vietiin tiedostoon x."
    )
    assert Translator("en").plural("statement.exported", 1234, path="x") == (
        "1,234 services exported to x."
    )


@pytest.mark.parametrize(
    ("lang", "moment"),
    [
        ("fi", "28.12.2026 klo 10.00"),
        ("sv", "28.12.2026 kl. 10.00"),
        ("en", "28 Dec 2026 at 10:00"),
    ],
)
def test_a_moment_in_a_sentence(lang, moment):
    t = Translator(lang)
    assert t.moment(AT) == moment
    assert t("error.already_forwarded", receipt="K-1", when=AT).endswith(moment)


@pytest.mark.parametrize(
    ("lang", "heading", "genitive"),
    [
        ("fi", "lokakuu 2026", "lokakuun 2026"),
        ("sv", "oktober 2026", "oktober 2026"),
        ("en", "October 2026", "October 2026"),
    ],
)
def test_months_in_the_case_the_sentence_needs(lang, heading, genitive):
    t = Translator(lang)
    assert t.month(OCTOBER.first) == heading
    assert t.month(OCTOBER.first, "genitive") == genitive
    assert f"{heading} " in t("cli.reopened", month=OCTOBER)
    assert genitive in t("statement.issue_confirm", month=OCTOBER)


def test_every_finnish_month_has_its_genitive():
    t = Translator("fi")
    genitives = [t.month(date(2026, number, 1), "genitive") for number in range(1, 13)]
    assert genitives[0] == "tammikuun 2026" and genitives[11] == "joulukuun 2026"
    assert all(g.split()[0].endswith("kuun") for g in genitives)


def test_a_command_to_type_keeps_the_month_as_typed():
    said = Translator("fi")("error.month_closed", month=OCTOBER)
    assert said.startswith("lokakuu 2026 on suljettu")
    assert "kela-tui reopen 2026-10 --reason" in said


@pytest.mark.parametrize(
    ("lang", "money"),
    [("fi", "300,00\xa0€"), ("sv", "300,00\xa0€"), ("en", "€300.00")],
)
def test_money_per_language(lang, money):
    assert Translator(lang).money(Decimal("300")) == money


@pytest.mark.parametrize(
    ("lang", "day"), [("fi", "30.11.2026"), ("sv", "30.11.2026"), ("en", "30 Nov 2026")]
)
def test_one_way_to_write_a_day_per_language(lang, day):
    t = Translator(lang)
    assert t.day(date(2026, 11, 30)) == t.date(date(2026, 11, 30)) == day


@pytest.mark.parametrize(
    ("key", "old"),
    [
        ("slip.dialog_title", "asiakirja(a)"),
        ("statement.issue_confirm", "kuukauden lokakuu"),
        ("cli.reopened", "2026-10 avattu"),
        ("log.referred", "torjuttu"),
        ("log.forwarded", "19 toimitettu Kelaan"),
        ("booth.outage_title", "Etäpalvelupiste epäkuntoon"),
        ("slip.counts_as_received", "tänä päivänä"),
        ("log.undone", "undo"),
        ("tally.undone", "undo"),
    ],
)
def test_the_old_finnish_wording_is_gone(key, old):
    t = Translator("fi")
    said = t(key, count=19, month=OCTOBER, kind="Työeläkehakemus", service="Neuvonta")
    assert old not in said
    assert not said.startswith("Etäpalvelupiste epäkuntoon")


def test_month_not_over_and_already_forwarded_say_no_iso():
    t = Translator("fi")
    said = t("error.month_not_over", month=Month(2026, 11), day=date(2026, 12, 1))
    assert said == "marraskuu 2026 ei ole vielä päättynyt: selvityksen voi antaa 1.12.2026 alkaen"
    assert t("error.already_forwarded", receipt="K-1", when=AT) == (
        "asiakirja K-1 on jo toimitettu 28.12.2026 klo 10.00"
    )


def test_month_unfinished_counts_each_kind_in_its_form():
    t = Translator("fi")
    said = t(
        "error.month_unfinished",
        month=OCTOBER,
        waiting=Msg(
            "unfinished.both",
            documents=Msg("grammar.documents_waiting", count=1),
            sessions=Msg("grammar.sessions_open", count=2),
        ),
    )
    assert said.startswith("lokakuun 2026 työt ovat vielä kesken")
    assert "Kelaan toimittamatta 1 asiakirja ja auki 2 etäpalveluistuntoa." in said
    assert said.endswith(".")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_yes_no_and_choice_dialogs_do_not_say_save(lang):
    t = Translator(lang)
    save = t("form.hint").split(" · ")[0]
    assert save not in t("grammar.confirm_hint")
    assert save not in t("grammar.choice_hint")


DATE_LIKE = re.compile(r"^(at|day|when|since|received|now|start|end|month|first|last|time)$")
TRANSLATED = {"Msg", "Refused", "BadInput", "t"}


def test_no_date_goes_into_a_message_as_iso_text():
    """A date, time or month passed to a message is the value itself, which
    the translator formats: never its ISO text, `strftime` or `str(month)`."""
    found = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in TRANSLATED:
                continue
            for keyword in node.keywords:
                if keyword.arg is None or not DATE_LIKE.match(keyword.arg):
                    continue
                value = keyword.value
                if isinstance(value, ast.Call):
                    called = getattr(value.func, "attr", None) or getattr(value.func, "id", None)
                    if called in ("strftime", "isoformat", "str"):
                        found.append(f"{path.name}:{node.lineno} {keyword.arg}")
    assert found == []


@pytest.mark.parametrize(("lang", "day"), [("fi", "15.9."), ("sv", "15 sep."), ("en", "15 Sept")])
def test_a_day_of_the_coming_week_goes_without_its_year(lang, day):
    assert Translator(lang).near_day(date(2026, 9, 15)) == day
