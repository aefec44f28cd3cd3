"""Opening hours, Finnish public holidays, working days and Kela's remote
hours, each day by the point's settings in force that day."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from kela_tui.clock import to_local
from kela_tui.errors import BadInput
from kela_tui.point import PointSettings, WeeklyHours

# Each region's public holidays, shared by every calendar: the same for
# every point, and costly to make (the package computes them year by year).
_HOLIDAYS: dict[str | None, object] = {}


class Calendar:
    def __init__(self, settings) -> None:
        """`settings` is the point's settings History (settings.py)."""
        self.settings = settings
        self._holidays = _HOLIDAYS

    def on(self, day: date) -> PointSettings:
        return self.settings.on(day)

    def _holidays_of(self, region: str | None):
        if region not in self._holidays:
            # Imported on first use: the holidays package is large and start-up
            # needs none of it.
            import holidays

            self._holidays[region] = holidays.country_holidays("FI", subdiv=region)
        return self._holidays[region]

    def holiday(self, day: date) -> str | None:
        return self._holidays_of(self.on(day).holidays_region).get(day)

    def _is_holiday(self, day: date) -> bool:
        return day in self._holidays_of(self.on(day).holidays_region)

    def is_closed_day(self, day: date) -> bool:
        """Closed all day: a public holiday, an extra closure, or no hours at all."""
        settings = self.on(day)
        return (
            self._is_holiday(day)
            or day in settings.closures
            or not settings.office_hours.on(day.weekday())
        )

    def is_office_open(self, at: datetime) -> bool:
        at = to_local(at)
        if self.is_closed_day(at.date()):
            return False
        return _within(self.on(at.date()).office_hours, at)

    def office_hours_on(self, day: date) -> tuple[tuple[time, time], ...]:
        if self.is_closed_day(day):
            return ()
        return self.on(day).office_hours.on(day.weekday())

    def is_working_day(self, day: date) -> bool:
        # A working day is one on which the point is open, so staff can forward.
        return not self.is_closed_day(day)

    def add_working_days(self, day: date, count: int) -> date:
        """The date `count` working days after `day` (the day itself if 0).
        The settings guarantee an open weekday; a year without one is an
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
        return self.add_working_days(received, self.on(received).forward_deadline_days)

    def closing_time(self, day: date) -> time | None:
        """When the office closes on `day`, or None on a closed day."""
        hours = self.office_hours_on(day)
        return max(end for _, end in hours) if hours else None

    def in_kela_hours(self, at: datetime) -> bool:
        at = to_local(at)
        if self._is_holiday(at.date()):
            return False
        return _within(self.on(at.date()).kela_hours, at)

    def kela_hours_on(self, day: date) -> tuple[tuple[time, time], ...]:
        if self._is_holiday(day):
            return ()
        return self.on(day).kela_hours.on(day.weekday())

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
