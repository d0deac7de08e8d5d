# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models

from ..models.aftersales_return_batch import COUNTED_STATES


class ReturnRegisterXlsx(models.AbstractModel):
    """Register of returned goods by month, region, office, product and reason.

    Cancelled batches are left out; a batch received nothing until the
    factory counted it (received or settled), whatever its lines hold.
    """

    _name = "report.aftersales_service.return_register_xlsx"
    _inherit = "aftersales.xlsx.mixin"
    _description = "Return Register (xlsx)"

    def generate_xlsx_report(self, workbook, data, batches):
        _ = self.env._
        formats = self._xlsx_formats(workbook)
        Line = self.env["aftersales.return.batch.line"]
        reasons = dict(Line._fields["reason"]._description_selection(self.env))
        settlements = dict(Line._fields["settlement"]._description_selection(self.env))
        states = dict(batches._fields["state"]._description_selection(self.env))
        lines = batches.filtered(lambda batch: batch.state != "cancel").line_ids.sorted(
            lambda line: (
                line.period_date,
                line.region_id.name or "",
                line.product_id.display_name,
                line.reason or "",
                line.batch_id.name,
            )
        )

        def counted(line):
            return line.batch_id.state in COUNTED_STATES

        def received(line):
            return line.received_qty if counted(line) else 0.0

        register = workbook.add_worksheet(_("Register"))
        self._xlsx_table(
            register,
            formats,
            [
                _("Month"),
                _("Region"),
                _("Office"),
                _("Batch"),
                _("Status"),
                _("Station"),
                _("Product"),
                _("Serial/Lot"),
                _("Reason"),
                _("Announced"),
                _("Received"),
                _("Difference"),
                _("Settlement"),
            ],
            [
                [
                    (line.period_date, formats["month"]),
                    line.region_id.name,
                    line.batch_id.office_partner_id.name,
                    line.batch_id.name,
                    states.get(line.batch_id.state),
                    line.station_id.name,
                    line.product_id.display_name,
                    line.lot_id.name,
                    reasons.get(line.reason),
                    self._xlsx_quantity(formats, line.quantity),
                    self._xlsx_quantity(formats, received(line)),
                    self._xlsx_quantity(
                        formats, received(line) - line.quantity if counted(line) else 0
                    ),
                    settlements.get(line.settlement),
                ]
                for line in lines
            ],
        )

        totals = {}
        for line in lines:
            key = (
                line.period_date,
                line.region_id.name or "",
                line.product_id.display_name,
                reasons.get(line.reason, ""),
            )
            announced, arrived = totals.get(key, (0.0, 0.0))
            totals[key] = (announced + line.quantity, arrived + received(line))
        summary = workbook.add_worksheet(_("By Month and Reason"))
        self._xlsx_table(
            summary,
            formats,
            [
                _("Month"),
                _("Region"),
                _("Product"),
                _("Reason"),
                _("Announced"),
                _("Received"),
            ],
            [
                [
                    (month, formats["month"]),
                    region,
                    product,
                    reason,
                    self._xlsx_quantity(formats, announced),
                    self._xlsx_quantity(formats, arrived),
                ]
                for (month, region, product, reason), (announced, arrived) in sorted(
                    totals.items()
                )
            ],
        )
