# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..aftersales_service import warranty


class AftersalesWarrantyVoucherCoverage(models.Model):
    """Coverage of one part on an issued voucher, with its own end date."""

    _name = "aftersales.warranty.voucher.coverage"
    _description = "Warranty Voucher Coverage Line"
    _order = "voucher_id, id"
    _check_company_auto = True

    voucher_id = fields.Many2one(
        comodel_name="aftersales.warranty.voucher",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="voucher_id.company_id", store=True)
    part_id = fields.Many2one(
        comodel_name="aftersales.warranty.part",
        required=True,
        ondelete="restrict",
        check_company=True,
    )
    provider_id = fields.Many2one(
        comodel_name="res.partner",
        string="Provider",
        required=True,
        check_company=True,
    )
    months = fields.Integer(
        string="Period (months)",
        help="0 uses the voucher's period.",
    )
    date_end = fields.Date(
        string="End Date",
        compute="_compute_date_end",
        store=True,
    )

    _sql_constraints = [
        ("months_positive", "CHECK(months >= 0)", "A period cannot be negative."),
    ]

    # ------------------------------------------------------------------
    # CRUD: the coverage is what the customer was promised, frozen once the
    # voucher is issued.
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.voucher_id._check_children_editable("coverage")
        return lines

    def write(self, vals):
        # Whoever may not write at all hears that first.
        self.check_access("write")
        if "voucher_id" in vals and any(
            line.voucher_id.id != vals["voucher_id"] for line in self
        ):
            raise UserError(
                self.env._("A coverage line cannot move to another voucher.")
            )
        self.voucher_id._check_children_editable("coverage")
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_if_editable(self):
        self.voucher_id._check_children_editable("coverage")

    @api.depends("months", "voucher_id.date_start", "voucher_id.date_end")
    def _compute_date_end(self):
        for line in self:
            voucher = line.voucher_id
            if line.months and voucher.date_start:
                line.date_end = warranty.voucher_end(voucher.date_start, line.months)
            else:
                line.date_end = voucher.date_end
