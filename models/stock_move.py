# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from markupsafe import Markup

from odoo import fields, models


class StockMove(models.Model):
    _inherit = "stock.move"

    return_line_id = fields.Many2one(
        comodel_name="aftersales.return.batch.line",
        string="Defective Return Line",
        index="btree_not_null",
        readonly=True,
        copy=False,
        check_company=True,
    )

    aftersales_plan_line_id = fields.Many2one(
        comodel_name="aftersales.parts.plan.line",
        string="Spare-Parts Plan Line",
        index="btree_not_null",
        readonly=True,
        copy=False,
        check_company=True,
    )

    def _action_done(self, cancel_backorder=False):
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        moves._issue_warranty_vouchers()
        moves.aftersales_plan_line_id.plan_id.sudo()._check_received()
        return moves

    def _prepare_procurement_values(self):
        # A resupply chain (stock -> transit -> stock) keeps the plan line.
        values = super()._prepare_procurement_values()
        if self.aftersales_plan_line_id:
            values["aftersales_plan_line_id"] = self.aftersales_plan_line_id.id
        return values

    def _issue_warranty_vouchers(self):
        """Give the customer a voucher for each tracked unit delivered."""
        deliveries = self.filtered(
            lambda m: m.state == "done"
            and m.location_dest_id.usage == "customer"
            and m.location_id.usage != "customer"
            and m.product_id.tracking != "none"
            and m.company_id.aftersales_auto_voucher
        )
        if not deliveries:
            return self.env["aftersales.warranty.voucher"]
        # Delivering is a stock user's job; the voucher is issued on their
        # behalf whether or not they work in after-sales.
        # The delivery's chatter records the issue; per-voucher creation
        # messages and followers would cost more than the delivery itself.
        Voucher = (
            self.env["aftersales.warranty.voucher"]
            .sudo()
            .with_context(tracking_disable=True)
        )
        vouchers, skipped = Voucher._issue_for_move_lines(deliveries.move_line_ids)
        for picking, picking_vouchers in vouchers.grouped("picking_id").items():
            if picking:
                picking.message_post(
                    body=self.env._(
                        "%(count)s warranty voucher(s) issued.",
                        count=len(picking_vouchers),
                    )
                )
        for picking, lines in skipped.grouped("picking_id").items():
            if picking:
                picking.message_post(
                    body=Markup("%s<br/>%s")
                    % (
                        self.env._(
                            "No voucher issued for these serials, which already "
                            "have a live voucher:"
                        ),
                        ", ".join(lines.lot_id.mapped("name")),
                    )
                )
        return vouchers
