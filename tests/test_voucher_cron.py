# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import TransactionCase, tagged

from .common import WarrantyCommon


@tagged("post_install", "-at_install")
class TestVoucherExpiryCron(WarrantyCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_warranty_data()
        cls.Voucher = cls.env["aftersales.warranty.voucher"]
        # Lighting policy: 12 months from delivery.
        cls.ending_yesterday = cls._voucher(
            cls._lot(cls.lamp, "CRON-1"), date_delivery=date(2025, 6, 9)
        )
        cls.ending_today = cls._voucher(
            cls._lot(cls.lamp, "CRON-2"), date_delivery=date(2025, 6, 10)
        )
        cls.long_gone = cls._voucher(
            cls._lot(cls.lamp, "CRON-3"), date_delivery=date(2024, 1, 1)
        )
        cls.void = cls._voucher(
            cls._lot(cls.lamp, "CRON-4"), date_delivery=date(2024, 1, 1)
        )
        cls.void._action_void("test")

    @freeze_time("2026-06-10")
    def test_expires_only_active_vouchers_past_their_end(self):
        self.Voucher._cron_expire_vouchers()
        self.assertEqual(self.ending_yesterday.state, "expired")
        self.assertEqual(self.long_gone.state, "expired")
        self.assertEqual(self.ending_today.state, "active")
        self.assertEqual(self.void.state, "void")

    @freeze_time("2026-06-10")
    def test_batches_report_progress_and_rerun_is_harmless(self):
        progress = []

        def notify(cron, done, remaining, deactivate=False):
            progress.append((done, remaining))

        with patch.object(type(self.env["ir.cron"]), "_notify_progress", notify):
            first = self.Voucher._cron_expire_vouchers(batch_size=1)
            second = self.Voucher._cron_expire_vouchers(batch_size=1)
            third = self.Voucher._cron_expire_vouchers(batch_size=1)
        self.assertEqual(len(first | second), 2)
        self.assertFalse(third)
        self.assertEqual(progress, [(1, 1), (1, 0), (0, 0)])

    def test_cron_record_calls_the_method(self):
        cron = self.env.ref("aftersales_service.ir_cron_expire_warranty_vouchers")
        self.assertIn("_cron_expire_vouchers", cron.code)
        with freeze_time("2026-06-10"):
            cron.method_direct_trigger()
        self.assertEqual(self.ending_yesterday.state, "expired")
