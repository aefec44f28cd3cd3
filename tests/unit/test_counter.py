"""Undo, feedback forwarding and the receipt slip (its printing: test_printing.py)."""

from datetime import datetime

import pytest

from kela_tui import documents, feedback, receipts, services
from kela_tui.errors import BadInput, Refused
from kela_tui.i18n import Translator
from kela_tui.models import Feedback, MonthEvent, Service


def test_undo_within_grace_voids_with_reason_undo(ctx, clock):
    service = services.log_service(ctx, "advice")
    clock.advance(seconds=10)
    undone = services.undo(ctx, service.id)
    assert (undone.status, undone.void_reason) == ("voided", "undo")


def test_undo_after_grace_is_refused(ctx, clock):
    service = services.log_service(ctx, "advice")
    clock.advance(seconds=10, microseconds=1)
    with pytest.raises(Refused, match="within 10 seconds"):
        services.undo(ctx, service.id)
    assert Service.get_by_id(service.id).status == "active"


def test_undo_grace_is_configurable(db_url, config, clock):
    from dataclasses import replace

    from kela_tui.context import open_context

    ctx = open_context(replace(config, undo_grace_seconds=60), db_url, clock)
    service = services.log_service(ctx, "advice")
    clock.advance(seconds=59)
    assert services.undo(ctx, service.id).status == "voided"


def test_feedback_waits_until_forwarded(ctx, clock):
    given = feedback.record_feedback(ctx, "Kiitos avusta", "praise")
    assert [f.id for f in feedback.waiting(ctx)] == [given.id]
    clock.advance(hours=1)
    feedback.forward_feedback(ctx, [given.id], method="post")
    assert feedback.waiting(ctx) == []
    assert Feedback.get_by_id(given.id).forward_method == "post"
    with pytest.raises(Refused, match="has already been forwarded"):
        feedback.forward_feedback(ctx, [given.id])
    with pytest.raises(BadInput, match="no feedback number 99"):
        feedback.forward_feedback(ctx, [99])


def test_voided_feedback_does_not_wait(ctx):
    given = feedback.record_feedback(ctx, "Moite", "complaint")
    services.void_service(ctx, given.service_id, "wrong customer")
    assert feedback.waiting(ctx) == []


def test_feedback_kind_and_text_are_checked(ctx):
    with pytest.raises(BadInput, match="unknown kind of feedback"):
        feedback.record_feedback(ctx, "x", "rant")
    with pytest.raises(BadInput, match="too long"):
        feedback.record_feedback(ctx, "x" * 4001)
    assert Feedback.select().count() == 0


def test_forward_items_is_all_or_nothing(ctx, clock):
    (doc,) = documents.receive_documents(ctx, "application")
    given = feedback.record_feedback(ctx, "Kiitos", "praise")
    clock.advance(minutes=5)
    with pytest.raises(BadInput):
        feedback.forward_items(ctx, [doc.receipt], [given.id, 12345])
    assert documents.waiting(ctx) and feedback.waiting(ctx)
    assert feedback.forward_items(ctx, [doc.receipt], [given.id]) == 2


def test_feedback_of_a_closed_month_can_still_be_forwarded(ctx, clock):
    # Forwarding feedback is no figure of the claim: a closed month's feedback
    # still reaches Kela, without reopening the month.
    given = feedback.record_feedback(ctx, "Kiitos", at=datetime(2026, 8, 31, 10, 0))
    MonthEvent.create(site=ctx.site, month="2026-08", action="close", at=datetime(2026, 9, 2))
    assert [item.id for item in feedback.forward_feedback(ctx, [given.id])] == [given.id]
    with pytest.raises(Refused, match="closed"):
        feedback.record_feedback(ctx, "Kiitos", at=datetime(2026, 8, 31, 11, 0))


@pytest.mark.parametrize(
    ("lang", "sentence", "received"),
    [
        (
            "fi",
            "katsotaan saapuneeksi Kelaan samana päivänä",
            "Vastaanotettu: 15.9.2026 klo 10.00",
        ),
        ("sv", "anses ha kommit in till FPA samma dag", "Mottagen: 15.9.2026 kl. 10.00"),
        ("en", "counts as received by Kela on the same day", "Received: 15 Sept 2026 at 10:00"),
    ],
)
def test_the_slip_names_point_time_receipts_and_the_law(ctx, lang, sentence, received):
    docs = documents.receive_documents(ctx, "attachment", 2)
    slip = receipts.slip(ctx, docs, Translator(lang))
    for text in (slip.text, slip.html):
        assert "Kannuksen kaupungin yhteispalvelupiste" in text
        assert "KANNUS-2026-00001" in text and "KANNUS-2026-00002" in text
        assert sentence in text
        assert "434/2003" in text
        # The moment as a sentence writes it, not "15. syyskuuta 2026 10.00".
        assert received in text
    assert slip.html.startswith("<!DOCTYPE html>")
