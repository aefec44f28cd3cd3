"""The remote-service booth: its state machine, the staff duties of the
agreement, the Kela-hours gate, outages and bookings.

A session goes free -> assessing -> preparing -> connecting -> in session ->
closing -> free. Every transition is a stored phase with its time and staff
member, so a session survives a restart with its times intact."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from kela_tui import audit, text
from kela_tui.catalogue import OUTCOMES, category
from kela_tui.clock import from_utc_naive, to_local, to_utc_naive, utc
from kela_tui.context import Context
from kela_tui.errors import BadInput, Refused
from kela_tui.i18n import Msg
from kela_tui.models import (
    BoothBooking,
    BoothDuty,
    BoothOutage,
    BoothPhase,
    BoothSession,
    Staff,
)
from kela_tui.services import (
    acting,
    check_moment,
    check_open_month,
    create_service,
    visit_for,
)

FREE = "free"
OUT_OF_ORDER = "out_of_order"
FLOW = ("assessing", "preparing", "connecting", "in_session", "closing")
# The city's duties in remote service, from the agreement.
DUTIES = ("assess", "prepare", "connect", "camera", "close")
DEFAULT_BOOKING_MINUTES = 30
MAX_BOOKING_MINUTES = 240


@dataclass
class BoothStatus:
    booth: int
    state: str
    session: BoothSession | None = None
    outage: BoothOutage | None = None
    phase_started: datetime | None = None
    ticked: set[str] = field(default_factory=set)
    # A session still open after its day, or after the office closed.
    left_open: bool = False

    @property
    def session_started(self) -> datetime | None:
        return from_utc_naive(self.session.at) if self.session else None

    def elapsed(self, now: datetime) -> timedelta:
        return utc(now) - utc(self.session_started) if self.session else timedelta(0)

    def phase_elapsed(self, now: datetime) -> timedelta:
        return utc(now) - utc(self.phase_started) if self.phase_started else timedelta(0)


def check_booth(ctx: Context, booth: int) -> None:
    if not 1 <= booth <= ctx.point.booths:
        raise BadInput("unknown_booth", booth=booth, count=ctx.point.booths)


def open_session(ctx: Context, booth: int) -> BoothSession | None:
    return (
        BoothSession.select()
        .where(
            (BoothSession.site == ctx.site)
            & (BoothSession.booth == booth)
            & BoothSession.ended_at.is_null()
        )
        .order_by(BoothSession.id.desc())
        .first()
    )


def open_sessions(ctx: Context) -> list[BoothSession]:
    """Every session at this point not yet ended, on any booth, left open ones too."""
    return list(
        BoothSession.select()
        .where((BoothSession.site == ctx.site) & BoothSession.ended_at.is_null())
        .order_by(BoothSession.booth, BoothSession.id)
    )


def open_outage(ctx: Context, booth: int) -> BoothOutage | None:
    return (
        BoothOutage.select()
        .where(
            (BoothOutage.site == ctx.site)
            & (BoothOutage.booth == booth)
            & BoothOutage.ended_at.is_null()
        )
        .first()
    )


def status(ctx: Context, booth: int = 1) -> BoothStatus:
    """The booth's state as stored: what the panel shows after any restart."""
    check_booth(ctx, booth)
    session = open_session(ctx, booth)
    if session is not None:
        phase = (
            BoothPhase.select()
            .where(BoothPhase.session == session)
            .order_by(BoothPhase.id.desc())
            .first()
        )
        ticked = {d.duty for d in BoothDuty.select().where(BoothDuty.session == session)}
        return BoothStatus(
            booth,
            session.state,
            session,
            None,
            from_utc_naive(phase.started_at),
            ticked,
            left_open(ctx, session),
        )
    outage = open_outage(ctx, booth)
    if outage is not None:
        return BoothStatus(
            booth, OUT_OF_ORDER, outage=outage, phase_started=from_utc_naive(outage.started_at)
        )
    return BoothStatus(booth, FREE)


def advance(
    ctx: Context, booth: int = 1, *, at: datetime | None = None, staff=None
) -> BoothStatus:
    """Start a session on a free booth, or move it to its next state.
    Connecting to Kela is refused outside Kela's remote-service hours."""
    check_booth(ctx, booth)
    who = acting(ctx, staff)
    when = check_moment(ctx, at)
    with ctx.writing():
        session = open_session(ctx, booth)
        if session is None:
            check_open_month(ctx, when.date(), new=True)
            if open_outage(ctx, booth) is not None:
                raise Refused("booth_out_of_order", booth=booth)
            session = BoothSession.create(
                booth=booth,
                state=FLOW[0],
                state_since=to_utc_naive(when),
                **ctx.stamp(when, who),
            )
            audit.record(ctx, session, "start", who)
            _begin_phase(ctx, session, FLOW[0], when, who)
            return status(ctx, booth)
        _check_session_open(ctx, session, when)
        if session.state == FLOW[-1]:
            raise BadInput("booth_needs_outcome")
        following = FLOW[FLOW.index(session.state) + 1]
        if following == "connecting" and not ctx.calendar.in_kela_hours(when):
            raise Refused("kela_closed", next=_next_window(ctx, when))
        _move(ctx, session, following, when, who)
        return status(ctx, booth)


def _next_window(ctx: Context, when: datetime) -> object:
    opens = ctx.calendar.next_kela_window(when)
    if opens is None:
        return Msg("booth.no_window")
    return Msg("booth.next_window", at=opens)


def _check_session_open(ctx: Context, session: BoothSession, when: datetime) -> None:
    """A session belongs to the day it started: its month must be open, and it
    cannot be moved on or ended before its current phase began."""
    check_open_month(ctx, session.day)
    if to_utc_naive(when) < session.state_since:
        raise BadInput("booth_before_phase", since=from_utc_naive(session.state_since))


def _begin_phase(
    ctx: Context, session: BoothSession, state: str, when: datetime, staff: Staff
) -> None:
    phase = BoothPhase.create(
        session=session, state=state, started_at=to_utc_naive(when), staff=staff
    )
    audit.record(ctx, phase, "create", staff)


def _end_phase(ctx: Context, session: BoothSession, when: datetime, staff: Staff) -> None:
    for phase in BoothPhase.select().where(
        (BoothPhase.session == session) & BoothPhase.ended_at.is_null()
    ):
        before = audit.snapshot(phase)
        phase.ended_at = to_utc_naive(when)
        phase.save()
        audit.record(ctx, phase, "end", staff, before)


def _move(ctx: Context, session: BoothSession, state: str, when: datetime, staff: Staff) -> None:
    before = audit.snapshot(session)
    _end_phase(ctx, session, when, staff)
    session.state = state
    session.state_since = to_utc_naive(when)
    if state == "in_session":
        session.connected_at = to_utc_naive(when)
    if state == "closing" and session.connected_at:
        session.disconnected_at = to_utc_naive(when)
    session.save()
    audit.record(ctx, session, "move", staff, before)
    _begin_phase(ctx, session, state, when, staff)


def tick(ctx: Context, duty: str, booth: int = 1, *, at: datetime | None = None, staff=None):
    """Tick one of the staff duties of the session in progress."""
    if duty not in DUTIES:
        raise BadInput("unknown_duty", duty=duty, choices=", ".join(DUTIES))
    who = acting(ctx, staff)
    when = check_moment(ctx, at)
    with ctx.writing():
        session = open_session(ctx, booth)
        if session is None:
            raise BadInput("booth_no_session")
        check_open_month(ctx, session.day)
        if BoothDuty.get_or_none(session=session, duty=duty) is None:
            row = BoothDuty.create(
                session=session, duty=duty, ticked_at=to_utc_naive(when), staff=who
            )
            audit.record(ctx, row, "tick", who)
    return status(ctx, booth)


def end(
    ctx: Context,
    outcome: str,
    booth: int = 1,
    *,
    counter_category: str | None = None,
    at: datetime | None = None,
    staff=None,
) -> BoothSession:
    """End the session with its outcome. Every ended session is one service
    in the log, because the staff assessed and prepared it whatever came of
    it: a `remote` service with its duration (from connecting to Kela to the
    end once connected, else the whole session), or, for one handled
    at the counter instead, the counter service chosen. "Completed" is only
    for a session that reached "in session" (was connected to Kela). A
    session left open after its day is ended with its real end time (`at`),
    on the day it started."""
    if outcome not in OUTCOMES:
        raise BadInput("unknown_outcome", outcome=outcome, choices=", ".join(OUTCOMES))
    code = None
    if outcome == "at_counter":
        if counter_category is None:
            raise BadInput("booth_counter_category")
        code = category(counter_category).code
        if code in ("remote", "document", "feedback"):
            raise BadInput("booth_counter_category")
    who = acting(ctx, staff)
    when = check_moment(ctx, at)
    with ctx.writing():
        session = open_session(ctx, booth)
        if session is None:
            raise BadInput("booth_no_session")
        _check_session_open(ctx, session, when)
        if outcome == "completed" and not reached_session(session):
            raise Refused("booth_never_connected")
        started = from_utc_naive(session.at)
        if at is None and left_open(ctx, session):
            raise BadInput("booth_left_open", since=started)
        if when.date() != started.date():
            raise BadInput("booth_end_other_day", day=started.date())
        before = audit.snapshot(session)
        _end_phase(ctx, session, when, who)
        if session.connected_at and not session.disconnected_at:
            session.disconnected_at = to_utc_naive(when)
        session.state = FREE
        session.state_since = to_utc_naive(when)
        session.ended_at = to_utc_naive(when)
        session.outcome = outcome
        session.counter_category = code
        visit = visit_for(ctx, None, started, session.staff)
        if code is not None:
            session.service = create_service(ctx, code, started, session.staff, visit)
        else:
            # Its duration: from connecting to Kela to the end once connected,
            # otherwise the whole session the staff worked on.
            since = _connecting_since(session) or started
            seconds = int((utc(when) - utc(since)).total_seconds())
            session.service = create_service(
                ctx,
                "remote",
                started,
                session.staff,
                visit,
                origin="booth",
                duration_seconds=seconds,
            )
        session.save()
        audit.record(ctx, session, "end", who, before)
    return session


def _connecting_since(session: BoothSession) -> datetime | None:
    """When a session that reached "in session" began connecting to Kela."""
    if not reached_session(session):
        return None
    phase = (
        BoothPhase.select()
        .where((BoothPhase.session == session) & (BoothPhase.state == "connecting"))
        .order_by(BoothPhase.id)
        .first()
    )
    return from_utc_naive(phase.started_at) if phase else None


def reached_session(session: BoothSession) -> bool:
    """Whether the session reached "in session": the customer was connected
    to Kela. Only such a session can end as completed."""
    return session.connected_at is not None


def outcomes(session: BoothSession | None) -> tuple[str, ...]:
    """The outcomes a session can end with: "completed" only once it reached
    "in session"; before that, what can have happened instead."""
    if session is not None and reached_session(session):
        return OUTCOMES
    return tuple(o for o in OUTCOMES if o != "completed")


def left_open(ctx: Context, session: BoothSession) -> bool:
    """Whether a session in progress was left open: its day is over, or the
    office has closed since it started. It is then ended with its real end
    time, never with "now"."""
    started = from_utc_naive(session.at)
    now = ctx.now()
    if now.date() != started.date():
        return True
    closes = ctx.calendar.closing_time(started.date())
    return closes is not None and started.time() < closes <= now.time()


def set_out_of_order(
    ctx: Context, reason: str, booth: int = 1, *, at: datetime | None = None, staff=None
) -> BoothOutage:
    reason = text.clean(
        reason,
        Msg("field.reason"),
        most=text.REASON,
        required=True,
        empty_key="outage_reason_required",
    )
    check_booth(ctx, booth)
    who = acting(ctx, staff)
    when = check_moment(ctx, at)
    with ctx.writing():
        if open_session(ctx, booth) is not None:
            raise Refused("booth_busy")
        if open_outage(ctx, booth) is not None:
            raise Refused("booth_out_of_order", booth=booth)
        outage = BoothOutage.create(
            site=ctx.site, booth=booth, started_at=to_utc_naive(when), reason=reason, staff=who
        )
        audit.record(ctx, outage, "create", who)
    return outage


def back_in_use(ctx: Context, booth: int = 1, *, at: datetime | None = None, staff=None):
    check_booth(ctx, booth)
    who = acting(ctx, staff)
    when = check_moment(ctx, at)
    with ctx.writing():
        outage = open_outage(ctx, booth)
        if outage is None:
            raise BadInput("booth_not_out_of_order")
        before = audit.snapshot(outage)
        outage.ended_at = to_utc_naive(when)
        outage.save()
        audit.record(ctx, outage, "end", who, before)
    return outage


def finished_sessions(ctx: Context, day: date, booth: int | None = None) -> list[BoothSession]:
    query = BoothSession.select().where(
        (BoothSession.site == ctx.site)
        & (BoothSession.day == day)
        & BoothSession.ended_at.is_null(False)
    )
    if booth is not None:
        query = query.where(BoothSession.booth == booth)
    return list(query.order_by(BoothSession.at.desc()))


# Bookings


def book(
    ctx: Context,
    starts: datetime,
    minutes: int = DEFAULT_BOOKING_MINUTES,
    reference: str | None = None,
    booth: int = 1,
    *,
    staff=None,
) -> BoothBooking:
    """Book the booth. Refused if it overlaps another booking, or falls outside
    Kela's remote-service hours or the office's hours. Logs a booking service."""
    check_booth(ctx, booth)
    if (
        isinstance(minutes, bool)
        or not isinstance(minutes, int)
        or not (5 <= minutes <= MAX_BOOKING_MINUTES)
    ):
        raise BadInput("booking_length", minutes=minutes, most=MAX_BOOKING_MINUTES)
    reference = text.clean(reference, Msg("field.reference"), most=text.REFERENCE)
    who = acting(ctx, staff)
    starts = to_local(starts)
    ends = starts + timedelta(minutes=minutes)
    now = ctx.now()
    if utc(starts) < utc(now):
        raise BadInput("booking_in_past")
    with ctx.writing():
        # The logged booking service is today's; the slot is checked against
        # the settings for its own day, as the database has them now.
        check_open_month(ctx, now.date(), new=True)
        agreement = ctx.settings.on(starts.date())
        if starts.date() < agreement.agreement_start or (
            agreement.agreement_end and starts.date() > agreement.agreement_end
        ):
            raise Refused("booking_outside_agreement")
        if not _inside(ctx.calendar.kela_hours_on(starts.date()), starts, ends):
            raise Refused("booking_kela_hours")
        if not _inside(ctx.calendar.office_hours_on(starts.date()), starts, ends):
            raise Refused("booking_office_hours")
        for other in bookings(ctx, starts.date(), 1, booth):
            other_start = from_utc_naive(other.at)
            if other_start < ends and starts < other_start + timedelta(minutes=other.minutes):
                raise Refused("booking_overlap", time=other_start, minutes=other.minutes)
        logged = create_service(ctx, "booking", now, who, visit_for(ctx, None, now, who))
        booking = BoothBooking.create(
            booth=booth,
            minutes=minutes,
            reference=reference,
            service=logged,
            **ctx.stamp(starts, who),
        )
        audit.record(ctx, booking, "create", who)
    return booking


def _inside(intervals, starts: datetime, ends: datetime) -> bool:
    return any(
        starts.time() >= opens and (ends.time() <= closes and ends.date() == starts.date())
        for opens, closes in intervals
    )


def cancel_booking(ctx: Context, booking_id: int, reason: str, *, staff=None) -> BoothBooking:
    reason = text.clean(
        reason,
        Msg("field.reason"),
        most=text.REASON,
        required=True,
        empty_key="cancel_reason_required",
    )
    who = acting(ctx, staff)
    with ctx.writing():
        booking = BoothBooking.get_or_none(
            (BoothBooking.id == booking_id) & (BoothBooking.site == ctx.site)
        )
        if booking is None or booking.cancelled_at is not None:
            raise BadInput("unknown_booking", id=booking_id)
        before = audit.snapshot(booking)
        booking.cancelled_at = to_utc_naive(ctx.now())
        booking.cancel_reason = reason
        booking.save()
        audit.record(ctx, booking, "cancel", who, before)
    return booking


def active_booking(ctx: Context, booking_id: int) -> BoothBooking | None:
    """The booking, if it exists at this point and is not cancelled."""
    return BoothBooking.get_or_none(
        (BoothBooking.id == booking_id)
        & (BoothBooking.site == ctx.site)
        & BoothBooking.cancelled_at.is_null()
    )


def bookings(
    ctx: Context, first: date, days: int = 8, booth: int | None = None
) -> list[BoothBooking]:
    """Bookings not cancelled from `first` for `days` days, earliest first."""
    query = BoothBooking.select().where(
        (BoothBooking.site == ctx.site)
        & BoothBooking.cancelled_at.is_null()
        & BoothBooking.day.between(first, first + timedelta(days=days - 1))
    )
    if booth is not None:
        query = query.where(BoothBooking.booth == booth)
    return list(query.order_by(BoothBooking.at))


def next_booking(ctx: Context) -> BoothBooking | None:
    now = to_utc_naive(ctx.now())
    return (
        BoothBooking.select()
        .where(
            (BoothBooking.site == ctx.site)
            & BoothBooking.cancelled_at.is_null()
            & (BoothBooking.at >= now)
        )
        .order_by(BoothBooking.at)
        .first()
    )
