"""Periodic inspections (巡检) of what a warranty voucher covers, without the ORM.

A service plan asks for an inspection every N months and/or every N km,
counted from the voucher's start: its start date and the mileage it started
with (seed 002 example 5: every half year). The k-th inspection is due on
the earlier of

- the start date plus k times N months (31 January + 1 month is 28 or 29
  February, + 2 months is 31 March: always counted from the start), and
- the day the odometer reaches the start mileage plus k times N km: the day
  of the first reading that shows it, or, while no reading does, the day the
  average distance per day since the start (from the last reading) brings it
  there. Without a reading there is no such estimate: the date alone counts,
  and a plan by distance alone has no due date yet.

An inspection requested covers the ones due by the same day (a job that ran
late, readings that jumped several steps): the next one is the first after
both the last inspection number covered and the day it was due.
"""

import math
from datetime import date, timedelta
from typing import NamedTuple

from .periods import add_months

#: Why a reading is refused (ReadingError.code).
NOT_A_NUMBER = "not_a_number"
BEFORE_START = "before_start"
BELOW_START = "below_start"
BACKWARDS = "backwards"

# Beyond this an estimate says "not in any useful future": no due date.
LAST_DAY = date(2999, 12, 31)


class Reading(NamedTuple):
    """An odometer reading: the day it was read and the km it showed."""

    day: date
    km: float


class Plan(NamedTuple):
    """Every ``months`` calendar months and/or every ``km`` km (0: unused)."""

    months: int = 0
    km: float = 0.0


class ReadingError(ValueError):
    """A reading that cannot be: ``code`` says why, ``reading`` is the one
    refused and ``other`` the earlier reading (or the start) it contradicts."""

    def __init__(self, code, reading, other=None):
        super().__init__(code)
        self.code = code
        self.reading = reading
        self.other = other


def checked_readings(start, km_start, readings):
    """The readings in the order of their days, checked.

    None may come before the start, show less than the start mileage, or
    show less than a reading of an earlier day: odometers do not run
    backwards. Readings of the same day are taken in the order of their km.
    """
    ordered = sorted(readings, key=lambda reading: (reading.day, reading.km))
    origin = Reading(start, km_start)
    previous = origin
    for reading in ordered:
        if not _is_number(reading.km) or reading.km < 0:
            raise ReadingError(NOT_A_NUMBER, reading)
        if reading.day < start:
            raise ReadingError(BEFORE_START, reading, origin)
        if reading.km < previous.km:
            code = BELOW_START if previous is origin else BACKWARDS
            raise ReadingError(code, reading, previous)
        previous = reading
    return ordered


def km_per_day(start, km_start, readings):
    """Average km per day from the start to the last reading; None without
    a reading or when it was read on the start day."""
    if not readings:
        return None
    last = readings[-1]
    days = (last.day - start).days
    if days <= 0:
        return None
    return (last.km - km_start) / days


def due_by_months(plan, start, index):
    """Day of the ``index``-th inspection by the calendar (None: no period)."""
    if not plan.months:
        return None
    return add_months(start, plan.months * index)


def due_by_km(plan, start, km_start, readings, index):
    """Day of the ``index``-th inspection by distance: the day a reading
    first showed its mileage, else the day the average distance reaches it
    (None without a distance, or without an estimate)."""
    if not plan.km:
        return None
    target = km_start + plan.km * index
    for reading in readings:
        if reading.km >= target:
            return reading.day
    rate = km_per_day(start, km_start, readings)
    if not rate:
        return None
    last = readings[-1]
    days = math.ceil((target - last.km) / rate)
    if days > (LAST_DAY - last.day).days:
        return None
    return last.day + timedelta(days=days)


def due_date(plan, start, km_start, readings, index):
    """Day of the ``index``-th inspection: the earlier of its two dates."""
    days = [
        day
        for day in (
            due_by_months(plan, start, index),
            due_by_km(plan, start, km_start, readings, index),
        )
        if day is not None
    ]
    return min(days, default=None)


def next_due(plan, start, km_start, readings, last_index=0, last_day=None, before=None):
    """The next inspection as ``(index, day)``, or None.

    The first after inspection ``last_index`` that is due after
    ``last_day`` (the day the last one requested was due), and before
    ``before`` when given: the day the warranty ends, when the last
    inspection is the one the customer is invited to. ``readings`` as
    :func:`checked_readings` returns them.
    """
    index = last_index + 1
    if last_day is not None:
        index = max(
            index, _first_index_after(plan, start, km_start, readings, last_day)
        )
    day = due_date(plan, start, km_start, readings, index)
    if day is None or (before is not None and day >= before):
        return None
    return index, day


def last_index_due_by(plan, start, km_start, readings, day):
    """Number of the last inspection due on or before ``day`` (0: none)."""
    return _first_index_after(plan, start, km_start, readings, day) - 1


def final_invitation_day(start, end, notice_days):
    """Day the customer is invited to a last inspection, ``notice_days``
    before the warranty ends (not before it starts)."""
    return max(start, end - timedelta(days=notice_days))


def _first_index_after(plan, start, km_start, readings, day):
    """The first inspection number due after ``day``.

    Both series of dates grow with the number, so the k-th inspection is
    due after ``day`` when its date by the calendar and its date by
    distance both are: the larger of the first numbers after ``day`` of
    each series.
    """
    by_months = 1
    if plan.months:
        elapsed = (day.year - start.year) * 12 + day.month - start.month
        by_months = max(1, elapsed // plan.months)
        while add_months(start, plan.months * by_months) <= day:
            by_months += 1
    by_km = 1
    if plan.km:
        # The distance reached, or estimated, by the end of ``day``.
        reached = max(
            [km_start] + [reading.km for reading in readings if reading.day <= day]
        )
        rate = km_per_day(start, km_start, readings)
        if rate and readings[-1].day < day:
            reached = readings[-1].km + (day - readings[-1].day).days * rate
        by_km = max(1, math.floor((reached - km_start) / plan.km) + 1)
        # Float rounding: step to the exact first one.
        while by_km > 1 and _after(
            due_by_km(plan, start, km_start, readings, by_km - 1), day
        ):
            by_km -= 1
        while not _after(due_by_km(plan, start, km_start, readings, by_km), day):
            by_km += 1
    return max(by_months, by_km)


def _after(due, day):
    """Whether an inspection due on ``due`` (None: no date) is after ``day``."""
    return due is None or due > day


def _is_number(value):
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
    )
