# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_date

from ..aftersales_service import schedule
from .aftersales_bulk_chatter import (
    log_notes,
    schedule_activities,
    send_digests,
    track_values,
)
from .aftersales_workflow_mixin import ALWAYS_WRITABLE

USER_GROUP = "aftersales_service.group_aftersales_user"
MANAGER_GROUP = "aftersales_service.group_aftersales_manager"
# The factory warehouse (物流部): receives, counts and settles.
WAREHOUSE_GROUP = "stock.group_stock_user"

TRANSITIONS = {
    "draft": ("submitted", "cancel"),
    "submitted": ("approved", "draft", "cancel"),
    "approved": ("shipped", "cancel"),
    "shipped": ("received",),
    "received": ("settled",),
    "settled": (),
    "cancel": ("draft",),
}
OPEN_STATES = ("draft", "submitted", "approved")
# The factory's count is a figure once the batch is received: before, nothing
# was received (a shipped batch's count is still being typed); cancelled
# batches received nothing.
COUNTED_STATES = ("received", "settled")
# The application's identity: which office returns, for which month. The
# office fills it in while drafting; once signed off it no longer changes
# (only the schedule's postponement moves the month, as a transition).
FROZEN_AFTER_DRAFT = frozenset({"name", "company_id", "region_id", "period_date"})
# What the warehouse may write on a batch: its lines (count, settlement; the
# lines check which) and the notes. Every other field is the office's.
WAREHOUSE_FIELDS = frozenset({"line_ids", "note"})


class AftersalesReturnBatch(models.Model):
    """A monthly return of defective goods to the factory (不良品返厂申请表)."""

    _name = "aftersales.return.batch"
    _description = "Defective Return Batch"
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
    # Written only by the transitions and the return schedule's job.
    _workflow_fields = frozenset(
        {
            "state",
            "submitted_by_id",
            "approved_by_id",
            "special_approval",
            "special_reason",
            "special_note",
            "special_approved_by_id",
            "date_shipped",
            "date_received",
            "picking_id",
            "settlement_overdue",
            "postponed_count",
            "reminder_sent",
        }
    )
    # Shipped and received batches keep their lines open to the factory's
    # count (shipped) and settlement choices (received), which the lines
    # check field by field; settled and cancelled batches change no more.
    _final_states = {
        "shipped": frozenset({"note", "line_ids"}),
        "received": frozenset({"note", "line_ids"}),
        "settled": frozenset(),
        "cancel": frozenset({"note"}),
    }

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="New"
    )
    state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("shipped", "Shipped"),
            ("received", "Received"),
            ("settled", "Settled"),
            ("cancel", "Cancelled"),
        ],
        string="Status",
        required=True,
        copy=False,
        default="draft",
        readonly=True,
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
        required=True,
        index=True,
        check_company=True,
        tracking=True,
    )
    office_partner_id = fields.Many2one(
        related="region_id.office_partner_id", store=True, string="Regional Office"
    )
    office_location_id = fields.Many2one(
        related="region_id.office_location_id", string="Office Location"
    )
    period_date = fields.Date(
        string="Month",
        required=True,
        index=True,
        tracking=True,
        default=lambda self: schedule.month_of(fields.Date.context_today(self)),
        help="First day of the month whose return window the batch uses.",
    )
    window_start = fields.Date(compute="_compute_window", store=True, index=True)
    window_end = fields.Date(compute="_compute_window", store=True)
    special_approval = fields.Boolean(
        readonly=True,
        copy=False,
        tracking=True,
        help="Approved by the after-sales manager to leave outside its window or "
        "as a second batch of the month.",
    )
    special_reason = fields.Selection(
        selection=[
            ("batch_quality", "Batch Quality Problem"),
            ("other", "Other Exception"),
        ],
        readonly=True,
        copy=False,
        tracking=True,
    )
    special_note = fields.Text(readonly=True, copy=False)
    special_approved_by_id = fields.Many2one(
        comodel_name="res.users", readonly=True, copy=False
    )
    submitted_by_id = fields.Many2one(
        comodel_name="res.users",
        string="Signed Off By",
        readonly=True,
        copy=False,
        help="The office manager who signed the application.",
    )
    approved_by_id = fields.Many2one(
        comodel_name="res.users",
        string="Approved By",
        readonly=True,
        copy=False,
        help="Customer service, who accepts the goods at the factory.",
    )
    date_shipped = fields.Date(readonly=True, copy=False, tracking=True)
    date_received = fields.Date(readonly=True, copy=False, tracking=True)
    count_deadline = fields.Date(
        compute="_compute_deadlines",
        store=True,
        help="The factory checks count and condition by then (the next day).",
    )
    settlement_deadline = fields.Date(compute="_compute_deadlines", store=True)
    settlement_overdue = fields.Boolean(readonly=True, copy=False, tracking=True)
    postponed_count = fields.Integer(readonly=True, copy=False)
    reminder_sent = fields.Boolean(readonly=True, copy=False)
    picking_id = fields.Many2one(
        comodel_name="stock.picking",
        string="Return Transfer",
        readonly=True,
        copy=False,
        check_company=True,
    )
    line_ids = fields.One2many(
        comodel_name="aftersales.return.batch.line",
        inverse_name="batch_id",
        string="Lines",
        copy=True,
    )
    total_quantity = fields.Float(
        string="Announced",
        compute="_compute_totals",
        store=True,
        digits="Product Unit of Measure",
    )
    total_received = fields.Float(
        string="Received",
        compute="_compute_totals",
        store=True,
        digits="Product Unit of Measure",
        help="What the factory counted, once the batch is received; zero before "
        "and for a cancelled batch.",
    )
    total_difference = fields.Float(
        string="Difference",
        compute="_compute_totals",
        store=True,
        digits="Product Unit of Measure",
    )
    reason_summary = fields.Html(compute="_compute_reason_summary")
    note = fields.Html()

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends(
        "period_date", "region_id.return_week", "company_id.aftersales_week_rule"
    )
    def _compute_window(self):
        for batch in self:
            week = batch.region_id.return_week
            if not (week and batch.period_date):
                batch.window_start = batch.window_end = False
                continue
            found = schedule.window(
                batch.period_date, week, batch.company_id.aftersales_week_rule
            )
            batch.window_start, batch.window_end = found.start, found.end

    @api.depends("date_received", "company_id.aftersales_settlement_days")
    def _compute_deadlines(self):
        for batch in self:
            if not batch.date_received:
                batch.count_deadline = batch.settlement_deadline = False
                continue
            batch.count_deadline = schedule.deadline(batch.date_received, 1)
            batch.settlement_deadline = schedule.deadline(
                batch.date_received, batch.company_id.aftersales_settlement_days
            )

    @api.depends(
        "state", "line_ids.quantity", "line_ids.received_qty", "line_ids.difference"
    )
    def _compute_totals(self):
        for batch in self:
            counted = batch.state in COUNTED_STATES
            batch.total_quantity = sum(batch.line_ids.mapped("quantity"))
            batch.total_received = (
                sum(batch.line_ids.mapped("received_qty")) if counted else 0.0
            )
            batch.total_difference = sum(batch.line_ids.mapped("difference"))

    @api.depends("line_ids.reason", "line_ids.quantity")
    def _compute_reason_summary(self):
        labels = dict(
            self.env["aftersales.return.batch.line"]
            ._fields["reason"]
            ._description_selection(self.env)
        )
        for batch in self:
            totals = {}
            for line in batch.line_ids:
                totals[line.reason] = totals.get(line.reason, 0.0) + line.quantity
            batch.reason_summary = Markup("").join(
                Markup("<div><strong>%s</strong>: %s</div>")
                % (labels.get(reason, reason), quantity)
                for reason, quantity in sorted(totals.items(), key=lambda i: -i[1])
            )

    # ------------------------------------------------------------------
    # Constraints and CRUD
    # ------------------------------------------------------------------

    @api.constrains("region_id")
    def _check_region_scheduled(self):
        for batch in self:
            if not batch.region_id.return_week:
                raise ValidationError(
                    self.env._(
                        "Region %(region)s has no return week: set it before its "
                        "office returns goods (Configuration › Regions to "
                        "Configure).",
                        region=batch.region_id.name,
                    )
                )

    @api.constrains("period_date")
    def _check_period(self):
        for batch in self:
            if batch.period_date.day != 1:
                raise ValidationError(
                    self.env._("The month of a batch is its first day.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        if not self._creating_in_transition():
            self.browse().check_access("create")
            self._check_office_role({name for vals in vals_list for name in vals})
            self._check_not_computed(
                {name for vals in vals_list for name, value in vals.items() if value}
            )
        for vals in vals_list:
            if "period_date" in vals:
                vals["period_date"] = self._month_from(vals["period_date"])
            if vals.get("name", "New") == "New":
                vals["name"] = (
                    self.env["ir.sequence"]
                    .sudo()
                    .next_by_code("aftersales.return.batch")
                    or "New"
                )
        return super().create(vals_list)

    def write(self, vals):
        if not self._in_transition():
            # Who may, then what may: a role refused hears it first.
            self.check_access("write")
            self._check_office_role(vals.keys())
            self._check_not_computed(vals.keys())
            self._check_frozen(vals.keys())
        if "period_date" in vals:
            vals = dict(vals, period_date=self._month_from(vals["period_date"]))
        return super().write(vals)

    def _check_office_role(self, names):
        """The warehouse writes lines and notes; the rest is the office's."""
        if set(names) - WAREHOUSE_FIELDS - ALWAYS_WRITABLE:
            self._check_group(
                USER_GROUP,
                self.env._("Only after-sales users prepare return batches."),
            )

    def _check_not_computed(self, names):
        """Windows, deadlines, totals and the office follow from the batch:
        typed, they would move the window or the office that sees it."""
        computed = {
            name
            for name in names
            if name in self._fields
            and self._fields[name].compute
            and self._fields[name].readonly
        }
        if computed:
            raise UserError(
                self.env._(
                    "%(fields)s of a return batch are computed, not typed.",
                    fields=self._field_labels(computed),
                )
            )

    def _check_frozen(self, names):
        frozen = set(names) & FROZEN_AFTER_DRAFT
        if not frozen:
            return
        for batch in self.filtered(lambda b: b.state != "draft"):
            raise UserError(
                self.env._(
                    "%(batch)s is %(state)s: %(fields)s can no longer change; "
                    "return it to draft to correct them.",
                    batch=batch.display_name,
                    state=batch._state_label(batch.state),
                    fields=self._field_labels(frozen),
                )
            )

    def _check_lines_editable(self):
        """Lines are added and removed while the office drafts the batch."""
        for batch in self:
            if batch.state not in ("draft", "submitted"):
                raise UserError(
                    self.env._(
                        "Batch %(batch)s is %(state)s: lines can no longer be "
                        "added or removed.",
                        batch=batch.display_name,
                        state=batch._state_label(batch.state),
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(batch.state not in ("draft", "cancel") for batch in self):
            raise UserError(
                self.env._("Only draft or cancelled batches can be deleted.")
            )

    @api.depends("name", "region_id", "period_label")
    def _compute_display_name(self):
        for batch in self:
            batch.display_name = " · ".join(
                part
                for part in (batch.name, batch.region_id.name, batch.period_label)
                if part
            )

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------

    def action_submit(self):
        """The office manager signs the application off."""
        self._check_group(
            USER_GROUP, self.env._("Only after-sales users sign return batches off.")
        )
        self._lock_rows()
        self._check_transition("submitted")
        today = fields.Date.context_today(self)
        for batch in self:
            if not batch.line_ids:
                raise UserError(
                    self.env._("Batch %(batch)s has no line.", batch=batch.name)
                )
            batch._check_schedule(today)
        self._move_to("submitted", submitted_by_id=self.env.user.id)
        return True

    def action_approve(self):
        """Customer service accepts the application."""
        self._check_group(
            MANAGER_GROUP,
            self.env._("Only after-sales managers approve return batches."),
        )
        self._move_to("approved", approved_by_id=self.env.user.id)
        return True

    def action_ship(self):
        """The office ships: the transfer to the factory's returns location."""
        self._check_group(
            USER_GROUP, self.env._("Only after-sales users ship return batches.")
        )
        self._lock_rows()
        self._check_transition("shipped")
        today = fields.Date.context_today(self)
        for batch in self:
            batch._check_schedule(today, shipping=True)
        for batch in self:
            # Offices ship without stock rights: the batch's approval is the
            # authority for the transfer it creates.
            picking = batch.sudo()._create_return_picking()
            batch._move_to("shipped", picking_id=picking.id, date_shipped=today)
        return True

    def action_receive(self):
        """The factory's count prevails; the difference is kept per line."""
        self._check_group(
            WAREHOUSE_GROUP,
            self.env._("Only the factory warehouse receives return batches."),
        )
        # Locked before reading the state: a second receipt waits for the
        # first and is then told the batch was received.
        self._lock_rows()
        for batch in self:
            if batch.state in ("received", "settled"):
                raise UserError(
                    self.env._(
                        "Batch %(batch)s was already received.", batch=batch.name
                    )
                )
            if batch.state != "shipped":
                raise UserError(
                    self.env._(
                        "Batch %(batch)s was not shipped: nothing unapproved is "
                        "received at the factory.",
                        batch=batch.name,
                    )
                )
        for batch in self:
            batch.sudo()._validate_return_picking()
        self._move_to("received", date_received=fields.Date.context_today(self))
        for batch in self.filtered(lambda b: b.total_difference):
            batch._report_difference()
        return True

    def action_settle(self):
        """Each line is processed: exchange, credit, repair, scrap or rejected."""
        self._check_group(
            WAREHOUSE_GROUP,
            self.env._("Only the factory warehouse settles return batches."),
        )
        # Locked before reading the state: a second settlement waits for the
        # first and is then told the batch was settled, having created nothing.
        self._lock_rows()
        for batch in self:
            if batch.state == "settled":
                raise UserError(
                    self.env._("Batch %(batch)s was already settled.", batch=batch.name)
                )
            if batch.state != "received":
                raise UserError(
                    self.env._(
                        "Batch %(batch)s must be received before it is settled.",
                        batch=batch.name,
                    )
                )
        for batch in self:
            # Exchanges, credit notes and scraps are created for the clerk,
            # who needs neither sales nor accounting rights to settle: the
            # role was checked above.
            batch.line_ids.filtered(lambda line: not line.settled).sudo()._settle()
        self._move_to("settled", settlement_overdue=False)
        return True

    def action_cancel(self):
        """Before shipping only; an approved batch is the manager's to cancel."""
        self._check_group(
            USER_GROUP, self.env._("Only after-sales users cancel return batches.")
        )
        self._lock_rows()
        if "approved" in self.mapped("state"):
            self._check_group(
                MANAGER_GROUP,
                self.env._(
                    "Only after-sales managers cancel an approved return batch."
                ),
            )
        self._move_to("cancel")
        return True

    def action_draft(self):
        """Back to the office; its sign-off and approval are to be given again."""
        self._check_group(
            USER_GROUP,
            self.env._("Only after-sales users return batches to draft."),
        )
        self._move_to("draft", submitted_by_id=False, approved_by_id=False)
        return True

    def action_open_special_approval(self):
        self._check_group(
            MANAGER_GROUP,
            self.env._("Only after-sales managers grant special approvals."),
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Special Approval"),
            "res_model": "aftersales.return.batch.exception",
            "view_mode": "form",
            "target": "new",
            "context": {"default_batch_ids": self.ids},
        }

    def action_view_picking(self):
        self.ensure_one()
        return self.picking_id.get_formview_action()

    def _approve_exception(self, reason, note):
        """A special approval (art. 7): outside the window or a second batch."""
        self._check_group(
            MANAGER_GROUP,
            self.env._(
                "Only after-sales managers approve a return batch outside its "
                "schedule."
            ),
        )
        reasons = dict(self._fields["special_reason"]._description_selection(self.env))
        if not isinstance(reason, str) or reason not in reasons:
            raise ValidationError(
                self.env._(
                    "Choose the reason of the special approval: %(reasons)s.",
                    reasons=", ".join(reasons.values()),
                )
            )
        note = note.strip() if isinstance(note, str) else ""
        if not note:
            raise UserError(self.env._("Explain why the batch needs an exception."))
        self._lock_rows()
        for batch in self:
            if batch.state not in OPEN_STATES:
                raise UserError(
                    self.env._(
                        "%(batch)s is %(state)s: a special approval is given "
                        "before shipping.",
                        batch=batch.display_name,
                        state=batch._state_label(batch.state),
                    )
                )
        self._workflow_write(
            {
                "special_approval": True,
                "special_reason": reason,
                "special_note": note,
                "special_approved_by_id": self.env.user.id,
            }
        )
        for batch in self:
            batch.message_post(
                body=self.env._("Special approval: %(note)s", note=note),
                subtype_xmlid="mail.mt_note",
            )

    # ------------------------------------------------------------------
    # Rules
    # ------------------------------------------------------------------

    def _check_schedule(self, day, shipping=False):
        """Once a month per office, in its window; else a special approval."""
        self.ensure_one()
        if self.special_approval:
            return
        same_month = self.search_count(
            [
                ("id", "!=", self.id),
                ("region_id", "=", self.region_id.id),
                ("period_date", "=", self.period_date),
                ("state", "not in", ("draft", "cancel")),
            ]
        )
        if same_month:
            raise UserError(
                self.env._(
                    "The office of %(region)s already returns a batch in "
                    "%(month)s: a second one needs a special approval.",
                    region=self.region_id.name,
                    month=self.period_label,
                )
            )
        if shipping and day not in schedule.Window(self.window_start, self.window_end):
            raise UserError(
                self.env._(
                    "Batch %(batch)s ships from %(start)s to %(end)s; outside "
                    "this window it needs a special approval.",
                    batch=self.name,
                    start=format_date(self.env, self.window_start),
                    end=format_date(self.env, self.window_end),
                )
            )

    # ------------------------------------------------------------------
    # Stock
    # ------------------------------------------------------------------

    def _returns_location(self):
        location = self.company_id.aftersales_returns_location_id
        if not location:
            raise UserError(
                self.env._(
                    "Set the factory's returns location in the After-Sales settings."
                )
            )
        return location

    def _internal_picking_type(self):
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company_id.id)], limit=1
        )
        return warehouse.int_type_id

    def _create_return_picking(self):
        self.ensure_one()
        source = self.region_id.office_location_id
        if not source:
            raise UserError(
                self.env._(
                    "Region %(region)s has no office location to ship from.",
                    region=self.region_id.name,
                )
            )
        destination = self._returns_location()
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self._internal_picking_type().id,
                "location_id": source.id,
                "location_dest_id": destination.id,
                "partner_id": self.office_partner_id.id,
                "origin": self.name,
                "company_id": self.company_id.id,
                "move_ids": [
                    Command.create(line._prepare_move(source, destination))
                    for line in self.line_ids
                ],
            }
        )
        picking.action_confirm()
        return picking

    def _validate_return_picking(self):
        """Done with the quantities the factory counted, not those announced."""
        self.ensure_one()
        picking = self.picking_id
        for line in self.line_ids:
            move = picking.move_ids.filtered(
                lambda m, line=line: m.return_line_id == line
            )
            move.move_line_ids.unlink()
            if line.received_qty:
                move.move_line_ids = [
                    Command.create(
                        {
                            "product_id": line.product_id.id,
                            "lot_id": line.lot_id.id,
                            "quantity": line.received_qty,
                            "product_uom_id": line.product_uom_id.id,
                            "location_id": picking.location_id.id,
                            "location_dest_id": picking.location_dest_id.id,
                            "picking_id": picking.id,
                        }
                    )
                ]
            move.picked = True
        picking.with_context(cancel_backorder=True)._action_done()

    def _report_difference(self):
        """Tell the office what the factory counted differently."""
        self.ensure_one()
        rows = Markup("").join(
            Markup("<li>%s: %s → %s</li>")
            % (line.product_id.display_name, line.quantity, line.received_qty)
            for line in self.line_ids.filtered("difference")
        )
        self.message_post(
            body=Markup("<p>%s</p><ul>%s</ul>")
            % (
                self.env._("The factory's count differs from the application:"),
                rows,
            ),
            partner_ids=self.office_partner_id.ids,
            subtype_xmlid="mail.mt_comment",
        )

    # ------------------------------------------------------------------
    # Scheduled enforcement
    # ------------------------------------------------------------------

    @api.model
    def _cron_return_schedule(self, batch_size=100):
        """Open windows, postpone, remind and flag, up to ``batch_size`` records
        of each per call, in a constant number of queries: the runner calls
        again while ``_notify_progress`` reports more, committing between.

        Each batch is locked (SKIP LOCKED) before it is touched, so two cron
        workers never postpone or remind the same batch twice; what the first
        worker holds, the second leaves for a later run.
        """
        today = fields.Date.context_today(self)
        done, unopened = self._open_next_windows(today, batch_size)
        done += self._postpone_missed_windows(today, batch_size)
        # Each assignee hears of the round's reminders and flags in one digest.
        digests = []
        done += self._remind_offices(today, batch_size, digests)
        done += self._flag_late_settlements(today, batch_size, digests)
        send_digests(self, digests)
        remaining = unopened + sum(
            self.search_count(domain)
            for domain in (
                self._postpone_domain(today),
                self._remind_domain(today),
                self._flag_domain(today),
            )
        )
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done

    def _open_next_windows(self, today, limit=None):
        """A draft batch for each scheduled office whose window opens today,
        ``limit`` at most; returns how many were opened and how many are left.
        """
        regions = self.env["aftersales.region"].search_fetch(
            [("return_week", "!=", False), ("office_partner_id", "!=", False)],
            ["return_week", "company_id"],
        )
        due = {}
        for region in regions:
            period, found = schedule.window_for(
                today, region.return_week, region.company_id.aftersales_week_rule
            )
            if found.start == today:
                due[region] = period
        if not due:
            return 0, 0
        existing = self.search_fetch(
            [
                ("region_id", "in", [region.id for region in due]),
                ("period_date", "in", list(set(due.values()))),
            ],
            ["region_id", "period_date"],
        )
        opened = {(batch.region_id, batch.period_date) for batch in existing}
        to_open = [
            region for region, period in due.items() if (region, period) not in opened
        ]
        if not to_open:
            return 0, 0
        # Regions another worker is opening now are left to it.
        self.env.cr.execute(
            SQL(
                "SELECT id FROM aftersales_region WHERE id IN %s "
                "FOR NO KEY UPDATE SKIP LOCKED",
                tuple(region.id for region in to_open[:limit]),
            )
        )
        locked = {row[0] for row in self.env.cr.fetchall()}
        vals_list = [
            {
                "region_id": region.id,
                "company_id": region.company_id.id,
                "period_date": due[region],
            }
            for region in to_open[:limit]
            if region.id in locked
        ]
        if vals_list:
            names = self._next_names(len(vals_list))
            for vals, name in zip(vals_list, names, strict=True):
                vals["name"] = name
            self.create(vals_list)
        return len(vals_list), len(to_open) - len(vals_list)

    @api.model
    def _next_names(self, count):
        """``count`` numbers of the batches' sequence, drawn at once."""
        sequence = self.env["ir.sequence"].search(
            [
                ("code", "=", "aftersales.return.batch"),
                ("company_id", "in", [self.env.company.id, False]),
            ],
            order="company_id",
            limit=1,
        )
        if not sequence:
            return ["New"] * count
        return sequence._next_many(count)

    def _remind_domain(self, today):
        return [
            ("state", "in", OPEN_STATES),
            ("reminder_sent", "=", False),
            ("window_start", "<=", today),
            ("window_end", ">=", today),
        ]

    def _remind_offices(self, today, limit, digests=None):
        batches = self._lock_batch(self._remind_domain(today), limit)
        schedule_activities(
            self,
            [
                (
                    batch,
                    batch.region_id.manager_id or batch.create_uid,
                    self.env._(
                        "Return window open until %(end)s",
                        end=format_date(self.env, batch.window_end),
                    ),
                    batch.window_end,
                )
                for batch in batches
            ],
            digests=digests,
        )
        batches._workflow_write({"reminder_sent": True})
        return len(batches)

    def _postpone_domain(self, today):
        return [
            ("state", "in", OPEN_STATES),
            ("special_approval", "=", False),
            ("window_end", "<", today),
        ]

    def _postpone_missed_windows(self, today, limit):
        batches = self._lock_batch(self._postpone_domain(today), limit)
        if not batches:
            return 0
        locale = self._locale()
        old = {batch.id: batch.period_date for batch in batches}
        new = {
            batch.id: schedule.window_for(
                today,
                batch.region_id.return_week,
                batch.company_id.aftersales_week_rule,
            )[0]
            for batch in batches
        }
        # The schedule's own move: the month of a signed-off batch changes
        # only here. One write per new month and count, a handful a round;
        # the month's tracking goes with the note below, inserted at once.
        groups = batches.grouped(lambda b: (new[b.id], b.postponed_count + 1))
        for (period, count), group in groups.items():
            group.with_context(mail_notrack=True)._workflow_write(
                {
                    "period_date": period,
                    "postponed_count": count,
                    "reminder_sent": False,
                }
            )
        log_notes(
            batches,
            {
                batch.id: self.env._(
                    "Not shipped in the window of %(old)s: postponed to the "
                    "window of %(new)s.",
                    old=schedule.month_label(old[batch.id], locale),
                    new=schedule.month_label(new[batch.id], locale),
                )
                for batch in batches
            },
            tracking=track_values(batches, "period_date", old, new),
        )
        return len(batches)

    def _flag_domain(self, today):
        return [
            ("state", "=", "received"),
            ("settlement_overdue", "=", False),
            ("settlement_deadline", "<", today),
        ]

    def _flag_late_settlements(self, today, limit, digests=None):
        batches = self._lock_batch(self._flag_domain(today), limit)
        schedule_activities(
            self,
            [
                (
                    batch,
                    batch.approved_by_id or self.env.user,
                    self.env._(
                        "Settlement overdue since %(date)s",
                        date=format_date(self.env, batch.settlement_deadline),
                    ),
                    None,
                )
                for batch in batches
            ],
            digests=digests,
        )
        # Tracked as Odoo would, one line per batch, inserted at once.
        batches.with_context(mail_notrack=True)._workflow_write(
            {"settlement_overdue": True}
        )
        log_notes(
            batches,
            {},
            message_type="notification",
            tracking=track_values(
                batches,
                "settlement_overdue",
                dict.fromkeys(batches.ids, False),
                dict.fromkeys(batches.ids, True),
            ),
        )
        return len(batches)
