# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta
from io import BytesIO

import openpyxl
from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, TransactionCase, new_test_user, tagged

from ..aftersales_service import schedule
from .test_claims import ClaimCommon


class PlanCommon(ClaimCommon):
    @classmethod
    def setup_plan_data(cls):
        cls.setup_claim_data()
        env = cls.env
        cls.today = fields.Date.context_today(env["aftersales.parts.plan"])
        cls.next_month = schedule.month_of(cls.today + relativedelta(months=1))
        cls.factory = env.ref("stock.warehouse0")
        cls.office_wh = env["stock.warehouse"].create(
            {
                "name": "Test East Office",
                "code": "TEO",
                "resupply_wh_ids": [Command.set(cls.factory.ids)],
            }
        )
        cls.region_east.warehouse_id = cls.office_wh
        cls.resupply_route = cls.office_wh.resupply_route_ids
        cls.buy_route = env.ref("purchase_stock.route_warehouse0_buy")
        cls.vendor = env["res.partner"].create(
            {"name": "Test Spring Vendor", "is_company": True}
        )
        cls.vendor2 = env["res.partner"].create(
            {"name": "Test Valve Vendor", "is_company": True}
        )
        cls.spring = cls._part("Test spring", 120.0, cls.vendor)
        cls.bracket = cls._part("Test bracket", 30.0, cls.vendor)
        cls.valve = cls._part("Test valve", 80.0, cls.vendor2)
        cls.gasket = cls._part("Test gasket", 2.0, None, cls.resupply_route)
        cls.planner = new_test_user(
            env,
            login="as_planner",
            groups="aftersales_service.group_aftersales_user",
        )

    @classmethod
    def _part(cls, name, cost, vendor, route=None):
        return cls.env["product.product"].create(
            {
                "name": name,
                "is_storable": True,
                "aftersales_spare_part": True,
                "standard_price": cost,
                "route_ids": [Command.set((route or cls.buy_route).ids)],
                "seller_ids": vendor
                and [Command.create({"partner_id": vendor.id, "price": cost})]
                or [],
            }
        )

    def _plan(self, lines=(), **values):
        vals = {
            "warehouse_id": self.office_wh.id,
            "period_date": self.next_month,
            "line_ids": [
                Command.create({"product_id": product.id, "product_qty": qty})
                for product, qty in lines
            ],
        }
        vals.update(values)
        return (
            self.env["aftersales.parts.plan"]
            .with_user(self.planner)
            .create(vals)
            .with_env(self.env)
        )


@tagged("post_install", "-at_install")
class TestPartsPlan(PlanCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_plan_data()

    def test_defaults_and_onchanges(self):
        with Form(self.env["aftersales.parts.plan"].with_user(self.planner)) as form:
            self.assertEqual(form.period_date, self.next_month)
            form.region_id = self.region_east
            self.assertEqual(form.warehouse_id, self.office_wh)
            self.assertEqual(form.history_months, 6)
            with form.line_ids.new() as line:
                line.product_id = self.spring
                self.assertEqual(line.location_dest_id, self.office_wh.lot_stock_id)
                line.product_qty = 4
        plan = form.record
        self.assertEqual(plan.line_ids.product_uom_id, self.spring.uom_id)
        self.assertRegex(plan.name, r"^PP/\d{4}/\d{4}$")
        self.assertEqual(plan.line_ids.date_needed, self.next_month)
        with Form(self.env["aftersales.parts.plan"].with_user(self.planner)) as form:
            form.plan_type = "adhoc"
            form.urgency = "urgent"
            form.reason = "Fleet of 30 trucks stopped in Fuzhou"
            form.warehouse_id = self.office_wh
            with form.line_ids.new() as line:
                line.product_id = self.valve
        adhoc = form.record
        self.assertEqual(adhoc.priority, "1")
        self.assertEqual(adhoc.line_ids.date_needed, self.today + timedelta(days=3))

    def test_one_monthly_plan_per_warehouse_and_month(self):
        plan = self._plan([(self.spring, 5)])
        count = self.env["aftersales.parts.plan"].search_count([])
        with self.assertRaisesText(ValidationError, "already has a monthly plan"):
            self._plan([(self.spring, 2)])
        self.assertEqual(self.env["aftersales.parts.plan"].search_count([]), count)
        # Other months, warehouses, offices and ad-hoc plans are free.
        self._plan(period_date=self.next_month + relativedelta(months=1))
        self._plan(warehouse_id=self.factory.id)
        self._plan(region_id=self.region_east.id)
        with self.assertRaisesText(ValidationError, "Office · Test East already has"):
            self._plan(region_id=self.region_east.id)
        self._plan(plan_type="adhoc", reason="Urgent repair")
        plan.action_cancel()
        self._plan([(self.spring, 2)])

    def test_bad_input_writes_nothing(self):
        plan = self._plan([(self.spring, 5)])
        with self.assertRaisesText(ValidationError, "positive"):
            plan.line_ids.product_qty = -1
        with self.assertRaisesText(ValidationError, "must be positive"):
            self._plan(
                [(self.spring, 0)], period_date=self.next_month + relativedelta(years=1)
            )
        with self.assertRaisesText(ValidationError, "needed in the past"):
            plan.line_ids.date_needed = self.today - timedelta(days=1)
        self.assertEqual(plan.line_ids.date_needed, self.next_month)
        with self.assertRaisesText(ValidationError, "Say why"):
            self._plan(plan_type="adhoc")
        with self.assertRaisesText(ValidationError, "one month of history"):
            plan.history_months = 0
        with self.assertRaisesText(UserError, "has no line"):
            self._plan(warehouse_id=self.factory.id).action_submit()
        with self.assertRaisesText(ValidationError, "0 < A <= B"):
            self.company.aftersales_abc_a_share = 99.0
        self.assertEqual(plan.line_ids.product_qty, 5)

    def test_state_machine(self):
        plan = self._plan([(self.spring, 5)])
        with self.assertRaisesText(UserError, "cannot go from Draft to Approved"):
            plan.with_user(self.manager).action_approve()
        plan.action_submit()
        self.assertEqual(plan.state, "submitted")
        with self.assertRaises(AccessError):
            plan.with_user(self.planner).action_approve()
        # Submitted plans may still be adjusted before the approval.
        plan.line_ids.product_qty = 6
        plan.with_user(self.manager).action_approve()
        self.assertEqual(plan.state, "procured")
        self.assertEqual(plan.approved_by_id, self.manager)
        with self.assertRaisesText(UserError, "cancel it and raise a replacement"):
            plan.line_ids.product_qty = 7
        with self.assertRaisesText(UserError, "is Procured: Month can no longer"):
            plan.with_user(self.manager).write(
                {"period_date": self.next_month + relativedelta(months=2)}
            )
        with self.assertRaisesText(UserError, "cancel it and raise a replacement"):
            plan.line_ids.unlink()
        with self.assertRaisesText(UserError, "cannot go from Procured to Draft"):
            plan.action_draft()
        with self.assertRaisesText(UserError, "Only draft plans"):
            plan.with_user(self.manager).unlink()
        plan.action_done()
        with self.assertRaisesText(UserError, "cannot go from Done to Cancelled"):
            plan.action_cancel()

    def test_procurement_creates_rfqs_grouped_by_vendor_and_transfers(self):
        plan = self._plan(
            [(self.spring, 10), (self.bracket, 40), (self.valve, 3), (self.gasket, 200)]
        )
        plan.action_submit()
        plan.with_user(self.manager).action_approve()
        self.assertEqual(plan.state, "procured")
        purchases = plan.purchase_ids
        self.assertEqual(len(purchases), 2, "one RFQ per vendor")
        self.assertEqual(purchases.partner_id, self.vendor | self.vendor2)
        spring_rfq = purchases.filtered(lambda p: p.partner_id == self.vendor)
        self.assertEqual(
            sorted(spring_rfq.order_line.mapped("product_qty")), [10.0, 40.0]
        )
        self.assertEqual(spring_rfq.state, "draft")
        self.assertEqual(
            spring_rfq.picking_type_id.warehouse_id, self.office_wh, "received there"
        )
        gasket_line = plan.line_ids.filtered(
            lambda line: line.product_id == self.gasket
        )
        self.assertTrue(gasket_line.move_ids)
        transfers = plan.picking_ids
        self.assertTrue(transfers)
        self.assertIn(
            self.factory,
            transfers.picking_type_id.warehouse_id,
            "resupplied from the factory's stock",
        )
        self.assertEqual(plan.purchase_count, 2)
        action = plan.action_view_purchases()
        self.assertEqual(self.env["purchase.order"].search(action["domain"]), purchases)
        # Receiving the springs shows in the plan's progress.
        spring_rfq.button_confirm()
        receipt = spring_rfq.picking_ids
        receipt.move_ids.picked = True
        receipt.button_validate()
        spring_line = plan.line_ids.filtered(
            lambda line: line.product_id == self.spring
        )
        self.assertEqual(spring_line.received_qty, 10.0)
        self.assertEqual(plan.received_qty, 50.0)
        self.assertGreater(plan.progress, 0)
        self.assertEqual(plan.state, "procured", "valves and gaskets still due")

    def test_plan_done_when_everything_is_received(self):
        plan = self._plan([(self.spring, 4)])
        plan.action_submit()
        plan.with_user(self.manager).action_approve()
        plan.purchase_ids.button_confirm()
        receipt = plan.purchase_ids.picking_ids
        receipt.move_ids.picked = True
        receipt.button_validate()
        self.assertEqual(plan.state, "done")

    def test_cancel_cancels_what_has_not_started(self):
        plan = self._plan([(self.spring, 10), (self.valve, 3), (self.gasket, 20)])
        plan.action_submit()
        plan.with_user(self.manager).action_approve()
        started = plan.purchase_ids.filtered(lambda p: p.partner_id == self.vendor2)
        started.button_confirm()
        plan.action_cancel()
        self.assertEqual(plan.state, "cancel")
        self.assertEqual(
            (plan.purchase_ids - started).mapped("state"), ["cancel"], "RFQ"
        )
        self.assertEqual(started.state, "purchase", "a confirmed order is kept")
        self.assertEqual(
            set(
                plan.picking_ids.filtered(lambda p: p.purchase_id != started).mapped(
                    "state"
                )
            ),
            {"cancel"},
        )
        self.assertIn(started.name, plan.message_ids[0].body)

    def test_cancel_and_replace(self):
        plan = self._plan([(self.spring, 10)])
        plan.action_submit()
        plan.with_user(self.manager).action_approve()
        action = plan.with_user(self.manager).action_cancel_and_replace()
        replacement = self.env["aftersales.parts.plan"].browse(action["res_id"])
        self.assertEqual(plan.state, "cancel")
        self.assertEqual(plan.replaced_by_id, replacement)
        self.assertEqual(replacement.replaces_id, plan)
        self.assertEqual(replacement.state, "draft")
        self.assertEqual(replacement.line_ids.product_qty, 10)
        replacement.line_ids.product_qty = 12
        self.assertEqual(plan.purchase_ids.state, "cancel")

    def test_access(self):
        plan = self._plan([(self.spring, 10)])
        buyer = new_test_user(
            self.env, login="as_buyer", groups="purchase.group_purchase_user"
        )
        self.assertEqual(plan.with_user(buyer).line_ids.product_qty, 10)
        with self.assertRaises(AccessError):
            plan.with_user(buyer).write({"note": "x"})
        station_clerk = new_test_user(
            self.env,
            login="as_plan_station_clerk",
            groups="base.group_portal,aftersales_service.group_aftersales_station",
        )
        with self.assertRaises(AccessError):
            plan.with_user(station_clerk).read(["name"])

    def test_xlsx_export(self):
        plan = self._plan([(self.spring, 10), (self.valve, 3)])
        content, report_type = self.env["ir.actions.report"]._render(
            "aftersales_service.action_report_parts_plan_xlsx", plan.ids
        )
        self.assertEqual(report_type, "xlsx")
        rows = list(
            openpyxl.load_workbook(BytesIO(content)).active.iter_rows(values_only=True)
        )
        self.assertEqual(len(rows), 3)
        self.assertEqual(rows[1][0], plan.name)
        self.assertEqual({rows[1][4], rows[2][4]}, {"Test spring", "Test valve"})
        self.assertEqual(sorted([rows[1][12], rows[2][12]]), [3, 10])


@tagged("post_install", "-at_install")
class TestPartsPlanProposal(PlanCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_plan_data()
        cls.customers = cls.env.ref("stock.stock_location_customers")

    def _consume(self, product, qty, months_ago, warehouse=None):
        """A done move out of the warehouse's stock, dated months ago."""
        stock = (warehouse or self.office_wh).lot_stock_id
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
        return move

    def _claim_part(self, product, qty, months_ago):
        claim = self._approved_claim(
            date=self.next_month - relativedelta(months=months_ago) + timedelta(days=5),
            failure_date=self.next_month
            - relativedelta(months=months_ago)
            + timedelta(days=4),
            line_ids=[
                Command.create(
                    {"line_type": "part", "product_id": product.id, "quantity": qty}
                )
            ],
        )
        return claim

    def test_proposal_from_real_history(self):
        # Springs: 6 a month for six months (36 x 120 = 4320, class A).
        for months_ago in range(1, 7):
            self._consume(self.spring, 6, months_ago)
        # Valves: 3 per month through claims (18 x 80 = 1440, class A too:
        # it starts at 74% of the value) and one month older than the window.
        for months_ago in range(1, 7):
            self._claim_part(self.valve, 3, months_ago)
        self._claim_part(self.valve, 50, 8)
        # Gaskets: 60 in one month (120 of value: 2%, class C).
        self._consume(self.gasket, 60, 2)
        # Brackets: 10 (300 of 6180: starts at 93%, class B).
        self._consume(self.bracket, 10, 3)
        # Not in this warehouse: ignored.
        self._consume(self.bracket, 500, 3, warehouse=self.factory)
        # Stock on hand and incoming.
        self.env["stock.quant"]._update_available_quantity(
            self.spring, self.office_wh.lot_stock_id, 4
        )
        plan = self._plan([(self.valve, 1)])
        plan.line_ids.reason = "Kept: manual"
        plan.action_propose()
        manual = plan.line_ids.filtered(lambda line: line.source == "manual")
        self.assertEqual(manual.product_qty, 1, "manual lines are kept")
        proposed = plan.line_ids - manual
        self.assertEqual(
            proposed.product_id, self.spring | self.valve | self.gasket | self.bracket
        )
        spring = proposed.filtered(lambda line: line.product_id == self.spring)
        self.assertRecordValues(
            spring,
            [
                {
                    "abc_class": "A",
                    "avg_consumption": 6.0,
                    "safety_qty": 9.0,  # 1.5 months
                    "on_hand_qty": 4.0,
                    "product_qty": 11.0,  # 6 + 9 - 4
                    "source": "proposal",
                }
            ],
        )
        self.assertIn("6/month over 6 months", spring.proposal_note)
        valve = proposed.filtered(lambda line: line.product_id == self.valve)
        self.assertEqual((valve.abc_class, valve.product_qty), ("A", 8.0))
        gasket = proposed.filtered(lambda line: line.product_id == self.gasket)
        # 10 a month + 5 safety (class C, half a month)
        self.assertEqual((gasket.abc_class, gasket.product_qty), ("C", 15.0))
        bracket = proposed.filtered(lambda line: line.product_id == self.bracket)
        # 10/6 a month + as much safety (class B, one month): 3.33, whole units
        self.assertEqual((bracket.abc_class, bracket.product_qty), ("B", 4.0))
        # Proposing again replaces the proposal, still keeps the manual line.
        plan.action_propose()
        self.assertEqual(len(plan.line_ids), 5)

    def test_proposal_runs_a_constant_number_of_queries(self):
        def queries_for(products, warehouse):
            for product in products:
                self._consume(product, 2, 1, warehouse=warehouse)
            plan = self._plan(warehouse_id=warehouse.id)
            self.env.flush_all()
            # Cold caches on both sides: the record cache and the registry's
            # (defaults, xmlids), which the first run would fill for the next.
            self.env.invalidate_all()
            self.env.registry.clear_all_caches()
            before = self.env.cr.sql_log_count
            proposal = plan._compute_proposal()
            count = self.env.cr.sql_log_count - before
            self.assertEqual(len(proposal), len(products))
            return count

        few = [self._part(f"Q part {n}", 10.0, self.vendor) for n in range(2)]
        many = [self._part(f"Q part {n}", 10.0, self.vendor) for n in range(2, 40)]
        small, large = self.env["stock.warehouse"].create(
            [
                {"name": "Test small", "code": "TQS"},
                {"name": "Test large", "code": "TQL"},
            ]
        )
        self.assertEqual(queries_for(few, small), queries_for(many, large))

    def test_only_draft_monthly_plans_are_proposed(self):
        plan = self._plan(plan_type="adhoc", reason="Urgent")
        with self.assertRaisesText(UserError, "Only a draft monthly plan"):
            plan.action_propose()


@tagged("post_install", "-at_install")
class TestPartsPlanTour(PlanCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_plan_data()

    def test_planner_proposes_edits_and_submits(self):
        self.planner.write({"login": "as_tour_planner", "password": "as_tour_planner"})
        stock = self.office_wh.lot_stock_id
        customers = self.env.ref("stock.stock_location_customers")
        for product, qty in ((self.spring, 12), (self.gasket, 90)):
            self.env["stock.quant"]._update_available_quantity(product, stock, qty)
            move = self.env["stock.move"].create(
                {
                    "name": product.name,
                    "product_id": product.id,
                    "product_uom_qty": qty,
                    "product_uom": product.uom_id.id,
                    "location_id": stock.id,
                    "location_dest_id": customers.id,
                }
            )
            move._action_confirm()
            move._action_assign()
            move.picked = True
            move._action_done()
            move.date = fields.Datetime.to_datetime(self.today.replace(day=1))
        plan = self._plan(history_months=3)
        self.start_tour(
            f"/odoo/action-aftersales_service.aftersales_parts_plan_action/{plan.id}",
            "aftersales_parts_plan_tour",
            login="as_tour_planner",
        )
        self.assertEqual(plan.state, "submitted")
        spring = plan.line_ids.filtered(lambda line: line.product_id == self.spring)
        self.assertEqual(spring.product_qty, 20.0, "edited by the planner")
        self.assertEqual(spring.source, "proposal")
        self.assertIn(self.gasket, plan.line_ids.product_id)
