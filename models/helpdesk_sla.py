# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError

PRIORITIES = [("0", "Low"), ("1", "Medium"), ("2", "High"), ("3", "Very High")]


class HelpdeskSla(models.Model):
    """OCA's SLA rules, with the after-sales conditions of seeds 001-003:
    deadlines by priority and by the distance class of the ticket's region."""

    _inherit = "helpdesk.sla"

    # Rule names show on the tickets' deadlines: translated like the stages.
    name = fields.Char(translate=True)

    aftersales_kind = fields.Selection(
        selection=[
            ("reply", "Reply"),
            ("on_site", "On Site"),
            ("resolution", "Resolution"),
        ],
        string="Deadline",
        help="Which of the ticket's deadlines this rule sets.",
    )
    aftersales_priority_min = fields.Selection(
        selection=PRIORITIES,
        string="From Priority",
        help="Applies to tickets of this priority or above; empty for any.",
    )
    aftersales_priority_max = fields.Selection(
        selection=PRIORITIES,
        string="To Priority",
        help="Applies to tickets of this priority or below; empty for any.",
    )
    aftersales_response_class = fields.Selection(
        selection=[("near", "Near"), ("far", "Far")],
        string="Region Class",
        help="Applies to tickets of regions of this class; empty for any.",
    )

    @api.constrains("aftersales_priority_min", "aftersales_priority_max")
    def _check_priority_range(self):
        for sla in self:
            low, high = sla.aftersales_priority_min, sla.aftersales_priority_max
            if low and high and low > high:
                raise ValidationError(
                    self.env._(
                        "SLA %(sla)s: the lowest priority is above the highest.",
                        sla=sla.name,
                    )
                )

    @api.constrains("aftersales_kind", "days", "hours", "company_id")
    def _check_on_site_cap(self):
        for sla in self.filtered(lambda s: s.aftersales_kind == "on_site"):
            company = sla.company_id or self.env.company
            cap = company.aftersales_max_onsite_hours
            calendar_hours = (
                company.resource_calendar_id.hours_per_day or 8.0
            ) * sla.days + sla.hours
            if cap and calendar_hours > cap:
                raise ValidationError(
                    self.env._(
                        "On-site rule %(sla)s allows %(hours)s working hours; "
                        "on-site visits take %(cap)s at most.",
                        sla=sla.name,
                        hours=calendar_hours,
                        cap=cap,
                    )
                )
