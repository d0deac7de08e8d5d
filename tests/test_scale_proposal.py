# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta
from unittest.mock import patch

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import TransactionCase, tagged

from .test_parts_plans import PlanCommon


@tagged("post_install", "-at_install")
class TestScaleProposal(PlanCommon, TransactionCase):
    """Propose from History writes its lines in one batch, whatever their
    number; the plans' default warehouse is read once per batch."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_plan_data()
        cls.customers = cls.env.ref("stock.stock_location_customers")

    def _history(self, quantities, warehouse=None):
        """Done moves out of the warehouse's stock: {product: {months ago: qty}}."""
        stock = (warehouse or self.office_wh).lot_stock_id
        self.env["stock.move"].create(
            [
                {
                    "name": product.name,
                    "product_id": product.id,
                    "product_uom_qty": qty,
                    "product_uom": product.uom_id.id,
                    "location_id": stock.id,
                    "location_dest_id": self.customers.id,
                    "state": "done",
                    "date": fields.Datetime.to_datetime(
                        self.next_month - relativedelta(months=months_ago)
                    )
                    + timedelta(days=3),
                }
                for product, history in quantities.items()
                for months_ago, qty in history.items()
            ]
        )

    def _parts(self, count, prefix):
        return self.env["product.product"].create(
            [
                {
                    "name": f"{prefix} {n}",
                    "is_storable": True,
                    "aftersales_spare_part": True,
                    "standard_price": 10.0,
                }
                for n in range(count)
            ]
        )

    def test_proposed_lines_and_values(self):
        self._history(
            {
                self.spring: dict.fromkeys(range(1, 7), 6),
                self.valve: dict.fromkeys(range(1, 7), 3),
                self.gasket: {2: 60},
                self.bracket: {3: 10},
            }
        )
        self._history({self.bracket: {3: 500}}, warehouse=self.factory)
        self.env["stock.quant"]._update_available_quantity(
            self.spring, self.office_wh.lot_stock_id, 4
        )
        plan = self._plan([(self.valve, 1)])
        plan.with_user(self.planner).action_propose()
        self.env.flush_all()
        # Read back what was written, not what the cache kept.
        self.env.invalidate_all()
        proposed = plan.line_ids.filtered(lambda line: line.source == "proposal")
        common = {
            "company_id": plan.company_id.id,
            "state": "draft",
            "plan_type": "monthly",
            "period_date": self.next_month,
            "warehouse_id": self.office_wh.id,
            "region_id": False,
            "product_uom_id": self.env.ref("uom.product_uom_unit").id,
            "date_needed": max(self.next_month, self.today),
            "location_dest_id": self.office_wh.lot_stock_id.id,
            "received_qty": 0.0,
            "sequence": 10,
            "incoming_qty": 0.0,
        }
        expected = [
            # product, class, quantity, monthly consumption, safety, on hand
            (self.spring, "A", 11.0, 6.0, 9.0, 4.0),
            (self.valve, "A", 8.0, 3.0, 4.5, 0.0),
            (self.bracket, "B", 4.0, 1.67, 1.67, 0.0),  # 10/6
            (self.gasket, "C", 15.0, 10.0, 5.0, 0.0),
        ]
        self.assertRecordValues(
            proposed,
            [
                dict(
                    common,
                    product_id=product.id,
                    abc_class=klass,
                    product_qty=qty,
                    avg_consumption=average,
                    safety_qty=safety,
                    on_hand_qty=on_hand,
                )
                for product, klass, qty, average, safety, on_hand in expected
            ],
        )
        self.assertIn("6/month over 6 months", proposed[0].proposal_note)
        manual = plan.line_ids - proposed
        self.assertEqual((manual.product_id, manual.product_qty), (self.valve, 1.0))
        # The plan's progress still follows its lines.
        self.assertEqual(plan.planned_qty, 11 + 8 + 4 + 15 + 1)

    def test_propose_queries_do_not_grow_with_parts(self):
        warm, few, many = self.env["stock.warehouse"].create(
            [
                {"name": "Test warm-up", "code": "TSW"},
                {"name": "Test few parts", "code": "TSF"},
                {"name": "Test many parts", "code": "TSM"},
            ]
        )
        parts = self._parts(84, "Scale part")
        for products, warehouse in (
            (parts[:2], warm),
            (parts[2:4], few),
            (parts[4:], many),
        ):
            self._history({part: {1: 2, 2: 4} for part in products}, warehouse)

        def queries(warehouse, count):
            plan = self._plan(warehouse_id=warehouse.id).with_user(self.planner)
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            with patch.object(
                self.env.cr, "execute", wraps=self.env.cr.execute
            ) as execute:
                plan.action_propose()
                self.env.flush_all()
            spent = self.env.cr.sql_log_count - before
            self.assertEqual(len(plan.line_ids), count)
            # Everything a line stores is in its INSERT.
            updates = [
                call
                for call in execute.call_args_list
                if 'UPDATE "aftersales_parts_plan_line"' in str(call.args[0])
            ]
            self.assertFalse(updates)
            return spent

        # The first run fills the registry's caches (rules, precisions).
        queries(warm, 2)
        self.assertEqual(queries(few, 2), queries(many, 80))

    def test_default_warehouse_queries_do_not_grow_with_plans(self):
        Plan = self.env["aftersales.parts.plan"]
        company = self.env.company
        first = self.env["stock.warehouse"].search(
            [("company_id", "=", company.id)], limit=1
        )

        def queries(count):
            # Half served by the office's warehouse, half by the company's.
            plans = Plan.browse().concat(
                *(
                    Plan.new(
                        {
                            "company_id": company.id,
                            "region_id": self.region_east.id if n % 2 else False,
                        }
                    )
                    for n in range(count)
                )
            )
            for model in ("aftersales.region", "stock.warehouse", "res.company"):
                self.env[model].invalidate_model()
            before = self.env.cr.sql_log_count
            warehouses = [plan.warehouse_id for plan in plans]
            spent = self.env.cr.sql_log_count - before
            self.assertEqual(warehouses, [first, self.office_wh] * (count // 2))
            return spent

        self.assertEqual(queries(2), queries(80))
