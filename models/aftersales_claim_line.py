# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import math

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class AftersalesClaimLine(models.Model):
    """A part replaced or the labour spent on a claim, at cost."""

    _name = "aftersales.claim.line"
    _inherit = ["aftersales.line.mixin"]
    _document_field = "claim_id"
    _description = "Warranty Claim Line"
    _order = "claim_id, sequence, id"
    _check_company_auto = True
    _positive_fields = frozenset({"quantity"})
    _nonnegative_fields = frozenset({"unit_cost"})

    claim_id = fields.Many2one(
        comodel_name="aftersales.claim",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="claim_id.company_id", store=True)
    currency_id = fields.Many2one(related="claim_id.currency_id")
    sequence = fields.Integer(default=10)
    line_type = fields.Selection(
        selection=[("part", "Part"), ("labour", "Labour")],
        string="Type",
        required=True,
        default="part",
    )
    product_id = fields.Many2one(
        comodel_name="product.product", string="Part", check_company=True
    )
    name = fields.Char(string="Description")
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure")
    unit_cost = fields.Monetary(
        compute="_compute_unit_cost",
        store=True,
        readonly=False,
        precompute=True,
        currency_field="currency_id",
    )
    subtotal = fields.Monetary(
        compute="_compute_subtotal", store=True, currency_field="currency_id"
    )
    return_required = fields.Boolean(
        string="Return to Factory",
        compute="_compute_return_required",
        store=True,
        readonly=False,
        precompute=True,
        help="The defective part goes back to the factory in the region's "
        "monthly return batch.",
    )
    lot_id = fields.Many2one(
        comodel_name="stock.lot",
        string="Defective Serial/Lot",
        domain="[('product_id', '=', product_id)]",
        check_company=True,
    )

    @api.depends("product_id")
    def _compute_unit_cost(self):
        for line in self:
            if line.product_id:
                line.unit_cost = line.product_id.standard_price

    @api.depends("quantity", "unit_cost")
    def _compute_subtotal(self):
        for line in self:
            line.subtotal = line.quantity * line.unit_cost

    @api.depends("line_type")
    def _compute_return_required(self):
        for line in self:
            line.return_required = line.line_type == "part"

    @api.constrains("quantity", "unit_cost", "line_type", "product_id")
    def _check_values(self):
        for line in self:
            if not (math.isfinite(line.quantity) and math.isfinite(line.unit_cost)) or (
                line.quantity <= 0 or line.unit_cost < 0
            ):
                raise ValidationError(
                    self.env._(
                        "Claim %(claim)s: quantities must be positive and costs "
                        "cannot be negative.",
                        claim=line.claim_id.name,
                    )
                )
            if line.line_type == "part" and not line.product_id:
                raise ValidationError(
                    self.env._(
                        "Claim %(claim)s: a part line needs the part.",
                        claim=line.claim_id.name,
                    )
                )

    def _check_editable(self):
        self.claim_id._check_lines_editable()
