from __future__ import annotations

from datetime import datetime

import pytest

from kela_tui import documents, feedback, services
from kela_tui.app import KelaApp
from kela_tui.i18n import Translator


@pytest.fixture
def make_app(sqlite_ctx):
    """A factory of apps on one test database, in the chosen language."""

    def make(lang: str = "fi") -> KelaApp:
        return KelaApp(sqlite_ctx, Translator(lang), strict=True)

    return make


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
