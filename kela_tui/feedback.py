"""Customer feedback to Kela: recorded as a `feedback` service, kept in a list
to forward to Kela."""

from __future__ import annotations

from datetime import datetime

from kela_tui import audit, privacy
from kela_tui.catalogue import FEEDBACK_KINDS
from kela_tui.context import Context
from kela_tui.errors import BadInput
from kela_tui.i18n import Msg
from kela_tui.models import Feedback
from kela_tui.services import acting, check_moment, create_service, visit_for

MAX_LENGTH = 4000


def record_feedback(
    ctx: Context,
    text: str,
    kind: str = "other",
    *,
    at: datetime | None = None,
    staff=None,
    visit_of: int | None = None,
) -> Feedback:
    text = (text or "").strip()
    if not text:
        raise BadInput("feedback_empty")
    if len(text) > MAX_LENGTH:
        raise BadInput("feedback_too_long", most=MAX_LENGTH)
    if kind not in FEEDBACK_KINDS:
        raise BadInput("unknown_feedback_kind", kind=kind, choices=", ".join(FEEDBACK_KINDS))
    privacy.guard(text, Msg("field.feedback"))
    who = acting(ctx, staff)
    when = check_moment(ctx, at)
    with ctx.writing():
        visit = visit_for(ctx, visit_of, when, who)
        service = create_service(ctx, "feedback", when, who, visit)
        feedback = Feedback.create(service=service, kind=kind, text=text, **ctx.stamp(when, who))
        audit.record(ctx, feedback, "create", who)
    return feedback
