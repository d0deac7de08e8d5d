# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import random
import threading
import time
from datetime import date, timedelta
from io import BytesIO
from unittest.mock import patch

import openpyxl
from dateutil.relativedelta import relativedelta
from psycopg2.errors import LockNotAvailable, SerializationFailure

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.service.model import retrying
from odoo.tests import Form, HttpCase, TransactionCase, new_test_user, tagged

from .test_claims import ClaimCommon


def deposit_accounting(env, suffix):
    """Retention and recovery accounts and the journal of a company's deposits."""
    company = env.company
    Account = env["account.account"]
    retention = Account.create(
        {
            "name": f"Warranty retention {suffix}",
            "code": f"2{suffix}",
            "account_type": "liability_current",
        }
    )
    recovery = Account.create(
        {
            "name": f"After-sales cost recovery {suffix}",
            "code": f"7{suffix}",
            "account_type": "income_other",
        }
    )
    journal = env["account.journal"].search(
        [("type", "=", "general"), ("company_id", "=", company.id)], limit=1
    )
    company.write(
        {
            "aftersales_deposit_journal_id": journal.id,
            "aftersales_retention_account_id": retention.id,
            "aftersales_recovery_account_id": recovery.id,
            "aftersales_deposit_rate": 5.0,
            "aftersales_deposit_months": 12,
        }
    )
    return retention, recovery, journal


def contract_bill(deposit, amount, bill_date):
    """A posted vendor bill of a contract deposit (no purchase order)."""
    env = deposit.env
    bill = env["account.move"].create(
        {
            "move_type": "in_invoice",
            "partner_id": deposit.partner_id.id,
            "invoice_date": bill_date,
            "currency_id": deposit.currency_id.id,
            "aftersales_deposit_id": deposit.id,
            "invoice_line_ids": [
                Command.create(
                    {"name": "Equipment", "price_unit": amount, "tax_ids": []}
                )
            ],
        }
    )
    bill.action_post()
    return bill


class DepositCommon(ClaimCommon):
    @classmethod
    def setup_deposit_data(cls):
        cls.setup_claim_data()
        env = cls.env
        cls.retention, cls.recovery, cls.journal = deposit_accounting(env, "99801")
        cls.finance = new_test_user(
            env,
            login="as_supplier_finance",
            groups="aftersales_service.group_aftersales_finance",
        )
        cls.supplier = cls.chassis_maker
        cls.chassis = env["product.product"].create(
            {
                "name": "Test chassis assembly",
                "purchase_method": "purchase",
                "supplier_taxes_id": [Command.clear()],
            }
        )
        cls.today = fields.Date.context_today(env["aftersales.supplier.deposit"])

    def _purchase(self, qty=10, price=11300.0, currency=None):
        order = self.env["purchase.order"].create(
            {
                "partner_id": self.supplier.id,
                "currency_id": (currency or self.company.currency_id).id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.chassis.id,
                            "product_qty": qty,
                            "price_unit": price,
                            "taxes_id": [Command.clear()],
                        }
                    )
                ],
            }
        )
        order.button_confirm()
        return order

    def _deposit(self, purchase=None, activate=True, **values):
        vals = {
            "partner_id": self.supplier.id,
            "purchase_id": purchase and purchase.id,
            "date_start": self.today - timedelta(days=30),
        }
        vals.update(values)
        deposit = (
            self.env["aftersales.supplier.deposit"].with_user(self.finance).create(vals)
        )
        if activate:
            deposit.action_activate()
        return deposit.with_env(self.env)

    def _bill(self, purchase, bill_date=None):
        action = purchase.action_create_invoice()
        bill = self.env["account.move"].browse(action["res_id"])
        bill.invoice_date = bill_date or self.today
        bill.action_post()
        return bill

    def _deduction(self, deposit, amount, **values):
        vals = {
            "deposit_id": deposit.id,
            "kind": "deduction",
            "name": "Field repair of a failed chassis",
            "amount": amount,
            "reason": "Cracked frame member, replaced on site",
            "attachment_ids": [
                Command.create({"name": "photo.jpg", "raw": b"evidence"})
            ],
        }
        vals.update(values)
        return (
            self.env["aftersales.supplier.deposit.movement"]
            .with_user(self.manager)
            .create(vals)
            .with_env(self.env)
        )

    def _release(self, deposit, amount, **values):
        vals = {
            "deposit_id": deposit.id,
            "kind": "release",
            "name": "Early release",
            "amount": amount,
        }
        vals.update(values)
        return (
            self.env["aftersales.supplier.deposit.movement"]
            .with_user(self.finance)
            .create(vals)
        )

    def _retention_balance(self):
        """What the retention account holds (a credit balance, positive)."""
        lines = self.env["account.move.line"].search(
            [("account_id", "=", self.retention.id), ("parent_state", "=", "posted")]
        )
        return -sum(lines.mapped("balance"))


@tagged("post_install", "-at_install")
class TestSupplierDeposit(DepositCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_deposit_data()

    def test_terms_from_settings_and_bad_input(self):
        with Form(
            self.env["aftersales.supplier.deposit"].with_user(self.finance)
        ) as form:
            form.partner_id = self.supplier
            form.date_start = date(2026, 3, 1)
            self.assertEqual(form.withhold_rate, 5.0)
            self.assertEqual(form.warranty_months, 12)
            self.assertEqual(form.date_end, date(2027, 3, 1))
            self.assertEqual(form.retention_account_id, self.retention)
            self.assertEqual(form.journal_id, self.journal)
            form.warranty_months = 6
            self.assertEqual(form.date_end, date(2026, 9, 1))
        deposit = form.record
        self.assertRegex(deposit.name, r"^WD/\d{4}/\d{4}$")
        self.assertEqual(deposit.state, "draft")
        Deposit = self.env["aftersales.supplier.deposit"]
        count = Deposit.search_count([])
        with self.assertRaisesText(ValidationError, "cannot end before"):
            Deposit.create(
                {
                    "partner_id": self.supplier.id,
                    "date_start": date(2026, 3, 1),
                    "warranty_months": 0,
                    "date_end": date(2026, 2, 1),
                }
            )
        # Refused in words before the database's CHECK would fail.
        with self.assertRaisesText(ValidationError, "from 0 to 100"):
            Deposit.create({"partner_id": self.supplier.id, "withhold_rate": 120})
        other = self.env["res.partner"].create({"name": "Other supplier"})
        with self.assertRaisesText(ValidationError, "is not from"):
            Deposit.create({"partner_id": other.id, "purchase_id": self._purchase().id})
        self.assertEqual(Deposit.search_count([]), count, "nothing written")

    def test_one_open_deposit_per_purchase(self):
        purchase = self._purchase()
        self._deposit(purchase)
        with self.assertRaisesText(ValidationError, "already has an open"):
            self._deposit(purchase, activate=False)

    def test_withholding_on_bill_posting(self):
        purchase = self._purchase()
        deposit = self._deposit(purchase)
        bill = self._bill(purchase)
        self.assertEqual(bill.aftersales_deposit_id, deposit, "found from the PO")
        withholding = bill.aftersales_withholding_ids
        self.assertRecordValues(
            withholding,
            [{"kind": "withhold", "state": "posted", "amount": 5650.0}],
        )
        entry = withholding.move_id
        self.assertEqual(entry.state, "posted")
        self.assertEqual(entry.journal_id, self.journal)
        payable = bill.line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        )
        self.assertRecordValues(
            entry.line_ids.sorted("balance"),
            [
                {
                    "account_id": self.retention.id,
                    "balance": -5650.0,
                    "aftersales_deposit_id": deposit.id,
                    "partner_id": self.supplier.id,
                },
                {
                    "account_id": payable.account_id.id,
                    "balance": 5650.0,
                    "aftersales_deposit_id": False,
                    "partner_id": self.supplier.id,
                },
            ],
        )
        # The bill keeps the supplier's total; what is left to pay drops.
        self.assertEqual(bill.amount_total, 113000.0)
        self.assertEqual(bill.amount_residual, 113000.0 - 5650.0)
        self.assertEqual(bill.payment_state, "partial")
        self.assertEqual(deposit.balance, 5650.0)
        self.assertEqual(deposit.withheld_amount, 5650.0)
        self.assertEqual(self._retention_balance(), 5650.0)
        self.assertEqual(
            self.supplier.with_user(self.finance).aftersales_deposit_balance, 5650.0
        )
        # A second bill of the purchase withholds its own share.
        purchase.order_line.product_qty = 12
        second = self._bill(purchase)
        self.assertEqual(second.aftersales_withholding_ids.amount, 1130.0)
        self.assertEqual(deposit.balance, 6780.0)

    def test_fixed_deposit_and_untaxed_base(self):
        purchase = self._purchase(qty=2, price=4000.0)
        deposit = self._deposit(
            purchase, withhold_method="fixed", withhold_target=5000.0
        )
        self._bill(purchase)
        self.assertEqual(deposit.balance, 5000.0, "capped at the amount agreed")
        purchase.order_line.product_qty = 3
        self.assertFalse(self._bill(purchase).aftersales_withholding_ids)
        self.assertEqual(deposit.balance, 5000.0)

    def test_bill_reset_to_draft_gives_the_withholding_back(self):
        purchase = self._purchase()
        deposit = self._deposit(purchase)
        bill = self._bill(purchase)
        first = bill.aftersales_withholding_ids
        bill.button_draft()
        self.assertEqual(deposit.balance, 0.0)
        self.assertTrue(first.reversed)
        self.assertEqual(first.reversal_id.move_id.state, "posted")
        bill.action_post()
        self.assertEqual(deposit.balance, 5650.0)
        self.assertEqual(bill.amount_residual, 113000.0 - 5650.0)
        # The deposit's own entries are changed from the deposit only.
        with self.assertRaisesText(UserError, "reverse it from the deposit"):
            first.move_id.button_draft()

    def test_vendor_credit_note_gives_its_share_back(self):
        purchase = self._purchase()
        deposit = self._deposit(purchase)
        bill = self._bill(purchase)
        refund = bill._reverse_moves([{"invoice_date": self.today, "date": self.today}])
        refund.invoice_line_ids.quantity = 1
        self.assertEqual(refund.aftersales_deposit_id, deposit)
        refund.action_post()
        share = refund.aftersales_withholding_ids
        self.assertRecordValues(
            share, [{"kind": "refund", "amount": 565.0, "signed_amount": -565.0}]
        )
        self.assertRecordValues(
            share.move_id.line_ids.sorted("balance"),
            [
                {
                    "account_id": bill.partner_id.property_account_payable_id.id,
                    "balance": -565.0,
                },
                {"account_id": self.retention.id, "balance": 565.0},
            ],
        )
        # What the company owes the supplier: the bill less what is withheld,
        # less the credit note, plus the credit note's share given back.
        open_payables = self.env["account.move.line"].search(
            [
                ("partner_id", "=", self.supplier.id),
                ("account_type", "=", "liability_payable"),
                ("parent_state", "=", "posted"),
                ("reconciled", "=", False),
            ]
        )
        self.assertEqual(
            -sum(open_payables.mapped("amount_residual")),
            113000.0 - 5650.0 - 11300.0 + 565.0,
        )
        self.assertEqual(deposit.balance, 5650.0 - 565.0)
        self.assertEqual(deposit.withheld_amount, 5650.0 - 565.0)
        self.assertEqual(self._retention_balance(), deposit.balance)
        # Cancelling a bill in full gives its share back once, not twice.
        purchase.order_line.product_qty = 12
        second = self._bill(purchase)
        # 12 ordered, 10 billed, 1 credited: 3 to bill, 1,695.00 withheld.
        self.assertEqual(deposit.balance, 5085.0 + 1695.0)
        credit = second._reverse_moves(
            [{"invoice_date": self.today, "date": self.today}], cancel=True
        )
        self.assertEqual(credit.state, "posted")
        self.assertFalse(credit.aftersales_withholding_ids)
        self.assertTrue(second.aftersales_withholding_ids.filtered("reversed"))
        self.assertEqual(deposit.balance, 5085.0)
        self.assertEqual(self._retention_balance(), deposit.balance)

    def test_deduction_from_supplier_claim(self):
        purchase = self._purchase()
        deposit = self._deposit(purchase)
        self._bill(purchase)
        claim = self._approved_claim(
            responsibility="supplier", supplier_id=self.supplier.id
        )
        deduction = claim.deposit_movement_ids
        self.assertRecordValues(
            deduction,
            [
                {
                    "deposit_id": deposit.id,
                    "kind": "deduction",
                    "state": "proposed",
                    "amount": 1300.0,
                    "needs_manager": True,
                }
            ],
        )
        # Approving the claim twice proposes nothing more.
        claim._propose_supplier_deductions()
        self.assertEqual(len(claim.deposit_movement_ids), 1)
        with self.assertRaises(AccessError):
            deduction.with_user(self.user).action_approve()
        with self.assertRaises(AccessError):
            deduction.with_user(self.finance).action_approve()
        deduction.with_user(self.manager).action_approve()
        self.assertEqual(deduction.approved_by_id, self.manager)
        self.assertEqual(deposit.reserved_amount, 1300.0)
        with self.assertRaises(AccessError):
            deduction.with_user(self.manager).action_post()
        deduction.with_user(self.finance).action_post()
        self.assertEqual(deduction.state, "posted")
        self.assertRecordValues(
            deduction.move_id.line_ids.sorted("balance"),
            [
                {"account_id": self.recovery.id, "balance": -1300.0},
                {"account_id": self.retention.id, "balance": 1300.0},
            ],
        )
        self.assertEqual(deposit.balance, 5650.0 - 1300.0)
        self.assertEqual(deposit.deducted_amount, 1300.0)
        self.assertEqual(self._retention_balance(), deposit.balance)

    def test_claim_without_deposit_is_noted(self):
        claim = self._approved_claim(
            responsibility="supplier", supplier_id=self.supplier.id
        )
        self.assertFalse(claim.deposit_movement_ids)
        self.assertIn("No open warranty deposit", claim.message_ids[:1].body or "")

    def test_manual_deduction_needs_evidence(self):
        purchase = self._purchase()
        deposit = self._deposit(purchase)
        self._bill(purchase)
        deduction = self._deduction(deposit, 500.0, attachment_ids=[])
        with self.assertRaisesText(UserError, "evidence"):
            deduction.with_user(self.manager).action_approve()
        self.assertEqual(deduction.state, "proposed")
        with self.assertRaisesText(UserError, "through its actions only"):
            deduction.with_user(self.manager).write({"state": "approved"})

    def test_over_balance_refused_with_nothing_written(self):
        purchase = self._purchase()
        deposit = self._deposit(purchase)
        self._bill(purchase)
        entries = self.env["account.move"].search_count([])
        too_much = self._deduction(deposit, 5650.01)
        with self.assertRaisesText(UserError, "cannot be taken from it"):
            too_much.with_user(self.manager).action_approve()
        self.assertEqual(too_much.state, "proposed")
        # Approved deductions hold their amount: together they cannot overdraw.
        first = self._deduction(deposit, 4000.0)
        second = self._deduction(deposit, 2000.0)
        first.with_user(self.manager).action_approve()
        with self.assertRaisesText(UserError, "already approved"):
            second.with_user(self.manager).action_approve()
        self.assertEqual(second.state, "proposed")
        self.assertEqual(self.env["account.move"].search_count([]), entries)
        self.assertEqual(deposit.balance, 5650.0)
        # Refused in words before the database's CHECK would fail.
        with self.assertRaisesText(ValidationError, "must be positive"):
            self._deduction(deposit, -5.0)

    def test_release_proposed_by_cron_at_period_end(self):
        purchase = self._purchase()
        deposit = self._deposit(
            purchase,
            date_start=self.today - relativedelta(months=13),
        )
        self.assertLess(deposit.date_end, self.today)
        self._bill(purchase, bill_date=self.today - relativedelta(months=12))
        running = self._deposit(self._purchase(qty=1))
        Deposit = self.env["aftersales.supplier.deposit"]
        mine = [("partner_id", "=", self.supplier.id)]
        self.assertEqual(Deposit.search([("is_due", "=", True), *mine]), deposit)
        self.assertEqual(Deposit.search([("is_due", "=", False), *mine]), running)
        # Demo data may hold other due deposits: look at this supplier's.
        releases = Deposit._cron_propose_releases().filtered(
            lambda m: m.partner_id == self.supplier
        )
        self.assertRecordValues(
            releases,
            [
                {
                    "deposit_id": deposit.id,
                    "kind": "release",
                    "state": "approved",
                    "amount": 5650.0,
                    "needs_manager": False,
                }
            ],
        )
        self.assertTrue(deposit.activity_ids)
        self.assertFalse(Deposit._cron_propose_releases(), "proposed once")
        self.assertFalse(running.movement_ids)
        with self.assertRaises(AccessError):
            releases.with_user(self.user).action_post()
        releases.with_user(self.finance).action_post()
        payable_account = self.supplier.property_account_payable_id
        payable = releases.move_id.line_ids.filtered(
            lambda line: line.account_id == payable_account
        )
        self.assertEqual(payable.balance, -5650.0)
        self.assertEqual(payable.amount_residual, -5650.0, "paid as usual")
        self.assertEqual(deposit.balance, 0.0)
        self.assertEqual(deposit.state, "released")
        self.assertEqual(self._retention_balance(), 0.0)

    def test_release_by_hand_after_period_end(self):
        purchase = self._purchase()
        deposit = self._deposit(
            purchase, date_start=self.today - relativedelta(months=13)
        )
        self._bill(purchase, bill_date=self.today - relativedelta(months=12))
        self.assertTrue(deposit.is_due)
        action = deposit.with_user(self.finance).action_propose_release()
        release = self._release(deposit, action["context"]["default_amount"])
        self.assertFalse(release.needs_manager, "the whole balance, once due")
        release.action_approve()
        self.assertEqual(release.approved_by_id, self.finance)
        release.action_post()
        self.assertEqual(deposit.state, "released")
        self.assertFalse(
            deposit.search([("is_due", "=", True), ("id", "=", deposit.id)])
        )

    def test_early_partial_release_needs_manager(self):
        purchase = self._purchase()
        deposit = self._deposit(purchase)
        self._bill(purchase)
        action = deposit.with_user(self.finance).action_propose_release()
        self.assertEqual(action["context"]["default_amount"], 5650.0)
        release = self._release(deposit, 2000.0)
        self.assertTrue(release.needs_manager)
        self.assertIn("before the warranty ends", release.approval_reasons)
        self.assertIn("not the whole balance", release.approval_reasons)
        with self.assertRaises(AccessError):
            release.action_approve()
        with self.assertRaisesText(UserError, "Say why"):
            release.with_user(self.manager).action_approve()
        release.reason = "Supplier replaced its whole batch of frames"
        release.with_user(self.manager).action_approve()
        release.action_post()
        self.assertEqual(deposit.balance, 3650.0)
        self.assertEqual(deposit.state, "active")

    def test_reversal(self):
        purchase = self._purchase()
        deposit = self._deposit(purchase)
        self._bill(purchase)
        deduction = self._deduction(deposit, 650.0)
        deduction.with_user(self.manager).action_approve()
        deduction.with_user(self.finance).action_post()
        self.assertEqual(deposit.balance, 5000.0)
        with self.assertRaises(AccessError):
            deduction.with_user(self.manager).action_reverse()
        action = deduction.with_user(self.finance).action_reverse()
        self.assertTrue(deduction.reversed)
        reversal = deduction.reversal_id
        self.assertEqual(action["domain"], [("id", "in", reversal.ids)])
        self.assertEqual(reversal.signed_amount, 650.0)
        self.assertEqual(reversal.move_id.reversed_entry_id, deduction.move_id)
        self.assertEqual(deposit.balance, 5650.0)
        self.assertEqual(self._retention_balance(), 5650.0)
        with self.assertRaisesText(UserError, "not reversed yet"):
            deduction.with_user(self.finance).action_reverse()
        # The claim's cost may be deducted again once its deduction is reversed.
        lines = deposit._statement_lines()
        self.assertEqual([line["balance"] for line in lines], [5650.0, 5000.0, 5650.0])

    def test_posted_movements_are_immutable(self):
        purchase = self._purchase()
        deposit = self._deposit(purchase)
        bill = self._bill(purchase)
        withholding = bill.aftersales_withholding_ids
        with self.assertRaisesText(UserError, "reverse it instead"):
            withholding.write({"amount": 1.0})
        with self.assertRaisesText(UserError, "reverse it instead"):
            withholding.unlink()
        with self.assertRaisesText(UserError, "reverse it from the deposit"):
            withholding.move_id._reverse_moves()
        with self.assertRaisesText(UserError, "cannot be deleted"):
            deposit.unlink()
        with self.assertRaisesText(UserError, "cannot change"):
            deposit.write({"retention_account_id": self.recovery.id})
        with self.assertRaisesText(UserError, "posted movements"):
            deposit.with_user(self.finance).action_cancel()
        deposit.action_archive()
        self.assertFalse(deposit.active)
        self.assertEqual(withholding.state, "posted")

    def test_access_per_group(self):
        purchase = self._purchase()
        deposit = self._deposit(purchase)
        self._bill(purchase)
        Deposit = self.env["aftersales.supplier.deposit"]
        with self.assertRaises(AccessError):
            Deposit.with_user(self.user).create({"partner_id": self.supplier.id})
        with self.assertRaises(AccessError):
            Deposit.with_user(self.manager).create({"partner_id": self.supplier.id})
        with self.assertRaises(AccessError):
            deposit.with_user(self.manager).write({"contract_ref": "X"})
        self.assertEqual(deposit.with_user(self.manager).balance, 5650.0)
        with self.assertRaises(AccessError):
            self._deduction(deposit, 10.0).with_user(self.user).action_post()
        with self.assertRaises(AccessError):
            self.env["aftersales.supplier.deposit.movement"].with_user(
                self.user
            ).create({"deposit_id": deposit.id, "name": "x", "amount": 1.0})
        with self.assertRaises(AccessError):
            deposit.with_user(self.user).action_activate()
        # Another company's deposits stay out of sight.
        other_company = self.env["res.company"].create({"name": "Other Maker"})
        self.finance.company_ids = [Command.link(other_company.id)]
        foreign = Deposit.with_company(other_company).create(
            {"partner_id": self.supplier.id, "company_id": other_company.id}
        )
        self.assertFalse(
            Deposit.with_user(self.manager).search([("id", "=", foreign.id)])
        )

    def test_statement_pdf_and_xlsx(self):
        purchase = self._purchase()
        deposit = self._deposit(purchase)
        bill = self._bill(purchase)
        deduction = self._deduction(deposit, 650.0)
        deduction.with_user(self.manager).action_approve()
        deduction.with_user(self.finance).action_post()
        html = str(
            self.env["ir.actions.report"]._render_qweb_html(
                "aftersales_service.action_report_supplier_deposit_statement",
                deposit.ids,
            )[0]
        )
        self.assertIn(deposit.name, html)
        self.assertIn(bill.name, html)
        self.assertIn("5,000.00", html)
        # The supplier's statement lists its deposits, drafts left out.
        self._deposit(contract_ref="NOT-YET", activate=False)
        html = str(
            self.env["ir.actions.report"]._render_qweb_html(
                "aftersales_service.action_report_supplier_deposit_statement_partner",
                self.supplier.ids,
            )[0]
        )
        self.assertIn(deposit.name, html)
        self.assertEqual(html.count("Warranty Deposit Statement"), 1)
        content, report_type = self.env["ir.actions.report"]._render(
            "aftersales_service.action_report_supplier_deposit_statement_xlsx",
            deposit.ids,
        )
        self.assertEqual(report_type, "xlsx")
        sheet = openpyxl.load_workbook(BytesIO(content)).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(rows[1][5], bill.name)
        self.assertEqual(rows[1][8:10], (5650.0, 5650.0))
        self.assertEqual(rows[2][8:10], (-650.0, 5000.0))
        self.assertEqual(rows[3][9], 5000.0)

    def test_multi_currency_purchase(self):
        eur = self.env.ref("base.EUR")
        eur.active = True
        company_currency = self.company.currency_id
        self.assertNotEqual(eur, company_currency)
        self.env["res.currency.rate"].search(
            [("currency_id", "in", (eur | company_currency).ids)]
        ).unlink()
        self.env["res.currency.rate"].create(
            [
                # 1 company unit = 0.5 EUR, then 0.4 EUR
                {
                    "name": self.today - timedelta(days=40),
                    "rate": 0.5,
                    "currency_id": eur.id,
                },
                {
                    "name": self.today - timedelta(days=1),
                    "rate": 0.4,
                    "currency_id": eur.id,
                },
            ]
        )
        purchase = self._purchase(qty=1, price=10000.0, currency=eur)
        deposit = self._deposit(purchase)
        self.assertEqual(deposit.currency_id, eur)
        self._bill(purchase, bill_date=self.today - timedelta(days=10))
        self.assertEqual(deposit.balance, 500.0, "EUR")
        self.assertEqual(deposit.balance_company, 1000.0, "at the bill's rate")
        deduction = self._deduction(deposit, 100.0)
        deduction.with_user(self.manager).action_approve()
        deduction.with_user(self.finance).action_post()
        self.assertEqual(deduction.move_id.line_ids.mapped("currency_id"), eur)
        self.assertEqual(deposit.balance, 400.0)
        self.assertEqual(deposit.balance_company, 1000.0 - 250.0, "today's rate")
        release = self._release(deposit, 400.0, reason="Agreed with the supplier")
        release.with_user(self.manager).action_approve()
        release.with_user(self.finance).action_post()
        self.assertEqual(deposit.balance, 0.0)
        self.assertEqual(deposit.balance_company, 0.0, "nothing left in any currency")
        self.assertEqual(self._retention_balance(), 0.0)
        self.assertEqual(deposit.state, "released")
        bill = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": self.supplier.id,
                "invoice_date": self.today,
                "aftersales_deposit_id": self._deposit(
                    contract_ref="C-EUR", currency_id=eur.id
                ).id,
                "invoice_line_ids": [
                    Command.create({"name": "Equipment", "price_unit": 100.0})
                ],
            }
        )
        with self.assertRaisesText(UserError, "is held in EUR"):
            bill.action_post()
        self.assertEqual(bill.state, "draft")

    def test_accounting_identity_after_random_operations(self):
        """Open deposits' balances always add up to the retention account."""
        rng = random.Random(20261130)
        deposits = [
            self._deposit(contract_ref=f"C-{index}", partner_id=self.supplier.id)
            for index in range(3)
        ]
        Deposit = self.env["aftersales.supplier.deposit"]
        done = set()
        for _step in range(40):
            deposit = rng.choice(deposits)
            operation = rng.choice(
                ["bill", "bill", "deduct", "deduct", "reverse", "release", "draft"]
            )
            amount = rng.randint(1, 400000) / 100.0
            try:
                with self.env.cr.savepoint():
                    self._random_operation(rng, operation, deposit, amount)
                done.add(operation)
            except UserError as error:
                # Refused operations (overdraft, deposit closed) leave no trace.
                self.env.invalidate_all(flush=False)
                self.assertRegex(
                    str(error), "cannot be taken|not withholding|takes no movement"
                )
            open_deposits = Deposit.search(
                [
                    ("state", "=", "active"),
                    ("retention_account_id", "=", self.retention.id),
                ]
            )
            self.assertAlmostEqual(
                sum(open_deposits.mapped("balance_company")),
                self._retention_balance(),
                places=2,
            )
            for each in deposits:
                self.assertGreaterEqual(each.balance, 0.0)
        self.assertGreaterEqual(len(done), 4, "the sequence exercised the flows")

    def _random_operation(self, rng, operation, deposit, amount):
        if operation == "bill":
            contract_bill(deposit, amount * 10, self.today)
        elif operation == "deduct":
            movement = self._deduction(deposit, amount)
            movement.with_user(self.manager).action_approve()
            movement.with_user(self.finance).action_post()
        elif operation == "reverse":
            posted = deposit.movement_ids._live()
            if posted:
                rng.choice(posted).with_user(self.finance).action_reverse()
        elif operation == "release" and deposit.balance > 0:
            release = self._release(
                deposit, min(amount, deposit.balance), reason="Random release"
            )
            release.with_user(self.manager).action_approve()
            release.with_user(self.finance).action_post()
        elif operation == "draft":
            bills = deposit.movement_ids.filtered(
                lambda m: m.kind == "withhold" and not m.reversed
            ).bill_id.filtered(lambda b: b.state == "posted")
            if bills:
                rng.choice(bills).button_draft()


@tagged("post_install", "-at_install")
class TestSupplierDepositConcurrency(TransactionCase):
    """Two finance users deduct at once: committed data, two transactions."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            retention, recovery, __ = deposit_accounting(env, "99802")
            supplier = env["res.partner"].create(
                {"name": "Concurrency supplier", "is_company": True}
            )
            deposit = env["aftersales.supplier.deposit"].create(
                {"partner_id": supplier.id, "contract_ref": "CONC-1"}
            )
            deposit.action_activate()
            contract_bill(deposit, 20000.0, fields.Date.today())
            first, second = env["aftersales.supplier.deposit.movement"].create(
                [
                    {
                        "deposit_id": deposit.id,
                        "name": name,
                        "amount": 600.0,
                        "reason": "Site repair",
                        "attachment_ids": [
                            Command.create({"name": "proof.pdf", "raw": b"x"})
                        ],
                    }
                    for name in ("First deduction", "Second deduction")
                ]
            )
            ended = env["aftersales.supplier.deposit"].create(
                {
                    "partner_id": supplier.id,
                    "contract_ref": "CONC-ENDED",
                    "date_start": fields.Date.today() - relativedelta(months=13),
                }
            )
            ended.action_activate()
            contract_bill(ended, 10000.0, fields.Date.today())
            self.ids = {
                "deposit": deposit.id,
                "ended": ended.id,
                "first": first.id,
                "second": second.id,
                "accounts": (retention | recovery).ids,
                "supplier": supplier.id,
            }
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT id FROM account_move WHERE id IN ("
                " SELECT move_id FROM account_move_line WHERE partner_id = %s)",
                (self.ids["supplier"],),
            )
            moves = tuple(row[0] for row in cr.fetchall()) or (0,)
            deposits = (self.ids["deposit"], self.ids["ended"])
            cr.execute(
                "DELETE FROM aftersales_supplier_deposit_movement "
                "WHERE deposit_id IN %s",
                (deposits,),
            )
            cr.execute(
                "DELETE FROM mail_activity WHERE res_model = "
                "'aftersales.supplier.deposit' AND res_id IN %s",
                (deposits,),
            )
            cr.execute(
                "DELETE FROM account_partial_reconcile WHERE debit_move_id IN "
                "(SELECT id FROM account_move_line WHERE move_id IN %s) OR "
                "credit_move_id IN "
                "(SELECT id FROM account_move_line WHERE move_id IN %s)",
                (moves, moves),
            )
            cr.execute("DELETE FROM account_move_line WHERE move_id IN %s", (moves,))
            cr.execute("DELETE FROM account_move WHERE id IN %s", (moves,))
            cr.execute(
                "DELETE FROM aftersales_supplier_deposit WHERE id IN %s",
                (deposits,),
            )
            cr.execute(
                "DELETE FROM account_account WHERE id IN %s",
                (tuple(self.ids["accounts"]),),
            )
            cr.execute("DELETE FROM res_partner WHERE id = %s", (self.ids["supplier"],))

    def _movement(self, cr, key):
        return api.Environment(cr, SUPERUSER_ID, {})[
            "aftersales.supplier.deposit.movement"
        ].browse(self.ids[key])

    def _approve_as_server(self, cr, key):
        """Approve as an RPC request does: retried on a concurrency failure."""
        env = api.Environment(cr, SUPERUSER_ID, {})
        return retrying(lambda: self._movement(cr, key).action_approve(), env)

    def test_two_deductions_cannot_overdraw(self):
        with (
            self.assertNoLogs(level="ERROR"),
            self.registry.cursor() as cr1,
            self.registry.cursor() as cr2,
        ):
            first, second = self._movement(cr1, "first"), self._movement(cr2, "second")
            # Both users see 1,000 held: each deduction alone would fit.
            self.assertEqual(first.deposit_id.balance, 1000.0)
            self.assertEqual(second.deposit_id.balance, 1000.0)
            first.action_approve()
            # The first one holds the deposit: the second waits for it.
            cr2.execute("SET LOCAL lock_timeout = '300ms'")
            with self.assertRaises(LockNotAvailable):
                second.action_approve()
            cr2.rollback()
            # A new transaction sees the deposit as it was before the first.
            self.assertEqual(self._movement(cr2, "second").deposit_id.balance, 1000.0)
            first.action_post()
            cr1.commit()
            # Its snapshot predates the first deduction: the lock is refused
            # quietly, the request is retried and reads the committed balance.
            with self.assertRaisesText(UserError, "cannot be taken from it"):
                self._approve_as_server(cr2, "second")
            cr2.rollback()
        with self.registry.cursor() as cr:
            second = self._movement(cr, "second")
            self.assertEqual(second.deposit_id.balance, 400.0)
            self.assertEqual(second.state, "proposed")

    def test_second_deduction_waits_then_is_refused(self):
        """The loser of the race waits for the winner, then gets a clear
        error; nothing is logged as an ERROR."""
        outcome = {}

        def second_user(cr2):
            # What odoo.service.model.retrying does, but for reloading the
            # registry, whose lock the test server holds.
            for _attempt in range(5):
                try:
                    self._movement(cr2, "second").action_approve()
                    return
                except SerializationFailure:
                    outcome["retried"] = True
                    cr2.rollback()
                    cr2.transaction.clear()
                except Exception as error:
                    # Checked by the test's thread below.
                    outcome["error"] = error
                    cr2.rollback()
                    return

        with (
            self.assertNoLogs(level="ERROR"),
            self.registry.cursor() as cr1,
            self.registry.cursor() as cr2,
        ):
            # The second user's transaction reads the deposit first (the
            # cursors are made here: the server holds the registry's lock
            # while it runs the tests, a thread could not make them).
            self.assertEqual(self._movement(cr2, "second").deposit_id.balance, 1000.0)
            first = self._movement(cr1, "first")
            first.action_approve()
            waiter = threading.Thread(target=second_user, args=(cr2,))
            waiter.start()
            self._wait_for_lock_waiter(cr1)
            first.action_post()
            cr1.commit()
            waiter.join(60)
            self.assertFalse(waiter.is_alive())
        # It waited, found the deposit changed, read it again: refused.
        self.assertTrue(outcome.get("retried"))
        self.assertIsInstance(outcome.get("error"), UserError)
        self.assertRegex(str(outcome["error"]), "cannot be taken from it")
        with self.registry.cursor() as cr:
            second = self._movement(cr, "second")
            self.assertEqual(second.state, "proposed")
            self.assertEqual(second.deposit_id.balance, 400.0)

    def _wait_for_lock_waiter(self, cr, timeout=30.0):
        """Until another connection waits for a row lock of ours."""
        cr.execute("SELECT pg_backend_pid()")
        holder = cr.fetchone()[0]
        with self.registry.cursor() as watch:
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                watch.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type "
                    "= 'Lock' AND %s = ANY(pg_blocking_pids(pid))",
                    (holder,),
                )
                if watch.fetchone()[0]:
                    return
                watch.rollback()
                time.sleep(0.05)
        self.fail("the second transaction never waited for the deposit")

    def test_two_cron_workers_propose_a_release_once(self):
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            first = api.Environment(cr1, SUPERUSER_ID, {})[
                "aftersales.supplier.deposit"
            ]
            second = api.Environment(cr2, SUPERUSER_ID, {})[
                "aftersales.supplier.deposit"
            ]
            mine = lambda releases: releases.filtered(  # noqa: E731
                lambda m: m.deposit_id.id == self.ids["ended"]
            )
            self.assertEqual(len(mine(first._cron_propose_releases())), 1)
            # The first worker holds the deposit: the second skips it.
            self.assertFalse(mine(second._cron_propose_releases()))
            cr1.commit()
            cr2.rollback()
            # Once committed, the release is proposed: nothing more to do.
            self.assertFalse(mine(second._cron_propose_releases()))
            cr2.rollback()
        with self.registry.cursor() as cr:
            ended = api.Environment(cr, SUPERUSER_ID, {})[
                "aftersales.supplier.deposit"
            ].browse(self.ids["ended"])
            self.assertEqual(
                ended.movement_ids.filtered(lambda m: m.kind == "release").mapped(
                    "amount"
                ),
                [500.0],
            )

    def assertRaisesText(self, exception, pattern):
        return self.assertRaisesRegex(exception, pattern)


@tagged("post_install", "-at_install")
class TestSupplierDepositTour(DepositCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_deposit_data()

    def test_finance_posts_deduction_and_prints_statement(self):
        self.finance.write(
            {
                "login": "as_tour_finance",
                "password": "as_tour_finance",
                "name": "Tour Finance",
            }
        )
        purchase = self._purchase()
        deposit = self._deposit(purchase, contract_ref="TOUR-CONTRACT")
        self._bill(purchase)
        deduction = self._deduction(deposit, 777.0, name="Tour chassis repair")
        deduction.with_user(self.manager).action_approve()
        # Without wkhtmltopdf the web client shows the statement in HTML.
        with patch.object(
            type(self.env["ir.actions.report"]),
            "get_wkhtmltopdf_state",
            lambda report: "install",
        ):
            self.start_tour(
                "/odoo/action-aftersales_service.aftersales_supplier_deposit_movement_action",
                "aftersales_deposit_tour",
                login="as_tour_finance",
            )
        self.assertEqual(deduction.state, "posted")
        self.assertEqual(deposit.balance, 5650.0 - 777.0)
