# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models
from odoo.tools import html2plaintext

from .aftersales_appointment import USER_GROUP


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    appointment_ids = fields.One2many(
        comodel_name="aftersales.appointment",
        inverse_name="ticket_id",
        string="Appointments",
    )
    appointment_count = fields.Integer(
        compute="_compute_appointment_count",
        groups="aftersales_service.group_aftersales_user",
    )

    def _compute_appointment_count(self):
        counts = dict(
            self.env["aftersales.appointment"]._read_group(
                [("ticket_id", "in", self.ids)], ["ticket_id"], ["__count"]
            )
        )
        for ticket in self:
            ticket.appointment_count = counts.get(ticket, 0)

    def action_view_appointments(self):
        self.ensure_one()
        self.check_access("read")
        self.env["aftersales.appointment"]._check_group(
            USER_GROUP, self.env._("Only after-sales users list appointments.")
        )
        action = self.env["ir.actions.actions"]._for_xml_id(
            "aftersales_service.aftersales_appointment_action"
        )
        action.update(
            domain=[("ticket_id", "=", self.id)],
            context=self._appointment_defaults(),
        )
        return action

    def action_book_appointment(self):
        """A new appointment for the request, filled from it."""
        self.ensure_one()
        self.check_access("read")
        self.env["aftersales.appointment"].check_access("create")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Book an Appointment"),
            "res_model": "aftersales.appointment",
            "view_mode": "form",
            "target": "current",
            "context": self._appointment_defaults(),
        }

    def _appointment_defaults(self):
        return {
            "default_ticket_id": self.id,
            "default_partner_id": self.partner_id.id,
            "default_product_id": self.product_id.id,
            "default_lot_id": self.lot_id.id,
            "default_station_id": self.station_id.id,
            "default_fault_description": html2plaintext(self.description or "")
            or self.name,
        }
