# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import defaultdict
from datetime import date, datetime, timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from ..aftersales_service import satisfaction, schedule

SCOPES = [
    ("overall", "Overall"),
    ("region", "Region"),
    ("station", "Station"),
    ("technician", "Technician"),
]
# Scopes whose overall rows are ranked against each other.
RANKED_SCOPES = ("station", "technician")


class AftersalesSatisfactionScore(models.Model):
    """The satisfaction index (seed 002 example 6) as computed: one row per
    indicator and one overall row (no indicator) for each scope of a campaign
    or of a month of feedback cards. Rows are replaced, never edited."""

    _name = "aftersales.satisfaction.score"
    _description = "Satisfaction Index Figure"
    _order = "month desc, campaign_id, scope, rank, indicator_id, id"
    _check_company_auto = True

    campaign_id = fields.Many2one(
        comodel_name="aftersales.satisfaction.campaign",
        string="Campaign",
        index="btree_not_null",
        ondelete="cascade",
        readonly=True,
    )
    source = fields.Selection(
        selection=[("campaign", "Yearly Campaign"), ("feedback", "Feedback Cards")],
        required=True,
        readonly=True,
    )
    month = fields.Date(
        required=True,
        index=True,
        readonly=True,
        help="The month of the answers (feedback cards) or the campaign's start.",
    )
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, index=True, readonly=True
    )
    scope = fields.Selection(selection=SCOPES, required=True, index=True, readonly=True)
    region_id = fields.Many2one(
        comodel_name="aftersales.region", index="btree_not_null", readonly=True
    )
    station_id = fields.Many2one(
        comodel_name="aftersales.station",
        string="Service Station",
        index="btree_not_null",
        readonly=True,
    )
    technician_id = fields.Many2one(
        comodel_name="aftersales.station.technician",
        index="btree_not_null",
        readonly=True,
    )
    indicator_id = fields.Many2one(
        comodel_name="aftersales.satisfaction.indicator",
        string="Indicator",
        index="btree_not_null",
        ondelete="cascade",
        readonly=True,
        help="Empty on the row of the overall index.",
    )
    expected_mean = fields.Float(
        string="Mean Expected Score",
        digits=(16, 2),
        aggregator="avg",
        readonly=True,
        help="Formula (1): how much the indicator matters, on average.",
    )
    actual_mean = fields.Float(
        string="Mean Actual Score",
        digits=(16, 2),
        aggregator="avg",
        readonly=True,
        help="Formula (3): how well we did, on average.",
    )
    weight = fields.Float(
        digits=(16, 4),
        aggregator="avg",
        readonly=True,
        help="Formula (2): the indicator's mean expected score over the sum of "
        "the rated indicators' (1 on the overall row).",
    )
    satisfaction = fields.Float(
        digits=(16, 4),
        aggregator="avg",
        readonly=True,
        help="Formula (4): mean actual over mean expected score (Ci); on the "
        "overall row, the index.",
    )
    index = fields.Float(
        digits=(16, 4),
        aggregator="avg",
        readonly=True,
        help="Σ Wi·Ci on the overall row; the indicator's share Wi·Ci on the "
        "others.",
    )
    answer_count = fields.Integer(
        string="Answers",
        aggregator="sum",
        readonly=True,
        help="Surveys or cards answered in the scope.",
    )
    rank = fields.Integer(
        aggregator="min",
        readonly=True,
        help="Place of the station or technician among those of the same "
        "campaign or month, best index first.",
    )

    @api.depends("scope", "region_id", "station_id", "technician_id", "indicator_id")
    def _compute_display_name(self):
        scopes = dict(self._fields["scope"]._description_selection(self.env))
        for row in self:
            target = (
                row.technician_id or row.station_id or row.region_id
            ).display_name or scopes.get(row.scope, "")
            what = row.indicator_id.name or self.env._("Index")
            row.display_name = f"{target} · {what}"

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    @api.model
    def action_recompute_feedback(self):
        """Recompute this month's and last month's feedback-card figures."""
        if not self.env.su and not self.env.user.has_group(
            "aftersales_service.group_aftersales_user"
        ):
            raise AccessError(
                self.env._("Only after-sales users compute the satisfaction index.")
            )
        self._compute_feedback_scores(self._recent_months())
        return {"type": "ir.actions.client", "tag": "soft_reload"}

    # ------------------------------------------------------------------
    # Computation
    # ------------------------------------------------------------------

    @api.model
    def _cron_compute_scores(self):
        """Daily: the feedback cards of this month and the last (late answers),
        and the running campaigns."""
        self._compute_feedback_scores(self._recent_months())
        campaigns = self.env["aftersales.satisfaction.campaign"].search(
            [("state", "=", "running")]
        )
        self._compute_campaign_scores(campaigns)

    @api.model
    def _recent_months(self):
        this_month = schedule.month_of(fields.Date.context_today(self))
        return [this_month, schedule.month_of(this_month - timedelta(days=1))]

    @api.model
    def _compute_campaign_scores(self, campaigns):
        """Replace the figures of ``campaigns`` by those of their answers."""
        for campaign in campaigns:
            month = schedule.month_of(campaign.date_start or date(campaign.year, 11, 1))
            where = SQL("ui.aftersales_campaign_id = %s", campaign.id)
            self._replace(
                [("campaign_id", "=", campaign.id)],
                self._prepare_scores(
                    where,
                    {"campaign_id": campaign.id, "source": "campaign", "month": month},
                ),
            )

    @api.model
    def _compute_feedback_scores(self, months):
        """Replace the feedback-card figures of ``months`` (first days), by the
        month the customers answered."""
        for month in months:
            start = datetime.combine(month, datetime.min.time())
            end = datetime.combine(schedule.next_month(month), datetime.min.time())
            where = SQL(
                """ui.aftersales_ticket_id IS NOT NULL
                   AND ui.aftersales_campaign_id IS NULL
                   AND ui.end_datetime >= %s AND ui.end_datetime < %s""",
                start,
                end,
            )
            self._replace(
                [("source", "=", "feedback"), ("month", "=", month)],
                self._prepare_scores(where, {"source": "feedback", "month": month}),
            )

    @api.model
    def _replace(self, domain, vals_list):
        rows = self.sudo()
        rows.search(domain).unlink()
        return rows.create(vals_list)

    @api.model
    def _prepare_scores(self, where, common):
        """Rows of every scope from the answers ``where`` selects (an SQL
        condition on ``ui``, the survey.user_input), ``common`` values added."""
        self.env.flush_all()
        tallies = defaultdict(lambda: defaultdict(satisfaction.Tally))
        for *keys, indicator_id, kind, total, count in self._query_tallies(where):
            if kind == "expected":
                tally = satisfaction.Tally(expected_sum=total, expected_count=count)
            else:
                tally = satisfaction.Tally(actual_sum=total, actual_count=count)
            for scope_key in self._scope_keys(*keys):
                tallies[scope_key][indicator_id] += tally
        answers = defaultdict(int)
        for *keys, count in self._query_answer_counts(where):
            for scope_key in self._scope_keys(*keys):
                answers[scope_key] += count

        Station = self.env["aftersales.station"].sudo()
        Technician = self.env["aftersales.station.technician"].sudo()
        vals_list = []
        overall_rows = {}
        for scope_key, by_indicator in tallies.items():
            result = satisfaction.index_from_tallies(by_indicator)
            if result.value is None:
                continue
            scope, company_id, target_id = scope_key
            base = dict(
                common,
                scope=scope,
                company_id=company_id,
                answer_count=answers.get(scope_key, 0),
            )
            if scope == "region":
                base["region_id"] = target_id
            elif scope == "station":
                station = Station.browse(target_id)
                base.update(station_id=station.id, region_id=station.region_id.id)
            elif scope == "technician":
                technician = Technician.browse(target_id)
                base.update(
                    technician_id=technician.id,
                    station_id=technician.station_id.id,
                    region_id=technician.station_id.region_id.id,
                )
            overall = dict(
                base,
                indicator_id=False,
                weight=1.0,
                satisfaction=result.value,
                index=result.value,
            )
            overall_rows[scope_key] = overall
            vals_list.append(overall)
            for indicator_id, figures in result.indicators.items():
                if figures.rated:
                    vals_list.append(
                        dict(
                            base,
                            indicator_id=indicator_id,
                            expected_mean=figures.expected_mean,
                            actual_mean=figures.actual_mean,
                            weight=figures.weight,
                            satisfaction=figures.satisfaction,
                            index=figures.contribution,
                        )
                    )
        self._rank(overall_rows)
        return vals_list

    @api.model
    def _rank(self, overall_rows):
        """Rank the stations, and the technicians, of each company."""
        groups = defaultdict(dict)
        for (scope, company_id, target_id), vals in overall_rows.items():
            if scope in RANKED_SCOPES:
                groups[scope, company_id][target_id] = vals["index"]
        for (scope, company_id), values in groups.items():
            for target_id, rank in satisfaction.competition_rank(values).items():
                overall_rows[scope, company_id, target_id]["rank"] = rank

    @api.model
    def _scope_keys(self, company_id, region_id, station_id, technician_id):
        """(scope, company, target) of every scope an answer counts in."""
        yield ("overall", company_id, False)
        if region_id:
            yield ("region", company_id, region_id)
        if station_id:
            yield ("station", company_id, station_id)
        if technician_id:
            yield ("technician", company_id, technician_id)

    def _line_value_sql(self):
        return SQL(
            "CASE WHEN l.answer_type = 'scale' THEN l.value_scale::float "
            "ELSE l.value_numerical_box END"
        )

    def _scored_line_condition(self):
        """Lines ``l`` (questions ``q``) that score an indicator: a number
        from 0, not skipped."""
        return SQL(
            """q.aftersales_indicator_id IS NOT NULL
               AND q.aftersales_score_kind IS NOT NULL
               AND NOT COALESCE(l.skipped, FALSE)
               AND l.answer_type IN ('scale', 'numerical_box')
               AND %s >= 0""",
            self._line_value_sql(),
        )

    def _input_condition(self, where):
        """Answered surveys ``ui`` that ``where`` selects and that have a
        company (``c`` their campaign, ``t`` the service request rated)."""
        return SQL(
            """ui.state = 'done'
               AND NOT COALESCE(ui.test_entry, FALSE)
               AND COALESCE(c.company_id, t.company_id) IS NOT NULL
               AND (%s)""",
            where,
        )

    def _query_tallies(self, where):
        """Sum and count of the scores per company, region, station,
        technician, indicator and kind (expected or actual)."""
        self.env.cr.execute(
            SQL(
                """
                SELECT COALESCE(c.company_id, t.company_id),
                       ui.region_id, ui.station_id, ui.technician_id,
                       q.aftersales_indicator_id, q.aftersales_score_kind,
                       SUM(%(value)s), COUNT(*)
                  FROM survey_user_input_line l
                  JOIN survey_question q ON q.id = l.question_id
                  JOIN survey_user_input ui ON ui.id = l.user_input_id
             LEFT JOIN aftersales_satisfaction_campaign c
                    ON c.id = ui.aftersales_campaign_id
             LEFT JOIN helpdesk_ticket t ON t.id = ui.aftersales_ticket_id
                 WHERE %(lines)s AND %(inputs)s
              GROUP BY 1, 2, 3, 4, 5, 6
                """,
                value=self._line_value_sql(),
                lines=self._scored_line_condition(),
                inputs=self._input_condition(where),
            )
        )
        return self.env.cr.fetchall()

    def _query_answer_counts(self, where):
        """Surveys answered (with a score) per company, region, station and
        technician."""
        self.env.cr.execute(
            SQL(
                """
                SELECT COALESCE(c.company_id, t.company_id),
                       ui.region_id, ui.station_id, ui.technician_id, COUNT(*)
                  FROM survey_user_input ui
             LEFT JOIN aftersales_satisfaction_campaign c
                    ON c.id = ui.aftersales_campaign_id
             LEFT JOIN helpdesk_ticket t ON t.id = ui.aftersales_ticket_id
                 WHERE %(inputs)s
                   AND EXISTS (
                       SELECT 1
                         FROM survey_user_input_line l
                         JOIN survey_question q ON q.id = l.question_id
                        WHERE l.user_input_id = ui.id AND %(lines)s
                   )
              GROUP BY 1, 2, 3, 4
                """,
                lines=self._scored_line_condition(),
                inputs=self._input_condition(where),
            )
        )
        return self.env.cr.fetchall()
