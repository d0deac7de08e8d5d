# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# Question types whose answer is a score.
SCORE_TYPES = ("scale", "numerical_box")


class SurveyQuestion(models.Model):
    _inherit = "survey.question"

    aftersales_indicator_id = fields.Many2one(
        comodel_name="aftersales.satisfaction.indicator",
        string="Satisfaction Indicator",
        index="btree_not_null",
        ondelete="restrict",
        help="The after-sales indicator this question scores.",
    )
    aftersales_score_kind = fields.Selection(
        selection=[
            ("expected", "Expected (importance)"),
            ("actual", "Actual (how we did)"),
        ],
        string="Score Kind",
        help="Expected: how much the indicator matters to the customer. Actual: "
        "how well the service did on it. Both on the same scale.",
    )

    @api.constrains(
        "aftersales_indicator_id",
        "aftersales_score_kind",
        "question_type",
        "scale_min",
        "scale_max",
        "validation_required",
        "validation_min_float_value",
        "survey_id",
    )
    def _check_aftersales_indicator(self):
        for question in self.filtered(
            lambda q: q.aftersales_indicator_id or q.aftersales_score_kind
        ):
            question._check_aftersales_score_question()
        self.filtered("aftersales_indicator_id")._check_aftersales_pairs()

    def _check_aftersales_score_question(self):
        self.ensure_one()
        if not (self.aftersales_indicator_id and self.aftersales_score_kind):
            raise ValidationError(
                self.env._(
                    "Question “%(question)s”: give both its satisfaction indicator "
                    "and whether it asks for the expected or the actual score.",
                    question=self.title,
                )
            )
        if self.question_type not in SCORE_TYPES:
            raise ValidationError(
                self.env._(
                    "Question “%(question)s” scores the indicator %(indicator)s: "
                    "make it a Scale or a Numerical Value question.",
                    question=self.title,
                    indicator=self.aftersales_indicator_id.name,
                )
            )
        if self.question_type == "numerical_box" and not (
            self.validation_required and self.validation_min_float_value >= 0
        ):
            raise ValidationError(
                self.env._(
                    "Question “%(question)s” scores an indicator with a number: "
                    "validate its answer with a minimum of 0 or more (a score "
                    "cannot be negative).",
                    question=self.title,
                )
            )

    def _check_aftersales_pairs(self):
        """Per survey and indicator, one expected and one actual question, on
        the same scale: Ci divides one by the other."""
        groups = (
            self.env["survey.question"]
            .sudo()
            ._read_group(
                [
                    ("survey_id", "in", self.survey_id.ids),
                    ("aftersales_indicator_id", "in", self.aftersales_indicator_id.ids),
                ],
                ["survey_id", "aftersales_indicator_id"],
                ["id:recordset"],
            )
        )
        for survey, indicator, questions in groups:
            kinds = questions.mapped("aftersales_score_kind")
            if len(kinds) != len(set(kinds)):
                raise ValidationError(
                    self.env._(
                        "Survey “%(survey)s” asks twice for the same score of "
                        "%(indicator)s: one question for the expected score and "
                        "one for the actual score.",
                        survey=survey.title,
                        indicator=indicator.name,
                    )
                )
            scales = {
                (q.question_type, q.scale_min, q.scale_max)
                if q.question_type == "scale"
                else (q.question_type,)
                for q in questions
            }
            if len(scales) > 1:
                raise ValidationError(
                    self.env._(
                        "Survey “%(survey)s”: the expected and actual questions of "
                        "%(indicator)s must use the same type and scale.",
                        survey=survey.title,
                        indicator=indicator.name,
                    )
                )
