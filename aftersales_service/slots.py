"""Free slots for a service appointment (seed 002 example 3, 预约服务).

A customer asks for a time; the station gives it when it can, and otherwise
offers at least two other times (seed 002 example 3, step 4: 当用户提出的第一个
预约时间不能满足时,应向用户提供两个以上时间以供选择).

A slot is a start and an end inside one of the station's open intervals (its
working hours less its closed days: lunch breaks and nights split them), with
one technician and one bay both free for the whole of it. A technician or a
bay is busy during its bookings and any other engagement the caller lists
(a calendar event, a bay's maintenance).

Times are naive datetimes of one time zone (the database's UTC); every
interval is half-open, ``[start, end)``: an appointment ending at 10:00 and
one starting at 10:00 do not collide.
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

# Why a given start cannot be booked (see :func:`refusal`).
CLOSED = "closed"
PAST = "past"
TECHNICIAN_BUSY = "technician_busy"
BAY_BUSY = "bay_busy"


@dataclass(frozen=True)
class Slot:
    """A bookable time: who works on it and where."""

    start: datetime
    end: datetime
    technician: object
    bay: object


def _check(duration, step=None):
    if not isinstance(duration, timedelta) or duration <= timedelta(0):
        raise ValueError("the duration must be a positive timedelta")
    if step is not None and (not isinstance(step, timedelta) or step <= timedelta(0)):
        raise ValueError("the step must be a positive timedelta")


def overlaps(start, end, busy):
    """Whether ``[start, end)`` meets any interval of ``busy``."""
    return any(b_start < end and start < b_end for b_start, b_end in busy)


def first_free(resources, start, end):
    """The first key of ``resources`` (key -> busy intervals, in the order of
    preference) free for the whole of ``[start, end)``, or None."""
    for key, busy in resources.items():
        if not overlaps(start, end, busy):
            return key
    return None


def is_open(open_intervals, start, end):
    """Whether ``[start, end)`` fits in one open interval of the station."""
    return any(o_start <= start and end <= o_end for o_start, o_end in open_intervals)


def refusal(start, duration, open_intervals, technicians, bays, earliest=None):
    """Why ``start`` cannot be booked for ``duration``, or None when it can.

    The first reason found, in the order a service advisor would give it:
    the start has passed, the station is closed, no technician is free, no
    bay is free.
    """
    _check(duration)
    end = start + duration
    if earliest is not None and start < earliest:
        return PAST
    if not is_open(open_intervals, start, end):
        return CLOSED
    if first_free(technicians, start, end) is None:
        return TECHNICIAN_BUSY
    if first_free(bays, start, end) is None:
        return BAY_BUSY
    return None


def slot_at(start, duration, open_intervals, technicians, bays, earliest=None):
    """The slot starting at ``start``, or None when it cannot be booked."""
    if refusal(start, duration, open_intervals, technicians, bays, earliest):
        return None
    end = start + duration
    return Slot(
        start=start,
        end=end,
        technician=first_free(technicians, start, end),
        bay=first_free(bays, start, end),
    )


def candidate_starts(open_intervals, duration, step, earliest=None):
    """Every start on the step grid of each open interval (counted from the
    interval's start) from which ``duration`` fits before it closes."""
    _check(duration, step)
    for o_start, o_end in sorted(open_intervals):
        start = o_start
        if earliest is not None and start < earliest:
            start = o_start + step * math.ceil((earliest - o_start) / step)
        while start + duration <= o_end:
            yield start
            start += step


def propose(
    open_intervals,
    duration,
    technicians,
    bays,
    wanted,
    count=3,
    step=timedelta(minutes=30),
    earliest=None,
):
    """Up to ``count`` free slots, the nearest to ``wanted`` first.

    ``wanted`` itself comes first when it is free (even off the step grid);
    when it is taken the others are the nearest free starts before or after
    it (the earlier first at equal distance), never before ``earliest``.

    :param open_intervals: (start, end) pairs when the station works
    :param technicians: technician key -> busy (start, end) pairs, in the
        order of preference (one key when the customer chose a technician)
    :param bays: bay key -> busy (start, end) pairs, in the order of preference
    """
    _check(duration, step)
    if count < 1:
        raise ValueError("count must be at least 1")
    starts = set(candidate_starts(open_intervals, duration, step, earliest))
    if earliest is None or wanted >= earliest:
        starts.add(wanted)
    slots = []
    for start in sorted(starts, key=lambda s: (abs(s - wanted), s)):
        slot = slot_at(start, duration, open_intervals, technicians, bays, earliest)
        if slot:
            slots.append(slot)
            if len(slots) == count:
                break
    return slots
