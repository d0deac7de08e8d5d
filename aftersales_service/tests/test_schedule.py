from datetime import date

import pytest

from aftersales_service import schedule
from aftersales_service.schedule import Window


@pytest.mark.parametrize(
    "period, week, expected",
    [
        (date(2026, 6, 1), 1, Window(date(2026, 6, 1), date(2026, 6, 7))),
        (date(2026, 6, 17), 2, Window(date(2026, 6, 8), date(2026, 6, 14))),
        (date(2026, 6, 1), 4, Window(date(2026, 6, 22), date(2026, 6, 28))),
        # February of a common year: week 4 ends on its last day.
        (date(2026, 2, 1), 4, Window(date(2026, 2, 22), date(2026, 2, 28))),
        (date(2028, 2, 1), 4, Window(date(2028, 2, 22), date(2028, 2, 28))),
        (date(2026, 12, 1), 3, Window(date(2026, 12, 15), date(2026, 12, 21))),
    ],
)
def test_days_rule(period, week, expected):
    assert schedule.window(period, week, schedule.DAYS) == expected


@pytest.mark.parametrize(
    "period, week, expected",
    [
        # July 2026 starts on a Wednesday: week 1 starts on Monday the 6th.
        (date(2026, 7, 1), 1, Window(date(2026, 7, 6), date(2026, 7, 12))),
        # June 2026 starts on a Monday: week 1 is the 1st to the 7th.
        (date(2026, 6, 1), 1, Window(date(2026, 6, 1), date(2026, 6, 7))),
        # February 2027 starts on a Monday and has exactly four weeks.
        (date(2027, 2, 1), 4, Window(date(2027, 2, 22), date(2027, 2, 28))),
        # February 2026 starts on a Sunday: week 4 ends in March.
        (date(2026, 2, 1), 4, Window(date(2026, 2, 23), date(2026, 3, 1))),
        # December 2026 starts on a Tuesday: week 4 ends in January 2027.
        (date(2026, 12, 1), 4, Window(date(2026, 12, 28), date(2027, 1, 3))),
    ],
)
def test_monday_rule(period, week, expected):
    assert schedule.window(period, week, schedule.MONDAY) == expected


def test_window_bounds_are_included():
    june_week_2 = schedule.window(date(2026, 6, 1), 2)
    assert date(2026, 6, 8) in june_week_2
    assert date(2026, 6, 14) in june_week_2
    assert date(2026, 6, 7) not in june_week_2
    assert date(2026, 6, 15) not in june_week_2


@pytest.mark.parametrize(
    "day, week, period, start",
    [
        (date(2026, 6, 3), 2, date(2026, 6, 1), date(2026, 6, 8)),
        (date(2026, 6, 14), 2, date(2026, 6, 1), date(2026, 6, 8)),
        (date(2026, 6, 15), 2, date(2026, 7, 1), date(2026, 7, 8)),
        # Missed in December: January of the next year.
        (date(2026, 12, 22), 3, date(2027, 1, 1), date(2027, 1, 15)),
        (date(2026, 12, 31), 1, date(2027, 1, 1), date(2027, 1, 1)),
    ],
)
def test_window_for_a_day_moves_to_next_month_once_passed(day, week, period, start):
    found_period, found = schedule.window_for(day, week)
    assert (found_period, found.start) == (period, start)


def test_december_week_4_monday_rule_still_open_in_january():
    # 2 January 2027 lies in December 2026's week 4 window (28 Dec - 3 Jan).
    period, found = schedule.window_for(date(2027, 1, 2), 4, schedule.MONDAY)
    assert period == date(2026, 12, 1)
    assert found == Window(date(2026, 12, 28), date(2027, 1, 3))
    # On 4 January, the next window is January's own week 4.
    period, found = schedule.window_for(date(2027, 1, 4), 4, schedule.MONDAY)
    assert (period, found.start) == (date(2027, 1, 1), date(2027, 1, 25))


def test_next_month_wraps_december():
    assert schedule.next_month(date(2026, 12, 1)) == date(2027, 1, 1)
    assert schedule.next_month(date(2026, 1, 31)) == date(2026, 2, 1)


@pytest.mark.parametrize("week", [0, 5, "x"])
def test_bad_weeks_are_refused(week):
    with pytest.raises(ValueError):
        schedule.window(date(2026, 6, 1), week)


def test_unknown_rule_is_refused():
    with pytest.raises(ValueError):
        schedule.window(date(2026, 6, 1), 1, "fortnight")


def test_deadlines():
    assert schedule.deadline(date(2026, 6, 30), 1) == date(2026, 7, 1)
    assert schedule.deadline(date(2026, 12, 30), 3) == date(2027, 1, 2)
    with pytest.raises(ValueError):
        schedule.deadline(date(2026, 6, 1), -1)


@pytest.mark.parametrize(
    "day, locale, expected",
    [
        (date(2026, 10, 1), "en_US", "October 2026"),
        (date(2026, 10, 17), "en_US", "October 2026"),
        (date(2026, 10, 1), "zh_CN", "2026年10月"),
        (date(2027, 1, 31), "fr_FR", "janvier 2027"),
    ],
)
def test_month_label(day, locale, expected):
    assert schedule.month_label(day, locale) == expected
