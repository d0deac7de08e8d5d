# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError

# Changing these changes the reading the ticket gives its voucher.
READING_FIELDS = {"mileage", "lot_id", "voucher_id"}


class HelpdeskTicket(models.Model):
    """Periodic inspection requests, and the odometer read at the contact."""

    _inherit = "helpdesk.ticket"

    aftersales_service_type = fields.Selection(
        selection_add=[("inspection", "Periodic Inspection")],
        ondelete={"inspection": "set null"},
    )
    mileage = fields.Float(
        string="Odometer (km)",
        digits=(16, 0),
        tracking=True,
        help="The odometer when the customer called: recorded as a reading "
        "of the voucher, from which its inspections by distance are planned.",
    )
    service_due_ids = fields.One2many(
        comodel_name="aftersales.service.due",
        inverse_name="ticket_id",
        string="Requested Inspections",
        readonly=True,
    )

    @api.model_create_multi
    def create(self, vals_list):
        if any("mileage" in vals for vals in vals_list):
            self.browse().check_access("create")
            self._check_mileage_values(vals_list)
        tickets = super().create(vals_list)
        with_mileage = tickets.filtered("mileage")
        if with_mileage:
            with_mileage._record_mileage()
        return tickets

    def write(self, vals):
        if "mileage" in vals:
            self.check_access("write")
            self._check_mileage_values([vals])
        result = super().write(vals)
        if "mileage" in vals:
            self._record_mileage()
        elif READING_FIELDS & set(vals):
            # Only those that read a mileage (the voucher's compute writes
            # many documents one by one).
            with_mileage = self.filtered("mileage")
            if with_mileage:
                with_mileage._record_mileage()
        return result

    def _check_mileage_values(self, vals_list):
        for vals in vals_list:
            if "mileage" not in vals or vals["mileage"] in (False, None):
                continue
            mileage = vals["mileage"]
            if (
                isinstance(mileage, bool)
                or not isinstance(mileage, int | float)
                or not (0 <= mileage < float("inf"))
            ):
                raise UserError(
                    self.env._(
                        "The odometer is a number of km, zero or more, not "
                        "%(value)s.",
                        value=repr(mileage),
                    )
                )

    def _record_mileage(self):
        self.env["aftersales.mileage.reading"]._record_from(self, "ticket")

    @api.model
    def _aftersales_next_numbers(self, company, count):
        """``count`` ticket numbers of ``company``, the sequence looked up once
        (helpdesk_mgmt numbers each new ticket with its own lookup)."""
        sequence = (
            self.env["ir.sequence"]
            .sudo()
            .search(
                [
                    ("code", "=", "helpdesk.ticket.sequence"),
                    ("company_id", "in", [company.id, False]),
                ],
                order="company_id",
                limit=1,
            )
        )
        if not sequence:
            return ["/"] * count
        return sequence._next_many(count)
