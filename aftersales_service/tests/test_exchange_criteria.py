"""Exchange criteria at their edges: exactly N, N - 1, N + 1, none."""

from datetime import date

import pytest

from aftersales_service import warranty
from aftersales_service.warranty import (
    ExchangeCriterion,
    VoucherTerms,
    check_eligibility,
    criterion_errors,
    exchange_criterion,
)

DAY = date(2026, 6, 1)  # past the exchange window: the remedy is repair
GEARBOX, LAMP = "gearbox", "lamp"


def terms(*criteria, **overrides):
    values = dict(
        state="active",
        date_start=date(2026, 1, 15),
        date_end=date(2027, 1, 15),
        provider="company",
        refund_days=7,
        exchange_days=15,
        # High enough that the voucher's own threshold stays out of the way.
        max_failed_repairs=99,
        exchange_criteria=tuple(criteria),
    )
    values.update(overrides)
    return VoucherTerms(**values)


REPAIR_3_DAYS = ExchangeCriterion(warranty.CRITERION_REPAIR_DAYS, 3)
SAME_FAULT_2 = ExchangeCriterion(warranty.CRITERION_SAME_FAULT, 2)
MAJOR = ExchangeCriterion(warranty.CRITERION_MAJOR_PART, parts=frozenset({GEARBOX}))


@pytest.mark.parametrize(
    "days_open, fires",
    [(2, False), (3, False), (4, True)],
)
def test_repair_days_fire_after_exactly_n_days(days_open, fires):
    since = date.fromordinal(DAY.toordinal() - days_open)
    decision = check_eligibility(terms(REPAIR_3_DAYS), DAY, open_repair_since=since)
    assert decision.eligible
    if fires:
        assert (decision.remedy, decision.reason) == (
            warranty.EXCHANGE,
            warranty.REPAIR_OVERDUE,
        )
        assert decision.criterion == REPAIR_3_DAYS
    else:
        assert (decision.remedy, decision.reason, decision.criterion) == (
            warranty.REPAIR,
            warranty.COVERED,
            None,
        )


def test_a_repair_opened_after_the_day_asked_about_is_not_overdue():
    decision = check_eligibility(
        terms(REPAIR_3_DAYS), DAY, open_repair_since=date(2026, 6, 20)
    )
    assert decision.remedy == warranty.REPAIR


@pytest.mark.parametrize(
    "failed, fires",
    [(1, False), (2, True), (3, True)],
)
def test_same_fault_fires_from_exactly_n_failed_repairs(failed, fires):
    decision = check_eligibility(terms(SAME_FAULT_2), DAY, failed_repairs=failed)
    assert (decision.remedy == warranty.EXCHANGE) is fires
    if fires:
        assert decision.reason == warranty.REPEATED_FAILURE
        assert decision.criterion == SAME_FAULT_2


def test_major_part_fires_for_its_parts_only():
    decision = check_eligibility(terms(MAJOR), DAY, part=GEARBOX)
    assert (decision.remedy, decision.reason, decision.criterion) == (
        warranty.EXCHANGE,
        warranty.MAJOR_PART,
        MAJOR,
    )
    other = check_eligibility(terms(MAJOR), DAY, part=LAMP)
    assert (other.remedy, other.criterion) == (warranty.REPAIR, None)
    none_named = check_eligibility(terms(MAJOR), DAY)
    assert none_named.remedy == warranty.REPAIR


def test_no_criteria_keeps_the_vouchers_failed_repairs():
    voucher = terms(max_failed_repairs=2)
    assert check_eligibility(voucher, DAY, failed_repairs=1).remedy == warranty.REPAIR
    twice = check_eligibility(voucher, DAY, failed_repairs=2)
    assert (twice.remedy, twice.reason) == (
        warranty.EXCHANGE,
        warranty.REPEATED_FAILURE,
    )
    # The voucher's own threshold is named as a same-fault criterion.
    assert twice.criterion == ExchangeCriterion(warranty.CRITERION_SAME_FAULT, 2)
    # Nothing open, no part: no criterion whatever the days.
    assert check_eligibility(voucher, DAY).criterion is None


def test_overdue_comes_before_major_part_before_same_fault():
    voucher = terms(SAME_FAULT_2, MAJOR, REPAIR_3_DAYS)
    all_met = check_eligibility(
        voucher,
        DAY,
        part=GEARBOX,
        failed_repairs=5,
        open_repair_since=date(2026, 5, 1),
    )
    assert all_met.criterion == REPAIR_3_DAYS
    two_met = check_eligibility(voucher, DAY, part=GEARBOX, failed_repairs=5)
    assert two_met.criterion == MAJOR


def test_the_lowest_threshold_of_a_kind_is_named():
    lower = ExchangeCriterion(warranty.CRITERION_SAME_FAULT, 1)
    assert exchange_criterion((SAME_FAULT_2, lower), failed_repairs=3) == lower


def test_criteria_never_downgrade_a_refund_or_touch_a_refusal():
    refund = check_eligibility(
        terms(MAJOR), date(2026, 1, 16), part=GEARBOX, failed_repairs=9
    )
    assert (refund.remedy, refund.criterion) == (warranty.REFUND, None)
    refused = check_eligibility(terms(MAJOR), DAY, part=GEARBOX, cause="misuse")
    assert (refused.eligible, refused.criterion) == (False, None)


@pytest.mark.parametrize(
    "kind, number, parts, errors",
    [
        (warranty.CRITERION_REPAIR_DAYS, 3, (), []),
        (warranty.CRITERION_REPAIR_DAYS, 0, (), ["repair_days_below_one"]),
        (warranty.CRITERION_SAME_FAULT, 1, (), []),
        (warranty.CRITERION_SAME_FAULT, 0, (), ["failed_repairs_below_one"]),
        (warranty.CRITERION_MAJOR_PART, 0, (GEARBOX,), []),
        (warranty.CRITERION_MAJOR_PART, 0, (), ["no_major_part"]),
        ("other", 1, (), ["unknown_kind"]),
    ],
)
def test_criterion_errors(kind, number, parts, errors):
    assert criterion_errors(kind, number, parts) == errors
