# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models
from odoo.tools import SQL

from .report_selection import selection_of

VOUCHER = "aftersales.warranty.voucher"


class AftersalesVoucherReport(models.Model):
    """Warranty vouchers, one row per voucher, for the statistics.

    A voucher counts as issued in the month its warranty starts; drafts are
    not issued yet and void vouchers never were.
    """

    _name = "aftersales.voucher.report"
    _description = "Warranty Vouchers Statistics"
    _auto = False
    _order = "date desc"

    voucher_id = fields.Many2one(
        comodel_name=VOUCHER, string="Warranty Voucher", readonly=True
    )
    date = fields.Date(string="Start Date", readonly=True)
    date_end = fields.Date(string="End Date", readonly=True)
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    state = fields.Selection(
        selection=selection_of(VOUCHER, "state"), string="Status", readonly=True
    )
    product_id = fields.Many2one(comodel_name="product.product", readonly=True)
    product_categ_id = fields.Many2one(
        comodel_name="product.category", string="Product Category", readonly=True
    )
    policy_id = fields.Many2one(
        comodel_name="aftersales.warranty.policy", readonly=True
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner", string="Holder", readonly=True
    )
    holder_type = fields.Selection(
        selection=selection_of(VOUCHER, "holder_type"), readonly=True
    )
    nbr = fields.Integer(string="# Issued", readonly=True, aggregator="sum")
    active_nbr = fields.Integer(string="# Active", readonly=True, aggregator="sum")
    quantity = fields.Float(digits="Product Unit of Measure", readonly=True)

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT v.id AS id,
                   v.id AS voucher_id,
                   v.date_start AS date,
                   v.date_end AS date_end,
                   v.company_id AS company_id,
                   v.state AS state,
                   v.product_id AS product_id,
                   tmpl.categ_id AS product_categ_id,
                   v.policy_id AS policy_id,
                   v.partner_id AS partner_id,
                   v.holder_type AS holder_type,
                   1 AS nbr,
                   CASE WHEN v.state = 'active' THEN 1 ELSE 0 END AS active_nbr,
                   COALESCE(v.quantity, 0) AS quantity
              FROM aftersales_warranty_voucher v
              JOIN product_product product ON product.id = v.product_id
              JOIN product_template tmpl ON tmpl.id = product.product_tmpl_id
             WHERE v.state IN ('active', 'expired')
            """
        )
