"""The monthly return schedule of the regional offices (seed 004 part 2 art. 11).

Each office returns its defective goods to the factory once a month, in the week of
the month its region is given. What "week N of the month" means is a rule the company
chooses:

``days``
    Week N is the days 7(N-1)+1 to 7N of the month: week 1 is the 1st to the 7th,
    whatever weekday the month starts on; the days after the 28th belong to no week.
``monday``
    Weeks run Monday to Sunday and week 1 is the first one that starts in the month:
    a month starting on a Wednesday has its week 1 from the following Monday. Week 4
    may end in the next month (a December week 4 can end in January); it still belongs
    to the month it starts in.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from babel.dates import format_skeleton

DAYS = "days"
MONDAY = "monday"
RULES = (DAYS, MONDAY)
MAX_WEEK = 4


@dataclass(frozen=True, order=True)
class Window:
    """The days (both included) an office may ship its batch of a month."""

    start: date
    end: date

    def __contains__(self, day):
        return self.start <= day <= self.end


def month_of(day):
    """First day of the month of ``day``."""
    return day.replace(day=1)


def month_label(day, locale="en_US"):
    """The month of ``day`` as people of ``locale`` write it: "October 2026",
    "2026年10月" (a babel locale or its code)."""
    return format_skeleton("yMMMM", month_of(day), locale=locale)


def next_month(period):
    """First day of the month after ``period`` (December gives January)."""
    year, month = divmod(period.year * 12 + period.month, 12)
    return date(year, month + 1, 1)


def window(period, week, rule=DAYS):
    """The return window of ``week`` in the month of ``period``."""
    if rule not in RULES:
        raise ValueError(f"unknown week rule {rule!r}")
    week = int(week)
    if not 1 <= week <= MAX_WEEK:
        raise ValueError("a return week is between 1 and 4")
    first = month_of(period)
    if rule == DAYS:
        start = first + timedelta(days=7 * (week - 1))
    else:
        first_monday = first + timedelta(days=(7 - first.weekday()) % 7)
        start = first_monday + timedelta(days=7 * (week - 1))
    return Window(start, start + timedelta(days=6))


def window_for(day, week, rule=DAYS):
    """The window ``day`` should ship in: this month's, or next month's if passed.

    Returns ``(period, window)``, ``period`` being the first day of the month the
    window belongs to.
    """
    period = month_of(day)
    previous_period = month_of(period - timedelta(days=1))
    previous = window(previous_period, week, rule)
    if day in previous:
        # A Monday-rule week 4 can still be open in the next month's first days.
        return previous_period, previous
    current = window(period, week, rule)
    if day <= current.end:
        return period, current
    following = next_month(period)
    return following, window(following, week, rule)


def deadline(start, days):
    """Day by which something started on ``start`` must be done (``days`` later)."""
    if days < 0:
        raise ValueError("a delay cannot be negative")
    return start + timedelta(days=days)
