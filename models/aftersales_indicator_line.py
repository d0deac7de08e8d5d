# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class AftersalesIndicatorLine(models.Model):
    """The indicators of one cohort at one MIS, as a computation found them.

    Written by :meth:`aftersales.indicator.run.action_compute` only (users
    read them). In the cohort x MIS matrix each cell is one line: the
    counts sum across cohorts (the units, repairs and cost of an MIS), the
    rates average the cohorts' rates.
    """

    _name = "aftersales.indicator.line"
    _inherit = ["aftersales.month.mixin"]
    _description = "Service Indicator"
    _order = "run_id, period_date, mis"
    _check_company_auto = True

    run_id = fields.Many2one(
        comodel_name="aftersales.indicator.run",
        string="Computation",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        related="run_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(related="run_id.currency_id")
    period_date = fields.Date(
        string="Cohort",
        required=True,
        readonly=True,
        help="First day of the month the units were made (production basis) or "
        "sold (sale basis) in.",
    )
    period_label = fields.Char(
        string="Cohort Month",
        help="The cohort month in the user's language; sorts as the month.",
    )
    mis = fields.Integer(
        string="Months in Service",
        required=True,
        readonly=True,
        aggregator=None,
    )
    units = fields.Float(
        readonly=True,
        digits="Product Unit of Measure",
        help="Units of the cohort in service for at least this many months, "
        "within their warranty.",
    )
    repairs = fields.Integer(
        readonly=True,
        help="Repairs of these units up to this MIS (approved or done claims).",
    )
    failed_parts = fields.Integer(
        string="Things Gone Wrong",
        readonly=True,
        help="Distinct failed parts of these units up to this MIS: a part that "
        "fails again on the same unit counts once.",
    )
    cost = fields.Monetary(
        string="Warranty Cost",
        readonly=True,
        currency_field="currency_id",
        help="Cost of the covered repairs (eligible, not paid service).",
    )
    r1000 = fields.Float(
        string="R/1000",
        readonly=True,
        digits=(16, 2),
        aggregator="avg",
        help="Repairs per thousand units.",
    )
    tgw = fields.Float(
        string="TGW",
        readonly=True,
        digits=(16, 2),
        aggregator="avg",
        help="Things gone wrong (distinct failed parts) per thousand units.",
    )
    cpu = fields.Monetary(
        string="CPU",
        readonly=True,
        currency_field="currency_id",
        aggregator="avg",
        help="Warranty cost per unit.",
    )

    def _compute_display_name(self):
        for line in self:
            line.display_name = self.env._(
                "%(cohort)s at %(mis)s MIS", cohort=line.period_label, mis=line.mis
            )
