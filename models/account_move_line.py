# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError


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
        check_company=True,
    )

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("aftersales_deposit_id") for vals in vals_list):
            self._check_deposit_link("create")
        return super().create(vals_list)

    def write(self, vals):
        if "aftersales_deposit_id" in vals and any(
            line.aftersales_deposit_id.id != (vals["aftersales_deposit_id"] or False)
            for line in self
        ):
            self._check_deposit_link("write")
        return super().write(vals)

    def _check_deposit_link(self, operation):
        # The rights first: a user who may not write learns nothing more.
        self.check_access(operation)
        # A deposit's balance is the sum of its retention lines: they are
        # written by the deposit's own steps (as the superuser, after their
        # checks), never typed into an entry, copied or relinked by hand.
        if not self.env.su:
            raise UserError(
                self.env._(
                    "Journal items of a warranty deposit are recorded by the "
                    "deposit's bills, deductions and releases only."
                )
            )
