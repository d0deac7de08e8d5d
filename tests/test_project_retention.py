# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The retention receivable of engineering projects (工程质量保证金, seed 003
第四章 第二条 7): the customer withholds a share of the project's invoices
until its warranty ends; the company collects it then. The customer side of
the warranty deposits (``aftersales.supplier.deposit``, ``side`` customer)."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, TransactionCase, tagged
from odoo.tools.safe_eval import safe_eval

from .test_daily_reports import read_xlsx
from .test_projects import ProjectCommon
from .test_supplier_deposits import deposit_accounting


def retention_accounting(env, suffix):
    """The company's deposit accounting and its retention receivable account."""
    deposit_accounting(env, suffix)
    receivable = env["account.account"].create(
        {
            "name": f"Retention receivable {suffix}",
            "code": f"1{suffix}",
            "account_type": "asset_current",
        }
    )
    env.company.aftersales_retention_receivable_account_id = receivable
    return receivable


def project_contract(env, project, amount):
    """A confirmed contract sale order of the project, invoiced on order."""
    product = env["product.product"].create(
        {
            "name": f"EPC contract of {project.name}",
            "type": "service",
            "invoice_policy": "order",
            "taxes_id": [Command.clear()],
        }
    )
    order = env["sale.order"].create(
        {
            "partner_id": project.partner_id.id,
            "order_line": [
                Command.create(
                    {
                        "product_id": product.id,
                        "product_uom_qty": 1,
                        "price_unit": amount,
                        "tax_id": [Command.clear()],
                    }
                )
            ],
        }
    )
    order.action_confirm()
    project.aftersales_sale_order_id = order
    return order


def post_invoice(order):
    invoice = order._create_invoices()
    invoice.invoice_date = fields.Date.today()
    invoice.action_post()
    return invoice


@tagged("post_install", "-at_install")
class TestProjectRetention(ProjectCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_project_data()
        cls.receivable = retention_accounting(cls.env, "99831")
        cls.order = project_contract(cls.env, cls.project, 100000.0)
        cls.Deposit = cls.env["aftersales.supplier.deposit"]
        cls.Movement = cls.env["aftersales.supplier.deposit.movement"]

    def _retention(self, activate=True, **values):
        retention = self.Deposit.with_user(self.finance).create(
            dict(
                {"side": "customer", "project_id": self.project.id, "user_id": False},
                **values,
            )
        )
        if activate:
            retention.action_activate()
        return retention.with_env(self.env)

    def _end_warranty(self):
        """Handed over 14 and 13 months ago: the warranty (12 months) is over."""
        today = fields.Date.today()
        project = self.project.with_user(self.manager)
        project._record_handover("provisional", today - relativedelta(months=14))
        project._record_handover("formal", today - relativedelta(months=13))
        self.assertLess(self.project.date_warranty_end, today)

    def _ledger(self, retention):
        return self.env["account.move.line"].search(
            [("aftersales_deposit_id", "=", retention.id)]
        )

    # ------------------------------------------------------------------
    # Withholding on the project's invoices
    # ------------------------------------------------------------------

    def test_invoice_withholds_retention(self):
        retention = self._retention()
        self.assertEqual(retention.partner_id, self.customer.commercial_partner_id)
        self.assertEqual(retention.retention_account_id, self.receivable)
        self.assertFalse(retention.date_end, "no warranty end before the handover")
        invoice = post_invoice(self.order)
        self.assertEqual(invoice.aftersales_deposit_id, retention)
        withholding = invoice.aftersales_withholding_ids
        self.assertEqual(withholding.kind, "withhold")
        self.assertEqual(withholding.state, "posted")
        self.assertEqual(withholding.amount, 5000.0)
        # The ledger: a debit on the retention receivable, linked to it.
        line = self._ledger(retention)
        self.assertEqual(line.account_id, self.receivable)
        self.assertEqual(line.debit, 5000.0)
        self.assertEqual(line.parent_state, "posted")
        # The invoice keeps its total; the customer owes the rest now.
        self.assertEqual(invoice.amount_total, 100000.0)
        self.assertEqual(invoice.amount_residual, 95000.0)
        self.assertEqual(retention.balance, 5000.0)
        self.assertEqual(self.project.aftersales_retention_held, 5000.0)
        self.assertEqual(self.project.aftersales_retention_collected, 0.0)
        # A supplier deposit's balance is untouched by the customer's sign.
        self.assertEqual(self.customer.aftersales_deposit_balance, 0.0)

    def test_credit_note_gives_back(self):
        retention = self._retention()
        invoice = post_invoice(self.order)
        refund = invoice._reverse_moves(
            [{"date": fields.Date.today(), "invoice_date": fields.Date.today()}]
        )
        self.assertEqual(refund.aftersales_deposit_id, retention)
        refund.action_post()
        self.assertEqual(refund.aftersales_withholding_ids.kind, "refund")
        self.assertEqual(retention.balance, 0.0)
        self.assertEqual(retention.withheld_amount, 0.0)

    def test_invoice_of_another_order_withholds_nothing(self):
        retention = self._retention()
        other = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.order.order_line.product_id.id,
                            "price_unit": 500.0,
                            "tax_id": [Command.clear()],
                        }
                    )
                ],
            }
        )
        other.action_confirm()
        invoice = post_invoice(other)
        self.assertFalse(invoice.aftersales_deposit_id)
        self.assertEqual(retention.balance, 0.0)

    # ------------------------------------------------------------------
    # Balance from the ledger, immutability
    # ------------------------------------------------------------------

    def test_balance_is_the_ledger(self):
        retention = self._retention()
        post_invoice(self.order)
        with self.assertRaises(UserError):
            retention.with_user(self.finance).write({"balance": 1.0})
        # A journal item typed onto the retention is refused.
        with self.assertRaises(UserError):
            self.env["account.move"].with_user(self.finance).sudo(False).create(
                {
                    "move_type": "entry",
                    "journal_id": retention.journal_id.id,
                    "line_ids": [
                        Command.create(
                            {
                                "account_id": self.receivable.id,
                                "debit": 10.0,
                                "aftersales_deposit_id": retention.id,
                            }
                        ),
                        Command.create(
                            {"account_id": self.receivable.id, "credit": 10.0}
                        ),
                    ],
                }
            )
        # An entry on the account without the link changes nothing.
        self.assertEqual(retention.balance, 5000.0)

    def test_posted_lines_are_final(self):
        retention = self._retention()
        invoice = post_invoice(self.order)
        withholding = invoice.aftersales_withholding_ids
        with self.assertRaises(UserError):
            withholding.with_user(self.finance).write({"amount": 1.0})
        with self.assertRaises(UserError):
            withholding.move_id.with_user(self.finance).button_draft()
        with self.assertRaises(UserError):
            retention.with_user(self.finance).write({"side": "supplier"})
        with self.assertRaises(UserError):
            retention.with_user(self.finance).action_cancel()
        # The invoice taken back gives its share back, by a reversal.
        invoice.button_draft()
        self.assertTrue(withholding.reversed)
        self.assertEqual(retention.balance, 0.0)
        self.assertEqual(len(self._ledger(retention)), 2)

    # ------------------------------------------------------------------
    # Collection at the end of the warranty
    # ------------------------------------------------------------------

    def test_collection_at_warranty_end(self):
        retention = self._retention(user_id=self.finance.id)
        post_invoice(self.order)
        self.assertFalse(retention.is_due)
        self._end_warranty()
        self.assertEqual(retention.date_end, self.project.date_warranty_end)
        self.assertTrue(retention.is_due)
        collection = retention._cron_propose_releases()
        self.assertEqual(collection.kind, "collection")
        self.assertEqual(collection.state, "approved")
        self.assertEqual(collection.amount, 5000.0)
        # Finance and the project's after-sales responsible are reminded.
        self.assertEqual(
            set(retention.activity_ids.user_id.ids), {self.finance.id, self.user.id}
        )
        # Run again: nothing more is proposed.
        self.assertFalse(retention._cron_propose_releases())
        collection.with_user(self.finance).action_post()
        self.assertEqual(collection.state, "posted")
        self.assertEqual(retention.balance, 0.0)
        self.assertEqual(retention.state, "released")
        receivable = collection.move_id.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        self.assertEqual(receivable.debit, 5000.0)
        self.assertEqual(receivable.partner_id, self.customer.commercial_partner_id)
        self.project.invalidate_recordset()
        self.assertEqual(self.project.aftersales_retention_held, 0.0)
        self.assertEqual(self.project.aftersales_retention_collected, 5000.0)
        content, __ = (
            self.env["ir.actions.report"]
            .with_user(self.user)
            ._render("aftersales_service.project_register_xlsx", self.project.ids)
        )
        rows = next(iter(read_xlsx(content).values()))["rows"]
        headers = rows[0]
        self.assertEqual(rows[1][headers.index("Retention Collected")], 5000.0)
        self.assertEqual(rows[1][headers.index("Retention Held")], 0.0)

    def test_overview_counts_a_due_retention_for_collection_not_release(self):
        retention = self._retention()
        post_invoice(self.order)
        self._end_warranty()
        self.assertTrue(retention.is_due)
        Overview = self.env["aftersales.overview"].with_user(self.finance)
        tiles = {tile["key"]: tile for tile in Overview.get_work_overview()}
        self.assertEqual(
            tiles["retentions_due"]["title"], "Retentions Due for Collection"
        )
        Deposit = self.Deposit.with_user(self.finance)
        for key, listed in (("retentions_due", True), ("deposits_due", False)):
            action = Overview.action_open_tile(key)
            found = Deposit.search(action["domain"])
            self.assertEqual(retention in found, listed, key)
            self.assertEqual(tiles[key]["count"], len(found), key)
        # The list of deposits due for release shows supplier deposits only.
        action = self.env.ref(
            "aftersales_service.aftersales_supplier_deposit_action_due"
        )
        self.assertNotIn(
            retention,
            Deposit.search([*safe_eval(action.domain), ("is_due", "=", True)]),
        )
        # After-sales users do not get finance's tile.
        with self.assertRaises(AccessError):
            self.env["aftersales.overview"].with_user(self.user).action_open_tile(
                "retentions_due"
            )

    def test_collection_reversal(self):
        retention = self._retention()
        post_invoice(self.order)
        self._end_warranty()
        collection = retention._cron_propose_releases()
        collection.with_user(self.finance).action_post()
        # Not paid yet: reversed, the retention is held again.
        collection.with_user(self.finance).action_reverse()
        self.assertEqual(retention.state, "active")
        self.assertEqual(retention.balance, 5000.0)
        again = retention._cron_propose_releases()
        again.with_user(self.finance).action_post()
        receivable = again.move_id.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        self.env["account.payment.register"].with_context(
            active_model="account.move.line", active_ids=receivable.ids
        ).create({})._create_payments()
        self.assertTrue(receivable.reconciled)
        # Paid by the customer: it stands.
        with self.assertRaises(UserError):
            again.with_user(self.finance).action_reverse()
        self.assertEqual(retention.state, "released")

    def test_early_collection_needs_the_manager(self):
        retention = self._retention()
        post_invoice(self.order)
        action = retention.with_user(self.finance).action_propose_release()
        self.assertEqual(action["context"]["default_kind"], "collection")
        collection = self.Movement.with_user(self.finance).create(
            {
                "deposit_id": retention.id,
                "kind": "collection",
                "name": "Early collection",
                "amount": 5000.0,
            }
        )
        self.assertTrue(collection.needs_manager)
        with self.assertRaises(AccessError):
            collection.with_user(self.finance).action_approve()
        with self.assertRaises(UserError):
            collection.with_user(self.manager).action_approve()
        collection.reason = "Agreed with the owner against a bank guarantee"
        collection.with_user(self.manager).action_approve()
        collection.with_user(self.finance).action_post()
        self.assertEqual(retention.balance, 0.0)

    def test_collection_is_refused_beyond_the_balance(self):
        retention = self._retention()
        post_invoice(self.order)
        self._end_warranty()
        collection = self.Movement.with_user(self.finance).create(
            {
                "deposit_id": retention.id,
                "kind": "collection",
                "name": "Too much",
                "amount": 6000.0,
            }
        )
        with self.assertRaises(UserError):
            collection.with_user(self.manager).action_approve()

    # ------------------------------------------------------------------
    # Bad input
    # ------------------------------------------------------------------

    def test_bad_input(self):
        with self.assertRaises(ValidationError):
            self.Deposit.create({"side": "customer", "partner_id": self.customer.id})
        with self.assertRaises(ValidationError):
            self.Deposit.create(
                {
                    "side": "customer",
                    "project_id": self.project.id,
                    "partner_id": self.chassis_maker.id,
                }
            )
        liability = self.env.company.aftersales_retention_account_id
        with self.assertRaises(ValidationError):
            self.Deposit.create(
                {
                    "side": "customer",
                    "project_id": self.project.id,
                    "retention_account_id": liability.id,
                }
            )
        with self.assertRaises(ValidationError):
            self.Deposit.create(
                {
                    "side": "supplier",
                    "partner_id": self.chassis_maker.id,
                    "project_id": self.project.id,
                    "date_start": fields.Date.today(),
                }
            )
        retention = self._retention()
        with self.assertRaises(ValidationError):
            self._retention(activate=False)
        with self.assertRaises(UserError):
            retention.with_user(self.finance).action_propose_deduction()
        for kind in ("deduction", "release"):
            with self.assertRaises(ValidationError):
                self.Movement.create(
                    {
                        "deposit_id": retention.id,
                        "kind": kind,
                        "name": "Wrong kind",
                        "amount": 10.0,
                        "reason": "x",
                    }
                )
        with self.assertRaises(ValidationError):
            self.Movement.create(
                {
                    "deposit_id": retention.id,
                    "kind": "collection",
                    "name": "Negative",
                    "amount": -10.0,
                }
            )

    def test_activation_needs_the_receivable_account(self):
        self.env.company.aftersales_retention_receivable_account_id = False
        retention = self._retention(activate=False)
        with self.assertRaises(UserError):
            retention.with_user(self.finance).action_activate()
        self.assertEqual(retention.state, "draft")

    def test_supplier_collection_is_refused(self):
        supplier_deposit = self.Deposit.create(
            {
                "partner_id": self.chassis_maker.id,
                "date_start": fields.Date.today() - timedelta(days=30),
            }
        )
        supplier_deposit.action_activate()
        with self.assertRaises(ValidationError):
            self.Movement.create(
                {
                    "deposit_id": supplier_deposit.id,
                    "kind": "collection",
                    "name": "Wrong side",
                    "amount": 10.0,
                }
            )

    def test_form_follows_the_project(self):
        self._end_warranty()
        Deposit = self.Deposit.with_user(self.finance).with_context(
            default_side="customer"
        )
        with Form(Deposit) as form:
            form.project_id = self.project
            self.assertEqual(form.partner_id, self.customer.commercial_partner_id)
            self.assertEqual(form.date_start, self.project.date_formal_handover)
            self.assertEqual(form.date_end, self.project.date_warranty_end)
            self.assertEqual(form.retention_account_id, self.receivable)
        retention = form.save()
        self.assertEqual(retention.side, "customer")

    def test_project_opens_its_retention(self):
        retention = self._retention()
        action = self.project.with_user(self.user).action_view_aftersales_retention()
        self.assertEqual(action["domain"], [("project_id", "=", self.project.id)])
        self.assertEqual(action["context"]["default_side"], "customer")
        self.assertEqual(
            self.env["aftersales.supplier.deposit"].search(action["domain"]), retention
        )
        with self.assertRaises(AccessError):
            self.project.with_user(self.stock_user).action_view_aftersales_retention()
