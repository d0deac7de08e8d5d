# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    aftersales_auto_voucher = fields.Boolean(
        string="Issue Vouchers on Delivery",
        default=True,
        help="Issue a warranty voucher for every tracked product delivered "
        "to a customer when a policy applies to it.",
    )
    aftersales_inspection_threshold = fields.Integer(
        string="Inspection Pass Score",
        default=60,
        help="Inspections scoring below it schedule a follow-up on the station.",
    )
    aftersales_station_deposit_account_id = fields.Many2one(
        comodel_name="account.account",
        string="Station Deposit Account",
        check_company=True,
        help="Liability account holding the spare-parts deposits stations pay.",
    )
    aftersales_station_deposit_journal_id = fields.Many2one(
        comodel_name="account.journal",
        string="Station Deposit Journal",
        check_company=True,
        domain="[('type', 'in', ('bank', 'cash'))]",
    )
    aftersales_recruitment_team_id = fields.Many2one(
        comodel_name="crm.team",
        string="Station Recruitment Team",
        check_company=True,
        help="Sales team whose pipeline recruits service stations: winning one "
        "of its opportunities creates or activates the station.",
    )
    aftersales_max_onsite_hours = fields.Float(
        string="Longest On-Site Deadline (hours)",
        default=72.0,
        help="No on-site SLA rule may allow more working hours (seed 002: 72 h).",
    )
    aftersales_quality_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Quality Engineer",
        domain="[('share', '=', False)]",
        help="Receives the quality information that claims raise.",
    )
    aftersales_week_rule = fields.Selection(
        selection=[
            ("days", "Days 1-7, 8-14, 15-21, 22-28"),
            ("monday", "Monday-to-Sunday weeks from the month's first Monday"),
        ],
        string="Return Week Rule",
        default="days",
        required=True,
        help="What week N of the month means for the return schedule.",
    )
    aftersales_settlement_days = fields.Integer(
        string="Settlement Delay (days)",
        default=3,
        help="Days after arrival by which each returned line is settled.",
    )
    aftersales_returns_location_id = fields.Many2one(
        comodel_name="stock.location",
        string="Factory Returns Location",
        check_company=True,
        domain="[('usage', '=', 'internal')]",
        help="Where the factory receives the offices' defective goods.",
    )
    aftersales_return_require_claim = fields.Boolean(
        string="Only Goods Returned by Stations",
        help="Each line of a return batch must come from an approved claim of a "
        "station of the batch's region.",
    )
    aftersales_deposit_rate = fields.Float(
        string="Supplier Deposit Rate (%)",
        default=5.0,
        digits=(16, 2),
        help="Share of each supplier bill withheld as warranty deposit, by default.",
    )
    aftersales_deposit_months = fields.Integer(
        string="Supplier Deposit Period (months)",
        default=12,
        help="Warranty period a new supplier deposit is held for (seed 003: one "
        "year after the formal handover).",
    )
    aftersales_deposit_journal_id = fields.Many2one(
        comodel_name="account.journal",
        string="Supplier Deposit Journal",
        check_company=True,
        domain="[('type', '=', 'general')]",
    )
    aftersales_retention_account_id = fields.Many2one(
        comodel_name="account.account",
        string="Warranty Retention Account",
        check_company=True,
        domain="[('account_type', 'in', ('liability_current', "
        "'liability_non_current'))]",
        help="Liability account holding what is withheld from suppliers.",
    )
    aftersales_retention_receivable_account_id = fields.Many2one(
        comodel_name="account.account",
        string="Retention Receivable Account",
        check_company=True,
        domain="[('account_type', 'in', ('asset_current', 'asset_non_current'))]",
        help="Asset account holding what customers withhold from the invoices "
        "of engineering projects until their warranty ends (工程质量保证金).",
    )
    aftersales_recovery_account_id = fields.Many2one(
        comodel_name="account.account",
        string="After-Sales Cost Recovery Account",
        check_company=True,
        help="Credited with the after-sales costs deducted from supplier deposits.",
    )
    aftersales_plan_history_months = fields.Integer(
        string="Plan History (months)",
        default=6,
        help="Months of consumption a monthly spare-parts plan is proposed from.",
    )
    aftersales_abc_a_share = fields.Float(
        string="Class A Share (%)",
        default=80.0,
        help="Parts making the first share of the consumption value are class A.",
    )
    aftersales_abc_b_share = fields.Float(
        string="Class B Share (%)",
        default=95.0,
        help="Then class B up to this share; the rest is class C.",
    )
    aftersales_safety_months_a = fields.Float(
        string="Safety Stock A (months)",
        default=1.5,
        help="Safety stock of class A parts, in months of average consumption.",
    )
    aftersales_safety_months_b = fields.Float(
        string="Safety Stock B (months)",
        default=1.0,
    )
    aftersales_safety_months_c = fields.Float(
        string="Safety Stock C (months)",
        default=0.5,
    )
    aftersales_service_lead_days = fields.Integer(
        string="Inspection Lead Time (days)",
        default=14,
        help="Days before a periodic inspection is due that its service "
        "request is opened and the station reminded.",
    )
    aftersales_service_final_days = fields.Integer(
        string="Last Inspection Notice (days)",
        default=30,
        help="Days before a warranty ends that the customer is invited to a "
        "last inspection, when the voucher's plan asks for one.",
    )

    aftersales_approval_threshold = fields.Monetary(
        string="Approval Threshold",
        currency_field="currency_id",
        default=20000.0,
        help="A claim compensation or a supplier deposit deduction above this "
        "amount is reviewed by the quality manager and approved by the general "
        "manager (seed 001 §8.8); 0 reviews no claim for its amount.",
    )

    def write(self, vals):
        if "partner_id" in vals:
            # The warranty check's cache of each company's partner.
            self.env.registry.clear_cache()
        return super().write(vals)

    @api.constrains("aftersales_approval_threshold")
    def _check_approval_threshold(self):
        for company in self:
            if company.aftersales_approval_threshold < 0:
                raise ValidationError(
                    self.env._("The approval threshold cannot be negative.")
                )

    @api.constrains(
        "aftersales_abc_a_share",
        "aftersales_abc_b_share",
        "aftersales_safety_months_a",
        "aftersales_safety_months_b",
        "aftersales_safety_months_c",
    )
    def _check_abc_settings(self):
        for company in self:
            if not (
                0
                < company.aftersales_abc_a_share
                <= company.aftersales_abc_b_share
                <= 100
            ):
                raise ValidationError(
                    self.env._("Class shares need 0 < A <= B <= 100 percent.")
                )
            if (
                min(
                    company.aftersales_safety_months_a,
                    company.aftersales_safety_months_b,
                    company.aftersales_safety_months_c,
                )
                < 0
            ):
                raise ValidationError(
                    self.env._("Safety stock months cannot be negative.")
                )

    @api.constrains("aftersales_service_lead_days", "aftersales_service_final_days")
    def _check_inspection_settings(self):
        for company in self:
            days = (
                company.aftersales_service_lead_days,
                company.aftersales_service_final_days,
            )
            if not all(0 <= value <= 3650 for value in days):
                raise ValidationError(
                    self.env._(
                        "The inspection lead time and the last inspection's "
                        "notice are between 0 and 3650 days."
                    )
                )
