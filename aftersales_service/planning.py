"""Spare-parts planning (备品备件月计划, seed 000 §4.2.4; seed 002 example 2).

A monthly plan proposes, for each part consumed in the last months, what to
order so that the month's expected consumption and the safety stock of the
part's A/B/C class are covered by what is on hand and already incoming.

ABC classes come from each part's share of the consumption value: sorted by
value, the parts that make the first ``a_share`` of the cumulated value are
class A, up to ``b_share`` class B, the rest class C. Safety stock is a number
of months of average consumption set per class.
"""

import math
from dataclasses import dataclass

CLASSES = ("A", "B", "C")


def abc_classes(values, a_share=0.8, b_share=0.95):
    """Class of each key of ``values`` (its consumption value).

    A part that crosses a threshold belongs to the class it starts in, so
    the most valuable part is always class A. Parts consumed for nothing
    (no value) are class C.
    """
    if not 0 < a_share <= b_share <= 1:
        raise ValueError("class shares must satisfy 0 < A <= B <= 1")
    if not all(math.isfinite(value) for value in values.values()):
        raise ValueError("consumption values must be finite numbers")
    if any(value < 0 for value in values.values()):
        raise ValueError("a consumption value cannot be negative")
    total = sum(values.values())
    classes = {}
    cumulated = 0.0
    # Ties keep a stable order (by key) so that a proposal is reproducible.
    for key, value in sorted(values.items(), key=lambda item: (-item[1], item[0])):
        if not total or not value:
            classes[key] = "C"
            continue
        share_before = cumulated / total
        cumulated += value
        if share_before < a_share:
            classes[key] = "A"
        elif share_before < b_share:
            classes[key] = "B"
        else:
            classes[key] = "C"
    return classes


@dataclass(frozen=True)
class Proposal:
    average: float  # monthly consumption over the history
    safety: float  # safety stock, in units
    needed: float  # average + safety - on hand - incoming (may be negative)
    quantity: float  # what to order: needed rounded up, never negative
    explanation: str


def propose(
    monthly_quantities,
    on_hand=0.0,
    incoming=0.0,
    safety_months=0.0,
    rounding=1.0,
    klass="",
):
    """What to plan for a part next month.

    ``monthly_quantities`` holds one figure per month of history (months
    without consumption count as zero: the caller passes them).
    """
    months = len(monthly_quantities)
    if not months:
        raise ValueError("the history needs at least one month")
    figures = [*monthly_quantities, on_hand, incoming, safety_months, rounding]
    if not all(math.isfinite(figure) for figure in figures):
        raise ValueError("quantities, safety months and rounding must be finite")
    if safety_months < 0 or rounding <= 0:
        raise ValueError("safety months cannot be negative, rounding must be > 0")
    average = sum(monthly_quantities) / months
    safety = average * safety_months
    needed = average + safety - on_hand - incoming
    quantity = math.ceil(round(needed / rounding, 6)) * rounding if needed > 0 else 0.0
    label = f"class {klass}, " if klass else ""

    def show(number):
        return f"{round(number, 2):g}"

    explanation = (
        f"{show(average)}/month over {months} months + safety {show(safety)} "
        f"({label}{show(safety_months)} months) - on hand {show(on_hand)} "
        f"- incoming {show(incoming)} = {show(needed)} -> {show(quantity)}"
    )
    return Proposal(average, safety, needed, quantity, explanation)
