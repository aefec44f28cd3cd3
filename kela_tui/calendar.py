"""Opening hours, Finnish public holidays, working days and Kela's remote hours."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import cached_property

from kela_tui.clock import to_local
from kela_tui.config import Config, WeeklyHours
from kela_tui.errors import BadInput


class Calendar:
    def __init__(self, config: Config) -> None:
        self.config = config

    @cached_property
    def _holidays(self):
        # Imported on first use: the holidays package is large and start-up
        # needs none of it.
        import holidays

        return holidays.country_holidays("FI", subdiv=self.config.holidays_region)

    def holiday(self, day: date) -> str | None:
        return self._holidays.get(day)

    def is_closed_day(self, day: date) -> bool:
        """Closed all day: a public holiday, an extra closure, or no hours at all."""
        return (
            day in self._holidays
            or day in self.config.closures
            or not self.config.office_hours.on(day.weekday())
        )

    def is_office_open(self, at: datetime) -> bool:
        at = to_local(at)
        if self.is_closed_day(at.date()):
            return False
        return _within(self.config.office_hours, at)

    def is_working_day(self, day: date) -> bool:
        # A working day is one on which the point is open, so staff can forward.
        return not self.is_closed_day(day)

    def add_working_days(self, day: date, count: int) -> date:
        """The date `count` working days after `day` (the day itself if 0).
        The configuration guarantees an open weekday; a year without one is an
        error rather than an endless search."""
        searched = 0
        while count > 0:
            day += timedelta(days=1)
            searched += 1
            if searched > 366 * max(1, count):
                raise BadInput("never_open")
            if self.is_working_day(day):
                count -= 1
        return day

    def forwarding_deadline(self, received: date) -> date:
        return self.add_working_days(received, self.config.forward_deadline_days)

    def closing_time(self, day: date) -> time | None:
        """When the office closes on `day`, or None on a closed day."""
        if self.is_closed_day(day):
            return None
        return max(end for _, end in self.config.office_hours.on(day.weekday()))

    def in_kela_hours(self, at: datetime) -> bool:
        at = to_local(at)
        if at.date() in self._holidays:
            return False
        return _within(self.config.kela_hours, at)

    def kela_hours_on(self, day: date) -> tuple[tuple[time, time], ...]:
        if day in self._holidays:
            return ()
        return self.config.kela_hours.on(day.weekday())

    def next_kela_window(self, at: datetime, horizon_days: int = 60) -> datetime | None:
        """When Kela's remote service is next open at or after `at`."""
        at = to_local(at)
        for offset in range(horizon_days + 1):
            day = at.date() + timedelta(days=offset)
            for start, end in self.kela_hours_on(day):
                opens = datetime.combine(day, start, tzinfo=at.tzinfo)
                closes = datetime.combine(day, end, tzinfo=at.tzinfo)
                if closes > at:
                    return max(opens, at)
        return None


def _within(hours: WeeklyHours, at: datetime) -> bool:
    moment = at.time()
    return any(start <= moment < end for start, end in hours.on(at.weekday()))
