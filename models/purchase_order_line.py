# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError


class PurchaseOrderLine(models.Model):
    _inherit = "purchase.order.line"

    aftersales_plan_line_id = fields.Many2one(
        comodel_name="aftersales.parts.plan.line",
        string="Spare-Parts Plan Line",
        index="btree_not_null",
        readonly=True,
        copy=False,
    )

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("aftersales_plan_line_id") for vals in vals_list):
            self._check_plan_link("create")
        return super().create(vals_list)

    def write(self, vals):
        if "aftersales_plan_line_id" in vals and any(
            line.aftersales_plan_line_id.id
            != (vals["aftersales_plan_line_id"] or False)
            for line in self
        ):
            self._check_plan_link("write")
        return super().write(vals)

    def _check_plan_link(self, operation):
        # The rights first: a user who may not write learns nothing more.
        self.check_access(operation)
        # The link is made by the procurement of an approved plan (run as the
        # superuser): a purchase line typed by hand never counts for a plan.
        if not self.env.su:
            raise UserError(
                self.env._(
                    "Purchase lines are linked to spare-parts plans by the "
                    "plan's procurement only."
                )
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
