# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Spare-parts plans and supplier deposits hold against any RPC caller.

Each test calls the ORM as a client would (``with_user``, any field, any
context key): states change through their actions only, final records stay
final, roles are checked on the server, bad arguments are clear errors.
"""

from datetime import datetime, timedelta
from io import BytesIO

import openpyxl
from lxml import etree

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged

from .test_parts_plans import PlanCommon
from .test_supplier_deposits import DepositCommon, contract_bill

# What an RPC client could send to pass for the server's own steps.
FORGED_CONTEXT = {
    "aftersales_system": True,
    "aftersales_workflow": True,
    "aftersales_deposit_reversal": True,
}


class RefusalAsserts:
    def assertRefused(self, pattern, call):
        """A UserError that is not an AccessError (the role may call it, the
        workflow refuses), with its message."""
        with self.assertRaises(UserError) as caught:
            call()
        self.assertNotIsInstance(caught.exception, AccessError)
        self.assertRegex(str(caught.exception), pattern)

    def _buttons(self, model, user, method, view_type="form"):
        """The ``method`` buttons of the model's view as ``user`` gets it."""
        arch = model.with_user(user).get_views([(False, view_type)])["views"][
            view_type
        ]["arch"]
        return etree.fromstring(arch).xpath(f"//button[@name='{method}']")


@tagged("post_install", "-at_install")
class TestPartsPlanIntegrity(RefusalAsserts, PlanCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_plan_data()
        cls.finance = new_test_user(
            cls.env,
            login="as_plan_finance",
            groups="aftersales_service.group_aftersales_finance",
        )
        cls.Plan = cls.env["aftersales.parts.plan"]

    def _submitted(self, **values):
        plan = self._plan([(self.spring, 5)], **values)
        plan.with_user(self.planner).action_submit()
        return plan

    def _procured(self, **values):
        plan = self._submitted(**values)
        plan.with_user(self.manager).action_approve()
        self.assertEqual(plan.state, "procured")
        return plan

    def test_plain_write_of_workflow_fields_is_refused(self):
        plan = self._submitted()
        other = self._plan(warehouse_id=self.factory.id)
        group = self.env["procurement.group"].create({"name": "Forged"})
        forged = [
            {"state": "approved"},
            {"state": "done"},
            {"approved_by_id": self.manager.id},
            {"date_approved": fields.Datetime.now()},
            {"procurement_group_id": group.id},
            {"replaces_id": other.id},
            {"replaced_by_id": other.id},
        ]
        for user in (self.planner, self.manager, self.finance):
            for vals in forged:
                with self.subTest(user=user.login, vals=vals):
                    self.assertRefused(
                        "through its actions only",
                        lambda u=user, v=vals: plan.with_user(u).write(v),
                    )
                    self.assertRefused(
                        "through its actions only",
                        lambda u=user, v=vals: plan.with_user(u)
                        .with_context(**FORGED_CONTEXT)
                        .write(v),
                    )
        self.assertRecordValues(
            plan,
            [{"state": "submitted", "approved_by_id": False, "replaces_id": False}],
        )
        self.assertRefused(
            "set by its actions",
            lambda: self.Plan.with_user(self.planner).create(
                {
                    "warehouse_id": self.factory.id,
                    "period_date": self.next_month + timedelta(days=400),
                    "state": "approved",
                }
            ),
        )

    def test_approved_plan_and_lines_are_frozen_naming_the_state(self):
        plan = self._procured()
        line = plan.line_ids
        later = self.next_month + timedelta(days=62)
        for user in (self.planner, self.manager):
            with self.subTest(user=user.login):
                self.assertRefused(
                    "is Procured: Month can no longer change",
                    lambda u=user: plan.with_user(u).write({"period_date": later}),
                )
                self.assertRefused(
                    "is Procured: Warehouse can no longer change",
                    lambda u=user: plan.with_user(u).write(
                        {"warehouse_id": self.factory.id}
                    ),
                )
                self.assertRefused(
                    "is Procured",
                    lambda u=user: plan.with_user(u).write(
                        {
                            "line_ids": [
                                Command.create(
                                    {"product_id": self.valve.id, "product_qty": 1}
                                )
                            ]
                        }
                    ),
                )
                self.assertRefused(
                    "is Procured: its lines can no longer change",
                    lambda u=user: line.with_user(u).write({"product_qty": 50}),
                )
                self.assertRefused(
                    "is Procured: its lines can no longer change",
                    lambda u=user: line.with_user(u).unlink(),
                )
                self.assertRefused(
                    "is Procured: its lines can no longer change",
                    lambda u=user: self.env["aftersales.parts.plan.line"]
                    .with_user(u)
                    .create(
                        {
                            "plan_id": plan.id,
                            "product_id": self.valve.id,
                            "product_qty": 1,
                        }
                    ),
                )
        # Notes stay editable.
        plan.with_user(self.manager).note = "<p>Vendor ships late</p>"
        self.assertEqual(line.product_qty, 5)
        self.assertEqual(plan.period_date, self.next_month)
        # A cancelled plan is final too.
        plan.with_user(self.manager).action_cancel()
        self.assertRefused(
            "is Cancelled: Month can no longer change",
            lambda: plan.with_user(self.planner).write({"period_date": later}),
        )

    def test_a_line_never_moves_to_another_plan(self):
        plan = self._plan([(self.spring, 5)])
        other = self._plan(warehouse_id=self.factory.id)
        self.assertRefused(
            "cannot move to another",
            lambda: plan.line_ids.with_user(self.planner).write({"plan_id": other.id}),
        )
        self.assertEqual(plan.line_ids.product_id, self.spring)
        self.assertFalse(other.line_ids)

    def test_only_the_manager_cancels_an_approved_plan(self):
        plan = self._procured()
        purchases = plan.purchase_ids
        self.assertEqual(purchases.mapped("state"), ["draft"])
        for user in (self.planner, self.finance):
            for method in ("action_cancel", "action_cancel_and_replace"):
                with self.subTest(user=user.login, method=method):
                    # No savepoint: whatever the call did before refusing
                    # would stay visible.
                    refused = False
                    try:
                        getattr(plan.with_user(user), method)()
                    except AccessError:
                        refused = True
                    self.assertTrue(refused, f"{user.login} could {method}")
                    self.env.invalidate_all()
                    self.assertEqual(plan.state, "procured")
                    self.assertEqual(purchases.mapped("state"), ["draft"])
        with self.assertRaises(AccessError):
            plan.with_user(self.planner).with_context(**FORGED_CONTEXT).action_cancel()
        # Planners still cancel their drafts; the manager an approved plan.
        draft = self._plan(warehouse_id=self.factory.id)
        draft.with_user(self.planner).action_cancel()
        self.assertEqual(draft.state, "cancel")
        plan.with_user(self.manager).action_cancel()
        self.assertEqual(plan.state, "cancel")
        self.assertEqual(purchases.state, "cancel")

    def test_roles_of_the_other_steps(self):
        plan = self._submitted()
        ctx = FORGED_CONTEXT
        with self.assertRaises(AccessError):
            plan.with_user(self.planner).with_context(**ctx).action_approve()
        with self.assertRaises(AccessError):
            plan.with_user(self.stock_user).action_draft()
        with self.assertRaises(AccessError):
            plan.with_user(self.stock_user).action_cancel()
        self.assertEqual(plan.state, "submitted")
        plan.with_user(self.manager).action_approve()
        with self.assertRaises(AccessError):
            plan.with_user(self.planner).action_done()
        plan.with_user(self.manager).action_done()
        self.assertEqual(plan.state, "done")

    def test_bad_period_date_is_a_validation_error(self):
        plan = self._plan([(self.spring, 5)])
        base = {"warehouse_id": self.factory.id, "plan_type": "monthly"}
        count = self.Plan.search_count([])
        for value in ("2026-02-30", "March", 20260301, ["2026-03-01"], 3.5, True):
            with self.subTest(value=value):
                with self.assertRaisesRegex(ValidationError, "not a real day"):
                    self.Plan.with_user(self.planner).create(
                        dict(base, period_date=value)
                    )
                with self.assertRaisesRegex(ValidationError, "not a real day"):
                    plan.with_user(self.planner).write({"period_date": value})
        for value in (False, None, ""):
            with self.subTest(value=value):
                with self.assertRaisesRegex(ValidationError, "Give the month"):
                    plan.with_user(self.planner).write({"period_date": value})
        self.assertEqual(self.Plan.search_count([]), count)
        self.assertEqual(plan.period_date, self.next_month)
        # Real dates are taken as their month.
        later = self.next_month.replace(year=self.next_month.year + 2)
        plan.with_user(self.planner).write(
            {"period_date": later.replace(day=17).isoformat()}
        )
        self.assertEqual(plan.period_date, later)
        plan.with_user(self.planner).write(
            {
                "period_date": datetime.combine(
                    later.replace(day=28), datetime.min.time()
                )
            }
        )
        self.assertEqual(plan.period_date, later)

    def test_buttons_follow_the_roles(self):
        def invisible(user, method):
            return sorted(
                button.get("invisible")
                for button in self._buttons(self.Plan, user, method)
            )

        # Planners cancel drafts only; the manager cancels approved plans too.
        self.assertEqual(
            invisible(self.planner, "action_cancel"),
            ["state not in ('draft', 'submitted')"],
        )
        self.assertEqual(len(invisible(self.manager, "action_cancel")), 2)
        self.assertFalse(invisible(self.planner, "action_cancel_and_replace"))
        self.assertFalse(invisible(self.planner, "action_approve"))
        # Purchasing reads plans: no workflow button at all.
        buyer = new_test_user(
            self.env, login="as_integrity_buyer", groups="purchase.group_purchase_user"
        )
        for method in ("action_submit", "action_draft", "action_cancel"):
            self.assertFalse(invisible(buyer, method), method)

    def test_purchase_lines_link_to_plans_through_procurement_only(self):
        plan = self._procured()
        purchase_line = plan.purchase_ids.order_line
        buyer = new_test_user(
            self.env,
            login="as_integrity_buyer2",
            groups="purchase.group_purchase_user",
        )
        other = self._procured(warehouse_id=self.factory.id)
        with self.assertRaisesRegex(UserError, "procurement only"):
            purchase_line.with_user(buyer).write(
                {"aftersales_plan_line_id": other.line_ids.id}
            )
        self.assertEqual(purchase_line.aftersales_plan_line_id, plan.line_ids)


@tagged("post_install", "-at_install")
class TestSupplierDepositIntegrity(RefusalAsserts, DepositCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_deposit_data()
        cls.Movement = cls.env["aftersales.supplier.deposit.movement"]

    def _funded(self, amount=10000.0, **values):
        deposit = self._deposit(contract_ref=f"INT-{amount}", **values)
        contract_bill(deposit, amount, self.today)
        return deposit

    def test_plain_write_of_workflow_fields_is_refused(self):
        deposit = self._funded()
        deduction = self._deduction(deposit, 100.0)
        other = self._deduction(deposit, 10.0)
        entry = deposit.movement_ids.filtered(lambda m: m.kind == "withhold").move_id
        # Deposits: finance may write them, never their state or balance.
        for vals in (
            {"state": "released"},
            {"state": "cancel"},
            {"balance": 1e9},
            {"balance_company": 1e9},
        ):
            with self.subTest(vals=vals):
                self.assertRefused(
                    "through its actions only",
                    lambda v=vals: deposit.with_user(self.finance)
                    .with_context(**FORGED_CONTEXT)
                    .write(v),
                )
                for user in (self.user, self.manager):
                    with self.assertRaises(AccessError):
                        deposit.with_user(user).write(vals)
        # Movements: the manager and finance may write them, never these.
        forged = [
            {"state": "approved"},
            {"state": "posted"},
            {"approved_by_id": self.manager.id},
            {"posted_by_id": self.finance.id},
            {"move_id": entry.id},
            {"reversed": True},
            {"reversal_id": other.id},
            {"reversal_of_id": other.id},
            {"signed_amount": 5.0},
        ]
        for user in (self.manager, self.finance):
            for vals in forged:
                with self.subTest(user=user.login, vals=vals):
                    self.assertRefused(
                        "through its actions only",
                        lambda u=user, v=vals: deduction.with_user(u)
                        .with_context(**FORGED_CONTEXT)
                        .write(v),
                    )
        with self.assertRaises(AccessError):
            deduction.with_user(self.user).write({"state": "approved"})
        self.assertRecordValues(
            deduction,
            [{"state": "proposed", "move_id": False, "approved_by_id": False}],
        )
        self.assertEqual(deposit.balance, 500.0)
        # Nor typed on a new movement, nor a withholding made by hand.
        self.assertRefused(
            "set by its actions",
            lambda: self.Movement.with_user(self.manager).create(
                {
                    "deposit_id": deposit.id,
                    "name": "Forged",
                    "amount": 1.0,
                    "state": "posted",
                }
            ),
        )
        for kind in ("withhold", "refund"):
            self.assertRefused(
                "recorded by posting",
                lambda k=kind: self.Movement.with_user(self.finance)
                .with_context(**FORGED_CONTEXT)
                .create(
                    {"deposit_id": deposit.id, "name": "F", "amount": 1.0, "kind": k}
                ),
            )
            self.assertRefused(
                "recorded by posting",
                lambda k=kind: other.with_user(self.finance).write({"kind": k}),
            )

    def test_final_movements_name_their_state(self):
        deposit = self._funded()
        withholding = deposit.movement_ids
        self.assertEqual(withholding.state, "posted")
        for user in (self.manager, self.finance):
            self.assertRefused(
                "is Posted: it cannot be changed",
                lambda u=user: withholding.with_user(u).write({"amount": 1.0}),
            )
        # Not even the superuser edits a posted movement.
        self.assertRefused("is Posted", lambda: withholding.write({"date": self.today}))
        deduction = self._deduction(deposit, 100.0)
        deduction.with_user(self.manager).action_approve()
        self.assertRefused(
            "is Approved: Amount can no longer change",
            lambda: deduction.with_user(self.manager).write({"amount": 400.0}),
        )
        deduction.with_user(self.manager).name = "Field repair, site B"
        deduction.with_user(self.manager).action_cancel()
        self.assertRefused(
            "is Cancelled",
            lambda: deduction.with_user(self.finance).write({"amount": 5.0}),
        )
        self.assertEqual(deduction.amount, 100.0)
        self.assertEqual(withholding.amount, 500.0)

    def test_roles_of_movement_steps(self):
        deposit = self._funded()
        deduction = self._deduction(deposit, 100.0)
        for user in (self.user, self.finance):
            with self.assertRaises(AccessError):
                deduction.with_user(user).with_context(
                    **FORGED_CONTEXT
                ).action_approve()
        with self.assertRaises(AccessError):
            deduction.with_user(self.user).action_cancel()
        deduction.with_user(self.manager).action_approve()
        with self.assertRaises(AccessError):
            deduction.with_user(self.user).action_reset()
        with self.assertRaises(AccessError):
            deduction.with_user(self.manager).with_context(
                **FORGED_CONTEXT
            ).action_post()
        self.assertEqual(deduction.state, "approved")
        deduction.with_user(self.finance).action_post()
        with self.assertRaises(AccessError):
            deduction.with_user(self.manager).action_reverse()
        with self.assertRaises(AccessError):
            deposit.with_user(self.user).action_propose_deduction()
        with self.assertRaises(AccessError):
            deposit.with_user(self.manager).action_propose_release()

    def test_context_keys_grant_nothing(self):
        deposit = self._funded()
        draft = self._deposit(contract_ref="INT-DRAFT", activate=False)
        # The "system" key no longer lets a movement onto a closed deposit.
        with self.assertRaisesRegex(UserError, "takes no movement"):
            self.Movement.with_user(self.manager).with_context(**FORGED_CONTEXT).create(
                {
                    "deposit_id": draft.id,
                    "name": "Forged",
                    "amount": 1.0,
                    "reason": "x",
                }
            )
        # The "reversal" key no longer opens the deposit's entries, even to
        # an accountant with every right.
        entry = deposit.movement_ids.move_id
        for call in (
            lambda: entry.with_context(**FORGED_CONTEXT).button_draft(),
            lambda: entry.with_context(**FORGED_CONTEXT).button_cancel(),
            lambda: entry.with_context(**FORGED_CONTEXT)._reverse_moves(),
        ):
            self.assertRefused("reverse it from the deposit", call)
        self.assertEqual(entry.state, "posted")
        self.assertEqual(deposit.balance, 500.0)

    def test_retention_items_are_written_by_the_deposit_only(self):
        deposit = self._funded()
        entry = deposit.movement_ids.move_id
        retention_line = entry.line_ids.filtered("aftersales_deposit_id")
        other_line = entry.line_ids - retention_line
        # Typed into a new entry, copied, or relinked: refused.
        self.assertRefused(
            "recorded by the deposit",
            lambda: self.env["account.move"]
            .with_user(self.finance)
            .create(
                {
                    "move_type": "entry",
                    "journal_id": self.journal.id,
                    "line_ids": [
                        Command.create(
                            {
                                "account_id": self.retention.id,
                                "balance": -1000.0,
                                "aftersales_deposit_id": deposit.id,
                            }
                        ),
                        Command.create(
                            {"account_id": self.recovery.id, "balance": 1000.0}
                        ),
                    ],
                }
            ),
        )
        self.assertRefused(
            "recorded by the deposit", lambda: entry.with_user(self.finance).copy()
        )
        self.assertRefused(
            "recorded by the deposit",
            lambda: other_line.with_user(self.finance).write(
                {"aftersales_deposit_id": deposit.id}
            ),
        )
        self.assertEqual(deposit.balance, 500.0)
        # A posted bill keeps the deposit that withheld its share.
        bill = deposit.movement_ids.bill_id
        other = self._deposit(contract_ref="INT-OTHER")
        self.assertRefused(
            "reset it to draft",
            lambda: bill.with_user(self.finance).write(
                {"aftersales_deposit_id": other.id}
            ),
        )
        self.assertEqual(bill.aftersales_deposit_id, deposit)

    def test_withholding_rounds_half_up(self):
        # 5% of 2.50 is 0.125: Odoo's currencies book 0.13 (half-up), Python's
        # round() gave 0.12 (half to even).
        deposit = self._deposit(contract_ref="INT-HALF-CENT")
        bill = contract_bill(deposit, 2.50, self.today)
        self.assertEqual(bill.amount_total, 2.50)
        withholding = bill.aftersales_withholding_ids
        self.assertEqual(withholding.amount, 0.13)
        retention = withholding.move_id.line_ids.filtered("aftersales_deposit_id")
        self.assertRecordValues(
            retention, [{"amount_currency": -0.13, "balance": -0.13}]
        )
        self.assertEqual(deposit.balance, 0.13)
        self.assertEqual(bill.amount_residual, 2.37)

    def test_approve_buttons_follow_the_roles(self):
        def invisible(user):
            return sorted(
                button.get("invisible")
                for button in self._buttons(self.Movement, user, "action_approve")
            )

        # Finance never sees Approve where the manager must approve.
        finance = invisible(self.finance)
        self.assertTrue(finance)
        self.assertTrue(all("or needs_manager" in rule for rule in finance))
        manager = invisible(self.manager)
        self.assertTrue(manager)
        self.assertTrue(all("not needs_manager" in rule for rule in manager))
        self.assertFalse(invisible(self.user))
        # The deposit form's movement list follows the same rule.
        Deposit = self.env["aftersales.supplier.deposit"]
        for button in self._buttons(Deposit, self.finance, "action_approve"):
            self.assertIn("or needs_manager", button.get("invisible"))

    def test_statement_of_any_supplier_name(self):
        # Characters xlsx refuses in sheet names, and two names equal once cut.
        names = ["Parts/Service: [East] *?", "A" * 40, "A" * 40 + " bis"]
        deposits = self.env["aftersales.supplier.deposit"]
        for index, name in enumerate(names):
            self.supplier = self.env["res.partner"].create(
                {"name": name, "is_company": True}
            )
            deposits |= self._funded(amount=1000.0 + index)
        content, __ = self.env["ir.actions.report"]._render(
            "aftersales_service.action_report_supplier_deposit_statement_xlsx",
            deposits.ids,
        )
        workbook = openpyxl.load_workbook(BytesIO(content))
        self.assertEqual(len(set(workbook.sheetnames)), 3)
        self.assertIn("Parts Service   East", workbook.sheetnames)
