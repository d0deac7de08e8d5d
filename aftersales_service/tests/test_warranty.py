from datetime import date

import pytest

from aftersales_service import periods, warranty
from aftersales_service.warranty import (
    Coverage,
    PolicyScope,
    VoucherTerms,
    check_eligibility,
)

COMPANY = "company"
CHASSIS_MAKER = "chassis-maker"
CHASSIS, BODY, PLASTIC, TUBE = "chassis", "body", "plastic", "tube"


def terms(**overrides):
    values = dict(
        state="active",
        date_start=date(2026, 1, 15),
        date_end=date(2027, 1, 15),
        provider=COMPANY,
        refund_days=7,
        exchange_days=15,
    )
    values.update(overrides)
    return VoucherTerms(**values)


# --- periods ---------------------------------------------------------------


@pytest.mark.parametrize(
    "start, months, expected",
    [
        (date(2026, 1, 15), 12, date(2027, 1, 15)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2026, 12, 31), 2, date(2027, 2, 28)),
        (date(2026, 11, 30), 15, date(2028, 2, 29)),
        (date(2026, 5, 31), -1, date(2026, 4, 30)),
        (date(2026, 3, 10), 0, date(2026, 3, 10)),
    ],
)
def test_add_months_clips_to_month_end(start, months, expected):
    assert periods.add_months(start, months) == expected


def test_period_end_refuses_negative_periods():
    with pytest.raises(ValueError):
        periods.period_end(date(2026, 1, 1), months=-1)
    with pytest.raises(ValueError):
        periods.period_end(date(2026, 1, 1), days=-1)


def test_ranges_overlap_with_open_bounds():
    jan = (date(2026, 1, 1), date(2026, 1, 31))
    feb = (date(2026, 2, 1), date(2026, 2, 28))
    assert not periods.ranges_overlap(jan, feb)
    assert periods.ranges_overlap(jan, (date(2026, 1, 31), None))
    assert periods.ranges_overlap((None, None), feb)
    assert not periods.ranges_overlap((None, date(2025, 12, 31)), jan)
    assert periods.ranges_overlap(jan, (None, date(2026, 1, 1)))


# --- period edges ------------------------------------------------------------


def test_last_day_of_period_is_covered_and_next_day_is_not():
    voucher = terms()
    assert check_eligibility(voucher, date(2027, 1, 15)).eligible
    refused = check_eligibility(voucher, date(2027, 1, 16))
    assert not refused.eligible
    assert refused.reason == warranty.EXPIRED
    assert refused.date_end == date(2027, 1, 15)


def test_start_day_is_covered_and_day_before_is_not():
    voucher = terms()
    assert check_eligibility(voucher, date(2026, 1, 15)).eligible
    assert check_eligibility(voucher, date(2026, 1, 14)).reason == warranty.NOT_STARTED


def test_voucher_awaiting_its_project_handover_is_not_started():
    """Seed 003: a project's equipment is covered from the formal handover;
    before it, whatever the voucher's dates, the warranty has not started."""
    waiting = terms(awaiting_start=True)
    decision = check_eligibility(waiting, date(2026, 6, 1))
    assert (decision.eligible, decision.reason) == (False, warranty.NOT_STARTED)
    # A void voucher stays void: the state is answered first.
    void = terms(state="void", awaiting_start=True)
    assert check_eligibility(void, date(2026, 6, 1)).reason == warranty.VOID


@pytest.mark.parametrize("state, reason", [("void", "void"), ("draft", "not_issued")])
def test_void_and_draft_vouchers_cover_nothing(state, reason):
    decision = check_eligibility(terms(state=state), date(2026, 2, 1))
    assert (decision.eligible, decision.reason) == (False, reason)


def test_expired_state_still_answers_for_a_date_inside_the_period():
    # A claim filed late for a fault that happened in time is judged on its date.
    decision = check_eligibility(terms(state="expired"), date(2026, 6, 1))
    assert decision.eligible


# --- mileage edges -----------------------------------------------------------


def test_mileage_limit_is_inclusive():
    voucher = terms(mileage_start=120.0, mileage_limit=50000.0)
    assert check_eligibility(voucher, date(2026, 6, 1), mileage=50120.0).eligible
    over = check_eligibility(voucher, date(2026, 6, 1), mileage=50120.1)
    assert (over.eligible, over.reason) == (False, warranty.MILEAGE_EXCEEDED)


def test_no_mileage_limit_means_unlimited():
    voucher = terms(mileage_limit=0.0)
    assert check_eligibility(voucher, date(2026, 6, 1), mileage=9e9).eligible


def test_mileage_not_given_is_not_checked():
    voucher = terms(mileage_limit=100.0)
    assert check_eligibility(voucher, date(2026, 6, 1)).eligible


@pytest.mark.parametrize(
    "mileage, code", [(-1.0, "negative_mileage"), (99.0, "mileage_below_start")]
)
def test_impossible_mileage_is_an_error(mileage, code):
    voucher = terms(mileage_start=100.0, mileage_limit=1000.0)
    with pytest.raises(ValueError, match=code):
        check_eligibility(voucher, date(2026, 6, 1), mileage=mileage)


# --- remedy windows ----------------------------------------------------------


@pytest.mark.parametrize(
    "on_date, remedy",
    [
        (date(2026, 1, 15), warranty.REFUND),
        (date(2026, 1, 22), warranty.REFUND),  # day 7: last refund day
        (date(2026, 1, 23), warranty.EXCHANGE),
        (date(2026, 1, 30), warranty.EXCHANGE),  # day 15: last exchange day
        (date(2026, 1, 31), warranty.REPAIR),
        (date(2027, 1, 15), warranty.REPAIR),
    ],
)
def test_remedy_by_age(on_date, remedy):
    assert check_eligibility(terms(), on_date).remedy == remedy


def test_dealer_gets_the_dealer_remedy_from_day_one():
    dealer = terms(holder_type=warranty.DEALER, dealer_remedy=warranty.EXCHANGE)
    assert check_eligibility(dealer, date(2026, 1, 16)).remedy == warranty.EXCHANGE


def test_no_refund_window():
    voucher = terms(refund_days=0, exchange_days=0)
    assert check_eligibility(voucher, date(2026, 1, 15)).remedy == warranty.REFUND
    assert check_eligibility(voucher, date(2026, 1, 16)).remedy == warranty.REPAIR


# --- two failed repairs, overdue repairs -----------------------------------


def test_two_failed_repairs_turn_repair_into_exchange():
    voucher, day = terms(), date(2026, 6, 1)
    once = check_eligibility(voucher, day, failed_repairs=1)
    assert (once.remedy, once.reason) == (warranty.REPAIR, warranty.COVERED)
    twice = check_eligibility(voucher, day, failed_repairs=2)
    assert (twice.remedy, twice.reason) == (
        warranty.EXCHANGE,
        warranty.REPEATED_FAILURE,
    )


def test_failed_repairs_threshold_is_configurable():
    voucher = terms(max_failed_repairs=3)
    day = date(2026, 6, 1)
    assert check_eligibility(voucher, day, failed_repairs=2).remedy == warranty.REPAIR
    assert check_eligibility(voucher, day, failed_repairs=3).remedy == warranty.EXCHANGE


def test_failed_repairs_never_downgrade_a_refund():
    decision = check_eligibility(terms(), date(2026, 1, 16), failed_repairs=5)
    assert decision.remedy == warranty.REFUND


def test_repair_overdue_gives_exchange():
    decision = check_eligibility(terms(), date(2026, 6, 1), repair_overdue=True)
    assert (decision.remedy, decision.reason) == (
        warranty.EXCHANGE,
        warranty.REPAIR_OVERDUE,
    )


def test_only_manufacturing_faults_are_covered():
    day = date(2026, 6, 1)
    assert check_eligibility(terms(), day, cause=warranty.MANUFACTURING).eligible
    misuse = check_eligibility(terms(), day, cause="misuse")
    assert (misuse.eligible, misuse.reason) == (False, warranty.NOT_MANUFACTURING)


# --- provider per part ---------------------------------------------------------


def vehicle_terms():
    return terms(
        date_end=date(2027, 1, 15),
        coverages=(
            Coverage(CHASSIS, CHASSIS_MAKER, date(2028, 1, 15)),
            Coverage(BODY, COMPANY, date(2027, 1, 15)),
            Coverage(TUBE, COMPANY, date(2026, 7, 15)),
        ),
        excluded_parts=frozenset({PLASTIC}),
    )


def test_provider_is_the_part_provider():
    day = date(2026, 6, 1)
    assert check_eligibility(vehicle_terms(), day, part=CHASSIS).provider == (
        CHASSIS_MAKER
    )
    assert check_eligibility(vehicle_terms(), day, part=BODY).provider == COMPANY
    # A part without a coverage line is the company's, on the voucher's period.
    other = check_eligibility(vehicle_terms(), day, part="door")
    assert (other.provider, other.date_end) == (COMPANY, date(2027, 1, 15))


def test_part_period_overrides_voucher_period():
    voucher = vehicle_terms()
    chassis = check_eligibility(voucher, date(2027, 6, 1), part=CHASSIS)
    assert chassis.eligible and chassis.date_end == date(2028, 1, 15)
    tube = check_eligibility(voucher, date(2026, 7, 16), part=TUBE)
    assert (tube.eligible, tube.reason) == (False, warranty.PART_EXPIRED)
    assert check_eligibility(voucher, date(2026, 7, 15), part=TUBE).eligible


def test_excluded_part_is_refused_even_inside_the_period():
    decision = check_eligibility(vehicle_terms(), date(2026, 2, 1), part=PLASTIC)
    assert (decision.eligible, decision.reason) == (False, warranty.PART_EXCLUDED)


# --- policies -------------------------------------------------------------------


def test_consistent_policy_has_no_errors():
    assert warranty.policy_errors(7, 15, 12, dealer_months=15) == []


@pytest.mark.parametrize(
    "args, code",
    [
        ((16, 15, 12), "refund_after_exchange"),
        ((7, 29, 1), "exchange_after_repair"),
        ((7, 15, 0), "no_repair_period"),
        ((-1, 15, 12), "negative_value"),
    ],
)
def test_overlapping_or_negative_windows_are_reported(args, code):
    assert code in warranty.policy_errors(*args)


def test_exchange_window_may_fill_the_shortest_month():
    assert warranty.policy_errors(0, 28, 1) == []
    assert warranty.shortest_span_in_days(1) == 28
    assert warranty.shortest_span_in_days(12) == 365


def test_negative_surcharge_and_failed_repairs_are_reported():
    assert "negative_value" in warranty.policy_errors(7, 15, 12, surcharge_percent=-1)
    assert "failed_repairs_below_one" in warranty.policy_errors(
        7, 15, 12, max_failed_repairs=0
    )


def test_product_policy_wins_over_category_and_nearest_category_wins():
    scopes = [
        PolicyScope("all-lighting", category="lighting"),
        PolicyScope("ceiling", category="ceiling"),
        PolicyScope("lamp-x", product="lamp-x"),
    ]
    day = date(2026, 6, 1)
    assert warranty.pick_policy(scopes, "lamp-x", ["ceiling", "lighting"], day) == (
        "lamp-x"
    )
    assert warranty.pick_policy(scopes, "lamp-y", ["ceiling", "lighting"], day) == (
        "ceiling"
    )
    assert warranty.pick_policy(scopes, "lamp-z", ["tubes", "lighting"], day) == (
        "all-lighting"
    )
    assert warranty.pick_policy(scopes, "truck", ["vehicles"], day) is None


def test_policy_validity_dates_are_respected():
    scopes = [
        PolicyScope("old", category="c", date_to=date(2026, 3, 31)),
        PolicyScope("new", category="c", date_from=date(2026, 4, 1)),
    ]
    assert warranty.pick_policy(scopes, "p", ["c"], date(2026, 3, 31)) == "old"
    assert warranty.pick_policy(scopes, "p", ["c"], date(2026, 4, 1)) == "new"


# --- out-of-warranty quote -------------------------------------------------------


def test_quote_is_cost_plus_surcharge():
    quote = warranty.out_of_warranty_quote(245.50, 10.0)
    assert (quote.cost, quote.surcharge, quote.total) == (245.5, 24.55, 270.05)


def test_quote_refuses_negative_figures():
    with pytest.raises(ValueError):
        warranty.out_of_warranty_quote(-1, 10)
    with pytest.raises(ValueError):
        warranty.out_of_warranty_quote(1, -10)


@pytest.mark.parametrize(
    ("cost", "percent", "rounding", "expected"),
    [
        # 10% of 1.25 is 0.125: half-up books 0.13 where round() gave 0.12.
        (1.25, 10.0, 0.01, (1.25, 0.13, 1.38)),
        # 5% of 2.50 (the withholding case) is 0.125 too.
        (2.50, 5.0, 0.01, (2.5, 0.13, 2.63)),
        # Binary 1.005 is 1.00499999...: its decimal form still rounds up.
        (1.005, 0.0, 0.01, (1.01, 0.0, 1.01)),
        # Just below the half cent stays down.
        (0.124999, 0.0, 0.01, (0.12, 0.0, 0.12)),
        # A currency without cents (JPY): 12.5 is 13, round() gave 12.
        (12.5, 0.0, 1.0, (13.0, 0.0, 13.0)),
        (245.5, 10.0, 1.0, (246.0, 25.0, 271.0)),
        # A rounding of 0.05 (CHF cash).
        (10.0, 2.25, 0.05, (10.0, 0.25, 10.25)),
    ],
)
def test_quote_rounds_half_up_to_the_currency(cost, percent, rounding, expected):
    quote = warranty.out_of_warranty_quote(cost, percent, rounding=rounding)
    assert (quote.cost, quote.surcharge, quote.total) == expected


def test_quote_refuses_non_finite_figures():
    for cost, percent in ((float("nan"), 10), (float("inf"), 10), (1, float("nan"))):
        with pytest.raises(ValueError):
            warranty.out_of_warranty_quote(cost, percent)
