"""The document register: receipt numbers, deadlines, forwarding, referrals."""

from datetime import date, datetime

import pytest

from kela_tui import documents
from kela_tui.errors import BadInput, Refused
from kela_tui.models import Document, MonthEvent, Referral, Service


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
    with pytest.raises(BadInput, match="no document with receipt KANNUS-2026-00099"):
        documents.forward_documents(ctx, [doc.receipt, "KANNUS-2026-00099"])
    assert Document.get_by_id(doc.id).forwarded_at is None


def test_forwarding_twice_is_refused(ctx):
    (doc,) = documents.receive_documents(ctx, "application")
    documents.forward_documents(ctx, [doc.receipt])
    with pytest.raises(Refused, match="already forwarded"):
        documents.forward_documents(ctx, [doc.receipt])


def test_forwarding_before_receipt_is_refused(ctx):
    (doc,) = documents.receive_documents(ctx, "application")
    with pytest.raises(BadInput, match="before it was received"):
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
