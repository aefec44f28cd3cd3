"""The document register: receipt numbers, forwarding deadlines, forwarding,
and referrals for the kinds the agreement excludes."""

from __future__ import annotations

from datetime import datetime

from peewee import IntegrityError

from kela_tui import audit, text
from kela_tui.catalogue import DOCUMENT_KINDS, EXCLUDED_DOCUMENTS
from kela_tui.clock import from_utc_naive, to_utc_naive
from kela_tui.context import Context
from kela_tui.errors import BadInput, Refused
from kela_tui.i18n import Msg
from kela_tui.models import Document, ReceiptCounter, Referral
from kela_tui.services import (
    acting,
    check_moment,
    check_open_month,
    create_service,
    visit_for,
)

MAX_COUNT = 100
FORWARD_METHODS = ("secure-mail", "courier", "post", "other")


def receipt_code(site_code: str, year: int, number: int) -> str:
    return f"{site_code}-{year}-{number:05d}"


def check_kind(kind: str) -> None:
    if kind in EXCLUDED_DOCUMENTS:
        raise Refused("excluded_document", kind=Msg(f"document.{kind}"))
    if kind not in DOCUMENT_KINDS:
        raise BadInput("unknown_document_kind", kind=kind, choices=", ".join(DOCUMENT_KINDS))


def receive_documents(
    ctx: Context,
    kind: str,
    count: int = 1,
    *,
    at: datetime | None = None,
    staff=None,
    note: str | None = None,
    visit_of: int | None = None,
) -> list[Document]:
    """Receive `count` documents handed in at the counter: one `document`
    service, and a receipt number and forwarding deadline for each document.
    A document handed in here counts as received by Kela on this day."""
    check_kind(kind)
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_COUNT:
        raise BadInput("bad_count", count=count, most=MAX_COUNT)
    who = acting(ctx, staff)
    note = text.clean(note, Msg("field.note"), most=text.NOTE)
    when = check_moment(ctx, at)
    with ctx.writing():
        check_open_month(ctx, when.date(), new=True)
        deadline = ctx.calendar.forwarding_deadline(when.date())
        visit = visit_for(ctx, visit_of, when, who)
        service = create_service(ctx, "document", when, who, visit, note)
        numbers = allocate_receipts(ctx, when.year, count)
        documents = []
        for number in numbers:
            document = Document.create(
                service=service,
                year=when.year,
                number=number,
                receipt=receipt_code(ctx.site.code, when.year, number),
                kind=kind,
                note=note,
                deadline=deadline,
                **ctx.stamp(when, who),
            )
            audit.record(ctx, document, "create", who)
            documents.append(document)
    return documents


def allocate_receipts(ctx: Context, year: int, count: int) -> range:
    """The next `count` receipt numbers of the site and year. The counter row is
    locked by the update until the transaction ends, so numbers stay gapless
    and unique with many workstations."""
    where = (ReceiptCounter.site == ctx.site) & (ReceiptCounter.year == year)
    if not ReceiptCounter.update(last=ReceiptCounter.last + count).where(where).execute():
        try:
            with ctx.db.atomic():
                ReceiptCounter.create(site=ctx.site, year=year, last=count)
        except IntegrityError:
            ReceiptCounter.update(last=ReceiptCounter.last + count).where(where).execute()
    last = ReceiptCounter.get(where).last
    return range(last - count + 1, last + 1)


def refer(
    ctx: Context,
    kind: str,
    *,
    at: datetime | None = None,
    staff=None,
    visit_of: int | None = None,
) -> Referral:
    """Count a customer sent to their earnings-related pension provider with a
    document the point may not receive."""
    if kind not in EXCLUDED_DOCUMENTS:
        raise BadInput("unknown_referral", kind=kind, choices=", ".join(EXCLUDED_DOCUMENTS))
    who = acting(ctx, staff)
    when = check_moment(ctx, at)
    with ctx.writing():
        check_open_month(ctx, when.date(), new=True)
        visit = visit_for(ctx, visit_of, when, who) if visit_of else None
        referral = Referral.create(kind=kind, visit=visit, **ctx.stamp(when, who))
        audit.record(ctx, referral, "create", who)
    return referral


def find_document(ctx: Context, receipt: str) -> Document:
    document = Document.get_or_none(
        (Document.receipt == receipt.strip().upper()) & (Document.site == ctx.site)
    )
    if document is None or document.status != "active":
        raise BadInput("unknown_receipt", receipt=receipt)
    return document


def forward_documents(
    ctx: Context,
    receipts: list[str],
    *,
    at: datetime | None = None,
    method: str = "secure-mail",
    staff=None,
) -> list[Document]:
    """Mark documents forwarded to Kela. All or none: one bad receipt refuses
    the whole batch."""
    if not receipts:
        raise BadInput("no_receipts")
    check_method(method)
    who = acting(ctx, staff)
    when = check_moment(ctx, at)
    with ctx.writing():
        documents = []
        for receipt in dict.fromkeys(r.strip().upper() for r in receipts):
            document = find_document(ctx, receipt)
            if document.forwarded_at is not None:
                raise Refused(
                    "already_forwarded",
                    receipt=document.receipt,
                    when=from_utc_naive(document.forwarded_at).strftime("%Y-%m-%d %H:%M"),
                )
            if to_utc_naive(when) < document.at:
                raise BadInput("forward_before_receipt", receipt=document.receipt)
            # The day is kept too: "on time" compares it with the deadline in SQL.
            mark_forwarded(ctx, document, when, method, who, forwarded_day=when.date())
            documents.append(document)
    return documents


def check_method(method: str) -> None:
    if method not in FORWARD_METHODS:
        raise BadInput("unknown_method", method=method, choices=", ".join(FORWARD_METHODS))


def mark_forwarded(ctx: Context, row, when: datetime, method: str, staff, **extra) -> None:
    """Record that a document or feedback went to Kela, inside the caller's
    transaction. A document is refused when the month it was received in is
    closed: the claim counts documents forwarded and forwarded on time.
    Feedback is not counted so, and goes to Kela whatever the month."""
    if isinstance(row, Document):
        check_open_month(ctx, row.day)
    before = audit.snapshot(row)
    row.forwarded_at = to_utc_naive(when)
    row.forward_method = method
    row.forwarded_by = staff
    for name, value in extra.items():
        setattr(row, name, value)
    row.save()
    audit.record(ctx, row, "forward", staff, before)


def waiting(ctx: Context) -> list[Document]:
    """Documents not yet forwarded, oldest deadline first."""
    return list(
        Document.select()
        .where(
            (Document.site == ctx.site)
            & (Document.status == "active")
            & Document.forwarded_at.is_null()
        )
        .order_by(Document.deadline, Document.number)
    )
