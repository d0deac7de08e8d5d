# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models

from ..aftersales_service import warranty
from .aftersales_warranty_voucher import check_company_by_company


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

    def _check_company(self, fnames=None):
        return check_company_by_company(
            self,
            fnames,
            lambda records, names: super(
                AftersalesWarrantyVoucherCoverage, records
            )._check_company(names),
        )

    def _check_editable(self):
        self.voucher_id._check_children_editable("coverage")

    @api.depends("months", "voucher_id.date_start", "voucher_id.date_end")
    def _compute_date_end(self):
        for line in self:
            voucher = line.voucher_id
            line.date_end = self._end_for(
                line.months, voucher.date_start, voucher.date_end
            )

    @api.model
    def _end_for(self, months, voucher_start, voucher_end):
        """A part with its own period ends that long after the voucher starts."""
        if months and voucher_start:
            return warranty.voucher_end(voucher_start, months)
        return voucher_end
