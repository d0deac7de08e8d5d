# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

FEEDBACK_SURVEY = "aftersales_service.aftersales_survey_feedback_card"
FEEDBACK_TEMPLATE = "aftersales_service.mail_template_aftersales_feedback_card"


class HelpdeskTicket(models.Model):
    """Who did the work, and the feedback card (服务卡) the customer fills in
    once it is done: the cards rate stations and technicians."""

    _inherit = "helpdesk.ticket"

    technician_id = fields.Many2one(
        comodel_name="aftersales.station.technician",
        string="Technician",
        compute="_compute_technician_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="[('station_id', '=', station_id)]",
        help="The station technician who did the work; the feedback card rates "
        "them.",
    )
    aftersales_service_done = fields.Boolean(
        related="stage_id.aftersales_return_visit",
        string="Service Done",
        help="In a stage that closes done work (not cancelled or rejected).",
    )
    feedback_input_ids = fields.One2many(
        comodel_name="survey.user_input",
        inverse_name="aftersales_ticket_id",
        string="Feedback Cards",
        groups="aftersales_service.group_aftersales_user",
    )
    feedback_count = fields.Integer(
        compute="_compute_feedback_count",
        groups="aftersales_service.group_aftersales_user",
    )

    @api.depends("station_id")
    def _compute_technician_id(self):
        for ticket in self:
            if ticket.technician_id.station_id != ticket.station_id:
                ticket.technician_id = False

    def _compute_feedback_count(self):
        counts = dict(
            self.env["survey.user_input"]
            .sudo()
            ._read_group(
                [("aftersales_ticket_id", "in", self.ids)],
                ["aftersales_ticket_id"],
                ["__count"],
            )
        )
        for ticket in self:
            ticket.feedback_count = counts.get(ticket, 0)

    # ------------------------------------------------------------------
    # Feedback cards
    # ------------------------------------------------------------------

    def action_send_feedback_card(self):
        """E-mail the customer a feedback card on the work done; a card still
        unanswered is sent again rather than doubled."""
        if not self.env.su and not self.env.user.has_group(
            "aftersales_service.group_aftersales_user"
        ):
            raise AccessError(self.env._("Only after-sales users send feedback cards."))
        self.check_access("write")
        self._send_feedback_cards()
        return True

    def action_view_feedback_cards(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.actions"]._for_xml_id(
            "aftersales_service.aftersales_satisfaction_input_action"
        )
        action.update(
            domain=[("aftersales_ticket_id", "=", self.id)],
            context={"create": False},
        )
        return action

    def _is_service_done(self):
        self.ensure_one()
        return self.stage_id.closed and self.aftersales_service_done

    @api.model
    def _done_domain(self):
        """Tickets whose service was done: closed in a stage that calls the
        customer back (Done), not cancelled or rejected."""
        return [
            ("stage_id.closed", "=", True),
            ("stage_id.aftersales_return_visit", "=", True),
        ]

    def _feedback_survey(self):
        survey = self.env.ref(FEEDBACK_SURVEY, raise_if_not_found=False)
        if not survey or not survey.sudo().active:
            raise UserError(
                self.env._(
                    "The feedback card survey is missing or archived: restore "
                    "“%(survey)s” in Surveys.",
                    survey=self.env._("Service Feedback Card"),
                )
            )
        return survey.sudo()

    def _check_feedback_card(self):
        for ticket in self:
            if not ticket._is_service_done():
                raise UserError(
                    self.env._(
                        "%(ticket)s is not done: a feedback card rates work that "
                        "is finished.",
                        ticket=ticket.display_name,
                    )
                )
            if not ticket.partner_id.email:
                raise UserError(
                    self.env._(
                        "%(ticket)s: give the customer an e-mail address to send "
                        "the feedback card to.",
                        ticket=ticket.display_name,
                    )
                )

    def _send_feedback_cards(self):
        """Create and e-mail the cards (after the caller checked the rights).

        A ticket whose card is still unanswered gets the same card again; a
        ticket whose card was answered gets none (one rating per job).
        """
        self._check_feedback_card()
        Input = self.env["survey.user_input"].sudo()
        existing = Input.search([("aftersales_ticket_id", "in", self.ids)])
        answered = existing.filtered(lambda i: i.state == "done")
        if answered:
            raise UserError(
                self.env._(
                    "The customer already answered the feedback card of "
                    "%(tickets)s.",
                    tickets=", ".join(
                        answered.aftersales_ticket_id.mapped("display_name")
                    ),
                )
            )
        pending = existing.filtered(lambda i: i.state != "done")
        survey = self._feedback_survey()
        cards = Input.browse()
        for ticket in self - pending.aftersales_ticket_id:
            cards |= survey._create_answer(
                partner=ticket.partner_id,
                check_attempts=False,
                **ticket._prepare_feedback_card_values(),
            )
        (pending | cards)._aftersales_send_invitations(FEEDBACK_TEMPLATE)
        for ticket in self:
            ticket.message_post(
                body=self.env._(
                    "Feedback card sent to %(customer)s.",
                    customer=ticket.partner_id.email_formatted,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return cards

    def _prepare_feedback_card_values(self):
        self.ensure_one()
        return {
            "aftersales_ticket_id": self.id,
            "region_id": self.region_id.id,
            "station_id": self.station_id.id,
            "technician_id": self.technician_id.id,
        }
