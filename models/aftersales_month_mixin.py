# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.tools.misc import babel_locale_parse

from ..aftersales_service import schedule


class AftersalesMonthMixin(models.AbstractModel):
    """A document of one month (``period_date``, its first day), named in the
    reader's language ("October 2026", "2026年10月") and sorted as a date."""

    _name = "aftersales.month.mixin"
    _description = "After-Sales Monthly Document"

    period_label = fields.Char(
        string="Month Name",
        compute="_compute_period_label",
        help="The month in the user's language (October 2026); sorts as the month.",
    )

    def _locale(self):
        return babel_locale_parse(self.env.lang or "en_US")

    @api.depends("period_date")
    @api.depends_context("lang")
    def _compute_period_label(self):
        locale = self._locale()
        for record in self:
            record.period_label = record.period_date and schedule.month_label(
                record.period_date, locale
            )

    @api.model
    def _order_field_to_sql(self, alias, field_name, direction, nulls, query):
        if field_name == "period_label":
            field_name = "period_date"
        return super()._order_field_to_sql(alias, field_name, direction, nulls, query)
