# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..aftersales_service import indicators, schedule

USER_GROUP = "aftersales_service.group_aftersales_user"
# Units in service: the vouchers that were issued (a draft promises nothing).
UNIT_STATES = ("active", "expired")
# Claims that count as repairs.
REPAIR_STATES = ("approved", "done")


def _default_date_from(record):
    # The cohorts of the last two years.
    today = fields.Date.context_today(record)
    return today.replace(year=today.year - 2, day=1)


def _default_date_to(record):
    return schedule.month_of(fields.Date.context_today(record))


class AftersalesIndicatorRun(models.Model):
    """A computation of the service indicators (R/1000, TGW, CPU) of monthly
    cohorts by months in service (seed 001 §4.6); the rules are in
    :mod:`aftersales_service.indicators`.

    Computing replaces its lines; the parameters of a computed run stay as
    they were computed (reset it to draft to change them).
    """

    _name = "aftersales.indicator.run"
    _description = "Service Indicator Computation"
    _inherit = ["mail.thread", "aftersales.workflow.mixin"]
    _order = "id desc"
    _check_company_auto = True

    _state_transitions = {
        "draft": frozenset({"computed"}),
        "computed": frozenset({"computed", "draft"}),
    }
    _workflow_fields = frozenset({"state", "computed_on", "line_ids"})
    _final_states = {"computed": frozenset()}

    name = fields.Char(
        string="Number",
        required=True,
        readonly=True,
        copy=False,
        default="New",
        index="trigram",
    )
    state = fields.Selection(
        selection=[("draft", "Draft"), ("computed", "Computed")],
        string="Status",
        required=True,
        copy=False,
        default="draft",
        readonly=True,
        tracking=True,
        index=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    categ_id = fields.Many2one(
        comodel_name="product.category",
        string="Product Family",
        tracking=True,
        help="The products of this category and its subcategories; all products "
        "when empty.",
    )
    basis = fields.Selection(
        selection=[
            ("production", "Production Month"),
            ("sale", "Sale Month"),
        ],
        string="Cohorts By",
        required=True,
        default="production",
        tracking=True,
        help="Production: the month the unit was made (vouchers without a "
        "manufacturing date are left out). Sale: the month it was delivered (or "
        "its warranty started, without a delivery date).",
    )
    date_from = fields.Date(
        string="Cohorts From",
        required=True,
        default=_default_date_from,
        tracking=True,
        help="The first cohort: the whole month of this date.",
    )
    date_to = fields.Date(
        string="Cohorts To",
        required=True,
        default=_default_date_to,
        tracking=True,
        help="The last cohort: the whole month of this date.",
    )
    date_as_of = fields.Date(
        string="As Of",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
        help="The day the indicators are measured on: the units' time in service "
        "and the failures are counted up to it.",
    )
    mis_list = fields.Char(
        string="Months in Service",
        required=True,
        default=indicators.format_mis(indicators.DEFAULT_MIS),
        tracking=True,
        help="The points of the units' life to measure, in whole months since "
        "their warranty started, separated by commas (0 is the first month).",
    )
    computed_on = fields.Datetime(readonly=True, copy=False)
    line_ids = fields.One2many(
        comodel_name="aftersales.indicator.line",
        inverse_name="run_id",
        string="Indicators",
        readonly=True,
        copy=False,
    )
    line_count = fields.Integer(compute="_compute_line_count")

    def _compute_line_count(self):
        counts = dict(
            self.env["aftersales.indicator.line"]._read_group(
                [("run_id", "in", self.ids)], ["run_id"], ["__count"]
            )
        )
        for run in self:
            run.line_count = counts.get(run, 0)

    # ------------------------------------------------------------------
    # Constraints and CRUD
    # ------------------------------------------------------------------

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for run in self:
            months = indicators.month_count(run.date_from, run.date_to)
            if not months:
                raise ValidationError(
                    self.env._(
                        "The last cohort (%(to)s) cannot come before the first "
                        "(%(from)s).",
                        to=run.date_to,
                        **{"from": run.date_from},
                    )
                )
            if months > indicators.MAX_COHORTS:
                raise ValidationError(
                    self.env._(
                        "Compute at most %(max)s cohort months at once, not "
                        "%(months)s.",
                        max=indicators.MAX_COHORTS,
                        months=months,
                    )
                )

    @api.constrains("mis_list")
    def _check_mis_list(self):
        for run in self:
            self._parse_mis(run.mis_list)

    @api.model_create_multi
    def create(self, vals_list):
        # Whoever may not create at all hears that first, before a number
        # is spent.
        self.browse().check_access("create")
        for vals in vals_list:
            self._normalize_mis(vals)
            if vals.get("name", "New") == "New":
                company = self.env["res.company"].browse(vals.get("company_id"))
                # Numbering only: readers of runs need no sequence rights.
                vals["name"] = (
                    self.env["ir.sequence"]
                    .sudo()
                    .with_company(company or self.env.company)
                    .next_by_code("aftersales.indicator.run")
                    or "New"
                )
        return super().create(vals_list)

    def write(self, vals):
        self._normalize_mis(vals)
        return super().write(vals)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_compute(self):
        """Compute the indicators again: a few aggregate queries per run and
        one batch of lines, whatever the number of vouchers and claims."""
        self._check_group(
            USER_GROUP,
            self.env._("Only after-sales users compute service indicators."),
        )
        self.check_access("write")
        self._lock_rows()
        self._check_transition("computed")
        # The queries read the database: what the ORM still holds goes first.
        self.env.flush_all()
        vals_list = []
        for run in self:
            vals_list += [
                run._prepare_line_vals(cell)
                for cell in run._compute_cells()
                if cell.units
            ]
        # Lines are written here only: users read them.
        lines = self.env["aftersales.indicator.line"].sudo()
        lines.search([("run_id", "in", self.ids)]).unlink()
        lines.create(vals_list)
        self._move_to("computed", computed_on=fields.Datetime.now())
        return True

    def action_reset_to_draft(self):
        """Back to draft to change the parameters; the lines go."""
        self._check_group(
            USER_GROUP,
            self.env._("Only after-sales users compute service indicators."),
        )
        self.check_access("write")
        self._move_to("draft", computed_on=False)
        self.env["aftersales.indicator.line"].sudo().search(
            [("run_id", "in", self.ids)]
        ).unlink()
        return True

    def action_view_matrix(self):
        """The cohort x MIS matrix (pivot) of R/1000."""
        return self._action_lines("aftersales_service.aftersales_indicator_line_action")

    def action_view_chart(self):
        """A line per cohort, R/1000 by MIS."""
        return self._action_lines(
            "aftersales_service.aftersales_indicator_line_action_chart"
        )

    def _action_lines(self, action_xmlid):
        self.ensure_one()
        action = self._action_related(
            action_xmlid, [("run_id", "=", self.id)], {"default_run_id": self.id}
        )
        action["display_name"] = self.env._(
            "%(action)s: %(run)s", action=action["name"], run=self.display_name
        )
        return action

    # ------------------------------------------------------------------
    # Computation
    # ------------------------------------------------------------------

    @api.model
    def _parse_mis(self, text):
        try:
            return indicators.parse_mis(text)
        except ValueError as error:
            messages = {
                indicators.EMPTY: self.env._("give at least one"),
                indicators.NOT_A_NUMBER: self.env._(
                    "give whole numbers of months separated by commas"
                ),
                indicators.OUT_OF_RANGE: self.env._(
                    "give at most %(max)s months", max=indicators.MAX_MIS
                ),
                indicators.TOO_MANY: self.env._(
                    "give at most %(max)s of them", max=indicators.MAX_POINTS
                ),
            }
            raise ValidationError(
                self.env._(
                    "Months in service: %(problem)s (such as %(example)s), not "
                    "%(value)s.",
                    problem=messages.get(str(error), str(error)),
                    example=indicators.format_mis(indicators.DEFAULT_MIS),
                    value=repr(text),
                )
            ) from None

    @api.model
    def _normalize_mis(self, vals):
        if "mis_list" in vals:
            vals["mis_list"] = indicators.format_mis(self._parse_mis(vals["mis_list"]))

    def _compute_cells(self):
        """The indicator cells of this run (see indicators.matrix)."""
        self.ensure_one()
        points = self._parse_mis(self.mis_list)
        units, repairs, first_failures = self._read_aggregates(points[-1])
        return indicators.matrix(points, units, repairs, first_failures)

    def _prepare_line_vals(self, cell):
        return {
            "run_id": self.id,
            "period_date": cell.cohort,
            "mis": cell.mis,
            "units": cell.units,
            "repairs": cell.repairs,
            "failed_parts": cell.failed_parts,
            "cost": cell.cost,
            "r1000": cell.r1000,
            "tgw": cell.tgw,
            "cpu": cell.cpu,
        }

    @api.model
    def _sql_months(self, start, day):
        """SQL of indicators.months_in_service(start, day): whole months,
        reached on the same day number or a shorter month's last day, never
        negative."""
        return SQL(
            """GREATEST(0,
                (EXTRACT(YEAR FROM %(day)s)::int * 12
                 + EXTRACT(MONTH FROM %(day)s)::int)
                - (EXTRACT(YEAR FROM %(start)s)::int * 12
                   + EXTRACT(MONTH FROM %(start)s)::int)
                - CASE WHEN LEAST(
                        EXTRACT(DAY FROM %(start)s)::int,
                        EXTRACT(DAY FROM date_trunc('month', %(day)s::timestamp)
                                + interval '1 month - 1 day')::int
                    ) > EXTRACT(DAY FROM %(day)s)::int
                  THEN 1 ELSE 0 END)""",
            start=start,
            day=day,
        )

    def _read_aggregates(self, max_mis):
        """One query: units by (cohort, exposure), repairs by (cohort,
        exposure, MIS) and first failures of (unit, part) by (cohort,
        exposure, first MIS); exposures and MIS capped at ``max_mis``."""
        self.ensure_one()
        as_of = self.date_as_of
        if self.basis == "production":
            cohort_day = SQL("v.date_manufacture")
        else:
            cohort_day = SQL("COALESCE(v.date_delivery, v.date_start)")
        family = SQL()
        if self.categ_id:
            family = SQL(
                """JOIN product_product pp ON pp.id = v.product_id
                   JOIN product_template pt ON pt.id = pp.product_tmpl_id
                   JOIN product_category pc ON pc.id = pt.categ_id
                    AND pc.parent_path LIKE %s""",
                f"{self.categ_id.sudo().parent_path}%",
            )
        failure_day = SQL("COALESCE(c.failure_date, c.date)")
        query = SQL(
            """
            WITH unit AS MATERIALIZED (
                SELECT v.id,
                       v.quantity,
                       v.date_start,
                       v.date_end,
                       date_trunc('month', %(cohort_day)s::timestamp)::date AS cohort,
                       LEAST(%(age)s, %(covered)s, %(max_mis)s) AS exposure
                  FROM aftersales_warranty_voucher v
                  %(family)s
                 WHERE v.company_id = %(company)s
                   AND v.state IN %(unit_states)s
                   AND v.date_start <= %(as_of)s
                   AND %(cohort_day)s >= %(cohort_from)s
                   AND %(cohort_day)s < %(cohort_to)s
            ), failure AS MATERIALIZED (
                SELECT u.id AS unit_id,
                       u.cohort,
                       u.exposure,
                       COALESCE(c.part_id, 0) AS part_id,
                       -- A voucher of several units (a lot) cannot tell which
                       -- of them failed: each of its claims is one thing.
                       CASE WHEN u.quantity > 1 THEN c.id ELSE 0 END AS item,
                       %(mis)s AS mis,
                       CASE WHEN c.eligible
                             AND c.handling_method IS DISTINCT FROM 'paid_repair'
                            THEN COALESCE(c.total_cost, 0) ELSE 0 END AS cost
                  FROM unit u
                  JOIN aftersales_claim c ON c.voucher_id = u.id
                 WHERE c.state IN %(repair_states)s
                   AND %(failure_day)s <= %(as_of)s
                   AND %(failure_day)s <= u.date_end
            )
            SELECT 'unit', cohort, exposure, 0, SUM(quantity), 0
              FROM unit
             GROUP BY cohort, exposure
            UNION ALL
            -- A repair beyond its unit's exposure never counts.
            SELECT 'repair', cohort, exposure, mis, COUNT(*), SUM(cost)
              FROM failure
             WHERE mis <= exposure
             GROUP BY cohort, exposure, mis
            UNION ALL
            SELECT 'part', cohort, exposure, first_mis, COUNT(*), 0
              FROM (SELECT cohort, exposure, MIN(mis) AS first_mis
                      FROM failure
                     GROUP BY unit_id, item, part_id, cohort, exposure) first_failure
             WHERE first_mis <= exposure
             GROUP BY cohort, exposure, first_mis
            """,
            cohort_day=cohort_day,
            age=self._sql_months(SQL("v.date_start"), SQL("%s::date", as_of)),
            covered=self._sql_months(SQL("v.date_start"), SQL("v.date_end")),
            max_mis=max_mis,
            family=family,
            company=self.company_id.id,
            unit_states=UNIT_STATES,
            as_of=as_of,
            cohort_from=schedule.month_of(self.date_from),
            cohort_to=schedule.next_month(self.date_to),
            mis=self._sql_months(SQL("u.date_start"), failure_day),
            repair_states=REPAIR_STATES,
            failure_day=failure_day,
        )
        self.env.cr.execute(query)
        units, repairs, first_failures = [], [], []
        for kind, cohort, exposure, mis, count, cost in self.env.cr.fetchall():
            # Sums of numeric columns come as Decimal.
            if kind == "unit":
                units.append((cohort, exposure, float(count)))
            elif kind == "repair":
                repairs.append((cohort, exposure, mis, int(count), float(cost)))
            else:
                first_failures.append((cohort, exposure, mis, int(count)))
        return units, repairs, first_failures
