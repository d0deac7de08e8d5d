# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from freezegun import freeze_time

from odoo.tests import TransactionCase, tagged

from .common import WarrantyCommon


@tagged("post_install", "-at_install")
class TestVoucherIssueOnDelivery(WarrantyCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_warranty_data()
        cls.Voucher = cls.env["aftersales.warranty.voucher"]

    def _vouchers_of(self, picking):
        return self.Voucher.search([("picking_id", "=", picking.id)])

    @freeze_time("2026-03-10 09:00:00")
    def test_one_voucher_per_serial(self):
        serials = [self._lot(self.truck, f"TRK-{n}") for n in range(3)]
        picking = self._deliver(
            self.customer, [(self.truck, lot, 1) for lot in serials]
        )
        vouchers = self._vouchers_of(picking)
        self.assertEqual(len(vouchers), 3)
        self.assertEqual(vouchers.lot_id, serials[0] | serials[1] | serials[2])
        for voucher in vouchers:
            self.assertEqual(voucher.state, "active")
            self.assertTrue(voucher.name.startswith("WV/2026/"))
            self.assertEqual(voucher.partner_id, self.customer)
            self.assertEqual(voucher.policy_id, self.policy_vehicles)
            self.assertEqual(voucher.quantity, 1)
            self.assertEqual(voucher.date_start, date(2026, 3, 10))
            self.assertEqual(voucher.date_end, date(2028, 3, 10))
            self.assertEqual(voucher.mileage_limit, 50000)
            self.assertEqual(
                voucher.coverage_line_ids.mapped("provider_id"),
                self.chassis_maker | self.company.partner_id,
            )
            body = voucher.coverage_line_ids.filtered(
                lambda line: line.part_id == self.part_body
            )
            self.assertEqual(body.date_end, date(2027, 3, 10))
            self.assertEqual(voucher.excluded_part_ids, self.part_plastic)
        self.assertEqual(len(set(vouchers.mapped("name"))), 3)
        self.assertTrue(
            any(
                "3 warranty voucher(s) issued" in body
                for body in picking.message_ids.mapped("body")
            )
        )

    @freeze_time("2026-03-10 09:00:00")
    def test_one_voucher_per_lot_and_quantity(self):
        lot_a = self._lot(self.lamp, "LAMP-A", date(2026, 1, 5))
        lot_b = self._lot(self.lamp, "LAMP-B", date(2026, 2, 5))
        picking = self._deliver(
            self.customer, [(self.lamp, lot_a, 120), (self.lamp, lot_b, 80)]
        )
        vouchers = self._vouchers_of(picking)
        self.assertEqual(len(vouchers), 2)
        by_lot = {v.lot_id: v for v in vouchers}
        self.assertEqual(by_lot[lot_a].quantity, 120)
        self.assertEqual(by_lot[lot_b].quantity, 80)
        # Consumers are covered 12 months from the delivery.
        self.assertEqual(by_lot[lot_a].holder_type, "consumer")
        self.assertEqual(by_lot[lot_a].date_end, date(2027, 3, 10))

    @freeze_time("2026-03-10 09:00:00")
    def test_dealer_is_covered_from_manufacture_date(self):
        lot = self._lot(self.lamp, "LAMP-D", date(2026, 1, 5))
        picking = self._deliver(self.dealer, [(self.lamp, lot, 50)])
        voucher = self._vouchers_of(picking)
        self.assertEqual(voucher.holder_type, "dealer")
        self.assertEqual(voucher.date_start, date(2026, 1, 5))
        self.assertEqual(voucher.date_end, date(2027, 4, 5))

    def test_product_policy_overrides_category_policy(self):
        special = self.env["aftersales.warranty.policy"].create(
            {
                "name": "Test truck special",
                "product_tmpl_id": self.truck.product_tmpl_id.id,
                "repair_months": 36,
            }
        )
        picking = self._deliver(
            self.customer, [(self.truck, self._lot(self.truck, "TRK-SP"), 1)]
        )
        self.assertEqual(self._vouchers_of(picking).policy_id, special)

    def test_no_voucher_without_policy_or_tracking(self):
        other = self.env["product.category"].create({"name": "No policy"})
        bare = self._create_product("Test bare", other, "serial")
        picking = self._deliver(
            self.customer,
            [(bare, self._lot(bare, "BARE-1"), 1), (self.untracked, False, 3)],
        )
        self.assertFalse(self._vouchers_of(picking))

    def test_no_voucher_when_company_turns_issuing_off(self):
        self.company.aftersales_auto_voucher = False
        picking = self._deliver(
            self.customer, [(self.truck, self._lot(self.truck, "TRK-OFF"), 1)]
        )
        self.assertFalse(self._vouchers_of(picking))

    def test_stock_user_without_after_sales_rights_issues_vouchers(self):
        picking = self._deliver(
            self.customer,
            [(self.truck, self._lot(self.truck, "TRK-STK"), 1)],
            user=self.stock_user,
        )
        self.assertEqual(len(self._vouchers_of(picking)), 1)

    def test_serial_with_live_voucher_is_skipped_not_blocking(self):
        lot = self._lot(self.truck, "TRK-TWICE")
        existing = self._voucher(lot)
        picking = self._deliver(self.customer, [(self.truck, lot, 1)])
        self.assertFalse(self._vouchers_of(picking))
        self.assertEqual(existing.state, "active")
        self.assertTrue(
            any("TRK-TWICE" in body for body in picking.message_ids.mapped("body"))
        )

    def test_receipt_from_supplier_issues_nothing(self):
        lot = self._lot(self.truck, "TRK-IN")
        self._transfer(
            "stock.picking_type_in",
            self.env.ref("stock.stock_location_suppliers"),
            self.stock_location,
            self.chassis_maker,
            [(self.truck, lot, 1)],
        )
        self.assertFalse(self.Voucher.search([("lot_id", "=", lot.id)]))
