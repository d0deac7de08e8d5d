# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_auto_voucher = fields.Boolean(
        related="company_id.aftersales_auto_voucher",
        readonly=False,
    )
