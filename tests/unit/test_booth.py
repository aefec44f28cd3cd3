"""The booth's state machine, the Kela-hours gate, duties, outages, bookings."""

from datetime import datetime, timedelta

import pytest

from kela_tui import booth, services, statistics
from kela_tui.context import open_context
from kela_tui.errors import BadInput, Refused
from kela_tui.models import BoothPhase, BoothSession, Service
from kela_tui.months import Month
from tests.conftest import with_point


def run_to(ctx, clock, state: str) -> None:
    """Advance a fresh session to `state`, a minute a step."""
    while booth.status(ctx).state != state:
        booth.advance(ctx)
        clock.advance(minutes=1)


def test_a_session_goes_through_every_state(ctx, clock):
    assert booth.status(ctx).state == "free"
    seen = []
    for _ in booth.FLOW:
        seen.append(booth.advance(ctx).state)
        clock.advance(minutes=5)
    assert seen == list(booth.FLOW)
    phases = list(BoothPhase.select().order_by(BoothPhase.id))
    assert [p.state for p in phases] == list(booth.FLOW)
    assert all(p.staff.code == "virastomestari" for p in phases)
    assert all(p.ended_at is not None for p in phases[:-1]) and phases[-1].ended_at is None


def test_closing_needs_an_outcome(ctx, clock):
    run_to(ctx, clock, "closing")
    with pytest.raises(BadInput, match="outcome"):
        booth.advance(ctx)


def test_a_completed_session_is_one_remote_service_with_its_duration(ctx, clock):
    started = clock.now()
    run_to(ctx, clock, "closing")  # connecting from 10:02
    clock.set(started + timedelta(minutes=27, seconds=30))
    session = booth.end(ctx, "completed")
    assert booth.status(ctx).state == "free"
    service = Service.get_by_id(session.service_id)
    assert (service.category, service.origin, service.duration_seconds) == (
        "remote",
        "booth",
        25 * 60 + 30,  # from connecting to Kela to the end
    )
    assert service.hour == 10
    stats = statistics.month_stats(Month(2026, 9), [ctx.site], clock.today())
    # The session's minutes count from connecting to Kela to the end.
    assert (stats.booth["sessions"], stats.booth["minutes"]) == (1, 26)
    assert stats.booth["outcomes"]["completed"] == 1


def test_ending_at_the_counter_logs_the_counter_service_instead(ctx, clock):
    run_to(ctx, clock, "assessing")
    session = booth.end(ctx, "at_counter", counter_category="advice")
    assert Service.get_by_id(session.service_id).category == "advice"
    stats = statistics.month_stats(Month(2026, 9), [ctx.site], clock.today())
    assert stats.booth["sessions"] == 0 and stats.by_category["advice"] == 1
    assert stats.by_category["remote"] == 0 and stats.booth["outcomes"]["at_counter"] == 1
    run_to(ctx, clock, "preparing")
    with pytest.raises(BadInput, match="counter service"):
        booth.end(ctx, "at_counter")


@pytest.mark.parametrize("outcome", ["kela_unavailable", "technical_failure", "customer_left"])
@pytest.mark.parametrize("reached", ["assessing", "preparing", "connecting", "in_session"])
def test_every_other_outcome_logs_a_remote_service_but_no_booth_session(
    ctx, clock, outcome, reached
):
    """The staff assessed and prepared the session whatever came of it: it is
    one remote service with its duration, but not a completed session."""
    started = clock.now()
    run_to(ctx, clock, reached)
    clock.set(started + timedelta(minutes=12))
    session = booth.end(ctx, outcome)
    service = Service.get()
    assert session.outcome == outcome and session.service_id == service.id
    # Connected, it lasts from connecting to Kela (at 10:02); otherwise the
    # whole session.
    minutes = 10 if reached == "in_session" else 12
    assert (service.category, service.origin, service.duration_seconds) == (
        "remote",
        "booth",
        minutes * 60,
    )
    stats = statistics.month_stats(Month(2026, 9), [ctx.site], clock.today())
    assert (stats.services, stats.visits, stats.by_category["remote"]) == (1, 1, 1)
    assert (stats.booth["sessions"], stats.booth["minutes"]) == (0, 0)
    assert stats.booth["outcomes"][outcome] == 1


@pytest.mark.parametrize("reached", ["assessing", "preparing", "connecting"])
def test_completed_is_refused_before_the_session_reached_in_session(ctx, clock, reached):
    run_to(ctx, clock, reached)
    assert "completed" not in booth.outcomes(booth.status(ctx).session)
    with pytest.raises(Refused, match='never reached "in session"'):
        booth.end(ctx, "completed")
    # Nothing was written: the session goes on where it was.
    assert booth.status(ctx).state == reached
    assert Service.select().count() == 0
    assert BoothSession.get().ended_at is None
    booth.end(ctx, "technical_failure")
    assert BoothSession.get().outcome == "technical_failure"


def test_completed_is_offered_once_in_session_and_after(ctx, clock):
    run_to(ctx, clock, "in_session")
    assert booth.outcomes(booth.status(ctx).session) == booth.OUTCOMES
    booth.advance(ctx)  # closing
    assert booth.outcomes(booth.status(ctx).session) == booth.OUTCOMES
    assert booth.end(ctx, "completed").outcome == "completed"


def test_a_saturday_session_cannot_be_completed(ctx, clock):
    """Kela is closed: connecting is refused, and so is "completed"."""
    clock.set(datetime(2026, 9, 19, 11, 0))
    booth.advance(ctx)
    booth.advance(ctx)
    with pytest.raises(Refused, match="cannot be opened"):
        booth.advance(ctx)
    with pytest.raises(Refused, match="never reached"):
        booth.end(ctx, "completed")
    clock.advance(minutes=8)
    booth.end(ctx, "kela_unavailable")
    stats = statistics.month_stats(Month(2026, 9), [ctx.site], clock.today())
    assert (stats.booth["sessions"], stats.by_category["remote"]) == (0, 1)
    assert stats.booth["outcomes"]["kela_unavailable"] == 1


def test_a_voided_or_corrected_session_service_counts_as_the_service_does(ctx, clock):
    run_to(ctx, clock, "closing")
    first = booth.end(ctx, "completed")
    clock.advance(minutes=1)
    run_to(ctx, clock, "closing")
    second = booth.end(ctx, "completed")
    september = Month(2026, 9)
    stats = statistics.month_stats(september, [ctx.site], clock.today())
    assert (stats.booth["sessions"], stats.booth["minutes"]) == (2, 6)
    services.void_service(ctx, first.service_id, "väärä valinta")
    corrected = services.correct_service(ctx, second.service_id, note="korjattu")
    assert BoothSession.get_by_id(second.id).service_id == corrected.id
    again = services.correct_service(ctx, corrected.id, note="taas")
    stats = statistics.month_stats(september, [ctx.site], clock.today())
    assert (stats.booth["sessions"], stats.booth["minutes"]) == (1, 3)
    assert BoothSession.get_by_id(second.id).service_id == again.id
    # Every outcome still counts every ended session.
    assert stats.booth["outcomes"]["completed"] == 2


def test_illegal_transitions_are_refused(ctx, clock):
    with pytest.raises(BadInput, match="no session"):
        booth.end(ctx, "completed")
    with pytest.raises(BadInput, match="no session"):
        booth.tick(ctx, "assess")
    with pytest.raises(BadInput, match="unknown outcome"):
        booth.end(ctx, "magic")
    with pytest.raises(BadInput, match="not out of order"):
        booth.back_in_use(ctx)
    booth.advance(ctx)
    with pytest.raises(Refused, match="end it first"):
        booth.set_out_of_order(ctx, "camera broken")
    with pytest.raises(BadInput, match="no booth 2"):
        booth.advance(ctx, 2)


def test_out_of_order_blocks_sessions_until_back_in_use(ctx, clock):
    with pytest.raises(BadInput, match="why"):
        booth.set_out_of_order(ctx, " ")
    booth.set_out_of_order(ctx, "kamera rikki")
    assert booth.status(ctx).state == "out_of_order"
    with pytest.raises(Refused, match="out of order"):
        booth.advance(ctx)
    booth.back_in_use(ctx)
    assert booth.advance(ctx).state == "assessing"


@pytest.mark.parametrize(
    ("moment", "allowed"),
    [
        (datetime(2026, 9, 15, 10, 0), True),
        (datetime(2026, 9, 15, 15, 30), False),  # a weekday after the hours
        (datetime(2026, 9, 19, 10, 0), False),  # a Saturday
        (datetime(2026, 12, 8, 10, 0), True),
    ],
)
def test_the_kela_hours_gate(ctx, clock, moment, allowed):
    clock.set(moment)
    booth.advance(ctx)
    booth.advance(ctx)
    if allowed:
        assert booth.advance(ctx).state == "connecting"
    else:
        with pytest.raises(Refused) as caught:
            booth.advance(ctx)
        assert "cannot be opened" in str(caught.value)
        assert "next window opens" in str(caught.value)
        assert booth.status(ctx).state == "preparing"


def test_the_gate_on_a_public_holiday_names_the_next_window(ctx, clock):
    clock.set(datetime(2026, 12, 24, 10, 0))  # Christmas Eve, a Thursday
    booth.advance(ctx)
    booth.advance(ctx)
    with pytest.raises(Refused) as caught:
        booth.advance(ctx)
    assert "28 Dec 2026 at 09:00" in str(caught.value)


def test_duties_are_ticked_once_and_stored(ctx, clock):
    booth.advance(ctx)
    booth.tick(ctx, "assess")
    booth.tick(ctx, "assess")
    assert booth.status(ctx).ticked == {"assess"}
    with pytest.raises(BadInput, match="unknown duty"):
        booth.tick(ctx, "coffee")


def test_a_session_survives_a_restart_with_its_times(db_url, config, clock):
    ctx = open_context(config, db_url, clock)
    started = clock.now()
    booth.advance(ctx)
    clock.advance(minutes=4)
    booth.advance(ctx)
    booth.tick(ctx, "assess")
    ctx.db.close()
    clock.advance(minutes=3)
    again = open_context(config, db_url, clock)
    state = booth.status(again)
    assert state.state == "preparing" and state.ticked == {"assess"}
    assert state.session_started == started
    assert state.elapsed(clock.now()) == timedelta(minutes=7)
    assert state.phase_elapsed(clock.now()) == timedelta(minutes=3)


def test_several_booths_have_their_own_state(db_url, config, clock):
    ctx = open_context(with_point(config, booths=2), db_url, clock)
    booth.advance(ctx, 1)
    booth.set_out_of_order(ctx, "verkko poikki", 2)
    assert booth.status(ctx, 1).state == "assessing"
    assert booth.status(ctx, 2).state == "out_of_order"
    assert BoothSession.select().count() == 1


def test_a_booking_logs_a_booking_service(ctx, clock):
    booking = booth.book(ctx, datetime(2026, 9, 16, 10, 0), reference="asumistuki")
    assert booking.minutes == 30
    assert Service.get_by_id(booking.service_id).category == "booking"
    assert booth.next_booking(ctx).id == booking.id
    assert [b.id for b in booth.bookings(ctx, clock.today())] == [booking.id]


@pytest.mark.parametrize(
    ("start", "minutes", "message"),
    [
        (datetime(2026, 9, 16, 10, 15), 30, "overlaps another one at 10:00"),
        (datetime(2026, 9, 16, 9, 40), 30, "overlaps"),
        (datetime(2026, 9, 16, 14, 45), 30, "Kela's remote-service hours"),
        (datetime(2026, 9, 19, 10, 0), 30, "Kela's remote-service hours"),
        (datetime(2026, 12, 24, 10, 0), 30, "Kela's remote-service hours"),
        (datetime(2026, 9, 16, 10, 30), 3, "from 5 to 240"),
    ],
)
def test_bookings_are_refused_with_the_reason(ctx, start, minutes, message):
    booth.book(ctx, datetime(2026, 9, 16, 10, 0))
    with pytest.raises((Refused, BadInput), match=message):
        booth.book(ctx, start, minutes)
    assert len(booth.bookings(ctx, start.date())) == (1 if start.day == 16 else 0)


def test_bookings_back_to_back_are_fine(ctx):
    booth.book(ctx, datetime(2026, 9, 16, 10, 0))
    assert booth.book(ctx, datetime(2026, 9, 16, 10, 30))


def test_a_booking_outside_office_hours_is_refused(db_url, config, clock):
    from datetime import time

    from kela_tui.point import WeeklyHours

    early = with_point(
        config,
        kela_hours=WeeklyHours(tuple(((time(8), time(16)),) if d < 5 else () for d in range(7))),
    )
    ctx = open_context(early, db_url, clock)
    with pytest.raises(Refused, match="office's opening hours"):
        booth.book(ctx, datetime(2026, 9, 16, 8, 0))


def test_a_booking_reference_with_an_identity_code_is_refused(ctx):
    with pytest.raises(Refused, match="identity code"):
        booth.book(ctx, datetime(2026, 9, 16, 10, 0), reference="131052-308T")
    assert Service.select().count() == 0


def test_a_booking_in_the_past_is_refused(ctx):
    with pytest.raises(BadInput, match="past"):
        booth.book(ctx, datetime(2026, 9, 15, 9, 0))


def test_cancelling_a_booking_frees_the_time(ctx):
    booking = booth.book(ctx, datetime(2026, 9, 16, 10, 0))
    with pytest.raises(BadInput, match="reason"):
        booth.cancel_booking(ctx, booking.id, "")
    assert booth.active_booking(ctx, booking.id) == booking
    booth.cancel_booking(ctx, booking.id, "asiakas perui")
    assert booth.active_booking(ctx, booking.id) is None
    assert booth.book(ctx, datetime(2026, 9, 16, 10, 0))
    with pytest.raises(BadInput, match="no booking number"):
        booth.cancel_booking(ctx, booking.id, "again")


def test_a_session_counts_in_the_month_its_service_was_moved_to(ctx, clock):
    """Sessions are read by their day, but one whose service a correction
    moved counts on the service's day: in the month figures, the year's and
    a comparison's headline. So does one that still names the service the
    correction replaced (corrected before sessions followed their service)."""
    run_to(ctx, clock, "closing")
    session = booth.end(ctx, "completed")
    held = Month.of(clock.today())
    earlier = held.previous()
    moved = services.correct_service(
        ctx,
        session.service_id,
        at=datetime.combine(earlier.last, datetime.min.time()) + timedelta(hours=10),
    )
    assert moved.day == earlier.last and BoothSession.get_by_id(session.id).day != moved.day

    def counted() -> tuple[int, int, int, int]:
        today = clock.today()
        return (
            statistics.month_stats(held, [ctx.site], today).booth["sessions"],
            statistics.month_stats(earlier, [ctx.site], today).booth["sessions"],
            statistics.headline(earlier, [ctx.site.id]).booth_sessions,
            statistics.year_stats(earlier.year, [ctx.site], today).total.booth["sessions"],
        )

    assert counted() == (0, 1, 1, 1)
    # As an older version left it: the session names the replaced service.
    BoothSession.update(service=moved.replaces_id).where(BoothSession.id == session.id).execute()
    assert counted() == (0, 1, 1, 1)
    # Voided, the correction counts no more, nor its session.
    services.void_service(ctx, moved.id, "väärä päivä")
    assert counted() == (0, 0, 0, 0)
