"""Supplier warranty deposits (质保金, seed 003 第四章 第二条 6-7).

A share of each supplier bill is withheld and held for the warranty period;
after-sales costs the supplier caused are deducted from it, and what is left
is released when the period ends. Amounts are in the deposit's currency and
rounded half-up to its ``rounding`` (``res.currency.rounding``), as Odoo's
``res.currency.round`` does (:func:`aftersales_service.money.round_money`).
"""

from .money import CENT, round_money

PERCENT = "percent"
FIXED = "fixed"

#: Why a release needs the after-sales manager's approval.
EARLY = "early"
PARTIAL = "partial"


def withholding(method, base, rate=0.0, target=0.0, withheld=0.0, rounding=CENT):
    """What to withhold from a bill whose withholding base is ``base``.

    ``percent``: ``rate`` % of the base. ``fixed``: the deposit holds
    ``target`` in all; each bill gives what is still missing (``target`` less
    what was ``withheld`` already), never more than the bill itself.
    A credit note (negative base) gives back its percentage; a fixed deposit
    keeps its amount whatever the credit notes.
    """
    if rate < 0 or target < 0:
        raise ValueError("a withholding rate or amount cannot be negative")
    if method == PERCENT:
        return round_money(base * rate / 100.0, rounding)
    if method == FIXED:
        if base <= 0:
            return 0.0
        return round_money(min(base, max(target - withheld, 0.0)), rounding)
    raise ValueError(f"unknown withholding method {method!r}")


def available(balance, reserved=0.0):
    """What may still be taken: the balance less what approved debits hold."""
    return balance - reserved


def exceeds(amount, balance, reserved=0.0, rounding=CENT):
    """Whether debiting ``amount`` would take the deposit below zero."""
    return round_money(amount - available(balance, reserved), rounding) > 0


def is_due(date_end, today):
    """A deposit is due for release once its warranty period is over."""
    return bool(date_end) and today > date_end


def release_approvals(amount, balance, on_date, date_end, rounding=CENT):
    """Why a release needs the manager: before the period ends, or not all of it."""
    reasons = []
    if not is_due(date_end, on_date):
        reasons.append(EARLY)
    if round_money(balance - amount, rounding) > 0:
        reasons.append(PARTIAL)
    return reasons


def running_balances(amounts, opening=0.0, rounding=CENT):
    """The balance after each signed movement, in order."""
    balances = []
    balance = opening
    for amount in amounts:
        balance = round_money(balance + amount, rounding)
        balances.append(balance)
    return balances
