# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class AftersalesStationTechnician(models.Model):
    _inherit = "aftersales.station.technician"

    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Contact",
        check_company=True,
        help="The technician's contact: their confirmed appointments are "
        "calendar events they attend, and their other events of the calendar "
        "(leave, training) make them busy.",
    )
