# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_auto_voucher = fields.Boolean(
        related="company_id.aftersales_auto_voucher",
        readonly=False,
    )
    aftersales_inspection_threshold = fields.Integer(
        related="company_id.aftersales_inspection_threshold",
        readonly=False,
    )
    aftersales_station_deposit_account_id = fields.Many2one(
        related="company_id.aftersales_station_deposit_account_id",
        readonly=False,
    )
    aftersales_station_deposit_journal_id = fields.Many2one(
        related="company_id.aftersales_station_deposit_journal_id",
        readonly=False,
    )
    aftersales_recruitment_team_id = fields.Many2one(
        related="company_id.aftersales_recruitment_team_id",
        readonly=False,
    )
    aftersales_quality_user_id = fields.Many2one(
        related="company_id.aftersales_quality_user_id",
        readonly=False,
    )
    aftersales_max_onsite_hours = fields.Float(
        related="company_id.aftersales_max_onsite_hours",
        readonly=False,
    )
