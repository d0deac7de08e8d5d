# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

from .aftersales_supplier_deposit_movement import FINANCE, MANAGER


class AftersalesSupplierDepositMovement(models.Model):
    """A large deduction from a supplier's deposit (配套厂家的大额度赔偿, seed
    001 §8.8) is reviewed by the quality manager and the general manager
    before the after-sales manager approves it and finance posts it."""

    _name = "aftersales.supplier.deposit.movement"
    _inherit = ["aftersales.supplier.deposit.movement", "aftersales.tier.validation"]

    _state_from = ["proposed"]
    _state_to = ["approved"]
    _cancel_state = "cancel"
    _tier_validation_free_fields = frozenset({"name"})

    approval_threshold_exceeded = fields.Boolean(
        string="Above the Approval Threshold",
        compute="_compute_approval_threshold_exceeded",
        search="_search_approval_threshold_exceeded",
        help="A deduction whose amount, in the company's currency, exceeds the "
        "company's approval threshold.",
    )

    @api.depends(
        "kind",
        "amount",
        "date",
        "currency_id",
        "reversal_of_id",
        "company_id.aftersales_approval_threshold",
    )
    def _compute_approval_threshold_exceeded(self):
        for movement in self:
            movement.approval_threshold_exceeded = movement._exceeds_threshold()

    def _exceeds_threshold(self):
        self.ensure_one()
        company = self.company_id
        threshold = company.aftersales_approval_threshold
        if self.kind != "deduction" or self.reversal_of_id or threshold <= 0:
            return False
        amount = self.currency_id._convert(
            self.amount,
            company.currency_id,
            company,
            self.date or fields.Date.context_today(self),
        )
        return company.currency_id.compare_amounts(amount, threshold) > 0

    @api.model
    def _search_approval_threshold_exceeded(self, operator, value):
        if operator not in ("=", "!=") or value not in (True, False):
            raise UserError(self.env._("Search this field for Yes or No only."))
        deductions = [("kind", "=", "deduction"), ("reversal_of_id", "=", False)]
        domains = []
        for company in (
            self.env["res.company"]
            .sudo()
            .search([("aftersales_approval_threshold", ">", 0)])
        ):
            same_currency = [
                ("company_id", "=", company.id),
                ("currency_id", "=", company.currency_id.id),
                ("amount", ">", company.aftersales_approval_threshold),
            ]
            # Foreign-currency deposits are few: converted one by one.
            foreign = self.search(
                [
                    *deductions,
                    ("company_id", "=", company.id),
                    ("currency_id", "!=", company.currency_id.id),
                ]
            ).filtered(lambda m: m._exceeds_threshold())
            domains += [same_currency, [("id", "in", foreign.ids)]]
        domain = expression.AND(
            [deductions, expression.OR(domains or [expression.FALSE_DOMAIN])]
        )
        if (operator == "=") == bool(value):
            return domain
        return ["!", *expression.normalize_domain(domain)]

    def _tier_reasons(self):
        self.ensure_one()
        if not self.approval_threshold_exceeded:
            return ""
        company = self.company_id
        return self.env._(
            "%(amount)s is above %(threshold)s",
            amount=self.currency_id.format(self.amount),
            threshold=company.currency_id.format(company.aftersales_approval_threshold),
        )

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------

    def _check_tier_requester(self):
        self._check_any_group(
            (MANAGER, FINANCE),
            self.env._(
                "Only the after-sales manager and finance request the review "
                "of deposit movements."
            ),
        )

    def _approve(self):
        self._check_tier_approval()
        return super()._approve()

    def _on_tier_rejected(self):
        """A rejected deduction is cancelled: Back to Proposed reworks it.

        The reviewer may only read deductions: the rejection is the authority.
        """
        movement = self.sudo()
        movement.deposit_id._lock_for_update()
        movement._move_to("cancel")
        movement.message_post(
            body=self.env._(
                "Cancelled: its review was rejected. Set it back to proposed to "
                "rework it and request its validation again."
            ),
            subtype_xmlid="mail.mt_note",
        )
