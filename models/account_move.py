# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    aftersales_station_id = fields.Many2one(
        comodel_name="aftersales.station",
        string="Service Station",
        index="btree_not_null",
        readonly=True,
        copy=False,
        help="Station whose spare-parts deposit this entry records.",
    )
