# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import calendar
from datetime import date

from babel.dates import get_month_names

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools.misc import babel_locale_parse

USER_GROUP = "aftersales_service.group_aftersales_user"
REPORT = "aftersales_service.action_report_aftersales_statistics_xlsx"
# The first year the statistics may cover; the last is next year (plans).
MIN_YEAR = 2000


class AftersalesStatisticsWizard(models.TransientModel):
    """Choose the month or the year of the monthly statistics workbook."""

    _name = "aftersales.statistics.wizard"
    _description = "Monthly After-Sales Statistics"

    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.user.company_ids.ids)],
    )
    period = fields.Selection(
        selection=[("month", "Month"), ("year", "Year")],
        required=True,
        default="month",
        help="Year: a column for each month of the year, and the year's total.\n"
        "Month: a column for each month of the year up to the chosen one (the "
        "last column before the total, highlighted), and the total of the year "
        "to date.",
    )
    year = fields.Integer(
        required=True,
        default=lambda self: fields.Date.context_today(self).year,
    )
    month = fields.Selection(
        selection="_selection_month",
        default=lambda self: str(fields.Date.context_today(self).month),
    )
    date_from = fields.Date(compute="_compute_dates")
    date_to = fields.Date(compute="_compute_dates")
    file_name = fields.Char(compute="_compute_file_name")

    @api.model
    def _selection_month(self):
        """The months, named in the user's language."""
        names = get_month_names(
            "wide", locale=babel_locale_parse(self.env.lang or "en_US")
        )
        return [(str(month), names[month]) for month in range(1, 13)]

    @api.depends("period", "year", "month")
    def _compute_dates(self):
        for wizard in self:
            if wizard._period_error():
                wizard.date_from = wizard.date_to = False
                continue
            last_month = int(wizard.month) if wizard.period == "month" else 12
            wizard.date_from = date(wizard.year, 1, 1)
            wizard.date_to = date(
                wizard.year,
                last_month,
                calendar.monthrange(wizard.year, last_month)[1],
            )

    @api.depends("period", "year", "month")
    @api.depends_context("lang")
    def _compute_file_name(self):
        for wizard in self:
            period = str(wizard.year)
            if wizard.period == "month" and wizard.month:
                period = f"{wizard.year}-{int(wizard.month):02d}"
            wizard.file_name = self.env._(
                "After-Sales Statistics %(period)s", period=period
            )

    @api.constrains("period", "year", "month")
    def _check_period(self):
        for wizard in self:
            error = wizard._period_error()
            if error:
                raise ValidationError(error)

    @api.constrains("company_id")
    def _check_company_allowed(self):
        for wizard in self:
            if not self.env.su and wizard.company_id not in self.env.user.company_ids:
                raise ValidationError(
                    self.env._("Choose one of your companies for the statistics.")
                )

    def _period_error(self):
        """Why the chosen period cannot be printed, or False."""
        self.ensure_one()
        max_year = fields.Date.context_today(self).year + 1
        if not MIN_YEAR <= self.year <= max_year:
            return self.env._(
                "Choose a year between %(first)s and %(last)s, not %(year)s.",
                first=MIN_YEAR,
                last=max_year,
                year=self.year,
            )
        if self.period == "month" and not self.month:
            return self.env._("Choose the month of the statistics.")
        return False

    def _months(self):
        """The first day of each month the workbook shows, in order."""
        self.ensure_one()
        return [date(self.year, month, 1) for month in range(1, self.date_to.month + 1)]

    def action_print(self):
        self.ensure_one()
        if not self.env.su and not self.env.user.has_group(USER_GROUP):
            raise AccessError(
                self.env._("Only after-sales users print the after-sales statistics.")
            )
        self._check_period()
        # config=False: an xlsx workbook has no document layout to set up.
        return self.env.ref(REPORT).report_action(self, config=False)
