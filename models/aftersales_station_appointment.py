# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


class AftersalesStation(models.Model):
    """What a station offers to service appointments: its working hours,
    its bays, the default length of a visit and where its parts are kept."""

    _inherit = "aftersales.station"
    _positive_fields = frozenset(
        {"appointment_duration", "appointment_step", "appointment_horizon"}
    )
    _maximum_fields = {
        "appointment_duration": 24,
        "appointment_step": 240,
        "appointment_horizon": 365,
    }

    resource_calendar_id = fields.Many2one(
        comodel_name="resource.calendar",
        string="Working Hours",
        check_company=True,
        default=lambda self: self.env.company.resource_calendar_id,
        tracking=True,
        help="Appointments are booked inside these hours (their time zone is "
        "the station's), less the calendar's closed days.",
    )
    bay_ids = fields.One2many(
        comodel_name="aftersales.station.bay",
        inverse_name="station_id",
        string="Bays",
    )
    appointment_duration = fields.Float(
        string="Default Visit Duration",
        default=1.0,
        help="Hours an appointment takes when nobody says otherwise (customers "
        "booking in the portal get this).",
    )
    appointment_step = fields.Integer(
        string="Slot Interval (minutes)",
        default=30,
        help="Appointments start on this grid from the opening time.",
    )
    appointment_horizon = fields.Integer(
        string="Booking Horizon (days)",
        default=14,
        help="How far around the wanted time free slots are looked for.",
    )
    parts_location_id = fields.Many2one(
        comodel_name="stock.location",
        string="Parts Location",
        check_company=True,
        domain="[('usage', '=', 'internal')]",
        tracking=True,
        help="Where the station keeps the spare parts it holds. Empty: the "
        "parts of its appointments are reserved in its region's warehouse or "
        "office location.",
    )
    appointment_count = fields.Integer(
        compute="_compute_appointment_count",
        groups="aftersales_service.group_aftersales_user",
    )

    def _compute_appointment_count(self):
        counts = dict(
            self.env["aftersales.appointment"]._read_group(
                [("station_id", "in", self.ids)], ["station_id"], ["__count"]
            )
        )
        for station in self:
            station.appointment_count = counts.get(station, 0)

    def action_view_appointments(self):
        return self._action_related(
            "aftersales_service.aftersales_appointment_action",
            [("station_id", "=", self.id)],
            {"default_station_id": self.id},
        )

    def _appointment_calendar(self):
        self.ensure_one()
        return self.resource_calendar_id or self.company_id.resource_calendar_id

    def _appointment_tz(self):
        """The station's time zone: appointments are told in its local time."""
        self.ensure_one()
        return self._appointment_calendar().tz or "UTC"

    @api.model
    def _bookable_domain(self):
        """Stations a customer can book: active, with technicians and bays."""
        return [
            ("state", "=", "active"),
            ("technician_ids", "!=", False),
            ("bay_ids", "!=", False),
        ]

    def _parts_location(self):
        """Where the parts of the station's appointments are reserved: its
        own parts location, else its region's warehouse stock or office
        location, else the company's first warehouse."""
        self.ensure_one()
        region = self.region_id
        location = (
            self.parts_location_id
            or region.warehouse_id.lot_stock_id
            or region.office_location_id
        )
        if not location:
            location = (
                self.env["stock.warehouse"]
                .search([("company_id", "=", self.company_id.id)], limit=1)
                .lot_stock_id
            )
        return location
