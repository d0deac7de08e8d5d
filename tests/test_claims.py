# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, TransactionCase, new_test_user, tagged

from .common import SIGNATURE
from .test_network import NetworkCommon


class ClaimCommon(NetworkCommon):
    @classmethod
    def setup_claim_data(cls):
        cls.setup_network_data()
        env = cls.env
        cls.station.action_activate()
        cls.compressor = env["product.product"].create(
            {"name": "Test compressor", "standard_price": 1000.0}
        )
        cls.truck_lot = cls._lot(cls.truck, "CLM-TRUCK")
        cls.voucher = cls._voucher(
            cls.truck_lot, date_delivery=date(2026, 1, 15), mileage_start=0
        )

    def _claim(self, **values):
        return self.env["aftersales.claim"].create(self._claim_vals(**values))

    def _claim_vals(self, **values):
        vals = {
            "partner_id": self.customer.id,
            "product_id": self.truck.id,
            "lot_id": self.truck_lot.id,
            "station_id": self.station.id,
            "failure_date": date(2026, 6, 1),
            "date": date(2026, 6, 2),
            "fault_phenomenon": "Compartment warms up",
            "responsibility": "manufacturing",
            "handling_method": "repair",
            "line_ids": [
                Command.create({"line_type": "part", "product_id": self.compressor.id}),
                Command.create(
                    {"line_type": "labour", "name": "Labour", "unit_cost": 300.0}
                ),
            ],
        }
        vals.update(values)
        return vals

    def _approved_claim(self, **values):
        claim = self._claim(**values)
        claim.action_submit()
        claim.action_appraise()
        claim.with_user(self.manager).action_approve()
        return claim


@tagged("post_install", "-at_install")
class TestClaimWorkflow(ClaimCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_claim_data()

    def test_costs_and_numbering(self):
        claim = self._claim()
        self.assertRegex(claim.name, r"^CL/\d{4}/\d{5}$")
        self.assertEqual(
            (claim.parts_cost, claim.labour_cost, claim.total_cost),
            (1000.0, 300.0, 1300.0),
        )
        self.assertEqual(claim.voucher_id, self.voucher)
        self.assertEqual(claim.return_line_ids.product_id, self.compressor)
        self.assertEqual(claim.region_id, self.region_east)
        self.assertEqual(self.customer.aftersales_claim_count, 1)
        action = self.customer.action_view_aftersales_claims()
        self.assertEqual(self.env["aftersales.claim"].search(action["domain"]), claim)

    def test_full_workflow_with_eligibility_and_repair_record(self):
        claim = self._claim(repair_result="failed", part_id=self.part_body.id)
        claim.action_submit()
        self.assertEqual(claim.state, "submitted")
        claim.action_appraise()
        self.assertEqual(claim.state, "appraised")
        self.assertTrue(claim.eligible)
        self.assertEqual(claim.eligibility_code, "covered")
        self.assertEqual(claim.remedy, "repair")
        self.assertEqual(claim.provider_id, self.company.partner_id)
        claim.with_user(self.manager).action_approve()
        self.assertEqual(claim.state, "approved")
        self.assertTrue(claim.quality_report_id, "a product defect is reported")
        claim.action_done()
        repair = self.voucher.repair_ids
        self.assertEqual(
            (repair.part_id, repair.result, repair.repaired_by_id),
            (self.part_body, "failed", self.station_partner),
        )
        # A second failed repair of the body: the next answer is an exchange.
        second = self._approved_claim(repair_result="failed", part_id=self.part_body.id)
        second.action_done()
        third = self._claim(part_id=self.part_body.id)
        third.action_submit()
        third.action_appraise()
        self.assertEqual(third.remedy, "exchange")
        self.assertEqual(third.eligibility_code, "repeated_failure")

    def test_bad_transitions_are_refused(self):
        claim = self._claim()
        for action in ("action_appraise", "action_done", "action_approve"):
            with (
                self.subTest(action=action),
                self.assertRaisesText(
                    UserError, "cannot go from|Only after-sales managers"
                ),
            ):
                getattr(claim.with_user(self.manager), action)()
        self.assertEqual(claim.state, "draft")
        empty = self._claim(fault_phenomenon=False)
        with self.assertRaisesText(UserError, "fault phenomenon"):
            empty.action_submit()
        unappraised = self._claim(responsibility=False)
        unappraised.action_submit()
        with self.assertRaisesText(UserError, "responsibility"):
            unappraised.action_appraise()
        self.assertEqual(unappraised.state, "submitted")

    def test_only_managers_approve_or_reject(self):
        claim = self._claim()
        claim.action_submit()
        claim.action_appraise()
        with self.assertRaisesText(UserError, "Only after-sales managers"):
            claim.with_user(self.user).action_approve()
        with self.assertRaisesText(UserError, "Only after-sales managers"):
            claim.with_user(self.user).action_reject()
        action = claim.with_user(self.manager).action_reject()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.manager)
            .with_context(**action["context"])
        )
        wizard.reason = "No proof of purchase"
        wizard.save().action_confirm()
        self.assertEqual(claim.state, "rejected")
        self.assertEqual(claim.rejection_reason, "No proof of purchase")
        self.assertFalse(claim.quality_report_id)

    def test_misuse_is_not_covered_and_raises_no_quality_report(self):
        claim = self._approved_claim(responsibility="misuse", handling_method="none")
        self.assertFalse(claim.eligible)
        self.assertEqual(claim.eligibility_code, "not_manufacturing")
        self.assertFalse(claim.quality_report_id)

    def test_supplier_part_exposes_supplier_and_amount(self):
        supplier = self.chassis_maker
        with self.assertRaisesText(ValidationError, "name the supplier"):
            self._claim(responsibility="supplier")
        claim = self._claim(responsibility="supplier", supplier_id=supplier.id)
        self.assertEqual(claim.supplier_amount, 0, "not before approval")
        claim.action_submit()
        claim.action_appraise()
        self.assertTrue(claim.eligible, "a supplier's part is a product defect")
        claim.with_user(self.manager).action_approve()
        self.assertEqual(claim.supplier_amount, 1300.0)
        self.assertEqual(claim.quality_report_id.supplier_id, supplier)

    def test_paid_repair_is_quoted_at_cost_plus_surcharge_and_accepted_first(self):
        self.voucher.surcharge_percent = 10.0
        claim = self._claim(handling_method="paid_repair")
        claim.action_submit()
        claim.action_appraise()
        claim.action_create_quotation()
        order = claim.sale_order_id
        self.assertEqual(order.partner_id, self.customer)
        self.assertEqual(order.origin, claim.name)
        self.assertEqual(order.amount_total, 1430.0)
        self.assertEqual(sorted(order.order_line.mapped("price_unit")), [330.0, 1100.0])
        claim.with_user(self.manager).action_approve()
        with self.assertRaisesText(UserError, "accept its quotation"):
            claim.action_done()
        order.action_confirm()
        claim.action_done()
        self.assertEqual(claim.state, "done")

    def test_bad_lines_and_values(self):
        with self.assertRaisesText(
            ValidationError, "quantities must be positive|must be positive"
        ):
            self._claim(
                line_ids=[
                    Command.create(
                        {
                            "line_type": "part",
                            "product_id": self.compressor.id,
                            "quantity": -1,
                        }
                    )
                ]
            )
        with self.assertRaisesText(ValidationError, "needs the part"):
            self._claim(line_ids=[Command.create({"line_type": "part"})])
        with self.assertRaisesText(ValidationError, "cannot come after"):
            self._claim(failure_date=date(2026, 7, 1))
        with self.assertRaisesText(ValidationError, "negative"):
            self._claim(mileage=-3)

    def test_only_drafts_are_deleted(self):
        claim = self._claim()
        claim.action_submit()
        with self.assertRaisesText(UserError, "Only draft claims"):
            claim.unlink()
        draft = self._claim()
        draft.unlink()
        self.assertFalse(draft.exists())

    def test_quality_report_closing_rules(self):
        report = self._approved_claim().quality_report_id
        self.assertEqual(report.state, "new")
        self.assertTrue(report.activity_ids)
        report.action_analyse()
        report.action_corrective_action()
        report.severity = "major"
        report.corrective_action = "Torque checked on the line"
        with self.assertRaisesText(UserError, "signed written agreement"):
            report.action_close()
        report.agreement_attachment_id = self.env["ir.attachment"].create(
            {"name": "agreement.pdf", "raw": b"%PDF-1.4"}
        )
        report.action_close()
        self.assertEqual(report.state, "closed")

    def test_claim_from_ticket(self):
        team = self.env.ref("aftersales_service.helpdesk_team_aftersales")
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Warm compartment",
                "description": "<p>Warms up after two hours</p>",
                "team_id": team.id,
                "partner_id": self.customer.id,
                "aftersales_service_type": "warranty",
                "lot_id": self.truck_lot.id,
                "station_id": self.station.id,
            }
        )
        action = ticket.action_create_claim()
        form = Form(self.env[action["res_model"]].with_context(**action["context"]))
        self.assertEqual(form.lot_id, self.truck_lot)
        self.assertEqual(form.product_id, self.truck)
        self.assertEqual(form.station_id, self.station)
        self.assertIn("Warms up after two hours", form.fault_phenomenon)
        claim = form.save()
        self.assertEqual(ticket.claim_count, 1)
        self.assertEqual(claim.ticket_id, ticket)

    def test_appraisal_form_pdf_shows_signatures(self):
        claim = self._claim(
            customer_signed_by="Lin Guo",
            customer_signature=SIGNATURE,
            station_signed_by="Chen Ming",
        )
        html = str(
            self.env["ir.actions.report"]._render_qweb_html(
                "aftersales_service.action_report_claim_appraisal", claim.ids
            )[0]
        )
        for text in (claim.name, "Lin Guo", "Compartment warms up", "Not signed"):
            self.assertIn(text, html)
        self.assertNotIn("Chen Ming", html, "a name without a signature is not signed")


@tagged("post_install", "-at_install")
class TestRepairFees(ClaimCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_claim_data()

    def test_labour_is_billed_once_per_claim(self):
        first = self._approved_claim()
        second = self._approved_claim()
        self._claim()  # draft: not billed
        Claim = self.env["aftersales.claim"]
        bills = Claim._bill_repair_fees(date(2026, 6, 30))
        self.assertEqual(len(bills), 1, "one bill per station")
        self.assertEqual(bills.move_type, "in_invoice")
        self.assertEqual(bills.partner_id, self.station_partner)
        self.assertEqual(bills.amount_total, 600.0)
        self.assertEqual(first.compensation_move_id, bills)
        self.assertEqual(second.compensation_move_id, bills)
        self.assertFalse(Claim._bill_repair_fees(date(2026, 6, 30)), "never twice")
        third = self._approved_claim()
        later = Claim._bill_repair_fees(date(2026, 6, 30))
        self.assertEqual(later.invoice_line_ids.name, f"Labour of claim {third.name}")

    def test_monthly_cron_bills_until_the_end_of_last_month(self):
        claim = self._approved_claim()
        with self.subTest("claims of this month wait"):
            claim.date = fields.Date.context_today(claim)
            self.assertFalse(self.env["aftersales.claim"]._cron_bill_repair_fees())
        claim.write({"date": date(2026, 1, 31), "failure_date": date(2026, 1, 30)})
        self.assertTrue(self.env["aftersales.claim"]._cron_bill_repair_fees())


@tagged("post_install", "-at_install")
class TestClaimAccess(ClaimCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_claim_data()
        other_partner = cls.env["res.partner"].create({"name": "Other station"})
        cls.other_station = cls.env["aftersales.station"].create(
            {"partner_id": other_partner.id, "region_id": cls.region_south.id}
        )
        staff = cls.env["res.partner"].create(
            {"name": "Clerk", "parent_id": cls.station_partner.id}
        )
        cls.clerk = new_test_user(
            cls.env,
            login="as_claim_clerk",
            groups="base.group_portal,aftersales_service.group_aftersales_station",
            partner_id=staff.id,
        )

    def test_station_reads_its_claims_only_and_writes_none(self):
        """Station staff read their claims; they write through the portal only."""
        mine = self._claim()
        theirs = self._claim(station_id=self.other_station.id)
        Claim = self.env["aftersales.claim"].with_user(self.clerk)
        self.assertEqual(Claim.search([]), mine)
        with self.assertRaises(AccessError):
            theirs.with_user(self.clerk).read(["name"])
        with self.assertRaises(AccessError):
            theirs.with_user(self.clerk).write({"fault_phenomenon": "x"})
        for values in (
            {"cause_analysis": "Valve plate"},
            {"state": "approved"},
            {"station_id": self.other_station.id},
        ):
            with self.assertRaises(AccessError):
                mine.with_user(self.clerk).write(values)
        with self.assertRaises(AccessError):
            mine.line_ids[0].with_user(self.clerk).write(
                {"claim_id": theirs.id, "unit_cost": 500000}
            )
        self.assertEqual(mine.state, "draft")
        self.assertEqual(mine.station_id, self.station)
        self.assertFalse(mine.cause_analysis)
        with self.assertRaises(AccessError):
            mine.with_user(self.clerk).action_submit()
        with self.assertRaises(AccessError):
            Claim.create(
                {
                    "partner_id": self.customer.id,
                    "product_id": self.truck.id,
                    "station_id": self.other_station.id,
                }
            )

    def test_station_reads_its_tickets_only(self):
        team = self.env.ref("aftersales_service.helpdesk_team_aftersales")
        Ticket = self.env["helpdesk.ticket"]
        mine, theirs = (
            Ticket.create(
                {
                    "name": f"Ticket of {station.name}",
                    "description": "x",
                    "team_id": team.id,
                    "partner_id": self.customer.id,
                    "station_id": station.id,
                }
            )
            for station in (self.station, self.other_station)
        )
        visible = Ticket.with_user(self.clerk).search([])
        self.assertIn(mine, visible)
        self.assertNotIn(theirs, visible)
        with self.assertRaises(AccessError):
            theirs.with_user(self.clerk).read(["name"])
