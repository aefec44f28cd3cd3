"""Hand-computed months, checked field by field."""

from datetime import date, datetime
from decimal import Decimal

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
    # October is over: compared with the whole of September.
    stats = statistics.month_stats(Month(2026, 10), [small_month.site], date(2026, 11, 5))
    assert stats.services == 1
    assert stats.previous.services == 8 and stats.previous.month == Month(2026, 9)
    assert not stats.previous.partial and not stats.previous.per_open_day
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


# Like-for-like comparisons


def test_a_running_month_is_compared_with_the_same_days(small_month):
    # 5 October: October's first five days against September's.
    stats = statistics.month_stats(Month(2026, 10), [small_month.site], date(2026, 10, 5))
    before = stats.previous
    assert (before.first, before.last) == (date(2026, 9, 1), date(2026, 9, 5))
    # Three open days against four: not alike, so compared per open day.
    assert before.partial and before.per_open_day
    # The advice, the online service, the corrected booking and the documents.
    assert before.services == 4 and before.visits == 3
    assert before.documents == 3 and before.booth_sessions == 0
    assert before.feedback == 0 and before.referrals == 0
    assert (stats.first, stats.last) == (date(2026, 10, 1), date(2026, 10, 5))
    # Thursday 1 October to Monday 5 October; 1 to 5 September is a week's days.
    assert stats.open_days == 3 and before.open_days == 4


def test_the_same_days_end_at_the_shorter_months_end(ctx, clock):
    clock.set(datetime(2026, 10, 31, 12, 0))
    services.log_service(ctx, "advice", at=datetime(2026, 9, 30, 10, 0))
    stats = statistics.month_stats(Month(2026, 10), [ctx.site], date(2026, 10, 31))
    assert stats.previous.last == date(2026, 9, 30) and stats.previous.services == 1


def test_a_running_month_in_the_clock_and_every_figure_compared(ctx, clock):
    clock.set(datetime(2026, 10, 27, 10, 0))
    services.log_service(ctx, "advice", at=datetime(2026, 10, 27, 9, 0))
    documents.receive_documents(ctx, "application", at=datetime(2026, 10, 27, 9, 30))
    feedback.record_feedback(ctx, "Hyvä", "praise", at=datetime(2026, 10, 27, 9, 40))
    documents.refer(ctx, "pension-application", at=datetime(2026, 10, 27, 9, 50))
    clock.set(datetime(2026, 10, 28, 10, 0))
    services.log_service(ctx, "online", at=datetime(2026, 10, 28, 9, 0))
    documents.receive_documents(ctx, "application", at=datetime(2026, 10, 28, 9, 30))
    clock.set(datetime(2026, 11, 27, 10, 0))
    stats = statistics.month_stats(Month(2026, 11), [ctx.site], ctx.today())
    before = stats.previous
    assert (before.first, before.last) == (date(2026, 10, 1), date(2026, 10, 27))
    # 28 October is after the days compared.
    assert before.by_category["advice"] == 1 and before.by_category["online"] == 0
    assert before.documents == 1 and before.feedback == 1 and before.referrals == 1
    shown = stats.to_json()
    assert shown["previous_month"]["from"] == "2026-10-01"
    assert shown["previous_month"]["to"] == "2026-10-27"
    assert shown["previous_month"]["documents"] == 1
    assert shown["previous_month"]["partial"] is True
    assert (shown["from"], shown["to"], shown["partial"]) == ("2026-11-01", "2026-11-27", True)


def test_the_first_month_is_partial_with_nothing_before_it(ctx):
    stats = statistics.month_stats(Month(2026, 8), [ctx.site], date(2026, 11, 27))
    assert stats.previous is None and stats.year_ago is None
    assert (stats.first, stats.last) == (date(2026, 8, 15), date(2026, 8, 31))
    # 17 to 31 August 2026: eleven weekdays.
    assert stats.open_days == 11
    shown = stats.to_json()
    assert shown["partial"] is True and shown["open_days"] == 11


def test_a_month_after_the_partial_one_is_compared_per_open_day(ctx, clock):
    clock.set(datetime(2026, 10, 5, 10, 0))
    stats = statistics.month_stats(Month(2026, 9), [ctx.site], ctx.today())
    assert stats.previous.per_open_day and stats.previous.open_days == 11
    assert (stats.previous.first, stats.previous.last) == (date(2026, 8, 15), date(2026, 8, 31))
    assert stats.open_days == 22 and not stats.headline().partial
    assert stats.to_json()["previous_month"]["per_open_day"] is True
    # On 15 September its days are compared with 15 August alone, a Saturday:
    # no open day to compare with, so no comparison.
    early = statistics.month_stats(Month(2026, 9), [ctx.site], date(2026, 9, 15))
    assert early.previous is None and early.open_days == 11
    # A year later August is whole, the August it is compared with is not.
    clock.set(datetime(2027, 9, 5, 10, 0))
    later = statistics.month_stats(Month(2027, 8), [ctx.site], ctx.today())
    assert later.year_ago.per_open_day and not later.previous.per_open_day


def joining(ctx, code: str, start: date):
    """Another point whose agreement starts on `start`, with this one's staff."""
    from dataclasses import replace
    from types import SimpleNamespace

    from kela_tui.context import Context, create_site
    from kela_tui.models import Staff

    point = replace(ctx.settings.first, name=code.title(), agreement_start=start)
    staff = [SimpleNamespace(id=m.code, name=m.name, role=m.role) for m in ctx.active_staff()]
    with ctx.writing():
        site = create_site(ctx.clock, code, point, staff, by=ctx.staff)
    first = Staff.select().where(Staff.site == site).order_by(Staff.id).first()
    return Context(ctx.config, ctx.clock, ctx.db, site, first)


def test_a_point_joining_mid_month_is_left_out_of_the_comparison(ctx, clock):
    # 17 services in September and 18 in October at the old point; the new
    # one joins on 20 October with 2 services. Per open day over both (a
    # day at the small new point weighing as one at the old) October would
    # seem to fall; like with like, the old point's counts rose by one.
    clock.set(datetime(2026, 10, 30, 12, 0))
    for day in range(1, 18):
        services.log_service(ctx, "advice", at=datetime(2026, 9, day, 10, 0))
    for day in range(1, 19):
        services.log_service(ctx, "advice", at=datetime(2026, 10, day, 10, 0))
    halsua = joining(ctx, "HALSUA", date(2026, 10, 20))
    for day in (21, 22):
        services.log_service(halsua, "online", at=datetime(2026, 10, day, 10, 0))
    both = [ctx.site, halsua.site]
    stats = statistics.month_stats(Month(2026, 10), both, date(2026, 11, 5), "all")
    assert stats.services == 20
    before = stats.previous
    assert not before.per_open_day and (before.sites, before.of_sites) == (1, 2)
    assert (before.first, before.last) == (date(2026, 9, 1), date(2026, 9, 30))
    assert before.services == 17 and before.against.services == 18
    assert before.against.by_category["online"] == 0
    assert before.against.open_days == 22 and before.open_days == 22
    assert stats.to_json()["previous_month"]["sites_compared"] == 1
    # November is compared with the old point's October; December with
    # both points' November, their agreements covering both months.
    clock.set(datetime(2026, 12, 10, 12, 0))
    services.log_service(halsua, "online", at=datetime(2026, 11, 3, 10, 0))
    november = statistics.month_stats(Month(2026, 11), both, date(2026, 12, 5), "all")
    assert november.previous.sites == 1 and november.previous.services == 18
    assert november.previous.against.services == 0
    later = statistics.month_stats(Month(2026, 12), both, date(2026, 12, 10), "all")
    assert later.previous.sites == 2 and later.previous.against is None
    assert later.previous.services == 1
    # The new point alone: its first whole month against its part month,
    # per open day.
    alone = statistics.month_stats(Month(2026, 11), [halsua.site], date(2026, 12, 5))
    assert alone.previous.per_open_day and alone.previous.open_days == 9
    assert alone.previous.services == 2 and alone.previous.against is None


def test_same_days_with_different_open_days_are_compared_per_open_day(ctx, clock):
    clock.set(datetime(2026, 11, 27, 10, 0))
    services.log_service(ctx, "advice", at=datetime(2026, 11, 2, 10, 0))
    # 1 to 27 November: 20 weekdays; 1 to 27 October: 19.
    stats = statistics.month_stats(Month(2026, 11), [ctx.site], date(2026, 11, 27))
    assert stats.open_days == 20 and stats.previous.open_days == 19
    assert stats.previous.per_open_day and stats.previous.partial
    # Tuesday 1 December against Sunday 1 November: not one open day to
    # compare with, so no comparison.
    first = statistics.month_stats(Month(2026, 12), [ctx.site], date(2026, 12, 1))
    assert first.open_days == 1 and first.previous is None
    # 1 to 10 November and 1 to 10 October are each seven weekdays: counts.
    same = statistics.month_stats(Month(2026, 11), [ctx.site], date(2026, 11, 10))
    assert same.open_days == 7 and same.previous.open_days == 7
    assert not same.previous.per_open_day and same.previous.partial


def test_a_finished_month_is_compared_whole_with_what_was_issued(small_month, clock):
    from kela_tui import statement
    from kela_tui.i18n import Translator
    from kela_tui.models import Document

    waiting = Document.get(Document.forwarded_at.is_null())
    documents.forward_documents(small_month, [waiting.receipt], at=datetime(2026, 9, 30, 15, 0))
    statement.issue(small_month, Month(2026, 9), Translator("en"))
    stats = statistics.month_stats(Month(2026, 10), [small_month.site], date(2026, 11, 5))
    before = stats.previous
    assert not before.partial and not before.per_open_day
    assert (before.services, before.documents, before.booth_sessions) == (8, 3, 1)
    assert (before.feedback, before.referrals) == (1, 1)


# Compensation to date


def test_the_compensation_of_the_month_the_year_and_the_agreement(ctx):
    money = statistics.money(Month(2026, 11), [ctx.site])
    # 17 of 31 days of August, then 300.00 a month.
    assert money.month == Decimal("300.00")
    assert money.year_to_date == money.agreement_to_date == Decimal("1064.52")
    money = statistics.money(Month(2027, 2), [ctx.site])
    assert money.year_to_date == Decimal("600.00")
    assert money.agreement_to_date == Decimal("1964.52")
    stats = statistics.month_stats(Month(2027, 2), [ctx.site], date(2027, 2, 10)).to_json()
    assert stats["compensation_year_to_date"] == "600.00"
    assert stats["compensation_agreement_to_date"] == "1964.52"
    assert (
        "compensation_year_to_date"
        not in statistics.month_stats(Month(2027, 2), [ctx.site], date(2027, 2, 10)).own_figures()
    )


def test_a_closed_months_compensation_is_what_it_froze(ctx, clock):
    import json

    from kela_tui import statement
    from kela_tui.i18n import Translator
    from kela_tui.models import Statement

    clock.set(datetime(2026, 10, 5, 10, 0))
    issued = statement.issue(ctx, Month(2026, 9), Translator("en"))
    claim = json.loads(issued.figures)
    # As if issued by earlier settings: the claim, not today's settings, counts.
    claim["compensation"]["amount"] = "250.00"
    Statement.update(figures=json.dumps(claim)).where(Statement.id == issued.id).execute()
    money = statistics.money(Month(2026, 10), [ctx.site])
    assert money.agreement_to_date == Decimal("164.52") + Decimal("250.00") + Decimal("300.00")


def test_the_compensation_of_all_points(ctx, clock):
    from kela_tui import demo

    clock.set(datetime(2026, 9, 5, 10, 0))
    demo.fill_sites(ctx, sites=3, months=1, seed=4)
    from kela_tui.models import Site

    sites = list(Site.select().order_by(Site.id))
    money = statistics.money(Month(2026, 9), sites)
    assert money.month == Decimal("900.00")
    assert money.agreement_to_date == 3 * Decimal("464.52")
