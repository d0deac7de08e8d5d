# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class SurveyUserInput(models.Model):
    """A satisfaction survey or feedback card sent to a customer, with the
    service it rates: set when the invitation is created, never recomputed
    (a card keeps rating the technician who did that job)."""

    _inherit = "survey.user_input"

    aftersales_campaign_id = fields.Many2one(
        comodel_name="aftersales.satisfaction.campaign",
        string="Satisfaction Campaign",
        index="btree_not_null",
        ondelete="cascade",
        readonly=True,
    )
    aftersales_ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Service Request",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
        help="The service request this feedback card rates.",
    )
    region_id = fields.Many2one(
        comodel_name="aftersales.region",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
    )
    station_id = fields.Many2one(
        comodel_name="aftersales.station",
        string="Service Station",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
    )
    technician_id = fields.Many2one(
        comodel_name="aftersales.station.technician",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
    )

    def _aftersales_send_invitations(self, template_xmlid):
        """Queue the invitation e-mails, rendered in one batch (the mail queue
        sends them)."""
        if self:
            template = self.env.ref(template_xmlid).sudo()
            template.send_mail_batch(self.ids)
