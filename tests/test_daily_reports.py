# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue #11 (daily use): reports."""

import re
import zipfile
from datetime import date
from io import BytesIO
from xml.etree import ElementTree

from freezegun import freeze_time

from odoo.tests import HttpCase, TransactionCase, tagged

from .common import WarrantyCommon
from .test_parts_plans import PlanCommon
from .test_return_batches import ReturnCommon
from .test_supplier_deposits import DepositCommon, contract_bill

try:
    import openpyxl
except ImportError:  # pragma: no cover - Odoo's requirements include it
    openpyxl = None

JUNE = date(2026, 6, 1)
JULY = date(2026, 7, 1)
AUGUST = date(2026, 8, 1)
NS = {"x": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
# xlsx's built-in number formats our reports may use (by id).
BUILTIN_FORMATS = {0: "General", 3: "#,##0", 4: "#,##0.00", 14: "mm-dd-yy"}


def read_xlsx(content):
    """Each sheet of an xlsx: {name: {"rows", "filter", "formats", "widths"}}.

    "formats" holds the number format of every numeric cell, "widths" the
    width of each column that sets one (by letter).
    """
    if openpyxl:
        workbook = openpyxl.load_workbook(BytesIO(content))
        return {
            sheet.title: {
                "rows": list(sheet.iter_rows(values_only=True)),
                "filter": sheet.auto_filter.ref,
                "formats": {
                    cell.coordinate: cell.number_format
                    for row in sheet.iter_rows()
                    for cell in row
                    if isinstance(cell.value, int | float)
                },
                "widths": {
                    letter: dimension.width
                    for letter, dimension in sheet.column_dimensions.items()
                },
            }
            for sheet in workbook.worksheets
        }
    return _read_xlsx_xml(content)


def _read_xlsx_xml(content):
    """The same, read from the xml parts (when openpyxl is missing)."""
    archive = zipfile.ZipFile(BytesIO(content))

    def xml(name):
        return ElementTree.fromstring(archive.read(name))

    strings = []
    if "xl/sharedStrings.xml" in archive.namelist():
        strings = [
            "".join(t.text or "" for t in si.iter(f"{{{NS['x']}}}t"))
            for si in xml("xl/sharedStrings.xml").findall("x:si", NS)
        ]
    styles = xml("xl/styles.xml")
    custom = {
        int(fmt.get("numFmtId")): fmt.get("formatCode")
        for fmt in styles.findall("x:numFmts/x:numFmt", NS)
    }
    cell_formats = [
        custom.get(int(xf.get("numFmtId", 0)))
        or BUILTIN_FORMATS.get(int(xf.get("numFmtId", 0)), "General")
        for xf in styles.findall("x:cellXfs/x:xf", NS)
    ]
    targets = {
        rel.get("Id"): rel.get("Target") for rel in xml("xl/_rels/workbook.xml.rels")
    }
    result = {}
    for sheet_node in xml("xl/workbook.xml").findall("x:sheets/x:sheet", NS):
        target = targets[sheet_node.get(REL_NS)]
        sheet = xml(target[1:] if target.startswith("/") else "xl/" + target)
        rows, formats = [], {}
        for row in sheet.findall("x:sheetData/x:row", NS):
            values = {}
            for cell in row.findall("x:c", NS):
                ref = cell.get("r")
                col = re.match(r"[A-Z]+", ref).group()
                index = 0
                for char in col:
                    index = index * 26 + ord(char) - 64
                kind = cell.get("t")
                value = cell.findtext("x:v", None, NS)
                if kind == "s":
                    value = strings[int(value)]
                elif kind == "inlineStr":
                    value = "".join(t.text or "" for t in cell.iter(f"{{{NS['x']}}}t"))
                elif value is not None:
                    value = float(value)
                    formats[ref] = cell_formats[int(cell.get("s", 0))]
                values[index - 1] = value
            width = max(values, default=-1) + 1
            rows.append(tuple(values.get(i) for i in range(width)))
        auto_filter = sheet.find("x:autoFilter", NS)
        result[sheet_node.get("name")] = {
            "rows": rows,
            "filter": auto_filter is not None and auto_filter.get("ref"),
            "formats": formats,
            "widths": {},
        }
    return result


class XlsxAsserts:
    def _export(self, action, records):
        content, report_type = self.env["ir.actions.report"]._render(
            action, records.ids
        )
        self.assertEqual(report_type, "xlsx")
        return read_xlsx(content)

    def assertTables(self, sheets):
        """Every table filters, and no number shows a trailing dot."""
        for name, sheet in sheets.items():
            rows = sheet["rows"]
            self.assertTrue(sheet["filter"], f"sheet {name} has an autofilter")
            self.assertTrue(
                sheet["filter"].startswith("A1:"), f"{name}: {sheet['filter']}"
            )
            last_row = int(re.search(r"(\d+)$", sheet["filter"]).group(1))
            self.assertEqual(last_row, len(rows), f"{name}: the filter spans the table")
            for cell, num_format in sheet["formats"].items():
                # An optional digit ("#,##0.##") or a bare dot shows "10." for 10.
                shown = re.sub(r'"[^"]*"', "", num_format)
                self.assertFalse(
                    re.search(r"\.(?!0)", shown),
                    f"{name}!{cell}: {num_format} may end with a dot",
                )


@tagged("post_install", "-at_install")
class TestReturnRegisterXlsx(XlsxAsserts, ReturnCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_return_data()

    def test_register_counts_only_what_the_factory_received(self):
        received = self._shipped(period=JUNE)
        ballast_line, lamp_line = received.line_ids.sorted("quantity")
        ballast_line.received_qty = 10
        lamp_line.received_qty = 30
        with freeze_time("2026-06-12"):
            received.with_user(self.clerk_user).action_receive()
        draft = self._batch(period=JULY)
        cancelled = self._batch(period=AUGUST)
        cancelled.action_cancel()
        self.assertEqual(cancelled.state, "cancel")

        sheets = self._export(
            "aftersales_service.action_report_return_register_xlsx",
            received | draft | cancelled,
        )
        self.assertEqual(list(sheets), ["Register", "By Month and Reason"])
        self.assertTables(sheets)
        header, *rows = sheets["Register"]["rows"]
        column = {name: index for index, name in enumerate(header)}
        self.assertNotIn(cancelled.name, [row[column["Batch"]] for row in rows])
        figures = {
            (row[column["Batch"]], row[column["Product"]]): (
                row[column["Announced"]],
                row[column["Received"]],
                row[column["Difference"]],
            )
            for row in rows
        }
        self.assertEqual(
            figures,
            {
                (received.name, "Test ballast"): (12, 10, -2),
                (received.name, "Test Lamp"): (30, 30, 0),
                (draft.name, "Test ballast"): (12, 0, 0),
                (draft.name, "Test Lamp"): (30, 0, 0),
            },
        )
        header, *rows = sheets["By Month and Reason"]["rows"]
        # Month, region, product, reason, announced, received.
        self.assertEqual(
            sorted((row[0].month, row[2], row[4], row[5]) for row in rows),
            [(6, "Test Lamp", 30, 30), (6, "Test ballast", 12, 10)]
            + [(7, "Test Lamp", 30, 0), (7, "Test ballast", 12, 0)],
        )
        self.assertEqual(sheets["Register"]["formats"]["J2"], "#,##0")


@tagged("post_install", "-at_install")
class TestSupplierDepositStatementXlsx(XlsxAsserts, DepositCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_deposit_data()

    def _funded(self, name, amount):
        self.supplier = self.env["res.partner"].create(
            {"name": name, "is_company": True}
        )
        deposit = self._deposit(contract_ref=f"INT-{amount}")
        contract_bill(deposit, amount, self.today)
        return deposit

    def test_statement_of_any_supplier_name(self):
        deposits = (
            self._funded("A/B: x*?[y]", 1000.0)
            # The same name once cleaned, and longer than a sheet name may be.
            | self._funded("A\\B: x*?[y]", 1001.0)
            | self._funded("'Quoted' " + "Z" * 40, 1002.0)
        )
        sheets = self._export(
            "aftersales_service.action_report_supplier_deposit_statement_xlsx",
            deposits,
        )
        self.assertEqual(len(sheets), 3)
        self.assertIn("A B  x   y", sheets)
        self.assertIn("A B  x   y~01", sheets)
        long_name = next(name for name in sheets if name.startswith("Quoted"))
        self.assertEqual(len(long_name), 31)
        self.assertTables(sheets)
        header, *rows = sheets["A B  x   y"]["rows"]
        self.assertEqual(rows[-1][0], deposits[0].name, "the balance names its deposit")
        self.assertEqual(rows[-1][3], "Balance Held")
        self.assertTrue(deposits[0].balance)
        self.assertEqual(rows[-1][9], deposits[0].balance)
        self.assertEqual(
            sheets["A B  x   y"]["formats"]["J2"],
            self.env["aftersales.xlsx.mixin"]._report_xlsx_currency_format(
                self.company.currency_id
            ),
        )

    def test_currency_formats_never_end_with_a_dot(self):
        mixin = self.env["aftersales.xlsx.mixin"]
        yen = self.env.ref("base.JPY")
        self.assertEqual(yen.decimal_places, 0)
        self.assertFalse(mixin._report_xlsx_currency_format(yen).endswith("."))
        self.assertIn("#,##0", mixin._report_xlsx_currency_format(yen))
        swiss = self.env.ref("base.CHF")
        self.assertIn(f'"{swiss.symbol}"', mixin._report_xlsx_currency_format(swiss))
        self.assertEqual(mixin._xlsx_sheet_name("A/B: x*?[y]"), "A B  x   y")
        self.assertEqual(mixin._xlsx_sheet_name("*?"), "")


@tagged("post_install", "-at_install")
class TestPartsPlanXlsxLayout(XlsxAsserts, PlanCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_plan_data()

    def test_quantities_filter_and_widths(self):
        self.spring.name = "Test spring for the rear axle of the refrigerated truck"
        plan = self._plan([(self.spring, 10), (self.valve, 2.5)])
        sheets = self._export("aftersales_service.action_report_parts_plan_xlsx", plan)
        self.assertTables(sheets)
        (sheet,) = sheets.values()
        header, *rows = sheet["rows"]
        quantities = {row[4]: row[12] for row in rows}
        self.assertEqual(quantities[self.spring.name], 10)
        self.assertEqual(quantities["Test valve"], 2.5)
        row_of = {row[4]: index for index, row in enumerate(rows, start=2)}
        formats = sheet["formats"]
        self.assertEqual(formats[f"M{row_of[self.spring.name]}"], "#,##0")
        self.assertEqual(formats[f"M{row_of['Test valve']}"], "#,##0.00")
        if sheet["widths"]:
            # The product column fits the longest name.
            self.assertGreaterEqual(sheet["widths"]["E"], len(self.spring.name))
            self.assertLess(sheet["widths"]["C"], 20)


@tagged("post_install", "-at_install")
class TestWarrantyVoucherPdf(WarrantyCommon, HttpCase):
    """wkhtmltopdf loads the report's styles from the server: an HttpCase,
    whose requests see the test's records, not the test's locks."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_warranty_data()

    def test_voucher_fits_one_page(self):
        Report = self.env["ir.actions.report"]
        if Report.get_wkhtmltopdf_state() != "ok":
            self.skipTest("wkhtmltopdf is not installed: no PDF to count pages of")
        lot = self._lot(self.truck, "PDF-TRUCK-1")
        # A voucher as the demo shows it: coverage, exclusions, the policy's
        # note and repairs.
        self.policy_vehicles.note = (
            "<p>The chassis is covered by its maker through our service "
            "stations; the body by us. Present this voucher and the vehicle's "
            "mileage at every repair.</p>"
        )
        voucher = self._voucher(lot, mileage_start=120)
        for index in range(3):
            self.env["aftersales.warranty.voucher.repair"].create(
                {
                    "voucher_id": voucher.id,
                    "date": date(2026, 3 + index, 1),
                    "part_id": self.part_chassis.id,
                    "fault": "Compartment does not hold -18 °C",
                    "work": "Refrigerant refilled, leak not found",
                    "result": "failed",
                    "mileage": 20000 + index,
                }
            )
        self.assertTrue(voucher.coverage_line_ids)
        pdf, __ = Report.with_context(force_report_rendering=True)._render_qweb_pdf(
            "aftersales_service.action_report_warranty_voucher", voucher.ids
        )
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertEqual(len(re.findall(rb"/Type\s*/Page\b", pdf)), 1)
