"""The document register: receipt numbers, forwarding deadlines, forwarding,
and referrals for the kinds the agreement excludes."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import datetime

from peewee import IntegrityError

from kela_tui import audit, privacy, text
from kela_tui.catalogue import DOCUMENT_KINDS, EXCLUDED_DOCUMENTS
from kela_tui.clock import from_utc_naive, to_utc_naive
from kela_tui.context import Context
from kela_tui.errors import BadInput, Refused
from kela_tui.i18n import Msg
from kela_tui.models import Document, ReceiptCounter, Referral, Service
from kela_tui.services import (
    acting,
    check_id,
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


def check_count(count: object) -> int:
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_COUNT:
        raise BadInput("bad_count", count=count, most=MAX_COUNT)
    return count


@dataclass(frozen=True)
class Intake:
    """What one customer handed in at once: the documents received (one
    receipt, one slip) and the referrals for the kinds the point may not take."""

    documents: list[Document]
    referrals: list[Referral]


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
    """Receive `count` documents of one type handed in at the counter."""
    return receive_bundle(ctx, [(kind, count)], at=at, staff=staff, note=note, visit_of=visit_of)


def receive_bundle(
    ctx: Context,
    lines: list[tuple[str, int]],
    *,
    at: datetime | None = None,
    staff=None,
    note: str | None = None,
    visit_of: int | None = None,
) -> list[Document]:
    """Receive a bundle handed in at once, `lines` of (type, count): one
    `document` service, and for each document a receipt number (running on
    without gaps in the order of the lines) and a forwarding deadline. A
    document handed in here counts as received by Kela on this day. An
    excluded kind refuses the whole bundle."""
    return take_in(ctx, lines, at=at, staff=staff, note=note, visit_of=visit_of).documents


def take_in(
    ctx: Context,
    lines: list[tuple[str, int]],
    *,
    at: datetime | None = None,
    staff=None,
    note: str | None = None,
    visit_of: int | None = None,
    refer_excluded: bool = False,
) -> Intake:
    """Receive a bundle as `receive_bundle` does; with `refer_excluded` (the
    counter's form), a line of an excluded kind is not received but counts a
    referral of the same visit instead, one per kind, in the same transaction."""
    received, referred = _check_lines(lines, refer_excluded)
    total = sum(count for _, count in received)
    who = acting(ctx, staff)
    note = text.clean(note, Msg("field.note"), most=text.NOTE)
    when = check_moment(ctx, at)
    with ctx.writing():
        check_open_month(ctx, when.date(), new=True)
        documents: list[Document] = []
        visit = visit_for(ctx, visit_of, when, who) if received or visit_of else None
        if received:
            deadline = ctx.calendar.forwarding_deadline(when.date())
            service = create_service(ctx, "document", when, who, visit, note)
            numbers = iter(allocate_receipts(ctx, when.year, total))
            for kind, count in received:
                for number in itertools.islice(numbers, count):
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
        referrals = [_referral(ctx, kind, when, who, visit) for kind in referred]
    return Intake(documents, referrals)


def _check_lines(
    lines: list[tuple[str, int]], refer_excluded: bool
) -> tuple[list[tuple[str, int]], list[str]]:
    """The lines to receive and the kinds to refer, each line checked."""
    received: list[tuple[str, int]] = []
    referred: list[str] = []
    for kind, count in lines:
        if refer_excluded and kind in EXCLUDED_DOCUMENTS:
            check_count(count)
            if kind not in referred:
                referred.append(kind)
            continue
        check_kind(kind)
        received.append((kind, check_count(count)))
    total = sum(count for _, count in received)
    if not received and not referred:
        raise BadInput("empty_bundle")
    if total > MAX_COUNT:
        raise BadInput("bundle_too_big", count=total, most=MAX_COUNT)
    return received, referred


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
        return _referral(ctx, kind, when, who, visit)


def _referral(ctx: Context, kind: str, when: datetime, who, visit) -> Referral:
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
                    when=from_utc_naive(document.forwarded_at),
                )
            if to_utc_naive(when) < document.at:
                raise BadInput(
                    "forward_before_receipt",
                    receipt=document.receipt,
                    received=from_utc_naive(document.at),
                )
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


def bundle_of(ctx: Context, service_id: int) -> list[Document]:
    """The documents received with the document service `service_id`, for a
    copy of their slip."""
    service = Service.get_or_none(
        (Service.id == check_id(service_id)) & (Service.site == ctx.site)
    )
    if service is None:
        raise BadInput("unknown_service", id=service_id)
    if service.category != "document":
        raise BadInput("no_slip", service=Msg(f"category.{service.category}"))
    if service.status != "active":
        raise Refused(f"slip_{service.status}")
    return list(service.documents.order_by(Document.number))


def short_receipts(numbers: list[tuple[int, int]]) -> str:
    """(year, number) pairs as a row shows them, without the point's code:
    2026-00012, or a bundle's run 2026-00012–00014."""
    if not numbers:
        return ""
    numbers = sorted(numbers)
    (year, first), (last_year, last) = numbers[0], numbers[-1]
    if len(numbers) == 1:
        return f"{year}-{first:05d}"
    if last_year == year and last - first + 1 == len(numbers):
        return f"{year}-{first:05d}–{last:05d}"
    return ", ".join(f"{y}-{n:05d}" for y, n in numbers)


def receipts_by_service(ctx: Context, service_ids: list[int]) -> dict[int, str]:
    """The receipt numbers of each of these document services, as a row of
    the daily log shows them."""
    if not service_ids:
        return {}
    found: dict[int, list[tuple[int, int]]] = {}
    query = (
        Document.select(Document.service, Document.year, Document.number)
        .where((Document.site == ctx.site) & Document.service.in_(service_ids))
        .tuples()
    )
    for service_id, year, number in query:
        found.setdefault(service_id, []).append((year, number))
    return {service_id: short_receipts(numbers) for service_id, numbers in found.items()}


# A receipt number is the point's code (capitals, digits, - and _), the year
# and the running number: a search takes any part of one.
_RECEIPT_PART = re.compile(r"[A-Z0-9_-]+", re.ASCII)
MAX_FOUND = 50
_RECEIPT_LENGTH = 64


@dataclass(frozen=True)
class Found:
    """The newest documents whose receipt matched, and how many matched."""

    documents: list[Document]
    total: int


def find_receipts(ctx: Context, query: str) -> Found:
    """Documents of this point whose receipt number contains `query`, in any
    case (`00012`, `2026-00012`, `kannus-2026-00012`), newest first; voided
    ones too, since a customer may bring their slip."""
    wanted = query.strip().upper()
    if not wanted:
        raise BadInput("receipt_query_empty")
    # Refused without being said back: a search is no place for one either.
    privacy.guard(query, Msg("register.search_field"))
    if len(wanted) > _RECEIPT_LENGTH or not _RECEIPT_PART.fullmatch(wanted):
        shown = query.strip()
        raise BadInput("receipt_query", value=shown if len(shown) <= 40 else f"{shown[:40]}…")
    matched = (Document.site == ctx.site) & Document.receipt.contains(wanted)
    total = Document.select().where(matched).count()
    documents = list(
        Document.select(Document, Service)
        .join(Service)
        .where(matched)
        .order_by(Document.year.desc(), Document.number.desc())
        .limit(MAX_FOUND)
    )
    return Found(documents, total)
