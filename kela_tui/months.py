"""Months: parsing YYYY-MM, their days, and whether a month is closed."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from kela_tui.clock import FIRST_YEAR, LAST_YEAR, cut
from kela_tui.errors import BadInput
from kela_tui.models import MonthEvent, Site

_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        match = _PATTERN.match(text.strip())
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise BadInput("bad_month", value=cut(text))
        year = int(match.group(1))
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise BadInput("month_out_of_range", value=cut(text), first=FIRST_YEAR, last=LAST_YEAR)
        return cls(year, int(match.group(2)))

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def days(self) -> int:
        return _days(self.year, self.month)

    @property
    def last(self) -> date:
        return date(self.year, self.month, self.days)

    def next(self) -> Month:
        return Month.of(self.last + timedelta(days=1))

    def previous(self) -> Month:
        return Month.of(self.first - timedelta(days=1))


def is_closed(site: Site, month: Month) -> bool:
    """Closed when the latest closing event of the month is a close."""
    last = (
        MonthEvent.select(MonthEvent.action)
        .where(MonthEvent.site == site, MonthEvent.month == str(month))
        .order_by(MonthEvent.id.desc())
        .first()
    )
    return last is not None and last.action == "close"


@lru_cache(maxsize=4096)
def _days(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]
