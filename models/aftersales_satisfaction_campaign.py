# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, split_every

YEARLY_SURVEY = "aftersales_service.aftersales_survey_yearly"
YEARLY_TEMPLATE = "aftersales_service.mail_template_aftersales_satisfaction_survey"
# The marketing department surveys customers every November (seed 000 §4.4.3).
CAMPAIGN_MONTH = 11
# Invitations created per INSERT.
BATCH_SIZE = 1000
TRANSITIONS = {
    "draft": ("running",),
    "running": ("closed",),
    "closed": (),
}


class AftersalesSatisfactionCampaign(models.Model):
    """The yearly customer satisfaction survey (顾客满意度调查): one
    invitation for each customer served that year, and its index."""

    _name = "aftersales.satisfaction.campaign"
    _description = "Satisfaction Campaign"
    _inherit = ["mail.thread", "mail.activity.mixin", "aftersales.workflow.mixin"]
    _order = "year desc, id desc"
    _check_company_auto = True
    _state_transitions = TRANSITIONS
    _workflow_fields = frozenset({"state", "date_start", "date_end"})
    # A running campaign may still be renamed and widened to more regions
    # (the daily November run invites their customers too).
    _final_states = {
        "running": frozenset({"name", "region_ids"}),
        "closed": frozenset({"name"}),
    }
    _positive_fields = frozenset({"year"})
    _maximum_fields = {"year": 2999}

    name = fields.Char(
        compute="_compute_name",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        tracking=True,
    )
    year = fields.Integer(
        required=True,
        default=lambda self: fields.Date.context_today(self).year,
        tracking=True,
        help="Customers whose service request was done this year are invited.",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    survey_id = fields.Many2one(
        comodel_name="survey.survey",
        string="Survey",
        required=True,
        default=lambda self: self.env.ref(YEARLY_SURVEY, raise_if_not_found=False),
        domain="[('survey_type', '=', 'survey')]",
        tracking=True,
        help="The questionnaire sent; its questions mapped to satisfaction "
        "indicators give the index.",
    )
    region_ids = fields.Many2many(
        comodel_name="aftersales.region",
        relation="aftersales_satisfaction_campaign_region_rel",
        column1="campaign_id",
        column2="region_id",
        string="Regions",
        check_company=True,
        help="Invite the customers of these regions only; leave empty for all.",
    )
    state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("running", "Running"),
            ("closed", "Closed"),
        ],
        string="Status",
        required=True,
        copy=False,
        default="draft",
        readonly=True,
        tracking=True,
        index=True,
    )
    date_start = fields.Date(readonly=True, copy=False)
    date_end = fields.Date(readonly=True, copy=False)
    input_ids = fields.One2many(
        comodel_name="survey.user_input",
        inverse_name="aftersales_campaign_id",
        string="Invitations",
        readonly=True,
    )
    invitation_count = fields.Integer(compute="_compute_counts")
    answered_count = fields.Integer(string="Answered", compute="_compute_counts")
    response_rate = fields.Float(
        compute="_compute_counts", help="Share of the invitations answered."
    )
    score_ids = fields.One2many(
        comodel_name="aftersales.satisfaction.score",
        inverse_name="campaign_id",
        string="Index Figures",
        readonly=True,
    )
    satisfaction_index = fields.Float(
        compute="_compute_satisfaction_index",
        help="Σ Wi·Ci over the indicators, as last computed.",
    )

    _sql_constraints = [
        (
            "company_year_uniq",
            "unique(company_id, year)",
            "A company runs one satisfaction campaign a year.",
        ),
    ]

    @api.depends("year")
    def _compute_name(self):
        for campaign in self:
            if campaign.year and not campaign.name:
                campaign.name = self.env._(
                    "Customer Satisfaction %(year)s", year=campaign.year
                )

    def _compute_counts(self):
        # Invitations belong to the campaign: count them for any reader.
        groups = (
            self.env["survey.user_input"]
            .sudo()
            ._read_group(
                [("aftersales_campaign_id", "in", self.ids)],
                ["aftersales_campaign_id", "state"],
                ["__count"],
            )
        )
        totals = {}
        done = {}
        for campaign, state, count in groups:
            totals[campaign] = totals.get(campaign, 0) + count
            if state == "done":
                done[campaign] = count
        for campaign in self:
            campaign.invitation_count = totals.get(campaign, 0)
            campaign.answered_count = done.get(campaign, 0)
            campaign.response_rate = (
                campaign.answered_count / campaign.invitation_count
                if campaign.invitation_count
                else 0.0
            )

    def _compute_satisfaction_index(self):
        rows = (
            self.env["aftersales.satisfaction.score"]
            .sudo()
            .search_fetch(
                [
                    ("campaign_id", "in", self.ids),
                    ("scope", "=", "overall"),
                    ("indicator_id", "=", False),
                ],
                ["campaign_id", "index"],
            )
        )
        by_campaign = {row.campaign_id.id: row.index for row in rows}
        for campaign in self:
            campaign.satisfaction_index = by_campaign.get(campaign.id, 0.0)

    @api.constrains("year")
    def _check_year(self):
        for campaign in self:
            if not 2000 <= campaign.year <= 2999:
                raise ValidationError(
                    self.env._(
                        "%(year)s is not a campaign year: give a year from 2000.",
                        year=campaign.year,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_one_per_year(
                vals.get("company_id") or self.env.company.id,
                vals.get("year") or fields.Date.context_today(self).year,
            )
        return super().create(vals_list)

    def write(self, vals):
        if "year" in vals or "company_id" in vals:
            for campaign in self:
                self._check_one_per_year(
                    vals.get("company_id", campaign.company_id.id),
                    vals.get("year", campaign.year),
                    exclude=campaign,
                )
        return super().write(vals)

    @api.model
    def _check_one_per_year(self, company_id, year, exclude=None):
        """The SQL constraint, told in words before the database refuses."""
        other = (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("company_id", "=", company_id),
                    ("year", "=", year),
                    ("id", "not in", exclude.ids if exclude else []),
                ],
                limit=1,
            )
        )
        if other:
            raise ValidationError(
                self.env._(
                    "%(campaign)s already surveys the customers of %(year)s: a "
                    "company runs one satisfaction campaign a year.",
                    campaign=other.name,
                    year=year,
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if any(campaign.state != "draft" for campaign in self):
            raise UserError(
                self.env._(
                    "Only draft campaigns can be deleted: the others hold the "
                    "customers' answers."
                )
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_start(self):
        """Invite the customers served in the campaign's year."""
        self._check_group(
            "aftersales_service.group_aftersales_manager",
            self.env._("Only after-sales managers start a satisfaction campaign."),
        )
        self._start()
        return True

    def action_close(self):
        self._check_group(
            "aftersales_service.group_aftersales_manager",
            self.env._("Only after-sales managers close a satisfaction campaign."),
        )
        self._move_to("closed", date_end=fields.Date.context_today(self))
        self.env["aftersales.satisfaction.score"]._compute_campaign_scores(self)
        return True

    def action_compute_index(self):
        """Compute the index from the answers received so far."""
        self._check_group(
            "aftersales_service.group_aftersales_user",
            self.env._("Only after-sales users compute the satisfaction index."),
        )
        self.check_access("read")
        if any(campaign.state == "draft" for campaign in self):
            raise UserError(
                self.env._("Start the campaign first: a draft has no answers.")
            )
        self.env["aftersales.satisfaction.score"]._compute_campaign_scores(self)
        return True

    def action_view_invitations(self):
        return self._action_related(
            "aftersales_service.aftersales_satisfaction_input_action",
            [("aftersales_campaign_id", "=", self.id)],
            {"create": False},
        )

    def action_view_scores(self):
        return self._action_related(
            "aftersales_service.aftersales_satisfaction_score_action",
            [("campaign_id", "=", self.id)],
            {"search_default_overall_rows": 1, "search_default_group_scope": 1},
        )

    # ------------------------------------------------------------------
    # Invitations
    # ------------------------------------------------------------------

    def _start(self):
        for campaign in self:
            survey = campaign.survey_id.sudo()
            if not survey.active:
                raise UserError(
                    self.env._(
                        "Survey %(survey)s is archived: choose an active survey "
                        "for %(campaign)s.",
                        survey=survey.title,
                        campaign=campaign.name,
                    )
                )
            if not survey.question_ids.aftersales_indicator_id:
                raise UserError(
                    self.env._(
                        "Survey %(survey)s has no question mapped to a "
                        "satisfaction indicator: it would give no index.",
                        survey=survey.title,
                    )
                )
        self._move_to("running", date_start=fields.Date.context_today(self))
        return self._create_invitations()

    def _create_invitations(self):
        """One invitation per customer served in the year and not invited yet,
        created in batches and e-mailed; returns them."""
        Input = self.env["survey.user_input"].sudo()
        Partner = self.env["res.partner"].sudo()
        created = Input.browse()
        for campaign in self.filtered(lambda c: c.state == "running"):
            rows = campaign._invitation_candidates()
            if not rows:
                continue
            survey = campaign.survey_id.sudo()
            partners = Partner.browse([row[0] for row in rows])
            survey._check_answer_creation(
                False, partners[0], False, check_attempts=False
            )
            common = {
                "survey_id": survey.id,
                "aftersales_campaign_id": campaign.id,
                "is_session_answer": False,
            }
            if survey.questions_selection == "all":
                questions = survey._prepare_user_input_predefined_questions()
                common["predefined_question_ids"] = [Command.set(questions.ids)]
            vals_list = []
            for (partner_id, region_id, station_id, technician_id), partner in zip(
                rows, partners, strict=True
            ):
                vals_list.append(
                    dict(
                        common,
                        partner_id=partner_id,
                        email=partner.email,
                        nickname=partner.name,
                        region_id=region_id,
                        station_id=station_id,
                        technician_id=technician_id,
                    )
                )
            for batch in split_every(BATCH_SIZE, vals_list, list):
                created |= Input.create(batch)
            campaign.message_post(
                body=self.env._("%(count)s customers invited.", count=len(vals_list)),
                subtype_xmlid="mail.mt_note",
            )
        created._aftersales_send_invitations(YEARLY_TEMPLATE)
        return created

    def _invitation_candidates(self):
        """(partner, region, station, technician) of each customer whose
        service request was done in the year, with an e-mail address and no
        invitation of this campaign yet; the region, station and technician of
        their latest request of the year."""
        self.ensure_one()
        self.env.flush_all()
        start = date(self.year, 1, 1)
        end = date(self.year + 1, 1, 1)
        region_filter = (
            SQL("AND t.region_id IN %s", tuple(self.region_ids.ids))
            if self.region_ids
            else SQL()
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT ON (t.partner_id)
                       t.partner_id, t.region_id, t.station_id, t.technician_id
                  FROM helpdesk_ticket t
                  JOIN helpdesk_ticket_stage s ON s.id = t.stage_id
                  JOIN res_partner p ON p.id = t.partner_id
                 WHERE t.company_id = %(company)s
                   AND t.active
                   AND s.closed
                   AND s.aftersales_return_visit
                   AND t.closed_date >= %(start)s
                   AND t.closed_date < %(end)s
                   AND p.active
                   AND COALESCE(p.email, '') != ''
                   %(region_filter)s
                   AND NOT EXISTS (
                       SELECT 1 FROM survey_user_input ui
                        WHERE ui.aftersales_campaign_id = %(campaign)s
                          AND ui.partner_id = t.partner_id
                   )
                 ORDER BY t.partner_id, t.closed_date DESC, t.id DESC
                """,
                company=self.company_id.id,
                start=start,
                end=end,
                region_filter=region_filter,
                campaign=self.id,
            )
        )
        return self.env.cr.fetchall()

    # ------------------------------------------------------------------
    # Cron
    # ------------------------------------------------------------------

    @api.model
    def _cron_yearly_campaign(self):
        """In November, each company's campaign of the year: created and
        started on the first run, then each day inviting the customers served
        since. Never twice a year, never outside November."""
        today = fields.Date.context_today(self)
        if today.month != CAMPAIGN_MONTH:
            return self.browse()
        survey = self.env.ref(YEARLY_SURVEY, raise_if_not_found=False)
        campaigns = self.search([("year", "=", today.year), ("state", "!=", "closed")])
        have_one = self.search([("year", "=", today.year)]).company_id
        Ticket = self.env["helpdesk.ticket"]
        for company in self.env["res.company"].search([]) - have_one:
            if not survey or not Ticket.search_count(
                Ticket._done_domain()
                + [
                    ("company_id", "=", company.id),
                    ("closed_date", ">=", date(today.year, 1, 1)),
                ],
                limit=1,
            ):
                continue
            campaigns |= self.with_company(company).create(
                {
                    "year": today.year,
                    "company_id": company.id,
                    "survey_id": survey.id,
                }
            )
        drafts = campaigns.filtered(lambda c: c.state == "draft")
        drafts._start()
        (campaigns - drafts)._create_invitations()
        return campaigns
