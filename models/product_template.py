# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    aftersales_spare_part = fields.Boolean(
        string="After-Sales Spare Part",
        help="Its consumption out of the warehouses feeds the monthly "
        "spare-parts plans' proposals (parts used in claims always do).",
    )
    warranty_voucher_count = fields.Integer(
        compute="_compute_warranty_voucher_count",
        groups="aftersales_service.group_aftersales_user",
    )

    def _compute_warranty_voucher_count(self):
        counts = dict(
            self.env["aftersales.warranty.voucher"]._read_group(
                [("product_id.product_tmpl_id", "in", self.ids)],
                ["product_id"],
                ["__count"],
            )
        )
        for template in self:
            template.warranty_voucher_count = sum(
                counts.get(variant, 0) for variant in template.product_variant_ids
            )

    def action_view_warranty_vouchers(self):
        self.ensure_one()
        return self.env["aftersales.warranty.voucher"]._action_for_domain(
            [("product_id.product_tmpl_id", "=", self.id)],
            {"default_product_id": self.product_variant_id.id},
        )
