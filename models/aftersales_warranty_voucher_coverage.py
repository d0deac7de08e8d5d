# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models

from ..aftersales_service import warranty


class AftersalesWarrantyVoucherCoverage(models.Model):
    """Coverage of one part on an issued voucher, with its own end date."""

    _name = "aftersales.warranty.voucher.coverage"
    _inherit = ["aftersales.line.mixin"]
    _document_field = "voucher_id"
    _nonnegative_fields = frozenset({"months"})
    _maximum_fields = {"months": 1200}
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

    def _check_editable(self):
        self.voucher_id._check_children_editable("coverage")

    @api.depends("months", "voucher_id.date_start", "voucher_id.date_end")
    def _compute_date_end(self):
        for line in self:
            voucher = line.voucher_id
            if line.months and voucher.date_start:
                line.date_end = warranty.voucher_end(voucher.date_start, line.months)
            else:
                line.date_end = voucher.date_end
