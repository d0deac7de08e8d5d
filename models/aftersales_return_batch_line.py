# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

SETTLEMENTS = [
    ("exchange", "Exchange"),
    ("credit", "Credit"),
    ("repair", "Repair"),
    ("scrap", "Scrap"),
    ("rejected", "Rejected"),
]


class AftersalesReturnBatchLine(models.Model):
    """One defective product of a return batch, counted and settled at the factory."""

    _name = "aftersales.return.batch.line"
    _description = "Defective Return Batch Line"
    _order = "batch_id, sequence, id"
    _check_company_auto = True

    batch_id = fields.Many2one(
        comodel_name="aftersales.return.batch",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="batch_id.company_id", store=True)
    batch_state = fields.Selection(related="batch_id.state", string="Batch Status")
    region_id = fields.Many2one(related="batch_id.region_id", store=True)
    period_date = fields.Date(related="batch_id.period_date", store=True)
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one(
        comodel_name="product.product", required=True, check_company=True
    )
    product_uom_id = fields.Many2one(related="product_id.uom_id")
    lot_id = fields.Many2one(
        comodel_name="stock.lot",
        string="Serial/Lot",
        domain="[('product_id', '=', product_id)]",
        check_company=True,
    )
    quantity = fields.Float(
        string="Announced", required=True, default=1.0, digits="Product Unit of Measure"
    )
    reason = fields.Selection(
        selection=[
            ("defect", "Quality Defect"),
            ("transport", "Transport Damage"),
            ("batch_quality", "Batch Quality Problem"),
            ("other", "Other"),
        ],
        required=True,
        default="defect",
    )
    reason_note = fields.Char(string="Details")
    station_id = fields.Many2one(
        comodel_name="aftersales.station",
        string="Source Station",
        check_company=True,
    )
    claim_id = fields.Many2one(
        comodel_name="aftersales.claim",
        string="Source Claim",
        check_company=True,
        domain="[('state', 'in', ('approved', 'done'))]",
    )
    received_qty = fields.Float(
        string="Received",
        digits="Product Unit of Measure",
        compute="_compute_received_qty",
        store=True,
        readonly=False,
        precompute=True,
        help="What the factory counted: it prevails over the announced quantity.",
    )
    condition = fields.Selection(
        selection=[
            ("as_announced", "As Announced"),
            ("damaged", "Damaged in Transit"),
            ("not_defective", "Not Defective"),
            ("wrong_item", "Wrong Item"),
        ],
        default="as_announced",
    )
    difference = fields.Float(
        compute="_compute_difference", store=True, digits="Product Unit of Measure"
    )
    settlement = fields.Selection(selection=SETTLEMENTS)
    rejection_reason = fields.Char()
    settled = fields.Boolean(readonly=True, copy=False)
    exchange_picking_id = fields.Many2one(
        comodel_name="stock.picking",
        string="Replacement or Repaired Goods",
        readonly=True,
        copy=False,
    )
    credit_move_id = fields.Many2one(
        comodel_name="account.move", string="Credit Note", readonly=True, copy=False
    )
    scrap_id = fields.Many2one(comodel_name="stock.scrap", readonly=True, copy=False)

    @api.depends("quantity")
    def _compute_received_qty(self):
        for line in self:
            if line.batch_id.state not in ("received", "settled"):
                line.received_qty = line.quantity

    @api.depends("quantity", "received_qty", "batch_id.state")
    def _compute_difference(self):
        for line in self:
            counted = line.batch_id.state in ("received", "settled")
            line.difference = (line.received_qty - line.quantity) if counted else 0.0

    @api.constrains("quantity", "received_qty")
    def _check_quantities(self):
        for line in self:
            if line.quantity <= 0:
                raise ValidationError(
                    self.env._(
                        "Batch %(batch)s: %(product)s needs a positive quantity.",
                        batch=line.batch_id.name,
                        product=line.product_id.display_name,
                    )
                )
            if line.received_qty < 0:
                raise ValidationError(
                    self.env._("A received quantity cannot be negative.")
                )

    @api.constrains("product_id", "claim_id", "station_id", "batch_id")
    def _check_source(self):
        """Only goods stations returned, when the company requires it."""
        for line in self.filtered(
            lambda line: line.company_id.aftersales_return_require_claim
        ):
            claim = line.claim_id
            returned = claim.line_ids.filtered(
                lambda cl, line=line: cl.return_required
                and cl.product_id == line.product_id
            )
            if not (
                claim
                and claim.state in ("approved", "done")
                and claim.station_id.region_id == line.batch_id.region_id
                and (returned or claim.product_id == line.product_id)
            ):
                raise ValidationError(
                    self.env._(
                        "%(product)s was not returned to this office by a station: "
                        "give the approved claim it comes from.",
                        product=line.product_id.display_name,
                    )
                )

    @api.onchange("claim_id")
    def _onchange_claim_id(self):
        if self.claim_id:
            self.station_id = self.claim_id.station_id
            returned = self.claim_id.return_line_ids[:1]
            self.product_id = returned.product_id or self.claim_id.product_id
            self.lot_id = returned.lot_id or self.claim_id.lot_id

    def _prepare_move(self, source, destination):
        self.ensure_one()
        return {
            "name": self.product_id.display_name,
            "product_id": self.product_id.id,
            "product_uom": self.product_uom_id.id,
            "product_uom_qty": self.quantity,
            "location_id": source.id,
            "location_dest_id": destination.id,
            "return_line_id": self.id,
            "company_id": self.company_id.id,
        }

    # ------------------------------------------------------------------
    # Settlement (seed 004 part 2 art. 9-10)
    # ------------------------------------------------------------------

    def _settle(self):
        for line in self:
            if not line.settlement:
                raise UserError(
                    self.env._(
                        "Choose how to settle %(product)s of batch %(batch)s.",
                        product=line.product_id.display_name,
                        batch=line.batch_id.name,
                    )
                )
            getattr(line, f"_settle_{line.settlement}")()
        self.write({"settled": True})

    def _settle_exchange(self):
        """Replacement goods sent from stock to the office."""
        batch = self.batch_id
        stock = batch._internal_picking_type().default_location_src_id
        self.exchange_picking_id = self._send_to_office(stock)

    def _settle_repair(self):
        """The repaired goods go back to the office."""
        self.exchange_picking_id = self._send_to_office(
            self.batch_id._returns_location()
        )

    def _send_to_office(self, source):
        batch = self.batch_id
        if not self.received_qty:
            return self.env["stock.picking"]
        destination = batch.region_id.office_location_id
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": batch._internal_picking_type().id,
                "location_id": source.id,
                "location_dest_id": destination.id,
                "partner_id": batch.office_partner_id.id,
                "origin": batch.name,
                "company_id": batch.company_id.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": self.product_id.display_name,
                            "product_id": self.product_id.id,
                            "product_uom": self.product_uom_id.id,
                            "product_uom_qty": self.received_qty,
                            "location_id": source.id,
                            "location_dest_id": destination.id,
                            "company_id": batch.company_id.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        return picking

    def _settle_credit(self):
        """A credit note to the station, or the office, for the goods returned."""
        batch = self.batch_id
        partner = self.station_id.partner_id or batch.office_partner_id
        self.credit_move_id = (
            self.env["account.move"]
            .with_company(batch.company_id)
            .create(
                {
                    "move_type": "out_refund",
                    "partner_id": partner.id,
                    "invoice_origin": batch.name,
                    "ref": self.env._("Defective return %(batch)s", batch=batch.name),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": self.product_id.id,
                                "quantity": self.received_qty,
                                "price_unit": self.product_id.lst_price,
                            }
                        )
                    ],
                }
            )
        )

    def _settle_scrap(self):
        if not self.received_qty:
            return
        scrap = self.env["stock.scrap"].create(
            {
                "product_id": self.product_id.id,
                "product_uom_id": self.product_uom_id.id,
                "lot_id": self.lot_id.id,
                "scrap_qty": self.received_qty,
                "location_id": self.batch_id._returns_location().id,
                "origin": self.batch_id.name,
                "company_id": self.company_id.id,
            }
        )
        scrap.action_validate()
        self.scrap_id = scrap

    def _settle_rejected(self):
        if not (self.rejection_reason or "").strip():
            raise UserError(
                self.env._(
                    "Give the reason %(product)s is rejected: it goes back to the "
                    "office.",
                    product=self.product_id.display_name,
                )
            )
        batch = self.batch_id
        batch.message_post(
            body=self.env._(
                "%(product)s (%(qty)s) rejected: %(reason)s",
                product=self.product_id.display_name,
                qty=self.received_qty,
                reason=self.rejection_reason,
            ),
            partner_ids=batch.office_partner_id.ids,
            subtype_xmlid="mail.mt_comment",
        )
