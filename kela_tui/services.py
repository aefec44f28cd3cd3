"""Logging, adding to a visit, voiding and correcting services. The command
line and the screens call these same functions."""

from __future__ import annotations

from datetime import datetime, timedelta

from peewee import fn

from kela_tui import audit, text
from kela_tui.catalogue import Category, category
from kela_tui.clock import from_utc_naive, to_local, to_utc_naive, utc
from kela_tui.context import Context
from kela_tui.errors import BadInput, Refused
from kela_tui.i18n import Msg
from kela_tui.models import Document, Service, Staff, Visit
from kela_tui.months import Month, is_closed

# These categories carry a register entry of their own and are logged through
# their own function, so that no document goes without a receipt number.
OWN_FUNCTION = {"document": "doc receive", "feedback": "feedback"}
# A clock a little ahead on another workstation is not "the future".
FUTURE_TOLERANCE = timedelta(minutes=1)


def check_moment(ctx: Context, at: datetime | None) -> datetime:
    """The time of a new or changed record, checked against the rules on
    dates. Whether its month is open is checked inside the write transaction
    (`check_open_month`)."""
    now = ctx.now()
    at = now if at is None else to_local(at)
    if utc(at) > utc(now) + FUTURE_TOLERANCE:
        raise Refused("future", at=at)
    ctx.refresh()
    check_agreement(ctx, at.date())
    return at


def check_agreement(ctx: Context, day) -> None:
    agreement = ctx.settings.on(day)
    if day < agreement.agreement_start:
        raise Refused("before_agreement", day=day, start=agreement.agreement_start)
    if agreement.agreement_end and day > agreement.agreement_end:
        raise Refused("after_agreement", day=day, end=agreement.agreement_end)


def check_open_month(ctx: Context, day, *, new: bool = False) -> None:
    """Refuse a write into a closed month. Called inside the write transaction:
    the month's lock is taken first, so the month cannot be closed between
    this check and the commit (closing takes the same lock exclusively). The
    point's settings are brought up to date here too, so that what the write
    computes from them (the outside-hours mark, a deadline) and, for a `new`
    record on `day`, the agreement's dates are as the database has them now,
    whatever another workstation changed."""
    month = Month.of(day)
    ctx.lock_month(month)
    ctx.refresh()
    if is_closed(ctx.site, month):
        raise Refused("month_closed", month=month)
    if new:
        check_agreement(ctx, day)


def acting(ctx: Context, staff: Staff | str | None) -> Staff:
    return staff if isinstance(staff, Staff) else ctx.staff_member(staff)


def log_service(
    ctx: Context,
    name: str | Category,
    *,
    at: datetime | None = None,
    staff: Staff | str | None = None,
    note: str | None = None,
    visit_of: int | None = None,
    origin: str = "counter",
    duration_seconds: int | None = None,
) -> Service:
    """Log one service: a new visit, or one more service in the visit of
    service `visit_of`. Outside office hours it is logged and marked."""
    cat = name if isinstance(name, Category) else category(name)
    if cat.code in OWN_FUNCTION:
        raise BadInput("own_function", category=cat.code, command=OWN_FUNCTION[cat.code])
    who = acting(ctx, staff)
    note = text.clean(note, Msg("field.note"), most=text.NOTE)
    when = check_moment(ctx, at)
    with ctx.writing():
        check_open_month(ctx, when.date(), new=True)
        visit = visit_for(ctx, visit_of, when, who)
        return create_service(ctx, cat.code, when, who, visit, note, origin, duration_seconds)


def visit_for(ctx: Context, visit_of: int | None, at: datetime, staff: Staff) -> Visit:
    """The visit of service `visit_of`, or a new visit at `at`."""
    if visit_of is None:
        return new_visit(ctx, at, staff)
    earlier = Service.get_or_none((Service.id == check_id(visit_of)) & (Service.site == ctx.site))
    if earlier is None:
        raise BadInput("unknown_service", id=visit_of)
    if earlier.status != "active":
        raise Refused("service_not_active", id=visit_of)
    if earlier.day != at.date():
        raise BadInput("visit_other_day", id=visit_of)
    return earlier.visit


def new_visit(ctx: Context, at: datetime, staff: Staff, audits: list | None = None) -> Visit:
    """A new visit, audited; or its audit entry added to `audits`, for the
    caller to write with others in one statement."""
    visit = Visit.create(outside_hours=not ctx.calendar.is_office_open(at), **ctx.stamp(at, staff))
    _audit(ctx, visit, "create", staff, audits)
    return visit


def _audit(ctx: Context, row, action: str, staff: Staff, audits: list | None) -> None:
    if audits is None:
        audit.record(ctx, row, action, staff)
    else:
        audits.append(audit.entry(ctx, row, action, staff))


# Record numbers are 64-bit integers in the database.
MAX_ID = 2**63 - 1


def check_id(number: int, unknown: str = "unknown_service") -> int:
    """A record number as the database can hold it; anything else is unknown."""
    if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= MAX_ID:
        raise BadInput(unknown, id=number)
    return number


def create_service(
    ctx: Context,
    code: str,
    at: datetime,
    staff: Staff,
    visit: Visit,
    note: str | None = None,
    origin: str = "counter",
    duration_seconds: int | None = None,
    replaces: Service | None = None,
    entered_later: bool = False,
    audits: list | None = None,
) -> Service:
    """Insert a service inside the caller's transaction and audit it (or add
    its audit entry to `audits`, as `new_visit` does)."""
    service = Service.create(
        visit=visit,
        category=code,
        note=note or None,
        origin=origin,
        duration_seconds=duration_seconds,
        outside_hours=not ctx.calendar.is_office_open(at),
        replaces=replaces,
        entered_later=entered_later,
        **ctx.stamp(at, staff),
    )
    _audit(ctx, service, "correct" if replaces else "create", staff, audits)
    return service


def active_service(ctx: Context, service_id: int) -> Service:
    service = Service.get_or_none(
        (Service.id == check_id(service_id)) & (Service.site == ctx.site)
    )
    if service is None:
        raise BadInput("unknown_service", id=service_id)
    if service.status != "active":
        raise Refused("service_not_active", id=service_id)
    return service


def void_service(
    ctx: Context, service_id: int, reason: str, *, staff: Staff | str | None = None
) -> Service:
    """Void a mistaken entry. It stays in the database, marked, with the reason."""
    reason = text.clean(
        reason,
        Msg("field.reason"),
        most=text.REASON,
        required=True,
        empty_key="void_reason_required",
    )
    who = acting(ctx, staff)
    with ctx.writing():
        service = active_service(ctx, service_id)
        check_open_month(ctx, service.day)
        void_row(ctx, service, reason, who)
        for document in service.documents:
            void_row(ctx, document, reason, who)
        return Service.get_by_id(service.id)


def void_row(ctx: Context, row, reason: str, staff: Staff) -> None:
    before = audit.snapshot(row)
    row.status = "voided"
    if isinstance(row, Service):
        row.void_reason = reason
        row.voided_at = to_utc_naive(ctx.now())
        row.voided_by = staff
    row.save()
    audit.record(ctx, row, "void", staff, before)


UNDO_REASON = "undo"


def undo(ctx: Context, service_id: int, *, staff: Staff | str | None = None) -> Service:
    """Void an entry just made, within the configured grace period."""
    service = active_service(ctx, service_id)
    age = to_utc_naive(ctx.now()) - service.created_at
    if age > timedelta(seconds=ctx.config.undo_grace_seconds):
        raise Refused("undo_expired", count=ctx.config.undo_grace_seconds)
    return void_service(ctx, service_id, UNDO_REASON, staff=staff)


_UNCHANGED = object()


def correct_service(
    ctx: Context,
    service_id: int,
    *,
    category_name: str | None = None,
    at: datetime | None = None,
    note: str | None | object = _UNCHANGED,
    staff: Staff | str | None = None,
) -> Service:
    """Correct an entry: a new version replaces it, the old one is kept."""
    who = acting(ctx, staff)
    if note is not _UNCHANGED:
        note = text.clean(note, Msg("field.note"), most=text.NOTE)
    moved = check_moment(ctx, at) if at is not None else None
    with ctx.writing():
        old = active_service(ctx, service_id)
        check_open_month(ctx, old.day)
        code = category(category_name).code if category_name else old.category
        if code != old.category and (code in OWN_FUNCTION or old.category in OWN_FUNCTION):
            raise BadInput("correct_linked", category=old.category)
        when = moved or from_utc_naive(old.at)
        visit = old.visit
        if when.date() != old.day:
            check_open_month(ctx, when.date(), new=True)
            visit = new_visit(ctx, when, old.staff)
        before = audit.snapshot(old)
        old.status = "corrected"
        old.save()
        audit.record(ctx, old, "supersede", who, before)
        new = create_service(
            ctx,
            code,
            when,
            old.staff,
            visit,
            old.note if note is _UNCHANGED else note,
            old.origin,
            old.duration_seconds,
            replaces=old,
            # A correction of a service entered afterwards was entered so too.
            entered_later=old.entered_later,
        )
        # A document or feedback follows its service, and carries its new note.
        for linked in (*old.documents, *old.feedback):
            before = audit.snapshot(linked)
            linked.service = new
            if isinstance(linked, Document):
                linked.note = new.note
            linked.save()
            audit.record(ctx, linked, "correct", who, before)
        # So does the booth session that logged it: it counts while its
        # service does.
        for session in old.booth_sessions:
            before = audit.snapshot(session)
            session.service = new
            session.save()
            audit.record(ctx, session, "correct", who, before)
        return new


def entries_of_day(ctx: Context, day) -> list[Service]:
    """A day's services at this point, newest first, voided and corrected
    ones included so that the screen can show them marked."""
    return list(
        Service.select(Service, Staff)
        .join(Staff, on=(Service.staff == Staff.id))
        .where((Service.site == ctx.site) & (Service.day == day))
        .order_by(Service.at.desc(), Service.id.desc())
    )


def entries_by_id(ctx: Context, ids: list[int]) -> list[Service]:
    """The services `ids` of this point, oldest first, as `entries_of_day`
    reads them."""
    if not ids:
        return []
    return list(
        Service.select(Service, Staff)
        .join(Staff, on=(Service.staff == Staff.id))
        .where((Service.site == ctx.site) & Service.id.in_(ids))
        .order_by(Service.at, Service.id)
    )


def anything_logged(ctx: Context) -> bool:
    """Whether this point has any service at all, voided ones included: a new
    installation has none."""
    return Service.select().where(Service.site == ctx.site).exists()


def day_counts(ctx: Context, day) -> tuple[dict[str, int], int]:
    """A day's counted services by category, and its visits."""
    counted = (Service.site == ctx.site) & (Service.day == day) & (Service.status == "active")
    by_category = dict(
        Service.select(Service.category, fn.COUNT(Service.id))
        .where(counted)
        .group_by(Service.category)
        .tuples()
    )
    visits = Service.select(fn.COUNT(Service.visit.distinct())).where(counted).scalar()
    return by_category, visits
