# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

import psycopg2

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, TransactionCase, tagged
from odoo.tools import mute_logger

from .common import WarrantyCommon


@tagged("post_install", "-at_install")
class TestVoucherManual(WarrantyCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_warranty_data()
        cls.Voucher = cls.env["aftersales.warranty.voucher"]

    def test_form_fills_policy_dates_and_coverage_then_issue_numbers_it(self):
        lot = self._lot(self.truck, "MAN-1")
        form = Form(self.Voucher.with_user(self.user))
        form.partner_id = self.customer
        form.product_id = self.truck
        form.lot_id = lot
        form.date_delivery = date(2026, 5, 31)
        self.assertEqual(form.policy_id, self.policy_vehicles)
        self.assertEqual(form.date_start, date(2026, 5, 31))
        self.assertEqual(form.date_end, date(2028, 5, 31))
        self.assertEqual(form.mileage_limit, 50000)
        self.assertEqual(len(form.coverage_line_ids), 2)
        voucher = form.save()
        self.assertEqual((voucher.state, voucher.name), ("draft", "New"))
        voucher.action_issue()
        self.assertEqual(voucher.state, "active")
        self.assertRegex(voucher.name, r"^WV/\d{4}/\d{6}$")
        with self.assertRaises(UserError):
            voucher.action_issue()

    def test_dealer_partner_switches_start_to_manufacture_date(self):
        lot = self._lot(self.lamp, "MAN-LAMP", date(2025, 12, 1))
        form = Form(self.Voucher)
        form.product_id = self.lamp
        form.lot_id = lot
        form.date_delivery = date(2026, 2, 1)
        form.partner_id = self.customer
        self.assertEqual(form.date_start, date(2026, 2, 1))
        self.assertEqual(form.date_end, date(2027, 2, 1))
        form.partner_id = self.dealer
        self.assertEqual(form.holder_type, "dealer")
        self.assertEqual(form.date_start, date(2025, 12, 1))
        self.assertEqual(form.date_end, date(2027, 3, 1))

    def test_issue_without_sequence_says_what_to_create(self):
        voucher = self._voucher(self._lot(self.truck, "MAN-SEQ"), state="draft")
        self.env["ir.sequence"].search(
            [("code", "=", "aftersales.warranty.voucher")]
        ).active = False
        with self.assertRaisesText(UserError, "aftersales.warranty.voucher"):
            voucher.action_issue()
        self.assertEqual((voucher.state, voucher.name), ("draft", "New"))

    def test_issue_without_policy_is_refused(self):
        other = self.env["product.category"].create({"name": "Uncovered"})
        bare = self._create_product("Uncovered item", other, "serial")
        voucher = self.Voucher.create(
            {
                "partner_id": self.customer.id,
                "product_id": bare.id,
                "lot_id": self._lot(bare, "BARE-M").id,
            }
        )
        self.assertFalse(voucher.policy_id)
        with self.assertRaisesText(UserError, "No warranty policy applies"):
            voucher.action_issue()
        self.assertEqual(voucher.state, "draft")

    def test_issued_terms_do_not_follow_later_policy_changes(self):
        voucher = self._voucher(self._lot(self.truck, "MAN-FROZEN"))
        self.policy_vehicles.write({"repair_months": 36, "mileage_limit": 80000})
        voucher.invalidate_recordset()
        self.assertEqual(voucher.date_end, date(2028, 1, 15))
        self.assertEqual(voucher.mileage_limit, 50000)

    def test_void_needs_a_reason_and_keeps_history(self):
        voucher = self._voucher(self._lot(self.truck, "MAN-VOID"))
        action = voucher.action_void()
        wizard_form = Form(
            self.env[action["res_model"]].with_context(**action["context"])
        )
        self.assertEqual(wizard_form.voucher_ids[:], voucher)
        wizard_form.reason = "   "
        wizard = wizard_form.save()
        with self.assertRaisesText(UserError, "reason"):
            wizard.action_confirm()
        self.assertEqual(voucher.state, "active")
        wizard.reason = "Refunded within 7 days"
        wizard.action_confirm()
        self.assertEqual(voucher.state, "void")
        self.assertEqual(voucher.void_reason, "Refunded within 7 days")
        with self.assertRaises(UserError):
            voucher._action_void("again")

    def test_issued_voucher_cannot_be_deleted_draft_can(self):
        issued = self._voucher(self._lot(self.truck, "MAN-DEL"))
        with self.assertRaisesText(UserError, "void them instead"):
            issued.unlink()
        self.assertTrue(issued.exists())
        draft = self._voucher(self._lot(self.truck, "MAN-DEL2"), state="draft")
        draft.unlink()
        self.assertFalse(draft.exists())

    def test_print_voucher_pdf_content(self):
        voucher = self._voucher(self._lot(self.truck, "MAN-PDF"), mileage_start=15)
        html = str(
            self.env["ir.actions.report"]._render_qweb_html(
                "aftersales_service.action_report_warranty_voucher", voucher.ids
            )[0]
        )
        self.assertIn(voucher.name, html)
        self.assertIn("MAN-PDF", html)
        self.assertIn("Test Chassis Maker", html)
        self.assertIn("Plastic parts", html)
        action = voucher.with_context(discard_logo_check=True).action_print()
        self.assertEqual(action["report_type"], "qweb-pdf")

    def test_smart_buttons_count_vouchers(self):
        lot = self._lot(self.truck, "MAN-SMART")
        self._voucher(lot)
        self._voucher(self._lot(self.truck, "MAN-SMART2"))
        self.assertEqual(lot.warranty_voucher_count, 1)
        self.assertEqual(self.truck.product_tmpl_id.warranty_voucher_count, 2)
        self.assertEqual(self.customer.warranty_voucher_count, 2)
        self.assertEqual(self.policy_vehicles.voucher_count, 2)
        action = self.customer.action_view_warranty_vouchers()
        self.assertEqual(len(self.Voucher.search(action["domain"])), 2)


@tagged("post_install", "-at_install")
class TestVoucherBadInput(WarrantyCommon, TransactionCase):
    """Bad input gets a clear error and writes nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_warranty_data()
        cls.Voucher = cls.env["aftersales.warranty.voucher"]

    def _count(self):
        return self.Voucher.search_count([])

    def test_second_live_voucher_for_a_serial(self):
        lot = self._lot(self.truck, "BAD-DUP")
        first = self._voucher(lot)
        before = self._count()
        with self.assertRaisesText(ValidationError, "already has the live voucher"):
            self._voucher(lot)
        self.assertEqual(self._count(), before)
        draft = self._voucher(lot, state="draft")
        with self.assertRaisesText(ValidationError, first.name):
            draft.action_issue()
        self.assertEqual(draft.state, "draft")
        # Once the first is void, the serial can be covered again.
        first._action_void("Exchanged")
        draft.action_issue()
        self.assertEqual(draft.state, "active")

    def test_database_refuses_duplicates_the_constraint_missed(self):
        lot = self._lot(self.truck, "BAD-RACE")
        self._voucher(lot)
        other = self._voucher(self._lot(self.truck, "BAD-RACE-2"))
        # Simulate a concurrent transaction that never ran the constraint.
        with self.assertRaises(psycopg2.IntegrityError), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                self.env.cr.execute(
                    "SET CONSTRAINTS aftersales_warranty_voucher_live_serial IMMEDIATE"
                )
                self.env.cr.execute(
                    "UPDATE aftersales_warranty_voucher SET lot_id = %s WHERE id = %s",
                    (lot.id, other.id),
                )

    def test_several_lot_vouchers_are_allowed(self):
        lot = self._lot(self.lamp, "BAD-LOT")
        self._voucher(lot, quantity=10)
        self._voucher(lot, quantity=5)
        self.assertEqual(self.Voucher.search_count([("lot_id", "=", lot.id)]), 2)

    def test_end_date_before_start(self):
        before = self._count()
        with self.assertRaisesText(ValidationError, "cannot end"):
            self._voucher(
                self._lot(self.truck, "BAD-DATES"),
                date_start=date(2026, 5, 1),
                date_end=date(2026, 4, 30),
            )
        self.assertEqual(self._count(), before)

    def test_negative_mileage(self):
        before = self._count()
        with self.assertRaisesText(ValidationError, "negative"):
            self._voucher(self._lot(self.truck, "BAD-KM"), mileage_start=-5)
        self.assertEqual(self._count(), before)

    def test_serial_voucher_covers_one_unit(self):
        with self.assertRaisesText(ValidationError, "exactly one unit"):
            self._voucher(self._lot(self.truck, "BAD-QTY"), quantity=2)

    def test_lot_of_another_product(self):
        with self.assertRaisesText(ValidationError, "belongs to"):
            self._voucher(self._lot(self.lamp, "BAD-PROD"), product_id=self.truck.id)

    def test_policy_with_overlapping_windows(self):
        Policy = self.env["aftersales.warranty.policy"]
        before = Policy.search_count([])
        category = self.env["product.category"].create({"name": "Windows"})
        cases = [
            ({"refund_days": 20, "exchange_days": 15}, "refund window"),
            ({"exchange_days": 40, "repair_months": 1}, "exchange window"),
            ({"repair_months": 0}, "at least one month"),
            ({"mileage_limit": -1}, "cannot be negative"),
            ({"surcharge_percent": -10}, "cannot be negative"),
            (
                {"date_from": date(2026, 5, 1), "date_to": date(2026, 4, 1)},
                "end after it starts",
            ),
        ]
        for values, message in cases:
            with (
                self.subTest(values=values),
                self.assertRaisesText(ValidationError, message),
            ):
                Policy.create({"name": "Bad", "categ_id": category.id, **values})
        self.assertEqual(Policy.search_count([]), before)

    def test_policies_overlapping_in_time_on_the_same_scope(self):
        Policy = self.env["aftersales.warranty.policy"]
        category = self.env["product.category"].create({"name": "Validity"})
        Policy.create(
            {"name": "2026", "categ_id": category.id, "date_to": date(2026, 12, 31)}
        )
        with self.assertRaisesText(ValidationError, "overlapping dates"):
            Policy.create(
                {
                    "name": "2026b",
                    "categ_id": category.id,
                    "date_from": date(2026, 6, 1),
                }
            )
        Policy.create(
            {"name": "2027", "categ_id": category.id, "date_from": date(2027, 1, 1)}
        )
        with self.assertRaisesText(ValidationError, "either a product"):
            Policy.create(
                {
                    "name": "Both",
                    "categ_id": category.id,
                    "product_tmpl_id": self.truck.product_tmpl_id.id,
                }
            )

    def test_part_both_covered_and_excluded(self):
        with self.assertRaisesText(ValidationError, "both covered and excluded"):
            self.policy_vehicles.excluded_part_ids |= self.part_chassis
