# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import re

from odoo import models

# Characters xlsx refuses in a sheet name.
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


class SupplierDepositStatementXlsx(models.AbstractModel):
    """Each deposit's posted movements with their running balance, per supplier."""

    _name = "report.aftersales_service.supplier_deposit_statement_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Supplier Deposit Statement (xlsx)"

    def generate_xlsx_report(self, workbook, data, deposits):
        _ = self.env._
        bold = workbook.add_format({"bold": True})
        date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
        headers = [
            _("Deposit"),
            _("Purchase / Contract"),
            _("Date"),
            _("Movement"),
            _("Description"),
            _("Source"),
            _("Entry"),
            _("Currency"),
            _("Amount"),
            _("Balance"),
        ]
        by_supplier = {}
        for deposit in deposits.sorted(lambda d: (d.partner_id.name or "", d.name)):
            by_supplier.setdefault(deposit.partner_id, []).append(deposit)
        money_formats = {}
        for supplier, supplier_deposits in by_supplier.items():
            # Any supplier name makes a sheet name: no character xlsx refuses,
            # at most 31 of them; report_xlsx's workbook numbers duplicates.
            name = SHEET_NAME_FORBIDDEN.sub(" ", supplier.name or "")[:31]
            sheet = workbook.add_worksheet(name.strip("' ") or _("Supplier"))
            sheet.write_row(0, 0, headers, bold)
            sheet.freeze_panes(1, 0)
            row = 1
            for deposit in supplier_deposits:
                currency = deposit.currency_id
                if currency not in money_formats:
                    money_formats[currency] = workbook.add_format(
                        {"num_format": self._report_xlsx_currency_format(currency)}
                    )
                money = money_formats[currency]
                reference = deposit.purchase_id.name or deposit.contract_ref or ""
                for line in deposit._statement_lines():
                    sheet.write_row(row, 0, [deposit.name, reference])
                    sheet.write_datetime(row, 2, line["date"], date_format)
                    sheet.write_row(
                        row,
                        3,
                        [
                            line["kind"],
                            line["name"],
                            line["source"],
                            line["entry"],
                            deposit.currency_id.name,
                        ],
                    )
                    sheet.write_row(row, 8, [line["amount"], line["balance"]], money)
                    row += 1
                sheet.write(row, 7, _("Balance Held"), bold)
                sheet.write(row, 9, deposit.balance, money)
                row += 2
            sheet.set_column(0, 1, 18)
            sheet.set_column(2, 3, 12)
            sheet.set_column(4, 4, 40)
            sheet.set_column(5, 9, 16)
