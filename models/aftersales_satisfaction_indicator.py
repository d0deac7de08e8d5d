# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError


class AftersalesSatisfactionIndicator(models.Model):
    """What customers rate (service attitude, response speed…): each survey
    question mapped to it gives an expected or an actual score (seed 002
    example 6)."""

    _name = "aftersales.satisfaction.indicator"
    _description = "Satisfaction Indicator"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    description = fields.Text(
        translate=True, help="What the customer is asked to rate under this name."
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        index=True,
        help="Leave empty to share the indicator between companies.",
    )
    question_ids = fields.One2many(
        comodel_name="survey.question",
        inverse_name="aftersales_indicator_id",
        string="Survey Questions",
    )
    question_count = fields.Integer(compute="_compute_question_count")

    @api.depends("question_ids")
    def _compute_question_count(self):
        # Questions are read by survey users only: count them for everyone.
        counts = dict(
            self.env["survey.question"]
            .sudo()
            ._read_group(
                [("aftersales_indicator_id", "in", self.ids)],
                ["aftersales_indicator_id"],
                ["__count"],
            )
        )
        for indicator in self:
            indicator.question_count = counts.get(indicator, 0)

    @api.ondelete(at_uninstall=False)
    def _unlink_unless_asked(self):
        if self.sudo().question_ids:
            raise UserError(
                self.env._(
                    "Survey questions score these indicators: archive them instead "
                    "(their figures stay in the satisfaction index)."
                )
            )
