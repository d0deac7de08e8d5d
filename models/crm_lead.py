# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    is_station_recruitment = fields.Boolean(
        compute="_compute_is_station_recruitment",
        help="Opportunity of the service network pipeline: winning it creates "
        "or activates a service station.",
    )
    aftersales_region_id = fields.Many2one(
        comodel_name="aftersales.region",
        string="Station Region",
        check_company=True,
    )
    aftersales_station_type = fields.Selection(
        selection=[
            ("company", "Company-Owned"),
            ("authorised", "Authorised Station"),
            ("dealer", "Dealer Repair Point"),
        ],
        string="Station Type",
        default="authorised",
    )
    aftersales_station_id = fields.Many2one(
        comodel_name="aftersales.station",
        string="Service Station",
        readonly=True,
        copy=False,
        check_company=True,
    )

    @api.depends("team_id", "company_id")
    def _compute_is_station_recruitment(self):
        for lead in self:
            company = lead.company_id or self.env.company
            team = company.aftersales_recruitment_team_id
            lead.is_station_recruitment = bool(team) and lead.team_id == team

    def write(self, vals):
        result = super().write(vals)
        if (
            vals.get("stage_id")
            and self.env["crm.stage"].browse(vals["stage_id"]).is_won
        ):
            self.filtered("is_station_recruitment")._recruit_stations()
        return result

    def _recruit_stations(self):
        """Create, or activate, the station each won opportunity recruited."""
        Station = self.env["aftersales.station"].sudo()
        for lead in self:
            if not lead.partner_id:
                lead._handle_partner_assignment(create_missing=True)
            partner = lead.partner_id.commercial_partner_id
            company = lead.company_id or self.env.company
            station = lead.aftersales_station_id or Station.search(
                [("partner_id", "=", partner.id), ("company_id", "=", company.id)],
                limit=1,
            )
            region = (
                lead.aftersales_region_id
                or station.region_id
                or self.env["aftersales.region"]._find_for_partner(partner)
            )
            if not station:
                station = Station.with_company(company).create(
                    {
                        "partner_id": partner.id,
                        "company_id": company.id,
                        "region_id": region.id,
                        "station_type": lead.aftersales_station_type or "authorised",
                        "user_id": lead.user_id.id or self.env.user.id,
                        "lead_id": lead.id,
                    }
                )
            elif region and not station.region_id:
                station.region_id = region
            lead.aftersales_station_id = station
            if station.state in ("suspended", "closed"):
                # A manager suspended or closed it: winning a deal does not
                # overrule them; they decide, with the opportunity in view.
                station.message_post(
                    body=self.env._(
                        "Opportunity %(lead)s was won, but the station is "
                        "%(state)s: only an after-sales manager reinstates it.",
                        lead=lead.name,
                        state=station._state_label(station.state),
                    )
                )
            elif station.state == "candidate" and station.region_id:
                station._change_state(
                    "active",
                    self.env._("Recruited through %(lead)s.", lead=lead.name),
                )
            elif not station.region_id:
                station.message_post(
                    body=self.env._(
                        "Recruited through %(lead)s; give the station a region "
                        "to activate it.",
                        lead=lead.name,
                    )
                )
