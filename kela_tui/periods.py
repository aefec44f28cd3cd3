"""Periods the finance office asks for: a month (2026-10), a year (2026) or a
range of days, both ends included (2026-09-01..2026-11-30, or the Finnish
1.9.2026..30.11.2026, 1.9.2026–30.11.2026 with an en or em dash as the
statement prints it, or 1.9.–30.11.2026: the first day without its year
takes the last day's)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from kela_tui.clock import FIRST_YEAR, LAST_YEAR, cut, parse_day
from kela_tui.errors import BadInput, Refused
from kela_tui.months import Month

_YEAR = re.compile(r"\d{4}", re.ASCII)
_MONTH = re.compile(r"\d{4}-\d{1,2}", re.ASCII)
# Between a range's days: "..", an en dash or an em dash (not a hyphen, which
# ISO days hold). In 1.9...30.11.2026 the first day keeps its dot.
_BETWEEN = re.compile(r"\.\.(?!\.)|–|—")
_DAY_WITHOUT_YEAR = re.compile(r"(\d{1,2})\.(\d{1,2})\.?", re.ASCII)

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
                raise BadInput("year_out_of_range", value=given, first=FIRST_YEAR, last=LAST_YEAR)
            return cls.of_year(year)
        if _MONTH.fullmatch(given):
            month = Month.parse(given)  # says what is wrong with it
            return cls.of_month(month)
        ends = _BETWEEN.split(given)
        if ranges and len(ends) == 2 and all(end.strip() for end in ends):
            first, last = _range(*(end.strip() for end in ends), text)
            if last < first:
                raise BadInput("period_backwards", value=cut(given))
            return cls(first, last, RANGE)
        raise BadInput(wanted, value=cut(given))

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


def _range(start: str, end: str, text: str) -> tuple[date, date]:
    """A range's two days; the first may go without its year (1.9.), taking
    the last day's, or the year before where that would come after it
    (1.12.–28.2.2027). A day that is no day at all is said of the whole
    range, not of the part the separator happened to leave."""
    try:
        last = parse_day(end)
        if match := _DAY_WITHOUT_YEAR.fullmatch(start):
            day, month = (int(part) for part in match.groups())
            first = _day(last.year, month, day, start)
            if first > last:
                first = _day(last.year - 1, month, day, start)
        else:
            first = parse_day(start)
    except BadInput as error:
        if error.key == "bad_date":
            raise BadInput("bad_period", value=cut(text.strip())) from None
        raise
    return first, last


def _day(year: int, month: int, day: int, text: str) -> date:
    try:
        found = date(year, month, day)
    except ValueError:
        raise BadInput("no_such_day", value=cut(f"{text.rstrip('.')}.{year}")) from None
    if not FIRST_YEAR <= found.year <= LAST_YEAR:
        raise BadInput("day_out_of_range", value=cut(text), first=FIRST_YEAR, last=LAST_YEAR)
    return found


def check_within_agreement(period: Period, sites: list) -> None:
    """A month or a year wholly outside the agreement of every one of `sites`
    has no figures: refused as its statement is (a month partly within
    counts). A range is checked day by day where it is read."""
    from kela_tui import settings, statistics

    if period.kind == RANGE:
        return
    books = settings.histories(sites)
    for month in period.months():
        if any(statistics.month_compensation(books[s.id], month).in_force for s in sites):
            return
    if period.kind == YEAR:
        raise Refused("year_outside_agreement", year=str(period.first.year))
    raise Refused("month_outside_agreement", month=period.month)


def check_begun(period: Period, today: date) -> None:
    """No figures for a month or a year that has not begun."""
    if period.first <= today:
        return
    if period.kind == YEAR:
        raise Refused("year_not_begun", year=str(period.first.year))
    raise Refused("month_not_begun", month=Month.of(period.first))
