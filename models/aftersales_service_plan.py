# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression

from ..aftersales_service import inspections

# What the plan's vouchers are planned from: changing one re-plans them.
PLAN_SCOPE_FIELDS = {"categ_id", "policy_id", "company_id", "active"}
REPLAN_FIELDS = PLAN_SCOPE_FIELDS | {"interval_months", "interval_km"}
# Where the re-planning job stands: its own, never typed.
REPLAN_STATE_FIELDS = {"replan_pending", "replan_after_id"}
REPLAN_CRON = "aftersales_service.ir_cron_replan_inspections"


class AftersalesServicePlan(models.Model):
    """Periodic inspections of the products a warranty covers (巡检计划).

    Not the inspections of the service stations (aftersales.station.inspection):
    these visit the customers' equipment, every N months and/or every N km
    counted from each voucher's start (seed 002 example 5: every half year).
    """

    _name = "aftersales.service.plan"
    _description = "Periodic Inspection Plan"
    _inherit = ["mail.thread", "aftersales.input.mixin"]
    _nonnegative_fields = frozenset({"interval_months", "interval_km"})
    # A century between two visits is already no plan at all.
    _maximum_fields = {"interval_months": 1200, "interval_km": 10_000_000}
    _order = "sequence, name"
    _check_company_auto = True
    # Vouchers re-planned in the transaction that changes the plan; beyond,
    # the re-planning job does it, a batch per transaction (a plan may
    # cover a million vouchers: minutes of work, not one request).
    _replan_inline_limit = 2000

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    policy_id = fields.Many2one(
        comodel_name="aftersales.warranty.policy",
        string="Warranty Policy",
        index="btree_not_null",
        check_company=True,
        tracking=True,
        help="Plans the vouchers of this policy; it prevails over a plan of "
        "their product category.",
    )
    categ_id = fields.Many2one(
        comodel_name="product.category",
        string="Product Category",
        index="btree_not_null",
        tracking=True,
        help="Plans the vouchers of the products of this category and of its "
        "children, when their policy has no plan of its own.",
    )
    interval_months = fields.Integer(
        string="Every (months)",
        tracking=True,
        help="Months between two inspections, counted from the voucher's "
        "start; 0: by distance only.",
    )
    interval_km = fields.Float(
        string="Every (km)",
        digits=(16, 0),
        tracking=True,
        help="Distance between two inspections, counted from the mileage at "
        "the voucher's start and estimated from its odometer readings; 0: by "
        "date only. With both, the earlier date applies.",
    )
    final_inspection = fields.Boolean(
        string="Last Inspection Before the Warranty Ends",
        default=True,
        tracking=True,
        help="Invite the customer to a last inspection before the warranty "
        "ends (how many days before: in the settings).",
    )
    note = fields.Html(
        string="Checklist",
        translate=True,
        help="What the station inspects; copied into each inspection request.",
    )
    voucher_count = fields.Integer(compute="_compute_voucher_count")
    replan_pending = fields.Boolean(
        string="Re-planning",
        readonly=True,
        copy=False,
        help="The plan changed for more vouchers than one transaction "
        "re-plans: the re-planning job works through them in the background.",
    )
    replan_after_id = fields.Integer(
        string="Re-planned Up To",
        readonly=True,
        copy=False,
        help="The re-planning job's position: the last voucher it re-planned.",
    )

    @api.depends_context("company")
    def _compute_voucher_count(self):
        counts = dict(
            self.env["aftersales.warranty.voucher"]._read_group(
                [("service_plan_id", "in", self.ids), ("state", "=", "active")],
                ["service_plan_id"],
                ["__count"],
            )
        )
        for plan in self:
            plan.voucher_count = counts.get(plan, 0)

    @api.constrains("interval_months", "interval_km", "categ_id", "policy_id")
    def _check_plan(self):
        for plan in self:
            if not (plan.interval_months or plan.interval_km):
                raise ValidationError(
                    self.env._(
                        "Plan %(plan)s needs a period in months, a distance in "
                        "km, or both.",
                        plan=plan.name,
                    )
                )
            if bool(plan.categ_id) == bool(plan.policy_id):
                raise ValidationError(
                    self.env._(
                        "Plan %(plan)s applies to a warranty policy or to a "
                        "product category: choose one of them.",
                        plan=plan.name,
                    )
                )

    @api.constrains("categ_id", "policy_id", "company_id", "active")
    def _check_single_plan(self):
        for plan in self.filtered("active"):
            scope = (
                ("policy_id", "=", plan.policy_id.id)
                if plan.policy_id
                else ("categ_id", "=", plan.categ_id.id)
            )
            other = self.search(
                [scope, ("company_id", "=", plan.company_id.id), ("id", "!=", plan.id)],
                limit=1,
            )
            if other:
                raise ValidationError(
                    self.env._(
                        "%(other)s already plans the inspections of %(scope)s; "
                        "archive it or change it instead of adding %(plan)s.",
                        other=other.name,
                        scope=(plan.policy_id or plan.categ_id).display_name,
                        plan=plan.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        # Whoever may not create at all hears that first.
        self.browse().check_access("create")
        self._check_replan_state_vals(vals_list)
        plans = super().create(vals_list)
        plans._replan_vouchers()
        return plans

    def write(self, vals):
        self.check_access("write")
        self._check_replan_state_vals([vals])
        replan = REPLAN_FIELDS & set(vals)
        if replan and self._replan_inline():
            # The vouchers it planned before too. Many, they keep the plan
            # until re-planned: the job finds them by it.
            self._add_to_replan(self._vouchers_in_scope())
        result = super().write(vals)
        if replan:
            self._replan_vouchers()
        return result

    def unlink(self):
        if not self._replan_inline():
            raise UserError(
                self.env._(
                    "Plans %(plans)s plan too many vouchers to be deleted: "
                    "archive them instead (their vouchers are re-planned in "
                    "the background).",
                    plans=", ".join(self.mapped("name")),
                )
            )
        vouchers = self._vouchers_in_scope()
        result = super().unlink()
        self._add_to_replan(vouchers)
        return result

    def _check_replan_state_vals(self, vals_list):
        if self.env.su:
            return
        if any(REPLAN_STATE_FIELDS & set(vals) for vals in vals_list):
            raise AccessError(
                self.env._(
                    "Where the re-planning stands is set by its job, not by hand."
                )
            )

    def action_view_vouchers(self):
        self.ensure_one()
        self.check_access("read")
        return self.env["aftersales.warranty.voucher"]._action_for_domain(
            [("service_plan_id", "=", self.id), ("state", "=", "active")]
        )

    def _scope_domain(self):
        """The live vouchers these plans may plan, or did."""
        domains = []
        if self.policy_id:
            domains.append([("policy_id", "in", self.policy_id.ids)])
        if self.categ_id:
            domains.append([("product_id.categ_id", "child_of", self.categ_id.ids)])
        if self.ids:
            domains.append([("service_plan_id", "in", self.ids)])
        if not domains:
            return expression.FALSE_DOMAIN
        return expression.AND([expression.OR(domains), [("state", "=", "active")]])

    def _vouchers_in_scope(self):
        return (
            self.env["aftersales.warranty.voucher"].sudo().search(self._scope_domain())
        )

    def _replan_inline(self):
        """Whether the vouchers of these plans are few enough to re-plan in
        this transaction."""
        Voucher = self.env["aftersales.warranty.voucher"].sudo()
        return (
            Voucher.search_count(
                self._scope_domain(), limit=self._replan_inline_limit + 1
            )
            <= self._replan_inline_limit
        )

    def _replan_vouchers(self):
        """Re-plan the vouchers of these plans: at once when they are few,
        else by the re-planning job, from the first voucher again."""
        if self._replan_inline():
            self._add_to_replan(self._vouchers_in_scope())
            return
        self.sudo().with_context(tracking_disable=True).write(
            {"replan_pending": True, "replan_after_id": 0}
        )
        self.env.ref(REPLAN_CRON).sudo()._trigger()

    @api.model
    def _add_to_replan(self, vouchers):
        # The plan, then the next inspection from it (adding a field to
        # compute does not mark what depends on it).
        for name in ("service_plan_id", "service_date_next"):
            self.env.add_to_compute(vouchers._fields[name], vouchers)

    @api.model
    def _cron_replan_vouchers(self, batch_size=1000):
        """Re-plan the next ``batch_size`` vouchers of a changed plan, in
        the order of their ids from where the last round stopped; the runner
        calls again while ``_notify_progress`` reports more, committing
        between rounds. The plan's row is locked (SKIP LOCKED): a second
        worker, or a manager changing the plan meanwhile, never interleaves
        with a round (a change starts the plan over from its first voucher).
        """
        Plan = self.sudo().with_context(active_test=False, tracking_disable=True)
        self.env.cr.execute(
            """
            SELECT id FROM aftersales_service_plan
             WHERE replan_pending ORDER BY id LIMIT 1
               FOR NO KEY UPDATE SKIP LOCKED
            """
        )
        row = self.env.cr.fetchone()
        if not row:
            self.env["ir.cron"]._notify_progress(done=0, remaining=0)
            return 0
        plan = Plan.browse(row[0])
        plan.invalidate_recordset(["replan_pending", "replan_after_id"])
        Voucher = self.env["aftersales.warranty.voucher"].sudo()
        domain = expression.AND(
            [plan._scope_domain(), [("id", ">", plan.replan_after_id)]]
        )
        vouchers = Voucher.search(domain, order="id", limit=batch_size)
        self._add_to_replan(vouchers)
        self.env.flush_all()
        finished = len(vouchers) < batch_size
        plan.write(
            {
                "replan_pending": not finished,
                "replan_after_id": 0 if finished else vouchers[-1].id,
            }
        )
        # Plans left, not vouchers: counting those would cost a scan a round.
        remaining = Plan.search_count([("replan_pending", "=", True)])
        self.env["ir.cron"]._notify_progress(done=len(vouchers), remaining=remaining)
        return len(vouchers)

    @api.model
    def _find_for_vouchers(self, vouchers):
        """Map each voucher to its plan (or an empty recordset)."""
        if not vouchers:
            return {}
        finder = self._finder(
            vouchers.company_id, vouchers.policy_id, vouchers.product_id.categ_id
        )
        return {
            voucher: finder(
                voucher.company_id.id,
                voucher.policy_id.id,
                voucher.product_id.categ_id.id,
            )
            for voucher in vouchers
        }

    @api.model
    def _finder(self, companies, policies, categories):
        """A function (company id, policy id, category id) -> plan, from one
        query: the policy's plan, else the plan of the category or of its
        nearest parent."""
        # parent_path reads "1/4/9/": the category last, its root first.
        chains = {
            category.id: [int(cid) for cid in category.parent_path.split("/")[-2::-1]]
            for category in categories
        }
        plans = self.search(
            [
                ("company_id", "in", companies.ids),
                "|",
                ("policy_id", "in", policies.ids),
                (
                    "categ_id",
                    "in",
                    list({c for chain in chains.values() for c in chain}),
                ),
            ]
        )
        by_policy = {(p.company_id.id, p.policy_id.id): p for p in plans if p.policy_id}
        by_categ = {(p.company_id.id, p.categ_id.id): p for p in plans if p.categ_id}

        def find(company_id, policy_id, categ_id):
            plan = by_policy.get((company_id, policy_id))
            if plan:
                return plan
            for parent_id in chains.get(categ_id, []):
                plan = by_categ.get((company_id, parent_id))
                if plan:
                    return plan
            return self

        return find

    def _pure_plan(self):
        """The plan as the pure rules take it."""
        return inspections.Plan(
            months=self.interval_months or 0, km=self.interval_km or 0.0
        )
