from datetime import date
from decimal import Decimal

from kela_tui.compensation import compute
from kela_tui.months import Month

START = date(2026, 8, 15)
MONTHLY = Decimal("300.00")


def test_august_2026_is_17_of_31_days():
    result = compute(Month(2026, 8), MONTHLY, START)
    assert (result.days_in_force, result.days_in_month) == (17, 31)
    assert result.amount == Decimal("164.52")
    assert result.prorated


def test_a_whole_month_is_the_monthly_amount():
    result = compute(Month(2026, 9), MONTHLY, START)
    assert result.amount == Decimal("300.00") and not result.prorated


def test_a_month_before_the_agreement_has_nothing():
    result = compute(Month(2026, 7), MONTHLY, START)
    assert result.amount == Decimal("0.00") and not result.in_force


def test_a_month_with_the_agreement_end():
    result = compute(Month(2027, 2), MONTHLY, START, date(2027, 2, 10))
    assert result.amount == Decimal("107.14")  # 10/28 x 300 = 107.142...


def test_proration_can_be_turned_off():
    assert compute(Month(2026, 8), MONTHLY, START, prorate=False).amount == MONTHLY


def test_rounding_is_half_up():
    # 1/31 x 0.31 = 0.01 exactly, 1/2 x 0.05 = 0.025 -> 0.03 (half up, not even)
    assert compute(Month(2026, 8), Decimal("0.31"), date(2026, 8, 31)).amount == Decimal("0.01")
    result = compute(Month(2026, 4), Decimal("0.05"), date(2026, 4, 16))
    assert result.amount == Decimal("0.03")
