"""Periods the finance office asks for: a month (2026-10), a year (2026) or a
range of days, both ends included (2026-09-01..2026-11-30, or the Finnish
1.9.2026..30.11.2026)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from kela_tui.clock import FIRST_YEAR, LAST_YEAR, parse_day
from kela_tui.errors import BadInput
from kela_tui.months import Month

_YEAR = re.compile(r"\d{4}", re.ASCII)
_MONTH = re.compile(r"\d{4}-\d{1,2}", re.ASCII)

MONTH, YEAR, RANGE = "month", "year", "range"


@dataclass(frozen=True)
class Period:
    first: date
    last: date
    kind: str

    @classmethod
    def parse(cls, text: str, ranges: bool = True) -> Period:
        """A month, a year or (when `ranges`) a range of days; anything else
        is refused with what is expected."""
        wanted = "bad_period" if ranges else "bad_month_or_year"
        given = text.strip()
        if _YEAR.fullmatch(given):
            year = int(given)
            if not FIRST_YEAR <= year <= LAST_YEAR:
                raise BadInput("year_out_of_range", value=text, first=FIRST_YEAR, last=LAST_YEAR)
            return cls.of_year(year)
        if _MONTH.fullmatch(given):
            month = Month.parse(given)  # says what is wrong with it
            return cls.of_month(month)
        if ranges and given.count("..") == 1:
            start, _, end = given.partition("..")
            if not start.strip() or not end.strip():
                raise BadInput(wanted, value=text)
            first, last = parse_day(start), parse_day(end)
            if last < first:
                raise BadInput("period_backwards", value=text)
            return cls(first, last, RANGE)
        raise BadInput(wanted, value=text)

    @classmethod
    def of_month(cls, month: Month) -> Period:
        return cls(month.first, month.last, MONTH)

    @classmethod
    def of_year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31), YEAR)

    @property
    def month(self) -> Month | None:
        """The month, when the period is one."""
        return Month.of(self.first) if self.kind == MONTH else None

    @property
    def year(self) -> int | None:
        """The year, when the period is one."""
        return self.first.year if self.kind == YEAR else None

    def months(self) -> list[Month]:
        """The months the period touches, in order (the first and the last
        perhaps only in part)."""
        found = []
        month = Month.of(self.first)
        while month.first <= self.last:
            found.append(month)
            month = month.next()
        return found

    def __str__(self) -> str:
        if self.kind == MONTH:
            return str(self.month)
        if self.kind == YEAR:
            return str(self.first.year)
        return f"{self.first.isoformat()}..{self.last.isoformat()}"
