# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models

from .aftersales_appointment import USER_GROUP


class ResPartner(models.Model):
    """The customer's record of appointments (seed 002 example 3: 信用等级
    制度, a reward for every appointment kept on time)."""

    _inherit = "res.partner"

    aftersales_appointment_count = fields.Integer(
        string="Appointments",
        compute="_compute_aftersales_appointment_record",
        groups="aftersales_service.group_aftersales_user",
    )
    aftersales_appointment_kept_count = fields.Integer(
        string="Appointments Kept",
        compute="_compute_aftersales_appointment_record",
        groups="aftersales_service.group_aftersales_user",
    )
    aftersales_appointment_on_time_count = fields.Integer(
        string="Kept On Time",
        compute="_compute_aftersales_appointment_record",
        groups="aftersales_service.group_aftersales_user",
    )
    aftersales_appointment_no_show_count = fields.Integer(
        string="No-Shows",
        compute="_compute_aftersales_appointment_record",
        groups="aftersales_service.group_aftersales_user",
    )
    aftersales_appointment_on_time_rate = fields.Float(
        string="On-Time Rate (%)",
        compute="_compute_aftersales_appointment_record",
        groups="aftersales_service.group_aftersales_user",
        help="Appointments kept on time out of those that were due (kept, "
        "late or missed).",
    )

    def _compute_aftersales_appointment_record(self):
        groups = self.env["aftersales.appointment"]._read_group(
            [("partner_id", "child_of", self.commercial_partner_id.ids)],
            ["partner_id", "state", "arrival"],
            ["__count"],
        )
        record = {}
        for customer, state, arrival, count in groups:
            figures = record.setdefault(
                customer.commercial_partner_id.id,
                {"all": 0, "kept": 0, "on_time": 0, "no_show": 0},
            )
            figures["all"] += count
            if state == "done":
                figures["kept"] += count
                if arrival == "on_time":
                    figures["on_time"] += count
            elif state == "no_show":
                figures["no_show"] += count
        for partner in self:
            figures = record.get(partner.commercial_partner_id.id, {})
            due = figures.get("kept", 0) + figures.get("no_show", 0)
            partner.aftersales_appointment_count = figures.get("all", 0)
            partner.aftersales_appointment_kept_count = figures.get("kept", 0)
            partner.aftersales_appointment_on_time_count = figures.get("on_time", 0)
            partner.aftersales_appointment_no_show_count = figures.get("no_show", 0)
            partner.aftersales_appointment_on_time_rate = (
                100.0 * figures.get("on_time", 0) / due if due else 0.0
            )

    def action_view_aftersales_appointments(self):
        self.ensure_one()
        self.check_access("read")
        self.env["aftersales.appointment"]._check_group(
            USER_GROUP, self.env._("Only after-sales users list appointments.")
        )
        action = self.env["ir.actions.actions"]._for_xml_id(
            "aftersales_service.aftersales_appointment_action"
        )
        action.update(
            domain=[("partner_id", "child_of", self.commercial_partner_id.id)],
            context={"default_partner_id": self.commercial_partner_id.id},
        )
        return action
