# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError

from .project_project import COST_TYPES


class AftersalesProjectCostPlanLine(models.Model):
    """A budget line of a cost plan, by cost type."""

    _name = "aftersales.project.cost.plan.line"
    _description = "After-Sales Cost Plan Line"
    _inherit = ["aftersales.input.mixin"]
    _order = "plan_id, sequence, id"
    _check_company_auto = True
    _nonnegative_fields = frozenset({"amount"})

    sequence = fields.Integer(default=10)
    plan_id = fields.Many2one(
        comodel_name="aftersales.project.cost.plan",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        related="plan_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(related="plan_id.currency_id")
    cost_type = fields.Selection(selection=COST_TYPES, required=True, default="parts")
    name = fields.Char(string="Description")
    amount = fields.Monetary(required=True)

    @api.constrains("amount")
    def _check_amount(self):
        for line in self:
            if line.amount < 0:
                raise UserError(self.env._("A budget line cannot be negative."))

    @api.model_create_multi
    def create(self, vals_list):
        self.browse().check_access("create")
        plans = self.env["aftersales.project.cost.plan"].browse(
            {vals.get("plan_id") for vals in vals_list if vals.get("plan_id")}
        )
        plans._check_lines_editable()
        return super().create(vals_list)

    def write(self, vals):
        # Whoever may not write at all hears that first.
        self.check_access("write")
        self.plan_id._check_lines_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        self.plan_id._check_lines_editable()
