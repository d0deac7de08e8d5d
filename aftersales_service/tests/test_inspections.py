from datetime import date

import pytest

from aftersales_service.inspections import (
    BACKWARDS,
    BEFORE_START,
    BELOW_START,
    NOT_A_NUMBER,
    Plan,
    Reading,
    ReadingError,
    checked_readings,
    due_by_km,
    due_by_months,
    due_date,
    final_invitation_day,
    km_per_day,
    last_index_due_by,
    next_due,
)

HALF_YEAR = Plan(months=6)
START = date(2026, 1, 15)


# ---------------------------------------------------------------- calendar


@pytest.mark.parametrize(
    ("start", "months", "index", "expected"),
    [
        (date(2026, 1, 31), 1, 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, 1, date(2028, 2, 29)),  # leap year
        # Counted from the start each time, not from the clipped day.
        (date(2026, 1, 31), 1, 2, date(2026, 3, 31)),
        (date(2026, 8, 31), 6, 1, date(2027, 2, 28)),
        (date(2027, 8, 31), 6, 1, date(2028, 2, 29)),
        (date(2024, 2, 29), 12, 1, date(2025, 2, 28)),
        (date(2024, 2, 29), 12, 4, date(2028, 2, 29)),
        (date(2026, 12, 15), 6, 3, date(2028, 6, 15)),
    ],
)
def test_due_by_months_clips_month_ends(start, months, index, expected):
    assert due_by_months(Plan(months=months), start, index) == expected


def test_no_period_no_date():
    assert due_by_months(Plan(km=5000), START, 1) is None


# ---------------------------------------------------------------- readings


def test_readings_sorted_by_day():
    readings = [Reading(date(2026, 3, 1), 3000), Reading(date(2026, 2, 1), 1000)]
    assert checked_readings(START, 0, readings) == sorted(readings)


def test_same_day_readings_in_any_order():
    readings = [Reading(date(2026, 3, 1), 3100), Reading(date(2026, 3, 1), 3000)]
    assert [r.km for r in checked_readings(START, 0, readings)] == [3000, 3100]


@pytest.mark.parametrize(
    ("km_start", "readings", "code", "other"),
    [
        (
            0,
            [Reading(date(2026, 2, 1), 2000), Reading(date(2026, 3, 1), 1500)],
            BACKWARDS,
            Reading(date(2026, 2, 1), 2000),
        ),
        (500, [Reading(date(2026, 2, 1), 400)], BELOW_START, Reading(START, 500)),
        (0, [Reading(date(2026, 1, 14), 10)], BEFORE_START, Reading(START, 0)),
        (0, [Reading(date(2026, 2, 1), -1)], NOT_A_NUMBER, None),
        (0, [Reading(date(2026, 2, 1), float("nan"))], NOT_A_NUMBER, None),
        (0, [Reading(date(2026, 2, 1), float("inf"))], NOT_A_NUMBER, None),
        (0, [Reading(date(2026, 2, 1), "12")], NOT_A_NUMBER, None),
    ],
)
def test_impossible_readings_refused(km_start, readings, code, other):
    with pytest.raises(ReadingError) as caught:
        checked_readings(START, km_start, readings)
    assert caught.value.code == code
    assert caught.value.other == other


def test_km_per_day_since_the_start():
    readings = [Reading(date(2026, 2, 14), 3000), Reading(date(2026, 3, 16), 6000)]
    assert km_per_day(START, 0, readings) == 100.0
    assert km_per_day(START, 1000, readings) == pytest.approx(5000 / 60)


def test_no_rate_without_readings_or_elapsed_days():
    assert km_per_day(START, 0, []) is None
    assert km_per_day(START, 0, [Reading(START, 50)]) is None


# ---------------------------------------------------------------- by distance


def test_km_plan_without_readings_has_no_estimate():
    assert due_by_km(Plan(km=10000), START, 0, [], 1) is None
    assert due_date(Plan(km=10000), START, 0, [], 1) is None
    assert next_due(Plan(km=10000), START, 0, []) is None


def test_date_only_when_no_readings():
    plan = Plan(months=6, km=10000)
    assert next_due(plan, START, 0, []) == (1, date(2026, 7, 15))


def test_single_reading_gives_the_average():
    # 3,000 km in 30 days: 100 km a day, 10,000 km after 100 days.
    readings = [Reading(date(2026, 2, 14), 3000)]
    assert due_by_km(Plan(km=10000), START, 0, readings, 1) == date(2026, 4, 25)
    assert due_by_km(Plan(km=10000), START, 0, readings, 2) == date(2026, 8, 3)


def test_estimate_counts_from_the_start_mileage():
    # Started at 50,000 km (a used vehicle), 100 km a day.
    readings = [Reading(date(2026, 2, 14), 53000)]
    assert due_by_km(Plan(km=10000), START, 50000, readings, 1) == date(2026, 4, 25)


def test_estimate_rounds_up_to_a_whole_day():
    readings = [Reading(date(2026, 1, 18), 10)]  # 3 days, 10 km: 3.33 a day
    assert due_by_km(Plan(km=20), START, 0, readings, 1) == date(2026, 1, 21)


def test_km_plan_already_overdue_is_due_the_day_it_was_read():
    readings = [Reading(date(2026, 2, 1), 4000), Reading(date(2026, 3, 1), 12000)]
    assert due_by_km(Plan(km=10000), START, 0, readings, 1) == date(2026, 3, 1)
    # Overdue when it is read: the next one is estimated past that day.
    index, day = next_due(Plan(km=10000), START, 0, readings)
    assert (index, day) == (1, date(2026, 3, 1))


def test_vehicle_standing_still_has_no_estimate():
    readings = [Reading(date(2026, 3, 1), 0)]
    assert due_by_km(Plan(km=10000), START, 0, readings, 1) is None
    assert next_due(Plan(months=6, km=10000), START, 0, readings) == (
        1,
        date(2026, 7, 15),
    )


def test_estimate_beyond_any_calendar_is_none():
    readings = [Reading(date(2026, 1, 16), 0.001)]
    assert due_by_km(Plan(km=10**9), START, 0, readings, 1) is None


# ---------------------------------------------------------------- both


def test_earlier_of_the_two():
    plan = Plan(months=6, km=10000)
    slow = [Reading(date(2026, 2, 14), 300)]  # 10 km a day
    fast = [Reading(date(2026, 2, 14), 3000)]  # 100 km a day
    assert due_date(plan, START, 0, slow, 1) == date(2026, 7, 15)
    assert due_date(plan, START, 0, fast, 1) == date(2026, 4, 25)


def test_new_reading_moves_the_estimate():
    plan = Plan(months=6, km=10000)
    readings = [Reading(date(2026, 2, 14), 3000)]
    assert next_due(plan, START, 0, readings) == (1, date(2026, 4, 25))
    # Then the vehicle is parked: 4,000 km over 75 days, 53.3 a day, 10,000
    # km on 22 July: the calendar's 15 July comes first.
    readings.append(Reading(date(2026, 3, 31), 4000))
    assert due_by_km(plan, START, 0, readings, 1) == date(2026, 7, 22)
    assert next_due(plan, START, 0, readings) == (1, date(2026, 7, 15))


# ---------------------------------------------------------------- next one


def test_next_after_the_last_requested():
    assert next_due(HALF_YEAR, START, 0, []) == (1, date(2026, 7, 15))
    assert next_due(HALF_YEAR, START, 0, [], 1, date(2026, 7, 15)) == (
        2,
        date(2027, 1, 15),
    )


def test_next_skips_what_the_last_request_covered():
    # Requested late, on 2027-02-01 for #1: #2 (2027-01-15) was covered.
    assert last_index_due_by(HALF_YEAR, START, 0, [], date(2027, 2, 1)) == 2
    assert next_due(HALF_YEAR, START, 0, [], 2, date(2026, 7, 15)) == (
        3,
        date(2027, 7, 15),
    )


def test_several_km_steps_in_one_reading_are_one_inspection():
    plan = Plan(km=10000)
    readings = [Reading(date(2026, 2, 1), 2000), Reading(date(2026, 3, 1), 25000)]
    # #1 and #2 both due on 1 March: covered by one request.
    assert next_due(plan, START, 0, readings) == (1, date(2026, 3, 1))
    assert last_index_due_by(plan, START, 0, readings, date(2026, 3, 1)) == 2
    index, day = next_due(plan, START, 0, readings, 2, date(2026, 3, 1))
    assert index == 3
    assert day > date(2026, 3, 1)


def test_nothing_from_the_warranty_end_on():
    end = date(2027, 1, 15)  # 12 months: #2 would be due on the last day
    assert next_due(HALF_YEAR, START, 0, [], before=end) == (1, date(2026, 7, 15))
    assert next_due(HALF_YEAR, START, 0, [], 1, date(2026, 7, 15), before=end) is None
    later = date(2027, 1, 16)
    assert next_due(HALF_YEAR, START, 0, [], 1, date(2026, 7, 15), before=later) == (
        2,
        date(2027, 1, 15),
    )


def test_last_index_due_by_day():
    assert last_index_due_by(HALF_YEAR, START, 0, [], date(2026, 7, 14)) == 0
    assert last_index_due_by(HALF_YEAR, START, 0, [], date(2026, 7, 15)) == 1
    assert last_index_due_by(HALF_YEAR, START, 0, [], START) == 0
    assert last_index_due_by(HALF_YEAR, START, 0, [], date(2025, 1, 1)) == 0


@pytest.mark.parametrize("start", [date(2026, 1, 31), date(2024, 2, 29)])
@pytest.mark.parametrize("plan", [Plan(months=1), Plan(months=6), Plan(months=7)])
def test_last_index_matches_counting_one_by_one(start, plan):
    for offset in range(0, 800, 7):
        day = date.fromordinal(start.toordinal() + offset)
        count = 0
        while due_date(plan, start, 0, [], count + 1) <= day:
            count += 1
        assert last_index_due_by(plan, start, 0, [], day) == count, day


def test_last_index_by_km_matches_counting_one_by_one():
    plan = Plan(months=5, km=7000)
    readings = [Reading(date(2026, 2, 3), 1234), Reading(date(2026, 4, 9), 15003)]
    for offset in range(0, 700, 3):
        day = date.fromordinal(START.toordinal() + offset)
        count = 0
        while due_date(plan, START, 0, readings, count + 1) <= day:
            count += 1
        assert last_index_due_by(plan, START, 0, readings, day) == count, day


# ---------------------------------------------------------------- last one


@pytest.mark.parametrize(
    ("start", "end", "notice", "expected"),
    [
        (date(2026, 1, 15), date(2027, 1, 14), 30, date(2026, 12, 15)),
        (date(2026, 1, 15), date(2028, 3, 1), 30, date(2028, 1, 31)),  # leap
        (date(2026, 1, 15), date(2027, 3, 1), 30, date(2027, 1, 30)),
        (date(2026, 1, 15), date(2026, 2, 1), 30, date(2026, 1, 15)),  # short
        (date(2026, 1, 15), date(2027, 1, 14), 0, date(2027, 1, 14)),
    ],
)
def test_final_invitation_day(start, end, notice, expected):
    assert final_invitation_day(start, end, notice) == expected
