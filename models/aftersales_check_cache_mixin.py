# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models


class AftersalesCheckCacheMixin(models.AbstractModel):
    """Data the warranty check reads from its cache, not per call.

    check_warranty keeps the parts catalogue and the exchange criteria in
    its cached lookups (``aftersales.warranty.voucher._lookups``): any change
    to them clears the cache.
    """

    _name = "aftersales.check.cache.mixin"
    _description = "Data Cached by the Warranty Check"

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()
