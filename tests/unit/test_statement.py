"""The statement: amounts, numbers equal to stats, issuing, revisions, reprints,
languages, PDF, and the export."""

import csv
import io
import json
import re
from datetime import date, datetime

import pytest
from pypdf import PdfReader

from kela_tui import demo, documents, services, statement, statistics
from kela_tui.cli import main
from kela_tui.context import open_context
from kela_tui.errors import BadInput, Refused
from kela_tui.i18n import Translator
from kela_tui.models import Audit, MonthEvent, Service, Statement
from kela_tui.months import Month, is_closed
from tests.conftest import with_point

EN = Translator("en")


@pytest.fixture
def october(ctx, clock):
    clock.set(datetime(2026, 10, 6, 10, 0))
    return ctx


def text_of(ctx, month, lang="en") -> str:
    return statement.document(ctx, Month.parse(month), Translator(lang))[0]


def test_august_2026_is_prorated_with_the_computation(october):
    text = text_of(october, "2026-08")
    assert "17 of 31 days: 17/31 × €300.00 = €164.52" in text
    assert re.search(r"Compensation claimed\s+€164.52", text)


def test_september_2026_is_the_whole_amount(october):
    text = text_of(october, "2026-09", "fi")
    assert re.search(r"Vaadittava korvaus\s+300,00\xa0€", text)
    assert "Kuukausikorvaus 300,00\xa0€, sopimus voimassa koko kuukauden" in text


def test_a_month_with_the_agreement_end(db_url, config, clock):
    clock.set(datetime(2027, 3, 2, 10, 0))
    ctx = open_context(with_point(config, agreement_end=date(2027, 2, 10)), db_url, clock)
    text = text_of(ctx, "2027-02")
    assert "10/28 × €300.00 = €107.14" in text
    with pytest.raises(Refused, match="outside the agreement"):
        text_of(ctx, "2027-03")


def test_a_month_outside_the_agreement_has_no_statement(october, tmp_path, capsys, db_url):
    with pytest.raises(Refused, match="outside the agreement"):
        text_of(october, "2026-07")
    code = main(
        [
            "--config",
            str(tmp_path / "c.toml"),
            "--db",
            db_url,
            "--lang",
            "en",
            "statement",
            "2026-07",
        ],
        clock=october.clock,
    )
    assert code == 3 and "outside the agreement" in capsys.readouterr().err


def test_every_number_equals_stats(october, clock):
    clock.set(datetime(2026, 11, 20, 16, 0))
    demo.fill(october, months=3, seed=4)
    stats = statistics.month_stats(Month(2026, 9), [october.site], october.today())
    text = text_of(october, "2026-09")

    def figure(label: str) -> str:
        return re.search(rf"{re.escape(label)}\s+(.+)$", text, re.M).group(1).strip()

    assert figure("Visits") == EN.number(stats.visits)
    assert figure("Total services") == EN.number(stats.services)
    for code, n in stats.by_category.items():
        assert figure(EN(f"category.{code}")) == EN.number(n)
    assert figure("Completed remote-service sessions") == (
        f"{stats.booth['sessions']} sessions, {stats.booth['minutes']} min"
    )
    for outcome in ("at_counter", "kela_unavailable", "technical_failure", "customer_left"):
        assert figure(EN(f"booth.outcome_{outcome}")) == EN.number(
            stats.booth["outcomes"][outcome]
        )
    assert figure("Documents received") == EN.number(stats.documents["received"])
    assert figure("Forwarded to Kela on time") == EN.number(stats.documents["on_time"])
    assert figure("Customer feedback received") == EN.number(stats.feedback)
    assert figure("Referred to earnings-related pension providers") == EN.number(stats.referrals)


def test_issuing_closes_the_month_and_numbers_it(october):
    services.log_service(october, "advice", at=datetime(2026, 9, 10, 10, 0))
    issued = statement.issue(october, Month(2026, 9), EN)
    assert (issued.number, issued.revision, issued.lang) == ("KANNUS-2026-09", 1, "en")
    assert issued.sha256 == statement.content_hash(issued.text, issued.html)
    assert is_closed(october.site, Month(2026, 9))
    assert "DRAFT" not in issued.text and "revision 1" in issued.text
    with pytest.raises(Refused, match="has been issued"):
        statement.issue(october, Month(2026, 9), EN)


def test_the_current_or_a_future_month_cannot_be_issued(october):
    with pytest.raises(Refused, match="not over yet: its statement can be issued from 1 Nov 2026"):
        statement.issue(october, Month(2026, 10), EN)
    for month in (Month(2026, 11), Month(2027, 1)):
        with pytest.raises(Refused, match="has not begun"):
            statement.issue(october, month, EN)
        with pytest.raises(Refused, match="has not begun"):
            statement.prepare(october, month)
    assert Statement.select().count() == 0


def test_a_closed_month_refuses_every_change(october):
    kept = services.log_service(october, "advice", at=datetime(2026, 9, 10, 10, 0))
    (doc,) = documents.receive_documents(october, "application", at=datetime(2026, 9, 30, 14))
    with pytest.raises(Refused, match="1 document"):
        statement.issue(october, Month(2026, 9), EN)
    # As a month closed by an earlier version, over a document still waiting.
    MonthEvent.create(site=october.site, month="2026-09", action="close", at=datetime(2026, 10, 1))
    refusals = [
        lambda: services.log_service(october, "online", at=datetime(2026, 9, 11, 10, 0)),
        lambda: services.void_service(october, kept.id, "wrong"),
        lambda: services.correct_service(october, kept.id, category_name="online"),
        lambda: documents.forward_documents(october, [doc.receipt]),
        lambda: documents.receive_documents(october, "other", at=datetime(2026, 9, 30, 15)),
    ]
    before = Audit.select().count()
    for change in refusals:
        with pytest.raises(Refused, match="September 2026 is closed"):
            change()
    assert Audit.select().count() == before


def test_reopen_needs_a_reason_and_the_next_issue_is_revision_2(october):
    services.log_service(october, "advice", at=datetime(2026, 9, 10, 10, 0))
    first = statement.issue(october, Month(2026, 9), EN)
    with pytest.raises(BadInput, match="written reason"):
        statement.reopen(october, Month(2026, 9), "  ")
    with pytest.raises(BadInput, match="not closed"):
        statement.reopen(october, Month(2026, 8), "x")
    statement.reopen(october, Month(2026, 9), "a late entry")
    assert MonthEvent.select().where(MonthEvent.action == "reopen").get().reason == "a late entry"
    assert "DRAFT" in text_of(october, "2026-09")
    services.log_service(october, "online", at=datetime(2026, 9, 11, 10, 0))
    second = statement.issue(october, Month(2026, 9), EN)
    assert second.revision == 2 and second.supersedes_id == first.id
    assert "revision 2 (corrects revision 1)" in second.text
    assert "Total services" in second.text and second.sha256 != first.sha256
    assert Statement.get_by_id(first.id).text == first.text


def test_a_reprint_is_identical(october, tmp_path, db_url, capsys):
    services.log_service(october, "advice", at=datetime(2026, 9, 10, 10, 0))
    issued = statement.issue(october, Month(2026, 9), EN)
    october.clock.set(datetime(2027, 1, 15, 10, 0))
    text, html = statement.document(october, Month(2026, 9), EN)
    assert statement.content_hash(text, html) == issued.sha256
    argv = ["--config", str(tmp_path / "c.toml"), "--db", db_url, "--lang", "en"]
    assert main([*argv, "statement", "2026-09"], clock=october.clock) == 0
    assert capsys.readouterr().out == issued.text


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_every_language_renders_without_untranslated_strings(october, lang):
    t = Translator(lang)
    for render in (statement.render_text, statement.render_html):
        out = render(statement.prepare(october, Month(2026, 8)), t)
        assert not re.search(r"\b(statement|category|error)\.[a-z_]+", out)
        assert "{" not in out.replace("{ ", "").split("<style>")[-1].split("</style>")[-1]
    title = {
        "fi": "Yhteispalvelun kuukausiselvitys ja korvausvaatimus",
        "sv": "Samservicens månadsredogörelse",
        "en": "Joint service monthly statement",
    }
    assert title[lang] in statement.render_html(statement.prepare(october, Month(2026, 8)), t)


def test_the_pdf_is_one_a4_page_for_a_demo_month(october, clock):
    clock.set(datetime(2026, 11, 20, 16, 0))
    demo.fill(october, months=3, seed=4)
    _, html = statement.document(october, Month(2026, 9), Translator("fi"))
    pdf = PdfReader(io.BytesIO(statement.render_pdf(html)))
    assert len(pdf.pages) == 1
    box = pdf.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    assert "Vaadittava korvaus" in pdf.pages[0].extract_text()


def test_export_rows_are_the_counted_services(october, clock, tmp_path, db_url, capsys):
    clock.set(datetime(2026, 11, 20, 16, 0))
    demo.fill(october, months=3, seed=5)
    wrong = services.log_service(
        october, "advice", at=datetime(2026, 9, 10, 10, 0), note="asumistuki"
    )
    services.void_service(october, wrong.id, "mistake")
    stats = statistics.month_stats(Month(2026, 9), [october.site], october.today())
    argv = ["--config", str(tmp_path / "c.toml"), "--db", db_url]
    assert main([*argv, "export", "2026-09", "-o", str(tmp_path / "s.csv")], clock=clock) == 0
    raw = (tmp_path / "s.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfservice;site;date;time;weekday;category;")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == stats.services == sum(stats.by_category.values())
    assert str(wrong.id) not in {r["service"] for r in rows}
    assert "asumistuki" not in raw.decode("utf-8-sig")
    assert {r["category"] for r in rows} <= set(stats.by_category)
    assert main([*argv, "export", "2026-09", "--format", "json"], clock=clock) == 0
    assert len(json.loads(capsys.readouterr().out)) == stats.services


def test_issue_and_reopen_through_the_cli(october, tmp_path, db_url, capsys):
    argv = ["--config", str(tmp_path / "c.toml"), "--db", db_url, "--lang", "en"]
    assert main([*argv, "issue", "2026-09"], clock=october.clock) == 0
    assert "KANNUS-2026-09 revision 1 issued" in capsys.readouterr().out
    assert main([*argv, "log", "1", "--at", "2026-09-03T10:00"], clock=october.clock) == 3
    said = capsys.readouterr().err
    assert "September 2026 is closed" in said and "kela-tui reopen 2026-09 --reason" in said
    assert main([*argv, "issue", "2026-10"], clock=october.clock) == 3
    with pytest.raises(SystemExit) as usage:
        main([*argv, "reopen", "2026-09"], clock=october.clock)
    assert usage.value.code == 2
    capsys.readouterr()
    assert main([*argv, "reopen", "2026-09", "--reason", "late"], clock=october.clock) == 0
    assert capsys.readouterr().out.startswith("September 2026 is open again")
    assert main([*argv, "log", "1", "--at", "2026-09-03T10:00"], clock=october.clock) == 0
    assert main([*argv, "issue", "2026-09"], clock=october.clock) == 0
    assert "revision 2 issued" in capsys.readouterr().out
    assert Service.select().count() == 1


def test_statement_formats_through_the_cli(october, tmp_path, db_url, capsys):
    argv = ["--config", str(tmp_path / "c.toml"), "--db", db_url]
    assert (
        main(
            [*argv, "statement", "2026-08", "--format", "html", "-o", str(tmp_path / "s.html")],
            clock=october.clock,
        )
        == 0
    )
    assert "Yhteispalvelun kuukausiselvitys" in (tmp_path / "s.html").read_text(encoding="utf-8")
    assert (
        main(
            [*argv, "statement", "2026-08", "--format", "pdf", "-o", str(tmp_path / "s.pdf")],
            clock=october.clock,
        )
        == 0
    )
    assert (tmp_path / "s.pdf").read_bytes().startswith(b"%PDF")
    assert (
        main(
            [*argv, "statement", "2026-08", "-o", str(tmp_path / "no/such/dir/s.txt")],
            clock=october.clock,
        )
        == 2
    )
    assert "tiedostoa" in capsys.readouterr().err
