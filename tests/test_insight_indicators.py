# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue #12 (insight): R/1000, TGW and CPU by months in service (seed 001)."""

from datetime import date, datetime, timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import SQL

from ..aftersales_service import indicators
from .common import WarrantyCommon
from .test_daily_reports import XlsxAsserts

JAN = date(2024, 1, 1)
FEB = date(2024, 2, 1)
MAR = date(2024, 3, 1)
AS_OF = date(2026, 3, 15)
POINTS = (0, 1, 3, 6, 12, 24)


def day(value):
    """The day of a date or datetime (xlsx and read_group give either)."""
    return value.date() if isinstance(value, datetime) else value


def rounded(value):
    return None if value is None else round(value, 2)


@tagged("post_install", "-at_install")
class TestInsightIndicators(XlsxAsserts, WarrantyCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_warranty_data()
        cls.serial = 0
        # The January 2024 production cohort of trucks (24-month warranty),
        # as-of 15 March 2026. Exposure = months in service within warranty.
        # A: delivered 10 Feb 2024, 25 months in service: exposure 24.
        cls.unit_a = cls._unit(date(2024, 1, 10), date(2024, 2, 10))
        # B: delivered 31 Jan 2024: exposure 24.
        cls.unit_b = cls._unit(date(2024, 1, 20), date(2024, 1, 31))
        # C: a 12-month warranty: leaves the count after MIS 12.
        cls.unit_c = cls._unit(
            date(2024, 1, 5), date(2024, 3, 1), date_end=date(2025, 3, 1)
        )
        # D: sold late (1 Dec 2025), 3 months in service.
        cls.unit_d = cls._unit(date(2024, 1, 25), date(2025, 12, 1))
        # Not units: a void and a draft voucher, a lamp of another family.
        cls.void = cls._unit(
            date(2024, 1, 15), date(2024, 2, 1), state="void", void_reason="Test"
        )
        cls._unit(date(2024, 1, 16), date(2024, 2, 1), state="draft")
        lamp_lot = cls._lot(cls.lamp, "IND-LAMPS", date(2024, 1, 12))
        cls.lamps = cls._voucher(lamp_lot, date_delivery=date(2024, 2, 15), quantity=30)
        # Two lamps of the lot failed with the same part, at MIS 0 and 3: a
        # lot cannot tell its units apart, so these are two things gone wrong.
        cls._repair(cls.lamps, date(2024, 3, 1), 10.0, cls.part_body)
        cls._repair(cls.lamps, date(2024, 5, 20), 10.0, cls.part_body)
        # The February cohort: one truck delivered a month and a half ago.
        cls.unit_h = cls._unit(date(2024, 2, 3), date(2026, 2, 1))

        cls._repair(cls.unit_a, date(2024, 2, 20), 100.0, cls.part_chassis)  # MIS 0
        cls._repair(  # MIS 5, the same part again: not a new thing gone wrong
            cls.unit_a, date(2024, 7, 15), 300.0, cls.part_chassis, "approved"
        )
        cls._repair(cls.unit_b, date(2024, 3, 31), 200.0, cls.part_body)  # MIS 2
        cls._repair(  # MIS 2: paid service, a repair without warranty cost
            cls.unit_b,
            date(2024, 4, 10),
            70.0,
            cls.part_plastic,
            eligible=False,
            handling_method="paid_repair",
        )
        cls._repair(cls.unit_c, date(2025, 2, 15), 50.0, cls.part_body)  # MIS 11
        cls._repair(cls.unit_d, date(2026, 1, 10), 80.0, cls.part_body, "approved")
        # Not repairs: rejected or draft claims, a failure after the warranty's
        # end, one after the as-of date, the void voucher's.
        cls._repair(cls.unit_a, date(2024, 3, 1), 999.0, cls.part_body, "rejected")
        cls._repair(cls.unit_a, date(2024, 3, 2), 999.0, cls.part_body, "draft")
        cls._repair(cls.unit_b, date(2026, 2, 5), 999.0, cls.part_chassis)
        cls._repair(cls.unit_d, date(2026, 3, 20), 999.0, cls.part_chassis)
        cls._repair(cls.void, date(2024, 3, 5), 999.0, cls.part_chassis)

    @classmethod
    def _unit(cls, manufactured, delivered, product=None, **values):
        cls.serial += 1
        lot = cls._lot(product or cls.truck, f"IND-{cls.serial:04d}", manufactured)
        return cls._voucher(lot, date_delivery=delivered, **values)

    @classmethod
    def _repair(cls, voucher, failure, cost, part, state="done", **values):
        claim = cls.env["aftersales.claim"].create(
            {
                "partner_id": cls.customer.id,
                "product_id": voucher.product_id.id,
                "lot_id": voucher.lot_id.id,
                "voucher_id": voucher.id,
                "failure_date": failure,
                "date": failure,
                "fault_phenomenon": "Test failure",
                "responsibility": "manufacturing",
                "handling_method": values.pop("handling_method", "repair"),
                "part_id": part.id,
                "line_ids": [
                    Command.create(
                        {"line_type": "labour", "name": "Labour", "unit_cost": cost}
                    )
                ],
            }
        )
        # As the workflow leaves it (the superuser writes the outcome).
        claim.write({"state": state, "eligible": values.pop("eligible", True)})
        return claim

    def _run(self, user=None, **values):
        vals = {
            "categ_id": self.categ_vehicles.id,
            "basis": "production",
            "date_from": date(2024, 1, 1),
            "date_to": date(2024, 2, 29),
            "date_as_of": AS_OF,
            "mis_list": "0,1,3,6,12,24",
        }
        vals.update(values)
        return (
            self.env["aftersales.indicator.run"]
            .with_user(user or self.user)
            .create(vals)
        )

    def _cells(self, run):
        return {
            (line.period_date, line.mis): (
                line.units,
                line.repairs,
                line.failed_parts,
                line.cost,
                round(line.r1000, 2),
                round(line.tgw, 2),
                round(line.cpu, 2),
            )
            for line in run.line_ids
        }

    # ------------------------------------------------------------------

    def test_hand_built_cohort(self):
        run = self._run()
        self.assertRegex(run.name, r"^SI/\d{4}/\d{4}$")
        run.action_compute()
        self.assertEqual(run.state, "computed")
        self.assertTrue(run.computed_on)
        # Units, repairs, failed parts, cost, then R/1000, TGW, CPU:
        # January: A, B (exposure 24), C (12) and D (3); repairs at MIS A0
        # 100, D1 80, B2 200, B2 paid (no cost), A5 300, C11 50.
        self.assertEqual(
            self._cells(run),
            {
                (JAN, 0): (4, 1, 1, 100.0, 250.0, 250.0, 25.0),
                (JAN, 1): (4, 2, 2, 180.0, 500.0, 500.0, 45.0),
                (JAN, 3): (4, 4, 4, 380.0, 1000.0, 1000.0, 95.0),
                # D leaves the count with its repair; A's chassis again is
                # a repair, not a new thing gone wrong.
                (JAN, 6): (3, 4, 3, 600.0, 1333.33, 1000.0, 200.0),
                (JAN, 12): (3, 5, 4, 650.0, 1666.67, 1333.33, 216.67),
                # C left its 12-month warranty, with its repair.
                (JAN, 24): (2, 4, 3, 600.0, 2000.0, 1500.0, 300.0),
                # February: too young beyond MIS 1, so no cell (not 0).
                (FEB, 0): (1, 0, 0, 0.0, 0.0, 0.0, 0.0),
                (FEB, 1): (1, 0, 0, 0.0, 0.0, 0.0, 0.0),
            },
        )

    def test_sale_basis_and_product_family(self):
        run = self._run(basis="sale", date_to=date(2024, 12, 31))
        run.action_compute()
        cells = self._cells(run)
        # Cohorts by delivery: B in January, A in February, C in March; D and
        # H were sold after the last cohort.
        self.assertEqual({cohort for cohort, _mis in cells}, {JAN, FEB, MAR})
        self.assertEqual(cells[JAN, 0], (1, 0, 0, 0.0, 0.0, 0.0, 0.0))
        self.assertEqual(cells[JAN, 3], (1, 2, 2, 200.0, 2000.0, 2000.0, 200.0))
        self.assertEqual(cells[FEB, 0], (1, 1, 1, 100.0, 1000.0, 1000.0, 100.0))
        self.assertEqual(cells[MAR, 12][:4], (1, 1, 1, 50.0))
        self.assertNotIn((MAR, 24), cells)
        # The lamps are a lot of 30 units of the lighting family (parent of
        # lamps), under a 12-month warranty; not a truck's.
        lighting = self._run(categ_id=self.categ_lighting.id)
        lighting.action_compute()
        cells = self._cells(lighting)
        self.assertEqual(
            {key: cell[0] for key, cell in cells.items()},
            {(JAN, mis): 30.0 for mis in (0, 1, 3, 6, 12)},
        )
        self.assertEqual(cells[JAN, 0], (30, 1, 1, 10.0, 33.33, 33.33, 0.33))
        self.assertEqual(cells[JAN, 3], (30, 2, 2, 20.0, 66.67, 66.67, 0.67))

    def test_months_in_service_sql_is_the_rule(self):
        Run = self.env["aftersales.indicator.run"]
        pairs = []
        start = date(2023, 12, 1)
        while start < date(2024, 4, 1):
            pairs += [
                (start, start + timedelta(days=offset))
                for offset in range(-40, 800, 13)
            ]
            start += timedelta(days=1)
        self.env.cr.execute(
            SQL(
                "SELECT s, d, %s FROM (VALUES %s) AS t(s, d)",
                Run._sql_months(SQL("s"), SQL("d")),
                SQL(", ").join(SQL("(%s::date, %s::date)", s, d) for s, d in pairs),
            )
        )
        rows = self.env.cr.fetchall()
        self.assertEqual(len(rows), len(pairs))
        wrong = [
            (s, d, months)
            for s, d, months in rows
            if months != indicators.months_in_service(s, d)
        ]
        self.assertEqual(wrong, [])

    def test_queries_do_not_grow_with_vouchers_and_claims(self):
        run = self._run()
        run.action_compute()

        def queries():
            self.env.flush_all()
            before = self.env.cr.sql_log_count
            run.action_compute()
            return self.env.cr.sql_log_count - before

        few = queries()
        units = run.line_ids.filtered(lambda line: line.mis == 0).mapped("units")
        # Twenty more January trucks, each with two repairs: the same cells.
        for _index in range(20):
            voucher = self._unit(date(2024, 1, 8), date(2024, 1, 31))
            self._repair(voucher, date(2024, 2, 20), 10.0, self.part_body)
            self._repair(voucher, date(2024, 3, 20), 10.0, self.part_chassis)
        many = queries()
        self.assertEqual(
            run.line_ids.filtered(lambda line: line.mis == 0).mapped("units"),
            [units[0] + 20, units[1]],
        )
        self.assertEqual(few, many)
        self.assertLessEqual(many, 30)

    def test_matrix_chart_and_pivot(self):
        run = self._run()
        run.action_compute()
        matrix = run.with_user(self.user).action_view_matrix()
        self.assertEqual(matrix["res_model"], "aftersales.indicator.line")
        self.assertEqual(matrix["views"][0][1], "pivot")
        self.assertEqual(matrix["domain"], [("run_id", "=", run.id)])
        chart = run.with_user(self.user).action_view_chart()
        self.assertEqual(chart["views"][0][1], "graph")
        Line = self.env["aftersales.indicator.line"].with_user(self.user)
        groups = Line._read_group(
            matrix["domain"], ["period_date:month", "mis"], ["r1000:avg", "units:sum"]
        )
        # One line per cell: the cell's value, whatever the aggregator.
        cells = {(day(cohort), mis): values for cohort, mis, *values in groups}
        # Stored with two decimals.
        self.assertEqual(cells[JAN, 12][0], 1666.67)
        self.assertEqual(cells[JAN, 24][1], 2)
        self.assertEqual(len(cells), len(run.line_ids))

    def test_xlsx(self):
        run = self._run()
        run.action_compute()
        sheets = self._export("aftersales_service.action_report_indicator_xlsx", run)
        self.assertEqual(
            list(sheets),
            [
                "R per 1000",
                "TGW",
                "CPU",
                "Units",
                "Repairs",
                "Warranty Cost",
                "Computations",
            ],
        )
        self.assertTables(sheets)
        header, *rows = sheets["R per 1000"]["rows"]
        self.assertEqual(list(header), ["Cohort"] + [f"MIS {mis}" for mis in POINTS])
        self.assertEqual(
            [(day(row[0]), *(rounded(value) for value in row[1:])) for row in rows],
            [
                (JAN, 250.0, 500.0, 1000.0, 1333.33, 1666.67, 2000.0),
                # Too young: empty, not 0.
                (FEB, 0.0, 0.0, None, None, None, None),
            ],
        )
        units = sheets["Units"]["rows"]
        self.assertEqual(list(units[1][1:]), [4, 4, 4, 3, 3, 2])
        header, parameters = sheets["Computations"]["rows"]
        self.assertEqual(parameters[0], run.name)
        self.assertEqual(parameters[-1], "0,1,3,6,12,24")

    def test_states_rights_and_input(self):
        run = self._run()
        run.action_compute()
        as_user = run.with_user(self.user)
        line = as_user.line_ids[:1]
        self.assertTrue(line.r1000 >= 0)
        # Lines are the computation's: users read them only.
        with self.assertRaises(AccessError):
            line.write({"r1000": 1.0})
        with self.assertRaises(AccessError):
            line.unlink()
        with self.assertRaises(AccessError):
            self.env["aftersales.indicator.line"].with_user(self.user).create(
                {"run_id": run.id, "period_date": JAN, "mis": 0}
            )
        with self.assertRaisesText(UserError, "change through its actions"):
            as_user.write({"line_ids": [Command.clear()]})
        # Computed: the parameters stay as computed.
        with self.assertRaisesText(UserError, "can no longer change"):
            as_user.write({"date_as_of": date(2025, 1, 1)})
        as_user.action_reset_to_draft()
        self.assertEqual((run.state, run.line_ids), ("draft", run.line_ids.browse()))
        as_user.write({"mis_list": " 12, 0;3,3 "})
        self.assertEqual(run.mis_list, "0,3,12")
        with self.assertRaisesText(ValidationError, "Months in service"):
            as_user.write({"mis_list": "1,two"})
        with self.assertRaisesText(ValidationError, "Months in service"):
            as_user.write({"mis_list": "0,300"})
        with self.assertRaisesText(ValidationError, "cannot come before"):
            as_user.write({"date_to": date(2023, 12, 1)})
        with self.assertRaisesText(ValidationError, "at most 240 cohort months"):
            as_user.write({"date_from": date(2000, 1, 1)})
        with self.assertRaisesText(UserError, "cannot go from Draft to Draft"):
            as_user.action_reset_to_draft()
        # Outside the after-sales group: no computation, no reading.
        with self.assertRaises(AccessError):
            run.with_user(self.stock_user).action_compute()
        with self.assertRaises(AccessError):
            run.with_user(self.stock_user).read(["name"])
        with self.assertRaises(AccessError):
            self._run(user=self.stock_user)

    def test_multi_company(self):
        other = self.env["res.company"].create({"name": "Test Indicators Company"})
        other_user = new_test_user(
            self.env,
            login="as_other_user",
            groups="aftersales_service.group_aftersales_user",
            company_id=other.id,
            company_ids=[Command.set(other.ids)],
        )
        run = self._run(user=other_user, company_id=other.id)
        run.with_user(other_user).action_compute()
        # The trucks are this company's: none in the other's indicators.
        self.assertFalse(run.line_ids)
        Run = self.env["aftersales.indicator.run"].with_user(self.user)
        self.assertFalse(Run.search([("id", "=", run.id)]))
        Line = self.env["aftersales.indicator.line"].with_user(self.user)
        mine = self._run()
        mine.action_compute()
        self.assertEqual(
            Line.search([("run_id", "in", (run | mine).ids)]), mine.line_ids
        )
        with self.assertRaises(AccessError):
            run.with_user(self.user).action_compute()
