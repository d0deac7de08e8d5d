# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_project_warranty_months = fields.Integer(
        related="company_id.aftersales_project_warranty_months",
        readonly=False,
    )
    aftersales_project_plan_months = fields.Integer(
        related="company_id.aftersales_project_plan_months",
        readonly=False,
    )
    aftersales_project_contact_days = fields.Integer(
        related="company_id.aftersales_project_contact_days",
        readonly=False,
    )
