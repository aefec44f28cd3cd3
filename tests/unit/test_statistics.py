"""A hand-computed month, checked field by field."""

from datetime import date, datetime

from kela_tui import documents, feedback, services, statistics
from kela_tui.months import Month


def test_a_small_month(ctx, clock):
    clock.set(datetime(2026, 10, 5, 12, 0))
    a = services.log_service(ctx, "advice", at=datetime(2026, 9, 1, 9, 10))
    services.log_service(ctx, "online", at=datetime(2026, 9, 1, 9, 15), visit_of=a.id)
    wrong = services.log_service(ctx, "material", at=datetime(2026, 9, 2, 10, 0))
    services.void_service(ctx, wrong.id, "mistake")
    fixed = services.log_service(ctx, "other", at=datetime(2026, 9, 3, 11, 0))
    services.correct_service(ctx, fixed.id, category_name="booking")
    docs = documents.receive_documents(ctx, "application", 3, at=datetime(2026, 9, 4, 10, 0))
    documents.forward_documents(ctx, [docs[0].receipt], at=datetime(2026, 9, 7, 9, 30))
    documents.forward_documents(ctx, [docs[1].receipt], at=datetime(2026, 9, 9, 9, 30))
    feedback.record_feedback(ctx, "Kiitos", "praise", at=datetime(2026, 9, 30, 14, 0))
    documents.refer(ctx, "pension-rehabilitation", at=datetime(2026, 9, 30, 14, 30))
    services.log_service(
        ctx,
        "remote",
        at=datetime(2026, 9, 8, 10, 0),
        origin="booth",
        duration_seconds=25 * 60 + 30,
    )
    services.log_service(ctx, "advice", at=datetime(2026, 10, 1, 9, 0))

    stats = statistics.month_stats(Month(2026, 9), [ctx.site], date(2026, 10, 5))
    assert stats.to_json() == {
        "month": "2026-09",
        "site": "KANNUS",
        "sites": ["KANNUS"],
        "visits": 5,
        "services": 6,
        "by_category": {
            "advice": 1,
            "online": 1,
            "remote": 1,
            "booking": 1,
            "document": 1,
            "material": 0,
            "feedback": 1,
            "other": 0,
        },
        "documents": {"received": 3, "forwarded": 2, "on_time": 1, "overdue": 1},
        "feedback": 1,
        "referrals": 1,
        "booth": {"sessions": 1, "minutes": 26},
        "compensation": "300.00",
    }


def test_august_2026_is_prorated(ctx):
    stats = statistics.month_stats(Month(2026, 8), [ctx.site], date(2026, 9, 15))
    assert stats.compensation.to_eng_string() == "164.52"
    assert stats.services == 0 and stats.visits == 0
