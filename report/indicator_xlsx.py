# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models


class IndicatorXlsx(models.AbstractModel):
    """The service indicators of computations: one sheet per indicator, the
    cohorts as rows and the months in service as columns.

    A cell a cohort is too young for (or whose units all left their
    warranty) stays empty: it has no indicator, which is not 0.
    """

    _name = "report.aftersales_service.indicator_xlsx"
    _inherit = "aftersales.xlsx.mixin"
    _description = "Service Indicators (xlsx)"

    def generate_xlsx_report(self, workbook, data, runs):
        _ = self.env._
        formats = self._xlsx_formats(workbook)
        formats["rate"] = workbook.add_format({"num_format": "#,##0.00"})
        lines = runs.line_ids
        points = sorted(set(lines.mapped("mis")))
        # (run, cohort) -> {mis: line}, in the order of the runs, then cohorts.
        rows = {}
        for run in runs:
            for line in run.line_ids.sorted(lambda line: (line.period_date, line.mis)):
                rows.setdefault((run, line.period_date), {})[line.mis] = line
        several = len(runs) > 1

        def money(line, amount):
            return self._xlsx_money(formats, amount, line.currency_id)

        sheets = [
            (_("R per 1000"), lambda line: (line.r1000, formats["rate"])),
            (_("TGW"), lambda line: (line.tgw, formats["rate"])),
            (_("CPU"), lambda line: money(line, line.cpu)),
            (_("Units"), lambda line: self._xlsx_quantity(formats, line.units)),
            (_("Repairs"), lambda line: (line.repairs, formats["integer"])),
            (
                _("Warranty Cost"),
                lambda line: money(line, line.cost),
            ),
        ]
        headers = ([_("Computation")] if several else []) + [_("Cohort")]
        headers += [_("MIS %(months)s", months=point) for point in points]
        for title, cell in sheets:
            sheet = self._xlsx_add_sheet(workbook, title, "Sheet")
            self._xlsx_table(
                sheet,
                formats,
                headers,
                [
                    ([run.name] if several else [])
                    + [(cohort, formats["month"])]
                    + [
                        cell(cells[point]) if point in cells else None
                        for point in points
                    ]
                    for (run, cohort), cells in rows.items()
                ],
            )
        self._write_parameters(workbook, formats, runs)

    def _write_parameters(self, workbook, formats, runs):
        """What each computation measured: without it the figures mean little."""
        _ = self.env._
        bases = dict(runs._fields["basis"]._description_selection(self.env))
        sheet = self._xlsx_add_sheet(workbook, _("Computations"), "Computations")
        self._xlsx_table(
            sheet,
            formats,
            [
                _("Computation"),
                _("Product Family"),
                _("Cohorts By"),
                _("Cohorts From"),
                _("Cohorts To"),
                _("As Of"),
                _("Months in Service"),
            ],
            [
                [
                    run.name,
                    run.categ_id.display_name or _("All products"),
                    bases.get(run.basis),
                    (run.date_from, formats["month"]),
                    (run.date_to, formats["month"]),
                    run.date_as_of,
                    run.mis_list,
                ]
                for run in runs
            ],
        )
