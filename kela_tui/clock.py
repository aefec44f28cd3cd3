"""The one source of "now": injectable so tests never sleep or patch time."""

from __future__ import annotations

import re
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


# Every date the program takes lies in these years: anything else is a typing
# mistake, and far dates overflow the arithmetic of offsets.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def to_local(at: datetime) -> datetime:
    """An aware datetime in Finnish time; naive input is a Finnish wall-clock
    time (see `wall_time`)."""
    if at.tzinfo is None:
        return wall_time(at)
    return at.astimezone(HELSINKI)


def wall_time(naive: datetime) -> datetime:
    """A Finnish wall-clock time as an aware datetime. A time that does not
    exist (the hour skipped when clocks go forward in March) is refused; an
    ambiguous one (the hour repeated in October) is its first occurrence,
    summer time."""
    from kela_tui.errors import BadInput

    aware = naive.replace(tzinfo=HELSINKI, fold=0)
    if from_utc_naive(aware.astimezone(UTC).replace(tzinfo=None)).replace(
        tzinfo=None, fold=0
    ) != naive.replace(fold=0):
        raise BadInput("time_does_not_exist", at=naive)
    return aware


def utc(at: datetime) -> datetime:
    """`at` in UTC, for arithmetic and comparison: two Finnish times of one
    zone compare and subtract by their wall clocks, which is wrong across the
    autumn night when the clocks go back an hour."""
    return to_local(at).astimezone(UTC)


_FINNISH_DAY = re.compile(r"(\d{1,2})[./](\d{1,2})[./](\d{4})\.?", re.ASCII)
_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)


def parse_day(text: str) -> date:
    """A date typed the Finnish way (30.11.2026), as 30/11/2026, or as ISO
    (2026-11-30), in ASCII digits, within the years the program accepts."""
    from kela_tui.errors import BadInput

    text = text.strip()
    try:
        if match := _FINNISH_DAY.fullmatch(text):
            day, month, year = (int(part) for part in match.groups())
        elif match := _ISO_DAY.fullmatch(text):
            year, month, day = (int(part) for part in match.groups())
        else:
            raise ValueError(text)
    except ValueError:
        raise BadInput("bad_date", value=cut(text)) from None
    try:
        parsed = date(year, month, day)
    except ValueError:
        # Written right, but not a day of the calendar (31.2.2027).
        raise BadInput("no_such_day", value=cut(text)) from None
    if not in_range(parsed):
        raise BadInput("day_out_of_range", value=cut(text), first=FIRST_YEAR, last=LAST_YEAR)
    return parsed


_DAY_WITHOUT_YEAR = re.compile(r"(\d{1,2})\.(\d{1,2})\.?", re.ASCII)


def parse_recent_day(text: str, today: date) -> date:
    """A day typed as `parse_day` takes it, or the Finnish way without its
    year (`1.9.` or `1.9`): then the latest such day that is not after `today`
    (in January, `20.12.` is last December)."""
    from kela_tui.errors import BadInput

    match = _DAY_WITHOUT_YEAR.fullmatch(text.strip())
    if match is None:
        try:
            return parse_day(text)
        except BadInput as error:
            if error.key != "bad_date":
                raise
            raise BadInput("bad_recent_day", value=cut(text.strip())) from None
    day, month = (int(part) for part in match.groups())
    # Back far enough to reach a 29 February.
    for year in range(today.year, today.year - 8, -1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate <= today:
            return candidate
    if 1 <= month <= 12 and 1 <= day <= 31:
        raise BadInput("no_such_day", value=cut(text.strip()))
    raise BadInput("bad_recent_day", value=cut(text.strip()))


def cut(text: str, most: int = 40) -> str:
    """What a message echoes of a value typed: at most `most` characters,
    then an ellipsis (a megabyte typed is not said back in full)."""
    return text if len(text) <= most else f"{text[:most]}…"


def in_range(at: datetime | date) -> bool:
    return FIRST_YEAR <= at.year <= LAST_YEAR


def to_utc_naive(at: datetime) -> datetime:
    """What the database stores: UTC without tzinfo, the same on every backend."""
    return to_local(at).astimezone(UTC).replace(tzinfo=None)


def from_utc_naive(at: datetime) -> datetime:
    return at.replace(tzinfo=UTC).astimezone(HELSINKI)
