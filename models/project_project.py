# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .aftersales_bulk_chatter import schedule_activities

USER_GROUP = "aftersales_service.group_aftersales_user"
MANAGER_GROUP = "aftersales_service.group_aftersales_manager"
# The handover dates are recorded by their actions only, and are final.
HANDOVER_FIELDS = frozenset({"date_provisional_handover", "date_formal_handover"})
CONTACT_ACTIVITY = "aftersales_service.mail_activity_type_project_owner_contact"
PLAN_ACTIVITY = "aftersales_service.mail_activity_type_project_cost_plan"
COST_TYPES = [
    ("parts", "Claims and Parts"),
    ("labour", "Labour"),
    ("travel", "Travel"),
    ("other", "Other"),
]


class ProjectProject(models.Model):
    """An engineering project's after-sales service (seed 003).

    From the provisional handover (临时移交生产) to the formal handover
    (正式移交生产) the project's own team handles defects as commissioning
    work; the free after-sales service then runs for the warranty months
    (one year) from the formal handover, on the project's equipment vouchers.
    The after-sales cost plan (售后服务费用计划书) budgets what it may cost,
    the costs post to the project's analytic account, and the owner is
    called every two weeks while the warranty runs.
    """

    _inherit = "project.project"

    is_aftersales_project = fields.Boolean(
        string="After-Sales Project",
        tracking=True,
        help="An engineering project whose installed equipment the after-sales "
        "department serves after its handover.",
    )
    aftersales_sale_order_id = fields.Many2one(
        comodel_name="sale.order",
        string="Contract Sale Order",
        check_company=True,
        tracking=True,
        domain="[('partner_id', 'child_of', partner_id)]",
    )
    aftersales_contact_ids = fields.Many2many(
        comodel_name="res.partner",
        relation="project_aftersales_contact_rel",
        column1="project_id",
        column2="partner_id",
        string="Owner Contacts",
        check_company=True,
        help="The owner's representatives: project manager, operations "
        "manager; they are called and sign the service reports.",
    )
    aftersales_user_id = fields.Many2one(
        comodel_name="res.users",
        string="After-Sales Responsible",
        tracking=True,
        domain="[('share', '=', False)]",
    )
    aftersales_equipment_ids = fields.One2many(
        comodel_name="aftersales.project.equipment",
        inverse_name="project_id",
        string="Installed Equipment",
    )
    date_provisional_handover = fields.Date(
        string="Provisional Handover",
        readonly=True,
        copy=False,
        tracking=True,
        help="临时移交生产: commissioning defects are handled by the project "
        "from this day; the cost plan is due a month later.",
    )
    date_formal_handover = fields.Date(
        string="Formal Handover",
        readonly=True,
        copy=False,
        tracking=True,
        help="正式移交生产: the warranty of the project's equipment starts on "
        "this day.",
    )
    aftersales_warranty_months = fields.Integer(
        string="Warranty (months)",
        default=lambda self: self.env.company.aftersales_project_warranty_months,
        tracking=True,
    )
    date_warranty_end = fields.Date(
        string="Warranty End",
        compute="_compute_date_warranty_end",
        store=True,
        index=True,
    )
    aftersales_phase = fields.Selection(
        selection=[
            ("construction", "Construction"),
            ("commissioning", "Commissioning"),
            ("warranty", "Warranty"),
            ("paid", "Paid Service"),
        ],
        string="After-Sales Phase",
        compute="_compute_aftersales_phase",
    )
    aftersales_voucher_ids = fields.One2many(
        comodel_name="aftersales.warranty.voucher",
        inverse_name="project_id",
        string="Warranty Vouchers",
    )
    aftersales_ticket_ids = fields.One2many(
        comodel_name="helpdesk.ticket",
        inverse_name="project_id",
        string="Service Requests",
    )
    aftersales_claim_ids = fields.One2many(
        comodel_name="aftersales.claim",
        inverse_name="project_id",
        string="Warranty Claims",
    )
    aftersales_cost_plan_ids = fields.One2many(
        comodel_name="aftersales.project.cost.plan",
        inverse_name="project_id",
        string="Cost Plans",
    )
    aftersales_cost_ids = fields.One2many(
        comodel_name="aftersales.project.cost.analysis",
        inverse_name="project_id",
        string="Costs against Plan",
    )
    aftersales_plan_amount = fields.Monetary(
        string="Approved Budget",
        compute="_compute_aftersales_amounts",
        currency_field="aftersales_currency_id",
    )
    aftersales_actual_amount = fields.Monetary(
        string="Actual Cost",
        compute="_compute_aftersales_amounts",
        currency_field="aftersales_currency_id",
    )
    aftersales_remaining_amount = fields.Monetary(
        string="Budget Left",
        compute="_compute_aftersales_amounts",
        currency_field="aftersales_currency_id",
    )
    aftersales_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    aftersales_contact_log_ids = fields.One2many(
        comodel_name="aftersales.project.contact",
        inverse_name="project_id",
        string="Owner Contacts Log",
    )
    aftersales_last_contact_date = fields.Date(
        string="Last Owner Contact",
        compute="_compute_aftersales_contacts",
        store=True,
    )
    aftersales_return_visit_missing = fields.Boolean(
        string="Return Visit Missing",
        compute="_compute_aftersales_contacts",
        store=True,
        help="Seed 003: at least one return visit (回访) in the service period; "
        "none was recorded since the formal handover yet.",
    )
    aftersales_contact_deadline = fields.Date(
        string="Next Owner Contact",
        readonly=True,
        copy=False,
        help="Deadline of the owner contact scheduled by the daily job; cleared "
        "when the contact is recorded.",
    )
    aftersales_voucher_count = fields.Integer(compute="_compute_aftersales_counts")
    aftersales_ticket_count = fields.Integer(compute="_compute_aftersales_counts")
    aftersales_claim_count = fields.Integer(compute="_compute_aftersales_counts")
    aftersales_retention_ids = fields.One2many(
        comodel_name="aftersales.supplier.deposit",
        inverse_name="project_id",
        string="Retentions",
        groups="aftersales_service.group_aftersales_user",
        help="What the customer withholds from the project's invoices until "
        "the warranty ends (工程质量保证金).",
    )
    aftersales_retention_held = fields.Monetary(
        string="Retention Held",
        compute="_compute_aftersales_retention",
        currency_field="aftersales_currency_id",
        groups="aftersales_service.group_aftersales_user",
        help="What the customer still withholds: the posted entries of the "
        "project's retention, in the company's currency.",
    )
    aftersales_retention_collected = fields.Monetary(
        string="Retention Collected",
        compute="_compute_aftersales_retention",
        currency_field="aftersales_currency_id",
        groups="aftersales_service.group_aftersales_user",
        help="What was collected from the customer at the end of the warranty, "
        "in the company's currency.",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("date_formal_handover", "aftersales_warranty_months")
    def _compute_date_warranty_end(self):
        for project in self:
            handover = project.date_formal_handover
            project.date_warranty_end = handover and handover + relativedelta(
                months=project.aftersales_warranty_months
            ) - relativedelta(days=1)

    @api.depends("date_provisional_handover", "date_formal_handover")
    @api.depends_context("tz")
    def _compute_aftersales_phase(self):
        today = fields.Date.context_today(self)
        for project in self:
            project.aftersales_phase = project._aftersales_phase_on(today)

    def _aftersales_phase_on(self, day):
        self.ensure_one()
        if not self.is_aftersales_project:
            return False
        if self.date_formal_handover and self.date_formal_handover <= day:
            if self.date_warranty_end and day > self.date_warranty_end:
                return "paid"
            return "warranty"
        if self.date_provisional_handover:
            return "commissioning"
        return "construction"

    @api.depends(
        "aftersales_cost_plan_ids.state",
        "aftersales_cost_plan_ids.amount_total",
        "account_id",
    )
    def _compute_aftersales_amounts(self):
        plans = self._aftersales_plan_amounts()
        actuals = self._aftersales_actual_amounts()
        for project in self:
            project.aftersales_plan_amount = plans.get(project.id, 0.0)
            project.aftersales_actual_amount = actuals.get(project.id, 0.0)
            project.aftersales_remaining_amount = (
                project.aftersales_plan_amount - project.aftersales_actual_amount
            )

    @api.depends(
        "aftersales_contact_log_ids.date",
        "aftersales_contact_log_ids.kind",
        "date_formal_handover",
    )
    def _compute_aftersales_contacts(self):
        for project in self:
            logs = project.aftersales_contact_log_ids
            project.aftersales_last_contact_date = max(
                logs.mapped("date"), default=False
            )
            handover = project.date_formal_handover
            project.aftersales_return_visit_missing = bool(
                project.is_aftersales_project
                and handover
                and not logs.filtered(
                    lambda log, day=handover: log.kind == "visit" and log.date >= day
                )
            )

    def _compute_aftersales_retention(self):
        amounts = self._aftersales_retention_amounts()
        for project in self:
            held, collected = amounts.get(project.id, (0.0, 0.0))
            project.aftersales_retention_held = held
            project.aftersales_retention_collected = collected

    def _compute_aftersales_counts(self):
        for field, model in (
            ("aftersales_voucher_count", "aftersales.warranty.voucher"),
            ("aftersales_ticket_count", "helpdesk.ticket"),
            ("aftersales_claim_count", "aftersales.claim"),
        ):
            counts = (
                dict(
                    self.env[model]._read_group(
                        [("project_id", "in", self.ids)], ["project_id"], ["__count"]
                    )
                )
                if self.ids and self.env[model].has_access("read")
                else {}
            )
            for project in self:
                project[field] = counts.get(project, 0)

    # ------------------------------------------------------------------
    # Constraints, CRUD
    # ------------------------------------------------------------------

    @api.constrains("is_aftersales_project", "company_id", "aftersales_warranty_months")
    def _check_aftersales_project(self):
        for project in self.filtered("is_aftersales_project"):
            if not project.company_id:
                raise ValidationError(
                    self.env._(
                        "After-sales project %(project)s needs a company: its "
                        "costs post in that company's currency.",
                        project=project.display_name,
                    )
                )
            if not 0 < project.aftersales_warranty_months <= 1200:
                raise ValidationError(
                    self.env._(
                        "The warranty of project %(project)s lasts 1 to 1200 "
                        "months.",
                        project=project.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                forced = HANDOVER_FIELDS & {k for k, v in vals.items() if v}
                forced |= {"aftersales_contact_deadline"} & {
                    k for k, v in vals.items() if v
                }
                if forced:
                    raise UserError(
                        self.env._(
                            "The handover dates of a project are recorded with "
                            "its handover buttons, not typed."
                        )
                    )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and (
            HANDOVER_FIELDS | {"aftersales_contact_deadline"}
        ) & set(vals):
            # Whoever may not write the project at all hears that first.
            self.check_access("write")
            raise UserError(
                self.env._(
                    "The handover dates of a project are recorded with its "
                    "handover buttons, and are final once recorded."
                )
            )
        if "is_aftersales_project" in vals and not vals["is_aftersales_project"]:
            handed = self.filtered(lambda p: p.date_provisional_handover)
            if handed:
                raise UserError(
                    self.env._(
                        "Project %(project)s was handed over: it stays an "
                        "after-sales project.",
                        project=handed[0].display_name,
                    )
                )
        return super().write(vals)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def _check_aftersales_manager(self):
        if self.env.su or self.env.user.has_group(MANAGER_GROUP):
            return
        self._raise_access(
            self.env._("Only after-sales managers record the handover of a project.")
        )

    def _raise_access(self, message):
        raise AccessError(message)

    def action_provisional_handover(self):
        """Open the provisional handover (after-sales managers)."""
        return self._action_open_handover("provisional")

    def action_formal_handover(self):
        """Open the formal handover (after-sales managers)."""
        return self._action_open_handover("formal")

    def _action_open_handover(self, kind):
        self.ensure_one()
        self._check_aftersales_manager()
        self.check_access("read")
        self._check_handover(kind, fields.Date.context_today(self), early=True)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record the Handover"),
            "res_model": "aftersales.project.handover",
            "view_mode": "form",
            "target": "new",
            "context": {"default_project_id": self.id, "default_kind": kind},
        }

    def _check_handover(self, kind, day, early=False):
        """Refuse a handover that cannot be recorded (``early``: before the
        date is known, when the button is pressed)."""
        self.ensure_one()
        if not self.is_aftersales_project:
            raise UserError(
                self.env._(
                    "Project %(project)s is not an after-sales project.",
                    project=self.display_name,
                )
            )
        recorded = self[f"date_{kind}_handover"]
        if recorded:
            raise UserError(
                self.env._(
                    "The handover of project %(project)s was recorded on "
                    "%(date)s and is final.",
                    project=self.display_name,
                    date=recorded,
                )
            )
        if kind == "formal" and not self.date_provisional_handover:
            raise UserError(
                self.env._(
                    "Record the provisional handover of project %(project)s "
                    "before its formal handover.",
                    project=self.display_name,
                )
            )
        if early:
            return
        if not day:
            raise ValidationError(self.env._("Give the date of the handover."))
        if day > fields.Date.context_today(self):
            raise ValidationError(
                self.env._(
                    "A handover is recorded once it took place: %(date)s is in "
                    "the future.",
                    date=day,
                )
            )
        if kind == "formal" and day < self.date_provisional_handover:
            raise ValidationError(
                self.env._(
                    "The formal handover (%(formal)s) cannot come before the "
                    "provisional handover (%(provisional)s).",
                    formal=day,
                    provisional=self.date_provisional_handover,
                )
            )

    def _record_handover(self, kind, day, note=None):
        """Record a handover (after-sales managers; final once recorded).

        Provisional: the cost plan falls due. Formal: the warranty of the
        project's equipment starts, and the owner contacts begin.
        """
        self.ensure_one()
        self._check_aftersales_manager()
        self.check_access("read")
        if kind not in ("provisional", "formal"):
            raise ValidationError(self.env._("Unknown handover %(kind)s.", kind=kind))
        day = fields.Date.to_date(day)
        # Two managers recording at once: the second waits, then is refused.
        self.env.cr.execute(
            "SELECT id FROM project_project WHERE id = %s FOR UPDATE", [self.id]
        )
        self.invalidate_recordset(["date_provisional_handover", "date_formal_handover"])
        self._check_handover(kind, day)
        project = self.sudo()
        project.write({f"date_{kind}_handover": day})
        if note:
            project.message_post(body=note)
        if kind == "provisional":
            project._ensure_aftersales_account()
            project._schedule_cost_plan_activity()
        else:
            project.aftersales_voucher_ids._restart_for_project()
        return True

    def action_view_aftersales_vouchers(self):
        return self._action_aftersales_related(
            "aftersales_service.aftersales_warranty_voucher_action"
        )

    def action_view_aftersales_tickets(self):
        action = self._action_aftersales_related(
            "aftersales_service.helpdesk_ticket_action_aftersales"
        )
        action["context"].update(
            default_partner_id=self.partner_id.id,
            default_company_id=self.company_id.id,
        )
        return action

    def action_view_aftersales_claims(self):
        return self._action_aftersales_related(
            "aftersales_service.aftersales_claim_action"
        )

    def action_view_aftersales_retention(self):
        """The project's retention receivable (after-sales users read it,
        finance opens and collects it)."""
        action = self._action_aftersales_related(
            "aftersales_service.aftersales_customer_retention_action"
        )
        action["context"].update(default_side="customer")
        return action

    def action_view_aftersales_cost_plans(self):
        return self._action_aftersales_related(
            "aftersales_service.aftersales_project_cost_plan_action"
        )

    def action_log_owner_contact(self):
        """Record a call or visit of the owner (after-sales users)."""
        action = self._action_aftersales_related(
            "aftersales_service.aftersales_project_contact_action"
        )
        action["context"].update(
            default_partner_id=(self.aftersales_contact_ids[:1] or self.partner_id).id
        )
        return action

    def action_record_aftersales_cost(self):
        """Post travel, parts or other costs of the project (after-sales
        users), within its approved budget."""
        self.ensure_one()
        self._action_aftersales_related(
            "aftersales_service.aftersales_project_cost_plan_action"
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record a Cost"),
            "res_model": "aftersales.project.cost",
            "view_mode": "form",
            "target": "new",
            "context": {"default_project_id": self.id},
        }

    def _check_aftersales_user_for_report(self):
        if not (self.env.su or self.env.user.has_group(USER_GROUP)):
            self._raise_access(
                self.env._("Only after-sales users print the project register.")
            )
        self.check_access("read")

    def _action_aftersales_related(self, xmlid):
        self.ensure_one()
        if not (self.env.su or self.env.user.has_group(USER_GROUP)):
            self._raise_access(
                self.env._("Only after-sales users open a project's after-sales.")
            )
        self.check_access("read")
        action = self.env["ir.actions.actions"]._for_xml_id(xmlid)
        action.update(
            domain=[("project_id", "=", self.id)],
            context={
                "default_project_id": self.id,
                "search_default_project_id": self.id,
            },
        )
        return action

    # ------------------------------------------------------------------
    # Costs against the plan
    # ------------------------------------------------------------------

    def _aftersales_plan_amounts(self):
        """{project id: approved plans and supplements}, in one query."""
        if not self.ids:
            return {}
        groups = (
            self.env["aftersales.project.cost.plan"]
            .sudo()
            ._read_group(
                [("project_id", "in", self.ids), ("state", "=", "approved")],
                ["project_id"],
                ["amount_total:sum"],
            )
        )
        return {project.id: amount for project, amount in groups}

    def _aftersales_retention_amounts(self):
        """{project id: (retention held, collected)} in the company's
        currency, from the posted ledger of the projects' retentions."""
        if not self.ids:
            return {}
        ledger = self.env["account.move.line"].sudo()
        deposits = (
            self.env["aftersales.supplier.deposit"]
            .sudo()
            .search([("side", "=", "customer"), ("project_id", "in", self.ids)])
        )
        collections = (
            self.env["aftersales.supplier.deposit.movement"]
            .sudo()
            .search(
                [
                    ("deposit_id", "in", deposits.ids),
                    ("kind", "=", "collection"),
                    ("state", "=", "posted"),
                ]
            )
        )
        # A customer retention is an asset: debits hold, credits take.
        held = {
            deposit: balance
            for deposit, balance in ledger._read_group(
                [
                    ("aftersales_deposit_id", "in", deposits.ids),
                    ("parent_state", "=", "posted"),
                ],
                ["aftersales_deposit_id"],
                ["balance:sum"],
            )
        }
        collected = {
            deposit: -balance
            for deposit, balance in ledger._read_group(
                [
                    ("aftersales_deposit_id", "in", deposits.ids),
                    ("parent_state", "=", "posted"),
                    ("move_id", "in", collections.move_id.ids),
                ],
                ["aftersales_deposit_id"],
                ["balance:sum"],
            )
        }
        amounts = {}
        for deposit in deposits:
            project_held, project_collected = amounts.get(
                deposit.project_id.id, (0.0, 0.0)
            )
            amounts[deposit.project_id.id] = (
                project_held + held.get(deposit, 0.0),
                project_collected + collected.get(deposit, 0.0),
            )
        return amounts

    def _aftersales_actual_amounts(self):
        """{project id: after-sales costs on its analytic account}."""
        accounts = self.account_id
        if not accounts:
            return {}
        groups = (
            self.env["account.analytic.line"]
            .sudo()
            ._read_group(
                [
                    ("account_id", "in", accounts.ids),
                    ("aftersales_cost_type", "!=", False),
                ],
                ["account_id"],
                ["amount:sum"],
            )
        )
        by_account = {account: -amount for account, amount in groups}
        return {
            project.id: by_account.get(project.account_id, 0.0)
            for project in self
            if project.account_id
        }

    def _check_aftersales_budget(self, amount, what):
        """Refuse a cost that takes the project above its approved plan and
        supplements (seed 003: overspending needs a special approval)."""
        self.ensure_one()
        project = self.sudo()
        # Two costs of the same project decided at once: the row version
        # written here makes the second wait, then fail to serialize (Odoo
        # retries it, and it then counts the first).
        self.env.cr.execute(
            "UPDATE project_project SET write_date = write_date WHERE id = %s",
            [project.id],
        )
        self.env.flush_all()
        plan = project._aftersales_plan_amounts().get(project.id, 0.0)
        actual = project._aftersales_actual_amounts().get(project.id, 0.0)
        currency = project.company_id.currency_id
        overrun = currency.round(actual + amount - plan)
        if currency.compare_amounts(overrun, 0.0) > 0:
            raise UserError(
                self.env._(
                    "%(what)s would take project %(project)s over its approved "
                    "after-sales budget by %(overrun)s %(currency)s (budget "
                    "%(plan)s, spent %(actual)s): have a supplement to the cost "
                    "plan approved first.",
                    what=what,
                    project=project.display_name,
                    overrun=currency.round(overrun),
                    currency=currency.name,
                    plan=plan,
                    actual=actual,
                )
            )

    def _post_aftersales_costs(self, entries):
        """Post after-sales costs to the project's analytic account (server
        code, after the caller's checks): ``entries`` are dicts with
        ``cost_type``, ``amount`` (a cost, positive), ``name`` and
        optionally ``date``, ``claim_id``, ``ticket_id``."""
        self.ensure_one()
        project = self.sudo()
        project._ensure_aftersales_account()
        today = fields.Date.context_today(self)
        vals_list = [
            {
                "name": entry["name"],
                "account_id": project.account_id.id,
                "company_id": project.company_id.id,
                "date": entry.get("date") or today,
                "amount": -entry["amount"],
                "partner_id": project.partner_id.id,
                "aftersales_cost_type": entry["cost_type"],
                "aftersales_claim_id": entry.get("claim_id"),
                "aftersales_ticket_id": entry.get("ticket_id"),
            }
            for entry in entries
            if entry["amount"]
        ]
        return self.env["account.analytic.line"].sudo().create(vals_list)

    def _ensure_aftersales_account(self):
        without = self.filtered(lambda p: not p.account_id)
        if without:
            without.sudo()._create_analytic_account()

    # ------------------------------------------------------------------
    # Activities and the owner contact job
    # ------------------------------------------------------------------

    def _schedule_cost_plan_activity(self):
        """The cost plan is due within a month of the provisional handover."""
        for project in self:
            months = project.company_id.aftersales_project_plan_months or 1
            schedule_activities(
                project,
                [
                    (
                        project,
                        project.aftersales_user_id or project.user_id or self.env.user,
                        self.env._(
                            "After-sales cost plan of %(project)s", project=project.name
                        ),
                        project.date_provisional_handover
                        + relativedelta(months=months),
                    )
                ],
                PLAN_ACTIVITY,
            )

    @api.model
    def _owner_contact_domain(self, today):
        return [
            ("is_aftersales_project", "=", True),
            ("date_formal_handover", "<=", today),
            ("date_warranty_end", ">=", today),
            ("aftersales_contact_deadline", "=", False),
        ]

    @api.model
    def _cron_schedule_owner_contacts(self, batch_size=200):
        """Schedule the next owner contact of projects under warranty
        (seed 003: every two weeks), a batch per call.

        A project gets one open contact at a time: the deadline written on
        the project row marks it scheduled, so that a second worker skips it
        (locked, or changed since its snapshot: it fails and retries).
        """
        today = fields.Date.context_today(self)
        domain = self._owner_contact_domain(today)
        projects = self.search(domain, limit=batch_size, order="id")
        if projects:
            self.env.cr.execute(
                "SELECT id FROM project_project WHERE id IN %s FOR UPDATE SKIP LOCKED",
                [tuple(projects.ids)],
            )
            projects = self.browse([row[0] for row in self.env.cr.fetchall()])
            projects.invalidate_recordset()
            projects = projects.filtered_domain(domain)
        entries = []
        for project in projects:
            days = project.company_id.aftersales_project_contact_days or 14
            last = max(
                filter(
                    None,
                    (
                        project.aftersales_last_contact_date,
                        project.date_formal_handover,
                    ),
                )
            )
            deadline = max(last + relativedelta(days=days), today)
            entries.append(
                (
                    project,
                    project.aftersales_user_id or project.user_id or self.env.user,
                    self.env._("Call the owner of %(project)s", project=project.name),
                    deadline,
                )
            )
            project.sudo().write({"aftersales_contact_deadline": deadline})
        schedule_activities(self, entries, CONTACT_ACTIVITY)
        remaining = self.search_count(domain) if len(projects) == batch_size else 0
        self.env["ir.cron"]._notify_progress(done=len(projects), remaining=remaining)
        return projects
