# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue #12 (insight): the monthly after-sales statistics workbook."""

import dataclasses
import re
from datetime import date
from io import BytesIO

import openpyxl

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged

from .test_return_batches import ReturnCommon

# A year the demo data (dated from today) never reaches.
YEAR = 2020
JUNE = date(YEAR, 6, 1)
JULY = date(YEAR, 7, 1)
AUGUST = date(YEAR, 8, 1)
REPORT = "aftersales_service.action_report_aftersales_statistics_xlsx"
SHEETS = [
    "Claims by Category",
    "Claims by Product",
    "Claims by Region",
    "Claims by Station",
    "Claims by Responsibility",
    "Claims by Handling Method",
    "Returned Goods by Region",
    "Returned Goods by Office",
    "Returned Goods by Product",
    "Returned Goods by Reason",
    "Returned Goods by Settlement",
    "Vouchers by Category",
]
CLAIM_MEASURES = [
    "Claims",
    "Parts Cost",
    "Labour Cost",
    "Total Cost",
    "Paid by Customer",
    "Recovered from Suppliers",
]
MONTHS = [
    "Jan 2020",
    "Feb 2020",
    "Mar 2020",
    "Apr 2020",
    "May 2020",
    "Jun 2020",
    "Jul 2020",
    "Aug 2020",
    "Sep 2020",
    "Oct 2020",
    "Nov 2020",
    "Dec 2020",
]


def by_month(**figures):
    """Twelve monthly figures from {"jun": 2, ...}, the others zero."""
    keys = [name[:3].lower() for name in MONTHS]
    return [figures.get(key, 0) for key in keys]


@tagged("post_install", "-at_install")
class TestInsightStatistics(ReturnCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_return_data()
        env = cls.env
        cls.other_station = env["aftersales.station"].create(
            {
                "partner_id": env["res.partner"]
                .create({"name": "Test South Station", "is_company": True})
                .id,
                "region_id": cls.region_south.id,
            }
        )
        # Claims: two in June at the east station, one paid repair in July
        # at the south one; a draft, a rejected claim and claims of other
        # years that the statistics leave out.
        claims = [
            ("approved", cls._stat_claim(date(YEAR, 6, 2))),
            (
                "done",
                cls._stat_claim(
                    date(YEAR, 6, 20),
                    responsibility="supplier",
                    supplier_id=cls.chassis_maker.id,
                    handling_method="exchange",
                ),
            ),
            (
                "submitted",
                cls._stat_claim(
                    date(YEAR, 7, 5),
                    station_id=cls.other_station.id,
                    product_id=cls.lamp.id,
                    responsibility="misuse",
                    handling_method="paid_repair",
                    line_ids=[
                        Command.create(
                            {
                                "line_type": "part",
                                "product_id": cls.compressor.id,
                                "quantity": 2,
                            }
                        ),
                        Command.create(
                            {"line_type": "labour", "name": "Labour", "unit_cost": 100}
                        ),
                    ],
                ),
            ),
            ("draft", cls._stat_claim(date(YEAR, 6, 10))),
            ("rejected", cls._stat_claim(date(YEAR, 7, 10))),
            ("done", cls._stat_claim(date(YEAR - 1, 12, 31))),
            ("done", cls._stat_claim(date(YEAR + 1, 1, 1))),
        ]
        records = env["aftersales.claim"].create([vals for __, vals in claims])
        # Parts and labour are entered while a claim is a draft.
        for record, (state, __) in zip(records, claims, strict=True):
            record.state = state
        # Returned goods: June's batch received and counted, July's still a
        # draft (announced only), August's cancelled.
        received = cls._stat_batch(JUNE)
        received.state = "received"
        ballast, lamp = received.line_ids.sorted("quantity")
        ballast.write({"received_qty": 10, "settlement": "scrap"})
        lamp.received_qty = 30
        cls._stat_batch(JULY)
        cls._stat_batch(AUGUST, region_id=cls.region_south.id).state = "cancel"
        # Vouchers: one of 2019 in force until mid-March, a truck's issued in
        # June and a lamp's on the last day of July; void and draft ones are
        # no warranty.
        old = cls._voucher(
            cls._lot(cls.lamp, "STAT-L1"), date_delivery=date(YEAR - 1, 3, 15)
        )
        old.write({"date_end": date(YEAR, 3, 15), "state": "expired"})
        cls._voucher(cls._lot(cls.truck, "STAT-T1"), date_delivery=date(YEAR, 6, 10))
        cls.lamp_voucher = cls._voucher(
            cls._lot(cls.lamp, "STAT-L2"), date_delivery=date(YEAR, 7, 31)
        )
        cls._voucher(
            cls._lot(cls.truck, "STAT-T2"),
            date_delivery=date(YEAR, 6, 1),
            state="void",
        )
        cls._voucher(
            cls._lot(cls.lamp, "STAT-L3"),
            date_delivery=date(YEAR, 6, 1),
            state="draft",
        )
        cls.clerk = new_test_user(
            env,
            login="as_statistics_clerk",
            groups="base.group_portal,aftersales_service.group_aftersales_station",
            partner_id=env["res.partner"]
            .create({"name": "Clerk", "parent_id": cls.station_partner.id})
            .id,
        )

    @classmethod
    def _stat_claim(cls, day, **values):
        vals = {
            "partner_id": cls.customer.id,
            "product_id": cls.truck.id,
            "station_id": cls.station.id,
            "failure_date": day,
            "date": day,
            "responsibility": "manufacturing",
            "handling_method": "repair",
            "line_ids": [
                # 1,000 of parts (the compressor's cost) and 300 of labour.
                Command.create({"line_type": "part", "product_id": cls.compressor.id}),
                Command.create(
                    {"line_type": "labour", "name": "Labour", "unit_cost": 300.0}
                ),
            ],
        }
        vals.update(values)
        return vals

    @classmethod
    def _stat_batch(cls, period, **values):
        vals = {
            "region_id": cls.region_east.id,
            "period_date": period,
            "line_ids": [
                Command.create(
                    {"product_id": cls.ballast.id, "quantity": 12, "reason": "defect"}
                ),
                Command.create(
                    {
                        "product_id": cls.lamp.id,
                        "lot_id": cls.lamp_lot.id,
                        "quantity": 30,
                        "reason": "transport",
                        "station_id": cls.station.id,
                    }
                ),
            ],
        }
        vals.update(values)
        return cls.env["aftersales.return.batch"].create(vals)

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _wizard(self, user=None, **values):
        vals = {"period": "year", "year": YEAR}
        vals.update(values)
        Wizard = self.env["aftersales.statistics.wizard"]
        return Wizard.with_user(user or self.user).create(vals)

    def _print(self, wizard, user=None):
        content, report_type = (
            self.env["ir.actions.report"]
            .with_user(user or self.user)
            ._render(REPORT, wizard.ids)
        )
        self.assertEqual(report_type, "xlsx")
        return openpyxl.load_workbook(BytesIO(content))

    def _figures(self, sheet):
        """{(dimension, measure): [figures of each month..., total]} of the
        rows inside the filter, and the same of the totals below it."""
        rows = list(sheet.iter_rows(values_only=True))
        last_filtered = int(re.search(r"(\d+)$", sheet.auto_filter.ref).group(1))
        body = {(row[0], row[1]): list(row[2:]) for row in rows[1:last_filtered]}
        totals = {row[1]: list(row[2:]) for row in rows[last_filtered:]}
        self.assertTrue(all(row[0] == "Total" for row in rows[last_filtered:]))
        return body, totals

    # ------------------------------------------------------------------
    # Tests
    # ------------------------------------------------------------------

    def test_year_workbook_layout(self):
        """A sheet per subject and dimension, months as columns and the total,
        the filter over the table, the totals below it, numbers formatted."""
        workbook = self._print(self._wizard())
        self.assertEqual(workbook.sheetnames, SHEETS)
        for sheet in workbook.worksheets:
            header = next(sheet.iter_rows(max_row=1, values_only=True))
            self.assertEqual(list(header[2:]), MONTHS + ["Total"], sheet.title)
            self.assertEqual(header[1], "Measure")
            self.assertEqual(sheet.freeze_panes, "C2")
            self.assertTrue(sheet.auto_filter.ref.startswith("A1:O"), sheet.title)
            self.assertGreater(sheet.column_dimensions["A"].width, len(header[0]))
            for row in sheet.iter_rows(min_row=2, min_col=3):
                for cell in row:
                    self.assertIsInstance(cell.value, int | float, cell.coordinate)
                    self.assertNotRegex(cell.number_format, r"\.(?!0)")
        header = next(workbook["Claims by Region"].iter_rows(values_only=True))
        self.assertEqual(header[0], "Region")
        sheet = workbook["Claims by Region"]
        rows = list(sheet.iter_rows(min_row=2))
        # Two regions with six measures each, then the six totals in bold.
        self.assertEqual(sheet.auto_filter.ref, "A1:O13")
        self.assertEqual(len(rows), 18)
        self.assertEqual(
            [row[1].value for row in rows[:6]] + [row[1].value for row in rows[12:]],
            CLAIM_MEASURES * 2,
        )
        self.assertTrue(all(row[0].font.b for row in rows[12:]))
        self.assertFalse(any(row[0].font.b for row in rows[:12]))
        self.assertEqual(rows[0][2].number_format, "#,##0")
        self.assertIn("0.00", rows[1][2].number_format)

    def test_claims_by_month_and_dimension(self):
        workbook = self._print(self._wizard())
        body, totals = self._figures(workbook["Claims by Category"])
        lamps = self.lamp.categ_id.display_name
        self.assertEqual(
            set(body),
            {(name, m) for name in (lamps, "Test vehicles") for m in CLAIM_MEASURES},
        )
        vehicles = {
            measure: body["Test vehicles", measure] for measure in CLAIM_MEASURES
        }
        self.assertEqual(
            vehicles,
            {
                "Claims": by_month(jun=2) + [2],
                "Parts Cost": by_month(jun=2000) + [2000],
                "Labour Cost": by_month(jun=600) + [600],
                "Total Cost": by_month(jun=2600) + [2600],
                "Paid by Customer": by_month() + [0],
                "Recovered from Suppliers": by_month(jun=1300) + [1300],
            },
        )
        self.assertEqual(body[lamps, "Total Cost"], by_month(jul=2100) + [2100])
        # Paid service: the cost and the 10% surcharge.
        self.assertEqual(body[lamps, "Paid by Customer"], by_month(jul=2310) + [2310])
        self.assertEqual(
            totals,
            {
                "Claims": by_month(jun=2, jul=1) + [3],
                "Parts Cost": by_month(jun=2000, jul=2000) + [4000],
                "Labour Cost": by_month(jun=600, jul=100) + [700],
                "Total Cost": by_month(jun=2600, jul=2100) + [4700],
                "Paid by Customer": by_month(jul=2310) + [2310],
                "Recovered from Suppliers": by_month(jun=1300) + [1300],
            },
        )
        # Other dimensions: labels, not keys, in the selection's order.
        body, __ = self._figures(workbook["Claims by Responsibility"])
        self.assertEqual(
            [name for name, measure in body if measure == "Claims"],
            ["Manufacturing Defect", "Supplier Part", "Misuse"],
        )
        self.assertEqual(body["Misuse", "Claims"], by_month(jul=1) + [1])
        body, __ = self._figures(workbook["Claims by Handling Method"])
        self.assertEqual(
            {name: figures[-1] for (name, m), figures in body.items() if m == "Claims"},
            {"Repair": 1, "Exchange": 1, "Paid Repair": 1},
        )
        body, __ = self._figures(workbook["Claims by Station"])
        self.assertEqual(
            body[self.station.display_name, "Labour Cost"], by_month(jun=600) + [600]
        )
        self.assertEqual(
            body[self.other_station.display_name, "Claims"], by_month(jul=1) + [1]
        )
        body, __ = self._figures(workbook["Claims by Product"])
        self.assertEqual(body["Test Truck", "Claims"], by_month(jun=2) + [2])
        self.assertEqual(body["Test Lamp", "Claims"], by_month(jul=1) + [1])

    def test_returned_goods_by_month_and_dimension(self):
        workbook = self._print(self._wizard())
        body, totals = self._figures(workbook["Returned Goods by Region"])
        # The cancelled batch of the south region counts nothing.
        self.assertEqual(
            body,
            {
                ("Test East", "Announced"): by_month(jun=42, jul=42) + [84],
                ("Test East", "Received"): by_month(jun=40) + [40],
            },
        )
        self.assertEqual(totals["Received"], by_month(jun=40) + [40])
        body, __ = self._figures(workbook["Returned Goods by Office"])
        self.assertEqual(
            body["Test office partner", "Announced"], by_month(jun=42, jul=42) + [84]
        )
        body, __ = self._figures(workbook["Returned Goods by Product"])
        self.assertEqual(body["Test ballast", "Received"], by_month(jun=10) + [10])
        self.assertEqual(
            body["Test Lamp", "Announced"], by_month(jun=30, jul=30) + [60]
        )
        body, __ = self._figures(workbook["Returned Goods by Reason"])
        reasons = dict(
            self.env["aftersales.return.batch.line"]
            ._fields["reason"]
            ._description_selection(self.env)
        )
        self.assertEqual(
            body[reasons["defect"], "Announced"], by_month(jun=12, jul=12) + [24]
        )
        body, __ = self._figures(workbook["Returned Goods by Settlement"])
        self.assertEqual(
            body,
            {
                ("Scrap", "Announced"): by_month(jun=12) + [12],
                ("Scrap", "Received"): by_month(jun=10) + [10],
                ("Not Set", "Announced"): by_month(jun=30, jul=42) + [72],
                ("Not Set", "Received"): by_month(jun=30) + [30],
            },
        )

    def test_vouchers_issued_and_in_force_at_each_month_end(self):
        self.assertEqual(self.lamp_voucher.date_start, date(YEAR, 7, 31))
        self.assertGreater(self.lamp_voucher.date_end, date(YEAR, 12, 31))
        workbook = self._print(self._wizard())
        body, totals = self._figures(workbook["Vouchers by Category"])
        lamps = self.lamp.categ_id.display_name
        in_force = [1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]
        self.assertEqual(
            body,
            {
                (lamps, "Issued"): by_month(jul=1) + [1],
                # The total of what is in force is what is at the period's end.
                (lamps, "Active at Month End"): in_force + [1],
                ("Test vehicles", "Issued"): by_month(jun=1) + [1],
                ("Test vehicles", "Active at Month End"): [0] * 5 + [1] * 7 + [1],
            },
        )
        self.assertEqual(totals["Issued"], by_month(jun=1, jul=1) + [2])
        self.assertEqual(
            totals["Active at Month End"], [1, 1, 0, 0, 0, 1, 2, 2, 2, 2, 2, 2, 2]
        )

    def test_month_workbook_is_the_year_to_date(self):
        """June: January to June, June highlighted, and the year to date."""
        wizard = self._wizard(period="month", month="6")
        self.assertEqual(
            (wizard.date_from, wizard.date_to), (date(YEAR, 1, 1), date(YEAR, 6, 30))
        )
        self.assertEqual(wizard.file_name, "After-Sales Statistics 2020-06")
        action = wizard.action_print()
        self.assertEqual(action["report_name"], "aftersales_service.statistics_xlsx")
        self.assertEqual(action["context"]["active_ids"], wizard.ids)
        workbook = self._print(wizard)
        sheet = workbook["Claims by Category"]
        header = next(sheet.iter_rows(max_row=1))
        self.assertEqual([cell.value for cell in header[2:]], MONTHS[:6] + ["Total"])
        self.assertEqual(sheet.auto_filter.ref, "A1:I7")
        self.assertEqual(header[7].fill.fgColor.rgb, "FFFFF2CC")
        self.assertNotEqual(header[6].fill.fgColor.rgb, "FFFFF2CC")
        body, totals = self._figures(sheet)
        # July's claim (the lamp's) is after the period.
        self.assertEqual({name for name, __ in body}, {"Test vehicles"})
        self.assertEqual(totals["Total Cost"], [0, 0, 0, 0, 0, 2600, 2600])
        body, __ = self._figures(workbook["Vouchers by Category"])
        lamps = self.lamp.categ_id.display_name
        self.assertEqual(body[lamps, "Active at Month End"], [1, 1, 0, 0, 0, 0, 0])

    def test_bad_periods_are_refused_and_nothing_is_written(self):
        Wizard = self.env["aftersales.statistics.wizard"]
        count = Wizard.search_count([])
        next_year = fields.Date.today().year + 1
        for values, message in (
            ({"year": 1999}, "between 2000 and"),
            ({"year": next_year + 1}, "between 2000 and"),
            ({"year": 0}, "between 2000 and"),
            ({"period": "month", "month": False}, "Choose the month"),
        ):
            with (
                self.subTest(values=values),
                self.assertRaisesText(ValidationError, message),
            ):
                self._wizard(**values)
        self.assertEqual(Wizard.search_count([]), count)
        wizard = self._wizard(year=next_year)
        with self.assertRaisesText(ValidationError, "Choose the month"):
            wizard.write({"period": "month", "month": False})
        self.assertEqual(wizard.period, "year")
        other = self.env["res.company"].create(
            {"name": "Test other statistics company"}
        )
        with self.assertRaisesText(ValidationError, "one of your companies"):
            self._wizard(company_id=other.id)
        self.assertEqual(Wizard.search_count([]), count + 1)
        # The workbook is printed from one wizard, not without.
        with self.assertRaisesText(UserError, "Monthly Statistics"):
            self.env["ir.actions.report"].with_user(self.user)._render(REPORT, [])

    def test_only_after_sales_users_print_and_rules_decide_the_figures(self):
        wizard = self._wizard()
        for user in (self.clerk, self.stock_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._wizard(user=user)
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._print(wizard, user=user)
        # The figures come from the reader's rights: station staff (whose
        # rules show their station's claims only) would see their own, and
        # never what suppliers are charged.
        Report = self.env["report.aftersales_service.statistics_xlsx"]
        sheet = next(
            sheet
            for sheet in Report._statistics_sheets()
            if sheet.dimension == "station_id"
        )
        months = wizard._months()
        with self.assertRaisesText(AccessError, "supplier_amount"):
            Report.with_user(self.clerk)._statistics_table(sheet, self.company, months)
        sheet = dataclasses.replace(
            sheet,
            measures=tuple(
                measure
                for measure in sheet.measures
                if measure.field != "supplier_amount"
            ),
        )
        for user, stations in (
            (self.clerk, self.station),
            (self.user, self.station | self.other_station),
        ):
            table = Report.with_user(user)._statistics_table(
                sheet, self.company, months
            )
            self.assertEqual(
                {value for value, __, __ in table}, set(stations), user.login
            )

    def test_names_are_written_as_text_never_as_formulas(self):
        self.truck.name = '=HYPERLINK("http://evil.example","click")'
        book = self._print(self._wizard())
        cells = [
            cell
            for row in book["Claims by Product"].iter_rows()
            for cell in row
            if isinstance(cell.value, str) and cell.value.startswith("=HYPERLINK")
        ]
        self.assertTrue(cells, "the product is not in the workbook")
        self.assertEqual({cell.data_type for cell in cells}, {"s"})
