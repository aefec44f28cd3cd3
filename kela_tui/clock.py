"""The one source of "now": injectable so tests never sleep or patch time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

HELSINKI = ZoneInfo("Europe/Helsinki")


class Clock:
    """Wall-clock time in Finland."""

    def now(self) -> datetime:
        return datetime.now(HELSINKI)

    def today(self) -> date:
        return self.now().date()


class FixedClock(Clock):
    """A clock that only moves when told to."""

    def __init__(self, at: datetime) -> None:
        self._at = to_local(at)

    def now(self) -> datetime:
        return self._at

    def set(self, at: datetime) -> None:
        self._at = to_local(at)

    def advance(self, **delta: float) -> None:
        self._at = self._at + timedelta(**delta)


def to_local(at: datetime) -> datetime:
    """An aware datetime in Finnish time; naive input is taken as Finnish time."""
    if at.tzinfo is None:
        return at.replace(tzinfo=HELSINKI)
    return at.astimezone(HELSINKI)


def to_utc_naive(at: datetime) -> datetime:
    """What the database stores: UTC without tzinfo, the same on every backend."""
    return to_local(at).astimezone(UTC).replace(tzinfo=None)


def from_utc_naive(at: datetime) -> datetime:
    return at.replace(tzinfo=UTC).astimezone(HELSINKI)
