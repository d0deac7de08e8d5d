# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class AftersalesStationInspection(models.Model):
    """A visit checking a station's facilities and service (seed 000 §4.2.1)."""

    _name = "aftersales.station.inspection"
    _description = "Service Station Inspection"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    station_id = fields.Many2one(
        comodel_name="aftersales.station",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(related="station_id.company_id", store=True)
    region_id = fields.Many2one(related="station_id.region_id", store=True)
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    inspector_id = fields.Many2one(
        comodel_name="res.users",
        string="Inspector",
        required=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        tracking=True,
    )
    score = fields.Integer(
        required=True,
        tracking=True,
        help="From 0 to 100; below the company's threshold a follow-up is "
        "scheduled.",
    )
    findings = fields.Html()
    passed = fields.Boolean(compute="_compute_passed", store=True)
    follow_up_activity_id = fields.Many2one(
        comodel_name="mail.activity",
        readonly=True,
        copy=False,
        ondelete="set null",
    )

    @api.depends("score", "company_id.aftersales_inspection_threshold")
    def _compute_passed(self):
        for inspection in self:
            inspection.passed = (
                inspection.score
                >= inspection.company_id.aftersales_inspection_threshold
            )

    @api.constrains("score")
    def _check_score(self):
        for inspection in self:
            if not 0 <= inspection.score <= 100:
                raise ValidationError(
                    self.env._("An inspection score lies between 0 and 100.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        inspections = super().create(vals_list)
        inspections._schedule_follow_up()
        return inspections

    def write(self, vals):
        result = super().write(vals)
        if "score" in vals:
            self._schedule_follow_up()
        return result

    def _schedule_follow_up(self):
        """One follow-up activity on the station per failed inspection."""
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        for inspection in self.filtered(
            lambda i: not i.passed and not i.follow_up_activity_id
        ):
            station = inspection.station_id
            responsible = (
                station.region_id.manager_id
                or station.user_id
                or inspection.inspector_id
            )
            inspection.follow_up_activity_id = station.activity_schedule(
                activity_type_id=activity_type.id,
                summary=self.env._(
                    "Follow up inspection of %(date)s (score %(score)s)",
                    date=inspection.date,
                    score=inspection.score,
                ),
                note=inspection.findings,
                user_id=responsible.id,
                date_deadline=inspection.date + timedelta(days=30),
            )
