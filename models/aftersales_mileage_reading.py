# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..aftersales_service import inspections

USER_GROUP = "aftersales_service.group_aftersales_user"


class AftersalesMileageReading(models.Model):
    """An odometer reading of a voucher's product, from a service request, a
    claim or typed by hand: the periodic inspections by distance are
    estimated from them."""

    _name = "aftersales.mileage.reading"
    _description = "Mileage Reading"
    _inherit = ["aftersales.input.mixin"]
    _nonnegative_fields = frozenset({"km"})
    _order = "date desc, km desc, id desc"
    _check_company_auto = True
    _rec_name = "voucher_id"

    voucher_id = fields.Many2one(
        comodel_name="aftersales.warranty.voucher",
        string="Warranty Voucher",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="voucher_id.company_id", store=True, index=True, precompute=True
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    km = fields.Float(string="Odometer (km)", digits=(16, 0), required=True)
    source = fields.Selection(
        selection=[
            ("manual", "Typed"),
            ("ticket", "Service Request"),
            ("claim", "Warranty Claim"),
        ],
        required=True,
        default="manual",
        readonly=True,
    )
    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Service Request",
        readonly=True,
        index="btree_not_null",
        ondelete="cascade",
        check_company=True,
    )
    claim_id = fields.Many2one(
        comodel_name="aftersales.claim",
        string="Warranty Claim",
        readonly=True,
        index="btree_not_null",
        ondelete="cascade",
        check_company=True,
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Recorded By",
        default=lambda self: self.env.user,
        readonly=True,
    )
    note = fields.Char()

    _sql_constraints = [
        ("km_positive", "CHECK(km >= 0)", "A mileage cannot be negative."),
        ("ticket_uniq", "UNIQUE(ticket_id)", "A service request gives one reading."),
        ("claim_uniq", "UNIQUE(claim_id)", "A warranty claim gives one reading."),
    ]

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("voucher_id", "date", "km")
    def _check_sequence(self):
        """Readings never run backwards: each voucher's readings, with its
        start, in the order of their days."""
        today = fields.Date.context_today(self)
        for reading in self:
            if reading.date > today:
                raise ValidationError(
                    self.env._(
                        "A reading of %(date)s is in the future: record it on "
                        "the day it was read.",
                        date=reading.date,
                    )
                )
        for voucher in self.voucher_id:
            voucher._checked_readings()

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self.browse().check_access("create")
        self._check_input(vals_list)
        vouchers = self.env["aftersales.warranty.voucher"].browse(
            {vals.get("voucher_id") for vals in vals_list if vals.get("voucher_id")}
        )
        # Two readings of one voucher at once would each pass the check alone.
        vouchers._lock_rows("NO KEY UPDATE")
        if not self.env.su:
            vouchers.check_access("read")
            for vals in vals_list:
                # Where a reading comes from is what recorded it.
                if {"source", "ticket_id", "claim_id"} & vals.keys():
                    raise UserError(
                        self.env._(
                            "Readings of service requests and claims are "
                            "recorded from them; type a reading by hand instead."
                        )
                    )
            inactive = vouchers.filtered(lambda v: v.state != "active")
            if inactive:
                raise UserError(
                    self.env._(
                        "Voucher %(voucher)s is not active: its inspections are "
                        "no longer planned, and it takes no readings.",
                        voucher=inactive[0].display_name,
                    )
                )
        return super().create(vals_list)

    def write(self, vals):
        self.check_access("write")
        if not self.env.su:
            if {"voucher_id", "source", "ticket_id", "claim_id", "user_id"} & set(vals):
                raise UserError(
                    self.env._(
                        "A reading stays with its voucher and its source; "
                        "delete it and record another instead."
                    )
                )
            if any(reading.source != "manual" for reading in self):
                raise UserError(
                    self.env._(
                        "This reading comes from a service request or a claim: "
                        "correct it there."
                    )
                )
        self.voucher_id._lock_rows("NO KEY UPDATE")
        return super().write(vals)

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    @api.model
    def _record_from(self, documents, source, date_of=None):
        """Record the readings of ``documents`` (tickets or claims with a
        ``mileage`` and a ``voucher_id``): one per document, updated when
        the document's mileage changes, dropped when it is cleared.

        ``date_of(document)`` is the day of its reading; without it, the day
        the mileage is given (and a correction keeps that day).

        Server side: whoever may save the document records its reading.
        Vouchers that are not active take no readings.
        """
        field = f"{source}_id"
        Reading = self.sudo()
        existing = {
            reading[field]: reading
            for reading in Reading.search([(field, "in", documents.ids)])
        }
        today = fields.Date.context_today(self)
        to_create = []
        for document in documents:
            reading = existing.get(document)
            voucher = document.voucher_id.sudo()
            day = date_of(document) if date_of else None
            # A document of before the voucher's start reads no mileage of it.
            if not (
                document.mileage > 0
                and voucher.state == "active"
                and (day or today) >= voucher.date_start
            ):
                if reading:
                    reading.unlink()
                continue
            if reading:
                changed = {}
                if reading.voucher_id != voucher:
                    changed["voucher_id"] = voucher.id
                if reading.km != document.mileage:
                    changed["km"] = document.mileage
                if day and reading.date != day:
                    changed["date"] = day
                if changed:
                    reading.write(changed)
                continue
            to_create.append(
                {
                    "voucher_id": voucher.id,
                    "date": day or today,
                    "km": document.mileage,
                    "source": source,
                    field: document.id,
                }
            )
        if to_create:
            Reading.create(to_create)

    @api.model
    def _reading_error(self, error, voucher):
        """The ValidationError of a refused reading, in words."""
        reading = error.reading
        other = error.other
        values = {
            "voucher": voucher.display_name,
            "km": f"{reading.km:,.0f}" if isinstance(reading.km, float) else reading.km,
            "date": reading.day,
        }
        # Formatted before the _() calls: the term extractor evaluates
        # f-strings among their arguments.
        other_km = f"{other.km:,.0f}" if other and other.km is not None else ""
        if error.code == inspections.BACKWARDS:
            message = self.env._(
                "Voucher %(voucher)s: %(km)s km on %(date)s is less than the "
                "%(other_km)s km read on %(other_date)s. Odometers do not run "
                "backwards: check the reading.",
                other_km=other_km,
                other_date=other.day,
                **values,
            )
        elif error.code == inspections.BELOW_START:
            message = self.env._(
                "Voucher %(voucher)s: %(km)s km on %(date)s is less than the "
                "%(other_km)s km it started with.",
                other_km=other_km,
                **values,
            )
        elif error.code == inspections.BEFORE_START:
            message = self.env._(
                "Voucher %(voucher)s starts on %(start)s: a reading of %(date)s "
                "comes before it.",
                start=other.day,
                **values,
            )
        else:
            message = self.env._(
                "Voucher %(voucher)s: a reading is a number of km, zero or more.",
                **values,
            )
        return ValidationError(message)
