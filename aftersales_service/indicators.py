"""The industry's service indicators by months in service (seed 001 §4.6).

For a cohort of units (the warranty vouchers of the products made, or sold, in
one month) and a point of their life measured in months in service (MIS 0, 1,
3, 6, 12, 24…), three indicators:

``R/1000``
    Repairs per thousand units: claims repaired up to that MIS, per 1000 units.
``TGW``
    Things gone wrong: the distinct parts that failed on the units up to that
    MIS, per 1000 units. A part that fails again on the same unit is the same
    thing gone wrong: it counts once, at the MIS it first failed.
``CPU``
    Cost per unit: the warranty cost of those repairs, divided by the units.

The rules:

Months in service
    Whole months from the warranty start to the day: the start day is MIS 0,
    and a month is reached on the same day number of a later month, or on
    that month's last day when it is shorter (31 January reaches one month on
    28 February), as :func:`periods.add_months` counts. A failure before the
    warranty start (a pre-delivery defect) is at MIS 0.
Units at MIS k
    A unit counts at MIS k when it has been in service for at least k months
    at the as-of date AND its warranty spans at least k months (start to end):
    its *exposure*, the smaller of the two, is at least k. So a cohort too
    young for an MIS, and units whose warranty ended before it (units leaving
    warranty), are not in the denominator of that MIS. A unit is its voucher's
    quantity (a lot voucher of 30 lamps is 30 units).
Repairs, failed parts and cost at MIS k
    Cumulative: those of the units counted at MIS k, with an MIS of at most k.
    A repair is a claim approved or done for a failure up to the as-of date
    and the warranty's end; repairs after the warranty (an MIS beyond the
    exposure) never count. The cost is that of the covered repairs (eligible,
    not paid service); a paid repair is still a repair. A failure without a
    named part is one unknown part of its unit. A voucher of several units (a
    lot) cannot tell which of them failed: each of its failures is a thing
    gone wrong of its own.
No units
    An MIS at which a cohort has no unit (too young, all out of warranty, or
    no voucher at all) has no indicator: ``None``, never 0 (0 would mean
    "no failure"). Its units, repairs and cost are 0.

The database gives aggregates, not units (a million vouchers): units grouped
by (cohort, exposure), repairs by (cohort, exposure, MIS) with their count and
cost, and the first failures of (unit, part) pairs by (cohort, exposure, MIS
of the first failure). Exposures and MIS beyond the last point asked may be
capped to it: they count the same.
"""

import calendar
import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

DEFAULT_MIS = (0, 1, 3, 6, 12, 24)
#: The longest life an MIS may name (20 years) and how many points a run may ask.
MAX_MIS = 240
MAX_POINTS = 36
#: How many cohort months one computation may span.
MAX_COHORTS = 240
PER_THOUSAND = 1000.0

#: Why parse_mis refused a list.
EMPTY = "empty"
NOT_A_NUMBER = "not_a_number"
OUT_OF_RANGE = "out_of_range"
TOO_MANY = "too_many"


@dataclass(frozen=True)
class Cell:
    """The indicators of one cohort at one MIS."""

    cohort: object
    mis: int
    units: float
    repairs: int
    failed_parts: int
    cost: float
    r1000: float | None
    tgw: float | None
    cpu: float | None


def parse_mis(text):
    """The MIS points a text names ("0, 1, 3,6 12"), sorted, without repeats.

    Commas, semicolons and spaces separate them. Raises ``ValueError`` with
    ``EMPTY``, ``NOT_A_NUMBER`` (anything but whole numbers), ``OUT_OF_RANGE``
    (beyond 0..MAX_MIS) or ``TOO_MANY`` (more than MAX_POINTS points).
    """
    if not isinstance(text, str):
        raise ValueError(NOT_A_NUMBER)
    tokens = [token for token in re.split(r"[\s,;，；]+", text) if token]
    if not tokens:
        raise ValueError(EMPTY)
    if not all(re.fullmatch(r"\d+", token) for token in tokens):
        raise ValueError(NOT_A_NUMBER)
    points = sorted({int(token) for token in tokens})
    if points[-1] > MAX_MIS:
        raise ValueError(OUT_OF_RANGE)
    if len(points) > MAX_POINTS:
        raise ValueError(TOO_MANY)
    return tuple(points)


def format_mis(points):
    """The text of MIS points, as parse_mis reads it back: "0,1,3"."""
    return ",".join(str(point) for point in points)


def months_in_service(start, day):
    """Whole months from ``start`` to ``day`` (0 when ``day`` is before it).

    A month is reached on the same day number, or on the last day of a
    shorter month: 31 January to 28 February is one month.
    """
    months = (day.year * 12 + day.month) - (start.year * 12 + start.month)
    last_day = calendar.monthrange(day.year, day.month)[1]
    if min(start.day, last_day) > day.day:
        months -= 1
    return max(months, 0)


def month_count(date_from, date_to):
    """How many months from the month of ``date_from`` to that of ``date_to``,
    both included (0 when ``date_to`` is in an earlier month)."""
    months = (date_to.year * 12 + date_to.month) - (
        date_from.year * 12 + date_from.month
    )
    return max(months + 1, 0)


def cohort_of(day):
    """The cohort (first day of the month) of ``day``."""
    return date(day.year, day.month, 1)


def rate(count, units, per=PER_THOUSAND):
    """``count`` per ``per`` units; ``None`` without units."""
    if not units:
        return None
    return count * per / units


def matrix(points, units, repairs=(), first_failures=()):
    """The indicators of each cohort at each MIS of ``points``.

    ``units``: ``(cohort, exposure, quantity)`` rows; ``repairs``:
    ``(cohort, exposure, mis, count, cost)`` rows; ``first_failures``:
    ``(cohort, exposure, first_mis, count)`` rows. A cohort is any sortable
    key (the first day of its month). Returns the cells sorted by cohort then
    MIS: every point of every cohort that has units, ``None`` indicators
    where it has none at that MIS.
    """
    points = tuple(sorted(set(points)))
    if not points:
        return []
    size = len(points) + 1

    def slice_of(low, high):
        """Indexes of the points k with low <= k <= high: [start, stop)."""
        return bisect_left(points, low), bisect_right(points, high)

    # Difference arrays per cohort: a row adds to a contiguous slice of points.
    unit_diff = defaultdict(lambda: [0.0] * size)
    repair_diff = defaultdict(lambda: [0] * size)
    cost_diff = defaultdict(lambda: [0.0] * size)
    part_diff = defaultdict(lambda: [0] * size)

    def add(diffs, cohort, start, stop, value):
        if start < stop and value:
            diff = diffs[cohort]
            diff[start] += value
            diff[stop] -= value

    for cohort, exposure, quantity in units:
        add(unit_diff, cohort, *slice_of(0, exposure), quantity or 0.0)
    for cohort, exposure, mis, count, cost in repairs:
        start, stop = slice_of(max(mis, 0), exposure)
        add(repair_diff, cohort, start, stop, count or 0)
        add(cost_diff, cohort, start, stop, cost or 0.0)
    for cohort, exposure, first_mis, count in first_failures:
        add(part_diff, cohort, *slice_of(max(first_mis, 0), exposure), count or 0)

    def running(diffs, cohort, zero):
        total, values = zero, []
        diff = diffs.get(cohort)
        for index in range(len(points)):
            if diff is not None:
                total += diff[index]
            values.append(total)
        return values

    cells = []
    for cohort in sorted(unit_diff):
        unit_values = running(unit_diff, cohort, 0.0)
        repair_values = running(repair_diff, cohort, 0)
        cost_values = running(cost_diff, cohort, 0.0)
        part_values = running(part_diff, cohort, 0)
        for index, mis in enumerate(points):
            counted = unit_values[index]
            # Float sums of quantities may leave dust where nothing remains.
            if abs(counted) < 1e-9:
                counted = 0.0
            repaired = repair_values[index] if counted else 0
            cost = cost_values[index] if counted else 0.0
            failed = part_values[index] if counted else 0
            cells.append(
                Cell(
                    cohort=cohort,
                    mis=mis,
                    units=counted,
                    repairs=repaired,
                    failed_parts=failed,
                    cost=cost,
                    r1000=rate(repaired, counted),
                    tgw=rate(failed, counted),
                    cpu=rate(cost, counted, per=1.0),
                )
            )
    return cells
