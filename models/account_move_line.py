# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    # Kept on reversals (copied), so that the deposit's balance is the sum of
    # its posted retention lines, whatever entry they belong to.
    aftersales_deposit_id = fields.Many2one(
        comodel_name="aftersales.supplier.deposit",
        string="Warranty Deposit",
        index="btree_not_null",
        readonly=True,
        ondelete="restrict",
    )
