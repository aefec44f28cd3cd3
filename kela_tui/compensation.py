"""Kela's monthly compensation: Decimal, prorated by calendar days in a month
where the agreement is in force only part of the month, half-up to cents."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from kela_tui.months import Month

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Compensation:
    month: Month
    monthly: Decimal
    days_in_force: int
    days_in_month: int
    prorated: bool
    amount: Decimal

    @property
    def in_force(self) -> bool:
        return self.days_in_force > 0


def compute(
    month: Month,
    monthly: Decimal,
    start: date,
    end: date | None = None,
    prorate: bool = True,
) -> Compensation:
    # The same terms give the same compensation: a region's ten years are
    # asked for again with every figure shown. `monthly` is in the key as
    # written too, as 300 and 300.00 are equal but printed apart.
    return _compute(month, monthly, str(monthly), start, end, prorate)


@lru_cache(maxsize=8192)
def _compute(
    month: Month, monthly: Decimal, _written: str, start: date, end: date | None, prorate: bool
) -> Compensation:
    first = max(month.first, start)
    last = min(month.last, end) if end else month.last
    days = max(0, (last - first).days + 1)
    if days == 0:
        amount = Decimal("0.00")
    elif prorate and days < month.days:
        amount = (monthly * days / month.days).quantize(CENT, rounding=ROUND_HALF_UP)
    else:
        amount = monthly.quantize(CENT, rounding=ROUND_HALF_UP)
    return Compensation(
        month=month,
        monthly=monthly,
        days_in_force=days,
        days_in_month=month.days,
        prorated=prorate and 0 < days < month.days,
        amount=amount,
    )
