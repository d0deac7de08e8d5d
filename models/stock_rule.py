# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models


class StockRule(models.Model):
    _inherit = "stock.rule"

    def _get_custom_move_fields(self):
        # The moves a spare-parts plan's procurement creates point to its line.
        return super()._get_custom_move_fields() + ["aftersales_plan_line_id"]
