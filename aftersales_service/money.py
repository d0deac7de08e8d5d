"""Money rounding as Odoo's currencies do it.

``res.currency.round`` rounds half-up (away from zero) to the currency's
``rounding``; Python's ``round()`` rounds half to even (``round(0.125, 2)`` is
0.12 where Odoo books 0.13). The pure rules round with :func:`round_money`.
"""

import math
from decimal import ROUND_HALF_UP, Decimal, localcontext

#: The rounding of most currencies (CNY, EUR, USD).
CENT = 0.01


def round_money(amount, rounding=CENT):
    """``amount`` rounded half-up to a multiple of ``rounding`` (> 0).

    The float's shortest decimal form is what is rounded (``1.005`` is
    1.01, as Odoo's ``float_round`` gives), so binary noise never decides.
    """
    if not rounding or rounding <= 0:
        raise ValueError("rounding must be positive")
    step = Decimal(repr(float(rounding)))
    # Enough digits for any finite float divided by any rounding.
    with localcontext(prec=700):
        units = (Decimal(repr(float(amount))) / step).quantize(
            Decimal(1), rounding=ROUND_HALF_UP
        )
        return float(units * step)


def as_number(value):
    """``value`` as a float when it is a finite int or float (not a bool),
    else None: what RPC clients send is checked with it."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:  # an int too large for a float
        return None
    return number if math.isfinite(number) else None


def is_zero(amount, rounding=CENT):
    """Whether ``amount`` rounds to nothing in the currency."""
    return round_money(amount, rounding) == 0
