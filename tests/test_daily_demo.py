# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue #11 (daily use): demo."""

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDailyDemo(TransactionCase):
    """The demo shows a Chinese manufacturer with its after-sales set up."""

    def setUp(self):
        super().setUp()
        self.quality_user = self.env.ref(
            "aftersales_service.demo_user_quality", raise_if_not_found=False
        )
        if not self.quality_user:
            self.skipTest("demo data not loaded")
        self.company = self.env.ref("base.main_company")
        self.cn = self.env.ref("base.cn")
        self.cny = self.env.ref("base.CNY")
        self.odoobot = self.env.ref("base.user_root")

    def _demo(self, xmlid):
        return self.env.ref(f"aftersales_service.{xmlid}")

    def assertChineseAddress(self, partner):
        self.assertEqual(partner.country_id, self.cn, partner.name)
        self.assertEqual(partner.state_id.country_id, self.cn, partner.name)
        self.assertTrue(partner.street and partner.city and partner.zip, partner.name)

    def assertRealUser(self, user, what):
        self.assertTrue(user, f"{what} has no user")
        self.assertNotEqual(user, self.odoobot, f"{what} is OdooBot's")
        self.assertFalse(user.share, f"{what}: {user.name} is no internal user")

    def test_company_is_chinese_with_cny_and_the_chinese_chart(self):
        company = self.company
        self.assertEqual(company.country_id, self.cn)
        self.assertEqual(company.state_id, self.env.ref("base.state_cn_FJ"))
        self.assertEqual(company.currency_id, self.cny)
        self.assertEqual(company.chart_template, "cn")
        self.assertEqual(company.account_fiscal_country_id, self.cn)
        Account = self.env["account.account"].with_company(company)
        bank = Account.search(
            [("code", "=", "100200"), ("company_ids", "in", company.id)]
        )
        self.assertTrue(bank, "the Chinese chart's Bank Savings (1002)")
        self.assertChineseAddress(company.partner_id)
        factory = self.env.ref("stock.warehouse0")
        self.assertEqual(factory.partner_id, company.partner_id)
        # The demo's documents are in the company currency.
        self.assertEqual(self._demo("bill_leaf_springs").currency_id, self.cny)
        self.assertEqual(self._demo("purchase_leaf_springs").currency_id, self.cny)
        quotation = self._demo("claim_paid_repair").sale_order_id
        self.assertEqual(quotation.currency_id, self.cny)

    def test_offices_and_stations_have_chinese_addresses(self):
        regions = self.env["aftersales.region"].search(
            [("company_id", "=", self.company.id)]
        )
        self.assertGreaterEqual(len(regions), 4)
        for region in regions:
            self.assertChineseAddress(region.office_partner_id)
        stations = self.env["aftersales.station"].search(
            [("company_id", "=", self.company.id)]
        )
        self.assertGreaterEqual(len(stations), 8)
        for station in stations:
            self.assertEqual(station.partner_id.country_id, self.cn)
            self.assertEqual(station.partner_id.state_id.country_id, self.cn)

    def test_after_sales_settings_are_filled_in(self):
        company = self.company
        account = company.aftersales_station_deposit_account_id
        self.assertEqual(account.code, "224101")
        self.assertEqual(account.account_type, "liability_current")
        self.assertIn(company, account.company_ids)
        journal = company.aftersales_station_deposit_journal_id
        self.assertEqual(journal.type, "bank")
        self.assertEqual(journal.company_id, company)
        self.assertEqual(company.aftersales_retention_account_id.code, "224102")
        self.assertEqual(company.aftersales_recovery_account_id.code, "530105")
        self.assertEqual(company.aftersales_quality_user_id, self.quality_user)
        self.assertTrue(
            self.quality_user.has_group("aftersales_service.group_aftersales_user")
        )
        done = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        self.assertTrue(done.aftersales_return_visit)
        # The Fuzhou station's deposit, in CNY, on that account.
        station = self._demo("station_fuzhou")
        self.assertEqual(station.currency_id, self.cny)
        self.assertEqual(station.deposit_balance, 20000.0)

    def test_quality_reports_and_deposits_are_signed_by_real_users(self):
        reports = (
            self._demo("claim_compressor") | self._demo("claim_leaf_spring")
        ).quality_report_id
        self.assertEqual(len(reports), 2)
        for report in reports:
            self.assertEqual(report.user_id, self.quality_user, report.name)
        deposits = self.env["aftersales.supplier.deposit"].search(
            [("company_id", "=", self.company.id)]
        )
        self.assertGreaterEqual(len(deposits), 4)
        movements = deposits.movement_ids
        self.assertTrue(movements.filtered(lambda m: m.state == "posted"))
        for deposit in deposits:
            self.assertRealUser(deposit.user_id, deposit.display_name)
        for movement in movements:
            self.assertRealUser(movement.create_uid, movement.display_name)
            is_bill_share = movement.kind in ("withhold", "refund")
            if movement.state in ("approved", "posted") and not is_bill_share:
                self.assertRealUser(movement.approved_by_id, movement.display_name)
            if movement.state == "posted":
                self.assertRealUser(movement.posted_by_id, movement.display_name)

    def test_returns_and_plans_are_signed_by_real_users(self):
        batches = self.env["aftersales.return.batch"].search(
            [("company_id", "=", self.company.id), ("submitted_by_id", "!=", False)]
        )
        self.assertTrue(batches)
        for batch in batches:
            self.assertRealUser(batch.submitted_by_id, batch.name)
            if batch.approved_by_id or batch.state not in ("submitted", "cancel"):
                self.assertRealUser(batch.approved_by_id, batch.name)
            if batch.special_approval:
                self.assertRealUser(batch.special_approved_by_id, batch.name)
        plans = self.env["aftersales.parts.plan"].search(
            [("company_id", "=", self.company.id), ("approved_by_id", "!=", False)]
        )
        self.assertTrue(plans)
        for plan in plans:
            self.assertRealUser(plan.approved_by_id, plan.name)
