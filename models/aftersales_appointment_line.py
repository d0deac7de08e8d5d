# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError

# The parts of an appointment change while it is being prepared.
EDITABLE_STATES = ("draft", "confirmed")


class AftersalesAppointmentLine(models.Model):
    """A spare part the visit is expected to need, reserved at confirmation."""

    _name = "aftersales.appointment.line"
    _inherit = ["aftersales.line.mixin"]
    _document_field = "appointment_id"
    _description = "Service Appointment Part"
    _order = "appointment_id, sequence, id"
    _check_company_auto = True
    _positive_fields = frozenset({"quantity"})
    _nonnegative_fields = frozenset({"price_unit"})

    appointment_id = fields.Many2one(
        comodel_name="aftersales.appointment",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="appointment_id.company_id", store=True)
    currency_id = fields.Many2one(related="appointment_id.currency_id")
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one(
        comodel_name="product.product",
        string="Part",
        required=True,
        check_company=True,
        domain="[('type', '=', 'consu')]",
    )
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure")
    product_uom_id = fields.Many2one(
        comodel_name="uom.uom",
        string="Unit",
        compute="_compute_product_uom_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    price_unit = fields.Monetary(
        string="Unit Price",
        compute="_compute_price_unit",
        store=True,
        readonly=False,
        precompute=True,
        currency_field="currency_id",
        help="What the customer is told the part costs.",
    )
    subtotal = fields.Monetary(
        compute="_compute_subtotal", store=True, currency_field="currency_id"
    )

    _sql_constraints = [
        (
            "quantity_positive",
            "CHECK(quantity > 0)",
            "The quantity of a part must be positive.",
        ),
    ]

    @api.depends("product_id")
    def _compute_product_uom_id(self):
        for line in self:
            line.product_uom_id = line.product_id.uom_id

    @api.depends("product_id")
    def _compute_price_unit(self):
        for line in self:
            line.price_unit = line.product_id.lst_price

    @api.depends("quantity", "price_unit")
    def _compute_subtotal(self):
        for line in self:
            line.subtotal = line.quantity * line.price_unit

    def _check_editable(self):
        for appointment in self.appointment_id:
            if appointment.state not in EDITABLE_STATES:
                raise UserError(
                    self.env._(
                        "%(name)s is %(state)s: its parts can no longer change.",
                        name=appointment.display_name,
                        state=appointment._state_label(appointment.state),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.appointment_id._sync_reservation()
        return lines

    def write(self, vals):
        result = super().write(vals)
        if vals.keys() & {"product_id", "quantity", "product_uom_id"}:
            self.appointment_id._sync_reservation()
        return result

    def unlink(self):
        appointments = self.appointment_id
        result = super().unlink()
        appointments.exists()._sync_reservation()
        return result
