"""Snapshots of the daily log's main states."""

from datetime import datetime

import pytest

from kela_tui import documents, feedback, services

SIZE = (120, 40)


@pytest.fixture
def busy_day(sqlite_ctx):
    ctx = sqlite_ctx
    documents.receive_documents(ctx, "application", 2, at=datetime(2026, 9, 10, 10, 0))
    for minute, code in enumerate(["advice", "online", "material", "advice", "booking"]):
        services.log_service(ctx, code, at=datetime(2026, 9, 15, 9, 5 + minute * 9))
    first = services.log_service(ctx, "advice", at=datetime(2026, 9, 15, 9, 50), note="asumistuki")
    services.log_service(ctx, "online", at=datetime(2026, 9, 15, 9, 53), visit_of=first.id)
    wrong = services.log_service(ctx, "other", at=datetime(2026, 9, 15, 9, 55))
    services.void_service(ctx, wrong.id, "väärä näppäin")
    fixed = services.log_service(ctx, "material", at=datetime(2026, 9, 15, 9, 57))
    services.correct_service(ctx, fixed.id, category_name="booking")
    services.log_service(
        ctx, "remote", at=datetime(2026, 9, 15, 9, 58), origin="booth", duration_seconds=1520
    )
    documents.receive_documents(ctx, "attachment", at=datetime(2026, 9, 15, 9, 59))
    feedback.record_feedback(
        ctx, "Kiitos hyvästä palvelusta", "praise", at=datetime(2026, 9, 15, 9, 59, 30)
    )
    return ctx


def test_busy_day(make_app, busy_day, snap_compare):
    assert snap_compare(make_app(), terminal_size=SIZE)


@pytest.mark.parametrize(
    "keys",
    [
        pytest.param(["5"], id="document_form"),
        pytest.param(["7"], id="feedback_form"),
        pytest.param(["enter"], id="entry_actions"),
        pytest.param(["enter", "enter"], id="correct_form"),
        pytest.param(["enter", "down", "enter"], id="void_form"),
        pytest.param(["f"], id="forward_form"),
        pytest.param(["5", "enter"], id="slip"),
        pytest.param(["left_square_bracket", "1"], id="backdate_form"),
        pytest.param(["7", *"hetu 131052-308T", "enter"], id="feedback_refused"),
        pytest.param(["5", "down", "down", "down", "enter"], id="document_referred"),
        pytest.param(["enter", "down", "enter", "enter"], id="void_without_reason"),
    ],
)
def test_forms_and_refusals(make_app, busy_day, snap_compare, keys):
    assert snap_compare(make_app(), terminal_size=SIZE, press=keys)


def test_undo_refused_after_grace(make_app, sqlite_ctx, clock, snap_compare):
    async def run_before(pilot):
        await pilot.press("1")
        clock.advance(seconds=30)
        await pilot.press("ctrl+z")

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)
