# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models


class PartsPlanXlsx(models.AbstractModel):
    """Spare-parts plans as purchasing reads them: one sheet, a row per line."""

    _name = "report.aftersales_service.parts_plan_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Spare-Parts Plan (xlsx)"

    def generate_xlsx_report(self, workbook, data, plans):
        _ = self.env._
        bold = workbook.add_format({"bold": True})
        number = workbook.add_format({"num_format": "#,##0.##"})
        date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
        sources = dict(
            self.env["aftersales.parts.plan.line"]
            ._fields["source"]
            ._description_selection(self.env)
        )
        sheet = workbook.add_worksheet(_("Spare-Parts Plan"))
        headers = [
            _("Plan"),
            _("Type"),
            _("Month"),
            _("Warehouse"),
            _("Product"),
            _("Reference"),
            _("Class"),
            _("Needed By"),
            _("Destination"),
            _("Source"),
            _("Computation"),
            _("Unit"),
            _("Quantity"),
            _("Received"),
        ]
        types = dict(plans._fields["plan_type"]._description_selection(self.env))
        sheet.write_row(0, 0, headers, bold)
        sheet.freeze_panes(1, 0)
        row = 1
        for plan in plans:
            for line in plan.line_ids:
                sheet.write_row(
                    row,
                    0,
                    [
                        plan.name,
                        types[plan.plan_type],
                        plan.period_date.strftime("%Y-%m"),
                        plan.warehouse_id.name,
                        line.product_id.name,
                        line.product_id.default_code or "",
                        line.abc_class or "",
                    ],
                )
                sheet.write_datetime(row, 7, line.date_needed, date_format)
                sheet.write_row(
                    row,
                    8,
                    [
                        line.location_dest_id.complete_name or "",
                        sources.get(line.source, ""),
                        line.proposal_note or "",
                        line.product_uom_id.name,
                    ],
                )
                sheet.write_row(row, 12, [line.product_qty, line.received_qty], number)
                row += 1
        sheet.set_column(0, 3, 14)
        sheet.set_column(4, 4, 32)
        sheet.set_column(5, 9, 14)
        sheet.set_column(10, 10, 60)
        sheet.set_column(11, 13, 10)
