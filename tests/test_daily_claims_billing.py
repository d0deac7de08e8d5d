# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue #11 (daily use): claims_billing."""

from datetime import date

from freezegun import freeze_time
from lxml import etree

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, TransactionCase, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import SIGNATURE
from .test_claims import ClaimCommon


class DailyClaimsCommon(ClaimCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_claim_data()
        cls.finance = new_test_user(
            cls.env,
            login="as_claims_finance",
            groups="aftersales_service.group_aftersales_finance",
        )
        other_partner = cls.env["res.partner"].create(
            {"name": "Test Second Station", "is_company": True}
        )
        cls.other_station = cls.env["aftersales.station"].create(
            {"partner_id": other_partner.id, "region_id": cls.region_south.id}
        )
        cls.other_station.action_activate()

    def _paid_claim(self, **values):
        """Out-of-warranty work, approved, its quotation still a draft."""
        claim = self._claim(handling_method="paid_repair", **values)
        claim.action_submit()
        claim.action_appraise()
        claim.action_create_quotation()
        claim.with_user(self.manager).action_approve()
        return claim


@tagged("post_install", "-at_install")
class TestDailyRepairFeeBilling(DailyClaimsCommon, TransactionCase):
    def _station_bills(self, bills):
        return bills.filtered(lambda bill: bill.partner_id == self.station_partner)

    def test_bill_holds_only_covered_warranty_work(self):
        covered = self._approved_claim()
        paid = self._paid_claim()
        misuse = self._approved_claim(responsibility="misuse", handling_method="none")
        self.assertTrue(paid.eligible, "the product is in warranty, the work paid")
        self.assertEqual(paid.quotation_state, "draft")
        self.assertFalse(misuse.eligible)
        bills = self._station_bills(
            self.env["aftersales.claim"]._bill_repair_fees(date(2026, 6, 30))
        )
        self.assertEqual(len(bills), 1)
        self.assertEqual(bills.amount_total, 300.0, "the covered claim's labour only")
        self.assertEqual(
            bills.invoice_line_ids.mapped("name"), [f"Labour of claim {covered.name}"]
        )
        self.assertEqual(covered.compensation_move_id, bills)
        self.assertFalse(paid.compensation_move_id)
        self.assertFalse(misuse.compensation_move_id)
        # Never billed later either.
        self.assertFalse(
            self._station_bills(
                self.env["aftersales.claim"]._bill_repair_fees(date(2026, 6, 30))
            )
        )

    def test_monthly_cron_bills_only_covered_warranty_work(self):
        covered = self._approved_claim()
        self._paid_claim()
        with freeze_time("2026-07-15"):
            bills = self._station_bills(
                self.env["aftersales.claim"]._cron_bill_repair_fees()
            )
        self.assertEqual(bills.amount_total, 300.0)
        self.assertEqual(bills.invoice_line_ids.name, f"Labour of claim {covered.name}")

    def test_to_bill_filter_matches_what_is_billed(self):
        covered = self._approved_claim()
        paid = self._paid_claim()
        search = self.env.ref("aftersales_service.aftersales_claim_view_search")
        node = etree.fromstring(search.arch_db).find(".//filter[@name='to_bill']")
        domain = safe_eval(node.get("domain"))
        found = self.env["aftersales.claim"].search(
            domain + [("id", "in", (covered | paid).ids)]
        )
        self.assertEqual(found, covered)

    def test_server_action_opens_the_bills_or_says_nothing_to_bill(self):
        action_record = self.env.ref(
            "aftersales_service.aftersales_claim_action_bill_fees"
        ).with_user(self.finance)
        # What the demo data left to bill, billed first.
        action_record.run()
        nothing = action_record.run()
        self.assertEqual(nothing["type"], "ir.actions.client")
        self.assertEqual(nothing["tag"], "display_notification")
        self.assertIn("No approved warranty claim", nothing["params"]["message"])

        one = self._approved_claim()
        form = action_record.run()
        self.assertEqual(form["res_model"], "account.move")
        self.assertEqual(form["view_mode"], "form")
        self.assertEqual(form["res_id"], one.compensation_move_id.id)
        self.assertEqual(form["views"][0][1], "form")

        mine = self._approved_claim()
        theirs = self._approved_claim(station_id=self.other_station.id)
        listed = action_record.run()
        bills = mine.compensation_move_id | theirs.compensation_move_id
        self.assertEqual(len(bills), 2)
        self.assertEqual(listed["res_model"], "account.move")
        self.assertEqual(
            self.env["account.move"].search(listed["domain"]).sorted("id"),
            bills.sorted("id"),
        )

    def test_only_finance_bills_repair_fees(self):
        self._approved_claim()
        with self.assertRaises(AccessError):
            self.env["aftersales.claim"].with_user(self.user)._action_bill_repair_fees()


@tagged("post_install", "-at_install")
class TestDailyClaimScreens(DailyClaimsCommon, TransactionCase):
    def test_kanban_columns_follow_the_workflow_final_states_folded(self):
        claim = self._claim()
        groups = self.env["aftersales.claim"].web_read_group(
            [("id", "=", claim.id)], ["state"], ["state"]
        )["groups"]
        self.assertEqual(
            [group["state"] for group in groups],
            ["draft", "submitted", "appraised", "approved", "done", "rejected"],
        )
        self.assertEqual(
            [group["state"] for group in groups if group.get("__fold")],
            ["done", "rejected"],
        )
        report = self._approved_claim().quality_report_id
        groups = self.env["aftersales.quality.report"].web_read_group(
            [("id", "=", report.id)], ["state"], ["state"]
        )["groups"]
        self.assertEqual(
            [(group["state"], bool(group.get("__fold"))) for group in groups],
            [
                ("new", False),
                ("analysis", False),
                ("action", False),
                ("closed", True),
            ],
        )

    def test_claim_and_quality_report_link_both_ways(self):
        claim = self._approved_claim()
        report = claim.quality_report_id
        to_report = claim.with_user(self.user).action_view_quality_report()
        self.assertEqual(
            (to_report["res_model"], to_report["res_id"]),
            ("aftersales.quality.report", report.id),
        )
        to_claim = report.with_user(self.user).action_view_claim()
        self.assertEqual(
            (to_claim["res_model"], to_claim["res_id"]), ("aftersales.claim", claim.id)
        )
        form = self.env.ref("aftersales_service.aftersales_claim_view_form").arch_db
        self.assertIn("action_view_quality_report", form)
        form = self.env.ref(
            "aftersales_service.aftersales_quality_report_view_form"
        ).arch_db
        self.assertIn("action_view_claim", form)

    def test_activity_views(self):
        for xmlid, model in (
            ("aftersales_claim_action", "aftersales.claim"),
            ("aftersales_quality_report_action", "aftersales.quality.report"),
        ):
            action = self.env.ref(f"aftersales_service.{xmlid}")
            self.assertIn("activity", action.view_mode.split(","))
            Model = self.env[model].with_user(self.user)
            views = Model.get_views([(False, "activity")])
            self.assertIn("activity", views["views"])

    def test_eligibility_is_stored_as_codes_shown_in_the_reader_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        covered = self._claim()
        covered.action_submit()
        covered.action_appraise()
        refused = self._claim(responsibility="misuse", handling_method="none")
        refused.action_submit()
        refused.action_appraise()
        self.assertEqual(
            (covered.eligibility_reason, covered.remedy), ("covered", "repair")
        )
        self.assertEqual(
            (refused.eligibility_reason, refused.remedy), ("not_manufacturing", False)
        )
        Claim = self.env["aftersales.claim"]
        Voucher = self.env["aftersales.warranty.voucher"]
        labels = {}
        for lang in ("en_US", "zh_CN"):
            with self.subTest(lang=lang):
                fields = Claim.with_context(lang=lang).fields_get(
                    ["eligibility_reason", "remedy"], ["selection"]
                )
                reason = dict(fields["eligibility_reason"]["selection"])
                remedy = dict(fields["remedy"]["selection"])
                voucher = Voucher.with_context(lang=lang)
                self.assertEqual(
                    reason["not_manufacturing"],
                    voucher._reason_label("not_manufacturing"),
                )
                self.assertEqual(remedy["repair"], voucher._remedy_label("repair"))
                labels[lang] = reason["not_manufacturing"]
        self.assertEqual(labels["en_US"], "Not a manufacturing defect")
        self.assertNotEqual(labels["zh_CN"], labels["en_US"], "shown in Chinese")
        # The appraisal form speaks the customer's language.
        self.customer.lang = "zh_CN"
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "aftersales_service.action_report_claim_appraisal", refused.ids
            )[0]
            .decode()
        )
        self.assertIn(labels["zh_CN"], html)
        self.assertNotIn(labels["en_US"], html)


@tagged("post_install", "-at_install")
class TestDailyClaimSignatures(DailyClaimsCommon, TransactionCase):
    def test_signing_in_the_back_office_fills_signed_on(self):
        claim = self._claim()
        with Form(claim.with_user(self.user)) as form:
            form.customer_signed_by = "Lin Guo"
            form.customer_signature = SIGNATURE
        self.assertTrue(claim.customer_signature)
        self.assertTrue(claim.customer_signed_on)
        self.assertFalse(claim.station_signed_on)
        # Signing when the claim is recorded stamps it too.
        form = Form(self.env["aftersales.claim"].with_user(self.user))
        form.product_id = self.truck
        form.lot_id = self.truck_lot
        form.partner_id = self.customer
        form.fault_phenomenon = "Compartment warms up"
        form.station_signed_by = "Chen Ming"
        form.station_signature = SIGNATURE
        created = form.save()
        self.assertTrue(created.station_signed_on)
        self.assertFalse(created.customer_signed_on)

    def test_signatures_are_locked_once_approved(self):
        claim = self._claim()
        claim.with_user(self.user).customer_signature = SIGNATURE
        claim.action_submit()
        claim.action_appraise()
        # Still open while appraised.
        claim.with_user(self.user).station_signature = SIGNATURE
        claim.with_user(self.manager).action_approve()
        signed_on = claim.customer_signed_on
        for env_claim in (claim.with_user(self.manager), claim.sudo()):
            for values in (
                {"customer_signature": False},
                {"station_signature": SIGNATURE},
                {"customer_signed_by": "Someone else"},
            ):
                with (
                    self.subTest(user=env_claim.env.user.login, values=values),
                    self.assertRaisesText(UserError, "signatures are locked"),
                ):
                    env_claim.write(values)
        self.assertTrue(claim.customer_signature)
        self.assertEqual(claim.customer_signed_on, signed_on)
        # The form shows them read-only.
        with Form(claim.with_user(self.manager)) as form:
            with self.assertRaises(AssertionError):
                form.customer_signature = False
            with self.assertRaises(AssertionError):
                form.station_signed_by = "Someone else"
        claim.action_done()
        with self.assertRaisesText(UserError, "signatures are locked"):
            claim.sudo().write({"station_signature": False})
