# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class HelpdeskTicketSla(models.Model):
    _inherit = "helpdesk.ticket.sla"

    aftersales_escalated = fields.Boolean(
        string="Escalated",
        readonly=True,
        copy=False,
        help="The breach of this deadline was escalated (once).",
    )
