# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class AftersalesStationTraining(models.Model):
    """A training a station technician attended (seed 000 §4.2.2)."""

    _name = "aftersales.station.training"
    _description = "Service Station Technician Training"
    _order = "date desc, id desc"
    _check_company_auto = True

    technician_id = fields.Many2one(
        comodel_name="aftersales.station.technician",
        required=True,
        index=True,
        ondelete="cascade",
    )
    station_id = fields.Many2one(related="technician_id.station_id", store=True)
    company_id = fields.Many2one(related="technician_id.company_id", store=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    course = fields.Char(required=True)
    trainer_id = fields.Many2one(
        comodel_name="res.users",
        string="Trainer",
        domain="[('share', '=', False)]",
    )
    hours = fields.Float()
    result = fields.Selection(
        selection=[("passed", "Passed"), ("failed", "Failed")],
        required=True,
        default="passed",
    )
    valid_until = fields.Date(help="End of the certification the training gives.")
    note = fields.Text()

    @api.constrains("date", "valid_until", "hours")
    def _check_values(self):
        for training in self:
            if training.valid_until and training.valid_until < training.date:
                raise ValidationError(
                    self.env._(
                        "Training %(course)s cannot be valid until before it "
                        "took place.",
                        course=training.course,
                    )
                )
            if training.hours < 0:
                raise ValidationError(self.env._("Training hours cannot be negative."))
