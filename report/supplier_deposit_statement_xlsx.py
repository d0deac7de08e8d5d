# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models


class SupplierDepositStatementXlsx(models.AbstractModel):
    """Each deposit's posted movements with their running balance, per supplier."""

    _name = "report.aftersales_service.supplier_deposit_statement_xlsx"
    _inherit = "aftersales.xlsx.mixin"
    _description = "Supplier Deposit Statement (xlsx)"

    def generate_xlsx_report(self, workbook, data, deposits):
        _ = self.env._
        formats = self._xlsx_formats(workbook)
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
        for supplier, supplier_deposits in by_supplier.items():
            rows = []
            for deposit in supplier_deposits:
                currency = deposit.currency_id
                reference = deposit.purchase_id.name or deposit.contract_ref
                for line in deposit._statement_lines():
                    rows.append(
                        [
                            deposit.name,
                            reference,
                            line["date"],
                            line["kind"],
                            line["name"],
                            line["source"],
                            line["entry"],
                            currency.name,
                            self._xlsx_money(formats, line["amount"], currency),
                            self._xlsx_money(formats, line["balance"], currency),
                        ]
                    )
                # Deposit and reference on the total too: filtering by
                # deposit keeps its balance, by movement lists every balance.
                rows.append(
                    [
                        (deposit.name, formats["bold"]),
                        (reference, formats["bold"]),
                        None,
                        (_("Balance Held"), formats["bold"]),
                        None,
                        None,
                        None,
                        (currency.name, formats["bold"]),
                        None,
                        self._xlsx_money(formats, deposit.balance, currency, bold=True),
                    ]
                )
            sheet = self._xlsx_add_sheet(workbook, supplier.name, _("Supplier"))
            self._xlsx_table(sheet, formats, headers, rows)
