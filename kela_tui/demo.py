"""Realistic, reproducible sample data since the agreement's start, written
through the same domain functions as real work."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

from kela_tui import booth, documents, feedback, services
from kela_tui import db as storage
from kela_tui.catalogue import EXCLUDED_DOCUMENTS, FEEDBACK_KINDS, OUTCOMES
from kela_tui.clock import HELSINKI
from kela_tui.context import Context, create_site
from kela_tui.errors import BadInput
from kela_tui.models import Service, Site, Staff
from kela_tui.months import Month

# Advice and documents are the most common, as at Kela's own offices.
CATEGORY_WEIGHTS = {
    "advice": 30,
    "document": 20,
    "online": 15,
    "material": 10,
    "booking": 8,
    "other": 7,
    "remote": 5,
    "feedback": 3,
}
# A busy morning: the office opens at nine and the queue is longest before noon.
HOUR_WEIGHTS = {9: 24, 10: 26, 11: 18, 12: 12, 13: 11, 14: 9}
# Mondays are busiest, Fridays quietest.
DAY_MEAN = {0: 22, 1: 18, 2: 17, 3: 16, 4: 12}
NOTES = ("asumistuki", "toimeentulotuki", "opintotuki", "lapsilisä", "sairauspäiväraha")


# Neighbours of Kannus in Central Ostrobothnia, for a demo of many points.
NEIGHBOURS = ("TOHOLAMPI", "LESTIJARVI", "KAUSTINEN", "VETELI", "PERHO", "HALSUA", "KOKKOLA")


# Told after each day is written: (days written, days in all).
Progress = Callable[[int, int], None]


def fill_sites(
    ctx: Context,
    sites: int = 1,
    months: int | None = None,
    seed: int = 1,
    progress: Progress | None = None,
) -> int:
    """The demo history for this point and `sites - 1` neighbouring ones."""
    if not 1 <= sites <= len(NEIGHBOURS) + 1:
        raise BadInput("bad_sites", value=sites, most=len(NEIGHBOURS) + 1)
    per_site = len(days_of(ctx, months))
    total = per_site * sites

    def told(offset: int) -> Progress | None:
        if progress is None:
            return None
        return lambda done, _: progress(offset + done, total)

    # One transaction under the schema lock: two demos started at once on one
    # database would otherwise both find it empty.
    with storage.schema_lock(ctx.db):
        written = fill(ctx, months, seed, told(0))
        for number, code in enumerate(NEIGHBOURS[: sites - 1], start=1):
            written += fill(add_site(ctx, code), months, seed + number, told(number * per_site))
    return written


def days_of(ctx: Context, months: int | None) -> list[date]:
    """The days the demo history covers: from the agreement's start to today,
    or its first `months` months."""
    if months is not None and not 1 <= months <= 120:
        raise BadInput("bad_months", value=months)
    first = ctx.settings.first.agreement_start
    last = ctx.today()
    if months is not None:
        final = Month.of(first)
        for _ in range(months - 1):
            final = final.next()
        last = min(last, final.last)
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def add_site(ctx: Context, code: str) -> Context:
    """Another point with this point's agreement and staff names."""
    name = code.capitalize().replace("arvi", "ärvi")
    if Site.get_or_none(code=code) is not None:
        raise BadInput("demo_not_empty")
    point = replace(ctx.settings.first, name=f"{name}n yhteispalvelupiste", city=name)
    staff = [
        SimpleNamespace(id=member.code, name=member.name, role=member.role)
        for member in ctx.active_staff()
    ]
    with ctx.writing():
        site = create_site(ctx.clock, code, point, staff, by=ctx.staff)
    first = Staff.select().where(Staff.site == site).order_by(Staff.id).first()
    return Context(ctx.config, ctx.clock, ctx.db, site, first)


def fill(
    ctx: Context, months: int | None = None, seed: int = 1, progress: Progress | None = None
) -> int:
    """Write the demo history; returns the number of services written."""
    if Service.select().where(Service.site == ctx.site).exists():
        raise BadInput("demo_not_empty")
    days = days_of(ctx, months)
    rng = random.Random(seed)
    staff = ctx.active_staff()
    weights = [4 if s.role == "virastomestari" else 1 for s in staff]
    written = 0
    with storage.schema_lock(ctx.db):
        if Service.select().where(Service.site == ctx.site).exists():
            raise BadInput("demo_not_empty")
        for done, day in enumerate(days, start=1):
            written += _fill_day(ctx, rng, day, staff, weights)
            if progress is not None:
                progress(done, len(days))
    return written


def _fill_day(ctx, rng, day: date, staff, weights) -> int:
    if ctx.calendar.is_closed_day(day):
        return 0
    written = 0
    now = ctx.now()
    times = sorted(_moment(rng, day) for _ in range(_poisson(rng, DAY_MEAN.get(day.weekday(), 8))))
    for at in times:
        if at > now:
            break
        who = rng.choices(staff, weights)[0]
        code = rng.choices(list(CATEGORY_WEIGHTS), CATEGORY_WEIGHTS.values())[0]
        first = _service(ctx, rng, code, at, who)
        written += 1
        if rng.random() < 0.15:
            extra = rng.choice(["online", "material", "booking", "advice"])
            services.log_service(
                ctx, extra, at=at + timedelta(minutes=4), staff=who, visit_of=first.id
            )
            written += 1
        if rng.random() < 0.01:
            services.void_service(ctx, first.id, "väärä valinta", staff=who)
    if rng.random() < 0.08 and times and times[0] <= now:
        documents.refer(ctx, rng.choice(EXCLUDED_DOCUMENTS), at=times[0], staff=staff[0])
    if rng.random() < 0.3 and times and times[-1] <= now:
        _booth_session(ctx, rng, day, staff[0])
        written += 1
    return written


def _service(ctx, rng, code, at, who) -> Service:
    if code == "document":
        kind = rng.choices(["application", "attachment", "other"], [5, 4, 1])[0]
        docs = documents.receive_documents(
            ctx, kind, rng.choice([1, 1, 1, 2, 3]), at=at, staff=who
        )
        _forward_later(ctx, rng, docs, at, who)
        return docs[0].service
    if code == "feedback":
        kind = rng.choices(FEEDBACK_KINDS, [3, 2, 2, 1])[0]
        given = feedback.record_feedback(ctx, "Asiakkaan palaute Kelalle.", kind, at=at, staff=who)
        sent = datetime.combine(
            ctx.calendar.add_working_days(at.date(), 1), time(9, 45), tzinfo=HELSINKI
        )
        if sent <= ctx.now():
            feedback.forward_feedback(ctx, [given.id], at=sent, staff=who)
        return given.service
    note = rng.choice(NOTES) if code == "advice" and rng.random() < 0.3 else None
    return services.log_service(ctx, code, at=at, staff=who, note=note)


def _forward_later(ctx, rng, docs, at: datetime, who) -> None:
    """Most documents go the next working day; a few late, a few still waiting."""
    roll = rng.random()
    if roll < 0.025:
        return
    days = 2 + rng.randrange(3) if roll < 0.08 else 1
    day = ctx.calendar.add_working_days(at.date(), days)
    when = datetime.combine(day, time(9, 30 + rng.randrange(20)), tzinfo=HELSINKI)
    if when <= ctx.now():
        documents.forward_documents(ctx, [d.receipt for d in docs], at=when, staff=who)


def _booth_session(ctx, rng, day: date, who) -> None:
    """A whole booth session through the state machine, most of them completed."""
    at = datetime.combine(day, time(10 + rng.randrange(3), rng.randrange(60)), tzinfo=HELSINKI)
    steps = (2, 4, 3, 15 + rng.randrange(25))  # assessing, preparing, connecting, in session
    if at + timedelta(minutes=sum(steps) + 2) > ctx.now() or booth.status(ctx).state != booth.FREE:
        return
    booth.advance(ctx, at=at, staff=who)
    for duty, minutes in zip(booth.DUTIES, steps, strict=False):
        booth.tick(ctx, duty, at=at, staff=who)
        at += timedelta(minutes=minutes)
        booth.advance(ctx, at=at, staff=who)
    booth.tick(ctx, "close", at=at, staff=who)
    outcome = rng.choices(OUTCOMES, [20, 2, 1, 1, 1])[0]
    booth.end(
        ctx,
        outcome,
        at=at + timedelta(minutes=2),
        staff=who,
        counter_category="advice" if outcome == "at_counter" else None,
    )


def _moment(rng, day: date) -> datetime:
    hour = rng.choices(list(HOUR_WEIGHTS), HOUR_WEIGHTS.values())[0]
    return datetime.combine(day, time(hour, rng.randrange(60), rng.randrange(60)), tzinfo=HELSINKI)


def _poisson(rng, mean: float) -> int:
    # Knuth's method: small means only, which is all a counter sees in a day.
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1
