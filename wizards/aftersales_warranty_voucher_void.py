# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


class AftersalesWarrantyVoucherVoid(models.TransientModel):
    _name = "aftersales.warranty.voucher.void"
    _description = "Void Warranty Vouchers"

    voucher_ids = fields.Many2many(
        comodel_name="aftersales.warranty.voucher",
        relation="aftersales_warranty_voucher_void_rel",
        column1="wizard_id",
        column2="voucher_id",
        string="Vouchers",
        required=True,
    )
    reason = fields.Text(required=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "aftersales.warranty.voucher":
            values["voucher_ids"] = [
                fields.Command.set(self.env.context.get("active_ids", []))
            ]
        return values

    def action_confirm(self):
        """Void the vouchers: after-sales managers only (checked again by the
        vouchers themselves), with a reason."""
        self.ensure_one()
        self.voucher_ids._check_void_rights()
        self.voucher_ids._action_void(self.reason)
        return {"type": "ir.actions.act_window_close"}
