# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class AftersalesWarrantyCheck(models.TransientModel):
    """Answer a customer on the phone: is this serial still under warranty?"""

    _name = "aftersales.warranty.check"
    _description = "Warranty Check"
    _inherit = ["aftersales.input.mixin"]

    serial = fields.Char(string="Serial/Lot Number")
    check_date = fields.Date(string="Fault Date", default=fields.Date.context_today)
    mileage = fields.Float(string="Mileage (km)", digits=(16, 0))
    part_id = fields.Many2one(comodel_name="aftersales.warranty.part", string="Part")
    eligible = fields.Boolean(compute="_compute_answer")
    answered = fields.Boolean(compute="_compute_answer")
    reason = fields.Char(compute="_compute_answer")
    remedy = fields.Char(compute="_compute_answer")
    voucher_id = fields.Many2one(
        comodel_name="aftersales.warranty.voucher",
        compute="_compute_answer",
    )
    provider_id = fields.Many2one(
        comodel_name="res.partner",
        string="Provider",
        compute="_compute_answer",
    )
    date_end = fields.Date(string="Covered Until", compute="_compute_answer")

    @api.depends("serial", "check_date", "mileage", "part_id")
    def _compute_answer(self):
        Voucher = self.env["aftersales.warranty.voucher"]
        for check in self:
            answer = {}
            if check.serial:
                try:
                    answer = Voucher.check_warranty(
                        check.serial,
                        date=check.check_date,
                        mileage=check.mileage or None,
                        part=check.part_id.id or None,
                    )
                except ValidationError as error:
                    answer = {"reason_label": error.args[0]}
            check.answered = bool(answer)
            check.eligible = answer.get("eligible", False)
            check.reason = answer.get("reason_label", False)
            check.remedy = answer.get("remedy_label", False)
            check.voucher_id = answer.get("voucher_id", False)
            check.provider_id = answer.get("provider_id", False)
            check.date_end = answer.get("date_end", False)

    def action_open_voucher(self):
        self.ensure_one()
        return self.voucher_id.get_formview_action()
