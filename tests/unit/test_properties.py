"""Invariants under random use, and the identity-code guard on random text."""

import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kela_tui import audit, booth, documents, export, feedback, services, statement, statistics
from kela_tui import db as storage
from kela_tui.catalogue import CODES
from kela_tui.clock import FixedClock
from kela_tui.config import Config
from kela_tui.context import open_context
from kela_tui.errors import KelaError, Refused
from kela_tui.i18n import Msg, Translator
from kela_tui.models import TABLES, Audit, Document, ReceiptCounter, SchemaVersion, Service
from kela_tui.months import Month, is_closed
from kela_tui.privacy import guard

MONTHS = (Month(2026, 9), Month(2026, 10))
EN = Translator("en")
LOGGABLE = [c for c in CODES if c not in ("document", "feedback")]

operation = st.one_of(
    st.tuples(st.just("log"), st.sampled_from(LOGGABLE), st.integers(0, 60)),
    st.tuples(st.just("correct"), st.integers(0, 50), st.sampled_from(LOGGABLE)),
    st.tuples(st.just("void"), st.integers(0, 50), st.sampled_from(["mistake", ""])),
    st.tuples(st.just("receive"), st.integers(0, 3), st.integers(0, 60)),
    st.tuples(st.just("forward"), st.integers(0, 50), st.integers(0, 3)),
    st.tuples(st.just("issue"), st.sampled_from(MONTHS), st.none()),
    st.tuples(st.just("reopen"), st.sampled_from(MONTHS), st.sampled_from(["late", ""])),
    st.tuples(st.just("feedback"), st.integers(0, 60), st.sampled_from(["kiitos", ""])),
    st.tuples(st.just("refer"), st.integers(0, 60), st.none()),
    st.tuples(
        st.just("booth"), st.integers(0, 60), st.sampled_from(["completed", "customer_left"])
    ),
    st.tuples(st.just("book"), st.integers(0, 60), st.sampled_from([None, "Kela 10:00"])),
)


def moment(offset: int) -> datetime:
    """A working-hours moment in September or October 2026."""
    return datetime(2026, 9, 1, 9, 30) + timedelta(days=offset, minutes=7 * offset)


def fingerprint() -> tuple:
    return (
        tuple(model.select().count() for model in TABLES)
        + tuple((d.forwarded_at, d.status) for d in Document.select().order_by(Document.id))
        + tuple(s.status for s in Service.select().order_by(Service.id))
    )


def apply(ctx, op) -> None:
    kind, a, b = op
    entries = list(Service.select().order_by(Service.id))
    docs = list(Document.select().order_by(Document.id))
    if kind == "log":
        services.log_service(ctx, a, at=moment(b))
    elif kind == "correct" and entries:
        services.correct_service(ctx, entries[a % len(entries)].id, category_name=b)
    elif kind == "void" and entries:
        services.void_service(ctx, entries[a % len(entries)].id, b)
    elif kind == "receive":
        documents.receive_documents(ctx, "application", a, at=moment(b))
    elif kind == "forward" and docs:
        document = docs[a % len(docs)]
        documents.forward_documents(
            ctx,
            [document.receipt],
            at=datetime.combine(document.day, datetime.min.time()) + timedelta(days=b, hours=15),
        )
    elif kind == "issue":
        statement.issue(ctx, a, EN)
    elif kind == "reopen":
        statement.reopen(ctx, a, b)
    elif kind == "feedback":
        feedback.record_feedback(ctx, b, at=moment(a))
    elif kind == "refer":
        documents.refer(ctx, "pension-application", at=moment(a))
    elif kind == "booth":
        started = moment(a)
        booth.advance(ctx, at=started)
        if b == "completed" and not ctx.calendar.in_kela_hours(started):
            b = "kela_unavailable"  # it cannot be connected, so not completed
        if b == "completed":
            for _ in range(3):  # preparing, connecting, in session
                booth.advance(ctx, at=started)
        booth.end(ctx, b, at=started + timedelta(minutes=20))
    elif kind == "book":
        booth.book(ctx, datetime(2026, 11, 11, 9, 0) + timedelta(minutes=30 * (a % 10)), 30, b)


def check_totals(ctx) -> None:
    for month in MONTHS:
        stats = statistics.month_stats(month, [ctx.site], ctx.today())
        counted = Service.select().where(
            (Service.status == "active") & Service.day.between(month.first, month.last)
        )
        assert stats.services == sum(stats.by_category.values()) == counted.count()
        assert stats.services == len(export.rows(ctx, month))


# Every table of records, each row of which the audit trail must explain.
UNAUDITED = (SchemaVersion, ReceiptCounter, Audit)


def check_rebuilt_from_audit() -> None:
    """Every record's current state is the `after` of its latest audit entry:
    the trail alone rebuilds the database's records."""
    latest = {}
    for entry in Audit.select().order_by(Audit.id):
        latest[(entry.entity, entry.entity_id)] = entry.after
    for model in TABLES:
        if model in UNAUDITED:
            continue
        for row in model.select():
            key = (model._meta.table_name, row.id)
            assert key in latest, key
            assert latest[key] == audit.snapshot(row), key


def check_audit() -> None:
    actions = {}
    for entry in Audit.select():
        actions.setdefault((entry.entity, entry.entity_id), set()).add(entry.action)
    for service in Service.select():
        done = actions.get(("service", service.id), set())
        assert done & {"create", "correct"}
        assert service.status != "voided" or "void" in done
        assert service.status != "corrected" or "supersede" in done
    for document in Document.select():
        done = actions.get(("document", document.id), set())
        assert "create" in done
        assert document.forwarded_at is None or "forward" in done


@settings(
    max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(st.lists(operation, min_size=1, max_size=25))
def test_random_use_keeps_the_books_straight(ops):
    with tempfile.TemporaryDirectory() as folder:
        ctx = open_context(
            Config(path=Path(folder) / "c.toml"),
            f"sqlite:///{folder}/k.db",
            FixedClock(datetime(2026, 11, 10, 12, 0)),
            mode=storage.CREATE,
        )
        frozen = {}
        try:
            for op in ops:
                before = fingerprint()
                try:
                    apply(ctx, op)
                except KelaError as error:
                    assert fingerprint() == before, (op, error.key)
                for month in MONTHS:
                    stats = statistics.month_stats(month, [ctx.site], ctx.today()).to_json()
                    # The month's own numbers; comparisons follow the other months.
                    del stats["previous_month"], stats["year_ago"]
                    if is_closed(ctx.site, month):
                        assert frozen.setdefault(month, stats) == stats, op
                    else:
                        frozen.pop(month, None)
                check_totals(ctx)
            check_audit()
            check_rebuilt_from_audit()
        finally:
            ctx.db.close()


CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
CENTURY = {1800: "+", 1900: "-YXWVU", 2000: "ABCDEF"}


@st.composite
def identity_code(draw) -> str:
    born = draw(st.dates(min_value=date(1850, 1, 1), max_value=date(2025, 12, 31)))
    signs = CENTURY[born.year // 100 * 100]
    sign = draw(st.sampled_from(signs))
    individual = draw(st.integers(2, 899))
    digits = f"{born:%d%m}{born.year % 100:02d}"
    return f"{digits}{sign}{individual:03d}{CHECK[int(f'{digits}{individual:03d}') % 31]}"


words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzäö ,.", max_size=30)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(words, identity_code(), words)
def test_any_valid_code_in_any_text_is_refused(before, code, after):
    try:
        guard(f"{before} {code} {after}", Msg("field.note"))
    except Refused as refused:
        assert refused.key == "identity_code"
    else:
        raise AssertionError(f"{code} was not refused")
