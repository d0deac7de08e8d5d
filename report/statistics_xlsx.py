# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from babel.dates import format_skeleton

from odoo import models
from odoo.exceptions import UserError
from odoo.tools.float_utils import float_round
from odoo.tools.misc import babel_locale_parse

from .aftersales_xlsx_mixin import FILTER_BUTTON_WIDTH, MAX_COLUMN_WIDTH

CLAIM = "aftersales.claim.report"
RETURN = "aftersales.return.report"
VOUCHER = "aftersales.voucher.report"
# How a measure adds up and shows: a number of documents, an amount in the
# company's currency, a quantity of goods; a stock is a count at each month's
# end (its total is the count at the end of the period, not a sum).
COUNT = "count"
MONEY = "money"
QUANTITY = "quantity"
STOCK = "stock"
# Label columns before the months: the dimension and the measure.
LABEL_COLUMNS = 2


@dataclass(frozen=True)
class Measure:
    field: str
    label: str
    kind: str


@dataclass(frozen=True)
class Sheet:
    name: str
    model: str
    dimension: str
    measures: tuple


class StatisticsXlsx(models.AbstractModel):
    """Monthly after-sales statistics: a sheet per subject and dimension,
    a row per dimension value and measure, a column per month and the total.

    Everything is aggregated in SQL on the statistics views, in the reader's
    environment: record rules decide what the figures cover. Claims count
    once filed and unless rejected; returned goods unless their batch is
    cancelled (the factory's count once received); vouchers once issued (the
    view leaves drafts and void vouchers out).
    """

    _name = "report.aftersales_service.statistics_xlsx"
    _inherit = "aftersales.xlsx.mixin"
    _description = "Monthly After-Sales Statistics (xlsx)"

    def generate_xlsx_report(self, workbook, data, wizards):
        if len(wizards) != 1:
            raise UserError(
                self.env._(
                    "Print the after-sales statistics from Reporting > Monthly "
                    "Statistics (xlsx), one period at a time."
                )
            )
        wizards._check_period()
        company = wizards.company_id
        months = wizards._months()
        workbook.set_properties(
            {"title": wizards.file_name, "company": company.name or ""}
        )
        formats = self._statistics_formats(workbook)
        highlight = months[-1] if wizards.period == "month" else None
        for sheet in self._statistics_sheets():
            table = self._statistics_table(sheet, company, months)
            self._statistics_write(
                workbook, formats, sheet, table, months, company, highlight
            )

    # ------------------------------------------------------------------
    # What the workbook shows
    # ------------------------------------------------------------------

    def _statistics_sheets(self):
        _ = self.env._
        claims = (
            Measure("nbr", _("Claims"), COUNT),
            Measure("parts_cost", _("Parts Cost"), MONEY),
            Measure("labour_cost", _("Labour Cost"), MONEY),
            Measure("total_cost", _("Total Cost"), MONEY),
            Measure("customer_amount", _("Paid by Customer"), MONEY),
            Measure("supplier_amount", _("Recovered from Suppliers"), MONEY),
        )
        returns = (
            Measure("quantity", _("Announced"), QUANTITY),
            Measure("received_qty", _("Received"), QUANTITY),
        )
        vouchers = (
            Measure("nbr", _("Issued"), COUNT),
            Measure("nbr", _("Active at Month End"), STOCK),
        )
        return [
            Sheet(_("Claims by Category"), CLAIM, "product_categ_id", claims),
            Sheet(_("Claims by Product"), CLAIM, "product_id", claims),
            Sheet(_("Claims by Region"), CLAIM, "region_id", claims),
            Sheet(_("Claims by Station"), CLAIM, "station_id", claims),
            Sheet(_("Claims by Responsibility"), CLAIM, "responsibility", claims),
            Sheet(_("Claims by Handling Method"), CLAIM, "handling_method", claims),
            Sheet(_("Returned Goods by Region"), RETURN, "region_id", returns),
            Sheet(_("Returned Goods by Office"), RETURN, "office_partner_id", returns),
            Sheet(_("Returned Goods by Product"), RETURN, "product_id", returns),
            Sheet(_("Returned Goods by Reason"), RETURN, "reason", returns),
            Sheet(_("Returned Goods by Settlement"), RETURN, "settlement", returns),
            Sheet(_("Vouchers by Category"), VOUCHER, "product_categ_id", vouchers),
        ]

    def _statistics_domain(self, model, company):
        """The rows of ``model`` the statistics of ``company`` count."""
        domain = [("company_id", "=", company.id)]
        if model == CLAIM:
            domain.append(("state", "not in", ("draft", "rejected")))
        elif model == RETURN:
            domain.append(("state", "!=", "cancel"))
        return domain

    # ------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------

    def _statistics_table(self, sheet, company, months):
        """The figures of a sheet: {(dimension value, measure index, month):
        amount}, the dimension's values being records or selection keys."""
        Model = self.env[sheet.model]
        domain = self._statistics_domain(sheet.model, company)
        table = defaultdict(float)
        flows = [
            (index, measure)
            for index, measure in enumerate(sheet.measures)
            if measure.kind != STOCK
        ]
        if flows:
            groups = Model._read_group(
                domain
                + [("date", ">=", months[0]), ("date", "<=", _month_end(months[-1]))],
                [sheet.dimension, "date:month"],
                [f"{measure.field}:sum" for __, measure in flows],
            )
            for value, month, *sums in groups:
                for (index, __), amount in zip(flows, sums, strict=True):
                    table[value, index, _day(month)] += amount or 0.0
        for index, measure in enumerate(sheet.measures):
            if measure.kind != STOCK:
                continue
            # What is in force on each month's last day: one query a month.
            for month in months:
                end = _month_end(month)
                groups = Model._read_group(
                    domain + [("date", "<=", end), ("date_end", ">=", end)],
                    [sheet.dimension],
                    [f"{measure.field}:sum"],
                )
                for value, amount in groups:
                    table[value, index, month] += amount or 0.0
        return table

    def _statistics_rows(self, sheet, table):
        """The dimension's values that have figures, with their labels, in
        order: a selection's order, else by name; the unset last."""
        field = self.env[sheet.model]._fields[sheet.dimension]
        values = {value for value, __, __ in table}
        not_set = self.env._("Not Set")
        if field.type == "selection":
            options = field._description_selection(self.env)
            rank = {key: position for position, (key, __) in enumerate(options)}
            labels = dict(options)
            rows = [(value, labels.get(value, value)) for value in values if value]
            rows.sort(key=lambda row: (rank.get(row[0], len(rank)), row[1]))
        else:
            # Names as the pivot shows them: the figures are what the reader
            # may read, the name of what they group by is not a secret.
            rows = [
                (value, value.sudo().display_name or "") for value in values if value
            ]
            rows.sort(key=lambda row: (row[1].casefold(), row[0].id))
        empty = [value for value in values if not value]
        return rows + [(empty[0], not_set)] if empty else rows

    # ------------------------------------------------------------------
    # Writing
    # ------------------------------------------------------------------

    def _statistics_formats(self, workbook):
        formats = self._xlsx_formats(workbook)
        digits = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        formats.update(
            digits=digits,
            integer_bold=workbook.add_format({"num_format": "#,##0", "bold": True}),
            decimal_bold=workbook.add_format(
                {
                    "num_format": "#,##0." + "0" * digits if digits else "#,##0",
                    "bold": True,
                }
            ),
            highlight=workbook.add_format(
                {"bold": True, "bottom": 1, "bg_color": "#FFF2CC"}
            ),
        )
        return formats

    def _statistics_cell(self, formats, measure, amount, currency, bold=False):
        """A figure as a (value, format) cell."""
        if measure.kind == MONEY:
            return self._xlsx_money(formats, currency.round(amount), currency, bold)
        if measure.kind == QUANTITY:
            amount = float_round(amount, precision_digits=formats["digits"])
            if not float(amount).is_integer():
                return (amount, formats["decimal_bold" if bold else "decimal"])
        return (int(round(amount)), formats["integer_bold" if bold else "integer"])

    def _statistics_write(
        self, workbook, formats, sheet, table, months, company, highlight
    ):
        """One sheet: headers, a row per value and measure, the totals below
        the filtered rows (sorting and filtering leave them at the bottom)."""
        _ = self.env._
        currency = company.currency_id
        worksheet = self._xlsx_add_sheet(workbook, sheet.name, _("Statistics"))
        field = self.env[sheet.model]._fields[sheet.dimension]
        locale = babel_locale_parse(self.env.lang or "en_US")
        headers = [field._description_string(self.env), _("Measure")]
        headers += [format_skeleton("yMMM", month, locale=locale) for month in months]
        headers.append(_("Total"))
        widths = [self._xlsx_width(header) + FILTER_BUTTON_WIDTH for header in headers]
        for col, header in enumerate(headers):
            is_highlight = highlight and col == LABEL_COLUMNS + len(months) - 1
            worksheet.write_string(
                0, col, header, formats["highlight" if is_highlight else "header"]
            )

        def write(row, label, measure, series, bold=False):
            # Names as text: a name starting with "=" is no formula.
            for col, text in enumerate((label, measure.label)):
                worksheet.write_string(
                    row, col, text, formats["bold"] if bold else None
                )
                widths[col] = max(widths[col], self._xlsx_width(text))
            total = series[-1] if measure.kind == STOCK else sum(series)
            for col, amount in enumerate([*series, total], start=LABEL_COLUMNS):
                value, cell_format = self._statistics_cell(
                    formats, measure, amount, currency, bold
                )
                worksheet.write_number(row, col, value, cell_format)
                widths[col] = max(widths[col], self._xlsx_width(value))

        row = 0
        totals = defaultdict(float)
        for value, label in self._statistics_rows(sheet, table):
            for index, measure in enumerate(sheet.measures):
                series = [table.get((value, index, month), 0.0) for month in months]
                row += 1
                write(row, label, measure, series)
                for month, amount in zip(months, series, strict=True):
                    totals[index, month] += amount
        worksheet.autofilter(0, 0, row, len(headers) - 1)
        worksheet.freeze_panes(1, LABEL_COLUMNS)
        for index, measure in enumerate(sheet.measures):
            series = [totals[index, month] for month in months]
            row += 1
            write(row, _("Total"), measure, series, bold=True)
        for col, width in enumerate(widths):
            worksheet.set_column(col, col, min(width + 1, MAX_COLUMN_WIDTH))


def _month_end(month):
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def _day(value):
    """A month group as a date (read_group gives dates for date fields)."""
    return value.date() if isinstance(value, datetime) else value
