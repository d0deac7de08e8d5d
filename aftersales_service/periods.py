"""Calendar arithmetic for warranty periods.

Periods follow the usual civil-law counting the seeds assume: the day of the
start event is not counted, a period of N days ends on start + N days, and a
period of N months ends on the same day number N months later (clipped to the
month's last day, so 31 January + 1 month is 28 or 29 February).
"""

import calendar
import re
from datetime import date, datetime, timedelta

#: Why parse_day refused a value.
NOT_A_DATE = "not_a_date"
NOT_A_REAL_DAY = "not_a_real_day"


def add_months(start, months):
    """Return ``start`` moved by ``months`` calendar months, day clipped."""
    if not isinstance(start, date):
        raise TypeError("start must be a date")
    index = start.year * 12 + (start.month - 1) + int(months)
    year, month = divmod(index, 12)
    month += 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return start.replace(year=year, month=month, day=day)


def period_end(start, months=0, days=0):
    """Last day (inclusive) of a period of ``months`` and ``days`` from ``start``."""
    if months < 0 or days < 0:
        raise ValueError("a period cannot be negative")
    return add_months(start, months) + timedelta(days=days)


def age_in_days(start, on_date):
    """Days elapsed since ``start``; the start day itself is day 0."""
    return (on_date - start).days


def ranges_overlap(first, second):
    """Whether two ``(date_from, date_to)`` ranges share a day.

    ``None`` bounds are open: a range without an end runs forever.
    """
    first_from, first_to = first
    second_from, second_to = second
    starts_before_other_ends = (
        first_from is None or second_to is None or first_from <= second_to
    )
    ends_after_other_starts = (
        first_to is None or second_from is None or second_from <= first_to
    )
    return starts_before_other_ends and ends_after_other_starts


DAY_FORMAT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_day(value):
    """The day ``value`` names: a date, a datetime, or a ``YYYY-MM-DD`` string
    (an Odoo ``YYYY-MM-DD HH:MM:SS`` string is read as its day).

    Anything else raises ``ValueError(NOT_A_DATE)``; a well-formed string of a
    day no calendar has (2026-02-30) raises ``ValueError(NOT_A_REAL_DAY)``.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValueError(NOT_A_DATE)
    text = value.strip()
    if not text.isascii():
        # strptime's \d takes other scripts' digits for the year only.
        raise ValueError(NOT_A_DATE)
    # The usual form first, without strptime: the warranty check's hot path.
    if DAY_FORMAT.fullmatch(text):
        try:
            return date(int(text[:4]), int(text[5:7]), int(text[8:]))
        except ValueError:
            raise ValueError(NOT_A_REAL_DAY) from None
    for pattern in ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(NOT_A_DATE)
