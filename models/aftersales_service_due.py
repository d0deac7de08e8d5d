# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models
from odoo.tools import SQL

FINAL_UNIQUE_INDEX = "aftersales_service_due_final_uniq"


class AftersalesServiceDue(models.Model):
    """An inspection of a voucher's product the daily job requested: the key
    that makes it requested once per voucher and due date, with the service
    request it opened.

    Created by the job only (the superuser); read by after-sales users.
    """

    _name = "aftersales.service.due"
    _description = "Requested Periodic Inspection"
    _order = "date_due desc, id desc"
    _check_company_auto = True
    _rec_name = "voucher_id"

    voucher_id = fields.Many2one(
        comodel_name="aftersales.warranty.voucher",
        string="Warranty Voucher",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, readonly=True, index=True
    )
    partner_id = fields.Many2one(related="voucher_id.partner_id", string="Customer")
    lot_id = fields.Many2one(related="voucher_id.lot_id")
    plan_id = fields.Many2one(
        comodel_name="aftersales.service.plan",
        readonly=True,
        ondelete="set null",
        check_company=True,
    )
    kind = fields.Selection(
        selection=[
            ("periodic", "Periodic Inspection"),
            ("final", "Last Inspection Before the Warranty Ends"),
        ],
        required=True,
        readonly=True,
    )
    sequence = fields.Integer(
        string="Inspections Covered",
        readonly=True,
        help="Number of the last periodic inspection this request covers, "
        "counted from the voucher's start.",
    )
    date_due = fields.Date(string="Due Date", required=True, readonly=True)
    km_due = fields.Float(
        string="Due at (km)",
        digits=(16, 0),
        readonly=True,
        help="Mileage of the inspection, for plans by distance.",
    )
    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Service Request",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
    )
    ticket_stage_id = fields.Many2one(
        related="ticket_id.stage_id", string="Request Stage"
    )
    station_id = fields.Many2one(
        comodel_name="aftersales.station",
        string="Service Station",
        readonly=True,
        check_company=True,
    )
    mail_sent = fields.Boolean(
        string="Customer Invited",
        readonly=True,
        help="The invitation to the last inspection was sent to the customer.",
    )

    _sql_constraints = [
        (
            "voucher_kind_date_uniq",
            "UNIQUE(voucher_id, kind, date_due)",
            "This inspection of the voucher is already requested.",
        ),
    ]

    def init(self):
        # One last inspection per voucher, whatever its date.
        self.env.cr.execute(
            SQL(
                """
                CREATE UNIQUE INDEX IF NOT EXISTS %s
                    ON aftersales_service_due (voucher_id) WHERE kind = 'final'
                """,
                SQL.identifier(FINAL_UNIQUE_INDEX),
            )
        )
