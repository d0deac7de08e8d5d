import pytest

from aftersales_service.money import as_number, is_zero, round_money


@pytest.mark.parametrize(
    ("amount", "rounding", "expected"),
    [
        (0.125, 0.01, 0.13),  # round() gives 0.12 (half-even)
        (0.135, 0.01, 0.14),
        (1.005, 0.01, 1.01),  # binary 1.00499999... still rounds up
        (2.675, 0.01, 2.68),
        (-0.125, 0.01, -0.13),  # away from zero, as Odoo
        (12.5, 1.0, 13.0),
        (13.5, 1.0, 14.0),
        (0.124999, 0.01, 0.12),
        (7.25, 0.5, 7.5),
        (0.0, 0.01, 0.0),
    ],
)
def test_half_up_at_the_half_cent(amount, rounding, expected):
    assert round_money(amount, rounding) == expected


def test_five_percent_of_two_fifty():
    # The case: Odoo withholds 0.13, half-even gave 0.12.
    assert round_money(2.50 * 5 / 100.0) == 0.13


def test_is_zero():
    assert is_zero(0.004)
    assert not is_zero(0.005)


def test_rounding_must_be_positive():
    with pytest.raises(ValueError):
        round_money(1.0, 0)


def test_huge_amounts_round_without_error():
    assert round_money(1e300) == 1e300
    assert round_money(-1.7e308, 0.001) == -1.7e308


def test_as_number_takes_finite_numbers_only():
    assert as_number(3) == 3.0
    assert as_number(2.5) == 2.5
    for value in (float("nan"), float("inf"), True, "1", None, [1], 10**400):
        assert as_number(value) is None
