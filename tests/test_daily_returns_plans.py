# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue #11 (daily use): returns_plans."""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import fields
from odoo.tests import TransactionCase, tagged

from .test_parts_plans import PlanCommon
from .test_return_batches import JUNE, ReturnCommon


class KanbanColumnsMixin:
    def assertKanbanColumns(self, model, expected, folded):
        """Grouped by state, the columns follow the workflow, empty ones
        included, and only ``folded`` is folded."""
        groups = self.env[model].web_read_group([], ["state"], ["state"])["groups"]
        self.assertEqual([group["state"] for group in groups], expected)
        self.assertEqual(
            [group["state"] for group in groups if group.get("__fold")], folded
        )


@tagged("post_install", "-at_install")
class TestDailyReturnReceived(KanbanColumnsMixin, ReturnCommon, TransactionCase):
    """Received is what the factory counted: zero until then."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_return_data()

    def assertReceived(self, batch, lines, total):
        self.assertEqual(
            batch.line_ids.sorted("quantity").mapped("received_qty"), lines
        )
        self.assertEqual(batch.total_received, total)
        self.assertEqual(batch.total_quantity, 42, "the announced total stays")

    def test_received_is_zero_until_counted(self):
        batch = self._batch()
        self.assertEqual(batch.state, "draft")
        self.assertReceived(batch, [0, 0], 0)
        # The office corrects a draft: still nothing received.
        batch.line_ids.sorted("quantity")[0].quantity = 13
        batch.line_ids.sorted("quantity")[0].quantity = 12
        self.assertReceived(batch, [0, 0], 0)
        with freeze_time("2026-06-03"):
            batch.action_submit()
        self.assertEqual(batch.state, "submitted")
        self.assertReceived(batch, [0, 0], 0)
        batch.with_user(self.manager).action_approve()
        self.assertEqual(batch.state, "approved")
        self.assertReceived(batch, [0, 0], 0)
        with freeze_time("2026-06-10"):
            batch.action_ship()
        # The factory's count starts from the announced quantities, but the
        # batch has received nothing until the factory confirms it.
        self.assertEqual(batch.state, "shipped")
        self.assertReceived(batch, [12, 30], 0)
        batch.line_ids.sorted("quantity")[0].with_user(self.clerk_user).write(
            {"received_qty": 11}
        )
        self.assertReceived(batch, [11, 30], 0)
        with freeze_time("2026-06-12"):
            batch.with_user(self.clerk_user).action_receive()
        self.assertEqual(batch.state, "received")
        self.assertReceived(batch, [11, 30], 41)
        self.assertEqual(batch.total_difference, -1)
        batch.line_ids.write({"settlement": "scrap"})
        batch.with_user(self.clerk_user).action_settle()
        self.assertEqual(batch.state, "settled")
        self.assertReceived(batch, [11, 30], 41)

    def test_cancelled_batches_received_nothing(self):
        for cancel_from in ("draft", "submitted", "approved"):
            with self.subTest(state=cancel_from):
                batch = self._batch(period=JUNE + relativedelta(months=3))
                if cancel_from != "draft":
                    with freeze_time("2026-09-03"):
                        batch.action_submit()
                if cancel_from == "approved":
                    batch.with_user(self.manager).action_approve()
                self.assertEqual(batch.state, cancel_from)
                batch.with_user(self.manager).action_cancel()
                self.assertEqual(batch.state, "cancel")
                self.assertReceived(batch, [0, 0], 0)
                self.assertEqual(batch.total_difference, 0)
                # Back to draft, still nothing received.
                batch.action_draft()
                self.assertReceived(batch, [0, 0], 0)
                batch.action_cancel()

    def test_months_read_as_months_and_sort_as_dates(self):
        june = self._batch()
        august = self._batch(period=date(2026, 8, 1))
        july = self._batch(period=date(2026, 7, 1))
        self.assertEqual(june.period_label, "June 2026")
        self.assertEqual(june.display_name, f"{june.name} · Test East · June 2026")
        self.assertEqual(june.line_ids[:1].period_label, "June 2026")
        self.env["res.lang"]._activate_lang("zh_CN")
        self.assertEqual(june.with_context(lang="zh_CN").period_label, "2026年6月")
        batches = june | july | august
        Batch = self.env["aftersales.return.batch"]
        domain = [("id", "in", batches.ids)]
        # Sorting the month column sorts by the month, not alphabetically.
        self.assertEqual(
            Batch.search(domain, order="period_label").ids,
            (june | july | august).ids,
        )
        self.assertEqual(
            Batch.search(domain, order="period_label desc").ids,
            (august | july | june).ids,
        )
        self.assertTrue(Batch.fields_get(["period_label"])["period_label"]["sortable"])
        Line = self.env["aftersales.return.batch.line"]
        self.assertEqual(
            Line.search(
                [("batch_id", "in", batches.ids)], order="period_label desc, id"
            ).batch_id.ids,
            (august | july | june).ids,
        )

    def test_kanban_columns_follow_the_workflow(self):
        self._batch()
        self.assertKanbanColumns(
            "aftersales.return.batch",
            [
                "draft",
                "submitted",
                "approved",
                "shipped",
                "received",
                "settled",
                "cancel",
            ],
            ["cancel"],
        )


@tagged("post_install", "-at_install")
class TestDailyPlanProposal(KanbanColumnsMixin, PlanCommon, TransactionCase):
    """Propose from History says what it did, once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_plan_data()
        cls.customers = cls.env.ref("stock.stock_location_customers")

    def _consume(self, product, qty, months_ago):
        stock = self.office_wh.lot_stock_id
        self.env["stock.quant"]._update_available_quantity(product, stock, qty)
        move = self.env["stock.move"].create(
            {
                "name": product.name,
                "product_id": product.id,
                "product_uom_qty": qty,
                "product_uom": product.uom_id.id,
                "location_id": stock.id,
                "location_dest_id": self.customers.id,
            }
        )
        move._action_confirm()
        move._action_assign()
        move.picked = True
        move._action_done()
        move.date = fields.Datetime.to_datetime(
            self.next_month - relativedelta(months=months_ago)
        ) + timedelta(days=3)

    def _propose(self, plan):
        """Propose as the planner; the notes posted and the notification."""
        before = plan.message_ids
        action = plan.with_user(self.planner).action_propose()
        plan.invalidate_recordset(["message_ids"])
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(
            action["params"]["next"], {"type": "ir.actions.act_window_close"}
        )
        return plan.message_ids - before, action["params"]

    def test_proposal_says_how_many_lines_once(self):
        for months_ago in (1, 2, 3):
            self._consume(self.spring, 6, months_ago)
            self._consume(self.valve, 2, months_ago)
        self._consume(self.gasket, 30, 2)
        # Gaskets are covered by the stock on hand.
        self.env["stock.quant"]._update_available_quantity(
            self.gasket, self.office_wh.lot_stock_id, 100
        )
        plan = self._plan([(self.bracket, 1)], history_months=3)
        posted, params = self._propose(plan)
        proposed = plan.line_ids.filtered(lambda line: line.source == "proposal")
        self.assertEqual(proposed.product_id, self.spring | self.valve)
        self.assertEqual(len(posted), 1, "one note per proposal")
        month_names = [
            (self.next_month - relativedelta(months=n)).strftime("%B %Y")
            for n in (3, 1)
        ]
        self.assertEqual(
            params["message"],
            "Lines proposed: 2, from the consumption at Test East Office from "
            f"{month_names[0]} to {month_names[1]}. Parts consumed and covered "
            "by the stock on hand and incoming: 1.",
        )
        self.assertEqual(params["type"], "success")
        self.assertIn(params["message"], posted.body)
        # Again: the two proposed lines are replaced, the manual one is kept,
        # one more note says so.
        posted, params = self._propose(plan)
        self.assertEqual(len(posted), 1)
        self.assertIn("Lines proposed: 2,", params["message"])
        self.assertIn("Lines proposed before, replaced: 2.", params["message"])
        self.assertEqual(len(plan.line_ids), 3)

    def test_proposal_without_history_says_why(self):
        plan = self._plan(history_months=3)
        posted, params = self._propose(plan)
        self.assertFalse(plan.line_ids)
        self.assertFalse(posted, "nothing changed: no note")
        self.assertEqual(params["type"], "warning")
        self.assertIn(
            "No spare part was consumed at Test East Office from", params["message"]
        )
        self.assertIn("nothing to propose", params["message"])
        # Everything consumed is in stock: nothing to order, and it says so.
        self._consume(self.spring, 6, 1)
        self.env["stock.quant"]._update_available_quantity(
            self.spring, self.office_wh.lot_stock_id, 50
        )
        posted, params = self._propose(plan)
        self.assertFalse(plan.line_ids)
        self.assertFalse(posted)
        self.assertIn(": 1, all covered by the stock on hand", params["message"])

    def test_plan_names_without_warehouse_codes(self):
        plan = self._plan()
        month = plan.period_date.strftime("%B %Y")
        self.assertEqual(plan.period_label, month)
        self.assertEqual(plan.display_name, f"{plan.name} · Test East Office · {month}")
        self.assertNotIn("TEO", plan.display_name)
        Plan = self.env["aftersales.parts.plan"]
        later = self._plan(period_date=self.next_month + relativedelta(months=1))
        self.assertEqual(
            Plan.search(
                [("id", "in", (plan | later).ids)], order="period_label desc"
            ).ids,
            (later | plan).ids,
        )

    def test_kanban_columns_follow_the_workflow(self):
        self._plan()
        self.assertKanbanColumns(
            "aftersales.parts.plan",
            ["draft", "submitted", "approved", "procured", "done", "cancel"],
            ["cancel"],
        )


@tagged("post_install", "-at_install")
class TestDailyPlanDemo(TransactionCase):
    """The demo's draft plan proposes from the demo's history."""

    def test_demo_draft_plan_proposes_lines(self):
        plan = self.env.ref(
            "aftersales_service.parts_plan_north_west", raise_if_not_found=False
        )
        if not plan:
            self.skipTest("demo data not loaded")
        # The demo dates its history and this plan on the server's clock.
        if plan.period_date != fields.Date.today().replace(day=1) + relativedelta(
            months=1
        ):
            self.skipTest("the demo was loaded in another month")
        action = plan.action_propose()
        proposed = plan.line_ids.filtered(lambda line: line.source == "proposal")
        # Springs may be covered by what is on order: seals and compressors
        # are not.
        parts = {
            self.env.ref(f"aftersales_service.product_part_{name}")
            for name in ("door_seal", "compressor")
        }
        self.assertTrue(parts <= set(proposed.product_id))
        self.assertTrue(all(line.product_qty > 0 for line in proposed))
        seal = proposed.filtered(lambda line: line.product_id.default_code == "DS-1")
        self.assertIn("16/month over 6 months", seal.proposal_note)
        self.assertEqual(action["params"]["type"], "success")
        self.assertIn(f"Lines proposed: {len(proposed)},", action["params"]["message"])
