# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Engineering projects (seed 003): handovers, warranty from the formal
handover, the after-sales cost plan and its supplements, costs on the
project's analytic account, the owner contacts and the service reports."""

from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

from .common import SIGNATURE
from .test_claims import ClaimCommon
from .test_daily_reports import read_xlsx

TODAY = "2026-09-01"
PROVISIONAL = date(2026, 5, 1)
FORMAL = date(2026, 8, 1)


class ProjectCommon(ClaimCommon):
    @classmethod
    def setup_project_data(cls):
        cls.setup_claim_data()
        env = cls.env
        cls.project_manager = new_test_user(
            env,
            login="as_project_manager",
            groups="aftersales_service.group_aftersales_manager,"
            "project.group_project_manager",
        )
        cls.finance = new_test_user(
            env,
            login="as_project_finance",
            groups="aftersales_service.group_aftersales_finance",
        )
        cls.owner_contact = env["res.partner"].create(
            {"name": "Owner operations manager", "parent_id": cls.customer.id}
        )
        cls.project = env["project.project"].create(
            {
                "name": "Test water-treatment plant",
                "partner_id": cls.customer.id,
                "company_id": env.company.id,
                "is_aftersales_project": True,
                "aftersales_user_id": cls.user.id,
                "aftersales_contact_ids": [Command.set(cls.owner_contact.ids)],
            }
        )
        cls.equipment = env["aftersales.project.equipment"].create(
            {
                "project_id": cls.project.id,
                "product_id": cls.truck.id,
                "lot_id": cls.truck_lot.id,
                "supplier_id": cls.chassis_maker.id,
            }
        )
        cls.stage_done = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.team = env.ref("aftersales_service.helpdesk_team_aftersales")

    def _handover(self, kind, day, user=None):
        with freeze_time(TODAY):
            self.project.with_user(user or self.manager)._record_handover(kind, day)

    def _plan(self, amount, plan_type="initial", approve=True, **values):
        plan = (
            self.env["aftersales.project.cost.plan"]
            .with_user(self.user)
            .create(
                dict(
                    {
                        "project_id": self.project.id,
                        "plan_type": plan_type,
                        "line_ids": [
                            Command.create({"cost_type": "parts", "amount": amount})
                        ],
                    },
                    **values,
                )
            )
        )
        if approve:
            plan.action_submit()
            plan.with_user(self.manager).action_approve()
        return plan

    def _project_claim(self, unit_cost=1000.0):
        self.compressor.standard_price = unit_cost
        claim = self._claim(failure_date=date(2026, 8, 20), date=date(2026, 8, 21))
        claim.action_submit()
        claim.action_appraise()
        return claim

    def _ticket(self, **values):
        vals = {
            "name": "Pump vibrates",
            "description": "The standby pump vibrates",
            "team_id": self.team.id,
            "partner_id": self.customer.id,
            "project_id": self.project.id,
            "aftersales_service_type": "warranty",
        }
        vals.update(values)
        return self.env["helpdesk.ticket"].create(vals)


@tagged("post_install", "-at_install")
class TestProjectWarranty(ProjectCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_project_data()

    def test_vouchers_start_at_the_formal_handover(self):
        voucher = self.voucher
        self.assertEqual(self.equipment.voucher_id, voucher)
        self.assertEqual(voucher.project_id, self.project)
        self.assertTrue(voucher.awaiting_handover)
        Voucher = self.env["aftersales.warranty.voucher"].with_user(self.user)
        # Delivered in January, installed, not handed over: not started.
        answer = Voucher.check_warranty("CLM-TRUCK", date="2026-06-01")
        self.assertFalse(answer["eligible"])
        self.assertEqual(answer["reason"], "not_started")
        self._handover("provisional", PROVISIONAL)
        answer = Voucher.check_warranty("CLM-TRUCK", date="2026-06-01")
        self.assertEqual(answer["reason"], "not_started")
        self._handover("formal", FORMAL)
        self.assertFalse(voucher.awaiting_handover)
        self.assertEqual(voucher.date_start, FORMAL)
        # The policy's months, from the handover.
        self.assertEqual(
            voucher.date_end,
            voucher._end_for(voucher.policy_id, voucher.holder_type, FORMAL),
        )
        self.assertGreater(voucher.date_end, date(2028, 7, 1))
        self.assertEqual(self.project.date_warranty_end, date(2027, 7, 31))
        before = Voucher.check_warranty("CLM-TRUCK", date="2026-07-31")
        after = Voucher.check_warranty("CLM-TRUCK", date="2026-08-01")
        self.assertEqual(before["reason"], "not_started")
        self.assertTrue(after["eligible"])
        self.assertEqual(after["date_start"], "2026-08-01")

    def test_awaiting_voucher_does_not_expire(self):
        lot = self._lot(self.truck, "OLD-PUMP")
        voucher = self._voucher(lot, date_delivery=date(2023, 1, 1))
        self.env["aftersales.project.equipment"].create(
            {
                "project_id": self.project.id,
                "product_id": self.truck.id,
                "lot_id": lot.id,
            }
        )
        self.assertTrue(voucher.awaiting_handover)
        self.env["aftersales.warranty.voucher"]._cron_expire_vouchers()
        self.assertEqual(voucher.state, "active")

    def test_delivery_of_an_installed_serial_waits_for_the_handover(self):
        lot = self._lot(self.truck, "NEW-PUMP")
        self.env["aftersales.project.equipment"].create(
            {
                "project_id": self.project.id,
                "product_id": self.truck.id,
                "lot_id": lot.id,
            }
        )
        self._deliver(self.customer, [(self.truck, lot, 1)])
        voucher = self.env["aftersales.warranty.voucher"].search(
            [("lot_id", "=", lot.id)]
        )
        self.assertEqual(voucher.project_id, self.project)
        self.assertTrue(voucher.awaiting_handover)
        self.assertEqual(
            self.env["aftersales.project.equipment"]
            .search([("lot_id", "=", lot.id)])
            .voucher_id,
            voucher,
        )

    def test_project_and_start_are_not_typed(self):
        for values in (
            {"awaiting_handover": False},
            {"project_id": False},
            {"date_start": date(2026, 1, 1)},
        ):
            with self.subTest(values=values), self.assertRaises(UserError):
                self.voucher.with_user(self.manager).write(values)
        self.assertTrue(self.voucher.awaiting_handover)

    def test_handover_rules(self):
        project = self.project
        with self.assertRaises(AccessError):
            project.with_user(self.user).action_provisional_handover()
        with self.assertRaises(AccessError):
            self._handover("provisional", PROVISIONAL, user=self.user)
        with self.assertRaisesText(UserError, "provisional handover"):
            self._handover("formal", FORMAL)
        with self.assertRaisesText(ValidationError, "future"):
            self._handover("provisional", date(2026, 9, 2))
        self._handover("provisional", PROVISIONAL)
        with self.assertRaisesText(ValidationError, "cannot come before"):
            self._handover("formal", date(2026, 4, 30))
        with self.assertRaisesText(UserError, "final"):
            self._handover("provisional", date(2026, 5, 2))
        # Typed: refused even to the project and after-sales manager.
        for values in (
            {"date_provisional_handover": date(2026, 5, 2)},
            {"date_formal_handover": FORMAL},
        ):
            with self.subTest(values=values), self.assertRaises(UserError):
                project.with_user(self.project_manager).write(values)
        with self.assertRaisesText(UserError, "stays an after-sales project"):
            project.with_user(self.project_manager).write(
                {"is_aftersales_project": False}
            )
        self.assertEqual(project.date_provisional_handover, PROVISIONAL)
        self.assertFalse(project.date_formal_handover)
        self.assertEqual(project.aftersales_phase, "commissioning")

    def test_handover_wizard(self):
        with freeze_time(TODAY):
            action = self.project.with_user(
                self.project_manager
            ).action_provisional_handover()
            wizard = (
                self.env[action["res_model"]]
                .with_user(self.project_manager)
                .with_context(**action["context"])
                .create({"date": PROVISIONAL, "note": "Signed with the owner"})
            )
            wizard.action_confirm()
        self.assertEqual(self.project.date_provisional_handover, PROVISIONAL)
        self.assertTrue(self.project.account_id)

    def test_commissioning_before_the_formal_handover(self):
        self._handover("provisional", PROVISIONAL)
        ticket = self._ticket()
        self.assertTrue(ticket.aftersales_commissioning)
        claim = self._claim(ticket_id=ticket.id, failure_date=date(2026, 6, 1))
        self.assertEqual(claim.project_id, self.project)
        self.assertTrue(claim.aftersales_commissioning)
        claim.action_submit()
        claim.action_appraise()
        self.assertFalse(claim.eligible)
        self.assertEqual(claim.eligibility_code, "not_started")
        self._handover("formal", FORMAL)
        # Raised before the handover: stays commissioning work.
        self.assertTrue(ticket.aftersales_commissioning)
        with freeze_time("2026-08-10"):
            later = self._ticket(name="Leak")
        self.assertFalse(later.aftersales_commissioning)

    def test_out_of_warranty_project_is_quoted_at_cost_plus_surcharge(self):
        lot = self._lot(self.truck, "OLD-PLANT-PUMP")
        self._voucher(lot, date_delivery=date(2022, 12, 1))
        self.env["aftersales.project.equipment"].create(
            {
                "project_id": self.project.id,
                "product_id": self.truck.id,
                "lot_id": lot.id,
            }
        )
        self._handover("provisional", date(2023, 1, 1))
        self._handover("formal", date(2023, 2, 1))
        self.assertEqual(self.project.aftersales_phase, "paid")
        self.compressor.standard_price = 1000.0
        claim = self._claim(
            lot_id=lot.id,
            failure_date=date(2026, 8, 20),
            date=date(2026, 8, 21),
            handling_method="paid_repair",
        )
        claim.action_submit()
        claim.action_appraise()
        self.assertEqual(claim.eligibility_code, "expired")
        claim.action_create_quotation()
        prices = sorted(claim.sale_order_id.order_line.mapped("price_unit"))
        self.assertEqual(prices, [330.0, 1100.0])


@tagged("post_install", "-at_install")
class TestProjectCosts(ProjectCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_project_data()

    def test_cost_plan_activity_and_approval(self):
        self._handover("provisional", PROVISIONAL)
        activity_type = self.env.ref(
            "aftersales_service.mail_activity_type_project_cost_plan"
        )
        activity = self.project.activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        )
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.user)
        self.assertEqual(activity.date_deadline, date(2026, 6, 1))
        plan = self._plan(1000.0, approve=False)
        self.assertRegex(plan.name, r"^ACP/")
        plan.action_submit()
        with self.assertRaises(AccessError):
            plan.with_user(self.user).action_approve()
        with self.assertRaises(AccessError):
            plan.with_user(self.user).action_reset_to_draft()
        with self.assertRaises(UserError):
            plan.line_ids.with_user(self.user).write({"amount": 5.0})
        plan.with_user(self.manager).action_approve()
        self.assertEqual(plan.state, "approved")
        self.assertEqual(plan.approved_by_id, self.manager)
        self.assertFalse(
            self.project.activity_ids.filtered(
                lambda a: a.activity_type_id == activity_type
            )
        )
        self.assertEqual(self.project.aftersales_plan_amount, 1000.0)
        with self.assertRaises(UserError):
            plan.with_user(self.manager).write({"state": "draft"})
        # A second plan is a supplement, with its report.
        with self.assertRaisesText(UserError, "supplement"):
            self._plan(500.0)
        supplement = self._plan(500.0, plan_type="supplement", approve=False)
        with self.assertRaisesText(UserError, "report"):
            supplement.action_submit()

    def test_bad_plan_input(self):
        with self.assertRaises(ValidationError):
            self._plan(-5.0, approve=False)
        empty = (
            self.env["aftersales.project.cost.plan"]
            .with_user(self.user)
            .create({"project_id": self.project.id})
        )
        with self.assertRaisesText(UserError, "no amount"):
            empty.action_submit()
        self.assertEqual(empty.state, "draft")
        supplement = self._plan(
            100.0, plan_type="supplement", approve=False, justification="More visits"
        )
        with self.assertRaisesText(UserError, "no approved cost plan"):
            supplement.action_submit()

    def test_claim_over_plan_needs_an_approved_supplement(self):
        self._handover("provisional", PROVISIONAL)
        self._plan(1000.0)
        claim = self._project_claim()  # 1000 parts + 300 labour
        self.assertEqual(claim.project_id, self.project)
        with self.assertRaisesText(UserError, "by 300.0"):
            claim.with_user(self.manager).action_approve()
        self.assertEqual(claim.state, "appraised")
        self.assertFalse(
            self.env["account.analytic.line"].search(
                [("aftersales_claim_id", "=", claim.id)]
            )
        )
        # A submitted supplement is not enough: approved only.
        supplement = self._plan(
            500.0, plan_type="supplement", approve=False, justification="Seal batch"
        )
        supplement.action_submit()
        with self.assertRaises(UserError):
            claim.with_user(self.manager).action_approve()
        supplement.with_user(self.manager).action_approve()
        claim.with_user(self.manager).action_approve()
        self.assertEqual(claim.state, "approved")
        lines = self.env["account.analytic.line"].search(
            [("aftersales_claim_id", "=", claim.id)]
        )
        self.assertEqual(
            sorted((line.aftersales_cost_type, line.amount) for line in lines),
            [("labour", -300.0), ("parts", -1000.0)],
        )
        self.assertEqual(lines.account_id, self.project.account_id)
        self.project.invalidate_recordset()
        self.assertEqual(self.project.aftersales_actual_amount, 1300.0)
        self.assertEqual(self.project.aftersales_remaining_amount, 200.0)
        rows = {row.cost_type: row for row in self.project.aftersales_cost_ids}
        self.assertEqual(rows["parts"].plan_amount, 1500.0)
        self.assertEqual(rows["parts"].actual_amount, 1000.0)
        self.assertEqual(rows["labour"].difference, -300.0)

    def test_record_cost_within_budget(self):
        self._handover("provisional", PROVISIONAL)
        self._plan(1000.0)
        action = self.project.with_user(self.user).action_record_aftersales_cost()
        Wizard = self.env[action["res_model"]].with_user(self.user)
        negative = Wizard.create(
            {"project_id": self.project.id, "name": "Taxi", "amount": -1.0}
        )
        with self.assertRaisesText(ValidationError, "positive"):
            negative.action_confirm()
        with self.assertRaises(ValidationError):
            Wizard.create(
                {"project_id": self.project.id, "name": "Taxi", "amount": float("nan")}
            )
        over = Wizard.create(
            {"project_id": self.project.id, "name": "Flights", "amount": 1200.0}
        )
        with self.assertRaisesText(UserError, "by 200.0"):
            over.action_confirm()
        ticket = self._ticket()
        Wizard.create(
            {
                "project_id": self.project.id,
                "ticket_id": ticket.id,
                "cost_type": "travel",
                "name": "Train to site",
                "amount": 400.0,
            }
        ).action_confirm()
        self.project.invalidate_recordset()
        self.assertEqual(self.project.aftersales_actual_amount, 400.0)
        with self.assertRaises(AccessError):
            Wizard.create(
                {"project_id": self.project.id, "name": "x", "amount": 1.0}
            ).with_user(self.stock_user).action_confirm()

    def test_register_xlsx(self):
        self._handover("provisional", PROVISIONAL)
        self._plan(1000.0)
        content, report_type = (
            self.env["ir.actions.report"]
            .with_user(self.user)
            ._render("aftersales_service.project_register_xlsx", self.project.ids)
        )
        self.assertEqual(report_type, "xlsx")
        sheet = next(iter(read_xlsx(content).values()))
        rows = sheet["rows"]
        self.assertEqual(rows[1][0], "Test water-treatment plant")
        self.assertIn(1000.0, rows[1])
        with self.assertRaises(AccessError):
            self.env["ir.actions.report"].with_user(self.stock_user)._render(
                "aftersales_service.project_register_xlsx", self.project.ids
            )


@tagged("post_install", "-at_install")
class TestProjectContacts(ProjectCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_project_data()

    def _contact_activities(self):
        activity_type = self.env.ref(
            "aftersales_service.mail_activity_type_project_owner_contact"
        )
        return self.project.activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        )

    def test_owner_contact_job_is_idempotent(self):
        Project = self.env["project.project"]
        with freeze_time("2026-08-05"):
            Project._cron_schedule_owner_contacts()
        self.assertFalse(self._contact_activities(), "not under warranty yet")
        self._handover("provisional", PROVISIONAL)
        self._handover("formal", FORMAL)
        self.assertTrue(self.project.aftersales_return_visit_missing)
        with freeze_time("2026-08-05"):
            Project._cron_schedule_owner_contacts()
            Project._cron_schedule_owner_contacts()
        activity = self._contact_activities()
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.date_deadline, date(2026, 8, 15))
        self.assertEqual(activity.user_id, self.user)
        # The call, recorded: the activity closes with the outcome.
        with freeze_time("2026-08-14"):
            self.env["aftersales.project.contact"].with_user(self.user).create(
                {
                    "project_id": self.project.id,
                    "partner_id": self.owner_contact.id,
                    "outcome": "Pumps run normally",
                }
            )
            self.assertFalse(self._contact_activities())
            self.assertFalse(self.project.aftersales_contact_deadline)
            Project._cron_schedule_owner_contacts()
            Project._cron_schedule_owner_contacts()
        activity = self._contact_activities()
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.date_deadline, date(2026, 8, 28))
        # Done from the chatter: logged with its feedback.
        with freeze_time("2026-08-27"):
            activity.with_user(self.user).action_feedback(feedback="Asked for seals")
        log = self.project.aftersales_contact_log_ids.sorted("date")[-1]
        self.assertEqual(log.outcome, "Asked for seals")
        self.assertEqual(log.date, date(2026, 8, 27))
        self.assertEqual(len(self.project.aftersales_contact_log_ids), 2)
        # A return visit clears the flag.
        with freeze_time("2026-08-28"):
            self.env["aftersales.project.contact"].with_user(self.user).create(
                {"project_id": self.project.id, "kind": "visit", "outcome": "Visited"}
            )
        self.assertFalse(self.project.aftersales_return_visit_missing)
        # After the warranty, no more contacts.
        with freeze_time("2027-08-01"):
            self._contact_activities().unlink()
            self.project.sudo().aftersales_contact_deadline = False
            Project._cron_schedule_owner_contacts()
        self.assertFalse(self._contact_activities())

    def test_bad_contact_input(self):
        Contact = self.env["aftersales.project.contact"].with_user(self.user)
        with self.assertRaises(ValidationError):
            Contact.create({"project_id": self.project.id, "outcome": "  "})
        with freeze_time(TODAY), self.assertRaises(ValidationError):
            Contact.create(
                {"project_id": self.project.id, "outcome": "x", "date": "2026-09-05"}
            )
        other = self.env["project.project"].create({"name": "Not after-sales"})
        with self.assertRaises(ValidationError):
            self.env["aftersales.project.equipment"].create(
                {"project_id": other.id, "product_id": self.truck.id}
            )
        with self.assertRaises(ValidationError):
            self.env["aftersales.project.equipment"].create(
                {
                    "project_id": self.project.id,
                    "product_id": self.lamp.id,
                    "lot_id": self._lot(self.truck, "NOT-A-LAMP").id,
                }
            )

    def test_signed_service_report_closes_on_site_service(self):
        self._handover("provisional", PROVISIONAL)
        ticket = self._ticket()
        self.assertTrue(ticket.aftersales_on_site)
        with self.assertRaisesText(UserError, "sign the service report"):
            ticket.with_user(self.user).write({"stage_id": self.stage_done.id})
        self.assertNotEqual(ticket.stage_id, self.stage_done)
        with self.assertRaises(UserError):
            ticket.with_user(self.user).write(
                {"service_report_signed_on": "2026-01-01 00:00:00"}
            )
        ticket.with_user(self.user).write(
            {
                "service_report": "Realigned the pump coupling",
                "service_report_signed_by": "Liu Ming",
                "service_report_signature": SIGNATURE,
            }
        )
        self.assertTrue(ticket.service_report_signed_on)
        ticket.with_user(self.user).write({"stage_id": self.stage_done.id})
        self.assertEqual(ticket.stage_id, self.stage_done)
        with self.assertRaisesText(UserError, "closed"):
            ticket.with_user(self.user).write({"service_report_signed_by": "Other"})
        # A consultation by phone needs no report.
        phone = self._ticket(name="Question", aftersales_service_type="consultation")
        self.assertFalse(phone.aftersales_on_site)
        phone.with_user(self.user).write({"stage_id": self.stage_done.id})
        pdf, __ = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_html("aftersales_service.report_service_report", ticket.ids)
        )
        self.assertIn(b"Liu Ming", pdf)


@tagged("post_install", "-at_install")
class TestProjectTour(ProjectCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_project_data()

    def test_project_manager_hands_over_and_plans_costs(self):
        self.start_tour(
            f"/odoo/aftersales-projects/{self.project.id}",
            "aftersales_project_tour",
            login="as_project_manager",
        )
        self.assertTrue(self.project.date_provisional_handover)
        plan = self.project.aftersales_cost_plan_ids
        self.assertEqual(plan.state, "approved")
        self.assertEqual(plan.amount_total, 4800.0)
        self.assertEqual(plan.line_ids.cost_type, "travel")
