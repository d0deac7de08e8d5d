# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .aftersales_parts_plan import EDITABLE_STATES


class AftersalesPartsPlanLine(models.Model):
    """A part to procure: what, how many, where and by when."""

    _name = "aftersales.parts.plan.line"
    _inherit = ["aftersales.line.mixin"]
    _document_field = "plan_id"
    _positive_fields = frozenset({"product_qty"})
    _description = "Spare-Parts Plan Line"
    _order = "plan_id, sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    plan_id = fields.Many2one(
        comodel_name="aftersales.parts.plan",
        required=True,
        index=True,
        ondelete="cascade",
    )
    # The plan's stored fields are precomputed: a proposal's thousands of
    # lines get them in their INSERT, not in UPDATEs after it.
    company_id = fields.Many2one(
        related="plan_id.company_id", store=True, index=True, precompute=True
    )
    state = fields.Selection(
        related="plan_id.state", store=True, string="Status", precompute=True
    )
    plan_type = fields.Selection(
        related="plan_id.plan_type", store=True, precompute=True
    )
    period_date = fields.Date(
        related="plan_id.period_date", store=True, string="Month", precompute=True
    )
    period_label = fields.Char(related="plan_id.period_label")
    warehouse_id = fields.Many2one(
        related="plan_id.warehouse_id", store=True, precompute=True
    )
    region_id = fields.Many2one(
        related="plan_id.region_id", store=True, precompute=True
    )
    product_id = fields.Many2one(
        comodel_name="product.product",
        required=True,
        index=True,
        check_company=True,
        domain="[('type', '=', 'consu')]",
    )
    product_qty = fields.Float(
        string="Quantity", required=True, default=1.0, digits="Product Unit of Measure"
    )
    product_uom_id = fields.Many2one(
        comodel_name="uom.uom",
        string="Unit",
        required=True,
        compute="_compute_product_uom_id",
        store=True,
        readonly=False,
        precompute=True,
        domain="[('category_id', '=', product_uom_category_id)]",
    )
    product_uom_category_id = fields.Many2one(related="product_id.uom_id.category_id")
    date_needed = fields.Date(
        string="Needed By",
        required=True,
        copy=False,
        compute="_compute_date_needed",
        store=True,
        readonly=False,
        precompute=True,
    )
    location_dest_id = fields.Many2one(
        comodel_name="stock.location",
        string="Destination",
        required=True,
        compute="_compute_location_dest_id",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        domain="[('usage', '=', 'internal'), " "('warehouse_id', '=', warehouse_id)]",
        help="Where in the warehouse the parts are received.",
    )
    station_id = fields.Many2one(
        comodel_name="aftersales.station",
        string="For Station",
        check_company=True,
        help="The station the office passes the parts on to.",
    )
    route_id = fields.Many2one(
        comodel_name="stock.route",
        string="Route",
        check_company=True,
        domain="[('product_selectable', '=', True)]",
        help="Force a route (buy, resupply); empty: the product's and "
        "warehouse's routes decide.",
    )
    reason = fields.Char()
    source = fields.Selection(
        selection=[("proposal", "Proposal"), ("claim", "Claim"), ("manual", "Manual")],
        required=True,
        default="manual",
    )
    claim_id = fields.Many2one(
        comodel_name="aftersales.claim",
        check_company=True,
        index="btree_not_null",
    )
    # How a proposed quantity was computed
    abc_class = fields.Selection(
        selection=[("A", "A"), ("B", "B"), ("C", "C")],
        string="Class",
        readonly=True,
    )
    avg_consumption = fields.Float(
        string="Monthly Consumption", readonly=True, digits="Product Unit of Measure"
    )
    safety_qty = fields.Float(
        string="Safety Stock", readonly=True, digits="Product Unit of Measure"
    )
    on_hand_qty = fields.Float(
        string="On Hand", readonly=True, digits="Product Unit of Measure"
    )
    incoming_qty = fields.Float(
        string="Incoming", readonly=True, digits="Product Unit of Measure"
    )
    proposal_note = fields.Char(string="Computation", readonly=True)
    # Progress
    move_ids = fields.One2many(
        comodel_name="stock.move",
        inverse_name="aftersales_plan_line_id",
        string="Stock Moves",
        readonly=True,
    )
    purchase_line_ids = fields.One2many(
        comodel_name="purchase.order.line",
        inverse_name="aftersales_plan_line_id",
        string="Purchase Lines",
        readonly=True,
    )
    received_qty = fields.Float(
        string="Received",
        compute="_compute_received_qty",
        store=True,
        digits="Product Unit of Measure",
        help="Done moves of this line into its destination, in its unit.",
    )

    _sql_constraints = [
        ("qty_positive", "CHECK(product_qty > 0)", "Plan quantities must be positive."),
    ]

    @api.depends("product_id")
    def _compute_product_uom_id(self):
        for line in self:
            if line.product_id and (
                line.product_uom_id.category_id != line.product_id.uom_id.category_id
            ):
                line.product_uom_id = line.product_id.uom_id
            elif not line.product_uom_id:
                line.product_uom_id = line.product_id.uom_id

    @api.depends("plan_id.plan_type", "plan_id.urgency", "plan_id.period_date")
    def _compute_date_needed(self):
        for line in self:
            if not line.date_needed:
                plan = line.plan_id
                line.date_needed = plan._default_needed_date(
                    plan.plan_type, plan.urgency, plan.period_date
                )

    @api.depends("plan_id.warehouse_id")
    def _compute_location_dest_id(self):
        for line in self:
            warehouse = line.plan_id.warehouse_id
            if not line.location_dest_id or line.location_dest_id.warehouse_id != (
                warehouse
            ):
                line.location_dest_id = warehouse.lot_stock_id

    @api.depends(
        "move_ids.state",
        "move_ids.quantity",
        "move_ids.location_dest_id",
        "product_uom_id",
    )
    def _compute_received_qty(self):
        for line in self:
            done = line.move_ids.filtered(
                lambda m, dest=line.location_dest_id: m.state == "done"
                and m.location_dest_id._child_of(dest)
            )
            line.received_qty = sum(
                move.product_uom._compute_quantity(move.quantity, line.product_uom_id)
                for move in done
            )

    @api.model
    def _order_field_to_sql(self, alias, field_name, direction, nulls, query):
        # The month's label sorts as the month.
        if field_name == "period_label":
            field_name = "period_date"
        return super()._order_field_to_sql(alias, field_name, direction, nulls, query)

    @api.constrains("product_qty")
    def _check_quantity(self):
        for line in self:
            if line.product_qty <= 0:
                raise ValidationError(
                    self.env._(
                        "Plan quantities must be positive (%(product)s).",
                        product=line.product_id.display_name,
                    )
                )

    def _check_needed_dates(self):
        today = fields.Date.context_today(self)
        late = self.filtered(lambda line: line.date_needed < today)
        if late:
            raise ValidationError(
                self.env._(
                    "A part cannot be needed in the past: %(products)s.",
                    products=", ".join(late.product_id.mapped("display_name")),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._check_needed_dates()
        return lines

    def write(self, vals):
        result = super().write(vals)
        if "date_needed" in vals:
            self._check_needed_dates()
        return result

    def _check_editable(self):
        self._check_editable_plans(self.plan_id)

    @api.model
    def _check_editable_plans(self, plans):
        """Lines change only while their plan is drafted or submitted."""
        for plan in plans:
            if plan.state not in EDITABLE_STATES:
                raise UserError(
                    self.env._(
                        "Plan %(plan)s is %(state)s: its lines can no longer "
                        "change; cancel it and raise a replacement.",
                        plan=plan.display_name,
                        state=plan._state_label(plan.state),
                    )
                )

    def _procurement(self, group):
        """The procurement Odoo's rules fulfil for this line."""
        self.ensure_one()
        plan = self.plan_id
        values = {
            "group_id": group,
            "warehouse_id": plan.warehouse_id,
            "company_id": plan.company_id,
            "date_planned": fields.Datetime.to_datetime(self.date_needed),
            "date_deadline": fields.Datetime.to_datetime(self.date_needed),
            "aftersales_plan_line_id": self.id,
            "route_ids": self.route_id,
        }
        return self.env["procurement.group"].Procurement(
            self.product_id,
            self.product_qty,
            self.product_uom_id,
            self.location_dest_id,
            self.product_id.display_name,
            plan.name,
            plan.company_id,
            values,
        )
