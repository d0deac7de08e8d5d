# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import contextvars
from contextlib import contextmanager

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..aftersales_service import deposit as rules

# Ids of the deposit entries a deposit movement is reversing right now. A
# context variable of the server, not an Odoo context key: RPC cannot set it.
_DEPOSIT_REVERSALS = contextvars.ContextVar(
    "aftersales_deposit_reversals", default=frozenset()
)


@contextmanager
def deposit_entry_reversal(moves):
    """Let the deposit reverse its own entries ``moves`` inside the block."""
    token = _DEPOSIT_REVERSALS.set(_DEPOSIT_REVERSALS.get() | frozenset(moves.ids))
    try:
        yield
    finally:
        _DEPOSIT_REVERSALS.reset(token)


# Invoices and bills a warranty deposit withholds its share of.
WITHHELD_TYPES = ("in_invoice", "in_refund", "out_invoice", "out_refund")


class AccountMove(models.Model):
    _inherit = "account.move"

    aftersales_station_id = fields.Many2one(
        comodel_name="aftersales.station",
        string="Service Station",
        index="btree_not_null",
        readonly=True,
        copy=False,
        check_company=True,
        help="Station whose spare-parts deposit this entry records.",
    )
    aftersales_deposit_id = fields.Many2one(
        comodel_name="aftersales.supplier.deposit",
        string="Warranty Deposit",
        compute="_compute_aftersales_deposit_id",
        store=True,
        readonly=False,
        copy=False,
        index="btree_not_null",
        check_company=True,
        groups="aftersales_service.group_aftersales_user",
        domain="[('state', '=', 'active'), ('company_id', '=', company_id), "
        "('partner_id', '=', commercial_partner_id)]",
        help="Warranty deposit that withholds its share of this bill when it "
        "is posted: a supplier's, found from the bill's purchase order, or the "
        "customer retention of the engineering project whose contract sale "
        "order the invoice bills.",
    )
    aftersales_withholding_ids = fields.One2many(
        comodel_name="aftersales.supplier.deposit.movement",
        inverse_name="bill_id",
        string="Warranty Withholdings",
        groups="aftersales_service.group_aftersales_user",
    )

    @api.depends(
        "line_ids.purchase_line_id",
        "line_ids.sale_line_ids",
        "move_type",
        "company_id",
    )
    def _compute_aftersales_deposit_id(self):
        # One search for all the moves, not one per bill (imports, batches).
        Deposit = self.env["aftersales.supplier.deposit"].sudo()
        deposits = Deposit._find_for_purchases(
            self.line_ids.purchase_line_id.order_id
        ) | Deposit._find_for_sale_orders(self.line_ids.sale_line_ids.order_id)
        for move in self:
            if move.move_type not in WITHHELD_TYPES:
                move.aftersales_deposit_id = False
                continue
            purchases = move.line_ids.purchase_line_id.order_id
            orders = move.line_ids.sale_line_ids.order_id
            found = deposits.filtered(
                lambda d, m=move, p=purchases, o=orders: (
                    d.purchase_id in p
                    if m.is_purchase_document()
                    else d.project_id.aftersales_sale_order_id in o
                )
                and d.company_id == m.company_id
            )[:1]
            move.aftersales_deposit_id = (
                found
                or move.reversed_entry_id.sudo().aftersales_deposit_id
                or move.aftersales_deposit_id
            )

    def write(self, vals):
        if "aftersales_deposit_id" in vals and not self.env.su:
            for move in self.sudo():
                if move.aftersales_withholding_ids._live() and (
                    move.aftersales_deposit_id.id != vals["aftersales_deposit_id"]
                ):
                    raise UserError(
                        self.env._(
                            "Bill %(bill)s has withheld its share for deposit "
                            "%(deposit)s: reset it to draft to change its "
                            "deposit.",
                            bill=move.display_name,
                            deposit=move.aftersales_deposit_id.display_name,
                        )
                    )
        return super().write(vals)

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        bills = posted.sudo().filtered(
            lambda m: m.move_type in WITHHELD_TYPES
            and m.aftersales_deposit_id
            and not m.aftersales_withholding_ids._live()
            # A credit note cancelling a bill whose share was already given
            # back (the bill was reversed from its deposit) gives nothing.
            and not (
                m.move_type in ("in_refund", "out_refund")
                and m.reversed_entry_id
                and not m.reversed_entry_id.aftersales_withholding_ids._live()
            )
        )
        for bill in bills:
            bill._aftersales_withhold()
        return posted

    def _aftersales_withhold(self):
        """Move the deposit's share of the bill from the payable to retention.

        A separate entry, reconciled with the bill: the bill keeps the
        supplier's total (its taxes and the supplier's document agree), and
        its amount due drops by what is withheld. A vendor credit note gives
        its share back the same way, from retention to the payable. A
        customer invoice of a project moves the customer's share from the
        receivable to the retention receivable the same way.
        """
        self.ensure_one()
        deposit = self.aftersales_deposit_id
        if deposit.state != "active":
            raise UserError(
                self.env._(
                    "Warranty deposit %(deposit)s is not withholding: remove it "
                    "from bill %(bill)s or activate it.",
                    deposit=deposit.display_name,
                    bill=self.display_name,
                )
            )
        if self.currency_id != deposit.currency_id:
            raise UserError(
                self.env._(
                    "Bill %(bill)s is in %(bill_currency)s but its warranty "
                    "deposit %(deposit)s is held in %(currency)s.",
                    bill=self.display_name,
                    bill_currency=self.currency_id.name,
                    deposit=deposit.display_name,
                    currency=deposit.currency_id.name,
                )
            )
        if self.partner_id.commercial_partner_id != (
            deposit.partner_id.commercial_partner_id
        ):
            raise UserError(
                self.env._(
                    "Bill %(bill)s is not from the partner of deposit " "%(deposit)s.",
                    bill=self.display_name,
                    deposit=deposit.display_name,
                )
            )
        # Locked before reading what was withheld: two bills of a fixed
        # deposit posted at once never withhold more than its amount.
        deposit._lock_for_update()
        refund = self.move_type in ("in_refund", "out_refund")
        base = (
            self.amount_total
            if deposit.withhold_base == "total"
            else self.amount_untaxed
        ) * (-1 if refund else 1)
        signed = rules.withholding(
            deposit.withhold_method,
            base,
            rate=deposit.withhold_rate,
            target=deposit.withhold_target,
            withheld=deposit.withheld_amount,
            rounding=deposit.currency_id.rounding,
        )
        amount = abs(signed)
        if deposit.currency_id.is_zero(amount):
            return self.env["aftersales.supplier.deposit.movement"]
        if refund:
            deposit._check_debit(amount, reserved=False)
        # The payable of a bill, the receivable of a customer invoice.
        payables = self.line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        )
        # +1: the payable is debited and retention credited (a supplier's);
        # -1: the receivable is credited and retention debited (a customer's).
        sign = deposit._held_sign()
        # The bill's own rate, so that the reconciliation leaves no exchange
        # difference on the withheld part.
        balance = self.company_currency_id.round(
            -sign * sum(payables.mapped("balance")) * amount / self.amount_total
        )
        label = (
            self.env._("Warranty retention given back on %(bill)s", bill=self.name)
            if refund
            else self.env._("Warranty retention on %(bill)s", bill=self.name)
        )
        common = {
            "partner_id": self.commercial_partner_id.id,
            "currency_id": self.currency_id.id,
            "name": label,
        }
        entry = self.create(
            {
                "move_type": "entry",
                "journal_id": deposit.journal_id.id,
                "date": self.date,
                "ref": f"{deposit.name} - {self.name}",
                "company_id": self.company_id.id,
                "line_ids": [
                    Command.create(
                        dict(
                            common,
                            account_id=payables[:1].account_id.id,
                            amount_currency=sign * signed,
                            balance=sign * balance,
                        )
                    ),
                    Command.create(
                        dict(
                            common,
                            account_id=deposit.retention_account_id.id,
                            amount_currency=-sign * signed,
                            balance=-sign * balance,
                            aftersales_deposit_id=deposit.id,
                        )
                    ),
                ],
            }
        )
        entry.action_post()
        # A credit note already matched with its bill leaves its share open on
        # the supplier's payable, to be matched or paid like any credit.
        open_payables = payables.filtered(lambda line: not line.reconciled)
        if open_payables:
            (
                entry.line_ids.filtered(
                    lambda line: line.account_id == payables.account_id
                )
                | open_payables
            ).reconcile()
        return (
            self.env["aftersales.supplier.deposit.movement"]
            ._workflow_create(
                [
                    {
                        "name": label,
                        "deposit_id": deposit.id,
                        "kind": "refund" if refund else "withhold",
                        "amount": amount,
                        "date": self.date,
                        "bill_id": self.id,
                    }
                ]
            )
            ._mark_posted(entry)
        )

    def _aftersales_deposit_movements(self):
        return (
            self.env["aftersales.supplier.deposit.movement"]
            .sudo()
            .search([("move_id", "in", self.ids)])
        )

    def _aftersales_release_withholdings(self):
        """A bill taken back (draft, cancel, full credit note) gives its share back."""
        for withholding in self.sudo().aftersales_withholding_ids._live():
            withholding._reverse()

    def _aftersales_check_deposit_entries(self):
        """Deposit entries change from their deposit only (see
        :func:`deposit_entry_reversal`), whoever asks and whatever the context."""
        movements = (
            self - self.browse(_DEPOSIT_REVERSALS.get())
        )._aftersales_deposit_movements()
        if movements:
            raise UserError(
                self.env._(
                    "Entry %(entry)s records the warranty deposit movement "
                    "%(movement)s: reverse it from the deposit.",
                    entry=movements[0].move_id.display_name,
                    movement=movements[0].display_name,
                )
            )

    def button_draft(self):
        self._aftersales_check_deposit_entries()
        self._aftersales_release_withholdings()
        return super().button_draft()

    def button_cancel(self):
        self._aftersales_check_deposit_entries()
        self._aftersales_release_withholdings()
        return super().button_cancel()

    def _reverse_moves(self, default_values_list=None, cancel=False):
        self._aftersales_check_deposit_entries()
        if cancel:
            self._aftersales_release_withholdings()
        return super()._reverse_moves(default_values_list, cancel=cancel)
