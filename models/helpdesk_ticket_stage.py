# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class HelpdeskTicketStage(models.Model):
    _inherit = "helpdesk.ticket.stage"

    aftersales_return_visit = fields.Boolean(
        string="Schedule Return Visit",
        help="Tickets reaching this stage get a return visit (回访) the next day.",
    )
