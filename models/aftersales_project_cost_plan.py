# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError

from .project_project import MANAGER_GROUP, PLAN_ACTIVITY, USER_GROUP


class AftersalesProjectCostPlan(models.Model):
    """After-sales cost plan of a project (售后服务费用计划书, seed 003 第二条
    5): drawn up within a month of the provisional handover, approved by the
    after-sales manager. Spending more needs a supplement with its report,
    approved the same way."""

    _name = "aftersales.project.cost.plan"
    _description = "After-Sales Cost Plan"
    _inherit = ["mail.thread", "mail.activity.mixin", "aftersales.workflow.mixin"]
    _order = "project_id, id"
    _check_company_auto = True

    _state_transitions = {
        "draft": frozenset({"submitted"}),
        "submitted": frozenset({"approved", "draft"}),
        "approved": frozenset(),
    }
    _workflow_fields = frozenset({"state", "name", "approved_by_id", "date_approved"})
    _final_states = {
        "submitted": frozenset({"note"}),
        "approved": frozenset({"note"}),
    }

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="New"
    )
    state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
        ],
        string="Status",
        required=True,
        copy=False,
        default="draft",
        readonly=True,
        tracking=True,
        index=True,
    )
    plan_type = fields.Selection(
        selection=[("initial", "Cost Plan"), ("supplement", "Supplement")],
        string="Type",
        required=True,
        default="initial",
        tracking=True,
    )
    project_id = fields.Many2one(
        comodel_name="project.project",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
        domain="[('is_aftersales_project', '=', True)]",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Prepared By",
        default=lambda self: self.env.user,
        tracking=True,
    )
    justification = fields.Text(
        string="Report",
        tracking=True,
        help="Why the plan is supplemented (seed 003: a report for the special "
        "approval).",
    )
    line_ids = fields.One2many(
        comodel_name="aftersales.project.cost.plan.line",
        inverse_name="plan_id",
        string="Budget Lines",
        copy=True,
    )
    amount_total = fields.Monetary(
        string="Total", compute="_compute_amount_total", store=True
    )
    approved_by_id = fields.Many2one(
        comodel_name="res.users", readonly=True, copy=False
    )
    date_approved = fields.Date(readonly=True, copy=False)
    note = fields.Html()

    @api.depends("line_ids.amount")
    def _compute_amount_total(self):
        for plan in self:
            plan.amount_total = sum(plan.line_ids.mapped("amount"))

    @api.onchange("project_id")
    def _onchange_project_id(self):
        if self.project_id.company_id:
            self.company_id = self.project_id.company_id

    @api.model_create_multi
    def create(self, vals_list):
        plans = super().create(vals_list)
        # Numbered once the ORM accepted them: no number is spent on a refusal.
        for plan in plans.filtered(lambda p: p.name == "New"):
            plan._workflow_write(
                {
                    "name": self.env["ir.sequence"]
                    .with_company(plan.company_id)
                    .next_by_code("aftersales.project.cost.plan")
                    or "New"
                }
            )
        return plans

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(plan.state != "draft" for plan in self):
            raise UserError(self.env._("Only draft cost plans can be deleted."))

    def _check_lines_editable(self):
        """Budget lines change while the plan is a draft only."""
        if self.env.su:
            return
        for plan in self:
            if plan.state != "draft":
                raise UserError(
                    self.env._(
                        "Cost plan %(plan)s is %(state)s: its lines can no "
                        "longer change.",
                        plan=plan.name,
                        state=plan._state_label(plan.state),
                    )
                )

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------

    def action_submit(self):
        """Submit the plan for approval (after-sales users)."""
        self._check_group(
            USER_GROUP, self.env._("Only after-sales users submit cost plans.")
        )
        self._lock_rows()
        for plan in self:
            if not plan.line_ids or plan.currency_id.is_zero(plan.amount_total):
                raise UserError(
                    self.env._(
                        "Cost plan %(plan)s has no amount: budget its costs first.",
                        plan=plan.name,
                    )
                )
            if plan.plan_type == "supplement":
                if not (plan.justification or "").strip():
                    raise UserError(
                        self.env._(
                            "Supplement %(plan)s needs its report: why the "
                            "approved plan does not suffice.",
                            plan=plan.name,
                        )
                    )
                if not plan.project_id._aftersales_plan_amounts():
                    raise UserError(
                        self.env._(
                            "Project %(project)s has no approved cost plan to "
                            "supplement yet.",
                            project=plan.project_id.display_name,
                        )
                    )
            else:
                other = self.search_count(
                    [
                        ("project_id", "=", plan.project_id.id),
                        ("plan_type", "=", "initial"),
                        ("state", "in", ("submitted", "approved")),
                        ("id", "!=", plan.id),
                    ]
                )
                if other:
                    raise UserError(
                        self.env._(
                            "Project %(project)s has its cost plan already: "
                            "add a supplement instead.",
                            project=plan.project_id.display_name,
                        )
                    )
        self._move_to("submitted")
        return True

    def action_approve(self):
        """Approve the plan (after-sales managers): it becomes the budget."""
        self._check_group(
            MANAGER_GROUP, self.env._("Only after-sales managers approve cost plans.")
        )
        self._move_to(
            "approved",
            approved_by_id=self.env.user.id,
            date_approved=fields.Date.context_today(self),
        )
        activity_type = self.env.ref(PLAN_ACTIVITY)
        for plan in self.filtered(lambda p: p.plan_type == "initial"):
            activities = plan.project_id.sudo().activity_ids.filtered(
                lambda a: a.activity_type_id == activity_type
            )
            activities.action_feedback(
                feedback=self.env._("Cost plan %(plan)s approved.", plan=plan.name)
            )
        return True

    def action_reset_to_draft(self):
        """Send a submitted plan back to its author (after-sales managers)."""
        self._check_group(
            MANAGER_GROUP,
            self.env._("Only after-sales managers send cost plans back."),
        )
        self._move_to("draft")
        return True
