# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import math

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..models.project_project import COST_TYPES, USER_GROUP


class AftersalesProjectCost(models.TransientModel):
    """Post an after-sales cost of a project (travel, parts used on a
    service request, other) to its analytic account, within its budget."""

    _name = "aftersales.project.cost"
    _description = "Record a Project After-Sales Cost"
    _inherit = ["aftersales.input.mixin"]

    project_id = fields.Many2one(
        comodel_name="project.project",
        required=True,
        domain="[('is_aftersales_project', '=', True)]",
    )
    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Service Request",
        domain="[('project_id', '=', project_id)]",
    )
    cost_type = fields.Selection(selection=COST_TYPES, required=True, default="travel")
    name = fields.Char(string="Description", required=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    currency_id = fields.Many2one(related="project_id.company_id.currency_id")
    amount = fields.Monetary(required=True)

    @api.onchange("ticket_id")
    def _onchange_ticket_id(self):
        if self.ticket_id.project_id:
            self.project_id = self.ticket_id.project_id

    def action_confirm(self):
        """Post the cost (after-sales users), refused beyond the budget."""
        self.ensure_one()
        if not (self.env.su or self.env.user.has_group(USER_GROUP)):
            self.project_id._raise_access(
                self.env._("Only after-sales users record a project's costs.")
            )
        project = self.project_id
        project.check_access("read")
        if not project.is_aftersales_project:
            raise ValidationError(
                self.env._(
                    "Project %(project)s is not an after-sales project.",
                    project=project.display_name,
                )
            )
        if not math.isfinite(self.amount) or self.amount <= 0:
            raise ValidationError(self.env._("A cost is a positive amount."))
        if self.ticket_id and self.ticket_id.project_id != project:
            raise ValidationError(
                self.env._(
                    "Service request %(ticket)s is not one of project " "%(project)s.",
                    ticket=self.ticket_id.display_name,
                    project=project.display_name,
                )
            )
        project._check_aftersales_budget(self.amount, self.name)
        project._post_aftersales_costs(
            [
                {
                    "cost_type": self.cost_type,
                    "amount": self.amount,
                    "name": self.name,
                    "date": self.date,
                    "ticket_id": self.ticket_id.id,
                }
            ]
        )
        project.sudo().message_post(
            body=self.env._(
                "Cost recorded: %(name)s, %(amount)s %(currency)s.",
                name=self.name,
                amount=self.amount,
                currency=self.currency_id.name,
            )
        )
        return {"type": "ir.actions.act_window_close"}
