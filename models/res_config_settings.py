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
    aftersales_week_rule = fields.Selection(
        related="company_id.aftersales_week_rule",
        readonly=False,
    )
    aftersales_settlement_days = fields.Integer(
        related="company_id.aftersales_settlement_days",
        readonly=False,
    )
    aftersales_returns_location_id = fields.Many2one(
        related="company_id.aftersales_returns_location_id",
        readonly=False,
    )
    aftersales_return_require_claim = fields.Boolean(
        related="company_id.aftersales_return_require_claim",
        readonly=False,
    )
    aftersales_deposit_rate = fields.Float(
        related="company_id.aftersales_deposit_rate",
        readonly=False,
    )
    aftersales_deposit_months = fields.Integer(
        related="company_id.aftersales_deposit_months",
        readonly=False,
    )
    aftersales_deposit_journal_id = fields.Many2one(
        related="company_id.aftersales_deposit_journal_id",
        readonly=False,
    )
    aftersales_retention_account_id = fields.Many2one(
        related="company_id.aftersales_retention_account_id",
        readonly=False,
    )
    aftersales_recovery_account_id = fields.Many2one(
        related="company_id.aftersales_recovery_account_id",
        readonly=False,
    )
    aftersales_retention_receivable_account_id = fields.Many2one(
        related="company_id.aftersales_retention_receivable_account_id",
        readonly=False,
    )
    aftersales_plan_history_months = fields.Integer(
        related="company_id.aftersales_plan_history_months",
        readonly=False,
    )
    aftersales_abc_a_share = fields.Float(
        related="company_id.aftersales_abc_a_share",
        readonly=False,
    )
    aftersales_abc_b_share = fields.Float(
        related="company_id.aftersales_abc_b_share",
        readonly=False,
    )
    aftersales_safety_months_a = fields.Float(
        related="company_id.aftersales_safety_months_a",
        readonly=False,
    )
    aftersales_safety_months_b = fields.Float(
        related="company_id.aftersales_safety_months_b",
        readonly=False,
    )
    aftersales_safety_months_c = fields.Float(
        related="company_id.aftersales_safety_months_c",
        readonly=False,
    )
    aftersales_approval_threshold = fields.Monetary(
        related="company_id.aftersales_approval_threshold",
        currency_field="company_currency_id",
        readonly=False,
    )
    aftersales_service_lead_days = fields.Integer(
        related="company_id.aftersales_service_lead_days",
        readonly=False,
    )
    aftersales_service_final_days = fields.Integer(
        related="company_id.aftersales_service_final_days",
        readonly=False,
    )
