"""Warranty eligibility (三包) without the ORM.

A claim is covered only with a valid voucher, inside its period and mileage,
for a covered part, and when the fault is a manufacturing defect (seed 000 §2).
The remedy depends on the age of the product: refund, then exchange, then
repair; repeated failed repairs of the same fault, or a repair the station
cannot finish in time, turn a repair into an exchange (seeds 002 and 004).
"""

import math
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from .money import CENT, round_money
from .periods import add_months, age_in_days, period_end

REFUND = "refund"
EXCHANGE = "exchange"
REPAIR = "repair"
REMEDIES = (REFUND, EXCHANGE, REPAIR)

CONSUMER = "consumer"
DEALER = "dealer"

MANUFACTURING = "manufacturing"

# Reason codes of the answer; the RPC contract publishes them as they are.
COVERED = "covered"
REPEATED_FAILURE = "repeated_failure"
REPAIR_OVERDUE = "repair_overdue"
UNKNOWN_SERIAL = "unknown_serial"
UNKNOWN_PART = "unknown_part"
NOT_ISSUED = "not_issued"
VOID = "void"
NOT_STARTED = "not_started"
EXPIRED = "expired"
MILEAGE_EXCEEDED = "mileage_exceeded"
PART_EXCLUDED = "part_excluded"
PART_EXPIRED = "part_expired"
NOT_MANUFACTURING = "not_manufacturing"
MAJOR_PART = "major_part"

# Exchange criteria (seed 004 §1 art. 2, §2 art. 2; seed 002): conditions
# that turn a covered repair into an exchange. Their kinds, in the order they
# are tried; each fires with the reason of the answer next to it.
CRITERION_REPAIR_DAYS = "repair_days"
CRITERION_MAJOR_PART = "major_part"
CRITERION_SAME_FAULT = "same_fault_repairs"
CRITERION_KINDS = (CRITERION_REPAIR_DAYS, CRITERION_MAJOR_PART, CRITERION_SAME_FAULT)
CRITERION_REASONS = {
    CRITERION_REPAIR_DAYS: REPAIR_OVERDUE,
    CRITERION_MAJOR_PART: MAJOR_PART,
    CRITERION_SAME_FAULT: REPEATED_FAILURE,
}


@dataclass(frozen=True)
class Coverage:
    """Coverage of one part of a product: who provides it and until when."""

    part: object
    provider: object
    date_end: date


@dataclass(frozen=True)
class ExchangeCriterion:
    """A condition under which a covered repair becomes an exchange.

    ``repair_days``: a repair still open more than ``number`` days after it
    started; ``major_part``: the failed part is one of ``parts``;
    ``same_fault_repairs``: ``number`` failed repairs of the same fault.
    ``label`` is how the answer names it (the caller's words).
    """

    kind: str
    number: int = 0
    parts: frozenset = field(default_factory=frozenset)
    label: str | None = None

    def fires(self, part=None, failed_repairs=0, open_repair_days=None):
        if self.kind == CRITERION_REPAIR_DAYS:
            return open_repair_days is not None and open_repair_days > self.number
        if self.kind == CRITERION_MAJOR_PART:
            return part is not None and part in self.parts
        if self.kind == CRITERION_SAME_FAULT:
            return failed_repairs >= self.number
        return False


def criterion_errors(kind, number, parts=()):
    """Codes of what is wrong with an exchange criterion; empty when fine."""
    if kind not in CRITERION_KINDS:
        return ["unknown_kind"]
    if kind == CRITERION_MAJOR_PART:
        return [] if parts else ["no_major_part"]
    if kind == CRITERION_SAME_FAULT and number < 1:
        return ["failed_repairs_below_one"]
    if kind == CRITERION_REPAIR_DAYS and number < 1:
        return ["repair_days_below_one"]
    return []


def exchange_criterion(criteria, part=None, failed_repairs=0, open_repair_days=None):
    """The criterion that turns a repair into an exchange, or None.

    Kinds are tried in CRITERION_KINDS order (an overdue repair first), and
    within a kind the lowest threshold first, so the answer names the
    condition that was met first.
    """
    ordered = sorted(
        criteria,
        key=lambda c: (
            CRITERION_KINDS.index(c.kind) if c.kind in CRITERION_KINDS else 99,
            c.number,
        ),
    )
    for criterion in ordered:
        if criterion.fires(part, failed_repairs, open_repair_days):
            return criterion
    return None


@dataclass(frozen=True)
class VoucherTerms:
    """What a voucher promises, as the eligibility rule needs it."""

    state: str
    date_start: date
    date_end: date
    provider: object
    holder_type: str = CONSUMER
    refund_days: int = 0
    exchange_days: int = 0
    dealer_remedy: str = EXCHANGE
    mileage_start: float = 0.0
    mileage_limit: float = 0.0
    max_failed_repairs: int = 2
    coverages: tuple = ()
    excluded_parts: frozenset = field(default_factory=frozenset)
    # An engineering project's voucher waits for the formal handover of the
    # project (seed 003): it is not started whatever its dates say.
    awaiting_start: bool = False
    # The policy's exchange criteria; the voucher's own max_failed_repairs is
    # always one more (a same-fault criterion printed on the voucher).
    exchange_criteria: tuple = ()

    def all_exchange_criteria(self):
        same_fault = ExchangeCriterion(CRITERION_SAME_FAULT, self.max_failed_repairs)
        return (*self.exchange_criteria, same_fault)

    def coverage_for(self, part):
        for coverage in self.coverages:
            if coverage.part == part:
                return coverage
        return None


@dataclass(frozen=True)
class Decision:
    eligible: bool
    reason: str
    remedy: str | None = None
    provider: object = None
    date_end: date | None = None
    criterion: ExchangeCriterion | None = None


def remedy_for_age(age_days, refund_days, exchange_days):
    """Remedy a consumer is entitled to ``age_days`` after the start."""
    if age_days <= refund_days:
        return REFUND
    if age_days <= exchange_days:
        return EXCHANGE
    return REPAIR


def check_mileage(mileage, mileage_start):
    """Refuse readings that cannot be true; return the distance covered."""
    if mileage < 0:
        raise ValueError("negative_mileage")
    if mileage < mileage_start:
        raise ValueError("mileage_below_start")
    return mileage - mileage_start


def check_eligibility(
    terms,
    on_date,
    mileage=None,
    part=None,
    cause=None,
    failed_repairs=0,
    repair_overdue=False,
    open_repair_since=None,
):
    """Decide whether a fault on ``on_date`` is covered by ``terms``.

    ``cause`` is the appraised cause of the fault; ``None`` means not
    appraised yet, and the answer then says what is covered if it turns out
    to be a manufacturing defect. ``open_repair_since`` is the day the
    oldest repair still open on the product started, if any; the exchange
    criteria of ``terms`` decide whether it is overdue.
    """
    provider = terms.provider
    date_end = terms.date_end
    coverage = terms.coverage_for(part) if part is not None else None
    if coverage:
        provider, date_end = coverage.provider, coverage.date_end

    def refuse(reason):
        return Decision(False, reason, provider=provider, date_end=date_end)

    if terms.state == "void":
        return refuse(VOID)
    if terms.state == "draft":
        return refuse(NOT_ISSUED)
    if terms.awaiting_start or on_date < terms.date_start:
        return refuse(NOT_STARTED)
    if part is not None and part in terms.excluded_parts:
        return refuse(PART_EXCLUDED)
    if on_date > date_end:
        return refuse(PART_EXPIRED if coverage else EXPIRED)
    if mileage is not None:
        distance = check_mileage(mileage, terms.mileage_start)
        if terms.mileage_limit and distance > terms.mileage_limit:
            return refuse(MILEAGE_EXCEEDED)
    if cause is not None and cause != MANUFACTURING:
        return refuse(NOT_MANUFACTURING)

    reason = COVERED
    if terms.holder_type == DEALER:
        remedy = terms.dealer_remedy
    else:
        age = age_in_days(terms.date_start, on_date)
        remedy = remedy_for_age(age, terms.refund_days, terms.exchange_days)
    criterion = None
    if remedy == REPAIR and repair_overdue:
        remedy, reason = EXCHANGE, REPAIR_OVERDUE
    elif remedy == REPAIR:
        open_days = None
        if open_repair_since is not None and open_repair_since <= on_date:
            open_days = age_in_days(open_repair_since, on_date)
        criterion = exchange_criterion(
            terms.all_exchange_criteria(), part, failed_repairs, open_days
        )
        if criterion:
            remedy, reason = EXCHANGE, CRITERION_REASONS[criterion.kind]
    return Decision(True, reason, remedy, provider, date_end, criterion)


def voucher_end(start, months):
    """End date of a voucher of ``months`` months starting on ``start``."""
    return period_end(start, months=months)


@lru_cache(maxsize=256)
def shortest_span_in_days(months):
    """Fewest days a period of ``months`` months can last, whatever its start.

    Four years starting on a leap year hold every combination of month
    lengths, so scanning them gives the exact minimum.
    """
    start, stop = date(2000, 1, 1), date(2004, 1, 1)
    shortest = None
    day = start
    while day < stop:
        span = (add_months(day, months) - day).days
        shortest = span if shortest is None else min(shortest, span)
        day = date.fromordinal(day.toordinal() + 1)
    return shortest


def policy_errors(
    refund_days,
    exchange_days,
    repair_months,
    dealer_months=0,
    mileage_limit=0.0,
    surcharge_percent=0.0,
    max_failed_repairs=2,
):
    """Codes of what is wrong with a policy's terms; empty when consistent.

    The remedy windows must nest: refund within exchange, exchange within the
    repair period, whatever day the period starts on.
    """
    errors = []
    if min(
        refund_days, exchange_days, repair_months, dealer_months, mileage_limit
    ) < 0 or (surcharge_percent < 0):
        errors.append("negative_value")
    if max_failed_repairs < 1:
        errors.append("failed_repairs_below_one")
    if refund_days > exchange_days:
        errors.append("refund_after_exchange")
    if repair_months <= 0:
        errors.append("no_repair_period")
    elif exchange_days > shortest_span_in_days(repair_months):
        errors.append("exchange_after_repair")
    return errors


@dataclass(frozen=True)
class PolicyScope:
    """Where a policy applies: a product, or a category and its children."""

    key: object
    product: object = None
    category: object = None
    date_from: date | None = None
    date_to: date | None = None

    def in_force(self, on_date):
        return (self.date_from is None or self.date_from <= on_date) and (
            self.date_to is None or on_date <= self.date_to
        )


def pick_policy(scopes, product, category_chain, on_date):
    """Key of the most specific policy in force on ``on_date``, or None.

    A policy on the product wins over one on its category, and a category
    wins over its parents; ``category_chain`` lists the product's category
    first, then its parents.
    """
    in_force = [scope for scope in scopes if scope.in_force(on_date)]
    for scope in in_force:
        if scope.product is not None and scope.product == product:
            return scope.key
    for category in category_chain:
        for scope in in_force:
            if scope.product is None and scope.category == category:
                return scope.key
    return None


@dataclass(frozen=True)
class Quote:
    cost: float
    surcharge: float
    total: float


def out_of_warranty_quote(cost, surcharge_percent, rounding=CENT):
    """Price of paid service: parts cost plus the policy surcharge (seed 004).

    Amounts are rounded half-up to the currency's ``rounding`` (0.01 for
    most currencies), as ``res.currency.round`` books them.
    """
    if not (math.isfinite(cost) and math.isfinite(surcharge_percent)):
        raise ValueError("non_finite_amount")
    if cost < 0:
        raise ValueError("negative_cost")
    if surcharge_percent < 0:
        raise ValueError("negative_surcharge")
    cost = round_money(cost, rounding)
    surcharge = round_money(cost * surcharge_percent / 100.0, rounding)
    return Quote(cost, surcharge, round_money(cost + surcharge, rounding))
