# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import datetime
import re
import unicodedata

from odoo import models

# Characters xlsx refuses in a sheet name (it also refuses a leading or
# trailing apostrophe and more than 31 characters).
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_MAX = 31
# Column widths, in characters: room for the filter button beside a header,
# and a cap so that one long note does not push the other columns away.
FILTER_BUTTON_WIDTH = 3
MAX_COLUMN_WIDTH = 60


class AftersalesXlsxMixin(models.AbstractModel):
    """What our xlsx reports share: formats, sheet names and tables.

    report_xlsx's workbook numbers duplicate sheet names ("Name~01") and its
    currency helper gives money formats; this adds what it leaves to each
    report: characters xlsx refuses in a sheet name, number formats that never
    end with a dot, and tables with a filter and columns as wide as their data.
    """

    _name = "aftersales.xlsx.mixin"
    _inherit = "report.report_xlsx.abstract"
    _description = "After-Sales xlsx Report Helpers"

    def get_workbook_options(self):
        # Rows go to disk as they are written (our tables are written top to
        # bottom): a register of several years stays small in memory. Names
        # are data: a partner called "=HYPERLINK(...)" stays text.
        return dict(
            super().get_workbook_options(),
            constant_memory=True,
            strings_to_formulas=False,
        )

    def _report_xlsx_currency_format(self, currency):
        # report_xlsx writes "#,##0." for a currency without decimals, which
        # shows "10." ; and a symbol with letters ("CHF") must be quoted or
        # its letters read as format codes.
        num_format = super()._report_xlsx_currency_format(currency)
        if not currency.decimal_places:
            num_format = num_format.replace("#,##0.", "#,##0")
        symbol = currency.symbol or ""
        if symbol and not re.fullmatch(r"[$€£¥₩₹₽]+", symbol):
            num_format = num_format.replace(symbol, '"%s"' % symbol.replace('"', ""))
        return num_format

    # ------------------------------------------------------------------
    # Formats
    # ------------------------------------------------------------------

    def _xlsx_formats(self, workbook):
        """The formats of a report, created once per workbook."""
        digits = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        integer = workbook.add_format({"num_format": "#,##0"})
        return {
            "workbook": workbook,
            "header": workbook.add_format({"bold": True, "bottom": 1}),
            "bold": workbook.add_format({"bold": True}),
            "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
            "month": workbook.add_format({"num_format": "yyyy-mm"}),
            "integer": integer,
            "decimal": (
                workbook.add_format({"num_format": "#,##0." + "0" * digits})
                if digits
                else integer
            ),
            "money": {},
        }

    def _xlsx_quantity(self, formats, quantity):
        """A quantity cell: "10" for whole units, "2.50" for a fraction."""
        quantity = quantity or 0.0
        if float(quantity).is_integer():
            return (int(quantity), formats["integer"])
        return (quantity, formats["decimal"])

    def _xlsx_money(self, formats, amount, currency, bold=False):
        """An amount cell in the format of its currency."""
        key = (currency.id, bold)
        if key not in formats["money"]:
            properties = {"num_format": self._report_xlsx_currency_format(currency)}
            if bold:
                properties["bold"] = True
            formats["money"][key] = formats["workbook"].add_format(properties)
        return (amount or 0.0, formats["money"][key])

    # ------------------------------------------------------------------
    # Sheets and tables
    # ------------------------------------------------------------------

    def _xlsx_sheet_name(self, name):
        """A sheet name xlsx accepts, made from any text (a partner's name).

        Duplicates are left to report_xlsx's workbook, which numbers them.
        """
        name = SHEET_NAME_FORBIDDEN.sub(" ", name or "").strip("' ")
        return name[:SHEET_NAME_MAX].strip("' ")

    def _xlsx_add_sheet(self, workbook, name, default):
        return workbook.add_worksheet(self._xlsx_sheet_name(name) or default)

    def _xlsx_table(self, sheet, formats, headers, rows):
        """Write a table from the sheet's first row: bold headers kept in
        view, an autofilter over every column and column widths that fit the
        longest value (capped). A cell is a value or a (value, format) pair;
        False and None leave it empty."""
        widths = [self._xlsx_width(header) + FILTER_BUTTON_WIDTH for header in headers]
        sheet.write_row(0, 0, headers, formats["header"])
        row = 0
        for row, cells in enumerate(rows, start=1):
            for col, cell in enumerate(cells):
                value, cell_format = cell if isinstance(cell, tuple) else (cell, None)
                if value is None or value is False:
                    continue
                if isinstance(value, datetime.date) and cell_format is None:
                    cell_format = formats["date"]
                sheet.write(row, col, value, cell_format)
                widths[col] = max(widths[col], self._xlsx_width(value))
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, row, len(headers) - 1)
        for col, width in enumerate(widths):
            sheet.set_column(col, col, min(width + 1, MAX_COLUMN_WIDTH))
        return row

    def _xlsx_width(self, value):
        """How many characters a value takes once shown (wide scripts count
        twice: a Chinese name needs twice the room of a Latin one)."""
        if isinstance(value, bool):
            return 0
        if isinstance(value, datetime.date):
            return 10
        if isinstance(value, int | float):
            # Room for a currency symbol.
            text = f"{value:,.2f}  "
        else:
            text = str(value)
        return sum(
            2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text
        )
