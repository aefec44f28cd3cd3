"""The document register: receipt numbers, deadlines, forwarding, referrals."""

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kela_tui import documents, services
from kela_tui.clock import HELSINKI, from_utc_naive, parse_recent_day
from kela_tui.errors import BadInput, Refused
from kela_tui.models import Audit, Document, MonthEvent, ReceiptCounter, Referral, Service, Visit
from kela_tui.widgets.forms import forwarding_time


def test_receipt_numbers_run_per_site_and_year(ctx, clock):
    first = documents.receive_documents(ctx, "application", 2)
    second = documents.receive_documents(ctx, "attachment")
    assert [d.receipt for d in first + second] == [
        "KANNUS-2026-00001",
        "KANNUS-2026-00002",
        "KANNUS-2026-00003",
    ]
    assert first[0].service_id == first[1].service_id
    assert Service.get_by_id(first[0].service_id).category == "document"
    clock.set(datetime(2027, 1, 4, 10, 0))
    (next_year,) = documents.receive_documents(ctx, "other")
    assert next_year.receipt == "KANNUS-2027-00001"


def test_deadline_is_the_next_working_day(ctx, clock):
    clock.set(datetime(2026, 12, 23, 11, 0))
    (document,) = documents.receive_documents(ctx, "application")
    # 24-26 December are holidays, the 27th a Sunday.
    assert document.deadline == date(2026, 12, 28)


@pytest.mark.parametrize("count", [0, -1, 101])
def test_bad_count_is_refused_and_nothing_written(ctx, count):
    with pytest.raises(BadInput, match="number of documents"):
        documents.receive_documents(ctx, "application", count)
    assert Document.select().count() == 0


@pytest.mark.parametrize("kind", ["pension-application", "pension-rehabilitation"])
def test_excluded_documents_are_refused_with_where_to_send(ctx, kind):
    with pytest.raises(Refused) as caught:
        documents.receive_documents(ctx, kind)
    assert "earnings-related pension provider" in str(caught.value)
    assert Document.select().count() == 0 and Service.select().count() == 0


def test_a_referral_is_counted(ctx):
    referral = documents.refer(ctx, "pension-application")
    assert Referral.select().count() == 1
    assert referral.kind == "pension-application"
    with pytest.raises(BadInput):
        documents.refer(ctx, "application")


def test_identity_code_in_document_note_is_refused(ctx):
    with pytest.raises(Refused, match="identity code"):
        documents.receive_documents(ctx, "application", note="010594Y9021")
    assert Document.select().count() == 0


def test_forwarding(ctx, clock):
    docs = documents.receive_documents(ctx, "application", 2)
    clock.advance(hours=2)
    forwarded = documents.forward_documents(
        ctx, [d.receipt.lower() for d in docs], method="courier"
    )
    assert [d.forward_method for d in forwarded] == ["courier", "courier"]
    assert all(d.forwarded_day == date(2026, 9, 15) for d in forwarded)
    assert documents.waiting(ctx) == []


def test_forwarding_is_all_or_nothing(ctx):
    (doc,) = documents.receive_documents(ctx, "application")
    with pytest.raises(BadInput, match="no document with receipt number KANNUS-2026-00099"):
        documents.forward_documents(ctx, [doc.receipt, "KANNUS-2026-00099"])
    assert Document.get_by_id(doc.id).forwarded_at is None


def test_forwarding_twice_is_refused(ctx):
    (doc,) = documents.receive_documents(ctx, "application")
    documents.forward_documents(ctx, [doc.receipt])
    with pytest.raises(Refused, match="already forwarded"):
        documents.forward_documents(ctx, [doc.receipt])


def test_forwarding_before_receipt_is_refused(ctx):
    (doc,) = documents.receive_documents(ctx, "application")
    with pytest.raises(
        BadInput, match="received on 15 Sept 2026 at 10:00: it cannot be forwarded"
    ):
        documents.forward_documents(ctx, [doc.receipt], at=datetime(2026, 9, 15, 9, 0))


def test_forwarding_a_document_of_a_closed_month_is_refused(ctx, clock):
    (doc,) = documents.receive_documents(ctx, "application", at=datetime(2026, 8, 31, 14, 0))
    MonthEvent.create(site=ctx.site, month="2026-08", action="close", at=datetime(2026, 9, 2))
    with pytest.raises(Refused, match="closed"):
        documents.forward_documents(ctx, [doc.receipt])


def test_waiting_lists_oldest_deadline_first(ctx, clock):
    later = documents.receive_documents(ctx, "application")[0]
    earlier = documents.receive_documents(ctx, "other", at=datetime(2026, 9, 10, 10, 0))[0]
    assert [d.id for d in documents.waiting(ctx)] == [earlier.id, later.id]


def test_voiding_a_document_service_voids_its_documents(ctx):
    from kela_tui import services

    docs = documents.receive_documents(ctx, "application", 2)
    services.void_service(ctx, docs[0].service_id, "wrong customer")
    assert {d.status for d in Document.select()} == {"voided"}
    assert documents.waiting(ctx) == []


# Bundles: what one customer hands in at once.


def test_a_bundle_is_one_service_with_consecutive_receipts_in_the_order_given(ctx):
    documents.receive_documents(ctx, "other")
    bundle = documents.receive_bundle(
        ctx, [("application", 1), ("attachment", 2)], note="asumistuki"
    )
    after = documents.receive_documents(ctx, "attachment")
    assert [(d.receipt, d.kind) for d in bundle] == [
        ("KANNUS-2026-00002", "application"),
        ("KANNUS-2026-00003", "attachment"),
        ("KANNUS-2026-00004", "attachment"),
    ]
    assert after[0].number == 5
    assert {d.service_id for d in bundle} == {bundle[0].service_id}
    service = Service.get_by_id(bundle[0].service_id)
    assert service.category == "document" and service.note == "asumistuki"
    assert Service.select().count() == 3 and Visit.select().count() == 3
    assert {d.note for d in bundle} == {"asumistuki"}
    assert {d.deadline for d in bundle} == {date(2026, 9, 16)}
    assert ReceiptCounter.get().last == 5


def test_every_document_of_a_bundle_and_its_service_are_audited(ctx):
    bundle = documents.receive_bundle(ctx, [("application", 1), ("other", 2)])
    audited = {(a.entity, a.entity_id) for a in Audit.select().where(Audit.action == "create")}
    assert {("document", d.id) for d in bundle} <= audited
    assert ("service", bundle[0].service_id) in audited
    assert ("visit", Service.get_by_id(bundle[0].service_id).visit_id) in audited


def test_a_bundle_into_a_closed_month_is_refused_and_uses_no_number(ctx, clock):
    documents.receive_documents(ctx, "other", at=datetime(2026, 8, 31, 10, 0))
    MonthEvent.create(site=ctx.site, month="2026-08", action="close", at=datetime(2026, 9, 1))
    with pytest.raises(Refused, match="closed"):
        documents.receive_bundle(
            ctx, [("application", 1), ("attachment", 2)], at=datetime(2026, 8, 31, 11, 0)
        )
    assert Document.select().count() == 1 and Service.select().count() == 1
    (next_one,) = documents.receive_documents(ctx, "application")
    assert next_one.receipt == "KANNUS-2026-00002"


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([], "nothing to receive"),
        ([("application", 0)], "from 1 to 100, not 0"),
        ([("application", 1), ("attachment", -2)], "not -2"),
        ([("application", True)], "not True"),
        ([("application", "2")], "not 2"),
        ([("application", 60), ("attachment", 41)], "at most 100 documents, not 101"),
        ([("application", 1), ("poem", 1)], "unknown document type 'poem'"),
    ],
)
def test_a_bad_bundle_is_refused_whole(ctx, lines, message):
    with pytest.raises(BadInput, match=message):
        documents.receive_bundle(ctx, lines)
    assert Document.select().count() == 0 and Service.select().count() == 0
    assert ReceiptCounter.select().count() == 0


def test_an_excluded_kind_refuses_the_whole_bundle(ctx):
    with pytest.raises(Refused, match="earnings-related pension provider"):
        documents.receive_bundle(ctx, [("application", 1), ("pension-application", 1)])
    assert Document.select().count() == 0 and Referral.select().count() == 0


def test_the_counter_receives_a_bundle_and_refers_the_excluded_kinds_in_one_visit(ctx):
    intake = documents.take_in(
        ctx,
        [("application", 1), ("pension-application", 2), ("attachment", 1)],
        refer_excluded=True,
    )
    assert [d.kind for d in intake.documents] == ["application", "attachment"]
    (referral,) = intake.referrals
    assert referral.kind == "pension-application"
    assert referral.visit_id == Service.get_by_id(intake.documents[0].service_id).visit_id
    only = documents.take_in(ctx, [("pension-rehabilitation", 1)], refer_excluded=True)
    assert only.documents == [] and only.referrals[0].visit_id is None
    assert Service.select().count() == 1


def test_a_refused_intake_writes_no_referral_either(ctx):
    with pytest.raises(Refused, match="identity code"):
        documents.take_in(
            ctx,
            [("application", 1), ("pension-application", 1)],
            note="131052-308T",
            refer_excluded=True,
        )
    assert Referral.select().count() == 0 and Document.select().count() == 0


# Receipt numbers on the rows, and a copy of a slip.


def test_rows_show_their_receipt_numbers_short():
    assert documents.short_receipts([]) == ""
    assert documents.short_receipts([(2026, 12)]) == "2026-00012"
    assert documents.short_receipts([(2026, 14), (2026, 12), (2026, 13)]) == "2026-00012–00014"
    assert documents.short_receipts([(2026, 12), (2026, 15)]) == "2026-00012, 2026-00015"


def test_receipts_by_service(ctx):
    first = documents.receive_bundle(ctx, [("application", 1), ("attachment", 2)])
    (second,) = documents.receive_documents(ctx, "other")
    shown = documents.receipts_by_service(ctx, [first[0].service_id, second.service_id])
    assert shown == {first[0].service_id: "2026-00001–00003", second.service_id: "2026-00004"}
    assert documents.receipts_by_service(ctx, []) == {}


def test_the_bundle_of_a_row_for_a_copy(ctx):
    bundle = documents.receive_bundle(ctx, [("application", 1), ("attachment", 2)])
    again = documents.bundle_of(ctx, bundle[0].service_id)
    assert [d.receipt for d in again] == [d.receipt for d in bundle]
    advice = services.log_service(ctx, "advice")
    with pytest.raises(BadInput, match="this row is Advice on Kela matters"):
        documents.bundle_of(ctx, advice.id)
    with pytest.raises(BadInput, match="no service number 999"):
        documents.bundle_of(ctx, 999)
    new = services.correct_service(ctx, bundle[0].service_id, note="korjattu")
    with pytest.raises(Refused, match="corrected row"):
        documents.bundle_of(ctx, bundle[0].service_id)
    assert len(documents.bundle_of(ctx, new.id)) == 3
    services.void_service(ctx, new.id, "väärä asiakas")
    with pytest.raises(Refused, match="were voided"):
        documents.bundle_of(ctx, new.id)


# Finding a receipt by its number.


def test_find_a_receipt_by_its_number_or_part_of_it(ctx, clock):
    documents.receive_bundle(ctx, [("application", 1), ("attachment", 11)])
    clock.set(datetime(2027, 1, 4, 10, 0))
    documents.receive_documents(ctx, "other", 12)

    def found(query):
        result = documents.find_receipts(ctx, query)
        return result.total, [d.receipt for d in result.documents]

    assert found("2026-00012") == (1, ["KANNUS-2026-00012"])
    assert found("  kannus-2027-00001 ") == (1, ["KANNUS-2027-00001"])
    total, receipts = found("00012")
    assert total == 2 and receipts == ["KANNUS-2027-00012", "KANNUS-2026-00012"]
    assert found("0001")[0] == 2 + 3 + 3  # 00001, 00010-00012 of both years
    assert found("2028") == (0, [])
    assert found("_") == (0, [])  # a literal underscore, no LIKE wildcard


def test_a_search_lists_at_most_the_newest_fifty(ctx):
    documents.receive_documents(ctx, "attachment", 60)
    result = documents.find_receipts(ctx, "kannus")
    assert result.total == 60 and len(result.documents) == documents.MAX_FOUND
    assert result.documents[0].receipt == "KANNUS-2026-00060"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "type a receipt number"),
        ("   ", "type a receipt number"),
        ("[/]", r"not '\[/\]'"),
        ("%", "not '%'"),
        ("2026 00012", "only letters, digits"),
        ("00012\x1b[2J", "only letters, digits"),
        pytest.param("x" * 1_000_000, "only letters, digits", id="1MB"),
        ("0" * 65, "only letters, digits"),
    ],
)
def test_a_search_for_what_no_receipt_holds_says_so(ctx, query, message):
    documents.receive_documents(ctx, "application")
    with pytest.raises(BadInput, match=message) as caught:
        documents.find_receipts(ctx, query)
    assert len(str(caught.value)) < 300


@pytest.mark.parametrize("query", ["131052-308T", "hetu 131052-308T", "131052-308U"])
def test_an_identity_code_searched_for_is_refused_and_not_said_back(ctx, query):
    with pytest.raises(Refused, match="The search contains") as caught:
        documents.find_receipts(ctx, query)
    assert "131052" not in str(caught.value)


# A day typed the Finnish way.

TODAY = date(2026, 11, 27)


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("1.9.", date(2026, 9, 1)),
        ("1.9", date(2026, 9, 1)),
        (" 01.09. ", date(2026, 9, 1)),
        ("27.11.", date(2026, 11, 27)),
        ("1.12.", date(2025, 12, 1)),
        ("29.2.", date(2024, 2, 29)),
        ("1.9.2026", date(2026, 9, 1)),
        ("1.9.2026.", date(2026, 9, 1)),
        ("2026-09-01", date(2026, 9, 1)),
        ("1.12.2026", date(2026, 12, 1)),
    ],
)
def test_a_day_typed_the_finnish_way(typed, day):
    assert parse_recent_day(typed, TODAY) == day


def test_a_day_without_its_year_in_january_is_last_december():
    assert parse_recent_day("20.12.", date(2027, 1, 5)) == date(2026, 12, 20)


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "1.13.",
        "1",
        "1..9",
        "[/]",
        "1.9.\x1b",
        "\x00",
        pytest.param("x" * 1_000_000, id="1MB"),
    ],
)
def test_a_day_that_is_no_day_is_refused(typed):
    with pytest.raises(BadInput, match="enter a day like 1.9., 1.9.2026") as caught:
        parse_recent_day(typed, TODAY)
    assert len(str(caught.value)) < 200


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)), st.data())
def test_every_day_typed_any_way_is_that_day(day, data):
    today = data.draw(st.dates(min_value=day, max_value=day + timedelta(days=300)))
    for typed in (f"{day.day}.{day.month}.{day.year}", f"{day:%d.%m.%Y}", day.isoformat()):
        assert parse_recent_day(typed, today) == day
    # Without its year: the latest such day not after today.
    recent = parse_recent_day(f"{day.day}.{day.month}.", today)
    assert (recent.month, recent.day) == (day.month, day.day)
    assert recent <= today and (today - recent).days < 366 + 365 * 3


@given(st.text(max_size=30))
def test_any_text_is_a_day_or_a_clear_refusal(typed):
    try:
        parse_recent_day(typed, TODAY)
    except BadInput as error:
        assert error.key in ("bad_recent_day", "no_such_day", "day_out_of_range")


@pytest.mark.parametrize("typed", ["31.2.", "29.2.2027", "31.4.2026", "2026-02-30", "30.2"])
def test_a_day_not_in_the_calendar_is_said_to_be_so(typed):
    # A stranger got "expected a day like…" for 31.2.: written right, no such day.
    with pytest.raises(BadInput) as caught:
        parse_recent_day(typed, TODAY)
    assert caught.value.key == "no_such_day"


# The time of forwarding, typed for earlier today.

NOW = datetime(2026, 9, 15, 14, 30, 20, tzinfo=HELSINKI)


@pytest.mark.parametrize(
    ("typed", "at"),
    [
        ("14:30", NOW),  # this minute: now
        ("14.29", NOW.replace(minute=29, second=59)),
        ("8:05", NOW.replace(hour=8, minute=5, second=59)),
        (" 00:00 ", NOW.replace(hour=0, minute=0, second=59)),
    ],
)
def test_a_forwarding_time_earlier_today(typed, at):
    assert forwarding_time(typed, NOW) == at


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("14:31", "it is not 14:31 yet: give a time today, no later than now \\(14:30\\)"),
        ("23:59", "it is not 23:59 yet"),
        ("24:00", "enter a time like 10:30"),
        ("", "enter a time like 10:30"),
        ("[/]", "enter a time like 10:30, not '\\[/\\]'"),
        ("1\x1b:0", "enter a time like 10:30"),
    ],
)
def test_a_forwarding_time_that_cannot_be_is_refused(typed, message):
    with pytest.raises(BadInput, match=message):
        forwarding_time(typed, NOW)


def test_forwarding_earlier_today_but_not_before_the_receipt(ctx, clock):
    (early,) = documents.receive_documents(ctx, "application", at=datetime(2026, 9, 15, 8, 10))
    (late,) = documents.receive_documents(ctx, "attachment")  # 10:00:00
    clock.set(datetime(2026, 9, 15, 14, 30, 20))
    now = ctx.now()
    with pytest.raises(
        BadInput, match="received on 15 Sept 2026 at 10:00: it cannot be forwarded"
    ):
        documents.forward_documents(
            ctx, [early.receipt, late.receipt], at=forwarding_time("9:59", now)
        )
    assert Document.select().where(Document.forwarded_at.is_null(False)).count() == 0
    documents.forward_documents(
        ctx, [early.receipt, late.receipt], at=forwarding_time("10:00", now)
    )
    forwarded = {d.receipt: d for d in Document.select()}
    assert from_utc_naive(forwarded[late.receipt].forwarded_at) == datetime(
        2026, 9, 15, 10, 0, 59, tzinfo=HELSINKI
    )
    assert forwarded[late.receipt].forwarded_day == date(2026, 9, 15)


@pytest.mark.parametrize(("lang", "word"), [("fi", "KOPIO"), ("sv", "KOPIA"), ("en", "COPY")])
def test_a_copy_of_a_slip_says_it_is_one_in_each_language(sqlite_ctx, lang, word):
    from kela_tui import receipts
    from kela_tui.i18n import Translator

    bundle = documents.receive_bundle(sqlite_ctx, [("application", 1), ("attachment", 2)])
    first = receipts.slip(sqlite_ctx, bundle, Translator(lang))
    copy = receipts.slip(sqlite_ctx, bundle, Translator(lang), copy=True)
    assert "KOPI" not in first.text + first.html and "COPY" not in first.text + first.html
    marks = {"fi": "KOPIO", "sv": "KOPIA", "en": "COPY"}
    mark = " · ".join([word] + [m for m in marks.values() if m != word])
    assert copy.text.splitlines()[0].endswith(mark) and f'class="copy">{mark}<' in copy.html
    assert copy.name == "kuitti-KANNUS-2026-00001-kopio"
    made = {
        "fi": "Kopio tulostettu 15.9.2026 klo 10.00",
        "sv": "Kopian utskriven 15.9.2026 kl. 10.00",
        "en": "Copy printed 15 Sept 2026 at 10:00",
    }[lang]
    assert made in copy.text and made in copy.html
    for slip in (first, copy):
        assert all(d.receipt in slip.text and d.receipt in slip.html for d in bundle)
