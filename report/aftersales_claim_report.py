# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models
from odoo.tools import SQL

from .report_selection import selection_of


class AftersalesClaimReport(models.Model):
    """Claims and their costs, one row per claim, for the statistics.

    What the company bears (covered warranty work), what the customer pays
    (paid service, with its surcharge) and what suppliers owe are split here
    once, so that the pivot, the dashboard and the monthly workbook agree.
    """

    _name = "aftersales.claim.report"
    _description = "Warranty Claims Statistics"
    _auto = False
    _rec_name = "name"
    _order = "date desc"

    claim_id = fields.Many2one(comodel_name="aftersales.claim", readonly=True)
    name = fields.Char(string="Reference", readonly=True)
    date = fields.Date(readonly=True)
    failure_date = fields.Date(readonly=True)
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    currency_id = fields.Many2one(comodel_name="res.currency", readonly=True)
    state = fields.Selection(
        selection=selection_of("aftersales.claim", "state"),
        string="Status",
        readonly=True,
    )
    station_id = fields.Many2one(comodel_name="aftersales.station", readonly=True)
    region_id = fields.Many2one(comodel_name="aftersales.region", readonly=True)
    partner_id = fields.Many2one(
        comodel_name="res.partner", string="Customer", readonly=True
    )
    product_id = fields.Many2one(comodel_name="product.product", readonly=True)
    product_categ_id = fields.Many2one(
        comodel_name="product.category", string="Product Category", readonly=True
    )
    part_id = fields.Many2one(
        comodel_name="aftersales.warranty.part", string="Failed Part", readonly=True
    )
    # Stations read their own rows, never what suppliers are charged.
    supplier_id = fields.Many2one(
        comodel_name="res.partner",
        string="Responsible Supplier",
        readonly=True,
        groups="aftersales_service.group_aftersales_user",
    )
    responsibility = fields.Selection(
        selection=selection_of("aftersales.claim", "responsibility"), readonly=True
    )
    handling_method = fields.Selection(
        selection=selection_of("aftersales.claim", "handling_method"),
        readonly=True,
    )
    eligible = fields.Boolean(string="Covered by Warranty", readonly=True)
    nbr = fields.Integer(string="# Claims", readonly=True, aggregator="sum")
    parts_cost = fields.Monetary(readonly=True)
    labour_cost = fields.Monetary(readonly=True)
    total_cost = fields.Monetary(readonly=True)
    warranty_cost = fields.Monetary(
        readonly=True,
        help="Cost of the warranty work (all but paid service and rejected "
        "claims), borne by the company and, for their parts, its suppliers.",
    )
    customer_amount = fields.Monetary(
        string="Paid by Customer",
        readonly=True,
        help="Paid service: the cost with the surcharge, quoted to the customer.",
    )
    supplier_amount = fields.Monetary(
        string="Recovered from Suppliers",
        readonly=True,
        groups="aftersales_service.group_aftersales_user",
        help="What responsible suppliers owe for approved claims, deducted from "
        "their warranty deposits.",
    )

    @property
    def _table_query(self):
        # Paid service is quoted to the customer: its quotation says what
        # they pay (the cost with the surcharge) once it exists.
        paid = SQL("COALESCE(c.handling_method = 'paid_repair', FALSE)")
        return SQL(
            """
            SELECT c.id AS id,
                   c.id AS claim_id,
                   c.name AS name,
                   c.date AS date,
                   c.failure_date AS failure_date,
                   c.company_id AS company_id,
                   company.currency_id AS currency_id,
                   c.state AS state,
                   c.station_id AS station_id,
                   c.region_id AS region_id,
                   c.partner_id AS partner_id,
                   c.product_id AS product_id,
                   tmpl.categ_id AS product_categ_id,
                   c.part_id AS part_id,
                   c.supplier_id AS supplier_id,
                   c.responsibility AS responsibility,
                   c.handling_method AS handling_method,
                   COALESCE(c.eligible, FALSE) AS eligible,
                   1 AS nbr,
                   COALESCE(c.parts_cost, 0) AS parts_cost,
                   COALESCE(c.labour_cost, 0) AS labour_cost,
                   COALESCE(c.total_cost, 0) AS total_cost,
                   CASE WHEN %(paid)s OR c.state = 'rejected' THEN 0
                        ELSE COALESCE(c.total_cost, 0) END AS warranty_cost,
                   CASE WHEN NOT %(paid)s THEN 0
                        WHEN so.id IS NOT NULL THEN so.amount_untaxed
                        ELSE ROUND(COALESCE(c.total_cost, 0)
                            * (1 + COALESCE(c.surcharge_percent, 0) / 100.0), 2)
                        END AS customer_amount,
                   COALESCE(c.supplier_amount, 0) AS supplier_amount
              FROM aftersales_claim c
              JOIN res_company company ON company.id = c.company_id
              LEFT JOIN sale_order so
                     ON so.id = c.sale_order_id AND so.state != 'cancel'
              LEFT JOIN product_product product ON product.id = c.product_id
              LEFT JOIN product_template tmpl ON tmpl.id = product.product_tmpl_id
            """,
            paid=paid,
        )
