# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import contextvars
from contextlib import contextmanager

from odoo import api, models
from odoo.exceptions import AccessError, UserError

from .aftersales_workflow_mixin import ALWAYS_WRITABLE

# Documents whose reviews are requested, validated and rejected here only.
# A server-side context variable, not an Odoo context key: no RPC caller can
# open it; tier.review refuses other changes of these documents' reviews.
_IN_REVIEW = contextvars.ContextVar("aftersales_in_review", default=False)


@contextmanager
def review_scope():
    token = _IN_REVIEW.set(True)
    try:
        yield
    finally:
        _IN_REVIEW.reset(token)


def in_review_scope():
    return _IN_REVIEW.get()


class AftersalesTierValidation(models.AbstractModel):
    """OCA ``base_tier_validation`` on after-sales documents, with the rules
    the server must hold whoever calls it:

    - only the document's requesters request or restart a review;
    - a reviewer validates or rejects the tier whose turn it is, if they are
      one of its reviewers (the comment wizard included);
    - reviews are created, validated and rejected by these methods only
      (see ``tier.review``), so that the document's transition can trust
      them: :meth:`_check_tier_approval` refuses to leave the review state
      until every tier that applies is validated;
    - a rejection posts who rejected and sends the document back
      (:meth:`_on_tier_rejected`);
    - what was reviewed does not change under review: the OCA write lock
      without its context-key bypass, the document's transitions and
      ``_tier_validation_free_fields`` aside.
    """

    _name = "aftersales.tier.validation"
    _description = "After-Sales Tier Validation"
    _inherit = ["tier.validation"]

    # Buttons, banner and reviews are added to the form by base_tier_validation.
    _tier_validation_manual_config = False
    # Fields that may change under review: they change neither the amount
    # nor what the reviewers decide on.
    _tier_validation_free_fields = frozenset()

    # ------------------------------------------------------------------
    # Who requests; whose turn it is
    # ------------------------------------------------------------------

    def _check_tier_requester(self):
        """Refuse users who may not request this document's review."""
        raise NotImplementedError

    def request_validation(self):
        self._check_tier_requester()
        with review_scope():
            reviews = super().request_validation()
            # The first tier turns pending now, not at the next flush: its
            # reviewer's queue and the comment wizard see it at once.
            reviews.flush_recordset(["can_review"])
        return reviews

    def restart_validation(self):
        self._check_tier_requester()
        return super().restart_validation()

    def _tier_reviews_to_act(self, tiers=None):
        """The open reviews the current user may validate or reject now
        (among ``tiers`` when given); refused when there is none."""
        self.ensure_one()
        user = self.env.user
        open_reviews = self.review_ids.filtered(
            lambda r: r.status in ("waiting", "pending")
        )
        mine = open_reviews.filtered(lambda r: user in r.reviewer_ids)
        if not mine:
            raise AccessError(
                self.env._(
                    "You are not a reviewer of %(record)s.",
                    record=self.display_name,
                )
            )
        if self[self._state_field] not in self._state_from:
            raise UserError(
                self.env._(
                    "%(record)s is %(state)s: its review is closed.",
                    record=self.display_name,
                    state=self._state_label(self[self._state_field]),
                )
            )
        if self.validation_status == "rejected":
            raise UserError(
                self.env._(
                    "The review of %(record)s was rejected.",
                    record=self.display_name,
                )
            )
        sequences = self._get_sequences_to_approve(user)
        reviews = mine.filtered(lambda r: r.sequence in sequences)
        if tiers is not None:
            reviews &= tiers
        if not reviews:
            first = open_reviews.sorted("sequence")[:1]
            raise UserError(
                self.env._(
                    "%(record)s waits for %(review)s (%(who)s) first.",
                    record=self.display_name,
                    review=first.name,
                    who=first.todo_by,
                )
            )
        return reviews

    # ------------------------------------------------------------------
    # Validate and reject
    # ------------------------------------------------------------------

    def validate_tier(self):
        self.ensure_one()
        self._tier_reviews_to_act()
        return super().validate_tier()

    def reject_tier(self):
        self.ensure_one()
        self._tier_reviews_to_act()
        return super().reject_tier()

    def _validate_tier(self, tiers=False):
        # Also the comment wizard's way in: it names its reviews.
        reviews = self._tier_reviews_to_act(tiers or None)
        with review_scope():
            result = super()._validate_tier(reviews)
        for review in reviews.filtered(lambda r: r.status == "approved"):
            self._post_review_message(
                self.env._(
                    "%(review)s: validated by %(user)s.",
                    review=review.name,
                    user=self.env.user.name,
                ),
                review,
            )
        return result

    def _rejected_tier(self, tiers=False):
        reviews = self._tier_reviews_to_act(tiers or None)
        with review_scope():
            result = super()._rejected_tier(reviews)
        rejected = reviews.filtered(lambda r: r.status == "rejected")
        for review in rejected:
            self._post_review_message(
                self.env._(
                    "%(review)s: rejected by %(user)s.",
                    review=review.name,
                    user=self.env.user.name,
                ),
                review,
            )
        if rejected:
            self._on_tier_rejected()
        return result

    def _post_review_message(self, body, review):
        if review.comment:
            body = self.env._(
                "%(body)s Comment: %(comment)s", body=body, comment=review.comment
            )
        # A reviewer may only read the document: the review is the authority.
        self.sudo().message_post(body=body, subtype_xmlid="mail.mt_note")

    def _on_tier_rejected(self):
        """Send the document back to be reworked."""
        raise NotImplementedError

    # ------------------------------------------------------------------
    # The gate of the document's transition
    # ------------------------------------------------------------------

    def _tier_definitions(self, company_definitions=None):
        """The tier definitions that apply to this document now.

        ``company_definitions`` caches each company's definitions over a
        batch: one query per company, not per document.
        """
        self.ensure_one()
        company = self._get_company()
        cache = {} if company_definitions is None else company_definitions
        if company not in cache:
            cache[company] = self.env["tier.definition"].search(
                [
                    ("model", "=", self._name),
                    ("company_id", "in", [False, *company.ids]),
                ]
            )
        return cache[company].filtered(lambda d: self.evaluate_tier(d))

    def _check_tier_approval(self):
        """Refuse documents in review whose applicable tiers are not all
        validated: not requested yet, pending, or rejected."""
        company_definitions = {}
        for record in self:
            if record[self._state_field] not in self._state_from:
                continue  # the transition itself says what is wrong
            definitions = record._tier_definitions(company_definitions)
            reviews = record.review_ids
            if not reviews:
                if definitions:
                    raise UserError(
                        self.env._(
                            "%(record)s needs the review of %(tiers)s first "
                            "(%(reasons)s): request its validation.",
                            record=record.display_name,
                            tiers=", ".join(definitions.mapped("name")),
                            reasons=record._tier_reasons(),
                        )
                    )
                continue
            if record.validation_status == "rejected":
                raise UserError(
                    self.env._(
                        "The review of %(record)s was rejected: rework it and "
                        "request its validation again.",
                        record=record.display_name,
                    )
                )
            if record.validation_status != "validated":
                waiting = reviews.filtered(
                    lambda r: r.status in ("waiting", "pending")
                ).sorted("sequence")[:1]
                raise UserError(
                    self.env._(
                        "%(record)s is under review: %(review)s (%(who)s) has "
                        "not validated it yet.",
                        record=record.display_name,
                        review=waiting.name,
                        who=waiting.todo_by,
                    )
                )
            missing = definitions - reviews.definition_id
            if missing:
                # Validated before a tier applied (its rules changed since).
                raise UserError(
                    self.env._(
                        "%(record)s also needs the review of %(tiers)s: restart "
                        "its validation.",
                        record=record.display_name,
                        tiers=", ".join(missing.mapped("name")),
                    )
                )

    def _tier_reasons(self):
        """Why this document needs a review, in words."""
        return ""

    # ------------------------------------------------------------------
    # base_tier_validation's write lock, as the server's rules need it
    # ------------------------------------------------------------------

    def _tier_validation_check_write_allowed(self, vals):
        # Both of the wheel's checks concern documents with reviews: skip the
        # others in one read, not one exception query per written record.
        reviewed = self.filtered("review_ids")
        if not reviewed:
            return None
        # "skip_validation_check" is a context key any RPC caller can send:
        # it never unlocks what is under review here.
        return super(
            AftersalesTierValidation,
            reviewed.with_context(skip_validation_check=False),
        )._tier_validation_check_write_allowed(vals)

    def _check_allow_write_under_validation(self, vals):
        if self._written_by_transition():
            return True
        if set(vals) <= self._tier_validation_free_fields | ALWAYS_WRITABLE:
            return True
        return super()._check_allow_write_under_validation(vals)

    @api.model
    def _get_under_validation_exceptions(self):
        return list(
            set(super()._get_under_validation_exceptions())
            | self._tier_validation_free_fields
        )

    @api.model
    def _get_all_validation_exceptions(self):
        return list(
            set(super()._get_all_validation_exceptions())
            | self._tier_validation_free_fields
        )

    def _get_tier_validation_readonly_domain(self):
        # Read-only while in review only: sent back, the document is reworked.
        return (
            f"validation_status not in ('no', False) and "
            f"{self._state_field} in {tuple(self._state_from)!r}"
        )

    def _allow_to_remove_reviews(self, values):
        """Entering the review state starts afresh; leaving it other than
        forward drops the open reviews, a rejection staying as the trail."""
        state_to = values.get(self._state_field)
        if not state_to:
            return False
        state_from = self._tier_validation_get_current_state_value()
        if state_to in self._state_from:
            return state_from not in self._state_from
        if state_from in self._state_from and state_to not in self._state_to:
            return self.validation_status != "rejected"
        return False
