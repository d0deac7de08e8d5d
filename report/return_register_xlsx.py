# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models


class ReturnRegisterXlsx(models.AbstractModel):
    """Register of returned goods by month, region, office, product and reason."""

    _name = "report.aftersales_service.return_register_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Return Register (xlsx)"

    def generate_xlsx_report(self, workbook, data, batches):
        _ = self.env._
        bold = workbook.add_format({"bold": True})
        number = workbook.add_format({"num_format": "#,##0.##"})
        reasons = dict(
            self.env["aftersales.return.batch.line"]
            ._fields["reason"]
            ._description_selection(self.env)
        )
        settlements = dict(
            self.env["aftersales.return.batch.line"]
            ._fields["settlement"]
            ._description_selection(self.env)
        )
        lines = batches.line_ids.sorted(
            lambda line: (
                line.period_date,
                line.region_id.name or "",
                line.product_id.display_name,
                line.reason,
            )
        )
        register = workbook.add_worksheet(_("Register"))
        headers = [
            _("Month"),
            _("Region"),
            _("Office"),
            _("Batch"),
            _("Station"),
            _("Product"),
            _("Serial/Lot"),
            _("Reason"),
            _("Announced"),
            _("Received"),
            _("Difference"),
            _("Settlement"),
        ]
        register.write_row(0, 0, headers, bold)
        register.freeze_panes(1, 0)
        for row, line in enumerate(lines, start=1):
            register.write_row(
                row,
                0,
                [
                    line.period_date.strftime("%Y-%m"),
                    line.region_id.name or "",
                    line.batch_id.office_partner_id.name or "",
                    line.batch_id.name,
                    line.station_id.name or "",
                    line.product_id.display_name,
                    line.lot_id.name or "",
                    reasons.get(line.reason, ""),
                ],
            )
            register.write_row(
                row, 8, [line.quantity, line.received_qty, line.difference], number
            )
            register.write(row, 11, settlements.get(line.settlement, ""))
        register.set_column(0, len(headers) - 1, 16)

        summary = workbook.add_worksheet(_("By Month and Reason"))
        summary.write_row(
            0,
            0,
            [_("Month"), _("Region"), _("Product"), _("Reason"), _("Quantity")],
            bold,
        )
        totals = {}
        for line in lines:
            key = (
                line.period_date.strftime("%Y-%m"),
                line.region_id.name or "",
                line.product_id.display_name,
                reasons.get(line.reason, ""),
            )
            totals[key] = totals.get(key, 0.0) + (line.received_qty or line.quantity)
        for row, (key, quantity) in enumerate(sorted(totals.items()), start=1):
            summary.write_row(row, 0, list(key))
            summary.write(row, 4, quantity, number)
        summary.set_column(0, 4, 18)
