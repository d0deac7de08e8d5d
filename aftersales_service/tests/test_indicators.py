from datetime import date, timedelta

import pytest

from aftersales_service import indicators
from aftersales_service.indicators import (
    EMPTY,
    NOT_A_NUMBER,
    OUT_OF_RANGE,
    TOO_MANY,
    matrix,
    months_in_service,
    parse_mis,
)
from aftersales_service.periods import add_months

JAN = date(2026, 1, 1)
FEB = date(2026, 2, 1)
POINTS = (0, 1, 3, 6, 12, 24)

# January: A and B have lived 24 months within a 24-month warranty, C has a
# 12-month warranty, D was sold late and is 3 months in service.
JAN_UNITS = [(JAN, 24, 2.0), (JAN, 12, 1.0), (JAN, 3, 1.0)]
JAN_REPAIRS = [
    (JAN, 24, 0, 1, 100.0),  # A, part X
    (JAN, 24, 5, 1, 300.0),  # A, part X again
    (JAN, 24, 2, 1, 200.0),  # B, part Y
    (JAN, 24, 30, 1, 999.0),  # B after its warranty: never counted
    (JAN, 12, 12, 1, 50.0),  # C, part Z
    (JAN, 3, 1, 1, 80.0),  # D, part Y
]
JAN_FIRST_FAILURES = [
    (JAN, 24, 0, 1),  # A-X (its second failure is not a new thing gone wrong)
    (JAN, 24, 2, 1),  # B-Y
    (JAN, 24, 30, 1),  # B-W after the warranty
    (JAN, 12, 12, 1),  # C-Z
    (JAN, 3, 1, 1),  # D-Y
]


def by_mis(cells, cohort):
    return {cell.mis: cell for cell in cells if cell.cohort == cohort}


def test_hand_built_cohort():
    cells = by_mis(matrix(POINTS, JAN_UNITS, JAN_REPAIRS, JAN_FIRST_FAILURES), JAN)
    # (units, repairs, failed parts, cost), worked out by hand above.
    expected = {
        0: (4, 1, 1, 100.0),
        1: (4, 2, 2, 180.0),
        3: (4, 3, 3, 380.0),
        # D (3 months in service) leaves the denominator with its repair.
        6: (3, 3, 2, 600.0),
        12: (3, 4, 3, 650.0),
        # C left its 12-month warranty; B's repair at 30 months never counts.
        24: (2, 3, 2, 600.0),
    }
    assert {
        mis: (cell.units, cell.repairs, cell.failed_parts, cell.cost)
        for mis, cell in cells.items()
    } == expected
    rates = {
        mis: (round(cell.r1000, 2), round(cell.tgw, 2), round(cell.cpu, 2))
        for mis, cell in cells.items()
    }
    assert rates == {
        0: (250.0, 250.0, 25.0),
        1: (500.0, 500.0, 45.0),
        3: (750.0, 750.0, 95.0),
        6: (1000.0, 666.67, 200.0),
        12: (1333.33, 1000.0, 216.67),
        24: (1500.0, 1000.0, 300.0),
    }


def test_cohort_too_young_gives_none_not_zero():
    units = [(FEB, 2, 10.0)]
    repairs = [(FEB, 2, 1, 1, 40.0)]
    cells = by_mis(matrix(POINTS, units, repairs, [(FEB, 2, 1, 1)]), FEB)
    # At MIS 0 no repair yet: a true 0, not None.
    assert (cells[0].r1000, cells[0].tgw, cells[0].cpu) == (0.0, 0.0, 0.0)
    assert (cells[1].r1000, cells[1].tgw, cells[1].cpu) == (100.0, 100.0, 4.0)
    for mis in (3, 6, 12, 24):
        cell = cells[mis]
        assert (cell.units, cell.repairs, cell.cost) == (0.0, 0, 0.0)
        assert (cell.r1000, cell.tgw, cell.cpu) == (None, None, None)


def test_units_leaving_warranty():
    # 1000 units with a 6-month warranty, 1000 with 24: after MIS 6 only the
    # second thousand counts, with its own repairs only.
    units = [(JAN, 6, 1000.0), (JAN, 24, 1000.0)]
    repairs = [(JAN, 6, 4, 5, 500.0), (JAN, 24, 4, 5, 500.0), (JAN, 24, 10, 2, 0.0)]
    cells = by_mis(matrix(POINTS, units, repairs), JAN)
    assert cells[6].units == 2000 and cells[6].r1000 == 5.0
    assert cells[12].units == 1000 and cells[12].r1000 == 7.0
    assert cells[12].cpu == 0.5
    # No first failures given: nothing gone wrong, a measured 0.
    assert cells[12].tgw == 0.0


def test_all_units_out_of_warranty():
    cells = by_mis(matrix(POINTS, [(JAN, 12, 5.0)]), JAN)
    assert cells[12].units == 5.0
    assert cells[24].units == 0.0 and cells[24].r1000 is None


def test_no_units():
    assert matrix(POINTS, []) == []
    # Repairs of no known unit make no cohort.
    assert matrix(POINTS, [], [(JAN, 24, 0, 1, 10.0)], [(JAN, 24, 0, 1)]) == []
    assert matrix((), [(JAN, 24, 1.0)]) == []
    assert indicators.rate(3, 0) is None
    assert indicators.rate(3, 0.0, per=1.0) is None


def test_cells_cover_every_point_of_every_cohort_in_order():
    cells = matrix((6, 0, 6, 1), [(FEB, 0, 1.0), (JAN, 24, 1.0)])
    assert [(cell.cohort, cell.mis) for cell in cells] == [
        (JAN, 0),
        (JAN, 1),
        (JAN, 6),
        (FEB, 0),
        (FEB, 1),
        (FEB, 6),
    ]
    assert [cell.units for cell in cells] == [1.0, 1.0, 1.0, 1.0, 0.0, 0.0]


def test_exposures_and_mis_capped_to_the_last_point_count_the_same():
    raw = matrix(POINTS, [(JAN, 40, 3.0)], [(JAN, 40, 2, 1, 9.0)])
    capped = matrix(POINTS, [(JAN, 24, 3.0)], [(JAN, 24, 2, 1, 9.0)])
    assert raw == capped


def test_fractional_lot_quantities():
    cells = by_mis(matrix((0,), [(JAN, 0, 0.1), (JAN, 0, 0.2)]), JAN)
    assert cells[0].units == pytest.approx(0.3)
    assert cells[0].r1000 == 0.0


@pytest.mark.parametrize(
    ("start", "day", "months"),
    [
        (date(2026, 1, 15), date(2026, 1, 15), 0),
        (date(2026, 1, 15), date(2026, 2, 14), 0),
        (date(2026, 1, 15), date(2026, 2, 15), 1),
        (date(2026, 1, 31), date(2026, 2, 27), 0),
        (date(2026, 1, 31), date(2026, 2, 28), 1),
        (date(2026, 1, 31), date(2026, 3, 30), 1),
        (date(2026, 1, 31), date(2026, 3, 31), 2),
        (date(2024, 2, 29), date(2025, 2, 28), 12),
        (date(2026, 12, 20), date(2027, 1, 19), 0),
        (date(2026, 12, 20), date(2028, 12, 20), 24),
        # Before the start (a pre-delivery defect): MIS 0.
        (date(2026, 3, 1), date(2026, 2, 1), 0),
    ],
)
def test_months_in_service(start, day, months):
    assert months_in_service(start, day) == months


def test_months_in_service_agrees_with_warranty_periods():
    # The largest n with add_months(start, n) <= day, for every start of a
    # leap year's turn and days up to two years later.
    start = date(2023, 12, 1)
    while start < date(2025, 3, 1):
        for offset in range(0, 800, 23):
            day = start + timedelta(days=offset)
            expected = 0
            while add_months(start, expected + 1) <= day:
                expected += 1
            assert months_in_service(start, day) == expected, (start, day)
        start += timedelta(days=1)
    # A warranty of n months spans n months.
    assert months_in_service(date(2026, 1, 31), add_months(date(2026, 1, 31), 1)) == 1


@pytest.mark.parametrize(
    ("text", "points"),
    [
        ("0,1,3,6,12,24", (0, 1, 3, 6, 12, 24)),
        (" 24, 12 ,6;3 1 0 ", (0, 1, 3, 6, 12, 24)),
        ("3,3,1", (1, 3)),
        ("0，6，12", (0, 6, 12)),
        ("240", (240,)),
    ],
)
def test_parse_mis(text, points):
    assert parse_mis(text) == points
    assert parse_mis(indicators.format_mis(points)) == points


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", EMPTY),
        (" , ", EMPTY),
        (None, NOT_A_NUMBER),
        ("1,two", NOT_A_NUMBER),
        ("-1,3", NOT_A_NUMBER),
        ("1.5", NOT_A_NUMBER),
        ("241", OUT_OF_RANGE),
        (",".join(str(n) for n in range(37)), TOO_MANY),
    ],
)
def test_parse_mis_refuses(text, code):
    with pytest.raises(ValueError, match=code):
        parse_mis(text)


def test_month_count_and_cohorts():
    assert indicators.month_count(date(2025, 1, 31), date(2026, 12, 1)) == 24
    assert indicators.month_count(date(2026, 3, 5), date(2026, 3, 1)) == 1
    assert indicators.month_count(date(2026, 3, 5), date(2026, 2, 28)) == 0
    assert indicators.cohort_of(date(2026, 2, 28)) == FEB
