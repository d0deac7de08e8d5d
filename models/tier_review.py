# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models
from odoo.exceptions import UserError

from .aftersales_tier_validation import in_review_scope

# What anyone who may write reviews may still change on an after-sales
# document's review: its turn coming (base_tier_validation recomputes it for
# whoever acts) and its reminders.
FREE_FIELDS = frozenset({"can_review", "last_reminder_date"})


class TierReview(models.Model):
    _inherit = "tier.review"

    @api.model
    def _aftersales_models(self):
        return self.env["tier.definition"]._aftersales_tier_models()

    def _aftersales_guarded(self):
        return not (self.env.su or in_review_scope())

    @api.model_create_multi
    def create(self, vals_list):
        if self._aftersales_guarded() and any(
            vals.get("model") in self._aftersales_models() for vals in vals_list
        ):
            # The rights first: who may not create reviews learns nothing more.
            self.browse().check_access("create")
            raise UserError(
                self.env._(
                    "Reviews of after-sales documents are created by Request "
                    "Validation only."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        if self._aftersales_guarded():
            ours = self.filtered(lambda r: r.model in self._aftersales_models())
            if ours:
                ours.check_access("write")
                ours._check_aftersales_write(vals)
        return super().write(vals)

    def _check_aftersales_write(self, vals):
        """Outside Validate and Reject, a review only becomes pending and
        takes its reviewer's comment."""
        refused = set(vals) - FREE_FIELDS - {"status", "comment"}
        if vals.get("status", "pending") != "pending":
            refused.add("status")
        if "comment" in vals and any(
            self.env.user not in review.reviewer_ids for review in self
        ):
            refused.add("comment")
        if refused:
            raise UserError(
                self.env._(
                    "Reviews of after-sales documents change through Validate "
                    "and Reject only (%(fields)s).",
                    fields=", ".join(sorted(refused)),
                )
            )
