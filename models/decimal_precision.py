# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from contextlib import contextmanager

from odoo import models

# The cursor's cache holds the digits while a batch is written.
FIXED = "aftersales_fixed_precisions"


@contextmanager
def fixed_precisions(env):
    """Look each decimal precision up once while a batch is created.

    Float fields ask ``precision_get`` for every value they round: 20,000
    plan lines of six quantities call it over 200,000 times, and even
    ormcached each call costs more than the rounding. Nothing inside the
    block changes a precision.
    """
    cache = env.cr.cache
    if FIXED in cache:
        yield
        return
    cache[FIXED] = {}
    try:
        yield
    finally:
        cache.pop(FIXED, None)


class DecimalPrecision(models.Model):
    _inherit = "decimal.precision"

    def precision_get(self, application):
        fixed = self.env.cr.cache.get(FIXED)
        if fixed is None:
            return super().precision_get(application)
        if application not in fixed:
            fixed[application] = super().precision_get(application)
        return fixed[application]
