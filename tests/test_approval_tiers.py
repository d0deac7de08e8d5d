# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Seed 001 §8.8: the quality manager reviews, the general manager approves
large compensations and those paid without the part returned (OCA
base_tier_validation tiers on claims and deposit deductions)."""

from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, TransactionCase, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .test_claims import ClaimCommon
from .test_supplier_deposits import DepositCommon

THRESHOLD = 20000.0


class ApprovalCommon(ClaimCommon):
    @classmethod
    def setup_approval_data(cls):
        env = cls.env
        cls.company.aftersales_approval_threshold = THRESHOLD
        cls.quality = new_test_user(
            env,
            login="as_quality_manager",
            name="Test Quality Manager",
            groups="aftersales_service.group_aftersales_quality_manager",
        )
        cls.general = new_test_user(
            env,
            login="as_general_manager",
            name="Test General Manager",
            groups="aftersales_service.group_aftersales_general_manager",
        )

    def _large_lines(self, quantity=30):
        """30 compressors at 1,000 and 300 of labour: 30,300."""
        return [
            Command.create(
                {
                    "line_type": "part",
                    "product_id": self.compressor.id,
                    "quantity": quantity,
                }
            ),
            Command.create(
                {"line_type": "labour", "name": "Labour", "unit_cost": 300.0}
            ),
        ]

    def _appraised(self, **values):
        claim = self._claim(**values)
        claim.with_user(self.user).action_submit()
        claim.with_user(self.user).action_appraise()
        return claim

    def _large_claim(self, **values):
        return self._appraised(line_ids=self._large_lines(), **values)

    def _requested(self, **values):
        claim = self._large_claim(**values)
        claim.with_user(self.user).request_validation()
        return claim

    def _notes(self, record):
        return record.message_ids.mapped("body")


@tagged("post_install", "-at_install")
class TestApprovalTiers(ApprovalCommon, DepositCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_deposit_data()
        cls.setup_approval_data()

    # ------------------------------------------------------------ claims

    def test_below_threshold_with_part_returned_is_unchanged(self):
        claim = self._appraised()
        self.assertEqual(claim.total_cost, 1300.0)
        self.assertFalse(claim.approval_threshold_exceeded)
        self.assertFalse(claim.approval_without_return)
        self.assertFalse(claim.need_validation)
        self.assertFalse(claim.approval_review_reason)
        claim.with_user(self.manager).action_approve()
        self.assertEqual(claim.state, "approved")
        self.assertFalse(claim.review_ids)
        self.assertEqual(claim.validation_status, "no")

    def test_large_claim_is_reviewed_in_order_before_approval(self):
        claim = self._large_claim()
        self.assertEqual(claim.total_cost, 30300.0)
        self.assertTrue(claim.approval_threshold_exceeded)
        self.assertFalse(claim.approval_without_return)
        self.assertTrue(claim.need_validation)
        self.assertIn("is above", claim.approval_review_reason)
        manager = claim.with_user(self.manager)
        with self.assertRaisesText(UserError, "needs the review of .* request"):
            manager.action_approve()
        self.assertEqual(claim.state, "appraised")

        reviews = claim.with_user(self.user).request_validation()
        self.assertRecordValues(
            reviews.sorted("sequence"),
            [
                {"sequence": 1, "status": "pending", "reviewer_ids": self._ids(1)},
                {"sequence": 2, "status": "waiting", "reviewer_ids": self._ids(2)},
            ],
        )
        self.assertEqual(claim.validation_status, "pending")
        with self.assertRaisesText(UserError, "under review"):
            manager.action_approve()
        # The general manager's turn comes after the quality manager's.
        with self.assertRaisesText(UserError, "waits for Quality manager's review"):
            claim.with_user(self.general).validate_tier()
        self.assertEqual(reviews.mapped("status"), ["pending", "waiting"])

        self.assertTrue(claim.with_user(self.quality).can_review)
        self.assertFalse(claim.with_user(self.general).can_review)
        claim.with_user(self.quality).validate_tier()
        self.assertEqual(reviews.sorted("sequence").mapped("status")[0], "approved")
        self.assertEqual(claim.validation_status, "pending")
        with self.assertRaisesText(UserError, "under review.*General manager"):
            manager.action_approve()
        with self.assertRaises(AccessError):
            claim.with_user(self.quality).validate_tier()

        claim.with_user(self.general).validate_tier()
        self.assertEqual(claim.validation_status, "validated")
        self.assertEqual(reviews.mapped("done_by"), self.quality | self.general)
        manager.action_approve()
        self.assertEqual(claim.state, "approved")
        # The chatter records each review, by name.
        notes = " ".join(self._notes(claim))
        self.assertIn("Quality manager's review: validated by Test Quality", notes)
        self.assertIn("General manager's approval: validated by Test General", notes)

    def _ids(self, tier):
        group = "quality_manager" if tier == 1 else "general_manager"
        return self.env.ref(f"aftersales_service.group_aftersales_{group}").users.ids

    def test_claim_paid_without_the_part_returned_is_reviewed(self):
        cases = {
            "part kept by the station": [
                Command.create(
                    {
                        "line_type": "part",
                        "product_id": self.compressor.id,
                        "return_required": False,
                    }
                )
            ],
            "labour only": [
                Command.create(
                    {"line_type": "labour", "name": "Adjustment", "unit_cost": 80.0}
                )
            ],
        }
        for label, lines in cases.items():
            with self.subTest(label):
                claim = self._appraised(line_ids=lines)
                self.assertTrue(claim.approval_without_return)
                self.assertFalse(claim.approval_threshold_exceeded)
                self.assertIn("no part goes back", claim.approval_review_reason)
                self.assertTrue(claim.need_validation)
                with self.assertRaisesText(UserError, "request its validation"):
                    claim.with_user(self.manager).action_approve()
                claim.with_user(self.user).request_validation()
                claim.with_user(self.quality).validate_tier()
                claim.with_user(self.general).validate_tier()
                claim.with_user(self.manager).action_approve()
                self.assertEqual(claim.state, "approved")
        # No compensation, nothing to review: paid service, or no cost at all.
        paid = self._appraised(handling_method="paid_repair", line_ids=lines)
        empty = self._appraised(line_ids=[])
        for claim in paid | empty:
            self.assertFalse(claim.approval_without_return)
            self.assertFalse(claim.need_validation)
        empty.with_user(self.manager).action_approve()
        self.assertEqual(empty.state, "approved")

    def test_search_the_review_conditions(self):
        large = self._large_claim()
        kept = self._appraised(
            line_ids=[
                Command.create(
                    {"line_type": "labour", "name": "Adjustment", "unit_cost": 80.0}
                )
            ]
        )
        small = self._appraised()
        Claim = self.env["aftersales.claim"]
        scope = [("id", "in", (large | kept | small).ids)]
        self.assertEqual(
            Claim.search([*scope, ("approval_threshold_exceeded", "=", True)]), large
        )
        self.assertEqual(
            Claim.search([*scope, ("approval_without_return", "=", True)]), kept
        )
        self.assertEqual(
            Claim.search([*scope, ("approval_threshold_exceeded", "!=", True)]),
            kept | small,
        )
        with self.assertRaises(UserError):
            Claim.search([("approval_threshold_exceeded", ">", 1)])

    def test_rejection_sends_the_claim_back_to_the_appraisal(self):
        claim = self._requested()
        claim.with_user(self.quality).validate_tier()
        claim.with_user(self.general).reject_tier()
        self.assertEqual(claim.state, "submitted")
        self.assertEqual(claim.validation_status, "rejected")
        notes = " ".join(self._notes(claim))
        self.assertIn("General manager's approval: rejected by Test General", notes)
        self.assertIn("Sent back to the appraisal", notes)
        with self.assertRaisesText(UserError, "cannot go from"):
            claim.with_user(self.manager).action_approve()
        # Reworked: fewer compressors, appraised again, a fresh review.
        claim.line_ids[:1].with_user(self.user).write({"quantity": 25})
        claim.with_user(self.user).action_appraise()
        self.assertFalse(claim.review_ids)
        self.assertTrue(claim.need_validation)
        claim.with_user(self.user).request_validation()
        self.assertEqual(claim.validation_status, "pending")

    def test_quality_manager_rejection_closes_the_general_managers_tier(self):
        claim = self._requested()
        claim.with_user(self.quality).reject_tier()
        self.assertEqual(claim.state, "submitted")
        self.assertEqual(
            claim.review_ids.sorted("sequence").mapped("status"),
            ["rejected", "cancel"],
        )
        self.assertFalse(
            self.env["aftersales.claim"]
            .with_user(self.general)
            .search([("can_review", "=", True), ("id", "=", claim.id)])
        )

    def test_leaving_the_review_drops_open_reviews(self):
        claim = self._requested()
        claim.with_user(self.manager)._reject("Not our product")
        self.assertEqual(claim.state, "rejected")
        self.assertFalse(claim.review_ids)
        self.assertEqual(claim.validation_status, "no")

    def test_what_is_reviewed_cannot_change_under_review(self):
        claim = self._requested()
        line = claim.line_ids[:1]
        with self.assertRaisesText(UserError, "under review"):
            line.with_user(self.user).write({"quantity": 90})
        with self.assertRaisesText(UserError, "under review"):
            line.with_user(self.user).write({"return_required": False})
        with self.assertRaisesText(UserError, "under review"):
            line.with_user(self.user).unlink()
        with self.assertRaisesText(ValidationError, "under validation"):
            claim.with_user(self.user).with_context(skip_validation_check=True).write(
                {"line_ids": [Command.update(line.id, {"quantity": 90})]}
            )
        self.assertEqual(claim.total_cost, 30300.0)
        # Completing the file stays possible.
        claim.with_user(self.user).write(
            {"handling_note": "Compressors exchanged", "customer_signed_by": "Li"}
        )
        self.assertEqual(claim.handling_note, "Compressors exchanged")

    def test_reviews_change_through_validate_and_reject_only(self):
        claim = self._requested()
        first, second = claim.review_ids.sorted("sequence")
        Review = self.env["tier.review"]
        with self.assertRaisesText(UserError, "Request Validation only"):
            Review.with_user(self.general).create(
                {
                    "model": claim._name,
                    "res_id": claim.id,
                    "definition_id": second.definition_id.id,
                    "status": "approved",
                }
            )
        for user, review, values in (
            (self.general, second, {"status": "approved"}),
            (self.quality, first, {"status": "approved"}),
            (self.user, first, {"status": "cancel"}),
            (self.user, first, {"res_id": claim.id + 1}),
            (self.user, first, {"comment": "Fine"}),
        ):
            with (
                self.subTest(user=user.login, values=values),
                self.assertRaisesText(UserError, "Validate and Reject only"),
            ):
                review.with_user(user).write(values)
        # The comment wizard names its reviews: the turn still holds.
        wizard = (
            self.env["comment.wizard"]
            .with_user(self.general)
            .create(
                {
                    "res_model": claim._name,
                    "res_id": claim.id,
                    "review_ids": [Command.set(second.ids)],
                    "validate_reject": "validate",
                    "comment": "Approved in advance",
                }
            )
        )
        with self.assertRaisesText(UserError, "Validate and Reject only|waits for"):
            wizard.add_comment()
        self.assertEqual(second.status, "waiting")
        # Dropping the general manager's review does not approve the claim.
        claim.with_user(self.quality).validate_tier()
        second.with_user(self.user).unlink()
        self.assertEqual(claim.validation_status, "validated")
        with self.assertRaisesText(UserError, "also needs the review of General"):
            claim.with_user(self.manager).action_approve()

    def test_comment_wizard_validates_in_turn(self):
        self.env.ref(
            "aftersales_service.tier_definition_claim_quality_manager"
        ).has_comment = True
        claim = self._requested()
        action = claim.with_user(self.quality).validate_tier()
        self.assertEqual(action["res_model"], "comment.wizard")
        wizard = Form(
            self.env["comment.wizard"]
            .with_user(self.quality)
            .with_context(**action["context"])
        )
        wizard.comment = "Batch RC-2 confirmed faulty"
        wizard.save().add_comment()
        first = claim.review_ids.sorted("sequence")[:1]
        self.assertEqual(first.status, "approved")
        self.assertIn("Batch RC-2 confirmed faulty", " ".join(self._notes(claim)))

    def test_only_group_members_review_and_requesters_request(self):
        claim = self._requested()
        for user in (self.manager, self.user, self.finance):
            with (
                self.subTest(user=user.login),
                self.assertRaisesText(AccessError, "not a reviewer"),
            ):
                claim.with_user(user).validate_tier()
            with self.assertRaises(AccessError):
                claim.with_user(user).reject_tier()
        internal = new_test_user(self.env, login="as_plain_internal")
        with self.assertRaises(AccessError):
            self._large_claim().with_user(internal).request_validation()
        with self.assertRaises(AccessError):
            claim.with_user(internal).restart_validation()
        # The after-sales manager is neither reviewer.
        self.assertFalse(
            self.manager.has_group(
                "aftersales_service.group_aftersales_quality_manager"
            )
        )
        self.assertFalse(
            self.general.has_group(
                "aftersales_service.group_aftersales_quality_manager"
            )
        )
        # Both reviewers read what they review.
        self.assertTrue(claim.with_user(self.general).read(["name", "total_cost"]))

    def test_review_queue(self):
        claim = self._requested()
        Claim = self.env["aftersales.claim"]
        queue = [("can_review", "=", True), ("state", "=", "appraised")]
        self.assertIn(claim, Claim.with_user(self.quality).search(queue))
        self.assertNotIn(claim, Claim.with_user(self.general).search(queue))
        counts = self.env["res.users"].with_user(self.quality).review_user_count()
        self.assertIn("aftersales.claim", [count["model"] for count in counts])
        claim.with_user(self.quality).validate_tier()
        self.assertNotIn(claim, Claim.with_user(self.quality).search(queue))
        self.assertIn(claim, Claim.with_user(self.general).search(queue))
        action = self.env.ref("aftersales_service.aftersales_claim_action_to_review")
        self.assertIn("search_default_to_review", action.context)
        # The form carries base_tier_validation's buttons and banner.
        arch = Claim.with_user(self.general).get_view(view_type="form")["arch"]
        arch = arch.decode() if isinstance(arch, bytes) else arch
        for name in ("request_validation", "validate_tier", "reject_tier"):
            self.assertIn(f'name="{name}"', arch)

    def test_claims_under_review_are_not_the_managers_to_approve(self):
        """The overview's Claims to Approve and the To Approve filter leave
        out what waits for its reviewers; validated, it is back."""
        waiting = self._requested()
        ready = self._appraised()
        Overview = self.env["aftersales.overview"].with_user(self.manager)
        Claim = self.env["aftersales.claim"].with_user(self.manager)

        def to_approve():
            action = Overview.action_open_tile("claims_to_approve")
            listed = Claim.search(action["domain"])
            tiles = {tile["key"]: tile for tile in Overview.get_work_overview()}
            self.assertEqual(tiles["claims_to_approve"]["count"], len(listed))
            return listed

        def filtered():
            arch = etree.fromstring(Claim.get_view(view_type="search")["arch"])
            (to_approve_filter,) = arch.xpath("//filter[@name='to_approve']")
            return Claim.search(safe_eval(to_approve_filter.get("domain")))

        for listed in (to_approve(), filtered()):
            self.assertIn(ready, listed)
            self.assertNotIn(waiting, listed)
            self.assertIn(
                waiting, Claim.search([("validation_status", "=", "pending")])
            )
        waiting.with_user(self.quality).validate_tier()
        self.assertNotIn(waiting, to_approve())
        waiting.with_user(self.general).validate_tier()
        self.assertIn(waiting, to_approve())
        self.assertIn(waiting, filtered())

    def test_threshold_setting(self):
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.aftersales_approval_threshold, THRESHOLD)
        settings.aftersales_approval_threshold = 40000.0
        settings.execute()
        self.assertEqual(self.company.aftersales_approval_threshold, 40000.0)
        self.assertFalse(self._large_claim().need_validation)
        with self.assertRaisesText(ValidationError, "cannot be negative"):
            self.company.aftersales_approval_threshold = -1.0
        # 0: no amount rule; the part rule holds.
        self.company.aftersales_approval_threshold = 0.0
        self.assertFalse(self._large_claim().approval_threshold_exceeded)

    # ------------------------------------------------------- deductions

    def _funded_deposit(self):
        """A deposit holding 50,000 (5% of a 1,000,000 purchase)."""
        purchase = self._purchase(qty=10, price=100000.0)
        deposit = self._deposit(purchase)
        self._bill(purchase)
        self.assertEqual(deposit.balance, 50000.0)
        return deposit

    def test_small_deduction_is_unchanged(self):
        deduction = self._deduction(self._funded_deposit(), 5000.0)
        self.assertFalse(deduction.need_validation)
        deduction.with_user(self.manager).action_approve()
        deduction.with_user(self.finance).action_post()
        self.assertEqual(deduction.state, "posted")

    def test_large_deduction_is_reviewed_before_approval_and_posting(self):
        deposit = self._funded_deposit()
        deduction = self._deduction(deposit, 21000.0)
        self.assertTrue(deduction.approval_threshold_exceeded)
        self.assertTrue(deduction.need_validation)
        self.assertEqual(
            self.env["aftersales.supplier.deposit.movement"].search(
                [
                    ("deposit_id", "=", deposit.id),
                    ("approval_threshold_exceeded", "=", True),
                ]
            ),
            deduction,
        )
        with self.assertRaisesText(UserError, "request its validation"):
            deduction.with_user(self.manager).action_approve()
        with self.assertRaisesText(UserError, "cannot go from"):
            deduction.with_user(self.finance).action_post()
        with self.assertRaises(AccessError):
            deduction.with_user(self.user).request_validation()
        deduction.with_user(self.manager).request_validation()
        # The reviewers read what they review.
        self.assertTrue(deduction.with_user(self.quality).read(["amount", "reason"]))
        with self.assertRaisesText(UserError, "under review"):
            deduction.with_user(self.manager).action_approve()
        with self.assertRaisesText(ValidationError, "under validation"):
            deduction.with_user(self.manager).write({"amount": 49000.0})
        with self.assertRaisesText(UserError, "waits for"):
            deduction.with_user(self.general).validate_tier()
        deduction.with_user(self.quality).validate_tier()
        deduction.with_user(self.general).validate_tier()
        self.assertEqual(deduction.validation_status, "validated")
        deduction.with_user(self.manager).action_approve()
        deduction.with_user(self.finance).action_post()
        self.assertEqual(deduction.state, "posted")
        self.assertEqual(deposit.balance, 29000.0)
        notes = " ".join(self._notes(deduction))
        self.assertIn("validated by Test Quality Manager", notes)
        self.assertIn("validated by Test General Manager", notes)

    def test_rejected_deduction_is_cancelled_and_reworked(self):
        deduction = self._deduction(self._funded_deposit(), 21000.0)
        deduction.with_user(self.manager).request_validation()
        deduction.with_user(self.quality).reject_tier()
        self.assertEqual(deduction.state, "cancel")
        self.assertEqual(deduction.validation_status, "rejected")
        notes = " ".join(self._notes(deduction))
        self.assertIn("Quality manager's review: rejected by Test Quality", notes)
        self.assertIn("Cancelled: its review was rejected", notes)
        deduction.with_user(self.manager).action_reset()
        self.assertEqual(deduction.state, "proposed")
        self.assertFalse(deduction.review_ids)
        deduction.with_user(self.manager).write({"amount": 15000.0})
        self.assertFalse(deduction.need_validation)
        deduction.with_user(self.manager).action_approve()
        self.assertEqual(deduction.state, "approved")

    def test_large_supplier_claim_proposes_its_deduction_for_review(self):
        deposit = self._funded_deposit()
        claim = self._requested(responsibility="supplier", supplier_id=self.supplier.id)
        claim.with_user(self.quality).validate_tier()
        claim.with_user(self.general).validate_tier()
        claim.with_user(self.manager).action_approve()
        deduction = claim.deposit_movement_ids
        self.assertEqual(
            (deduction.deposit_id, deduction.amount, deduction.validation_status),
            (deposit, 30300.0, "pending"),
        )
        with self.assertRaisesText(UserError, "under review"):
            deduction.with_user(self.manager).action_approve()


@tagged("post_install", "-at_install")
class TestApprovalTour(ApprovalCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_claim_data()
        cls.setup_approval_data()
        cls.general.write({"login": "as_tour_general", "password": "as_tour_general"})
        cls.tour_customer = cls.env["res.partner"].create(
            {"name": "Tour Approval Customer"}
        )

    def test_general_manager_validates_from_the_queue(self):
        claim = self._requested(partner_id=self.tour_customer.id)
        claim.with_user(self.quality).validate_tier()
        self.start_tour("/odoo", "aftersales_approval_tour", login="as_tour_general")
        self.assertEqual(claim.validation_status, "validated")
        self.assertEqual(
            claim.review_ids.mapped("done_by"), self.quality | self.general
        )
        claim.with_user(self.manager).action_approve()
        self.assertEqual(claim.state, "approved")
