# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..aftersales_service import deposit as rules
from .account_move import deposit_entry_reversal
from .aftersales_workflow_mixin import ALWAYS_WRITABLE

TRANSITIONS = {
    "proposed": ("approved", "cancel"),
    "approved": ("posted", "proposed", "cancel"),
    "posted": (),
    "cancel": ("proposed",),
}
# Sign of a movement on the deposit's balance, before any reversal.
SIGNS = {
    "withhold": 1,
    "refund": -1,
    "deduction": -1,
    "release": -1,
    "collection": -1,
}
# Give the balance back at the warranty end: to the supplier (release), or
# from the customer (collection of a customer retention).
RELEASE_KINDS = ("release", "collection")
# The kinds each side of a deposit takes.
SIDE_KINDS = {
    "supplier": ("withhold", "refund", "deduction", "release"),
    "customer": ("withhold", "refund", "collection"),
}
# Recorded by posting a bill or a credit note, never proposed by hand.
BILL_KINDS = ("withhold", "refund")
MANAGER = "aftersales_service.group_aftersales_manager"
FINANCE = "aftersales_service.group_aftersales_finance"


class AftersalesSupplierDepositMovement(models.Model):
    """A withholding, deduction or release on a supplier warranty deposit.

    Withholdings are posted with the supplier's bill. Deductions and releases
    are proposed, approved (the after-sales manager for deductions, early and
    partial releases) and posted by finance. Posted movements never change:
    a correction is a reversal, a movement of its own.
    """

    _name = "aftersales.supplier.deposit.movement"
    _description = "Supplier Deposit Movement"
    _inherit = ["mail.thread", "aftersales.workflow.mixin"]
    _order = "date, id"
    _check_company_auto = True
    _state_transitions = TRANSITIONS
    _positive_fields = frozenset({"amount"})
    # Set by the workflow methods only, never typed in.
    _workflow_fields = frozenset(
        {
            "state",
            "move_id",
            "approved_by_id",
            "posted_by_id",
            "reversed",
            "reversal_id",
            "reversal_of_id",
            "bill_id",
            "signed_amount",
        }
    )
    # What was approved is what is posted: "Back to Proposed" to change it.
    _final_states = {
        "approved": frozenset({"name"}),
        "posted": frozenset(),
        "cancel": frozenset(),
    }

    name = fields.Char(string="Description", required=True)
    deposit_id = fields.Many2one(
        comodel_name="aftersales.supplier.deposit",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        domain="[('state', '=', 'active')]",
    )
    company_id = fields.Many2one(
        related="deposit_id.company_id", store=True, index=True
    )
    currency_id = fields.Many2one(related="deposit_id.currency_id", store=True)
    partner_id = fields.Many2one(
        related="deposit_id.partner_id", store=True, string="Supplier"
    )
    kind = fields.Selection(
        selection=[
            ("withhold", "Withholding"),
            ("refund", "Credit Note Share"),
            ("deduction", "Deduction"),
            ("release", "Release"),
            ("collection", "Collection"),
        ],
        required=True,
        default="deduction",
        index=True,
    )
    state = fields.Selection(
        selection=[
            ("proposed", "Proposed"),
            ("approved", "Approved"),
            ("posted", "Posted"),
            ("cancel", "Cancelled"),
        ],
        string="Status",
        required=True,
        default="proposed",
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    date = fields.Date(
        string="Accounting Date",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
    )
    amount = fields.Monetary(required=True, tracking=True)
    signed_amount = fields.Monetary(
        compute="_compute_signed_amount",
        store=True,
        help="Effect on the balance: withholdings add, deductions and releases "
        "take; a reversal has the opposite sign of what it reverses.",
    )
    running_balance = fields.Monetary(
        string="Balance", compute="_compute_running_balance"
    )
    reason = fields.Text(
        tracking=True,
        help="Why: the cost the supplier caused, or why a release is early or "
        "partial.",
    )
    attachment_ids = fields.Many2many(
        comodel_name="ir.attachment",
        relation="aftersales_deposit_movement_attachment_rel",
        column1="movement_id",
        column2="attachment_id",
        string="Evidence",
    )
    claim_id = fields.Many2one(
        comodel_name="aftersales.claim",
        index="btree_not_null",
        check_company=True,
        domain="[('responsibility', '=', 'supplier'), "
        "('state', 'in', ('approved', 'done'))]",
    )
    bill_id = fields.Many2one(
        comodel_name="account.move",
        string="Bill",
        index="btree_not_null",
        readonly=True,
        check_company=True,
    )
    move_id = fields.Many2one(
        comodel_name="account.move",
        string="Journal Entry",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
    )
    reversal_of_id = fields.Many2one(
        comodel_name="aftersales.supplier.deposit.movement",
        string="Reverses",
        readonly=True,
        index="btree_not_null",
        check_company=True,
    )
    reversal_id = fields.Many2one(
        comodel_name="aftersales.supplier.deposit.movement",
        string="Reversed By",
        readonly=True,
        copy=False,
        check_company=True,
    )
    reversed = fields.Boolean(readonly=True, copy=False)
    approval_reasons = fields.Char(
        compute="_compute_approval_reasons",
        help="Why the after-sales manager must approve this movement.",
    )
    needs_manager = fields.Boolean(compute="_compute_approval_reasons")
    approved_by_id = fields.Many2one(
        comodel_name="res.users", readonly=True, copy=False, tracking=True
    )
    posted_by_id = fields.Many2one(comodel_name="res.users", readonly=True, copy=False)

    _sql_constraints = [
        ("amount_positive", "CHECK(amount > 0)", "A movement's amount is positive."),
    ]

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("kind", "amount", "reversal_of_id")
    def _compute_signed_amount(self):
        for movement in self:
            sign = SIGNS[movement.kind] * (-1 if movement.reversal_of_id else 1)
            movement.signed_amount = sign * movement.amount

    @api.depends("deposit_id.movement_ids.state", "signed_amount", "date")
    def _compute_running_balance(self):
        for deposit in self.deposit_id:
            posted, balances = deposit._posted_movements()
            by_id = dict(zip(posted.ids, balances, strict=True))
            for movement in self.filtered(lambda m, d=deposit: m.deposit_id == d):
                movement.running_balance = by_id.get(movement._origin.id, 0.0)
        (self - self.filtered("deposit_id")).running_balance = 0.0

    @api.depends("kind", "amount", "date", "deposit_id.date_end", "deposit_id.balance")
    def _compute_approval_reasons(self):
        labels = {
            rules.EARLY: self.env._("before the warranty ends"),
            rules.PARTIAL: self.env._("not the whole balance"),
        }
        today = fields.Date.context_today(self)
        for movement in self:
            reasons = []
            if movement.kind == "deduction":
                reasons = [self.env._("a deduction")]
            elif movement.kind in RELEASE_KINDS and not movement.reversal_of_id:
                deposit = movement.deposit_id
                reasons = [
                    labels[code]
                    for code in rules.release_approvals(
                        movement.amount,
                        deposit.balance,
                        # Dating a release after the end makes it no less early.
                        min(movement.date or today, today),
                        deposit.date_end,
                        deposit.currency_id.rounding or 0.01,
                    )
                ]
            movement.approval_reasons = ", ".join(reasons)
            movement.needs_manager = bool(reasons)

    # ------------------------------------------------------------------
    # Constraints and CRUD
    # ------------------------------------------------------------------

    @api.constrains("kind", "deposit_id")
    def _check_kind(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for movement in self:
            if movement.kind not in SIDE_KINDS[movement.deposit_id.side]:
                raise ValidationError(
                    self.env._(
                        "Deposit %(deposit)s takes no %(kind)s.",
                        deposit=movement.deposit_id.display_name,
                        kind=kinds[movement.kind],
                    )
                )

    @api.constrains("claim_id", "deposit_id", "state")
    def _check_claim(self):
        for movement in self.filtered("claim_id"):
            claim = movement.claim_id
            if claim.supplier_id.commercial_partner_id != (
                movement.partner_id.commercial_partner_id
            ):
                raise ValidationError(
                    self.env._(
                        "Claim %(claim)s blames %(supplier)s, not the supplier of "
                        "deposit %(deposit)s.",
                        claim=claim.name,
                        supplier=claim.supplier_id.display_name,
                        deposit=movement.deposit_id.display_name,
                    )
                )
            live = [
                ("claim_id", "=", claim.id),
                ("state", "!=", "cancel"),
                ("reversed", "=", False),
                ("reversal_of_id", "=", False),
            ]
            if movement.filtered_domain(live) and self.search_count(
                [("id", "!=", movement.id), *live]
            ):
                raise ValidationError(
                    self.env._(
                        "Claim %(claim)s is already deducted from a deposit.",
                        claim=claim.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        system = self._creating_in_transition()
        self.browse().check_access("create")
        if not system and any(vals.get("kind") in BILL_KINDS for vals in vals_list):
            raise UserError(
                self.env._(
                    "Withholdings and credit note shares are recorded by posting "
                    "the supplier's bills: propose a deduction or a release."
                )
            )
        movements = super().create(vals_list)
        if not system:
            movements._check_deposit_active()
        movements._link_evidence()
        return movements

    def _check_deposit_active(self):
        for movement in self:
            if movement.deposit_id.state != "active":
                raise UserError(
                    self.env._(
                        "Deposit %(deposit)s is not withholding: it takes no "
                        "movement.",
                        deposit=movement.deposit_id.display_name,
                    )
                )

    def _link_evidence(self):
        """Attach uploaded evidence to the movement, so that whoever may read
        the movement (the manager, finance) may read its evidence too."""
        for movement in self:
            movement.attachment_ids.filtered(
                lambda a: not a.res_id and a.create_uid == self.env.user
            ).sudo().write({"res_model": self._name, "res_id": movement.id})

    def write(self, vals):
        # The rights first: who may not write movements learns nothing more.
        self.check_access("write")
        # A posted movement is its journal entry: it never changes, not even
        # as the superuser, except through its reversal.
        if vals.keys() - ALWAYS_WRITABLE and not self._written_by_transition():
            for movement in self.filtered(lambda m: m.state == "posted"):
                raise UserError(
                    self.env._(
                        "%(movement)s is %(state)s: it cannot be changed; reverse "
                        "it instead.",
                        movement=movement.display_name,
                        state=movement._state_label(movement.state),
                    )
                )
        if not self._in_transition():
            if "kind" in vals and (
                vals["kind"] in BILL_KINDS
                or any(movement.kind in BILL_KINDS for movement in self)
            ):
                raise UserError(
                    self.env._(
                        "Withholdings and credit note shares are recorded by "
                        "posting the supplier's bills."
                    )
                )
        result = super().write(vals)
        if "deposit_id" in vals and not self._in_transition():
            self._check_deposit_active()
        if "attachment_ids" in vals:
            self._link_evidence()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_only_unposted(self):
        if any(m.state == "posted" or m.move_id for m in self):
            raise UserError(
                self.env._(
                    "A posted deposit movement cannot be deleted: reverse it "
                    "instead."
                )
            )

    @api.depends("kind", "deposit_id", "date")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for movement in self:
            label = kinds.get(movement.kind, "")
            if movement.reversal_of_id:
                label = self.env._("Reversal of %(kind)s", kind=label)
            movement.display_name = " · ".join(
                part for part in (movement.deposit_id.name, label) if part
            )

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------

    def _check_any_group(self, xmlids, message):
        """Refuse users in none of ``xmlids`` (the superuser passes)."""
        if self.env.su or any(self.env.user.has_group(xmlid) for xmlid in xmlids):
            return
        raise AccessError(message)

    def action_approve(self):
        """The after-sales manager confirms deductions, early and partial
        releases; finance confirms the release of a due balance."""
        for movement in self:
            if movement.kind in BILL_KINDS:
                raise UserError(self.env._("Withholdings are posted with their bill."))
            if movement.needs_manager:
                movement._check_group(
                    MANAGER,
                    self.env._(
                        "Only the after-sales manager approves %(what)s.",
                        what=movement.approval_reasons,
                    ),
                )
            else:
                movement._check_group(
                    FINANCE,
                    self.env._("Only After-Sales Finance confirms a release."),
                )
        self._approve()
        return True

    def _approve(self):
        """Approve, the deposit locked: what is approved is held on it."""
        for movement in self:
            movement._check_transition("approved")
            movement._check_evidence()
            movement.deposit_id._check_debit(movement.amount, exclude=movement)
            # One at a time: the next one sees this one's amount held.
            movement._move_to("approved", approved_by_id=self.env.user.id)

    def _check_evidence(self):
        self.ensure_one()
        if self.kind == "deduction" and not self.claim_id:
            if not (self.reason or "").strip() or not self.attachment_ids:
                raise UserError(
                    self.env._(
                        "A deduction that comes from no claim needs its reason "
                        "and evidence attached."
                    )
                )
        if (
            self.needs_manager
            and self.kind in RELEASE_KINDS
            and not (self.reason or "").strip()
        ):
            raise UserError(
                self.env._(
                    "Say why the deposit is released %(why)s.",
                    why=self.approval_reasons,
                )
            )

    def action_post(self):
        """Finance posts the journal entry; the balance is checked under lock."""
        self._check_group(
            FINANCE,
            self.env._("Only After-Sales Finance posts deposit movements."),
        )
        for movement in self.sorted(lambda m: (m.date, m.id)):
            movement._check_transition("posted")
            balances = movement.deposit_id._check_debit(
                movement.amount, exclude=movement, reserved=False
            )
            # Re-read under the locks: another user may have just posted it.
            movement._lock_rows()
            movement._check_transition("posted")
            movement._post_entry(balances)
        return True

    def _post_entry(self, balances):
        """Create and post the entry, then mark the movement posted.

        ``balances`` is the deposit's balance read under the lock, before it.
        """
        self.ensure_one()
        deposit = self.deposit_id
        # Finance posts on the deposit's accounts, which its own accounting
        # rights may not reach (a billing user cannot create entries of
        # liability accounts in every setup); the check above is the authority.
        move = (
            self.env["account.move"]
            .sudo()
            .create(self._entry_values(deposit, balances))
        )
        move.action_post()
        self._mark_posted(move)
        if (
            self.kind in RELEASE_KINDS
            and deposit.state == "active"
            and deposit.currency_id.is_zero(balances[0] - self.amount)
        ):
            deposit._move_to("released")
        return move

    def _mark_posted(self, move):
        self._workflow_write(
            {
                "state": "posted",
                "move_id": move.id,
                "posted_by_id": self.env.user.id,
            }
        )
        self.deposit_id.invalidate_recordset(["balance", "balance_company"])
        return self

    def _entry_values(self, deposit, balances):
        partner = deposit.partner_id.commercial_partner_id.with_company(
            deposit.company_id
        )
        counterpart = {
            "deduction": deposit.recovery_account_id,
            "release": partner.property_account_payable_id,
            # The collected retention becomes the customer's to pay.
            "collection": partner.property_account_receivable_id,
        }[self.kind]
        # Debits the retention account of a supplier deposit, credits the
        # one of a customer retention.
        amount_currency = deposit._held_sign() * self.amount
        balance = deposit._held_sign() * deposit._company_amount(
            self.amount, self.date, balances
        )
        common = {
            "partner_id": partner.id,
            "currency_id": deposit.currency_id.id,
            "name": self.name,
        }
        return {
            "move_type": "entry",
            "journal_id": deposit.journal_id.id,
            "date": self.date,
            "ref": f"{deposit.name} - {self.name}",
            "company_id": deposit.company_id.id,
            "line_ids": [
                Command.create(
                    dict(
                        common,
                        account_id=deposit.retention_account_id.id,
                        amount_currency=amount_currency,
                        balance=balance,
                        aftersales_deposit_id=deposit.id,
                    )
                ),
                Command.create(
                    dict(
                        common,
                        account_id=counterpart.id,
                        amount_currency=-amount_currency,
                        balance=-balance,
                        date_maturity=self.date,
                    )
                ),
            ],
        }

    def _check_reviewer(self):
        self._check_any_group(
            (MANAGER, FINANCE),
            self.env._(
                "Only the after-sales manager and finance cancel or reset "
                "deposit movements."
            ),
        )

    def action_cancel(self):
        self._check_reviewer()
        # The deposits first, as every step that changes what they hold.
        self.deposit_id._lock_for_update()
        self._move_to("cancel")
        return True

    def action_reset(self):
        self._check_reviewer()
        self.deposit_id._lock_for_update()
        self._move_to("proposed", approved_by_id=False)
        return True

    def action_reverse(self):
        """Cancel a posted movement by its mirror entry, the only correction."""
        self._check_group(
            FINANCE,
            self.env._("Only After-Sales Finance reverses deposit movements."),
        )
        reversals = self.browse()
        for movement in self:
            reversals |= movement._reverse()
        # A window on what was done, as RPC clients can read it.
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reversals"),
            "res_model": self._name,
            "view_mode": "list,form",
            "domain": [("id", "in", reversals.ids)],
        }

    def _reverse(self, date=None):
        self.ensure_one()
        if self.state != "posted" or self.reversed or self.reversal_of_id:
            raise UserError(
                self.env._(
                    "Only a posted movement that is not reversed yet can be "
                    "reversed."
                )
            )
        deposit = self.deposit_id
        if SIGNS[self.kind] > 0:
            # Giving back a withholding takes from the balance.
            deposit._check_debit(self.amount, reserved=False)
        else:
            deposit._lock_for_update()
        if self.kind in RELEASE_KINDS:
            settled = self.move_id.line_ids.filtered(
                lambda line: line.account_id.account_type
                in ("liability_payable", "asset_receivable")
            )
            if settled.matched_debit_ids or settled.matched_credit_ids:
                raise UserError(
                    self.env._(
                        "%(name)s is already settled with %(partner)s: it "
                        "cannot be reversed.",
                        name=self.display_name,
                        partner=deposit.partner_id.display_name,
                    )
                )
        date = date or max(fields.Date.context_today(self), self.move_id.date)
        # The deposit's own entry may be reversed here only (a server scope,
        # not a context key: no RPC caller can open it).
        with deposit_entry_reversal(self.move_id):
            reverse_move = self.move_id.sudo()._reverse_moves(
                [
                    {
                        "date": date,
                        "ref": self.env._(
                            "Reversal of: %(ref)s", ref=self.move_id.ref or ""
                        ),
                    }
                ],
                cancel=True,
            )
        reversal = self._workflow_create(
            [
                {
                    "name": self.env._("Reversal of %(name)s", name=self.name),
                    "deposit_id": deposit.id,
                    "kind": self.kind,
                    "amount": self.amount,
                    "date": date,
                    "bill_id": self.bill_id.id,
                    "claim_id": self.claim_id.id,
                    "reversal_of_id": self.id,
                }
            ]
        )
        reversal._mark_posted(reverse_move)
        self._workflow_write({"reversed": True, "reversal_id": reversal.id})
        if self.kind in RELEASE_KINDS and deposit.state == "released":
            deposit._move_to("active")
        return reversal

    def _live(self):
        """Posted movements that still count: neither reversed nor reversals."""
        return self.filtered(
            lambda m: m.state == "posted" and not m.reversed and not m.reversal_of_id
        )

    def action_view_move(self):
        self.ensure_one()
        return self.move_id.get_formview_action()
