# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models

from .project_project import COST_TYPES


class AccountAnalyticLine(models.Model):
    """After-sales costs of an engineering project, on its analytic account."""

    _inherit = "account.analytic.line"

    aftersales_cost_type = fields.Selection(
        selection=COST_TYPES,
        string="After-Sales Cost Type",
        index="btree_not_null",
    )
    aftersales_claim_id = fields.Many2one(
        comodel_name="aftersales.claim",
        string="Warranty Claim",
        index="btree_not_null",
        ondelete="restrict",
    )
    aftersales_ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Service Request",
        index="btree_not_null",
        ondelete="restrict",
    )
