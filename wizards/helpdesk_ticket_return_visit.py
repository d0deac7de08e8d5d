# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class HelpdeskTicketReturnVisit(models.TransientModel):
    """Outcome of the return visit (回访) made after a ticket is closed."""

    _name = "helpdesk.ticket.return.visit"
    _description = "Ticket Return Visit"

    ticket_id = fields.Many2one(comodel_name="helpdesk.ticket", required=True)
    result = fields.Selection(
        selection=[
            ("satisfied", "Satisfied"),
            ("neutral", "Neutral"),
            ("dissatisfied", "Dissatisfied"),
            ("unreachable", "Unreachable"),
        ],
        required=True,
        default="satisfied",
    )
    note = fields.Text()

    def action_confirm(self):
        self.ensure_one()
        self.ticket_id._record_return_visit(self.result, (self.note or "").strip())
        return {"type": "ir.actions.act_window_close"}
