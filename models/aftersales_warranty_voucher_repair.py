# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class AftersalesWarrantyVoucherRepair(models.Model):
    """One line of the voucher's repair record (维修记录).

    Failed repairs of the same part count towards an exchange.
    """

    _name = "aftersales.warranty.voucher.repair"
    _inherit = ["aftersales.line.mixin"]
    _document_field = "voucher_id"
    _nonnegative_fields = frozenset({"mileage"})
    _description = "Warranty Voucher Repair Record"
    _order = "date desc, id desc"
    _check_company_auto = True

    voucher_id = fields.Many2one(
        comodel_name="aftersales.warranty.voucher",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="voucher_id.company_id", store=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    part_id = fields.Many2one(
        comodel_name="aftersales.warranty.part",
        ondelete="restrict",
        check_company=True,
    )
    fault = fields.Char(required=True, help="Fault phenomenon as reported.")
    work = fields.Text(string="Work Done")
    result = fields.Selection(
        selection=[("fixed", "Fixed"), ("failed", "Failed")],
        required=True,
        default="fixed",
    )
    repaired_by_id = fields.Many2one(
        comodel_name="res.partner",
        string="Repaired By",
        check_company=True,
        help="Service station or technician who did the work.",
    )
    mileage = fields.Float(string="Mileage (km)", digits=(16, 0))

    _sql_constraints = [
        ("mileage_positive", "CHECK(mileage >= 0)", "Mileage cannot be negative."),
    ]

    # ------------------------------------------------------------------
    # CRUD: the record is kept while the voucher is live, then frozen.
    # ------------------------------------------------------------------

    def _check_editable(self):
        self.voucher_id._check_children_editable("repairs")
