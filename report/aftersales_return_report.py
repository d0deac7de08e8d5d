# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models
from odoo.tools import SQL

from ..models.aftersales_return_batch import COUNTED_STATES
from .report_selection import selection_of

LINE = "aftersales.return.batch.line"


class AftersalesReturnReport(models.Model):
    """Returned goods, one row per return line, for the statistics.

    Received is the factory's count once the batch is received: before that
    the goods are only announced (a shipped batch's prefilled count is not a
    count yet).
    """

    _name = "aftersales.return.report"
    _description = "Returned Goods Statistics"
    _auto = False
    _order = "date desc"

    line_id = fields.Many2one(comodel_name=LINE, string="Return Line", readonly=True)
    batch_id = fields.Many2one(
        comodel_name="aftersales.return.batch", string="Return Batch", readonly=True
    )
    date = fields.Date(string="Month", readonly=True)
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    state = fields.Selection(
        selection=selection_of("aftersales.return.batch", "state"),
        string="Batch Status",
        readonly=True,
    )
    region_id = fields.Many2one(comodel_name="aftersales.region", readonly=True)
    office_partner_id = fields.Many2one(
        comodel_name="res.partner", string="Office", readonly=True
    )
    station_id = fields.Many2one(
        comodel_name="aftersales.station", string="Source Station", readonly=True
    )
    claim_id = fields.Many2one(
        comodel_name="aftersales.claim", string="Source Claim", readonly=True
    )
    product_id = fields.Many2one(comodel_name="product.product", readonly=True)
    product_categ_id = fields.Many2one(
        comodel_name="product.category", string="Product Category", readonly=True
    )
    reason = fields.Selection(selection=selection_of(LINE, "reason"), readonly=True)
    condition = fields.Selection(
        selection=selection_of(LINE, "condition"), readonly=True
    )
    settlement = fields.Selection(
        selection=selection_of(LINE, "settlement"), readonly=True
    )
    nbr = fields.Integer(string="# Lines", readonly=True, aggregator="sum")
    quantity = fields.Float(
        string="Announced", digits="Product Unit of Measure", readonly=True
    )
    received_qty = fields.Float(
        string="Received", digits="Product Unit of Measure", readonly=True
    )
    difference = fields.Float(digits="Product Unit of Measure", readonly=True)

    @property
    def _table_query(self):
        counted = SQL("b.state IN %s", COUNTED_STATES)
        return SQL(
            """
            SELECT l.id AS id,
                   l.id AS line_id,
                   b.id AS batch_id,
                   b.period_date AS date,
                   b.company_id AS company_id,
                   b.state AS state,
                   b.region_id AS region_id,
                   b.office_partner_id AS office_partner_id,
                   l.station_id AS station_id,
                   l.claim_id AS claim_id,
                   l.product_id AS product_id,
                   tmpl.categ_id AS product_categ_id,
                   l.reason AS reason,
                   l.condition AS condition,
                   l.settlement AS settlement,
                   1 AS nbr,
                   COALESCE(l.quantity, 0) AS quantity,
                   CASE WHEN %(counted)s THEN COALESCE(l.received_qty, 0)
                        ELSE 0 END AS received_qty,
                   CASE WHEN %(counted)s THEN COALESCE(l.difference, 0)
                        ELSE 0 END AS difference
              FROM aftersales_return_batch_line l
              JOIN aftersales_return_batch b ON b.id = l.batch_id
              LEFT JOIN product_product product ON product.id = l.product_id
              LEFT JOIN product_template tmpl ON tmpl.id = product.product_tmpl_id
            """,
            counted=counted,
        )
