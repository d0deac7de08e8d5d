# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


class AftersalesStationTechnician(models.Model):
    """A technician of a service station and their training record."""

    _name = "aftersales.station.technician"
    _description = "Service Station Technician"
    _order = "station_id, name"
    _check_company_auto = True

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    station_id = fields.Many2one(
        comodel_name="aftersales.station",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="station_id.company_id", store=True)
    phone = fields.Char()
    email = fields.Char()
    training_ids = fields.One2many(
        comodel_name="aftersales.station.training",
        inverse_name="technician_id",
        string="Trainings",
    )
    certified_until = fields.Date(
        compute="_compute_certified_until",
        store=True,
        help="Latest validity of the trainings the technician passed.",
    )

    @api.depends("training_ids.result", "training_ids.valid_until")
    def _compute_certified_until(self):
        for technician in self:
            passed = technician.training_ids.filtered(
                lambda t: t.result == "passed" and t.valid_until
            )
            technician.certified_until = max(
                passed.mapped("valid_until"), default=False
            )
