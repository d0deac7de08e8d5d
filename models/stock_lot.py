# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL


class StockLot(models.Model):
    _inherit = "stock.lot"

    manufacture_date = fields.Date(
        string="Manufacturing Date",
        help="Start of the dealers' warranty period.",
    )
    warranty_voucher_ids = fields.One2many(
        comodel_name="aftersales.warranty.voucher",
        inverse_name="lot_id",
        string="Warranty Vouchers",
    )
    warranty_voucher_count = fields.Integer(
        compute="_compute_warranty_voucher_count",
        groups="aftersales_service.group_aftersales_user",
    )

    def _compute_warranty_voucher_count(self):
        counts = dict(
            self.env["aftersales.warranty.voucher"]._read_group(
                [("lot_id", "in", self.ids)], ["lot_id"], ["__count"]
            )
        )
        for lot in self:
            lot.warranty_voucher_count = counts.get(lot, 0)

    def _lock_for_vouchers(self):
        """Lock the serials' rows while their vouchers are issued.

        ``FOR NO KEY UPDATE``: two transactions issuing a voucher for the same
        serial queue here (stock operations referencing the lot do not wait).
        Not logged when it fails: a serialization failure is retried by the
        server.
        """
        if self.ids:
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM stock_lot WHERE id IN %s ORDER BY id "
                    "FOR NO KEY UPDATE",
                    tuple(self.ids),
                ),
                log_exceptions=False,
            )
        return self

    def action_view_warranty_vouchers(self):
        self.ensure_one()
        if not (
            self.env.su
            or self.env.user.has_group("aftersales_service.group_aftersales_user")
        ):
            raise AccessError(
                self.env._("Only after-sales users see the warranty vouchers.")
            )
        return self.env["aftersales.warranty.voucher"]._action_for_domain(
            [("lot_id", "=", self.id)],
            {"default_lot_id": self.id, "default_product_id": self.product_id.id},
        )
