# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import WarrantyCommon


@tagged("post_install", "-at_install")
class TestWarrantyAccess(WarrantyCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_warranty_data()
        cls.voucher = cls._voucher(cls._lot(cls.truck, "ACL-1"))
        cls.employee = new_test_user(
            cls.env, login="as_employee", groups="base.group_user"
        )
        cls.portal = new_test_user(
            cls.env,
            login="as_portal",
            groups="base.group_portal,aftersales_service.group_aftersales_station",
        )
        cls.finance = new_test_user(
            cls.env,
            login="as_finance",
            groups="aftersales_service.group_aftersales_finance",
        )
        cls.other_company = cls.env["res.company"].create({"name": "Other Maker"})
        cls.other_user = new_test_user(
            cls.env,
            login="as_other",
            groups="aftersales_service.group_aftersales_manager",
            company_id=cls.other_company.id,
            company_ids=[cls.other_company.id],
        )

    def test_user_handles_vouchers_but_not_policies(self):
        Voucher = self.env["aftersales.warranty.voucher"].with_user(self.user)
        self.assertEqual(Voucher.search([("serial", "=", "ACL-1")]), self.voucher)
        draft = Voucher.create(
            {
                "partner_id": self.customer.id,
                "product_id": self.truck.id,
                "lot_id": self._lot(self.truck, "ACL-2").id,
            }
        )
        draft.action_issue()
        self.assertEqual(draft.state, "active")
        with self.assertRaises(AccessError):
            self.voucher.with_user(self.user).unlink()
        policy = self.policy_vehicles.with_user(self.user)
        self.assertTrue(policy.name)
        with self.assertRaises(AccessError):
            policy.write({"repair_months": 6})
        with self.assertRaises(AccessError):
            self.env["aftersales.warranty.part"].with_user(self.user).create(
                {"name": "x", "code": "x"}
            )

    def test_manager_owns_policies(self):
        self.policy_vehicles.with_user(self.manager).write({"repair_months": 30})
        self.assertEqual(self.policy_vehicles.repair_months, 30)

    def test_finance_reads_vouchers(self):
        self.assertTrue(self.voucher.with_user(self.finance).name)

    def test_employees_and_portal_users_see_no_vouchers(self):
        for user in (self.employee, self.portal):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["aftersales.warranty.voucher"].with_user(user).search([])
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["aftersales.warranty.voucher"].with_user(user).check_warranty(
                    "ACL-1"
                )

    def test_other_company_sees_nothing(self):
        Voucher = self.env["aftersales.warranty.voucher"].with_user(self.other_user)
        self.assertFalse(Voucher.search([("serial", "=", "ACL-1")]))
        answer = Voucher.check_warranty("ACL-1")
        self.assertEqual(answer["reason"], "unknown_serial")
        with self.assertRaises(AccessError):
            self.voucher.with_user(self.other_user).read(["name"])
        Policy = self.env["aftersales.warranty.policy"].with_user(self.other_user)
        self.assertFalse(Policy.search([("id", "=", self.policy_vehicles.id)]))
