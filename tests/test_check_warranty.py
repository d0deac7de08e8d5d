# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import Form, HttpCase, TransactionCase, tagged

from .common import WarrantyCommon

CONTRACT_KEYS = {
    "eligible",
    "reason",
    "voucher_id",
    "remedy",
    "provider_id",
    "date_end",
}


@tagged("post_install", "-at_install")
class TestCheckWarranty(WarrantyCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_warranty_data()
        cls.Voucher = cls.env["aftersales.warranty.voucher"]
        cls.truck_lot = cls._lot(cls.truck, "CHK-TRUCK")
        # Delivered 15 January 2026 at 120 km; 24 months, 50,000 km.
        cls.voucher = cls._voucher(cls.truck_lot, mileage_start=120)

    def check(self, serial="CHK-TRUCK", **kwargs):
        answer = self.Voucher.with_user(self.user).check_warranty(serial, **kwargs)
        self.assertLessEqual(CONTRACT_KEYS, set(answer))
        return answer

    def test_unknown_serial_is_an_answer_not_an_error(self):
        for serial in ("NO-SUCH-SERIAL", "", None):
            answer = self.check(serial)
            self.assertEqual(
                (answer["eligible"], answer["reason"], answer["voucher_id"]),
                (False, "unknown_serial", False),
            )

    def test_remedy_by_age(self):
        expected = [
            ("2026-01-22", "refund"),
            ("2026-01-23", "exchange"),
            ("2026-01-30", "exchange"),
            ("2026-01-31", "repair"),
            ("2028-01-15", "repair"),
        ]
        for day, remedy in expected:
            with self.subTest(day=day):
                answer = self.check(date=day)
                self.assertTrue(answer["eligible"])
                self.assertEqual(answer["remedy"], remedy)
                self.assertEqual(answer["voucher_id"], self.voucher.id)

    def test_default_date_is_today(self):
        with freeze_time("2028-01-16"):
            answer = self.check()
        self.assertEqual((answer["eligible"], answer["reason"]), (False, "expired"))
        self.assertEqual(answer["date_end"], "2028-01-15")

    def test_provider_per_part(self):
        # Another catalogue's part whose code reads like this voucher's part
        # name must not shadow it.
        self.env["aftersales.warranty.part"].create(
            {"name": "Other maker's body", "code": "body"}
        )
        chassis = self.check(date="2026-06-01", part="T-CHS")
        self.assertEqual(chassis["provider_id"], self.chassis_maker.id)
        body = self.check(date="2026-06-01", part="Body")
        self.assertEqual(body["provider_id"], self.company.partner_id.id)
        self.assertEqual(body["date_end"], "2027-01-15")
        by_id = self.check(date="2026-06-01", part=self.part_chassis.id)
        self.assertEqual(by_id["provider_id"], self.chassis_maker.id)
        late_body = self.check(date="2027-02-01", part="T-BODY")
        self.assertEqual(
            (late_body["eligible"], late_body["reason"]), (False, "part_expired")
        )
        plastic = self.check(date="2026-06-01", part="T-PLAS")
        self.assertEqual(
            (plastic["eligible"], plastic["reason"]), (False, "part_excluded")
        )
        unknown = self.check(date="2026-06-01", part="flux capacitor")
        self.assertEqual(
            (unknown["eligible"], unknown["reason"]), (False, "unknown_part")
        )

    def test_mileage(self):
        inside = self.check(date="2026-06-01", mileage=50120)
        self.assertTrue(inside["eligible"])
        over = self.check(date="2026-06-01", mileage=50121)
        self.assertEqual(
            (over["eligible"], over["reason"]), (False, "mileage_exceeded")
        )
        for bad in (-1, 100, "lots"):
            with self.subTest(mileage=bad), self.assertRaises(ValidationError):
                self.check(date="2026-06-01", mileage=bad)

    def test_bad_date_is_a_clear_error(self):
        with self.assertRaisesText(ValidationError, "YYYY-MM-DD"):
            self.check(date="31/12/2026")

    def test_two_failed_repairs_of_the_same_part_give_exchange(self):
        Repair = self.env["aftersales.warranty.voucher.repair"]
        values = {
            "voucher_id": self.voucher.id,
            "part_id": self.part_body.id,
            "fault": "Door seal",
            "result": "failed",
        }
        Repair.create(values)
        Repair.create(dict(values, part_id=self.part_chassis.id))
        answer = self.check(date="2026-06-01", part="T-BODY")
        self.assertEqual((answer["remedy"], answer["reason"]), ("repair", "covered"))
        Repair.create(values)
        answer = self.check(date="2026-06-01", part="T-BODY")
        self.assertEqual(
            (answer["remedy"], answer["reason"]), ("exchange", "repeated_failure")
        )

    def test_void_and_expired_vouchers(self):
        self.voucher._action_void("Refunded")
        answer = self.check(date="2026-06-01")
        self.assertEqual((answer["eligible"], answer["reason"]), (False, "void"))
        # A new voucher for the same serial answers before the void one.
        replacement = self._voucher(self.truck_lot, date_delivery=date(2026, 7, 1))
        answer = self.check(date="2026-07-02")
        self.assertEqual(answer["voucher_id"], replacement.id)
        self.assertTrue(answer["eligible"])

    def test_misuse_is_not_covered(self):
        answer = self.check(date="2026-06-01", cause="misuse")
        self.assertEqual(
            (answer["eligible"], answer["reason"]), (False, "not_manufacturing")
        )
        answer = self.check(date="2026-06-01", cause="manufacturing")
        self.assertTrue(answer["eligible"])

    def test_out_of_warranty_quote(self):
        self.assertEqual(
            self.voucher.out_of_warranty_quote(245.5),
            {"cost": 245.5, "surcharge": 24.55, "total": 270.05},
        )

    def test_check_wizard_answers_as_the_user_types(self):
        form = Form(self.env["aftersales.warranty.check"].with_user(self.user))
        form.serial = "CHK-TRUCK"
        form.check_date = date(2026, 6, 1)
        form.part_id = self.part_chassis
        self.assertTrue(form.eligible)
        self.assertEqual(form.provider_id, self.chassis_maker)
        self.assertEqual(form.voucher_id, self.voucher)
        form.mileage = 99999
        self.assertFalse(form.eligible)
        self.assertEqual(form.reason, "Mileage limit exceeded")
        form.mileage = 10
        self.assertIn("below", form.reason)


@tagged("post_install", "-at_install")
class TestCheckWarrantyRpc(WarrantyCommon, HttpCase):
    """The contract as station systems see it, over XML-RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_warranty_data()
        cls._voucher(cls._lot(cls.truck, "RPC-TRUCK"), mileage_start=0)

    def rpc(self, *args, **kwargs):
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname,
            self.user.id,
            "as_userx",
            "aftersales.warranty.voucher",
            "check_warranty",
            list(args),
            kwargs,
        )

    def test_rpc_answers(self):
        answer = self.rpc("RPC-TRUCK", date="2026-06-01", mileage=1000, part="T-CHS")
        self.assertTrue(answer["eligible"])
        self.assertEqual(answer["remedy"], "repair")
        self.assertEqual(answer["provider_id"], self.chassis_maker.id)
        self.assertEqual(answer["date_end"], "2028-01-15")
        unknown = self.rpc("NOPE")
        self.assertEqual(
            (unknown["eligible"], unknown["reason"]), (False, "unknown_serial")
        )
