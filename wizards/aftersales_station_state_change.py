# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class AftersalesStationStateChange(models.TransientModel):
    """Suspend, reinstate or close stations, with the reason in their chatter."""

    _name = "aftersales.station.state.change"
    _description = "Change Service Station Status"

    station_ids = fields.Many2many(
        comodel_name="aftersales.station",
        relation="aftersales_station_state_change_rel",
        column1="wizard_id",
        column2="station_id",
        string="Stations",
        required=True,
    )
    new_state = fields.Selection(
        selection=[
            ("active", "Reinstate"),
            ("suspended", "Suspend"),
            ("closed", "Close"),
        ],
        string="Change",
        required=True,
        default="suspended",
    )
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.station_ids._change_state(self.new_state, self.reason.strip())
        return {"type": "ir.actions.act_window_close"}
