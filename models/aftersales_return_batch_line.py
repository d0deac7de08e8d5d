# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import math

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .aftersales_return_batch import COUNTED_STATES

USER_GROUP = "aftersales_service.group_aftersales_user"
WAREHOUSE_GROUP = "stock.group_stock_user"

# The factory's part of a line, written by the warehouse: its count and
# condition while the batch is shipped, its settlement once received.
COUNT_FIELDS = frozenset({"received_qty", "condition"})
SETTLEMENT_FIELDS = frozenset({"settlement", "rejection_reason"})
WAREHOUSE_FIELDS = COUNT_FIELDS | SETTLEMENT_FIELDS
# Written by the settlement only.
SETTLED_FIELDS = frozenset(
    {"settled", "exchange_picking_id", "credit_move_id", "scrap_id"}
)
# Batch state -> what its lines let change (None: anything but the above).
# Lines are added, removed and edited while the office drafts the
# application; the manager's approval freezes them; the factory then counts
# (shipped) and chooses the settlements (received) until it settles.
EDITABLE_IN = {
    "draft": None,
    "submitted": None,
    "approved": frozenset(),
    "shipped": COUNT_FIELDS,
    "received": SETTLEMENT_FIELDS,
    "settled": frozenset(),
    "cancel": frozenset(),
}

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
    _inherit = ["aftersales.input.mixin"]
    _nonnegative_fields = frozenset({"quantity", "received_qty"})
    _description = "Defective Return Batch Line"
    _order = "batch_id, sequence, id"
    _check_company_auto = True

    batch_id = fields.Many2one(
        comodel_name="aftersales.return.batch",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(related="batch_id.company_id", store=True)
    batch_state = fields.Selection(related="batch_id.state", string="Batch Status")
    region_id = fields.Many2one(related="batch_id.region_id", store=True)
    period_date = fields.Date(related="batch_id.period_date", store=True)
    period_label = fields.Char(related="batch_id.period_label")
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
        help="What the factory counted: it prevails over the announced quantity. "
        "Zero until the batch ships; the count starts from the announced "
        "quantity.",
    )
    condition = fields.Selection(
        selection=[
            ("as_announced", "As Announced"),
            ("damaged", "Damaged in Transit"),
            ("not_defective", "Not Defective"),
            ("wrong_item", "Wrong Item"),
        ],
        default="as_announced",
        copy=False,
    )
    difference = fields.Float(
        compute="_compute_difference", store=True, digits="Product Unit of Measure"
    )
    settlement = fields.Selection(selection=SETTLEMENTS, copy=False)
    rejection_reason = fields.Char(copy=False)
    settled = fields.Boolean(readonly=True, copy=False)
    exchange_picking_id = fields.Many2one(
        comodel_name="stock.picking",
        string="Replacement or Repaired Goods",
        readonly=True,
        copy=False,
        check_company=True,
    )
    credit_move_id = fields.Many2one(
        comodel_name="account.move",
        string="Credit Note",
        readonly=True,
        copy=False,
        check_company=True,
    )
    scrap_id = fields.Many2one(
        comodel_name="stock.scrap", readonly=True, copy=False, check_company=True
    )

    @api.depends("quantity", "batch_id.state")
    def _compute_received_qty(self):
        """Nothing is received before the batch ships (nor if it is
        cancelled). Shipping starts the factory's count from the announced
        quantity, as a receipt does; once received, the count stays."""
        for line in self:
            state = line.batch_id.state
            if state == "shipped":
                line.received_qty = line.quantity
            elif state not in COUNTED_STATES:
                line.received_qty = 0.0

    @api.depends("quantity", "received_qty", "batch_id.state")
    def _compute_difference(self):
        for line in self:
            counted = line.batch_id.state in ("received", "settled")
            line.difference = (line.received_qty - line.quantity) if counted else 0.0

    @api.model
    def _order_field_to_sql(self, alias, field_name, direction, nulls, query):
        # The month's label sorts as the month.
        if field_name == "period_label":
            field_name = "period_date"
        return super()._order_field_to_sql(alias, field_name, direction, nulls, query)

    @api.constrains("quantity", "received_qty")
    def _check_quantities(self):
        for line in self:
            if not math.isfinite(line.quantity) or line.quantity <= 0:
                raise ValidationError(
                    self.env._(
                        "Batch %(batch)s: %(product)s needs a positive quantity.",
                        batch=line.batch_id.name,
                        product=line.product_id.display_name,
                    )
                )
            if not math.isfinite(line.received_qty) or line.received_qty < 0:
                raise ValidationError(
                    self.env._(
                        "Batch %(batch)s: the quantity received of %(product)s "
                        "must be a number, zero or more.",
                        batch=line.batch_id.name,
                        product=line.product_id.display_name,
                    )
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

    # ------------------------------------------------------------------
    # CRUD: who writes what, and while the batch lets it change
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            self.browse().check_access("create")
            self._check_roles(
                {name for vals in vals_list for name, value in vals.items() if value}
            )
            self._check_owned_fields(
                {name for vals in vals_list for name, value in vals.items() if value}
            )
            batch_ids = {vals.get("batch_id") for vals in vals_list}
            batches = self.env["aftersales.return.batch"].browse(
                [bid for bid in batch_ids if isinstance(bid, int)]
            )
            batches._check_lines_editable()
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self.check_access("write")
            self._check_roles(vals.keys())
            if "batch_id" in vals and any(
                line.batch_id.id != vals["batch_id"] for line in self
            ):
                raise UserError(
                    self.env._(
                        "A line of a return batch cannot move to another batch: "
                        "remove it and add it to the other one."
                    )
                )
            self._check_owned_fields(vals.keys() - {"batch_id"})
            self._check_editable(vals.keys() - {"batch_id"})
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_if_editable(self):
        if not self.env.su:
            self.batch_id._check_lines_editable()

    def _check_roles(self, names):
        """The warehouse counts and settles; the office writes the rest."""
        names = set(names)
        if names & WAREHOUSE_FIELDS and not self.env.user.has_group(WAREHOUSE_GROUP):
            raise AccessError(
                self.env._(
                    "Only the factory warehouse counts and settles returned goods."
                )
            )
        if names - WAREHOUSE_FIELDS and not self.env.user.has_group(USER_GROUP):
            raise AccessError(
                self.env._("Only after-sales users prepare return batches.")
            )

    def _check_owned_fields(self, names):
        """Settlement documents come from the settlement; related and
        computed figures from the batch and the count."""
        owned = {
            name
            for name in names
            if name in SETTLED_FIELDS
            or (
                name in self._fields
                and self._fields[name].compute
                and self._fields[name].readonly
            )
        }
        if owned:
            raise UserError(
                self.env._(
                    "%(fields)s of a returned line are set by the batch and its "
                    "settlement, not typed.",
                    fields=", ".join(
                        sorted(
                            self._fields[name].get_description(self.env)["string"]
                            for name in owned
                        )
                    ),
                )
            )

    def _check_editable(self, names):
        """Refuse what the state of the line's batch no longer lets change."""
        names = set(names)
        for line in self:
            editable = EDITABLE_IN.get(line.batch_id.state)
            refused = names - editable if editable is not None else set()
            if refused:
                batch = line.batch_id
                raise UserError(
                    self.env._(
                        "Batch %(batch)s is %(state)s: %(fields)s of its lines "
                        "can no longer change.",
                        batch=batch.display_name,
                        state=batch._state_label(batch.state),
                        fields=", ".join(
                            sorted(
                                self._fields[name].get_description(self.env)["string"]
                                for name in refused
                                if name in self._fields
                            )
                        )
                        or ", ".join(sorted(refused)),
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
