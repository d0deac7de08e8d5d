# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


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
    can_send_feedback_card = fields.Boolean(compute="_compute_can_send_feedback_card")
    send_feedback_card = fields.Boolean(
        string="Send a Feedback Card",
        compute="_compute_send_feedback_card",
        store=True,
        readonly=False,
        help="E-mail the customer a feedback card to rate the service, the "
        "station and the technician.",
    )

    @api.depends("ticket_id")
    def _compute_can_send_feedback_card(self):
        possible = self._feedback_card_possible()
        for wizard in self:
            wizard.can_send_feedback_card = possible[wizard]

    @api.depends("ticket_id")
    def _compute_send_feedback_card(self):
        # Proposed whenever possible: seed 004 asks each customer for a card.
        possible = self._feedback_card_possible()
        for wizard in self:
            wizard.send_feedback_card = possible[wizard]

    def _feedback_card_possible(self):
        """Whether each wizard's ticket can get its (first) feedback card from
        this user: work done, a customer e-mail, no card yet."""
        allowed = self.env.user.has_group("aftersales_service.group_aftersales_user")
        cards = dict(
            self.env["survey.user_input"]
            .sudo()
            ._read_group(
                [("aftersales_ticket_id", "in", self.ticket_id.ids)],
                ["aftersales_ticket_id"],
                ["__count"],
            )
        )
        return {
            wizard: bool(
                allowed
                and wizard.ticket_id
                and wizard.ticket_id._is_service_done()
                and wizard.ticket_id.partner_id.email
                and not cards.get(wizard.ticket_id)
            )
            for wizard in self
        }

    def action_confirm(self):
        self.ensure_one()
        self.ticket_id._record_return_visit(self.result, (self.note or "").strip())
        if self.send_feedback_card:
            self.ticket_id.action_send_feedback_card()
        return {"type": "ir.actions.act_window_close"}
