# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression


class AftersalesClaim(models.Model):
    """The quality manager's review and the general manager's approval of
    large claims and of claims paid without the part returned (seed 001
    §8.8), as tiers of OCA ``base_tier_validation`` between the appraisal and
    the after-sales manager's approval."""

    _name = "aftersales.claim"
    _inherit = ["aftersales.claim", "aftersales.tier.validation"]

    _state_from = ["appraised"]
    _state_to = ["approved"]
    _cancel_state = "rejected"
    # Completing the file under review: neither the amount nor the parts.
    _tier_validation_free_fields = frozenset(
        {
            "handling_note",
            "photo_ids",
            "customer_signature",
            "customer_signed_by",
            "station_signature",
            "station_signed_by",
        }
    )

    approval_threshold_exceeded = fields.Boolean(
        string="Above the Approval Threshold",
        compute="_compute_approval_review",
        search="_search_approval_threshold_exceeded",
        help="The compensation exceeds the company's approval threshold.",
    )
    approval_without_return = fields.Boolean(
        string="Paid without the Part Returned",
        compute="_compute_approval_review",
        search="_search_approval_without_return",
        help="The claim pays a compensation but no line goes back to the factory.",
    )
    approval_review_reason = fields.Char(
        string="Review Needed Because",
        compute="_compute_approval_review",
    )

    @api.depends(
        "total_cost",
        "handling_method",
        "line_ids.return_required",
        "company_id.aftersales_approval_threshold",
    )
    def _compute_approval_review(self):
        for claim in self:
            threshold = claim.company_id.aftersales_approval_threshold
            paid = claim._pays_compensation()
            claim.approval_threshold_exceeded = (
                paid
                and threshold > 0
                and claim.currency_id.compare_amounts(claim.total_cost, threshold) > 0
            )
            claim.approval_without_return = paid and not any(
                claim.line_ids.mapped("return_required")
            )
            claim.approval_review_reason = claim._tier_reasons()

    def _pays_compensation(self):
        """Whether the company pays for this claim: a cost that the customer
        does not pay as paid service."""
        self.ensure_one()
        return self.handling_method != "paid_repair" and self.total_cost > 0

    @api.model
    def _compensation_domain(self):
        return [("handling_method", "!=", "paid_repair"), ("total_cost", ">", 0)]

    @api.model
    def _search_approval_threshold_exceeded(self, operator, value):
        companies = (
            self.env["res.company"]
            .sudo()
            .search([("aftersales_approval_threshold", ">", 0)])
        )
        domain = expression.OR(
            [
                [
                    ("company_id", "=", company.id),
                    ("total_cost", ">", company.aftersales_approval_threshold),
                ]
                for company in companies
            ]
            or [expression.FALSE_DOMAIN]
        )
        domain = expression.AND([self._compensation_domain(), domain])
        return self._boolean_search(operator, value, domain)

    @api.model
    def _search_approval_without_return(self, operator, value):
        domain = expression.AND(
            [
                self._compensation_domain(),
                [("line_ids", "not any", [("return_required", "=", True)])],
            ]
        )
        return self._boolean_search(operator, value, domain)

    @api.model
    def _boolean_search(self, operator, value, domain):
        if operator not in ("=", "!=") or value not in (True, False):
            raise UserError(self.env._("Search this field for Yes or No only."))
        if (operator == "=") == bool(value):
            return domain
        return ["!", *expression.normalize_domain(domain)]

    def _tier_reasons(self):
        self.ensure_one()
        reasons = []
        if self.approval_threshold_exceeded:
            reasons.append(
                self.env._(
                    "%(amount)s is above %(threshold)s",
                    amount=self.currency_id.format(self.total_cost),
                    threshold=self.currency_id.format(
                        self.company_id.aftersales_approval_threshold
                    ),
                )
            )
        if self.approval_without_return:
            reasons.append(self.env._("no part goes back to the factory"))
        return "; ".join(reasons)

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------

    def _check_tier_requester(self):
        self._check_user()

    def action_approve(self):
        self._check_manager()
        self._lock_rows()
        self._check_tier_approval()
        return super().action_approve()

    def _on_tier_rejected(self):
        """A rejected review sends the claim back to be appraised again."""
        self._move_to("submitted")
        self.message_post(
            body=self.env._(
                "Sent back to the appraisal: its review was rejected. Rework "
                "it, appraise it and request its validation again."
            ),
            subtype_xmlid="mail.mt_note",
        )

    def _check_lines_editable(self):
        """What the reviewers decide on stays as they saw it."""
        result = super()._check_lines_editable()
        for claim in self:
            if claim.review_ids and claim.state in self._state_from:
                raise UserError(
                    self.env._(
                        "Claim %(claim)s is under review: its parts and labour "
                        "can no longer change. Send it back to the appraisal to "
                        "change them.",
                        claim=claim.name,
                    )
                )
        return result

    def _propose_supplier_deductions(self):
        """Large deductions proposed by the approval go to their review."""
        result = super()._propose_supplier_deductions()
        proposed = (
            self.env["aftersales.supplier.deposit.movement"]
            .sudo()
            .search([("claim_id", "in", self.ids), ("state", "=", "proposed")])
        )
        proposed.filtered("need_validation").request_validation()
        return result
