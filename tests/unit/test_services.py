"""Logging, visits, voids and corrections, on SQLite and PostgreSQL."""

from datetime import datetime

import pytest

from kela_tui import services
from kela_tui.errors import BadInput, Refused
from kela_tui.models import Audit, MonthEvent, Service, Visit
from tests.conftest import with_point


def count(model) -> int:
    return model.select().count()


def test_log_service_stores_a_visit_with_one_service(ctx):
    service = services.log_service(ctx, "1")
    assert service.category == "advice"
    assert service.staff.code == "virastomestari"
    assert service.site.code == "KANNUS"
    assert (count(Visit), count(Service)) == (1, 1)
    assert service.day.isoformat() == "2026-09-15"
    assert (service.hour, service.weekday) == (10, 1)
    assert not service.outside_hours


def test_category_by_code_or_hotkey(ctx):
    assert services.log_service(ctx, "online").category == "online"
    assert services.log_service(ctx, "8").category == "other"


def test_unknown_category_is_bad_input_and_writes_nothing(ctx):
    with pytest.raises(BadInput) as caught:
        services.log_service(ctx, "9")
    assert "unknown service '9'" in str(caught.value)
    assert count(Service) == 0


def test_logging_outside_office_hours_is_marked(ctx):
    evening = services.log_service(ctx, "advice", at=datetime(2026, 9, 14, 16, 30))
    assert evening.outside_hours


def test_logging_on_a_public_holiday_is_marked(ctx, clock):
    clock.set(datetime(2026, 12, 8, 12, 0))
    holiday = services.log_service(ctx, "advice", at=datetime(2026, 12, 6, 11, 0))
    assert holiday.outside_hours


def test_future_is_refused(ctx):
    with pytest.raises(Refused) as caught:
        services.log_service(ctx, "advice", at=datetime(2026, 9, 15, 10, 30))
    assert "in the future" in str(caught.value)
    assert count(Service) == 0


def test_before_the_agreement_is_refused(ctx):
    with pytest.raises(Refused) as caught:
        services.log_service(ctx, "advice", at=datetime(2026, 8, 14, 12, 0))
    assert "before the agreement's start" in str(caught.value)
    assert count(Service) == 0


def test_first_day_of_the_agreement_is_allowed(ctx):
    assert services.log_service(ctx, "advice", at=datetime(2026, 8, 15, 0, 1))


def test_after_the_agreement_end_is_refused(db_url, config, clock):
    from datetime import date

    from kela_tui.context import open_context

    ending = with_point(config, agreement_end=date(2026, 8, 31))
    ctx = open_context(ending, db_url, clock)
    with pytest.raises(Refused) as caught:
        services.log_service(ctx, "advice", at=datetime(2026, 9, 1, 10, 0))
    assert "after the agreement's end" in str(caught.value)
    assert services.log_service(ctx, "advice", at=datetime(2026, 8, 31, 10, 0))


def close_month(ctx, month: str) -> None:
    MonthEvent.create(site=ctx.site, month=month, action="close", at=datetime(2026, 9, 2))


def test_closed_month_refuses_logging_void_and_correction(ctx):
    august = services.log_service(ctx, "advice", at=datetime(2026, 8, 20, 10, 0))
    close_month(ctx, "2026-08")
    with pytest.raises(Refused, match="August 2026 is closed"):
        services.log_service(ctx, "advice", at=datetime(2026, 8, 21, 10, 0))
    with pytest.raises(Refused, match="closed"):
        services.void_service(ctx, august.id, "wrong")
    with pytest.raises(Refused, match="closed"):
        services.correct_service(ctx, august.id, category_name="online")
    september = services.log_service(ctx, "advice")
    with pytest.raises(Refused, match="closed"):
        services.correct_service(ctx, september.id, at=datetime(2026, 8, 25, 10, 0))
    assert Service.get_by_id(august.id).status == "active"
    assert count(Service) == 2


def test_reopened_month_accepts_entries_again(ctx):
    close_month(ctx, "2026-08")
    MonthEvent.create(
        site=ctx.site,
        month="2026-08",
        action="reopen",
        at=datetime(2026, 9, 3),
        reason="late entry",
    )
    assert services.log_service(ctx, "advice", at=datetime(2026, 8, 21, 10, 0))


@pytest.mark.parametrize("code", ["131052-308T", "010594Y9021", "010516B903X", "131052-308U"])
def test_identity_code_in_a_note_is_refused_and_nothing_written(ctx, code):
    audited = count(Audit)
    with pytest.raises(Refused, match="identity code"):
        services.log_service(ctx, "advice", note=f"asiakas {code} kysyi")
    assert count(Service) == 0 and count(Visit) == 0 and count(Audit) == audited


def test_adding_a_service_to_a_visit(ctx, clock):
    first = services.log_service(ctx, "advice")
    clock.advance(minutes=3)
    second = services.log_service(ctx, "online", visit_of=first.id)
    assert second.visit_id == first.visit_id
    assert count(Visit) == 1


def test_adding_to_a_visit_of_another_day_is_refused(ctx):
    earlier = services.log_service(ctx, "advice", at=datetime(2026, 9, 14, 10, 0))
    with pytest.raises(BadInput, match="another day"):
        services.log_service(ctx, "online", visit_of=earlier.id)
    with pytest.raises(BadInput, match="no service number 999"):
        services.log_service(ctx, "online", visit_of=999)


def test_document_and_feedback_have_their_own_functions(ctx):
    with pytest.raises(BadInput, match="doc receive"):
        services.log_service(ctx, "5")
    with pytest.raises(BadInput, match="kela-tui feedback"):
        services.log_service(ctx, "feedback")


def test_unknown_staff_is_bad_input(ctx):
    with pytest.raises(BadInput, match="unknown staff member 'nobody'"):
        services.log_service(ctx, "advice", staff="nobody")


def test_void_needs_a_reason(ctx):
    service = services.log_service(ctx, "advice")
    with pytest.raises(BadInput, match="give a reason for voiding"):
        services.void_service(ctx, service.id, "   ")
    assert Service.get_by_id(service.id).status == "active"


def test_void_keeps_the_record_with_its_reason_and_audit(ctx):
    service = services.log_service(ctx, "advice")
    voided = services.void_service(ctx, service.id, "wrong key", staff="varahenkilo")
    assert voided.status == "voided"
    assert voided.void_reason == "wrong key"
    assert voided.voided_by.code == "varahenkilo"
    assert count(Service) == 1
    entries = list(
        Audit.select()
        .where((Audit.entity == "service") & (Audit.entity_id == service.id))
        .order_by(Audit.id)
    )
    assert [e.action for e in entries] == ["create", "void"]
    assert '"status": "active"' in entries[1].before
    assert '"status": "voided"' in entries[1].after
    assert entries[1].who == "varahenkilo"
    with pytest.raises(Refused, match="already been voided"):
        services.void_service(ctx, service.id, "again")


def test_correction_keeps_the_old_version(ctx, clock):
    service = services.log_service(ctx, "advice", note="asumistuki")
    clock.advance(minutes=5)
    new = services.correct_service(ctx, service.id, category_name="online", note="opintotuki")
    old = Service.get_by_id(service.id)
    assert old.status == "corrected" and old.category == "advice" and old.note == "asumistuki"
    assert new.status == "active" and new.category == "online" and new.note == "opintotuki"
    assert new.replaces_id == old.id
    assert new.at == old.at
    actions = [
        a.action for a in Audit.select().where(Audit.entity == "service").order_by(Audit.id)
    ]
    assert actions == ["create", "supersede", "correct"]


def test_correction_to_another_day_moves_it_to_a_new_visit(ctx):
    service = services.log_service(ctx, "advice")
    new = services.correct_service(ctx, service.id, at=datetime(2026, 9, 14, 11, 0))
    assert new.day.isoformat() == "2026-09-14"
    assert new.visit_id != service.visit_id


def test_correction_is_checked_like_a_new_entry(ctx):
    service = services.log_service(ctx, "advice")
    with pytest.raises(Refused, match="before the agreement"):
        services.correct_service(ctx, service.id, at=datetime(2026, 8, 1, 10, 0))
    with pytest.raises(Refused, match="identity code"):
        services.correct_service(ctx, service.id, note="131052-308T")
    assert Service.get_by_id(service.id).status == "active"
    assert count(Service) == 1


def test_entries_of_day_lists_newest_first_with_voids(ctx, clock):
    first = services.log_service(ctx, "advice")
    clock.advance(minutes=1)
    second = services.log_service(ctx, "online")
    services.void_service(ctx, first.id, "mistake")
    entries = services.entries_of_day(ctx, clock.today())
    assert [e.id for e in entries] == [second.id, first.id]
    assert entries[1].status == "voided"
