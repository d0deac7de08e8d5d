from datetime import datetime, timedelta

import pytest

from aftersales_service import slots
from aftersales_service.slots import Slot

HOUR = timedelta(hours=1)
HALF = timedelta(minutes=30)


def at(day, hour, minute=0):
    return datetime(2026, 6, day, hour, minute)


# A station open 8-12 and 13-17 on the 1st and 2nd of June.
OPEN = [
    (at(1, 8), at(1, 12)),
    (at(1, 13), at(1, 17)),
    (at(2, 8), at(2, 12)),
    (at(2, 13), at(2, 17)),
]


def test_the_wanted_time_is_given_when_free():
    proposed = slots.propose(OPEN, HOUR, {"li": []}, {"bay1": []}, at(1, 9))
    assert proposed[0] == Slot(at(1, 9), at(1, 10), "li", "bay1")
    assert len(proposed) == 3


def test_a_taken_time_gives_at_least_two_alternatives_nearest_first():
    technicians = {"li": [(at(1, 9), at(1, 11))]}
    proposed = slots.propose(OPEN, HOUR, technicians, {"bay1": []}, at(1, 9))
    starts = [slot.start for slot in proposed]
    # 8:00 ends when Li starts; 11:00 is when he is free again.
    assert starts == [at(1, 8), at(1, 11), at(1, 13)]
    assert len(proposed) >= 2
    assert at(1, 9) not in starts


def test_another_technician_takes_the_wanted_time():
    technicians = {"li": [(at(1, 9), at(1, 11))], "wang": []}
    proposed = slots.propose(OPEN, HOUR, technicians, {"bay1": []}, at(1, 9))
    assert proposed[0] == Slot(at(1, 9), at(1, 10), "wang", "bay1")


def test_technician_and_bay_must_both_be_free():
    technicians = {"li": [(at(1, 9), at(1, 10))], "wang": []}
    bays = {"bay1": [(at(1, 9), at(1, 10, 30))]}
    proposed = slots.propose(OPEN, HOUR, technicians, bays, at(1, 9), count=2)
    # The bay is taken until 10:30; 8:00 fits before both.
    assert [slot.start for slot in proposed] == [at(1, 8), at(1, 10, 30)]
    assert proposed[1].technician == "li"


def test_a_slot_never_spans_a_break_or_the_night():
    proposed = slots.propose(
        OPEN, timedelta(hours=2), {"li": []}, {"bay1": []}, at(1, 11), count=4
    )
    for slot in proposed:
        assert slots.is_open(OPEN, slot.start, slot.end)
    assert Slot(at(1, 11), at(1, 13), "li", "bay1") not in proposed
    # 10:00 is the last start that ends by noon; 13:00 ties with 9:00.
    assert [slot.start for slot in proposed] == [
        at(1, 10),
        at(1, 9, 30),
        at(1, 9),
        at(1, 13),
    ]


def test_adjacent_bookings_do_not_collide():
    technicians = {"li": [(at(1, 8), at(1, 9)), (at(1, 10), at(1, 11))]}
    proposed = slots.propose(OPEN, HOUR, technicians, {"bay1": []}, at(1, 9))
    assert proposed[0].start == at(1, 9)


def test_nothing_before_the_earliest_start():
    proposed = slots.propose(
        OPEN,
        HOUR,
        {"li": []},
        {"bay1": []},
        at(1, 9),
        earliest=at(1, 10, 10),
    )
    # The grid of the open interval, rounded up: 10:30, not 10:10.
    assert [slot.start for slot in proposed] == [at(1, 10, 30), at(1, 11), at(1, 13)]


def test_off_grid_wanted_time_is_kept_when_free():
    proposed = slots.propose(OPEN, HOUR, {"li": []}, {"bay1": []}, at(1, 9, 10))
    assert proposed[0].start == at(1, 9, 10)


def test_fully_booked_day_moves_to_the_next():
    busy = [(at(1, 8), at(1, 17))]
    proposed = slots.propose(OPEN, HOUR, {"li": busy}, {"bay1": []}, at(1, 9))
    assert [slot.start for slot in proposed] == [at(2, 8), at(2, 8, 30), at(2, 9)]


def test_no_technician_or_bay_no_slot():
    assert slots.propose(OPEN, HOUR, {}, {"bay1": []}, at(1, 9)) == []
    assert slots.propose(OPEN, HOUR, {"li": []}, {}, at(1, 9)) == []
    assert slots.propose([], HOUR, {"li": []}, {"bay1": []}, at(1, 9)) == []


@pytest.mark.parametrize(
    "start, expected",
    [
        (at(1, 9), None),
        (at(1, 7, 45), slots.CLOSED),
        (at(1, 11, 30), slots.CLOSED),
        (at(1, 16, 30), slots.CLOSED),
        (at(1, 10), slots.TECHNICIAN_BUSY),
        (at(1, 14), slots.BAY_BUSY),
        (at(1, 7), slots.PAST),
    ],
)
def test_refusal_says_why(start, expected):
    technicians = {"li": [(at(1, 10), at(1, 11))]}
    bays = {"bay1": [(at(1, 14), at(1, 15))]}
    assert (
        slots.refusal(start, HOUR, OPEN, technicians, bays, earliest=at(1, 7, 30))
        == expected
    )


@pytest.mark.parametrize(
    "duration, step, count",
    [
        (timedelta(0), HALF, 3),
        (-HOUR, HALF, 3),
        (60, HALF, 3),
        (HOUR, timedelta(0), 3),
        (HOUR, HALF, 0),
    ],
)
def test_bad_arguments_are_refused(duration, step, count):
    with pytest.raises(ValueError):
        slots.propose(
            OPEN, duration, {"li": []}, {"bay1": []}, at(1, 9), count=count, step=step
        )
