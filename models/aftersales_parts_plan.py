# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, float_compare, float_round

from ..aftersales_service import periods, planning, schedule

TRANSITIONS = {
    "draft": ("submitted", "cancel"),
    "submitted": ("approved", "draft", "cancel"),
    "approved": ("procured", "cancel"),
    "procured": ("done", "cancel"),
    "done": (),
    "cancel": ("draft",),
}
EDITABLE_STATES = ("draft", "submitted")
# Approved plans have generated purchases and transfers: only notes change.
FINAL_EDITABLE = frozenset({"note"})
# Days from today to the needed-by date of an ad-hoc plan's lines.
URGENCY_DAYS = {"normal": 14, "urgent": 3, "critical": 1}
# What a proposal gives each line, in the order of PROPOSED_LINES_SQL.
PROPOSED_COLUMNS = (
    ("product_id", "int4"),
    ("product_qty", "numeric"),
    ("product_uom_id", "int4"),
    ("date_needed", "date"),
    ("location_dest_id", "int4"),
    ("abc_class", "varchar"),
    ("avg_consumption", "numeric"),
    ("safety_qty", "numeric"),
    ("on_hand_qty", "numeric"),
    ("incoming_qty", "numeric"),
    ("proposal_note", "varchar"),
)
PROPOSED_QUANTITIES = (
    "product_qty",
    "avg_consumption",
    "safety_qty",
    "on_hand_qty",
    "incoming_qty",
)
# A proposal's lines in one statement: one array per column, unnested.
PROPOSED_LINES_SQL = """
    INSERT INTO aftersales_parts_plan_line (
        plan_id, sequence, company_id, state, plan_type, period_date,
        warehouse_id, region_id, source, received_qty,
        create_uid, write_uid, create_date, write_date,
        %(columns)s)
    SELECT %(plan)s, 10, %(company)s, %(state)s, %(type)s, %(period)s,
           %(warehouse)s, %(region)s, 'proposal', 0,
           %(uid)s, %(uid)s, %(now)s, %(now)s, %(columns)s
      FROM unnest(%(arrays)s) WITH ORDINALITY AS line(%(columns)s, position)
     ORDER BY line.position
"""


class AftersalesPartsPlan(models.Model):
    """Spare-parts monthly or ad-hoc plan (备品备件月计划 / 临时计划).

    Raised by after-sales for a warehouse (the factory's or a regional
    office's); approving it runs Odoo's procurement rules, so buy routes make
    RFQs and resupply routes make transfers (seed 000 §4.2.4).
    """

    _name = "aftersales.parts.plan"
    _description = "Spare-Parts Plan"
    _kanban_folded_states = frozenset({"cancel"})
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "aftersales.workflow.mixin",
        "aftersales.month.mixin",
    ]
    _order = "period_date desc, id desc"
    _check_company_auto = True
    _state_transitions = TRANSITIONS
    _maximum_fields = {"history_months": 120}
    _workflow_fields = frozenset(
        {
            "state",
            "approved_by_id",
            "date_approved",
            "procurement_group_id",
            "replaces_id",
            "replaced_by_id",
        }
    )
    _final_states = {
        "approved": FINAL_EDITABLE,
        "procured": FINAL_EDITABLE,
        "done": FINAL_EDITABLE,
        "cancel": FINAL_EDITABLE,
    }

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="New"
    )
    plan_type = fields.Selection(
        selection=[("monthly", "Monthly Plan"), ("adhoc", "Ad-Hoc Plan")],
        string="Type",
        required=True,
        default="monthly",
        tracking=True,
    )
    state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("procured", "Procured"),
            ("done", "Done"),
            ("cancel", "Cancelled"),
        ],
        string="Status",
        required=True,
        default="draft",
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
        # Kanban columns in workflow order, empty ones included.
        group_expand=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    region_id = fields.Many2one(
        comodel_name="aftersales.region",
        string="Regional Office",
        check_company=True,
        tracking=True,
        help="The office whose stations the parts serve, if not the factory.",
    )
    warehouse_id = fields.Many2one(
        comodel_name="stock.warehouse",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
        compute="_compute_warehouse_id",
        store=True,
        readonly=False,
        precompute=True,
        help="Where the parts are needed; its routes decide whether they are "
        "bought or transferred from another warehouse.",
    )
    period_date = fields.Date(
        string="Month",
        required=True,
        index=True,
        tracking=True,
        default=lambda self: schedule.month_of(
            periods.add_months(fields.Date.context_today(self), 1)
        ),
        help="First day of the month the plan covers.",
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Planner",
        default=lambda self: self.env.user,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    reason = fields.Text(tracking=True, help="Why an ad-hoc plan is needed.")
    urgency = fields.Selection(
        selection=[
            ("normal", "Normal"),
            ("urgent", "Urgent"),
            ("critical", "Critical"),
        ],
        default="normal",
        tracking=True,
    )
    priority = fields.Selection(
        selection=[("0", "Normal"), ("1", "Urgent")],
        compute="_compute_priority",
        store=True,
    )
    line_ids = fields.One2many(
        comodel_name="aftersales.parts.plan.line",
        inverse_name="plan_id",
        string="Lines",
        copy=True,
    )
    history_months = fields.Integer(
        string="History (months)",
        compute="_compute_history_months",
        store=True,
        readonly=False,
        precompute=True,
        help="Months of consumption the proposal averages.",
    )
    product_categ_id = fields.Many2one(
        comodel_name="product.category",
        string="Product Category",
        help="Limit the proposal to the parts of this category.",
    )
    procurement_group_id = fields.Many2one(
        comodel_name="procurement.group",
        readonly=True,
        copy=False,
    )
    approved_by_id = fields.Many2one(
        comodel_name="res.users", readonly=True, copy=False, tracking=True
    )
    date_approved = fields.Datetime(readonly=True, copy=False)
    replaces_id = fields.Many2one(
        comodel_name="aftersales.parts.plan",
        string="Replaces",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
    )
    replaced_by_id = fields.Many2one(
        comodel_name="aftersales.parts.plan",
        string="Replaced By",
        readonly=True,
        copy=False,
        check_company=True,
    )
    purchase_ids = fields.Many2many(
        comodel_name="purchase.order",
        string="Purchases",
        compute="_compute_documents",
    )
    picking_ids = fields.Many2many(
        comodel_name="stock.picking",
        string="Transfers",
        compute="_compute_documents",
    )
    purchase_count = fields.Integer(compute="_compute_documents")
    picking_count = fields.Integer(compute="_compute_documents")
    planned_qty = fields.Float(
        compute="_compute_progress", digits="Product Unit of Measure"
    )
    received_qty = fields.Float(
        compute="_compute_progress", digits="Product Unit of Measure"
    )
    progress = fields.Float(
        compute="_compute_progress",
        help="Received share of the planned quantities.",
    )
    note = fields.Html()

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("region_id", "company_id")
    def _compute_warehouse_id(self):
        # The companies' first warehouses, read once for the whole batch.
        defaults = {}
        homeless = self.filtered(
            lambda p: not (p.region_id.warehouse_id or p.warehouse_id)
        )
        if homeless:
            for warehouse in self.env["stock.warehouse"].search(
                [("company_id", "in", homeless.company_id.ids)]
            ):
                defaults.setdefault(warehouse.company_id.id, warehouse)
        for plan in self:
            plan.warehouse_id = (
                plan.region_id.warehouse_id
                or plan.warehouse_id
                or defaults.get(plan.company_id.id, self.env["stock.warehouse"])
            )

    @api.depends("company_id")
    def _compute_history_months(self):
        for plan in self:
            plan.history_months = plan.company_id.aftersales_plan_history_months

    @api.depends("plan_type", "urgency")
    def _compute_priority(self):
        for plan in self:
            plan.priority = (
                "1" if plan.plan_type == "adhoc" and plan.urgency != "normal" else "0"
            )

    @api.depends("line_ids.purchase_line_ids", "line_ids.move_ids.picking_id")
    def _compute_documents(self):
        for plan in self:
            plan.purchase_ids = plan.line_ids.purchase_line_ids.order_id
            plan.picking_ids = plan.line_ids.move_ids.picking_id
            plan.purchase_count = len(plan.purchase_ids)
            plan.picking_count = len(plan.picking_ids)

    @api.depends("line_ids.product_qty", "line_ids.received_qty")
    def _compute_progress(self):
        for plan in self:
            plan.planned_qty = sum(plan.line_ids.mapped("product_qty"))
            plan.received_qty = sum(plan.line_ids.mapped("received_qty"))
            plan.progress = (
                min(100.0, 100.0 * plan.received_qty / plan.planned_qty)
                if plan.planned_qty
                else 0.0
            )

    # ------------------------------------------------------------------
    # Constraints and CRUD
    # ------------------------------------------------------------------

    @api.constrains("plan_type", "warehouse_id", "region_id", "period_date", "state")
    def _check_one_monthly_plan(self):
        for plan in self.filtered(
            lambda p: p.plan_type == "monthly" and p.state != "cancel"
        ):
            if self.search_count(
                [
                    ("id", "!=", plan.id),
                    ("plan_type", "=", "monthly"),
                    ("warehouse_id", "=", plan.warehouse_id.id),
                    ("region_id", "=", plan.region_id.id),
                    ("period_date", "=", plan.period_date),
                    ("state", "!=", "cancel"),
                ]
            ):
                raise ValidationError(
                    self.env._(
                        "%(warehouse)s already has a monthly plan for %(month)s: "
                        "add to it, or raise an ad-hoc plan.",
                        warehouse=" · ".join(
                            name
                            for name in (
                                plan.warehouse_id.display_name,
                                plan.region_id.name,
                            )
                            if name
                        ),
                        month=plan.period_label,
                    )
                )

    @api.constrains("plan_type", "reason")
    def _check_reason(self):
        for plan in self:
            if plan.plan_type == "adhoc" and not (plan.reason or "").strip():
                raise ValidationError(
                    self.env._(
                        "Say why the ad-hoc plan %(plan)s is needed.", plan=plan.name
                    )
                )

    @api.constrains("history_months")
    def _check_history_months(self):
        if any(plan.history_months < 1 for plan in self):
            raise ValidationError(
                self.env._("The proposal needs at least one month of history.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        self.browse().check_access("create")
        for vals in vals_list:
            if "period_date" in vals:
                vals["period_date"] = self._month_from(vals["period_date"])
            if vals.get("name", "New") == "New":
                vals["name"] = (
                    self.env["ir.sequence"]
                    .with_company(vals.get("company_id") or self.env.company)
                    .next_by_code("aftersales.parts.plan")
                    or "New"
                )
        return super().create(vals_list)

    def write(self, vals):
        # Approved plans are frozen by ``_final_states`` (the workflow mixin).
        if "period_date" in vals:
            self.check_access("write")
            vals = dict(vals, period_date=self._month_from(vals["period_date"]))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(
            plan.state not in ("draft", "cancel") or plan.procurement_group_id
            for plan in self
        ):
            raise UserError(
                self.env._("Only draft plans that procured nothing can be deleted.")
            )

    @api.depends("name", "warehouse_id.name", "period_label")
    @api.depends_context("lang")
    def _compute_display_name(self):
        # The warehouse by its name: its short code means nothing to planners.
        for plan in self:
            plan.display_name = " · ".join(
                part
                for part in (plan.name, plan.warehouse_id.name, plan.period_label)
                if part
            )

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------

    def _check_planner(self):
        self._check_group(
            "aftersales_service.group_aftersales_user",
            self.env._("Only after-sales users raise and submit spare-parts plans."),
        )

    def _check_manager(self, message):
        self._check_group("aftersales_service.group_aftersales_manager", message)

    def action_submit(self):
        self._check_planner()
        for plan in self:
            if not plan.line_ids:
                raise UserError(
                    self.env._("Plan %(plan)s has no line.", plan=plan.name)
                )
            plan.line_ids._check_needed_dates()
        self._move_to("submitted")
        return True

    def action_draft(self):
        self._check_planner()
        self._move_to("draft")
        return True

    def action_approve(self):
        """The after-sales manager approves: the procurement rules run at once."""
        self._check_manager(
            self.env._("Only the after-sales manager approves spare-parts plans.")
        )
        self._move_to(
            "approved",
            approved_by_id=self.env.user.id,
            date_approved=fields.Datetime.now(),
        )
        for plan in self:
            # Purchasing and inventory act on the manager's approval: their
            # documents are created whatever the approver's own rights.
            plan.sudo()._run_procurements()
        self._move_to("procured")
        return True

    def _run_procurements(self):
        self.ensure_one()
        group = self.procurement_group_id or self.env["procurement.group"].create(
            {"name": self.name, "move_type": "direct"}
        )
        self._workflow_write({"procurement_group_id": group.id})
        procurements = [line._procurement(group) for line in self.line_ids]
        self.env["procurement.group"].run(procurements)

    def action_cancel(self):
        """Cancel the plan and what it created that has not started.

        A draft or submitted plan is the planners'; an approved one has
        purchases and transfers that only the manager may cancel. Roles and
        states are checked for every plan before anything is cancelled.
        """
        self._check_cancel_rights()
        self._lock_rows()
        self._check_transition("cancel")
        for plan in self.filtered(lambda p: p.state not in EDITABLE_STATES):
            plan._cancel_documents()
        self._move_to("cancel")
        return True

    def _check_cancel_rights(self):
        self._check_planner()
        if any(plan.state not in EDITABLE_STATES for plan in self):
            self._check_manager(
                self.env._(
                    "Only the after-sales manager cancels an approved plan and "
                    "its purchases and transfers."
                )
            )

    def _cancel_documents(self):
        self.ensure_one()
        if not self.procurement_group_id:
            return
        # Purchasing's and inventory's documents, cancelled on the manager's
        # authority (checked by action_cancel) whatever their own rights.
        purchases = self.sudo().purchase_ids
        pickings = self.sudo().picking_ids
        unstarted_purchases = purchases.filtered(lambda p: p.state in ("draft", "sent"))
        unstarted_pickings = pickings.filtered(
            lambda p: p.state not in ("done", "cancel")
            and not any(p.move_ids.mapped("picked"))
        )
        unstarted_purchases.button_cancel()
        unstarted_pickings.action_cancel()
        started = [
            record.display_name
            for record in [
                *(purchases - unstarted_purchases),
                *(pickings - unstarted_pickings),
            ]
            if record.state != "cancel"
        ]
        if started:
            self.message_post(
                body=self.env._(
                    "Cancelled the plan; these documents had started and were "
                    "kept: %(documents)s",
                    documents=", ".join(started),
                )
            )

    def action_cancel_and_replace(self):
        """An approved plan is never edited: it is replaced by a new draft."""
        self.ensure_one()
        self._check_manager(
            self.env._(
                "Only the after-sales manager cancels and replaces an approved " "plan."
            )
        )
        self.action_cancel()
        replacement = self.copy({"period_date": self.period_date})
        replacement._workflow_write({"replaces_id": self.id})
        self._workflow_write({"replaced_by_id": replacement.id})
        return replacement.get_formview_action()

    def action_done(self):
        self._check_manager(
            self.env._("Only the after-sales manager closes a spare-parts plan.")
        )
        self._move_to("done")
        return True

    def _check_received(self):
        """Close procured plans whose lines are all received."""
        for plan in self.filtered(lambda p: p.state == "procured"):
            if all(
                float_compare(
                    line.received_qty,
                    line.product_qty,
                    precision_rounding=line.product_uom_id.rounding,
                )
                >= 0
                for line in plan.line_ids
            ):
                plan._move_to("done")

    def action_view_purchases(self):
        self.ensure_one()
        return self._documents_action("purchase.purchase_rfq", self.purchase_ids)

    def action_view_pickings(self):
        self.ensure_one()
        return self._documents_action("stock.action_picking_tree_all", self.picking_ids)

    def _documents_action(self, xmlid, records):
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [("id", "in", records.ids)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------------
    # Proposal
    # ------------------------------------------------------------------

    def action_propose(self):
        """Replace the proposed lines by what consumption and stock call for,
        and say what was done: lines proposed, or why none."""
        self.ensure_one()
        self._check_planner()
        if self.state != "draft" or self.plan_type != "monthly":
            raise UserError(
                self.env._("Only a draft monthly plan is proposed from history.")
            )
        proposals = self._compute_proposal()
        to_order = [values for values in proposals if values["product_qty"] > 0]
        replaced = self.line_ids.filtered(lambda line: line.source == "proposal")
        replaced_count = len(replaced)
        replaced.unlink()
        self._insert_proposed_lines(to_order)
        message = self._proposal_message(len(proposals), len(to_order), replaced_count)
        # A note when the lines changed; a proposal that changed nothing
        # leaves the chatter alone (the notification says why).
        if to_order or replaced_count:
            self.message_post(body=message, subtype_xmlid="mail.mt_note")
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Propose from History"),
                "message": message,
                "type": "success" if to_order else "warning",
                # The form reloads to show the lines.
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _insert_proposed_lines(self, values_list):
        """Write the proposed lines in one INSERT.

        A proposal gives every value of its lines (the plan's, the product's
        unit, the dates and the computation): through ``create``, Odoo's
        per-record work (defaults, precomputes, company checks) took seconds
        for 20,000 parts. The rights are checked as ``create`` checks them,
        the quantities rounded to their digits as the ORM stores them, and
        the line's constraints hold by construction (positive quantities,
        needed from the plan's month on, the plan's own warehouse).
        """
        self.ensure_one()
        if not values_list:
            return
        Line = self.env["aftersales.parts.plan.line"]
        Line.check_access("create")
        self.check_access("write")
        digits = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        for values in values_list:
            for name in PROPOSED_QUANTITIES:
                values[name] = float_round(values[name], precision_digits=digits)
        Line._check_input(values_list)
        self.flush_recordset()
        self.env.cr.execute(
            SQL(
                PROPOSED_LINES_SQL,
                columns=SQL(", ").join(
                    SQL.identifier(name) for name, __ in PROPOSED_COLUMNS
                ),
                plan=self.id,
                company=self.company_id.id,
                state=self.state,
                type=self.plan_type,
                period=self.period_date,
                warehouse=self.warehouse_id.id or None,
                region=self.region_id.id or None,
                uid=self.env.uid,
                now=self.env.cr.now(),
                arrays=SQL(", ").join(
                    SQL(
                        "%s::%s[]",
                        [values.get(name) for values in values_list],
                        SQL(kind),
                    )
                    for name, kind in PROPOSED_COLUMNS
                ),
            )
        )
        # The plan's totals follow its lines.
        self.invalidate_recordset(["line_ids"])
        self.modified(["line_ids"])

    def _proposal_message(self, consumed, proposed, replaced):
        """What the proposal did, in words: over which months and where."""
        self.ensure_one()
        start, end = self._history_window()
        locale = self._locale()
        where = {
            "warehouse": self.warehouse_id.name,
            "start": schedule.month_label(start, locale),
            "end": schedule.month_label(periods.add_months(end, -1), locale),
        }
        if not consumed:
            message = self.env._(
                "No spare part was consumed at %(warehouse)s from %(start)s to "
                "%(end)s (deliveries and scraps from its stock, parts of approved "
                "claims): nothing to propose.",
                **where,
            )
            if self.product_categ_id:
                message += " " + self.env._(
                    "Only the parts of %(category)s were looked at.",
                    category=self.product_categ_id.display_name,
                )
        elif not proposed:
            message = self.env._(
                "Parts consumed at %(warehouse)s from %(start)s to %(end)s: "
                "%(count)s, all covered by the stock on hand and incoming: nothing "
                "to order.",
                count=consumed,
                **where,
            )
        else:
            message = self.env._(
                "Lines proposed: %(count)s, from the consumption at %(warehouse)s "
                "from %(start)s to %(end)s.",
                count=proposed,
                **where,
            )
            if consumed > proposed:
                message += " " + self.env._(
                    "Parts consumed and covered by the stock on hand and incoming: "
                    "%(count)s.",
                    count=consumed - proposed,
                )
        if replaced:
            message += " " + self.env._(
                "Lines proposed before, replaced: %(count)s.", count=replaced
            )
        return message

    def _history_window(self):
        end = self.period_date
        start = schedule.month_of(periods.add_months(end, -self.history_months))
        return start, end

    def _compute_proposal(self):
        """Proposed line values, in a constant number of queries.

        Consumption per product and month comes from one aggregate query
        (parts of the approved claims of the regions the warehouse serves,
        done moves of spare parts out of the warehouse to customers,
        production or scrap);
        on-hand and incoming quantities from two more; product costs and
        units from one.
        """
        self.ensure_one()
        start, end = self._history_window()
        consumption = self._consumption(start, end)
        if not consumption:
            return []
        facts = self._product_facts(list(consumption))
        on_hand, incoming = self._stock_positions(list(consumption))
        months = [
            schedule.month_of(periods.add_months(start, index))
            for index in range(self.history_months)
        ]
        values = {
            product_id: sum(history.values()) * facts[product_id]["cost"]
            for product_id, history in consumption.items()
        }
        company = self.company_id
        classes = planning.abc_classes(
            values,
            company.aftersales_abc_a_share / 100.0,
            company.aftersales_abc_b_share / 100.0,
        )
        safety_months = {
            "A": company.aftersales_safety_months_a,
            "B": company.aftersales_safety_months_b,
            "C": company.aftersales_safety_months_c,
        }
        location = self.warehouse_id.lot_stock_id
        needed = max(self.period_date, fields.Date.context_today(self))
        lines = []
        for product_id in sorted(consumption, key=lambda p: (classes[p], -values[p])):
            history = consumption[product_id]
            klass = classes[product_id]
            proposal = planning.propose(
                [history.get(month, 0.0) for month in months],
                on_hand=on_hand.get(product_id, 0.0),
                incoming=incoming.get(product_id, 0.0),
                safety_months=safety_months[klass],
                rounding=facts[product_id]["rounding"],
                klass=klass,
            )
            lines.append(
                {
                    "product_id": product_id,
                    "product_qty": proposal.quantity,
                    "product_uom_id": facts[product_id]["uom_id"],
                    "date_needed": needed,
                    "location_dest_id": location.id,
                    "source": "proposal",
                    "abc_class": klass,
                    "avg_consumption": proposal.average,
                    "safety_qty": proposal.safety,
                    "on_hand_qty": on_hand.get(product_id, 0.0),
                    "incoming_qty": incoming.get(product_id, 0.0),
                    "proposal_note": proposal.explanation,
                }
            )
        return lines

    def _product_facts(self, product_ids):
        """Cost, unit and ordering step of each product, in one query.

        Read in SQL rather than through the ORM, whose prefetching reads
        thousands of products a batch at a time.
        """
        units = self.env.ref("uom.product_uom_categ_unit")
        self.env.cr.execute(
            SQL(
                """
                SELECT p.id,
                       COALESCE((p.standard_price ->> %(company)s)::numeric, 0),
                       u.id, u.rounding, u.category_id
                  FROM product_product p
                  JOIN product_template t ON t.id = p.product_tmpl_id
                  JOIN uom_uom u ON u.id = t.uom_id
                 WHERE p.id IN %(products)s
                """,
                company=str(self.company_id.id),
                products=tuple(product_ids),
            )
        )
        return {
            product_id: {
                "cost": float(cost),
                "uom_id": uom_id,
                # Parts counted in units are ordered whole.
                "rounding": 1.0 if category_id == units.id else rounding,
            }
            for product_id, cost, uom_id, rounding, category_id in (
                self.env.cr.fetchall()
            )
        }

    def _consumption(self, start, end):
        """{product_id: {month: quantity}} over [start, end), in product units."""
        stock_locations = (
            self.env["stock.location"]
            .sudo()
            .search(
                [
                    ("id", "child_of", self.warehouse_id.view_location_id.id),
                    ("usage", "=", "internal"),
                ]
            )
        )
        # Claims count for the warehouse their station's region is served by.
        regions = self.region_id or self.env["aftersales.region"].sudo().search(
            [("warehouse_id", "=", self.warehouse_id.id)]
        )
        category = self.product_categ_id
        category_filter = (
            SQL(
                "AND p.product_tmpl_id IN (SELECT t.id FROM product_template t "
                "JOIN product_category c ON c.id = t.categ_id "
                "WHERE c.parent_path LIKE %s)",
                f"{category.parent_path}%",
            )
            if category
            else SQL()
        )
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT m.product_id, date_trunc('month', m.date)::date,
                       SUM(m.product_qty)
                  FROM stock_move m
                  JOIN stock_location dest ON dest.id = m.location_dest_id
                  JOIN product_product p ON p.id = m.product_id
                  JOIN product_template t ON t.id = p.product_tmpl_id
                 WHERE m.state = 'done'
                   AND t.aftersales_spare_part
                   AND m.company_id = %(company)s
                   AND m.location_id IN %(locations)s
                   AND dest.usage IN ('customer', 'production', 'inventory')
                   AND m.date >= %(start)s AND m.date < %(end)s
                   %(category)s
              GROUP BY 1, 2
                UNION ALL
                SELECT l.product_id, date_trunc('month', c.date)::date,
                       SUM(l.quantity)
                  FROM aftersales_claim_line l
                  JOIN aftersales_claim c ON c.id = l.claim_id
                  JOIN product_product p ON p.id = l.product_id
                 WHERE l.line_type = 'part'
                   AND c.state IN ('approved', 'done')
                   AND c.company_id = %(company)s
                   AND c.region_id IN %(regions)s
                   AND c.date >= %(start)s AND c.date < %(end)s
                   %(category)s
              GROUP BY 1, 2
                """,
                company=self.company_id.id,
                locations=tuple(stock_locations.ids) or (0,),
                regions=tuple(regions.ids) or (0,),
                start=start,
                end=end,
                category=category_filter,
            )
        )
        consumption = defaultdict(lambda: defaultdict(float))
        for product_id, month, quantity in self.env.cr.fetchall():
            consumption[product_id][month] += quantity
        return consumption

    def _stock_positions(self, product_ids):
        """On-hand and incoming quantities of the products in the warehouse."""
        warehouse = self.warehouse_id
        # Planners need the quantities, not stock rights.
        on_hand = dict(
            (product.id, quantity)
            for product, quantity in self.env["stock.quant"]
            .sudo()
            ._read_group(
                [
                    ("product_id", "in", product_ids),
                    ("location_id", "child_of", warehouse.view_location_id.id),
                    ("location_id.usage", "=", "internal"),
                ],
                ["product_id"],
                ["quantity:sum"],
            )
        )
        incoming = dict(
            (product.id, quantity)
            for product, quantity in self.env["stock.move"]
            .sudo()
            ._read_group(
                [
                    ("product_id", "in", product_ids),
                    ("state", "not in", ("draft", "done", "cancel")),
                    ("location_dest_id", "child_of", warehouse.view_location_id.id),
                    ("location_id.usage", "!=", "internal"),
                ],
                ["product_id"],
                ["product_qty:sum"],
            )
        )
        return on_hand, incoming

    # ------------------------------------------------------------------
    # Defaults
    # ------------------------------------------------------------------

    @api.model
    def _default_needed_date(self, plan_type, urgency, period_date):
        today = fields.Date.context_today(self)
        if plan_type == "adhoc":
            return today + timedelta(days=URGENCY_DAYS.get(urgency or "normal", 14))
        return max(period_date or today, today)
