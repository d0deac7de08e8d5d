# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue #12 (insight): the statistics models behind pivots, dashboard and xlsx."""

from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

from .test_return_batches import ReturnCommon


@tagged("post_install", "-at_install")
class TestInsightReports(ReturnCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_return_data()
        other_partner = cls.env["res.partner"].create(
            {"name": "Test Other Station", "is_company": True}
        )
        cls.other_station = cls.env["aftersales.station"].create(
            {"partner_id": other_partner.id, "region_id": cls.region_south.id}
        )
        cls.other_station.action_activate()
        clerk = cls.env["res.partner"].create(
            {"name": "Test Station Clerk", "parent_id": cls.station_partner.id}
        )
        cls.station_user = new_test_user(
            cls.env,
            login="as_insight_station",
            groups="base.group_portal,aftersales_service.group_aftersales_station",
            partner_id=clerk.id,
        )

    def _figures(self, claims, fields_):
        self.env.flush_all()
        rows = self.env["aftersales.claim.report"].search_read(
            [("claim_id", "in", claims.ids)], ["claim_id", *fields_]
        )
        return {row["claim_id"][0]: [row[f] for f in fields_] for row in rows}

    def test_claim_costs_are_split_between_company_customer_and_supplier(self):
        covered = self._approved_claim()
        paid = self._claim(handling_method="paid_repair")
        supplier = self._approved_claim(
            responsibility="supplier", supplier_id=self.chassis_maker.id
        )
        rejected = self._claim()
        rejected.action_submit()
        rejected.action_appraise()
        rejected.with_user(self.manager)._reject("Not a warranty fault")
        figures = self._figures(
            covered | paid | supplier | rejected,
            ["total_cost", "warranty_cost", "customer_amount", "supplier_amount"],
        )
        # Parts 1,000 + labour 300; paid service adds the 10% surcharge.
        self.assertEqual(figures[covered.id], [1300.0, 1300.0, 0.0, 0.0])
        self.assertEqual(figures[paid.id], [1300.0, 0.0, 1430.0, 0.0])
        self.assertEqual(figures[supplier.id], [1300.0, 1300.0, 0.0, 1300.0])
        self.assertEqual(figures[rejected.id], [1300.0, 0.0, 0.0, 0.0])

    def test_customer_pays_what_the_quotation_says(self):
        paid = self._claim(handling_method="paid_repair")
        paid.action_submit()
        paid.action_appraise()
        paid.action_create_quotation()
        paid.sale_order_id.order_line[:1].price_unit += 70
        (amount,) = self._figures(paid, ["customer_amount"])[paid.id]
        self.assertEqual(amount, paid.sale_order_id.amount_untaxed)
        self.assertNotEqual(amount, 1430.0)

    def test_monthly_totals_by_dimension_in_sql(self):
        self._approved_claim(date=date(2026, 5, 20), failure_date=date(2026, 5, 19))
        self._approved_claim()
        self._approved_claim()
        self.env.flush_all()
        groups = self.env["aftersales.claim.report"]._read_group(
            [("station_id", "=", self.station.id), ("state", "=", "approved")],
            ["date:month", "product_categ_id"],
            ["nbr:sum", "warranty_cost:sum"],
        )
        by_month = {month.month: (n, cost) for month, _categ, n, cost in groups}
        self.assertEqual(by_month, {5: (1, 1300.0), 6: (2, 2600.0)})
        self.assertEqual({categ for _m, categ, _n, _c in groups}, {self.categ_vehicles})

    def test_returns_count_received_only_once_the_factory_counted(self):
        batch = self._shipped()
        ballast_line = batch.line_ids.filtered(lambda line: line.quantity == 12)
        ballast_line.received_qty = 10
        Report = self.env["aftersales.return.report"]
        self.env.flush_all()
        row = Report.search([("line_id", "=", ballast_line.id)])
        self.assertEqual((row.quantity, row.received_qty), (12.0, 0.0))
        with freeze_time("2026-06-12"):
            batch.with_user(self.clerk_user).action_receive()
        self.env.flush_all()
        self.env.invalidate_all()
        self.assertEqual(
            (row.quantity, row.received_qty, row.difference), (12.0, 10.0, -2.0)
        )
        self.assertEqual(row.date, date(2026, 6, 1))
        self.assertEqual(row.office_partner_id, self.office)
        totals = Report._read_group(
            [("batch_id", "=", batch.id)], ["reason"], ["quantity:sum"]
        )
        self.assertEqual(dict(totals), {"defect": 12.0, "transport": 30.0})

    def test_vouchers_issued_and_active_by_month(self):
        lot_a = self._lot(self.truck, "INS-A")
        lot_b = self._lot(self.truck, "INS-B")
        lot_c = self._lot(self.truck, "INS-C")
        active = self._voucher(lot_a, date_delivery=date(2026, 3, 5))
        expired = self._voucher(lot_b, date_delivery=date(2026, 3, 9))
        expired.sudo().write({"state": "expired"})
        draft = self._voucher(lot_c, date_delivery=date(2026, 3, 9), state="draft")
        self.env.flush_all()
        rows = self.env["aftersales.voucher.report"].search(
            [("voucher_id", "in", (active | expired | draft).ids)]
        )
        self.assertEqual(rows.voucher_id, active | expired, "drafts are not issued")
        [(month, issued, still_active)] = self.env[
            "aftersales.voucher.report"
        ]._read_group(
            [("id", "in", rows.ids)], ["date:month"], ["nbr:sum", "active_nbr:sum"]
        )
        self.assertEqual((month.month, issued, still_active), (3, 2, 1))

    def test_station_sees_its_own_statistics_only(self):
        mine = self._approved_claim()
        theirs = self._approved_claim(station_id=self.other_station.id)
        batch = self._batch()
        self.env.flush_all()
        Claims = self.env["aftersales.claim.report"].with_user(self.station_user)
        self.assertEqual(Claims.search([]).claim_id, mine)
        self.assertNotIn(theirs, Claims.search([]).claim_id)
        groups = Claims._read_group([], ["station_id"], ["nbr:sum"])
        self.assertEqual(groups, [(self.station.with_user(self.station_user), 1)])
        with self.assertRaises(AccessError):
            Claims.search_read([], ["supplier_amount"])
        Returns = self.env["aftersales.return.report"].with_user(self.station_user)
        self.assertEqual(
            Returns.search([]).line_id,
            batch.line_ids.filtered(lambda line: line.station_id == self.station),
        )
        with self.assertRaises(AccessError):
            self.env["aftersales.voucher.report"].with_user(self.station_user).search(
                []
            )
        # A plain portal user and an internal user without after-sales rights
        # see no statistics at all.
        for login, groups_ in (
            ("as_insight_portal", "base.group_portal"),
            ("as_insight_internal", "base.group_user"),
        ):
            outsider = new_test_user(self.env, login=login, groups=groups_)
            for model in (
                "aftersales.claim.report",
                "aftersales.return.report",
                "aftersales.voucher.report",
            ):
                with self.assertRaises(AccessError):
                    self.env[model].with_user(outsider).search([])

    def test_statistics_are_read_only(self):
        self._approved_claim()
        self.env.flush_all()
        row = self.env["aftersales.claim.report"].search([], limit=1)
        with self.assertRaises(AccessError):
            row.with_user(self.manager).write({"total_cost": 1})
        with self.assertRaises(AccessError):
            self.env["aftersales.claim.report"].with_user(self.manager).create({})
