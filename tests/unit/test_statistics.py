"""Hand-computed months, checked field by field."""

from datetime import date, datetime

import pytest

from kela_tui import booth, documents, feedback, services, statistics
from kela_tui.models import Service
from kela_tui.months import Month


@pytest.fixture
def small_month(ctx, clock):
    """September 2026, built service by service."""
    clock.set(datetime(2026, 10, 5, 12, 0))
    a = services.log_service(ctx, "advice", at=datetime(2026, 9, 1, 9, 10))
    services.log_service(
        ctx, "online", at=datetime(2026, 9, 1, 9, 15), visit_of=a.id, staff="varahenkilo"
    )
    wrong = services.log_service(ctx, "material", at=datetime(2026, 9, 2, 10, 0))
    services.void_service(ctx, wrong.id, "mistake")
    fixed = services.log_service(ctx, "other", at=datetime(2026, 9, 3, 11, 0))
    services.correct_service(ctx, fixed.id, category_name="booking")
    docs = documents.receive_documents(ctx, "application", 3, at=datetime(2026, 9, 4, 10, 0))
    documents.forward_documents(ctx, [docs[0].receipt], at=datetime(2026, 9, 7, 9, 30))
    documents.forward_documents(ctx, [docs[1].receipt], at=datetime(2026, 9, 9, 9, 30))
    feedback.record_feedback(ctx, "Kiitos", "praise", at=datetime(2026, 9, 30, 14, 0))
    documents.refer(ctx, "pension-rehabilitation", at=datetime(2026, 9, 30, 14, 30))
    for _ in range(3):  # assessing, preparing, connecting
        booth.advance(ctx, at=datetime(2026, 9, 8, 10, 0))
    booth.advance(ctx, at=datetime(2026, 9, 8, 10, 1))  # in session
    booth.end(ctx, "completed", at=datetime(2026, 9, 8, 10, 25, 30))
    booth.advance(ctx, at=datetime(2026, 9, 8, 11, 0))
    booth.end(ctx, "customer_left", at=datetime(2026, 9, 8, 11, 5))
    # Finnish time: 23:30 on the last day is September, 00:30 the next is October.
    services.log_service(ctx, "advice", at=datetime(2026, 9, 30, 23, 30))
    services.log_service(ctx, "advice", at=datetime(2026, 10, 1, 0, 30))
    return ctx


def test_the_contract_fields(small_month):
    stats = statistics.month_stats(Month(2026, 9), [small_month.site], date(2026, 10, 5))
    result = stats.to_json()
    assert {
        k: result[k]
        for k in (
            "month",
            "site",
            "visits",
            "services",
            "by_category",
            "documents",
            "feedback",
            "referrals",
            "compensation",
        )
    } == {
        "month": "2026-09",
        "site": "KANNUS",
        "visits": 7,  # the session the customer left is a service too
        "services": 8,
        "by_category": {
            "advice": 2,
            "online": 1,
            "remote": 2,
            "booking": 1,
            "document": 1,
            "material": 0,
            "feedback": 1,
            "other": 0,
        },
        "documents": {"received": 3, "forwarded": 2, "on_time": 1, "overdue": 1},
        "feedback": 1,
        "referrals": 1,
        "compensation": "300.00",
    }
    assert result["booth"]["sessions"] == 1 and result["booth"]["minutes"] == 26


def test_totals_equal_the_sum_over_categories(small_month):
    stats = statistics.month_stats(Month(2026, 9), [small_month.site], date(2026, 10, 5))
    assert stats.services == sum(stats.by_category.values()) == sum(stats.per_day.values())
    assert stats.services == sum(map(sum, stats.by_weekday_hour)) == sum(stats.by_staff.values())
    counted = Service.select().where(
        (Service.status == "active") & Service.day.between(date(2026, 9, 1), date(2026, 9, 30))
    )
    assert stats.services == counted.count()


def test_days_hours_staff_and_kinds(small_month):
    stats = statistics.month_stats(Month(2026, 9), [small_month.site], date(2026, 10, 5))
    assert len(stats.per_day) == 30
    assert stats.per_day[date(2026, 9, 1)] == 2 and stats.per_day[date(2026, 9, 2)] == 0
    assert stats.per_day[date(2026, 9, 30)] == 2  # the feedback and the 23:30 advice
    assert stats.by_weekday_hour[1][9] == 2  # Tuesday 1 September, 9 o'clock
    assert stats.by_weekday_hour[2][23] == 1  # Wednesday 30 September, 23:30
    assert stats.by_staff == {"Virastomestari": 7, "Varahenkilö": 1}
    assert stats.feedback_by_kind == {"praise": 1, "complaint": 0, "suggestion": 0, "other": 0}
    assert stats.referrals_by_kind == {"pension-application": 0, "pension-rehabilitation": 1}
    assert stats.booth["outcomes"]["completed"] == 1
    assert stats.booth["outcomes"]["customer_left"] == 1


def test_comparison_with_the_previous_month(small_month):
    stats = statistics.month_stats(Month(2026, 10), [small_month.site], date(2026, 10, 5))
    assert stats.services == 1
    assert stats.previous.services == 8 and stats.previous.month == Month(2026, 9)
    assert stats.year_ago is None
    first = statistics.month_stats(Month(2026, 8), [small_month.site], date(2026, 10, 5))
    assert first.previous is None


def test_utilisation_of_kela_hours(small_month):
    stats = statistics.month_stats(Month(2026, 9), [small_month.site], date(2026, 10, 5))
    # 22 weekdays in September 2026 of 6 hours each.
    assert stats.booth["kela_minutes"] == 22 * 360
    assert stats.booth["utilisation"] == "0.003"  # 26 / 7920


def test_the_first_partial_month(ctx):
    stats = statistics.month_stats(Month(2026, 8), [ctx.site], date(2026, 9, 15))
    assert stats.compensation.to_eng_string() == "164.52"
    assert stats.services == 0 and stats.visits == 0
    assert stats.booth["kela_minutes"] == 11 * 360  # 17 to 31 August: 11 weekdays


def test_an_empty_month_has_zeros_everywhere(ctx):
    stats = statistics.month_stats(Month(2026, 11), [ctx.site], date(2026, 9, 15))
    assert stats.services == 0 and set(stats.per_day.values()) == {0}
    assert stats.documents == {"received": 0, "forwarded": 0, "on_time": 0, "overdue": 0}
