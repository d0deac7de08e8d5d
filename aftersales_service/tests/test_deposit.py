from datetime import date

import pytest

from aftersales_service import deposit


@pytest.mark.parametrize(
    "method, base, rate, target, withheld, expected",
    [
        # seed 003: a share of each bill is held back
        ("percent", 11300.0, 5.0, 0.0, 0.0, 565.0),
        ("percent", 333.33, 5.0, 0.0, 0.0, 16.67),
        ("percent", -2260.0, 5.0, 0.0, 0.0, -113.0),
        ("percent", 1000.0, 0.0, 0.0, 0.0, 0.0),
        # a fixed deposit fills up bill after bill, then stops
        ("fixed", 8000.0, 0.0, 5000.0, 0.0, 5000.0),
        ("fixed", 3000.0, 0.0, 5000.0, 0.0, 3000.0),
        ("fixed", 8000.0, 0.0, 5000.0, 3000.0, 2000.0),
        ("fixed", 8000.0, 0.0, 5000.0, 5000.0, 0.0),
        ("fixed", -1000.0, 0.0, 5000.0, 5000.0, 0.0),
    ],
)
def test_withholding(method, base, rate, target, withheld, expected):
    assert deposit.withholding(method, base, rate, target, withheld) == expected


def test_withholding_refuses_bad_input():
    with pytest.raises(ValueError):
        deposit.withholding("percent", 100.0, rate=-1.0)
    with pytest.raises(ValueError):
        deposit.withholding("fixed", 100.0, target=-5.0)
    with pytest.raises(ValueError):
        deposit.withholding("other", 100.0, rate=5.0)


def test_withholding_rounds_to_currency_rounding():
    assert deposit.withholding("percent", 1001.0, 5.0, rounding=1.0) == 50.0
    assert deposit.withholding("percent", 1.234, 10.0, rounding=0.001) == 0.123
    assert deposit.withholding("percent", 1030.0, 5.0, rounding=5.0) == 50.0


@pytest.mark.parametrize(
    "base, rate, rounding, expected",
    [
        # The case: 5% of 2.50 is 0.125; Odoo books 0.13, round() 0.12.
        (2.50, 5.0, 0.01, 0.13),
        (-2.50, 5.0, 0.01, -0.13),  # a credit note gives back as much
        (2.70, 5.0, 0.01, 0.14),  # 0.135
        (10.10, 5.0, 0.01, 0.51),  # 0.505, binary 0.50499999...
        (2.48, 5.0, 0.01, 0.12),  # 0.124: below the half cent
        (1010.0, 5.0, 1.0, 51.0),  # 50.5 in a currency without cents
        (1050.0, 5.0, 1.0, 53.0),  # 52.5: half-up, not to the even 52
    ],
)
def test_withholding_rounds_half_up_at_the_half_cent(base, rate, rounding, expected):
    assert deposit.withholding("percent", base, rate, rounding=rounding) == expected


def test_fixed_withholding_rounds_half_up():
    assert deposit.withholding("fixed", 100.0, target=0.125) == 0.13


@pytest.mark.parametrize(
    "amount, balance, reserved, expected",
    [
        (500.0, 500.0, 0.0, False),
        (500.01, 500.0, 0.0, True),
        (300.0, 500.0, 200.0, False),
        (300.0, 500.0, 200.01, True),
        # float noise below a cent is no overdraft
        (0.1 + 0.2, 0.3, 0.0, False),
    ],
)
def test_exceeds(amount, balance, reserved, expected):
    assert deposit.exceeds(amount, balance, reserved) is expected


def test_exceeds_at_the_half_unit():
    # Half a unit over is over once rounded half-up (round() says 0: even).
    assert deposit.exceeds(100.5, 100.0, rounding=1.0) is True
    assert deposit.exceeds(100.4, 100.0, rounding=1.0) is False
    assert deposit.exceeds(0.005, 0.0) is True
    assert deposit.exceeds(0.004, 0.0) is False


def test_available():
    assert deposit.available(1000.0, 250.0) == 750.0
    assert deposit.available(1000.0) == 1000.0


def test_is_due_after_the_last_day():
    end = date(2026, 6, 30)
    assert not deposit.is_due(end, date(2026, 6, 30))
    assert deposit.is_due(end, date(2026, 7, 1))
    assert not deposit.is_due(False, date(2030, 1, 1))


@pytest.mark.parametrize(
    "amount, on_date, expected",
    [
        (1000.0, date(2026, 7, 1), []),
        (400.0, date(2026, 7, 1), ["partial"]),
        (1000.0, date(2026, 6, 1), ["early"]),
        (400.0, date(2026, 6, 1), ["early", "partial"]),
    ],
)
def test_release_approvals(amount, on_date, expected):
    assert (
        deposit.release_approvals(amount, 1000.0, on_date, date(2026, 6, 30))
        == expected
    )


def test_release_of_all_but_half_a_unit_is_partial():
    after = date(2026, 7, 1)
    end = date(2026, 6, 30)
    assert deposit.release_approvals(99.5, 100.0, after, end, rounding=1.0) == [
        "partial"
    ]
    assert deposit.release_approvals(99.6, 100.0, after, end, rounding=1.0) == []


def test_running_balances():
    assert deposit.running_balances([565.0, -120.5, 300.0, -744.5]) == [
        565.0,
        444.5,
        744.5,
        0.0,
    ]
    assert deposit.running_balances([10.0], opening=5.0) == [15.0]
    assert deposit.running_balances([]) == []
    # Half cents round half-up, as the entries do.
    assert deposit.running_balances([0.125, 0.125]) == [0.13, 0.26]
    assert deposit.running_balances([12.5, 13.5], rounding=1.0) == [13.0, 27.0]
