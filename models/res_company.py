# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    aftersales_auto_voucher = fields.Boolean(
        string="Issue Vouchers on Delivery",
        default=True,
        help="Issue a warranty voucher for every tracked product delivered "
        "to a customer when a policy applies to it.",
    )
