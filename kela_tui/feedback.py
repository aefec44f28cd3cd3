"""Customer feedback to Kela: recorded as a `feedback` service, kept in a list
to forward to Kela."""

from __future__ import annotations

from datetime import datetime

from kela_tui import audit, text
from kela_tui.catalogue import FEEDBACK_KINDS
from kela_tui.clock import to_utc_naive
from kela_tui.context import Context
from kela_tui.documents import check_method, forward_documents, mark_forwarded
from kela_tui.errors import BadInput, Refused
from kela_tui.i18n import Msg
from kela_tui.models import Feedback, Service
from kela_tui.services import (
    acting,
    check_id,
    check_moment,
    check_open_month,
    create_service,
    visit_for,
)


def record_feedback(
    ctx: Context,
    given: str,
    kind: str = "other",
    *,
    at: datetime | None = None,
    staff=None,
    visit_of: int | None = None,
) -> Feedback:
    if kind not in FEEDBACK_KINDS:
        raise BadInput("unknown_feedback_kind", kind=kind, choices=", ".join(FEEDBACK_KINDS))
    # Feedback is the customer's own words: it may run over several lines.
    given = text.clean(
        given,
        Msg("field.feedback"),
        most=text.FEEDBACK,
        multiline=True,
        required=True,
        empty_key="feedback_empty",
    )
    who = acting(ctx, staff)
    when = check_moment(ctx, at)
    with ctx.writing():
        check_open_month(ctx, when.date(), new=True)
        visit = visit_for(ctx, visit_of, when, who)
        service = create_service(ctx, "feedback", when, who, visit)
        feedback = Feedback.create(service=service, kind=kind, text=given, **ctx.stamp(when, who))
        audit.record(ctx, feedback, "create", who)
    return feedback


def waiting(ctx: Context) -> list[Feedback]:
    """Feedback not yet forwarded to Kela, oldest first; voided entries excluded."""
    return list(
        Feedback.select(Feedback, Service)
        .join(Service)
        .where(
            (Feedback.site == ctx.site)
            & Feedback.forwarded_at.is_null()
            & (Service.status == "active")
        )
        .order_by(Feedback.at, Feedback.id)
    )


def forward_feedback(
    ctx: Context,
    ids: list[int],
    *,
    at: datetime | None = None,
    method: str = "secure-mail",
    staff=None,
) -> list[Feedback]:
    """Mark feedback forwarded to Kela; all or none."""
    check_method(method)
    who = acting(ctx, staff)
    when = check_moment(ctx, at)
    with ctx.writing():
        forwarded = []
        for feedback_id in dict.fromkeys(ids):
            item = Feedback.get_or_none(
                (Feedback.id == check_id(feedback_id, "unknown_feedback"))
                & (Feedback.site == ctx.site)
            )
            if item is None or item.service.status != "active":
                raise BadInput("unknown_feedback", id=feedback_id)
            if item.forwarded_at is not None:
                raise Refused("feedback_forwarded", id=feedback_id)
            if to_utc_naive(when) < item.at:
                raise BadInput("forward_before_feedback", id=feedback_id)
            mark_forwarded(ctx, item, when, method, who)
            forwarded.append(item)
    return forwarded


def forward_items(
    ctx: Context,
    receipts: list[str],
    feedback_ids: list[int],
    *,
    at: datetime | None = None,
    method: str = "secure-mail",
    staff=None,
) -> int:
    """Forward documents and feedback together, all or none; returns how many."""
    with ctx.writing():
        sent = (
            forward_documents(ctx, receipts, at=at, method=method, staff=staff) if receipts else []
        )
        sent += forward_feedback(ctx, feedback_ids, at=at, method=method, staff=staff)
    return len(sent)
