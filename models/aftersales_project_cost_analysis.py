# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models, tools
from odoo.tools import SQL

from .project_project import COST_TYPES

COST_TYPE_INDEX = {code: index for index, (code, __) in enumerate(COST_TYPES)}


class AftersalesProjectCostAnalysis(models.Model):
    """A project's after-sales costs against its approved plans, by cost
    type: the approved plans' lines beside the analytic lines posted to the
    project's analytic account."""

    _name = "aftersales.project.cost.analysis"
    _description = "Project After-Sales Costs against Plan"
    _auto = False
    _order = "project_id, cost_type"
    _depends = {
        "aftersales.project.cost.plan": ["project_id", "company_id", "state"],
        "aftersales.project.cost.plan.line": ["plan_id", "cost_type", "amount"],
        "account.analytic.line": ["account_id", "amount", "aftersales_cost_type"],
        "project.project": ["account_id", "company_id", "is_aftersales_project"],
    }

    project_id = fields.Many2one(comodel_name="project.project", readonly=True)
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    cost_type = fields.Selection(selection=COST_TYPES, readonly=True)
    plan_amount = fields.Monetary(string="Planned", readonly=True)
    actual_amount = fields.Monetary(string="Actual", readonly=True)
    difference = fields.Monetary(string="Left", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        cases = SQL(" ").join(
            SQL("WHEN %s THEN %s", code, index)
            for code, index in COST_TYPE_INDEX.items()
        )
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW %(table)s AS
                SELECT x.project_id * 8 + CASE x.cost_type %(cases)s ELSE 7 END AS id,
                       x.project_id, x.company_id, x.cost_type,
                       SUM(x.plan) AS plan_amount,
                       SUM(x.actual) AS actual_amount,
                       SUM(x.plan) - SUM(x.actual) AS difference
                  FROM (
                        SELECT plan.project_id, plan.company_id, line.cost_type,
                               line.amount AS plan, 0.0 AS actual
                          FROM aftersales_project_cost_plan_line line
                          JOIN aftersales_project_cost_plan plan
                            ON plan.id = line.plan_id
                         WHERE plan.state = 'approved'
                        UNION ALL
                        SELECT project.id, project.company_id,
                               analytic.aftersales_cost_type, 0.0, -analytic.amount
                          FROM account_analytic_line analytic
                          JOIN project_project project
                            ON project.account_id = analytic.account_id
                         WHERE analytic.aftersales_cost_type IS NOT NULL
                           AND project.is_aftersales_project
                       ) x
                 GROUP BY x.project_id, x.company_id, x.cost_type
                """,
                table=SQL.identifier(self._table),
                cases=cases,
            )
        )
