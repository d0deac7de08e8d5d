# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date, datetime

from freezegun import freeze_time
from psycopg2.errors import LockNotAvailable

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, TransactionCase, tagged

from .common import WarrantyCommon


@tagged("post_install", "-at_install")
class TestVoucherIntegrity(WarrantyCommon, TransactionCase):
    """An issued voucher is final, whoever writes it and however."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_warranty_data()
        cls.Voucher = cls.env["aftersales.warranty.voucher"]
        cls.voucher = cls._voucher(cls._lot(cls.truck, "INT-1"), mileage_start=120)
        cls.other_customer = cls.env["res.partner"].create({"name": "Other buyer"})

    def _draft(self, serial):
        return self.Voucher.with_user(self.user).create(
            {
                "partner_id": self.customer.id,
                "product_id": self.truck.id,
                "lot_id": self._lot(self.truck, serial).id,
                "date_delivery": date(2026, 1, 15),
            }
        )

    # ------------------------------------------------------------------
    # Workflow fields and final states
    # ------------------------------------------------------------------

    def test_issued_terms_cannot_be_written(self):
        voucher = self.voucher.with_user(self.user)
        terms = {
            "date_end": date(2030, 1, 1),
            "partner_id": self.other_customer.id,
            "mileage_limit": 999999,
            "mileage_start": 0,
            "date_start": date(2025, 1, 1),
            "product_id": self.lamp.id,
            "policy_id": False,
            "excluded_part_ids": [Command.clear()],
        }
        for field_name, value in terms.items():
            for user in (self.user, self.manager):
                with (
                    self.subTest(field=field_name, user=user.login),
                    self.assertRaisesText(UserError, "is Active"),
                ):
                    self.voucher.with_user(user).write({field_name: value})
        self.assertEqual(voucher.date_end, date(2028, 1, 15))
        self.assertEqual(voucher.partner_id, self.customer)
        self.assertEqual(voucher.mileage_limit, 50000)
        self.assertEqual(voucher.excluded_part_ids, self.part_plastic)

    def test_state_and_stamps_change_through_actions_only(self):
        for values in (
            {"state": "draft"},
            {"state": "void"},
            {"name": "WV/FORGED"},
            {"void_reason": "typed"},
        ):
            with (
                self.subTest(values=values),
                self.assertRaisesText(UserError, "actions only"),
            ):
                self.voucher.with_user(self.manager).write(values)
        self.assertEqual(self.voucher.state, "active")
        # The issued voucher never goes back to draft: it cannot be deleted.
        with self.assertRaisesText(UserError, "void them instead"):
            self.voucher.with_user(self.manager).unlink()
        self.assertTrue(self.voucher.exists())

    def test_documented_fields_stay_editable(self):
        voucher = self.voucher.with_user(self.user)
        voucher.write({"note": "<p>Customer called about the cooling unit</p>"})
        voucher.write({"user_id": self.manager.id})
        voucher.write(
            {
                "repair_ids": [
                    Command.create({"fault": "Door seal", "part_id": self.part_body.id})
                ]
            }
        )
        self.assertIn("cooling unit", voucher.note)
        self.assertEqual(voucher.user_id, self.manager)
        self.assertEqual(len(voucher.repair_ids), 1)

    @freeze_time("2026-06-10")
    def test_void_and_expired_keep_only_the_note(self):
        expired = self._voucher(
            self._lot(self.truck, "INT-EXP"), date_delivery=date(2020, 1, 1)
        )
        self.Voucher._cron_expire_vouchers()
        self.assertEqual(expired.state, "expired")
        self.voucher._action_void("Refunded")
        for voucher, label in ((expired, "Expired"), (self.voucher, "Void")):
            mine = voucher.with_user(self.user)
            mine.write({"note": "<p>Archived</p>"})
            with self.assertRaisesText(UserError, f"is {label}"):
                mine.write({"user_id": self.manager.id})
            with self.assertRaisesText(UserError, f"is {label}"):
                self.env["aftersales.warranty.voucher.repair"].with_user(
                    self.user
                ).create({"voucher_id": voucher.id, "fault": "Late"})

    def test_create_issued_is_refused(self):
        sequence = self.env.ref("aftersales_service.seq_aftersales_warranty_voucher")
        next_number = sequence.number_next_actual
        before = self.Voucher.search_count([])
        lot = self._lot(self.truck, "INT-FORGED")
        for values in (
            {"state": "active"},
            {"state": "expired"},
            {"name": "WV/2026/999999"},
            {"void_reason": "typed"},
        ):
            with (
                self.subTest(values=values),
                self.assertRaisesText(UserError, "set by its actions"),
            ):
                self.Voucher.with_user(self.manager).create(
                    {
                        "partner_id": self.customer.id,
                        "product_id": self.truck.id,
                        "lot_id": lot.id,
                        **values,
                    }
                )
        self.assertEqual(self.Voucher.search_count([]), before)
        # No number was spent on the refused vouchers.
        self.assertEqual(sequence.number_next_actual, next_number)

    def test_issue_is_the_transition(self):
        draft = self._draft("INT-ISSUE")
        draft.write({"mileage_start": 10})
        draft.action_issue()
        self.assertEqual(draft.state, "active")
        self.assertRegex(draft.name, r"^WV/\d{4}/\d{6}$")
        with self.assertRaisesText(UserError, "already issued"):
            draft.action_issue()
        employee = self.stock_user
        with self.assertRaises(AccessError):
            self._draft("INT-ISSUE-2").with_user(employee).action_issue()

    def test_coverage_is_frozen_once_issued(self):
        Coverage = self.env["aftersales.warranty.voucher.coverage"].with_user(self.user)
        line = self.voucher.coverage_line_ids.with_user(self.user)[:1]
        with self.assertRaisesText(UserError, "is Active"):
            line.write({"provider_id": self.customer.id})
        with self.assertRaisesText(UserError, "is Active"):
            line.write({"months": 60})
        with self.assertRaisesText(UserError, "is Active"):
            Coverage.create(
                {
                    "voucher_id": self.voucher.id,
                    "part_id": self.part_plastic.id,
                    "provider_id": self.customer.id,
                }
            )
        with self.assertRaisesText(UserError, "is Active"):
            line.unlink()
        self.assertEqual(len(self.voucher.coverage_line_ids), 2)
        # A draft's coverage is still being prepared; it never moves.
        draft = self._draft("INT-COVER")
        draft_line = draft.coverage_line_ids[:1]
        draft_line.write({"months": 36})
        with self.assertRaisesText(UserError, "cannot move to another"):
            draft_line.write({"voucher_id": self.voucher.id})

    def test_repair_record_lines_stay_on_their_voucher(self):
        repair = (
            self.env["aftersales.warranty.voucher.repair"]
            .with_user(self.user)
            .create({"voucher_id": self.voucher.id, "fault": "Door seal"})
        )
        repair.write({"result": "failed"})
        other = self._voucher(self._lot(self.truck, "INT-REPAIR"))
        with self.assertRaisesText(UserError, "cannot move to another"):
            repair.write({"voucher_id": other.id})

    def test_repair_by_a_partner_of_another_company_is_refused(self):
        other_company = self.env["res.company"].create({"name": "Other maker"})
        foreign = self.env["res.partner"].create(
            {"name": "Foreign station", "company_id": other_company.id}
        )
        with self.assertRaises(UserError):
            self.env["aftersales.warranty.voucher.repair"].create(
                {
                    "voucher_id": self.voucher.id,
                    "fault": "Door seal",
                    "repaired_by_id": foreign.id,
                }
            )

    def test_nan_terms_are_refused(self):
        draft = self._draft("INT-NAN")
        for field_name in ("mileage_limit", "mileage_start", "surcharge_percent"):
            for bad in (float("nan"), float("inf"), "nan", [1]):
                with (
                    self.subTest(field=field_name, value=repr(bad)),
                    self.assertRaisesText(ValidationError, "a number is expected"),
                ):
                    draft.write({field_name: bad})
        self.assertEqual(draft.mileage_limit, 50000)
        with self.assertRaisesText(ValidationError, "a number is expected"):
            self._draft("INT-NAN-2").copy({"quantity": float("nan")})
        with self.assertRaisesText(ValidationError, "a number is expected"):
            self.env["aftersales.warranty.voucher.repair"].create(
                {
                    "voucher_id": draft.id,
                    "fault": "x",
                    "mileage": float("nan"),
                }
            )

    # ------------------------------------------------------------------
    # Void: after-sales managers only
    # ------------------------------------------------------------------

    def _void_wizard(self, user, reason):
        action = self.voucher.with_user(self.manager).action_void()
        form = Form(
            self.env[action["res_model"]]
            .with_user(user)
            .with_context(**action["context"])
        )
        form.reason = reason
        return form.save()

    def test_users_cannot_void(self):
        mine = self.voucher.with_user(self.user)
        with self.assertRaises(AccessError):
            mine.action_void()
        with self.assertRaises(AccessError):
            mine._action_void("Refunded")
        wizard = self._void_wizard(self.user, "Refunded")
        with self.assertRaises(AccessError):
            wizard.action_confirm()
        self.assertEqual(self.voucher.state, "active")
        self.assertFalse(self.voucher.void_reason)

    def test_managers_void_with_a_reason(self):
        wizard = self._void_wizard(self.manager, "  ")
        with self.assertRaisesText(UserError, "reason"):
            wizard.action_confirm()
        self.assertEqual(self.voucher.state, "active")
        for bad in (None, 42, ["x"]):
            with self.subTest(reason=bad), self.assertRaises(UserError):
                self.voucher.with_user(self.manager)._action_void(bad)
        self._void_wizard(self.manager, "Refunded within 7 days").action_confirm()
        self.assertEqual(self.voucher.state, "void")
        self.assertEqual(self.voucher.void_reason, "Refunded within 7 days")
        draft = self._draft("INT-VOID-DRAFT")
        with self.assertRaisesText(UserError, "delete them"):
            draft.with_user(self.manager)._action_void("Mistake")

    def test_void_button_is_for_managers(self):
        arch = (
            self.env["aftersales.warranty.voucher.void"]
            .with_user(self.user)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertNotIn('name="action_confirm"', arch)
        arch = (
            self.env["aftersales.warranty.voucher.void"]
            .with_user(self.manager)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn('name="action_confirm"', arch)

    # ------------------------------------------------------------------
    # check_warranty's arguments
    # ------------------------------------------------------------------

    def check(self, serial="INT-1", **kwargs):
        return self.Voucher.with_user(self.user).check_warranty(serial, **kwargs)

    def test_check_warranty_refuses_bad_arguments(self):
        bad_calls = [
            ({"date": 20260601}, "YYYY-MM-DD"),
            ({"date": [2026, 6, 1]}, "YYYY-MM-DD"),
            ({"date": {"y": 2026}}, "YYYY-MM-DD"),
            ({"date": True}, "YYYY-MM-DD"),
            ({"date": 0}, "YYYY-MM-DD"),
            ({"date": "2026-02-30"}, "not a real day"),
            ({"date": "2026-13-01"}, "not a real day"),
            ({"date": "tomorrow"}, "YYYY-MM-DD"),
            ({"mileage": float("nan")}, "Mileage must be"),
            ({"mileage": float("inf")}, "Mileage must be"),
            ({"mileage": float("-inf")}, "Mileage must be"),
            ({"mileage": 10**400}, "Mileage must be"),
            ({"mileage": "1000"}, "Mileage must be"),
            ({"mileage": True}, "Mileage must be"),
            ({"mileage": [1000]}, "Mileage must be"),
            ({"mileage": -1}, "Mileage must be"),
            ({"product_id": "12"}, "product_id must be a record id"),
            ({"product_id": 1.5}, "product_id must be a record id"),
            ({"product_id": [1]}, "product_id must be a record id"),
            ({"product_id": True}, "product_id must be a record id"),
            ({"product_id": -3}, "product_id must be a record id"),
            ({"part": 1.5}, "part must be a record id"),
            ({"part": ["T-CHS"]}, "part must be a record id"),
            ({"part": {"code": "T-CHS"}}, "part must be a record id"),
            ({"part": True}, "part must be a record id"),
            ({"cause": 3}, "cause must be text"),
            ({"serial": 12345}, "serial must be text"),
            ({"serial": ["INT-1"]}, "serial must be text"),
            ({"serial": True}, "serial must be text"),
        ]
        for kwargs, message in bad_calls:
            kwargs = dict(kwargs)
            serial = kwargs.pop("serial", "INT-1")
            with (
                self.subTest(**{k: repr(v) for k, v in kwargs.items()}, s=serial),
                self.assertRaisesText(ValidationError, message),
            ):
                self.check(serial, **kwargs)

    @freeze_time("2026-06-10")
    def test_check_warranty_good_arguments_keep_their_answers(self):
        for day in (
            "2026-06-01",
            " 2026-06-01 ",
            "2026-06-01 10:30:00",
            date(2026, 6, 1),
            datetime(2026, 6, 1, 10, 30),
        ):
            with self.subTest(day=repr(day)):
                answer = self.check(date=day, mileage=1000, part="T-CHS")
                self.assertEqual(answer["date"], "2026-06-01")
                self.assertTrue(answer["eligible"])
                self.assertEqual(answer["provider_id"], self.chassis_maker.id)
        # XML-RPC clients send False for "not given".
        answer = self.check(
            date=False, mileage=False, part=False, product_id=False, cause=False
        )
        self.assertTrue(answer["eligible"])
        self.assertEqual(
            self.check(date="2026-06-01", product_id=self.truck.id)["voucher_id"],
            self.voucher.id,
        )
        self.assertEqual(self.check(date="2026-06-01", mileage=50120)["eligible"], True)
        # Ids that name nothing are answers, not errors.
        self.assertEqual(
            self.check(date="2026-06-01", part=2**40)["reason"], "unknown_part"
        )
        self.assertEqual(
            self.check(date="2026-06-01", product_id=2**40)["reason"],
            "unknown_serial",
        )
        self.assertEqual(self.check("   ")["reason"], "unknown_serial")

    def test_internal_answer_refuses_nan_mileage(self):
        # The station portal reads the voucher's answer directly.
        with self.assertRaisesText(ValidationError, "Mileage must be"):
            self.voucher._answer(date(2026, 6, 1), mileage=float("nan"))

    def test_quote_validates_the_cost_and_rounds_half_up(self):
        # 10% of 1.25 is 0.125: booked 0.13 as Odoo rounds (round() gave 0.12).
        self.assertEqual(
            self.voucher.out_of_warranty_quote(1.25),
            {"cost": 1.25, "surcharge": 0.13, "total": 1.38},
        )
        for bad in (-1, float("nan"), float("inf"), "12", None, True):
            with self.subTest(cost=repr(bad)), self.assertRaises(ValidationError):
                self.voucher.out_of_warranty_quote(bad)


@tagged("post_install", "-at_install")
class TestVoucherIssueRace(TransactionCase):
    """Two users issue a voucher for the same serial at once: two real
    transactions on committed data."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            category = env["product.category"].create({"name": "Race vehicles"})
            product = env["product.product"].create(
                {
                    "name": "Race truck",
                    "categ_id": category.id,
                    "is_storable": True,
                    "tracking": "serial",
                }
            )
            policy = env["aftersales.warranty.policy"].create(
                {"name": "Race policy", "categ_id": category.id, "repair_months": 12}
            )
            partner = env["res.partner"].create({"name": "Race customer"})
            lot = env["stock.lot"].create({"name": "RACE-1", "product_id": product.id})
            first, second = env["aftersales.warranty.voucher"].create(
                [
                    {
                        "partner_id": partner.id,
                        "product_id": product.id,
                        "lot_id": lot.id,
                    }
                    for __ in range(2)
                ]
            )
            self.ids = {
                "first": first.id,
                "second": second.id,
                "lot": lot.id,
                "product": product.id,
                "template": product.product_tmpl_id.id,
                "policy": policy.id,
                "category": category.id,
                "partner": partner.id,
            }
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        ids = self.ids
        vouchers = (ids["first"], ids["second"])
        with self.registry.cursor() as cr:
            cr.execute(
                "DELETE FROM mail_message WHERE model = "
                "'aftersales.warranty.voucher' AND res_id IN %s",
                (vouchers,),
            )
            cr.execute(
                "DELETE FROM aftersales_warranty_voucher WHERE id IN %s", (vouchers,)
            )
            cr.execute("DELETE FROM stock_lot WHERE id = %s", (ids["lot"],))
            cr.execute(
                "DELETE FROM aftersales_warranty_policy WHERE id = %s", (ids["policy"],)
            )
            cr.execute("DELETE FROM product_product WHERE id = %s", (ids["product"],))
            cr.execute("DELETE FROM product_template WHERE id = %s", (ids["template"],))
            cr.execute("DELETE FROM product_category WHERE id = %s", (ids["category"],))
            cr.execute("DELETE FROM res_partner WHERE id = %s", (ids["partner"],))

    def _voucher(self, cr, key):
        return api.Environment(cr, SUPERUSER_ID, {})[
            "aftersales.warranty.voucher"
        ].browse(self.ids[key])

    def test_loser_of_the_race_gets_a_clear_error(self):
        with (
            self.assertNoLogs("odoo", "ERROR"),
            self.registry.cursor() as cr1,
            self.registry.cursor() as cr2,
        ):
            first, second = self._voucher(cr1, "first"), self._voucher(cr2, "second")
            # Both users see two drafts: their snapshots begin here.
            self.assertEqual(first.state, "draft")
            self.assertEqual(second.state, "draft")
            first.action_issue()
            # The first holds the serial: the second waits for it.
            with self.assertRaises(LockNotAvailable), cr2.savepoint(flush=False):
                cr2.execute("SET LOCAL lock_timeout = '300ms'")
                second.action_issue()
            cr1.commit()
            # Its snapshot predates the first voucher, which only the database
            # constraint sees: checked now, a clear error, not one at commit.
            with self.assertRaisesRegex(ValidationError, "RACE-1"):
                second.action_issue()
            cr2.rollback()
        with self.registry.cursor() as cr:
            first, second = self._voucher(cr, "first"), self._voucher(cr, "second")
            self.assertEqual((first.state, second.state), ("active", "draft"))
            # Asked again, the second gets the usual answer naming the first.
            with self.assertRaisesRegex(ValidationError, first.name):
                second.action_issue()
            cr.rollback()
