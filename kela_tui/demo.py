"""Realistic, reproducible sample data since the agreement's start. The last
days are written through the same domain functions as real work; the history
before them is written in bulk, row for row what those functions would have
written, because a region's ten points over ten years (about a million
services) would take hours one entry at a time."""

from __future__ import annotations

import json
import math
import random
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

from peewee import PostgresqlDatabase, chunked, fn

from kela_tui import booth, documents, feedback, services
from kela_tui import db as storage
from kela_tui.catalogue import EXCLUDED_DOCUMENTS, FEEDBACK_KINDS, OUTCOMES
from kela_tui.clock import HELSINKI, from_utc_naive, to_utc_naive
from kela_tui.context import Context, create_site
from kela_tui.errors import BadInput
from kela_tui.models import (
    Audit,
    BoothDuty,
    BoothPhase,
    BoothSession,
    Document,
    Feedback,
    ReceiptCounter,
    Referral,
    Service,
    Site,
    Staff,
    Visit,
)
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
FEEDBACK_TEXT = "Asiakkaan palaute Kelalle."
VOID_REASON = "väärä valinta"

# Kannus's neighbours in Central Ostrobothnia and next to it in Northern
# Ostrobothnia (Sievi, Kalajoki), for a demo of a region's points: code, the
# point's name and how busy it is against Kannus (roughly by population).
NEIGHBOURS_OF = {
    "TOHOLAMPI": ("Toholammin yhteispalvelupiste", "Toholampi", 1),
    "LESTIJARVI": ("Lestijärven yhteispalvelupiste", "Lestijärvi", 1),
    "KAUSTINEN": ("Kaustisen yhteispalvelupiste", "Kaustinen", 1),
    "VETELI": ("Vetelin yhteispalvelupiste", "Veteli", 1),
    "PERHO": ("Perhon yhteispalvelupiste", "Perho", 1),
    "HALSUA": ("Halsuan yhteispalvelupiste", "Halsua", 1),
    "KOKKOLA": ("Kokkolan yhteispalvelupiste", "Kokkola", 9),
    "SIEVI": ("Sievin yhteispalvelupiste", "Sievi", 1),
    "KALAJOKI": ("Kalajoen yhteispalvelupiste", "Kalajoki", 2),
}
NEIGHBOURS = tuple(NEIGHBOURS_OF)
# The last days before today are written through the domain functions, as
# real work leaves them.
DOMAIN_DAYS = 7


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
    check_request(sites, months)
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
            busy = NEIGHBOURS_OF[code][2]
            written += fill(
                add_site(ctx, code), months, seed + number, told(number * per_site), busy
            )
    return written


def check_request(sites: int = 1, months: int | None = None) -> None:
    """The points and months asked for, checked before anything is opened
    or written (a refused demo leaves no database behind)."""
    if not 1 <= sites <= len(NEIGHBOURS) + 1:
        raise BadInput("bad_sites", value=sites, most=len(NEIGHBOURS) + 1)
    if months is not None and not 1 <= months <= 120:
        raise BadInput("bad_months", value=months)


def days_of(ctx: Context, months: int | None) -> list[date]:
    """The days the demo history covers: from the agreement's start to today,
    or its first `months` months."""
    check_request(months=months)
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
    name, city, _ = NEIGHBOURS_OF[code]
    if Site.get_or_none(code=code) is not None:
        raise BadInput("demo_not_empty")
    point = replace(ctx.settings.first, name=name, city=city)
    staff = [
        SimpleNamespace(id=member.code, name=member.name, role=member.role)
        for member in ctx.active_staff()
    ]
    with ctx.writing():
        site = create_site(ctx.clock, code, point, staff, by=ctx.staff)
    first = Staff.select().where(Staff.site == site).order_by(Staff.id).first()
    return Context(ctx.config, ctx.clock, ctx.db, site, first)


def fill(
    ctx: Context,
    months: int | None = None,
    seed: int = 1,
    progress: Progress | None = None,
    busy: float = 1,
    domain_days: int = DOMAIN_DAYS,
) -> int:
    """Write the demo history; returns the number of services written. The
    last `domain_days` days before today go through the domain functions,
    the days before them in bulk; `busy` scales the customers a day."""
    if Service.select().where(Service.site == ctx.site).exists():
        raise BadInput("demo_not_empty")
    days = days_of(ctx, months)
    rng = random.Random(seed)
    staff = ctx.active_staff()
    weights = [4 if s.role == "virastomestari" else 1 for s in staff]
    written = 0
    by_hand = ctx.today() - timedelta(days=domain_days)
    with storage.schema_lock(ctx.db):
        if Service.select().where(Service.site == ctx.site).exists():
            raise BadInput("demo_not_empty")
        writer: Bulk | Domain = Bulk(ctx)
        for done, day in enumerate(days, start=1):
            if day >= by_hand and isinstance(writer, Bulk):
                writer.close()
                writer = Domain(ctx)
            elif day.day == 1:
                writer.flush()
            written += _fill_day(ctx, writer, rng, day, staff, weights, busy)
            if progress is not None:
                progress(done, len(days))
        writer.close()
    return written


def _fill_day(ctx, writer, rng, day: date, staff, weights, busy: float) -> int:
    if ctx.calendar.is_closed_day(day):
        return 0
    written = 0
    now = ctx.now()
    mean = DAY_MEAN.get(day.weekday(), 8) * busy
    times = sorted(_moment(rng, day) for _ in range(_poisson(rng, mean)))
    for at in times:
        if at > now:
            break
        who = rng.choices(staff, weights)[0]
        code = rng.choices(list(CATEGORY_WEIGHTS), CATEGORY_WEIGHTS.values())[0]
        first = _service(ctx, writer, rng, code, at, who)
        written += 1
        if rng.random() < 0.15:
            extra = rng.choice(["online", "material", "booking", "advice"])
            writer.extra(extra, at + timedelta(minutes=4), who, first)
            written += 1
        if rng.random() < 0.01:
            writer.void(first, who)
    if rng.random() < 0.08 and times and times[0] <= now:
        writer.refer(rng.choice(EXCLUDED_DOCUMENTS), times[0], staff[0])
    if rng.random() < 0.3 and times and times[-1] <= now:
        written += _booth_session(ctx, writer, rng, day, staff[0])
    return written


def _service(ctx, writer, rng, code, at, who) -> int:
    """The first service of a visit; returns its id."""
    if code == "document":
        kind = rng.choices(["application", "attachment", "other"], [5, 4, 1])[0]
        service, receipts = writer.documents(kind, rng.choice([1, 1, 1, 2, 3]), at, who)
        _forward_later(ctx, writer, rng, receipts, at, who)
        return service
    if code == "feedback":
        kind = rng.choices(FEEDBACK_KINDS, [3, 2, 2, 1])[0]
        service, given = writer.feedback(kind, at, who)
        sent = datetime.combine(
            ctx.calendar.add_working_days(at.date(), 1), time(9, 45), tzinfo=HELSINKI
        )
        if sent <= ctx.now():
            writer.forward_feedback(given, sent, who)
        return service
    note = rng.choice(NOTES) if code == "advice" and rng.random() < 0.3 else None
    return writer.service(code, at, who, note)


def _forward_later(ctx, writer, rng, receipts, at: datetime, who) -> None:
    """Most documents go the next working day; a few late, a few still waiting."""
    roll = rng.random()
    if roll < 0.025:
        return
    days = 2 + rng.randrange(3) if roll < 0.08 else 1
    day = ctx.calendar.add_working_days(at.date(), days)
    when = datetime.combine(day, time(9, 30 + rng.randrange(20)), tzinfo=HELSINKI)
    if when <= ctx.now():
        writer.forward_documents(receipts, when, who)


def _booth_session(ctx, writer, rng, day: date, who) -> int:
    """A whole booth session through the state machine, most of them
    completed; 1 when it was written (its service), else 0."""
    at = datetime.combine(day, time(10 + rng.randrange(3), rng.randrange(60)), tzinfo=HELSINKI)
    steps = (2, 4, 3, 15 + rng.randrange(25))  # assessing, preparing, connecting, in session
    if at + timedelta(minutes=sum(steps) + 2) > ctx.now() or not writer.booth_free():
        return 0
    # Connecting to Kela is refused outside Kela's remote-service hours.
    if not ctx.calendar.in_kela_hours(at + timedelta(minutes=sum(steps[:2]))):
        return 0
    outcome = rng.choices(OUTCOMES, [20, 2, 1, 1, 1])[0]
    writer.booth_session(at, steps, outcome, who)
    return 1


class Domain:
    """Writes through the domain functions, one entry at a time."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def service(self, code: str, at: datetime, who, note: str | None) -> int:
        return services.log_service(self.ctx, code, at=at, staff=who, note=note).id

    def extra(self, code: str, at: datetime, who, visit_of: int) -> None:
        services.log_service(self.ctx, code, at=at, staff=who, visit_of=visit_of)

    def void(self, service: int, who) -> None:
        services.void_service(self.ctx, service, VOID_REASON, staff=who)

    def documents(self, kind: str, count: int, at: datetime, who) -> tuple[int, list[str]]:
        docs = documents.receive_documents(self.ctx, kind, count, at=at, staff=who)
        return docs[0].service_id, [d.receipt for d in docs]

    def forward_documents(self, receipts: list[str], when: datetime, who) -> None:
        documents.forward_documents(self.ctx, receipts, at=when, staff=who)

    def feedback(self, kind: str, at: datetime, who) -> tuple[int, int]:
        given = feedback.record_feedback(self.ctx, FEEDBACK_TEXT, kind, at=at, staff=who)
        return given.service_id, given.id

    def forward_feedback(self, given: int, when: datetime, who) -> None:
        feedback.forward_feedback(self.ctx, [given], at=when, staff=who)

    def refer(self, kind: str, at: datetime, who) -> None:
        documents.refer(self.ctx, kind, at=at, staff=who)

    def booth_free(self) -> bool:
        return booth.status(self.ctx).state == booth.FREE

    def booth_session(self, at: datetime, steps, outcome: str, who) -> None:
        ctx = self.ctx
        booth.advance(ctx, at=at, staff=who)
        for duty, minutes in zip(booth.DUTIES, steps, strict=False):
            booth.tick(ctx, duty, at=at, staff=who)
            at += timedelta(minutes=minutes)
            booth.advance(ctx, at=at, staff=who)
        booth.tick(ctx, "close", at=at, staff=who)
        booth.end(
            ctx,
            outcome,
            at=at + timedelta(minutes=2),
            staff=who,
            counter_category="advice" if outcome == "at_counter" else None,
        )

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass


# What the bulk writer writes, in the order the foreign keys need.
BULK_TABLES = (Visit, Service, Document, Feedback, Referral, BoothSession, BoothPhase, BoothDuty)


class Bulk:
    """Writes the rows the domain functions would write, many in one
    statement, numbering them itself. Each month written is audited by one
    entry on the point: who wrote it, and how many rows of each table with
    which numbers (the rows themselves hold the rest)."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.created = to_utc_naive(ctx.now())
        self.rows: dict = {model: [] for model in BULK_TABLES}
        self.next = {
            model: (model.select(fn.MAX(model.id)).scalar() or 0) + 1 for model in BULK_TABLES
        }
        self.receipts = dict(
            ReceiptCounter.select(ReceiptCounter.year, ReceiptCounter.last)
            .where(ReceiptCounter.site == ctx.site)
            .tuples()
        )
        self._by_service: dict[int, list[dict]] = {}
        self._services: dict[int, dict] = {}
        self._documents: dict[str, dict] = {}
        self._given: dict[int, dict] = {}
        self.written = False

    def _add(self, model, **values) -> dict:
        values["id"] = self.next[model]
        self.next[model] += 1
        self.rows[model].append(values)
        return values

    def _stamp(self, at: datetime, who) -> dict:
        utc = to_utc_naive(at)
        local = from_utc_naive(utc)
        return {
            "site": self.ctx.site.id,
            "at": utc,
            "day": local.date(),
            "hour": local.hour,
            "weekday": local.weekday(),
            "staff": who.id,
            "created_at": self.created,
        }

    def _visit(self, at: datetime, who) -> int:
        outside = not self.ctx.calendar.is_office_open(at)
        return self._add(Visit, outside_hours=outside, **self._stamp(at, who))["id"]

    def _service(self, code: str, at: datetime, who, visit: int, **more) -> dict:
        row = self._add(
            Service,
            visit=visit,
            category=code,
            note=more.get("note"),
            duration_seconds=more.get("duration_seconds"),
            outside_hours=not self.ctx.calendar.is_office_open(at),
            origin=more.get("origin", "counter"),
            status="active",
            replaces=None,
            void_reason=None,
            voided_at=None,
            voided_by=None,
            entered_later=False,
            **self._stamp(at, who),
        )
        self._services[row["id"]] = row
        return row

    def service(self, code: str, at: datetime, who, note: str | None) -> int:
        return self._service(code, at, who, self._visit(at, who), note=note)["id"]

    def extra(self, code: str, at: datetime, who, visit_of: int) -> None:
        self._service(code, at, who, self._services[visit_of]["visit"])

    def void(self, service: int, who) -> None:
        row = self._services[service]
        row.update(status="voided", void_reason=VOID_REASON, voided_at=self.created)
        row["voided_by"] = who.id
        for document in self._by_service.get(service, ()):
            document["status"] = "voided"

    def documents(self, kind: str, count: int, at: datetime, who) -> tuple[int, list[str]]:
        service = self._service("document", at, who, self._visit(at, who))["id"]
        deadline = self.ctx.calendar.forwarding_deadline(at.date())
        first = self.receipts.get(at.year, 0) + 1
        self.receipts[at.year] = first + count - 1
        rows = []
        for number in range(first, first + count):
            rows.append(
                self._add(
                    Document,
                    service=service,
                    year=at.year,
                    number=number,
                    receipt=documents.receipt_code(self.ctx.site.code, at.year, number),
                    kind=kind,
                    note=None,
                    deadline=deadline,
                    forwarded_at=None,
                    forwarded_day=None,
                    forward_method=None,
                    forwarded_by=None,
                    status="active",
                    **self._stamp(at, who),
                )
            )
        self._by_service[service] = rows
        for row in rows:
            self._documents[row["receipt"]] = row
        return service, [row["receipt"] for row in rows]

    def forward_documents(self, receipts: list[str], when: datetime, who) -> None:
        for receipt in receipts:
            self._documents[receipt].update(
                forwarded_at=to_utc_naive(when),
                forwarded_day=when.date(),
                forward_method="secure-mail",
                forwarded_by=who.id,
            )

    def feedback(self, kind: str, at: datetime, who) -> tuple[int, int]:
        service = self._service("feedback", at, who, self._visit(at, who))["id"]
        row = self._add(
            Feedback,
            service=service,
            kind=kind,
            text=FEEDBACK_TEXT,
            forwarded_at=None,
            forward_method=None,
            forwarded_by=None,
            **self._stamp(at, who),
        )
        self._given[row["id"]] = row
        return service, row["id"]

    def forward_feedback(self, given: int, when: datetime, who) -> None:
        self._given[given].update(
            forwarded_at=to_utc_naive(when), forward_method="secure-mail", forwarded_by=who.id
        )

    def refer(self, kind: str, at: datetime, who) -> None:
        self._add(Referral, kind=kind, visit=None, status="active", **self._stamp(at, who))

    def booth_free(self) -> bool:
        return True

    def booth_session(self, at: datetime, steps, outcome: str, who) -> None:
        marks = [at]
        for minutes in steps:
            marks.append(marks[-1] + timedelta(minutes=minutes))
        ended = marks[-1] + timedelta(minutes=2)
        marks.append(ended)
        visit = self._visit(at, who)
        if outcome == "at_counter":
            service = self._service("advice", at, who, visit)
        else:
            seconds = int((ended - marks[2]).total_seconds())
            service = self._service(
                "remote", at, who, visit, origin="booth", duration_seconds=seconds
            )
        session = self._add(
            BoothSession,
            booth=1,
            state=booth.FREE,
            state_since=to_utc_naive(ended),
            ended_at=to_utc_naive(ended),
            outcome=outcome,
            connected_at=to_utc_naive(marks[3]),
            disconnected_at=to_utc_naive(marks[4]),
            counter_category="advice" if outcome == "at_counter" else None,
            service=service["id"],
            booking=None,
            **self._stamp(at, who),
        )["id"]
        for state, started, finished in zip(booth.FLOW, marks, marks[1:], strict=False):
            self._add(
                BoothPhase,
                session=session,
                state=state,
                started_at=to_utc_naive(started),
                ended_at=to_utc_naive(finished),
                staff=who.id,
            )
        for duty, ticked in zip(booth.DUTIES, marks, strict=False):
            self._add(
                BoothDuty, session=session, duty=duty, ticked_at=to_utc_naive(ticked), staff=who.id
            )

    def flush(self) -> None:
        """Write the rows gathered, with the audit entry of what was written."""
        if not any(self.rows.values()):
            return
        counts = {}
        for model, rows in self.rows.items():
            if rows:
                counts[model._meta.table_name] = [len(rows), rows[0]["id"], rows[-1]["id"]]
                for part in chunked(rows, 500):
                    model.insert_many(part).execute()
        days = sorted({row["day"] for row in self.rows[Visit]})
        Audit.create(
            site=self.ctx.site,
            at=self.created,
            who=self.ctx.staff.code,
            entity="site",
            entity_id=self.ctx.site.id,
            action="demo",
            before=None,
            after=json.dumps(
                {
                    "first_day": days[0].isoformat() if days else None,
                    "last_day": days[-1].isoformat() if days else None,
                    "rows": counts,
                },
                sort_keys=True,
            ),
        )
        self.rows = {model: [] for model in BULK_TABLES}
        self._by_service, self._services, self._documents, self._given = {}, {}, {}, {}
        self.written = True

    def close(self) -> None:
        """Write what is left, the receipt counters, and on PostgreSQL move
        the tables' sequences past the numbers given here."""
        self.flush()
        for year, last in self.receipts.items():
            where = (ReceiptCounter.site == self.ctx.site) & (ReceiptCounter.year == year)
            if not ReceiptCounter.update(last=last).where(where).execute():
                ReceiptCounter.create(site=self.ctx.site, year=year, last=last)
        if self.written and isinstance(self.ctx.db, PostgresqlDatabase):
            for model in BULK_TABLES:
                table = model._meta.table_name
                self.ctx.db.execute_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT MAX(id) FROM {table}))"
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
