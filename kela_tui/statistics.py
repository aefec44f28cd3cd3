"""The one place that computes a month's numbers, with SQL aggregates, for one
site or many. The dashboard, `kela-tui stats` and the statement read them here.

Voided entries never count; a corrected entry counts once, as corrected (the
old version has status "corrected", the new one is active)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from peewee import fn

from kela_tui import compensation
from kela_tui.catalogue import CODES
from kela_tui.i18n import Translator
from kela_tui.models import Document, Feedback, Referral, Service, Site
from kela_tui.months import Month


@dataclass
class MonthStats:
    month: Month
    sites: list[str]
    scope: str
    visits: int = 0
    services: int = 0
    by_category: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CODES, 0))
    documents: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(("received", "forwarded", "on_time", "overdue"), 0)
    )
    feedback: int = 0
    referrals: int = 0
    booth: dict[str, int] = field(default_factory=lambda: {"sessions": 0, "minutes": 0})
    compensation: Decimal = Decimal("0.00")
    compensations: list[compensation.Compensation] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "month": str(self.month),
            "site": self.scope,
            "sites": self.sites,
            "visits": self.visits,
            "services": self.services,
            "by_category": dict(self.by_category),
            "documents": dict(self.documents),
            "feedback": self.feedback,
            "referrals": self.referrals,
            "booth": dict(self.booth),
            "compensation": str(self.compensation),
        }


def month_stats(
    month: Month, sites: list[Site], today: date, scope: str | None = None
) -> MonthStats:
    """The month's numbers over `sites`; `scope` names them ("all" or a code)."""
    stats = MonthStats(month, [s.code for s in sites], scope or sites[0].code)
    site_ids = [s.id for s in sites]
    in_month = Service.day.between(month.first, month.last)
    counted = (Service.site.in_(site_ids)) & (Service.status == "active") & in_month

    for code, n in (
        Service.select(Service.category, fn.COUNT(Service.id))
        .where(counted)
        .group_by(Service.category)
        .tuples()
    ):
        stats.by_category[code] = n
    stats.services = sum(stats.by_category.values())
    stats.visits = Service.select(fn.COUNT(Service.visit.distinct())).where(counted).scalar()

    sessions, seconds = (
        Service.select(fn.COUNT(Service.id), fn.COALESCE(fn.SUM(Service.duration_seconds), 0))
        .where(counted & (Service.origin == "booth"))
        .tuples()
        .get()
    )
    stats.booth = {"sessions": sessions, "minutes": _minutes(seconds)}

    received = (
        (Document.site.in_(site_ids))
        & (Document.status == "active")
        & Document.day.between(month.first, month.last)
    )
    forwarded = Document.forwarded_at.is_null(False)
    stats.documents = {
        "received": Document.select().where(received).count(),
        "forwarded": Document.select().where(received & forwarded).count(),
        "on_time": Document.select()
        .where(received & forwarded & (Document.forwarded_day <= Document.deadline))
        .count(),
        "overdue": Document.select()
        .where(received & Document.forwarded_at.is_null() & (Document.deadline < today))
        .count(),
    }
    stats.feedback = (
        Feedback.select().join(Service).where(counted & (Feedback.site.in_(site_ids))).count()
    )
    stats.referrals = (
        Referral.select()
        .where(
            (Referral.site.in_(site_ids))
            & (Referral.status == "active")
            & Referral.day.between(month.first, month.last)
        )
        .count()
    )
    stats.compensations = [
        compensation.compute(
            month,
            Decimal(site.monthly_compensation),
            site.agreement_start,
            site.agreement_end,
            site.prorate,
        )
        for site in sites
    ]
    stats.compensation = sum((c.amount for c in stats.compensations), Decimal("0.00"))
    return stats


def _minutes(seconds: int | Decimal) -> int:
    return int((Decimal(seconds) / 60).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def as_table(stats: MonthStats, t: Translator) -> str:
    """The month's numbers as aligned text for a person."""
    rows = [
        (t("stats.month"), str(stats.month)),
        (t("stats.site"), ", ".join(stats.sites)),
    ]
    rows += [
        (t("stats.visits"), t.number(stats.visits)),
        (t("stats.services"), t.number(stats.services)),
    ]
    rows += [(f"  {t(f'category.{code}')}", t.number(n)) for code, n in stats.by_category.items()]
    rows += [(t(f"stats.documents_{key}"), t.number(n)) for key, n in stats.documents.items()]
    rows += [
        (t("stats.feedback"), t.number(stats.feedback)),
        (t("stats.referrals"), t.number(stats.referrals)),
        (t("stats.booth_sessions"), t.number(stats.booth["sessions"])),
        (t("stats.booth_minutes"), t.number(stats.booth["minutes"])),
        (t("stats.compensation"), t.money(stats.compensation)),
    ]
    width = max(len(label) for label, _ in rows)
    return "\n".join(f"{label:<{width}}  {value:>12}" for label, value in rows)
