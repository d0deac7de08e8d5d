# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models


class PartsPlanXlsx(models.AbstractModel):
    """Spare-parts plans as purchasing reads them: one sheet, a row per line."""

    _name = "report.aftersales_service.parts_plan_xlsx"
    _inherit = "aftersales.xlsx.mixin"
    _description = "Spare-Parts Plan (xlsx)"

    def generate_xlsx_report(self, workbook, data, plans):
        _ = self.env._
        formats = self._xlsx_formats(workbook)
        sources = dict(
            self.env["aftersales.parts.plan.line"]
            ._fields["source"]
            ._description_selection(self.env)
        )
        types = dict(plans._fields["plan_type"]._description_selection(self.env))
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
        rows = [
            [
                plan.name,
                types[plan.plan_type],
                (plan.period_date, formats["month"]),
                plan.warehouse_id.name,
                line.product_id.name,
                line.product_id.default_code,
                line.abc_class,
                line.date_needed,
                line.location_dest_id.complete_name,
                sources.get(line.source),
                line.proposal_note,
                line.product_uom_id.name,
                self._xlsx_quantity(formats, line.product_qty),
                self._xlsx_quantity(formats, line.received_qty),
            ]
            for plan in plans
            for line in plan.line_ids
        ]
        sheet = workbook.add_worksheet(_("Spare-Parts Plan"))
        self._xlsx_table(sheet, formats, headers, rows)
