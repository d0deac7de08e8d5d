# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    """Settings of the engineering projects' after-sales service (seed 003)."""

    _inherit = "res.company"

    aftersales_project_warranty_months = fields.Integer(
        string="Project Warranty (months)",
        default=12,
        help="Free after-sales service of an engineering project, counted from "
        "its formal handover (seed 003: one year).",
    )
    aftersales_project_plan_months = fields.Integer(
        string="Cost Plan Due (months)",
        default=1,
        help="The after-sales cost plan of a project is due this many months "
        "after its provisional handover (seed 003: one month).",
    )
    aftersales_project_contact_days = fields.Integer(
        string="Owner Contact Period (days)",
        default=14,
        help="While a project's warranty runs, its owner is called this many "
        "days after the last contact (seed 003: every two weeks).",
    )

    @api.constrains(
        "aftersales_project_warranty_months",
        "aftersales_project_plan_months",
        "aftersales_project_contact_days",
    )
    def _check_aftersales_project_settings(self):
        for company in self:
            if (
                not 0 < company.aftersales_project_warranty_months <= 1200
                or not 0 < company.aftersales_project_plan_months <= 120
                or not 0 < company.aftersales_project_contact_days <= 366
            ):
                raise ValidationError(
                    self.env._(
                        "The project warranty (1-1200 months), the cost plan "
                        "delay (1-120 months) and the owner contact period "
                        "(1-366 days) must be positive."
                    )
                )
