# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


class PurchaseOrderLine(models.Model):
    _inherit = "purchase.order.line"

    aftersales_plan_line_id = fields.Many2one(
        comodel_name="aftersales.parts.plan.line",
        string="Spare-Parts Plan Line",
        index="btree_not_null",
        readonly=True,
        copy=False,
    )

    @api.model
    def _prepare_purchase_order_line_from_procurement(
        self,
        product_id,
        product_qty,
        product_uom,
        location_dest_id,
        name,
        origin,
        company_id,
        values,
        po,
    ):
        res = super()._prepare_purchase_order_line_from_procurement(
            product_id,
            product_qty,
            product_uom,
            location_dest_id,
            name,
            origin,
            company_id,
            values,
            po,
        )
        res["aftersales_plan_line_id"] = values.get("aftersales_plan_line_id")
        return res

    def _find_candidate(
        self,
        product_id,
        product_qty,
        product_uom,
        location_id,
        name,
        origin,
        company_id,
        values,
    ):
        # One RFQ line per plan line, so that each line's progress is its own.
        plan_line = values.get("aftersales_plan_line_id") or False
        lines = self.filtered(lambda line: line.aftersales_plan_line_id.id == plan_line)
        return super(PurchaseOrderLine, lines)._find_candidate(
            product_id,
            product_qty,
            product_uom,
            location_id,
            name,
            origin,
            company_id,
            values,
        )

    def _prepare_stock_move_vals(
        self, picking, price_unit, product_uom_qty, product_uom
    ):
        vals = super()._prepare_stock_move_vals(
            picking, price_unit, product_uom_qty, product_uom
        )
        if self.aftersales_plan_line_id:
            vals["aftersales_plan_line_id"] = self.aftersales_plan_line_id.id
        return vals
