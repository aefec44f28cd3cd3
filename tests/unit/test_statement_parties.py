"""The statement's parties on the statement: shown when set in every
language, escaped in HTML, still one A4 page, and frozen with an issued
month whatever the settings say later."""

import io
import json
from datetime import datetime

import pytest
from pypdf import PdfReader

from kela_tui import demo, parties, services, settings, statement
from kela_tui.errors import Refused
from kela_tui.i18n import Translator
from kela_tui.models import Rendering
from kela_tui.months import Month
from tests.unit.test_parties import ALL

EN = Translator("en")
SEPTEMBER = Month(2026, 9)


def document(ctx, month, lang="en") -> tuple[str, str]:
    return statement.document(ctx, month, Translator(lang))


@pytest.mark.parametrize(
    ("lang", "lines"),
    [
        (
            "fi",
            [
                "Y-tunnus 1234567-1",
                "Y-tunnus 0246246-0",
                "Sopimus: Kaupunginhallitus § 123, 12.5.2026",
                "Yhteyshenkilö: Leena Sampi, 040 123 4567, leena.sampi@kannus.fi",
                "Tilinumero (IBAN)",
                "FI21 1234 5600 0007 85",
                "Viitenumero",
            ],
        ),
        (
            "sv",
            [
                "FO-nummer 1234567-1",
                "FO-nummer 0246246-0",
                "Avtal: Kaupunginhallitus § 123, 12.5.2026",
                "Kontaktperson: Leena Sampi, 040 123 4567, leena.sampi@kannus.fi",
                "Kontonummer (IBAN)",
                "Referensnummer",
            ],
        ),
        (
            "en",
            [
                "Business ID 1234567-1",
                "Business ID 0246246-0",
                "Agreement: Kaupunginhallitus § 123, 12 May 2026",
                "Contact person: Leena Sampi, 040 123 4567, leena.sampi@kannus.fi",
                "Bank account (IBAN)",
                "Payment reference",
                "RF18 5390 0754 7034",
            ],
        ),
    ],
)
def test_the_parties_are_on_the_statement_in_every_language(ctx, clock, lang, lines):
    clock.set(datetime(2026, 10, 6, 10, 0))
    settings.change(ctx, ALL, ctx.settings.first.agreement_start)
    text, html = document(ctx, SEPTEMBER, lang)
    for line in lines:
        assert line in text, (line, text)
    for line in lines:
        if ":" not in line:
            assert line in html, line
    assert "Leena Sampi, 040 123 4567, leena.sampi@kannus.fi" in html


def test_nothing_set_prints_nothing_of_them(ctx, clock):
    clock.set(datetime(2026, 10, 6, 10, 0))
    text, html = document(ctx, SEPTEMBER)
    for word in ("Business ID", "Contact person", "IBAN", "Payment reference", "Agreement:"):
        assert word not in text and word not in html


def test_the_account_alone_prints_without_a_reference(ctx, clock):
    clock.set(datetime(2026, 10, 6, 10, 0))
    settings.change(
        ctx, {"statement.bank_account": "FI2112345600000785"}, ctx.settings.first.agreement_start
    )
    text, html = document(ctx, SEPTEMBER)
    assert "Bank account (IBAN)" in text and "FI21 1234 5600 0007 85" in text
    assert "Payment reference" not in text and "Payment reference" not in html
    assert "Bank account (IBAN) FI21 1234 5600 0007 85</td>" in html


def test_the_contact_name_is_escaped_in_html_and_literal_in_text(ctx, clock):
    clock.set(datetime(2026, 10, 6, 10, 0))
    hostile = '<script>alert("x")</script> [/] [b]Leena[/b] &amp;'
    settings.change(ctx, {"statement.contact_name": hostile}, ctx.settings.first.agreement_start)
    text, html = document(ctx, SEPTEMBER)
    assert hostile in text
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; [/] [b]Leena[/b] &amp;amp;" in html


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_pdf_with_every_party_is_one_a4_page(sqlite_ctx, clock, lang):
    ctx = sqlite_ctx
    clock.set(datetime(2026, 11, 20, 16, 0))
    demo.fill(ctx, months=3, seed=4)
    settings.change(ctx, ALL, ctx.settings.first.agreement_start)
    # A draft (with its banner) and a month with every booth outcome line.
    _, html = document(ctx, Month(2026, 10), lang)
    pdf = PdfReader(io.BytesIO(statement.render_pdf(html)))
    assert len(pdf.pages) == 1
    box = pdf.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    page = pdf.pages[0].extract_text()
    assert "FI21 1234 5600 0007 85" in page and "0246246-0" in page


def test_an_issued_month_keeps_its_parties_whatever_the_settings_say_later(ctx, clock):
    clock.set(datetime(2026, 10, 6, 10, 0))
    settings.change(ctx, ALL, ctx.settings.first.agreement_start)
    services.log_service(ctx, "advice", at=datetime(2026, 9, 10, 10, 0))
    issued = statement.issue(ctx, SEPTEMBER, EN)
    before = {lang: document(ctx, SEPTEMBER, lang) for lang in ("fi", "sv", "en")}
    assert "leena.sampi@kannus.fi" in before["en"][0]
    # A change inside the closed month is refused; one from the next month
    # holds from then on.
    with pytest.raises(Refused):
        settings.change(ctx, {"statement.contact_name": "Matti"}, SEPTEMBER.last)
    later = {
        "statement.contact_name": "Matti Meikäläinen",
        "statement.contact_email": "matti@kannus.fi",
        "statement.bank_account": "DE89370400440532013000",
        "statement.payment_reference": "1232",
    }
    settings.change(ctx, later, Month(2026, 10).first)
    clock.set(datetime(2027, 1, 15, 10, 0))
    for lang, (text, html) in before.items():
        assert document(ctx, SEPTEMBER, lang) == (text, html)
    assert statement.content_hash(*before["en"]) == issued.sha256
    # Rendered again from the frozen claim alone (as for a language whose
    # rendering was not kept), the parties are still those of the issue.
    Rendering.delete().where(Rendering.statement == issued).execute()
    for lang in ("fi", "sv"):
        assert document(ctx, SEPTEMBER, lang) == before[lang]
    claim = json.loads(issued.figures)
    assert claim["site"]["parties"]["contact_name"] == "Leena Sampi"
    # October, still open, says what the settings say now.
    october, _ = document(ctx, Month(2026, 10))
    assert "Matti Meikäläinen" in october and "1232" in october


def test_a_reissued_month_keeps_the_parties_of_its_own_settings(ctx, clock):
    clock.set(datetime(2026, 10, 6, 10, 0))
    settings.change(ctx, ALL, ctx.settings.first.agreement_start)
    services.log_service(ctx, "advice", at=datetime(2026, 9, 10, 10, 0))
    statement.issue(ctx, SEPTEMBER, EN)
    settings.change(ctx, {"statement.contact_name": "Matti"}, Month(2026, 10).first)
    statement.reopen(ctx, SEPTEMBER, "a service was logged twice")
    second = statement.issue(ctx, SEPTEMBER, EN)
    assert second.revision == 2
    assert "Contact person: Leena Sampi" in second.text
    assert "Matti" not in second.text


def test_a_claim_frozen_before_the_parties_renders_as_issued(ctx, clock):
    clock.set(datetime(2026, 10, 6, 10, 0))
    services.log_service(ctx, "advice", at=datetime(2026, 9, 10, 10, 0))
    issued = statement.issue(ctx, SEPTEMBER, EN)
    assert "parties" not in json.loads(issued.figures)["site"]
    data = statement.frozen_data(issued, SEPTEMBER)
    assert statement.render_text(data, EN) == issued.text
    assert statement.render_html(data, EN) == issued.html


# Every field of the statement's head at its longest allowed value, with
# words that do not break: ordinary words, and one unbroken run each.
LONGEST = {
    "site.name": ("Kannuksen kaupungin yhteispalvelupiste " * 6)[:172].strip()
    + " Yhteispalvelupistetoiminta",
    "site.city": ("Kannuksen kaupunki " * 6)[:60].strip(),
    "statement.city_business_id": "1234567-1",
    "statement.kela_business_id": "0246246-0",
    "statement.agreement_reference": (
        "Kaupunginhallituksen päätös § 123 "
        + "Yhteispalvelupistesopimusneuvottelupöytäkirjaliite" * 2
    )[: parties.REFERENCE],
    "statement.agreement_date": "2026-05-12",
    "statement.contact_name": ("Leena-Kaisa " + "Sampi-Väänänen-Kallioniemi" * 3)[: parties.NAME],
    "statement.contact_phone": "+358 (0) 40 - 123 - 45 - 67 / 8 - 9",
    "statement.contact_email": ("leena-kaisa.sampi-vaananen" + "x" * 30 + "@talous.kannus.fi")[
        -parties.EMAIL :
    ],
    "statement.bank_account": "FI21 1234 5600 0007 85",
    "statement.payment_reference": "RF18 5390 0754 7034",
}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_every_field_at_its_longest_is_one_page_with_the_labels_unsqueezed(
    sqlite_ctx, clock, lang
):
    ctx = sqlite_ctx
    clock.set(datetime(2026, 11, 20, 16, 0))
    demo.fill(ctx, months=3, seed=4)
    assert len(LONGEST["statement.contact_phone"]) <= parties.PHONE
    settings.change(ctx, LONGEST, ctx.settings.first.agreement_start)
    _, html = document(ctx, Month(2026, 10), lang)
    pdf = PdfReader(io.BytesIO(statement.render_pdf(html)))
    assert len(pdf.pages) == 1
    page = pdf.pages[0].extract_text()
    t = Translator(lang)
    # The labels keep their column: whole on their line, apart from the
    # value (not wrapped onto three lines; not run together with the value,
    # as "VastaanottajaKansaneläkelaitos" was: see the widths below).
    start = t.date(ctx.settings.first.agreement_start)
    assert f"{t('statement.agreement_start')} {start}" in page
    assert t("statement.responsible") in page
    # Nothing runs off the page: every line ends inside the right margin,
    # and the label column keeps its 50 mm.
    laid = statement.pdf_engine().HTML(string=html).render()
    right, labels = _layout(laid.pages[0]._page_box)
    assert max(right) <= 595.28 - 20 / 25.4 * 72 + 0.5
    assert min(labels) >= 50 / 25.4 * 72 * 96 / 72 - 1


def _layout(page_box):
    """The right edge of every line (in points) and the width of every
    label cell of the statement's head (in CSS pixels)."""
    from weasyprint.formatting_structure import boxes

    right, labels = [], []

    def walk(box, head=False):
        if isinstance(box, boxes.LineBox):
            right.append((box.position_x + box.width) * 72 / 96)
        element = getattr(box, "element", None)
        if isinstance(box, boxes.TableBox) and element is not None:
            head = "head" in element.get("class", "").split()
        if head and isinstance(box, boxes.TableRowBox) and box.children:
            labels.append(box.children[0].width)
        for child in getattr(box, "children", []):
            walk(child, head)

    walk(page_box)
    return right, labels
