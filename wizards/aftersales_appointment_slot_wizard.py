# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command, api, fields, models
from odoo.exceptions import UserError


class AftersalesAppointmentSlotWizard(models.TransientModel):
    """The free slots nearest to the time a customer wants (seed 002
    example 3: two or more times when the first cannot be given)."""

    _name = "aftersales.appointment.slot.wizard"
    _description = "Find Free Appointment Slots"

    appointment_id = fields.Many2one(
        comodel_name="aftersales.appointment", required=True, ondelete="cascade"
    )
    station_id = fields.Many2one(related="appointment_id.station_id")
    date_wanted = fields.Datetime(
        string="Wanted Time",
        compute="_compute_date_wanted",
        store=True,
        readonly=False,
        precompute=True,
    )
    technician_id = fields.Many2one(
        comodel_name="aftersales.station.technician",
        domain="[('station_id', '=', station_id)]",
        help="Only this technician's slots; empty: any technician.",
    )
    duration = fields.Float(related="appointment_id.duration")
    station_tz = fields.Char(related="appointment_id.station_tz")
    wanted_free = fields.Boolean(readonly=True)
    line_ids = fields.One2many(
        comodel_name="aftersales.appointment.slot.wizard.line",
        inverse_name="wizard_id",
        string="Free Slots",
    )

    @api.depends("appointment_id")
    def _compute_date_wanted(self):
        for wizard in self:
            appointment = wizard.appointment_id
            wizard.date_wanted = (
                appointment.date_wanted
                or appointment.date_start
                or fields.Datetime.now()
            )

    def _fill(self):
        self.ensure_one()
        appointment = self.appointment_id
        proposals = appointment._propose_slots(
            appointment.station_id,
            self.date_wanted,
            appointment.duration,
            technician=self.technician_id,
            exclude=appointment,
        )
        self.write(
            {
                "wanted_free": bool(proposals)
                and proposals[0].start == self.date_wanted,
                "line_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "date_start": slot.start,
                            "date_end": slot.end,
                            "technician_id": slot.technician.id,
                            "bay_id": slot.bay.id,
                            "label": appointment._local_time_label(slot.start),
                        }
                    )
                    for slot in proposals
                ],
            }
        )

    def action_search(self):
        """Look again around another wanted time or technician."""
        self.ensure_one()
        self._fill()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Free Slots"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }


class AftersalesAppointmentSlotWizardLine(models.TransientModel):
    _name = "aftersales.appointment.slot.wizard.line"
    _description = "Free Appointment Slot"
    _order = "id"

    wizard_id = fields.Many2one(
        comodel_name="aftersales.appointment.slot.wizard",
        required=True,
        ondelete="cascade",
    )
    date_start = fields.Datetime(string="Start", required=True)
    date_end = fields.Datetime(string="End", required=True)
    label = fields.Char(string="Local Time")
    technician_id = fields.Many2one(comodel_name="aftersales.station.technician")
    bay_id = fields.Many2one(comodel_name="aftersales.station.bay", string="Bay")

    def action_book(self):
        """Book this slot: the appointment takes it and is confirmed (the
        confirmation checks it is still free)."""
        self.ensure_one()
        appointment = self.wizard_id.appointment_id
        if appointment.state != "draft":
            raise UserError(
                self.env._(
                    "%(name)s is no longer a draft.", name=appointment.display_name
                )
            )
        appointment.write(
            {
                "date_start": self.date_start,
                "technician_id": self.technician_id.id,
                "bay_id": self.bay_id.id,
            }
        )
        appointment.action_confirm()
        return {"type": "ir.actions.act_window_close"}
