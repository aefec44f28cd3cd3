"""The monthly statement and compensation claim: rendering (text, HTML, PDF),
issuing (which closes the month), reopening, and revisions.

Its numbers come from the statistics module; nothing is computed twice."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from kela_tui import audit, privacy
from kela_tui.clock import from_utc_naive, to_utc_naive
from kela_tui.compensation import Compensation
from kela_tui.context import Context
from kela_tui.errors import BadInput, Refused
from kela_tui.i18n import Msg, Translator
from kela_tui.models import MonthEvent, Statement
from kela_tui.months import Month, is_closed
from kela_tui.services import acting
from kela_tui.statistics import MonthStats, month_stats
from kela_tui.templating import render


@dataclass
class StatementData:
    month: Month
    stats: MonthStats
    compensation: Compensation
    number: str
    revision: int
    corrects: int | None
    dated: date
    draft: bool
    # The issued statement while the month is closed.
    stored: Statement | None = None


def number(ctx: Context, month: Month) -> str:
    return f"{ctx.site.code}-{month.year}-{month.month:02d}"


def issued(ctx: Context, month: Month) -> Statement | None:
    """The latest issued revision of the month, if any."""
    return (
        Statement.select()
        .where((Statement.site == ctx.site) & (Statement.month == str(month)))
        .order_by(Statement.revision.desc())
        .first()
    )


def prepare(ctx: Context, month: Month) -> StatementData:
    """The month's statement as it stands: the issued one while the month is
    closed, otherwise a draft of the next revision."""
    stats = month_stats(month, [ctx.site], ctx.today())
    compensation = stats.compensations[0]
    if not compensation.in_force:
        raise Refused("no_statement_month", month=month)
    latest = issued(ctx, month)
    if latest is not None and is_closed(ctx.site, month):
        return StatementData(
            month,
            stats,
            compensation,
            latest.number,
            latest.revision,
            latest.revision - 1 or None,
            from_utc_naive(latest.issued_at).date(),
            draft=False,
            stored=latest,
        )
    revision = latest.revision + 1 if latest else 1
    return StatementData(
        month,
        stats,
        compensation,
        number(ctx, month),
        revision,
        latest.revision if latest else None,
        ctx.today(),
        draft=True,
    )


def render_text(ctx: Context, data: StatementData, t: Translator) -> str:
    return render("statement.txt.j2", **_values(ctx, data, t))


def render_html(ctx: Context, data: StatementData, t: Translator) -> str:
    return render("statement.html.j2", **_values(ctx, data, t))


def render_pdf(html: str) -> bytes:
    # WeasyPrint is large and needs Pango: imported only when a PDF is asked for.
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def content_hash(text: str, html: str) -> str:
    return hashlib.sha256(f"{text}\n\f\n{html}".encode()).hexdigest()


def document(ctx: Context, month: Month, t: Translator) -> tuple[str, str]:
    """The text and HTML of the month's statement. An issued statement in its
    own language is returned exactly as stored, so a reprint is identical."""
    return render_document(ctx, prepare(ctx, month), t)


def render_document(ctx: Context, data: StatementData, t: Translator) -> tuple[str, str]:
    if data.stored is not None and data.stored.lang == t.lang:
        return data.stored.text, data.stored.html
    return render_text(ctx, data, t), render_html(ctx, data, t)


def issue(ctx: Context, month: Month, t: Translator, *, staff=None) -> Statement:
    """Issue the statement of a month that is over; this closes the month."""
    who = acting(ctx, staff)
    if month.last >= ctx.today():
        raise Refused("month_not_over", month=month)
    with ctx.writing():
        if is_closed(ctx.site, month):
            raise Refused("already_issued", month=month)
        data = prepare(ctx, month)
        data.draft = False
        text, html = render_text(ctx, data, t), render_html(ctx, data, t)
        previous = issued(ctx, month)
        statement = Statement.create(
            site=ctx.site,
            month=str(month),
            revision=data.revision,
            number=data.number,
            issued_at=to_utc_naive(ctx.now()),
            staff=who,
            lang=t.lang,
            text=text,
            html=html,
            sha256=content_hash(text, html),
            supersedes=previous,
        )
        audit.record(ctx, statement, "issue", who)
        event = MonthEvent.create(
            site=ctx.site,
            month=str(month),
            action="close",
            at=to_utc_naive(ctx.now()),
            staff=who,
            statement=statement,
        )
        audit.record(ctx, event, "close", who)
    return statement


def reopen(ctx: Context, month: Month, reason: str, *, staff=None) -> MonthEvent:
    """Reopen a closed month, with a written reason; the next issue is a new revision."""
    reason = (reason or "").strip()
    if not reason:
        raise BadInput("reopen_reason_required")
    privacy.guard(reason, Msg("field.reason"))
    who = acting(ctx, staff)
    with ctx.writing():
        if not is_closed(ctx.site, month):
            raise BadInput("month_not_closed", month=month)
        event = MonthEvent.create(
            site=ctx.site,
            month=str(month),
            action="reopen",
            at=to_utc_naive(ctx.now()),
            staff=who,
            reason=reason,
        )
        audit.record(ctx, event, "reopen", who)
    return event


def _values(ctx: Context, data: StatementData, t: Translator) -> dict:
    stats, comp = data.stats, data.compensation
    if comp.prorated:
        computation = t(
            "statement.prorated",
            days=comp.days_in_force,
            month_days=comp.days_in_month,
            monthly=t.money(comp.monthly),
            amount=t.money(comp.amount),
        )
    else:
        computation = t("statement.whole_month", monthly=t.money(comp.monthly))
    categories = [(t(f"category.{code}"), t.number(n)) for code, n in stats.by_category.items()]
    figures = [
        (t("statement.visits"), t.number(stats.visits)),
        (t("statement.services"), t.number(stats.services)),
        (
            t("statement.booth"),
            t(
                "statement.booth_value",
                sessions=t.number(stats.booth["sessions"]),
                minutes=t.number(stats.booth["minutes"]),
            ),
        ),
        (t("statement.documents_received"), t.number(stats.documents["received"])),
        (t("statement.documents_on_time"), t.number(stats.documents["on_time"])),
        (t("statement.feedback"), t.number(stats.feedback)),
        (t("statement.referrals"), t.number(stats.referrals)),
    ]
    return {
        "t": t,
        "site": ctx.site,
        "data": data,
        "period": f"{t.date(data.month.first)}–{t.date(data.month.last)}",
        "start": t.date(ctx.site.agreement_start),
        "amount": t.money(comp.amount),
        "computation": computation,
        "categories": categories,
        "figures": figures,
        "dated": t.date(data.dated, "long"),
        "revision_line": t("statement.revision", revision=data.revision)
        + (f" {t('statement.corrects', revision=data.corrects)}" if data.corrects else ""),
    }
