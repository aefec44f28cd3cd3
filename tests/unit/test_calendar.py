from datetime import date, datetime

import pytest

from kela_tui.calendar import Calendar
from kela_tui.clock import HELSINKI
from kela_tui.point import PointSettings
from kela_tui.settings import History

CAL = Calendar(History.single(PointSettings()))


def at(*parts) -> datetime:
    return datetime(*parts, tzinfo=HELSINKI)


@pytest.mark.parametrize(
    ("moment", "open_"),
    [
        (at(2026, 9, 15, 9, 0), True),
        (at(2026, 9, 15, 14, 59), True),
        (at(2026, 9, 15, 15, 0), False),
        (at(2026, 9, 15, 8, 59), False),
        (at(2026, 9, 19, 10, 0), False),  # Saturday
        (at(2026, 12, 24, 10, 0), False),  # Christmas Eve, a Thursday
        (at(2026, 12, 7, 10, 0), True),  # the day after Independence Day
    ],
)
def test_office_hours(moment, open_):
    assert CAL.is_office_open(moment) is open_


def test_public_holidays_come_from_the_holidays_package():
    assert CAL.holiday(date(2026, 12, 6)) is not None
    assert CAL.is_closed_day(date(2026, 12, 6))
    assert CAL.holiday(date(2026, 12, 7)) is None


def test_extra_closure_days():
    cal = Calendar(History.single(PointSettings(closures=frozenset({date(2026, 9, 16)}))))
    assert not cal.is_office_open(at(2026, 9, 16, 10, 0))
    assert cal.add_working_days(date(2026, 9, 15), 1) == date(2026, 9, 17)


def test_deadline_over_christmas():
    assert CAL.forwarding_deadline(date(2026, 12, 23)) == date(2026, 12, 28)


def test_deadline_over_a_weekend_and_configurable_length():
    assert CAL.forwarding_deadline(date(2026, 9, 18)) == date(2026, 9, 21)
    two = Calendar(History.single(PointSettings(forward_deadline_days=2)))
    assert two.forwarding_deadline(date(2026, 9, 18)) == date(2026, 9, 22)


def test_kela_hours_gate_and_next_window():
    assert CAL.in_kela_hours(at(2026, 9, 15, 10, 0))
    assert not CAL.in_kela_hours(at(2026, 9, 19, 10, 0))
    assert not CAL.in_kela_hours(at(2026, 12, 24, 10, 0))
    assert CAL.next_kela_window(at(2026, 9, 18, 16, 0)) == at(2026, 9, 21, 9, 0)
    assert CAL.next_kela_window(at(2026, 9, 15, 10, 0)) == at(2026, 9, 15, 10, 0)
    assert CAL.next_kela_window(at(2026, 12, 23, 15, 30)) == at(2026, 12, 28, 9, 0)


def test_region_codes_match_the_holidays_package():
    import holidays

    from kela_tui.point import REGIONS

    assert tuple(holidays.Finland.subdivisions) == REGIONS


def test_without_a_region_the_national_holidays_apply():
    cal = Calendar(History.single(PointSettings(holidays_region=None)))
    assert cal.is_closed_day(date(2026, 12, 25))
