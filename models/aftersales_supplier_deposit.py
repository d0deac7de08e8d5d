# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..aftersales_service import deposit as rules
from ..aftersales_service import periods
from .aftersales_supplier_deposit_movement import FINANCE, MANAGER, RELEASE_KINDS

TRANSITIONS = {
    "draft": ("active", "cancel"),
    "active": ("released", "cancel"),
    "released": ("active",),
    "cancel": ("draft",),
}


class AftersalesSupplierDeposit(models.Model):
    """Warranty deposit withheld from a supplier's bills (质保金, seed 003).

    The same machinery holds the customer side, the retention receivable of
    an engineering project (工程质量保证金): the customer withholds a share
    of the project's invoices until its warranty ends, and the company
    collects it then (seed 003 第四章 第二条 7). Supplier deposits are a
    liability (credits hold), customer retentions an asset (debits hold).
    """

    _name = "aftersales.supplier.deposit"
    _description = "Supplier Warranty Deposit"
    _inherit = ["mail.thread", "mail.activity.mixin", "aftersales.workflow.mixin"]
    _order = "date_end, id"
    _check_company_auto = True
    _state_transitions = TRANSITIONS
    _nonnegative_fields = frozenset({"withhold_target"})
    _percent_fields = frozenset({"withhold_rate"})
    # The balance is what posted entries hold: never typed.
    _workflow_fields = frozenset(
        {"state", "balance", "balance_company", "retention_line_ids"}
    )
    # Released or cancelled: only who follows it, its notes and references.
    _final_states = {
        "released": frozenset({"note", "user_id", "contract_ref", "active"}),
        "cancel": frozenset({"note", "user_id", "contract_ref", "active"}),
    }
    # Locked once a movement is posted: the ledger was written on them.
    _posted_locked_fields = frozenset(
        {
            "side",
            "project_id",
            "currency_id",
            "retention_account_id",
            "journal_id",
            "company_id",
            "partner_id",
            "date_start",
            "date_end",
            "warranty_months",
        }
    )

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="New"
    )
    active = fields.Boolean(default=True)
    state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("active", "Withholding"),
            ("released", "Released"),
            ("cancel", "Cancelled"),
        ],
        string="Status",
        required=True,
        default="draft",
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    side = fields.Selection(
        selection=[
            ("supplier", "Supplier Deposit"),
            ("customer", "Customer Retention"),
        ],
        required=True,
        default="supplier",
        index=True,
        tracking=True,
        help="Supplier: withheld from the supplier's bills, released to it. "
        "Customer: withheld by the customer from the project's invoices, "
        "collected from it at the end of the project's warranty.",
    )
    project_id = fields.Many2one(
        comodel_name="project.project",
        string="Engineering Project",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="[('is_aftersales_project', '=', True)]",
        help="Customer retention: the invoices of the project's contract sale "
        "order are withheld; the warranty is the project's.",
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Supplier",
        compute="_compute_partner_id",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        domain="[('is_company', '=', True)]",
    )
    purchase_id = fields.Many2one(
        comodel_name="purchase.order",
        string="Purchase Order",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="[('partner_id', 'child_of', partner_id)]",
        help="Bills of this purchase are withheld automatically when posted.",
    )
    contract_ref = fields.Char(
        string="Contract Reference",
        tracking=True,
        help="For deposits agreed by contract rather than on one purchase order: "
        "pick the deposit on each bill.",
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        tracking=True,
        domain="[('share', '=', False)]",
        help="Finance user who receives the release proposal.",
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        compute="_compute_currency_id",
        store=True,
        readonly=False,
        required=True,
        precompute=True,
        help="The currency of the purchase: bills are withheld in it.",
    )
    company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    withhold_method = fields.Selection(
        selection=[
            (rules.PERCENT, "Percentage of Each Bill"),
            (rules.FIXED, "Fixed Amount"),
        ],
        required=True,
        default=rules.PERCENT,
        tracking=True,
    )
    withhold_rate = fields.Float(
        string="Withholding Rate (%)",
        digits=(16, 2),
        compute="_compute_withhold_rate",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
    )
    withhold_target = fields.Monetary(
        string="Amount to Withhold",
        tracking=True,
        help="Fixed deposit: withheld from the bills until reached.",
    )
    withhold_base = fields.Selection(
        selection=[("total", "Total incl. Taxes"), ("untaxed", "Untaxed Amount")],
        required=True,
        default="total",
        help="Which amount of a bill the rate applies to.",
    )
    date_start = fields.Date(
        string="Warranty Start",
        compute="_compute_date_start",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        tracking=True,
    )
    warranty_months = fields.Integer(
        compute="_compute_warranty_months",
        store=True,
        readonly=False,
        precompute=True,
    )
    date_end = fields.Date(
        string="Warranty End",
        compute="_compute_date_end",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        tracking=True,
        help="A customer retention ends with its project's warranty: empty "
        "until the project's formal handover.",
    )
    journal_id = fields.Many2one(
        comodel_name="account.journal",
        compute="_compute_accounting",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        domain="[('type', '=', 'general')]",
    )
    retention_account_id = fields.Many2one(
        comodel_name="account.account",
        string="Retention Account",
        compute="_compute_accounting",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        domain="[('account_type', 'in', side == 'customer' and "
        "['asset_current', 'asset_non_current'] or "
        "['liability_current', 'liability_non_current'])]",
    )
    recovery_account_id = fields.Many2one(
        comodel_name="account.account",
        string="Recovery Account",
        compute="_compute_accounting",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        help="Credited with the after-sales costs recovered from the supplier.",
    )
    movement_ids = fields.One2many(
        comodel_name="aftersales.supplier.deposit.movement",
        inverse_name="deposit_id",
        string="Movements",
    )
    retention_line_ids = fields.One2many(
        comodel_name="account.move.line",
        inverse_name="aftersales_deposit_id",
        string="Retention Journal Items",
        readonly=True,
    )
    balance = fields.Monetary(
        compute="_compute_balance",
        store=True,
        help="What the retention account holds for this deposit: the posted "
        "entries, in the deposit's currency.",
    )
    balance_company = fields.Monetary(
        string="Balance (Company Currency)",
        compute="_compute_balance",
        store=True,
        currency_field="company_currency_id",
    )
    withheld_amount = fields.Monetary(string="Withheld", compute="_compute_totals")
    deducted_amount = fields.Monetary(string="Deducted", compute="_compute_totals")
    released_amount = fields.Monetary(string="Released", compute="_compute_totals")
    reserved_amount = fields.Monetary(
        string="Awaiting Posting",
        compute="_compute_totals",
        help="Approved deductions and releases not posted yet.",
    )
    is_due = fields.Boolean(
        string="Due for Release",
        compute="_compute_is_due",
        search="_search_is_due",
    )
    bill_count = fields.Integer(compute="_compute_bill_count")
    note = fields.Html()

    _sql_constraints = [
        (
            "rate_range",
            "CHECK(withhold_rate >= 0 AND withhold_rate <= 100)",
            "The withholding rate is a percentage between 0 and 100.",
        ),
        (
            "target_positive",
            "CHECK(withhold_target >= 0)",
            "The amount to withhold cannot be negative.",
        ),
    ]

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("project_id")
    def _compute_partner_id(self):
        for deposit in self:
            deposit.partner_id = (
                deposit.project_id.partner_id.commercial_partner_id
                or deposit.partner_id
            )

    @api.depends("purchase_id", "project_id", "company_id")
    def _compute_currency_id(self):
        for deposit in self:
            deposit.currency_id = (
                deposit.purchase_id.currency_id
                or deposit.project_id.aftersales_sale_order_id.currency_id
                or deposit.currency_id
                or deposit.company_id.currency_id
            )

    @api.depends("company_id")
    def _compute_withhold_rate(self):
        for deposit in self:
            deposit.withhold_rate = deposit.company_id.aftersales_deposit_rate

    @api.depends("company_id", "project_id.aftersales_warranty_months")
    def _compute_warranty_months(self):
        for deposit in self:
            deposit.warranty_months = (
                deposit.project_id.aftersales_warranty_months
                or deposit.company_id.aftersales_deposit_months
            )

    @api.depends("project_id.date_formal_handover")
    def _compute_date_start(self):
        for deposit in self:
            deposit.date_start = (
                deposit.project_id.date_formal_handover
                or deposit.date_start
                or fields.Date.context_today(deposit)
            )

    @api.depends("date_start", "warranty_months", "project_id.date_warranty_end")
    def _compute_date_end(self):
        for deposit in self:
            if deposit.project_id:
                # The project's warranty, known from its formal handover only.
                deposit.date_end = deposit.project_id.date_warranty_end
            elif deposit.date_start and deposit.warranty_months > 0:
                deposit.date_end = periods.period_end(
                    deposit.date_start, months=deposit.warranty_months
                )
            elif not deposit.date_end:
                deposit.date_end = deposit.date_start

    @api.depends("company_id", "side")
    def _compute_accounting(self):
        for deposit in self:
            company = deposit.company_id
            deposit.journal_id = company.aftersales_deposit_journal_id
            deposit.retention_account_id = (
                company.aftersales_retention_receivable_account_id
                if deposit.side == "customer"
                else company.aftersales_retention_account_id
            )
            deposit.recovery_account_id = company.aftersales_recovery_account_id

    def _held_sign(self):
        """+1 when credits on the retention account hold (a supplier deposit,
        a liability), -1 when debits do (a customer retention, an asset)."""
        self.ensure_one()
        return -1 if self.side == "customer" else 1

    def _release_kind(self):
        """The movement that gives the balance back at the warranty end."""
        self.ensure_one()
        return "collection" if self.side == "customer" else "release"

    @api.depends(
        "retention_line_ids.amount_currency",
        "retention_line_ids.balance",
        "retention_line_ids.parent_state",
    )
    def _compute_balance(self):
        # Supplier: credits on the retention account are what is held;
        # customer: debits (see _held_sign).
        totals = {
            deposit.id: (
                -deposit._held_sign() * amount_currency,
                -deposit._held_sign() * balance,
            )
            for deposit, amount_currency, balance in self.env[
                "account.move.line"
            ]._read_group(
                [
                    ("aftersales_deposit_id", "in", self.ids),
                    ("parent_state", "=", "posted"),
                ],
                ["aftersales_deposit_id"],
                ["amount_currency:sum", "balance:sum"],
            )
        }
        for deposit in self:
            deposit.balance, deposit.balance_company = totals.get(
                deposit.id, (0.0, 0.0)
            )

    @api.depends("movement_ids.state", "movement_ids.signed_amount")
    def _compute_totals(self):
        groups = self.env["aftersales.supplier.deposit.movement"]._read_group(
            [
                ("deposit_id", "in", self.ids),
                ("state", "in", ("approved", "posted")),
            ],
            ["deposit_id", "kind", "state"],
            ["signed_amount:sum"],
        )
        totals = {}
        for deposit, kind, state, amount in groups:
            key = "reserved" if state == "approved" else kind
            per_deposit = totals.setdefault(deposit.id, {})
            per_deposit[key] = per_deposit.get(key, 0.0) + amount
        for deposit in self:
            found = totals.get(deposit.id, {})
            deposit.withheld_amount = found.get("withhold", 0.0) + found.get(
                "refund", 0.0
            )
            deposit.deducted_amount = -found.get("deduction", 0.0)
            deposit.released_amount = -sum(
                found.get(kind, 0.0) for kind in RELEASE_KINDS
            )
            deposit.reserved_amount = -found.get("reserved", 0.0)

    @api.depends("state", "date_end", "balance")
    def _compute_is_due(self):
        today = fields.Date.context_today(self)
        for deposit in self:
            deposit.is_due = (
                deposit.state == "active"
                and deposit.balance > 0
                and rules.is_due(deposit.date_end, today)
            )

    def _search_is_due(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on Due for Release."))
        domain = [
            ("state", "=", "active"),
            ("balance", ">", 0),
            ("date_end", "<", fields.Date.context_today(self)),
        ]
        if (operator == "=") == value:
            return domain
        return ["!", "&", "&", *domain]

    def _compute_bill_count(self):
        counts = dict(
            self.env["account.move"]._read_group(
                [("aftersales_deposit_id", "in", self.ids)],
                ["aftersales_deposit_id"],
                ["__count"],
            )
        )
        for deposit in self:
            deposit.bill_count = counts.get(deposit, 0)

    # ------------------------------------------------------------------
    # Constraints and CRUD
    # ------------------------------------------------------------------

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for deposit in self:
            if not deposit.date_end:
                if deposit.side == "supplier":
                    raise ValidationError(
                        self.env._(
                            "Deposit %(deposit)s needs its warranty end.",
                            deposit=deposit.display_name,
                        )
                    )
                continue
            if deposit.date_end < deposit.date_start:
                raise ValidationError(
                    self.env._(
                        "Deposit %(deposit)s: the warranty cannot end before it "
                        "starts.",
                        deposit=deposit.display_name,
                    )
                )

    @api.constrains("purchase_id", "partner_id", "currency_id")
    def _check_purchase(self):
        for deposit in self.filtered("purchase_id"):
            purchase = deposit.purchase_id
            if (
                purchase.partner_id.commercial_partner_id
                != deposit.partner_id.commercial_partner_id
            ):
                raise ValidationError(
                    self.env._(
                        "Purchase %(purchase)s is not from %(supplier)s.",
                        purchase=purchase.name,
                        supplier=deposit.partner_id.display_name,
                    )
                )
            if purchase.currency_id != deposit.currency_id:
                raise ValidationError(
                    self.env._(
                        "A deposit on purchase %(purchase)s is held in its "
                        "currency, %(currency)s.",
                        purchase=purchase.name,
                        currency=purchase.currency_id.name,
                    )
                )

    @api.constrains("side", "project_id", "partner_id", "purchase_id")
    def _check_side(self):
        for deposit in self:
            if deposit.side == "supplier":
                if deposit.project_id:
                    raise ValidationError(
                        self.env._(
                            "Deposit %(deposit)s is a supplier's: the "
                            "retention of a project is a customer retention.",
                            deposit=deposit.display_name,
                        )
                    )
                continue
            project = deposit.project_id
            if not project or deposit.purchase_id:
                raise ValidationError(
                    self.env._(
                        "Customer retention %(deposit)s is held on an "
                        "engineering project, not on a purchase.",
                        deposit=deposit.display_name,
                    )
                )
            if (
                project.partner_id.commercial_partner_id
                != deposit.partner_id.commercial_partner_id
            ):
                raise ValidationError(
                    self.env._(
                        "The customer of retention %(deposit)s is the "
                        "customer of project %(project)s.",
                        deposit=deposit.display_name,
                        project=project.display_name,
                    )
                )

    @api.constrains("side", "retention_account_id")
    def _check_retention_account(self):
        kinds = {
            "supplier": ("liability_current", "liability_non_current"),
            "customer": ("asset_current", "asset_non_current"),
        }
        for deposit in self.filtered("retention_account_id"):
            if deposit.retention_account_id.account_type not in kinds[deposit.side]:
                raise ValidationError(
                    self.env._(
                        "The retention account of %(deposit)s must be a "
                        "current or non-current %(kind)s account.",
                        deposit=deposit.display_name,
                        kind=(
                            self.env._("asset")
                            if deposit.side == "customer"
                            else self.env._("liability")
                        ),
                    )
                )

    @api.constrains("purchase_id", "project_id", "state")
    def _check_one_per_purchase(self):
        """One open deposit per purchase, one open retention per project."""
        messages = {
            "purchase_id": lambda deposit: self.env._(
                "Purchase %(purchase)s already has an open warranty deposit.",
                purchase=deposit.purchase_id.name,
            ),
            "project_id": lambda deposit: self.env._(
                "Project %(project)s already has an open retention.",
                project=deposit.project_id.display_name,
            ),
        }
        for field, message in messages.items():
            for deposit in self.filtered(
                lambda d, f=field: d[f] and d.state in ("draft", "active")
            ):
                if self.search_count(
                    [
                        ("id", "!=", deposit.id),
                        (field, "=", deposit[field].id),
                        ("state", "in", ("draft", "active")),
                    ]
                ):
                    raise ValidationError(message(deposit))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "New") == "New":
                vals["name"] = (
                    self.env["ir.sequence"]
                    .with_company(vals.get("company_id") or self.env.company)
                    .next_by_code("aftersales.supplier.deposit")
                    or "New"
                )
        return super().create(vals_list)

    def write(self, vals):
        self.check_access("write")
        if self._posted_locked_fields & vals.keys() and self.movement_ids.filtered(
            lambda m: m.state == "posted"
        ):
            raise UserError(
                self.env._(
                    "The side, partner, project, currency, company, journal, "
                    "retention account and warranty dates of a deposit with "
                    "posted movements cannot change."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_without_movements(self):
        if self.movement_ids:
            raise UserError(
                self.env._(
                    "A deposit with movements cannot be deleted: archive it " "instead."
                )
            )

    @api.depends("name", "partner_id")
    def _compute_display_name(self):
        for deposit in self:
            deposit.display_name = " · ".join(
                part for part in (deposit.name, deposit.partner_id.name) if part
            )

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------

    def _check_finance(self):
        self._check_group(
            FINANCE,
            self.env._("Only After-Sales Finance users can do this."),
        )

    def action_activate(self):
        """Start withholding: the accounting must be ready before a bill comes."""
        self._check_finance()
        for deposit in self:
            missing = [
                deposit._fields[name].get_description(self.env)["string"]
                for name in (
                    "journal_id",
                    "retention_account_id",
                    # A customer retention is collected, never deducted.
                    *(("recovery_account_id",) if deposit.side == "supplier" else ()),
                )
                if not deposit[name]
            ]
            if missing:
                raise UserError(
                    self.env._(
                        "Deposit %(deposit)s needs %(fields)s (After-Sales "
                        "settings give the defaults).",
                        deposit=deposit.display_name,
                        fields=", ".join(missing),
                    )
                )
            if deposit.withhold_method == rules.PERCENT and not deposit.withhold_rate:
                raise UserError(
                    self.env._(
                        "Set the withholding rate of %(deposit)s.",
                        deposit=deposit.display_name,
                    )
                )
            if deposit.withhold_method == rules.FIXED and not deposit.withhold_target:
                raise UserError(
                    self.env._(
                        "Set the amount to withhold of %(deposit)s.",
                        deposit=deposit.display_name,
                    )
                )
        self._move_to("active")
        return True

    def action_cancel(self):
        self._check_finance()
        # Under the lock: a movement posted meanwhile is seen.
        self._lock_for_update()
        for deposit in self:
            if deposit.movement_ids.filtered(lambda m: m.state == "posted"):
                raise UserError(
                    self.env._(
                        "Deposit %(deposit)s has posted movements: reverse them "
                        "or release the balance instead of cancelling.",
                        deposit=deposit.display_name,
                    )
                )
        self._check_transition("cancel")
        self.movement_ids.filtered(
            lambda m: m.state in ("proposed", "approved")
        )._move_to("cancel")
        self._move_to("cancel")
        return True

    def action_draft(self):
        self._check_finance()
        self._move_to("draft")
        return True

    def action_propose_release(self):
        """Finance proposes a release by hand (partial or early: manager approves)."""
        self.ensure_one()
        self._check_finance()
        kind = self._release_kind()
        return {
            "type": "ir.actions.act_window",
            "name": (
                self.env._("Collection")
                if kind == "collection"
                else self.env._("Release")
            ),
            "res_model": "aftersales.supplier.deposit.movement",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_deposit_id": self.id,
                "default_kind": kind,
                "default_amount": self.balance - self.reserved_amount,
            },
        }

    def action_propose_deduction(self):
        self.ensure_one()
        self.env["aftersales.supplier.deposit.movement"]._check_any_group(
            (MANAGER, FINANCE),
            self.env._("Only the after-sales manager and finance register deductions."),
        )
        if self.side == "customer":
            raise UserError(
                self.env._(
                    "A customer retention is collected, not deducted: credit "
                    "the customer's invoice for what it keeps."
                )
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Deduction"),
            "res_model": "aftersales.supplier.deposit.movement",
            "view_mode": "form",
            "target": "new",
            "context": {"default_deposit_id": self.id, "default_kind": "deduction"},
        }

    def action_view_bills(self):
        self.ensure_one()
        customer = self.side == "customer"
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
            if customer
            else "account.action_move_in_invoice_type"
        )
        action["domain"] = [("aftersales_deposit_id", "=", self.id)]
        action["context"] = {
            "default_move_type": "out_invoice" if customer else "in_invoice"
        }
        return action

    def action_view_journal_items(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Retention Journal Items"),
            "res_model": "account.move.line",
            "view_mode": "list,form",
            "domain": [("aftersales_deposit_id", "=", self.id)],
            "context": {"search_default_posted": 1},
        }

    # ------------------------------------------------------------------
    # Balance under lock
    # ------------------------------------------------------------------

    def _lock_for_update(self):
        """Lock these deposits and return their balances, read under the lock.

        ``SELECT ... FOR NO KEY UPDATE`` waits for a transaction that holds
        the deposit (and lets bills reference it meanwhile). The row is then
        marked, so that the next one to lock it knows this transaction
        changed the deposit: under REPEATABLE READ, a transaction whose
        snapshot predates that change cannot read it, and PostgreSQL refuses
        its lock with a serialisation failure. The lock is asked quietly
        (``log_exceptions=False``): the failure logs no ERROR, and the server
        retries the request, which reads the committed balance and decides
        on it (a clear ``UserError`` if it is short).
        """
        if not self:
            return {}
        ids = tuple(sorted(self.ids))
        cr = self.env.cr
        # Locked before flushing: this transaction's pending writes to the
        # deposit would otherwise meet the other one's first, noisily.
        cr.execute(
            SQL(
                "SELECT id FROM aftersales_supplier_deposit WHERE id IN %s "
                "ORDER BY id FOR NO KEY UPDATE",
                ids,
            ),
            log_exceptions=False,
        )
        self.env.flush_all()
        cr.execute(
            SQL(
                "UPDATE aftersales_supplier_deposit SET write_date = now() "
                "AT TIME ZONE 'UTC', write_uid = %s WHERE id IN %s",
                self.env.uid,
                ids,
            )
        )
        cr.execute(
            SQL(
                """
                SELECT d.id,
                       CASE WHEN d.side = 'customer' THEN 1 ELSE -1 END
                         * COALESCE(SUM(l.amount_currency), 0),
                       CASE WHEN d.side = 'customer' THEN 1 ELSE -1 END
                         * COALESCE(SUM(l.balance), 0)
                  FROM aftersales_supplier_deposit d
             LEFT JOIN account_move_line l
                    ON l.aftersales_deposit_id = d.id
                   AND l.parent_state = 'posted'
                 WHERE d.id IN %s
              GROUP BY d.id
                """,
                ids,
            )
        )
        balances = {row[0]: (row[1], row[2]) for row in cr.fetchall()}
        self.invalidate_recordset(["balance", "balance_company", "write_date"])
        return balances

    def _check_debit(self, amount, exclude=None, reserved=True):
        """Lock the deposit and refuse a debit it cannot bear.

        Returns the balance read under the lock, in the deposit's and the
        company's currency, for the entry that follows.
        """
        self.ensure_one()
        balances = self._lock_for_update()[self.id]
        balance = balances[0]
        held = 0.0
        if reserved:
            pending = self.movement_ids.filtered(
                lambda m: m.state == "approved" and m.signed_amount < 0
            ) - (exclude or self.env["aftersales.supplier.deposit.movement"])
            held = -sum(pending.mapped("signed_amount"))
        if rules.exceeds(amount, balance, held, self.currency_id.rounding):
            raise UserError(
                self.env._(
                    "Deposit %(deposit)s holds %(balance)s, of which %(held)s "
                    "is already approved for deductions or releases: "
                    "%(amount)s cannot be taken from it.",
                    deposit=self.display_name,
                    balance=self._format(balance),
                    held=self._format(held),
                    amount=self._format(amount),
                )
            )
        return balances

    def _company_amount(self, amount, date, balances):
        """``amount`` of the deposit's currency in the company's currency.

        Taking the whole balance (``balances``, as read under the lock) takes
        the whole company-currency balance too, so that an emptied deposit
        leaves nothing on the retention account whatever the rates did.
        """
        self.ensure_one()
        currency = self.currency_id
        company_currency = self.company_id.currency_id
        if currency == company_currency:
            return amount
        balance, balance_company = balances
        if currency.compare_amounts(amount, balance) == 0:
            return balance_company
        return currency._convert(amount, company_currency, self.company_id, date)

    def _format(self, amount):
        return self.currency_id.format(amount)

    def _posted_movements(self):
        """The posted movements in date order and the balance after each."""
        self.ensure_one()
        posted = self.movement_ids.filtered(lambda m: m.state == "posted").sorted(
            lambda m: (m.date, m.id)
        )
        balances = rules.running_balances(
            posted.mapped("signed_amount"), rounding=self.currency_id.rounding
        )
        return posted, balances

    def _statement_lines(self):
        """The posted movements in date order, with their running balance."""
        self.ensure_one()
        kinds = dict(
            self.env["aftersales.supplier.deposit.movement"]
            ._fields["kind"]
            ._description_selection(self.env)
        )
        posted, balances = self._posted_movements()
        return [
            {
                "date": movement.date,
                "kind": (
                    self.env._("Reversal of %(kind)s", kind=kinds[movement.kind])
                    if movement.reversal_of_id
                    else kinds[movement.kind]
                ),
                "name": movement.name,
                "source": movement.bill_id.name or movement.claim_id.name or "",
                "entry": movement.move_id.name or "",
                "amount": movement.signed_amount,
                "balance": balance,
            }
            for movement, balance in zip(posted, balances, strict=True)
        ]

    # ------------------------------------------------------------------
    # Bills and claims
    # ------------------------------------------------------------------

    @api.model
    def _find_for_purchases(self, purchases):
        return self.search(
            [
                ("side", "=", "supplier"),
                ("purchase_id", "in", purchases.ids),
                ("state", "=", "active"),
            ]
        )

    @api.model
    def _find_for_sale_orders(self, orders):
        """The active retentions of the projects of these contract orders."""
        return self.search(
            [
                ("side", "=", "customer"),
                ("project_id.aftersales_sale_order_id", "in", orders.ids),
                ("state", "=", "active"),
            ]
        )

    @api.model
    def _find_for_claim(self, claim):
        """The open deposit of the claim's supplier that bears its cost.

        Prefer a deposit whose warranty covers the failure, then one whose
        purchase delivered the failed product, then the oldest.
        """
        deposits = self.search(
            [
                ("side", "=", "supplier"),
                ("partner_id", "child_of", claim.supplier_id.commercial_partner_id.id),
                ("company_id", "=", claim.company_id.id),
                ("state", "=", "active"),
            ]
        )
        if not deposits:
            return deposits
        failure = claim.failure_date or claim.date
        products = claim.product_id | claim.line_ids.product_id

        def preference(deposit):
            covers = deposit.date_start <= failure <= deposit.date_end
            supplied = bool(deposit.purchase_id.order_line.product_id & products)
            return (not covers, not supplied, deposit.date_end, deposit.id)

        return deposits.sorted(preference)[:1]

    # ------------------------------------------------------------------
    # Release
    # ------------------------------------------------------------------

    @api.model
    def _release_domain(self):
        return [
            ("is_due", "=", True),
            (
                "movement_ids",
                "not any",
                [
                    ("kind", "in", RELEASE_KINDS),
                    ("state", "in", ("proposed", "approved")),
                ],
            ),
        ]

    def _cron_propose_releases(self, batch_size=100):
        """Propose the release of each deposit whose warranty has ended.

        One batch per call: the cron commits it and calls again while
        ``_notify_progress`` reports more. Deposits are locked with SKIP LOCKED
        so two workers never propose the same release. Called on records, it
        looks at those only.
        """
        domain = self._release_domain()
        if self:
            domain = [("id", "in", self.ids), *domain]
        locked = self._lock_batch(domain, batch_size, order="date_end, id")
        proposed = locked._propose_due_release()
        self.env["ir.cron"]._notify_progress(
            done=len(proposed),
            remaining=self.search_count(domain) if proposed else 0,
        )
        return proposed

    def _propose_due_release(self):
        """One approved release (collection, for a customer retention) of the
        whole balance per due deposit."""
        todo = self.filtered_domain(self._release_domain())
        movements = self.env["aftersales.supplier.deposit.movement"].create(
            [
                {
                    "deposit_id": deposit.id,
                    "kind": deposit._release_kind(),
                    "amount": deposit.balance - deposit.reserved_amount,
                    "name": (
                        self.env._(
                            "Collection at the end of the warranty (%(date)s)",
                            date=deposit.date_end,
                        )
                        if deposit.side == "customer"
                        else self.env._(
                            "Release at the end of the warranty (%(date)s)",
                            date=deposit.date_end,
                        )
                    ),
                }
                for deposit in todo
                if deposit.balance - deposit.reserved_amount > 0
            ]
        )
        # A release of the whole balance after the period needs no approval:
        # the cron confirms it (the balance is checked under the lock).
        movements._approve()
        for movement in movements:
            deposit = movement.deposit_id
            if deposit.side == "customer":
                summary = self.env._("Collect the project's retention")
                # Seed 003: the project's team collects it with finance.
                users = deposit.user_id | deposit.project_id.aftersales_user_id
            else:
                summary = self.env._("Post the release of the warranty deposit")
                users = deposit.user_id
            for user in users or self.env.user:
                deposit.activity_schedule(
                    "mail.mail_activity_data_todo", user_id=user.id, summary=summary
                )
        return movements
