# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Periodic inspections: plans, due dates from the daily job (by months, by
km, both), mileage readings re-planning a voucher, the last inspection
before the warranty ends, idempotency (twice, and two real transactions),
constant queries per batch, rights and bad input."""

from datetime import date
from unittest.mock import patch

import psycopg2
from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import SUPERUSER_ID, api, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from .test_network import NetworkCommon
from .test_scale_jobs import ScaleJobsMixin


class InspectionCommon(NetworkCommon):
    @classmethod
    def setup_inspection_data(cls):
        cls.setup_network_data()
        env = cls.env
        cls.coordinator = new_test_user(
            env,
            login="as_station_coordinator",
            groups="aftersales_service.group_aftersales_user",
        )
        cls.station.user_id = cls.coordinator
        cls.station.action_activate()
        cls.customer.aftersales_service_station_id = cls.station
        cls.company.aftersales_service_lead_days = 14
        cls.company.aftersales_service_final_days = 30
        Plan = env["aftersales.service.plan"]
        # Ours only: the vouchers of other plans (the demo's) are not planned.
        Plan.search([]).active = False
        # Seed 002 example 5: the equipment in service, every half year.
        cls.plan_half_year = Plan.create(
            {
                "name": "Test half-yearly",
                "categ_id": cls.categ_lighting.id,
                "interval_months": 6,
                "final_inspection": False,
            }
        )
        cls.plan_vehicles = Plan.create(
            {
                "name": "Test vehicles 6 months or 10,000 km",
                "policy_id": cls.policy_vehicles.id,
                "interval_months": 6,
                "interval_km": 10000,
            }
        )
        cls.Voucher = env["aftersales.warranty.voucher"]
        cls.Reading = env["aftersales.mileage.reading"]
        cls.Due = env["aftersales.service.due"]
        cls._serials = 0

    @classmethod
    def _truck_voucher(cls, **values):
        cls._serials += 1
        lot = cls._lot(cls.truck, f"INSP-TRK-{cls._serials}")
        return cls._voucher(lot, **values)

    @classmethod
    def _lamp_voucher(cls, **values):
        cls._serials += 1
        lot = cls._lot(cls.lamp, f"INSP-LAMP-{cls._serials}")
        return cls._voucher(lot, **values)

    def _read(self, voucher, day, km, **values):
        return self.Reading.create(
            dict({"voucher_id": voucher.id, "date": day, "km": km}, **values)
        )

    def _job(self, day, **kwargs):
        with freeze_time(day):
            return self.Voucher._cron_plan_inspections(**kwargs)

    def _dues(self, voucher):
        return self.Due.search([("voucher_id", "=", voucher.id)], order="id")


@tagged("post_install", "-at_install")
class TestServicePlans(InspectionCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_inspection_data()

    # ------------------------------------------------------------ plans

    def test_policy_plan_prevails_over_the_category(self):
        lamp = self._lamp_voucher()
        truck = self._truck_voucher()
        self.assertEqual(lamp.service_plan_id, self.plan_half_year)
        self.assertEqual(truck.service_plan_id, self.plan_vehicles)
        category_plan = self.env["aftersales.service.plan"].create(
            {
                "name": "Test vehicles by category",
                "categ_id": self.categ_vehicles.id,
                "interval_months": 3,
            }
        )
        self.assertEqual(truck.service_plan_id, self.plan_vehicles)
        # Without its policy's plan, the category's applies: re-planned.
        self.plan_vehicles.active = False
        self.assertEqual(truck.service_plan_id, category_plan)
        self.assertEqual(truck.service_date_next, date(2026, 4, 15))
        category_plan.unlink()
        self.assertFalse(truck.service_plan_id)
        self.assertFalse(truck.service_date_next)

    def test_plan_of_a_parent_category(self):
        # Lamps are a child category of lighting.
        self.assertEqual(self.lamp.categ_id, self.categ_lamps)
        self.assertEqual(self._lamp_voucher().service_plan_id, self.plan_half_year)

    def test_a_new_plan_plans_the_vouchers_already_issued(self):
        self.plan_half_year.active = False
        lamp = self._lamp_voucher()
        self.assertFalse(lamp.service_plan_id)
        self.assertFalse(lamp.service_date_next)
        plan = self.env["aftersales.service.plan"].create(
            {
                "name": "Test lamps",
                "categ_id": self.categ_lamps.id,
                "interval_months": 4,
            }
        )
        self.env.flush_all()
        self.env.invalidate_all()
        self.assertEqual(lamp.service_plan_id, plan)
        self.assertEqual(lamp.service_date_next, date(2026, 5, 15))

    def test_changing_the_interval_replans(self):
        lamp = self._lamp_voucher()
        self.assertEqual(lamp.service_date_next, date(2026, 7, 15))
        self.plan_half_year.interval_months = 3
        self.assertEqual(lamp.service_date_next, date(2026, 4, 15))

    def _replan_rounds(self, batch_size):
        progress = []

        def notify(cron, done, remaining, deactivate=False):
            progress.append((done, remaining))

        Plan = self.env["aftersales.service.plan"]
        with patch.object(type(self.env["ir.cron"]), "_notify_progress", notify):
            while Plan._cron_replan_vouchers(batch_size=batch_size):
                self.env.invalidate_all()
        return progress

    def test_a_plan_of_many_vouchers_is_replanned_by_the_job(self):
        """More vouchers than one transaction re-plans: the change is saved
        at once, the job re-plans them a batch per round."""
        lamps = self.Voucher.browse([self._lamp_voucher().id for __ in range(3)])
        self.assertEqual(set(lamps.mapped("service_date_next")), {date(2026, 7, 15)})
        cron = self.env.ref("aftersales_service.ir_cron_replan_inspections")
        triggers = self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
        plan = self.plan_half_year.with_user(self.manager)
        with patch.object(type(plan), "_replan_inline_limit", 2):
            plan.interval_months = 3
            self.env.flush_all()
            self.env.invalidate_all()
            self.assertTrue(plan.replan_pending)
            self.assertEqual(
                set(lamps.mapped("service_date_next")),
                {date(2026, 7, 15)},
                "left to the job",
            )
            self.assertEqual(
                self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]),
                triggers + 1,
            )
            # Meanwhile the daily job requests nothing on the old dates.
            self.assertFalse(self._job("2026-07-01"))
            # Remaining: the plans still being re-planned.
            self.assertEqual(self._replan_rounds(2), [(2, 1), (1, 0), (0, 0)])
        self.assertFalse(plan.replan_pending)
        self.assertEqual(plan.replan_after_id, 0)
        self.assertEqual(set(lamps.mapped("service_date_next")), {date(2026, 4, 15)})
        self.assertEqual(self._replan_rounds(2), [(0, 0)], "nothing left")
        self.assertEqual(self._job("2026-04-01"), lamps)

    def test_archiving_a_plan_of_many_vouchers_replans_them_by_the_job(self):
        lamps = self.Voucher.browse([self._lamp_voucher().id for __ in range(3)])
        plan = self.plan_half_year.with_user(self.manager)
        with patch.object(type(plan), "_replan_inline_limit", 2):
            with self.assertRaisesText(UserError, "archive them instead"):
                plan.unlink()
            plan.active = False
            self.env.flush_all()
            self.assertEqual(lamps.service_plan_id, self.plan_half_year)
            self._replan_rounds(2)
        self.assertFalse(lamps.service_plan_id)
        self.assertFalse(any(lamps.mapped("service_date_next")))

    def test_replanning_state_is_the_jobs(self):
        plan = self.plan_half_year.with_user(self.manager)
        for values in ({"replan_pending": True}, {"replan_after_id": 10**9}):
            with self.assertRaisesText(AccessError, "set by its job"):
                plan.write(values)
        with self.assertRaisesText(AccessError, "set by its job"):
            plan.create(
                {
                    "name": "Test sneaky",
                    "categ_id": self.categ_vehicles.id,
                    "interval_months": 12,
                    "replan_pending": True,
                }
            )
        self.assertFalse(self.plan_half_year.replan_pending)

    def test_issued_on_delivery_with_the_plan_and_its_date(self):
        lot = self._lot(self.truck, "INSP-DELIVERED")
        with freeze_time("2026-01-31 10:00:00"):
            self._deliver(self.customer, [(self.truck, lot, 1)])
        voucher = self.Voucher.search([("lot_id", "=", lot.id)])
        self.assertEqual(voucher.service_plan_id, self.plan_vehicles)
        # Month end: 31 January + 6 months is 31 July.
        self.assertEqual(voucher.service_date_next, date(2026, 7, 31))
        self.assertEqual(voucher.service_index_next, 1)
        self.env.flush_all()
        self.env.invalidate_all()
        # What the ORM computes for it.
        voucher._compute_service_next()
        self.assertEqual(voucher.service_date_next, date(2026, 7, 31))

    # ------------------------------------------------------------ due dates

    def test_due_by_months_from_the_job(self):
        lamp = self._lamp_voucher()
        self.assertEqual(self._job("2026-06-30"), self.Voucher)
        self.assertFalse(self._dues(lamp))
        self.assertEqual(self._job("2026-07-01"), lamp)
        due = self._dues(lamp)
        self.assertRecordValues(
            due,
            [
                {
                    "kind": "periodic",
                    "sequence": 1,
                    "date_due": date(2026, 7, 15),
                    "station_id": self.station.id,
                    "plan_id": self.plan_half_year.id,
                }
            ],
        )
        ticket = due.ticket_id
        self.assertRecordValues(
            ticket,
            [
                {
                    "aftersales_service_type": "inspection",
                    "team_id": self.env.ref(
                        "aftersales_service.helpdesk_team_inspections"
                    ).id,
                    "partner_id": self.customer.id,
                    "lot_id": lamp.lot_id.id,
                    "voucher_id": lamp.id,
                    "station_id": self.station.id,
                    "region_id": self.region_east.id,
                }
            ],
        )
        self.assertNotEqual(ticket.number, "/")
        self.assertEqual(ticket.stage_id, ticket.team_id._get_applicable_stages()[:1])
        self.assertFalse(ticket.ticket_sla_ids, "no escalation before the visit")
        activity = ticket.activity_ids
        self.assertEqual(activity.user_id, self.coordinator)
        self.assertEqual(activity.date_deadline, date(2026, 7, 15))
        self.assertEqual(
            activity.activity_type_id,
            self.env.ref("aftersales_service.mail_activity_type_inspection"),
        )
        self.assertIn(ticket.number, lamp.message_ids[0].body)
        # Planned on: the next half year, not before the warranty ends.
        self.assertEqual(lamp.service_date_next, False, "ends 2027-01-15")
        truck = self._truck_voucher()
        self._job("2026-07-01")
        self.assertEqual(truck.service_date_next, date(2027, 1, 15))
        self.assertEqual(truck.service_index_next, 2)

    def test_due_by_km_from_the_readings(self):
        plan = self.plan_vehicles
        plan.interval_months = 0
        truck = self._truck_voucher(mileage_start=1000)
        self.assertFalse(truck.service_date_next, "no reading: no estimate")
        self.assertFalse(self._job("2026-12-31"))
        # 3,000 km in 30 days: 100 km a day, 10,000 km more on 25 April.
        self._read(truck, date(2026, 2, 14), 4000)
        self.assertEqual(truck.service_date_next, date(2026, 4, 25))
        self.assertFalse(self._job("2026-04-10"))
        self.assertEqual(self._job("2026-04-11"), truck)
        due = self._dues(truck)
        self.assertEqual((due.date_due, due.km_due), (date(2026, 4, 25), 11000))
        self.assertEqual(truck.service_date_next, date(2026, 8, 3))
        self.assertEqual(truck.service_index_next, 2)

    def test_due_on_the_earlier_of_months_and_km(self):
        slow, fast = self._truck_voucher(), self._truck_voucher()
        self._read(slow, date(2026, 2, 14), 300)
        self._read(fast, date(2026, 2, 14), 3000)
        self.assertEqual(slow.service_date_next, date(2026, 7, 15))
        self.assertEqual(fast.service_date_next, date(2026, 4, 25))
        self.assertEqual(self._job("2026-04-11"), fast)
        # The fast one's second: 20,000 km on 3 August.
        self.assertEqual(fast.service_date_next, date(2026, 8, 3))
        self.assertEqual(self._job("2026-07-01"), slow)

    def test_km_plan_already_overdue_is_requested_at_once(self):
        truck = self._truck_voucher()
        with freeze_time("2026-06-01"):
            self._read(truck, date(2026, 6, 1), 25000)
        self.assertEqual(truck.service_date_next, date(2026, 6, 1))
        self.assertEqual(self._job("2026-06-02"), truck)
        # Two steps of 10,000 km in one reading: one request covers both.
        due = self._dues(truck)
        self.assertEqual((due.sequence, due.date_due), (2, date(2026, 6, 1)))
        # 182 km a day: 30,000 km on 29 June, before the half year.
        self.assertEqual(truck.service_index_next, 3)
        self.assertEqual(truck.service_date_next, date(2026, 6, 29))

    def test_late_job_covers_what_is_due_by_then(self):
        truck = self._truck_voucher()
        # Not run for a year: one request, not two.
        self.assertEqual(self._job("2027-01-10"), truck)
        due = self._dues(truck)
        self.assertEqual((due.sequence, due.date_due), (2, date(2026, 7, 15)))
        self.assertEqual(truck.service_date_next, date(2027, 7, 15))
        self.assertFalse(self._job("2027-01-11"))

    # ------------------------------------------------------------ readings

    def test_reading_from_a_ticket_replans(self):
        truck = self._truck_voucher()
        self.assertEqual(truck.service_date_next, date(2026, 7, 15))
        with freeze_time("2026-02-14"):
            ticket = self.env["helpdesk.ticket"].create(
                {
                    "name": "Noise",
                    "description": "Noise",
                    "lot_id": truck.lot_id.id,
                    "mileage": 3000,
                }
            )
        self.assertEqual(ticket.voucher_id, truck)
        reading = truck.mileage_reading_ids
        self.assertRecordValues(
            reading,
            [
                {
                    "source": "ticket",
                    "ticket_id": ticket.id,
                    "date": date(2026, 2, 14),
                    "km": 3000,
                }
            ],
        )
        self.assertEqual(truck.service_date_next, date(2026, 4, 25))
        # Corrected on the ticket: the same reading, re-planned again.
        ticket.mileage = 1500
        self.assertEqual(truck.mileage_reading_ids, reading)
        self.assertEqual(reading.km, 1500)
        self.assertEqual(truck.service_date_next, date(2026, 7, 15))
        ticket.mileage = 0
        self.assertFalse(truck.mileage_reading_ids)

    def test_reading_from_a_claim_on_the_failure_day(self):
        truck = self._truck_voucher()
        claim = self.env["aftersales.claim"].create(
            {
                "partner_id": self.customer.id,
                "product_id": self.truck.id,
                "lot_id": truck.lot_id.id,
                "failure_date": date(2026, 2, 14),
                "date": date(2026, 2, 16),
                "mileage": 3000,
            }
        )
        self.assertRecordValues(
            truck.mileage_reading_ids,
            [{"source": "claim", "claim_id": claim.id, "date": date(2026, 2, 14)}],
        )
        self.assertEqual(truck.service_date_next, date(2026, 4, 25))
        self.assertEqual(truck.mileage_last, 3000)
        self.assertEqual(truck.km_per_day, 100)

    def test_backwards_readings_refused(self):
        truck = self._truck_voucher(mileage_start=500)
        self._read(truck, date(2026, 3, 1), 5000)
        with self.assertRaisesText(ValidationError, "5,000 km read on 2026-03-01"):
            self._read(truck, date(2026, 3, 10), 4000)
        # Earlier, but more than what was read later: backwards too.
        with self.assertRaisesText(ValidationError, "less than"):
            self._read(truck, date(2026, 2, 1), 6000)
        with self.assertRaisesText(ValidationError, "500 km it started with"):
            self._read(truck, date(2026, 2, 1), 100)
        with self.assertRaisesText(ValidationError, "comes before it"):
            self._read(truck, date(2026, 1, 1), 600)
        with self.assertRaisesText(ValidationError, "less than"):
            self.env["aftersales.claim"].create(
                {
                    "partner_id": self.customer.id,
                    "product_id": self.truck.id,
                    "lot_id": truck.lot_id.id,
                    "failure_date": date(2026, 3, 5),
                    "date": date(2026, 3, 5),
                    "mileage": 4200,
                }
            )
        self.assertEqual(truck.mileage_reading_ids.mapped("km"), [5000])
        self.assertFalse(
            self.env["aftersales.claim"].search([("lot_id", "=", truck.lot_id.id)])
        )
        # Same day, more km: fine.
        self._read(truck, date(2026, 3, 1), 5100)

    def test_readings_bad_input(self):
        truck = self._truck_voucher()
        for values, pattern in (
            ({"km": -1}, "negative"),
            ({"km": float("nan")}, "a number is expected"),
            ({"km": "far"}, "a number is expected"),
            ({"date": "2026-02-30"}, "no calendar has this day"),
            ({"date": "2099-01-01"}, "future"),
        ):
            with self.subTest(values=values):
                with self.assertRaisesText(ValidationError, pattern):
                    self._read(
                        truck, **dict({"day": date(2026, 2, 1), "km": 10}, **values)
                    )
        self.assertFalse(truck.mileage_reading_ids)
        expired = self._lamp_voucher(date_delivery=date(2024, 1, 1))
        with freeze_time("2026-06-01"):
            self.Voucher._cron_expire_vouchers()
        self.assertEqual(expired.state, "expired")
        with self.assertRaisesText(UserError, "not active"):
            self.Reading.with_user(self.user).create(
                {"voucher_id": expired.id, "date": date(2026, 2, 1), "km": 10}
            )
        ticket = self.env["helpdesk.ticket"].create(
            {"name": "x", "description": "x", "lot_id": truck.lot_id.id}
        )
        for bad in (-5, float("inf"), "12"):
            with self.subTest(mileage=bad), self.assertRaises(UserError):
                ticket.write({"mileage": bad})
        self.assertFalse(truck.mileage_reading_ids)

    # ------------------------------------------------------------ last one

    def test_last_inspection_before_the_warranty_ends(self):
        self.customer.email = "fleet@example.com"
        # Vehicle policy: 24 months, ends 2028-01-15; invited from 16 December.
        truck = self._truck_voucher()
        self._job("2027-07-10")  # the half-yearly ones up to then
        before = self._dues(truck)
        self.assertEqual(set(before.mapped("kind")), {"periodic"})
        self.assertFalse(self._job("2027-12-15"))
        mails = self.env["mail.mail"].search([("model", "=", truck._name)])
        self.assertEqual(self._job("2027-12-16"), truck)
        final = self._dues(truck) - before
        self.assertRecordValues(
            final,
            [{"kind": "final", "date_due": date(2028, 1, 15), "mail_sent": True}],
        )
        self.assertEqual(final.ticket_id.aftersales_service_type, "inspection")
        self.assertEqual(final.ticket_id.activity_ids.user_id, self.coordinator)
        mail = self.env["mail.mail"].search([("model", "=", truck._name)]) - mails
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.res_id, truck.id)
        self.assertEqual(mail.recipient_ids, self.customer)
        self.assertIn(truck.name, mail.subject)
        # Once: the next days send nothing more.
        self.assertFalse(self._job("2027-12-17"))
        self.assertFalse(self._job("2028-01-15"))
        self.assertEqual(len(self._dues(truck) - before), 1)

    def test_periodic_inspection_in_the_last_ones_window_is_the_last_one(self):
        self.company.aftersales_service_final_days = 200
        truck = self._truck_voucher()  # ends 2028-01-15: invited from 2027-06-29
        self._job("2027-01-10")  # the first two half years
        self.assertEqual(truck.service_date_next, date(2027, 7, 15))
        self.assertEqual(self._job("2027-07-10"), truck)
        self.assertEqual(
            self._dues(truck).mapped(lambda d: (d.kind, d.sequence)),
            [("periodic", 2), ("final", 0)],
        )
        self.assertFalse(self._job("2027-07-11"))

    def test_inactive_station_gets_no_request(self):
        self.station._change_state("suspended", "Audit")
        truck = self._truck_voucher(user_id=self.manager.id)
        # Its last claim's station is suspended too: nobody's station.
        self.env["aftersales.claim"].create(
            {
                "partner_id": self.customer.id,
                "product_id": self.truck.id,
                "lot_id": truck.lot_id.id,
                "station_id": self.station.id,
            }
        )
        self._job("2026-07-01")
        due = self._dues(truck)
        self.assertFalse(due.station_id)
        self.assertFalse(due.ticket_id.station_id)
        # The voucher's responsible hears of it instead.
        self.assertEqual(due.ticket_id.activity_ids.user_id, self.manager)

    def test_no_last_inspection_when_the_plan_asks_none(self):
        lamp = self._lamp_voucher()  # ends 2027-01-15, plan without a last one
        self._job("2026-07-10")
        self.assertFalse(self._job("2026-12-20"))
        self.assertEqual(self._dues(lamp).mapped("kind"), ["periodic"])

    # ------------------------------------------------------------ idempotency

    def test_second_run_requests_nothing_new(self):
        vouchers = self._truck_voucher() | self._lamp_voucher()
        self.assertEqual(self._job("2026-07-01"), vouchers)
        tickets = self.env["helpdesk.ticket"].search_count([])
        self.assertFalse(self._job("2026-07-01"))
        self.assertEqual(self.env["helpdesk.ticket"].search_count([]), tickets)

    def test_unique_key_per_voucher_and_due_date(self):
        truck = self._truck_voucher()
        self._job("2026-07-01")
        due = self._dues(truck)
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.IntegrityError):
            with self.env.cr.savepoint():
                self.Due.create(
                    {
                        "voucher_id": truck.id,
                        "company_id": truck.company_id.id,
                        "kind": "periodic",
                        "sequence": 1,
                        "date_due": due.date_due,
                    }
                )
        self.Due.create(
            {
                "voucher_id": truck.id,
                "company_id": truck.company_id.id,
                "kind": "final",
                "date_due": date(2028, 1, 15),
            }
        )
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.IntegrityError):
            with self.env.cr.savepoint():
                self.Due.create(
                    {
                        "voucher_id": truck.id,
                        "company_id": truck.company_id.id,
                        "kind": "final",
                        "date_due": date(2028, 1, 14),
                    }
                )

    def test_more_than_a_batch_is_reported_and_finished_by_the_next(self):
        for __ in range(3):
            self._lamp_voucher()
        progress = []

        def notify(cron, done, remaining, deactivate=False):
            progress.append((done, remaining))

        with patch.object(type(self.env["ir.cron"]), "_notify_progress", notify):
            for __ in range(3):
                self._job("2026-07-01", batch_size=2)
        self.assertEqual(progress, [(2, 1), (1, 0), (0, 0)])

    def test_cron_record_calls_the_method(self):
        cron = self.env.ref("aftersales_service.ir_cron_plan_inspections")
        self.assertIn("_cron_plan_inspections", cron.code)
        lamp = self._lamp_voucher()
        with freeze_time("2026-07-01"):
            cron.method_direct_trigger()
        self.assertEqual(len(self._dues(lamp)), 1)

    # ------------------------------------------------------------ rights

    def test_plans_are_configuration(self):
        Plan = self.env["aftersales.service.plan"]
        values = {
            "name": "Test by role",
            "categ_id": self.categ_vehicles.id,
            "interval_months": 12,
        }
        with self.assertRaises(AccessError):
            Plan.with_user(self.user).create(values)
        with self.assertRaises(AccessError):
            self.plan_half_year.with_user(self.user).write({"interval_months": 1})
        self.assertEqual(self.plan_half_year.with_user(self.user).interval_months, 6)
        plan = Plan.with_user(self.manager).create(values)
        plan.with_user(self.manager).interval_months = 3
        with self.assertRaises(AccessError):
            Plan.with_user(self.stock_user).search([])

    def test_requested_inspections_are_the_jobs(self):
        truck = self._truck_voucher()
        self._job("2026-07-01")
        due = self._dues(truck)
        for user in (self.user, self.manager):
            self.assertEqual(due.with_user(user).date_due, date(2026, 7, 15))
            with self.assertRaises(AccessError):
                due.with_user(user).write({"date_due": date(2026, 8, 1)})
            with self.assertRaises(AccessError):
                due.with_user(user).unlink()
        with self.assertRaises(AccessError):
            self.Due.with_user(self.user).create(
                {
                    "voucher_id": truck.id,
                    "company_id": truck.company_id.id,
                    "kind": "periodic",
                    "date_due": date(2026, 9, 1),
                }
            )

    def test_readings_by_role(self):
        truck = self._truck_voucher()
        reading = self._read(truck, date(2026, 2, 1), 1000).with_user(self.user)
        with self.assertRaises(AccessError):
            reading.write({"km": 900})
        with self.assertRaises(AccessError):
            reading.unlink()
        with self.assertRaisesText(UserError, "recorded from them"):
            self.Reading.with_user(self.user).create(
                {
                    "voucher_id": truck.id,
                    "date": date(2026, 2, 2),
                    "km": 1100,
                    "source": "claim",
                }
            )
        # Users type readings; the voucher form adds them to a live voucher.
        truck.with_user(self.user).write(
            {"mileage_reading_ids": [(0, 0, {"date": date(2026, 2, 3), "km": 1200})]}
        )
        self.assertEqual(len(truck.mileage_reading_ids), 2)
        # The user corrects what they typed, not another's reading.
        own = truck.mileage_reading_ids.filtered(lambda r: r.user_id == self.user)
        own.with_user(self.user).write({"km": 1250})
        self.assertEqual(own.km, 1250)
        with self.assertRaises(AccessError):
            reading.write({"km": 990})
        reading.with_user(self.manager).write({"km": 950})
        with self.assertRaisesText(UserError, "stays with its voucher"):
            reading.with_user(self.manager).write(
                {"voucher_id": self._truck_voucher().id}
            )
        with self.assertRaises(AccessError):
            self.Reading.with_user(self.stock_user).search([])

    def test_settings_out_of_range(self):
        for field in ("aftersales_service_lead_days", "aftersales_service_final_days"):
            with self.subTest(field=field), self.assertRaises(ValidationError):
                self.company.write({field: -1})
        self.assertEqual(self.company.aftersales_service_lead_days, 14)

    def test_plans_bad_input(self):
        Plan = self.env["aftersales.service.plan"].with_user(self.manager)
        categ = self.env["product.category"].create({"name": "Test plan input"})
        for values, pattern in (
            ({"interval_months": 0, "interval_km": 0}, "a period in months"),
            ({"interval_months": -6}, "negative"),
            ({"interval_months": 10**6}, "at most 1200"),
            ({"interval_km": float("nan")}, "a number is expected"),
            ({"policy_id": self.policy_lighting.id}, "choose one of them"),
            ({"categ_id": False}, "choose one of them"),
            ({"categ_id": self.categ_lighting.id}, "already plans"),
        ):
            with self.subTest(values=values):
                with self.assertRaisesText(ValidationError, pattern):
                    Plan.create(
                        dict(
                            {
                                "name": "Bad",
                                "categ_id": categ.id,
                                "interval_months": 6,
                            },
                            **values,
                        )
                    )
        self.assertFalse(Plan.search([("name", "=", "Bad")]))


@tagged("post_install", "-at_install")
class TestServicePlanScale(ScaleJobsMixin, InspectionCommon, TransactionCase):
    """A batch costs the same queries for 2 vouchers as for 40."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_inspection_data()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        cls.customer.email = "fleet@example.com"
        other = new_test_user(
            cls.env,
            login="as_other_coordinator",
            groups="aftersales_service.group_aftersales_user",
        )
        cls.other_station = cls.env["aftersales.station"].create(
            {
                "partner_id": cls.env["res.partner"]
                .create({"name": "Test other station", "is_company": True})
                .id,
                "region_id": cls.region_south.id,
                "user_id": other.id,
            }
        )
        cls.other_station.action_activate()
        cls.other_customer = cls.env["res.partner"].create(
            {
                "name": "Test second fleet",
                "is_company": True,
                "email": "second@example.com",
            }
        )

    def _round(self, count, day):
        vouchers = self.Voucher.browse()
        for n in range(count):
            # Half by the customer's station, half by the last claim's.
            voucher = self._truck_voucher(
                partner_id=(self.customer, self.other_customer)[n % 2].id
            )
            vouchers |= voucher
        self.env["aftersales.claim"].create(
            [
                {
                    "partner_id": self.other_customer.id,
                    "product_id": self.truck.id,
                    "lot_id": voucher.lot_id.id,
                    "station_id": self.other_station.id,
                }
                for voucher in vouchers.filtered(
                    lambda v: v.partner_id == self.other_customer
                )
            ]
        )
        with freeze_time(day):
            queries, progress = self._run(self.Voucher._cron_plan_inspections)
        self.assertEqual(progress, [(count, 0)])
        for voucher in vouchers:
            due = self._dues(voucher)
            self.assertEqual(len(due), 1)
            station = (
                self.station
                if voucher.partner_id == self.customer
                else self.other_station
            )
            self.assertEqual(due.station_id, station)
            self.assertEqual(due.ticket_id.activity_ids.user_id, station.user_id)
        return queries

    def test_periodic_round_costs_the_same_for_2_and_40_vouchers(self):
        self._round(2, "2026-07-01")  # caches
        few = self._round(2, "2026-07-02")
        many = self._round(40, "2026-07-03")
        self.assertEqual(few, many)

    def test_final_round_costs_the_same_for_2_and_40_vouchers(self):
        self.plan_vehicles.interval_months = 0  # km only, no reading: final only
        mails = [("model", "=", self.Voucher._name)]
        # The demo data may have queued an invitation already: count this test's.
        before = self.env["mail.mail"].search_count(mails)
        self._round(2, "2027-12-16")
        few = self._round(2, "2027-12-17")
        many = self._round(40, "2027-12-18")
        self.assertEqual(few, many)
        self.assertEqual(self.env["mail.mail"].search_count(mails) - before, 44)


@tagged("post_install", "-at_install")
class TestServicePlanRace(TransactionCase):
    """Two cron workers at once: two real transactions on committed data.

    The first locks its batch (FOR NO KEY UPDATE); the second skips the
    locked vouchers instead of waiting or requesting them again; once the
    first commits, the second finds nothing left to request.
    """

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            category = env["product.category"].create({"name": "Race inspections"})
            product = env["product.product"].create(
                {
                    "name": "Race inspected truck",
                    "categ_id": category.id,
                    "is_storable": True,
                    "tracking": "serial",
                }
            )
            policy = env["aftersales.warranty.policy"].create(
                {"name": "Race inspection policy", "categ_id": category.id}
            )
            plan = env["aftersales.service.plan"].create(
                {
                    "name": "Race plan",
                    "categ_id": category.id,
                    "interval_months": 1,
                    "final_inspection": False,
                }
            )
            partner = env["res.partner"].create({"name": "Race inspected customer"})
            lots = env["stock.lot"].create(
                [{"name": f"RACE-INSP-{n}", "product_id": product.id} for n in range(3)]
            )
            vouchers = env["aftersales.warranty.voucher"].create(
                [
                    {
                        "partner_id": partner.id,
                        "product_id": product.id,
                        "lot_id": lot.id,
                        "date_delivery": date(2026, 1, 15),
                        "state": "active",
                    }
                    for lot in lots
                ]
            )
            self.ids = {
                "vouchers": tuple(vouchers.ids),
                "lots": tuple(lots.ids),
                "product": product.id,
                "template": product.product_tmpl_id.id,
                "policy": policy.id,
                "plan": plan.id,
                "category": category.id,
                "partner": partner.id,
            }
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        ids = self.ids
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT ticket_id FROM aftersales_service_due WHERE voucher_id IN %s",
                (ids["vouchers"],),
            )
            tickets = tuple(row[0] for row in cr.fetchall()) or (0,)
            for model, res_ids in (
                ("helpdesk.ticket", tickets),
                ("aftersales.warranty.voucher", ids["vouchers"]),
            ):
                cr.execute(
                    "DELETE FROM mail_activity WHERE res_model = %s AND res_id IN %s",
                    (model, res_ids),
                )
                cr.execute(
                    "DELETE FROM mail_message WHERE model = %s AND res_id IN %s",
                    (model, res_ids),
                )
            cr.execute(
                "DELETE FROM aftersales_warranty_voucher WHERE id IN %s",
                (ids["vouchers"],),
            )
            cr.execute("DELETE FROM helpdesk_ticket WHERE id IN %s", (tickets,))
            cr.execute("DELETE FROM stock_lot WHERE id IN %s", (ids["lots"],))
            cr.execute(
                "DELETE FROM aftersales_service_plan WHERE id = %s", (ids["plan"],)
            )
            cr.execute(
                "DELETE FROM aftersales_warranty_policy WHERE id = %s", (ids["policy"],)
            )
            cr.execute("DELETE FROM product_product WHERE id = %s", (ids["product"],))
            cr.execute("DELETE FROM product_template WHERE id = %s", (ids["template"],))
            cr.execute("DELETE FROM product_category WHERE id = %s", (ids["category"],))
            cr.execute("DELETE FROM res_partner WHERE id = %s", (ids["partner"],))

    def _voucher_model(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {"tz": "UTC"})[
            "aftersales.warranty.voucher"
        ]

    def _requested(self, cr):
        cr.execute(
            "SELECT voucher_id, count(*) FROM aftersales_service_due "
            "WHERE voucher_id IN %s GROUP BY voucher_id",
            (self.ids["vouchers"],),
        )
        return dict(cr.fetchall())

    def test_two_workers_never_request_the_same_inspection(self):
        ours = set(self.ids["vouchers"])
        today = date(2026, 2, 10)  # due on 15 February, lead time 14 days
        with (
            self.assertNoLogs("odoo", "ERROR"),
            self.registry.cursor() as cr1,
            self.registry.cursor() as cr2,
        ):
            first, second = self._voucher_model(cr1), self._voucher_model(cr2)
            # Worker 1 holds two of the three and works on them.
            held = first.browse(sorted(ours)[:2])._lock_rows("NO KEY UPDATE")
            held._request_periodic_inspections(today)
            # Worker 2 meanwhile: the held ones are skipped, not waited for
            # (other vouchers of the database it may lock are left as found).
            taken = second._lock_inspection_candidates("periodic", today, 1000)
            taken = taken.filtered(lambda v: v.id in ours)
            self.assertEqual(set(taken.ids), ours - set(held.ids))
            taken._request_periodic_inspections(today)
            cr2.commit()
            cr1.commit()
            # Any later run: nothing left to request for them.
            for cr, model in ((cr1, first), (cr2, second)):
                again = model._lock_inspection_candidates("periodic", today, 1000)
                self.assertFalse(again.filtered(lambda v: v.id in ours))
                cr.rollback()
        with self.registry.cursor() as cr:
            self.assertEqual(self._requested(cr), dict.fromkeys(ours, 1))
            # The unique key holds even for a worker that missed the lock.
            Voucher = self._voucher_model(cr)
            late = Voucher.browse(sorted(ours)[:1])
            with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.IntegrityError):
                Voucher.env["aftersales.service.due"].create(
                    {
                        "voucher_id": late.id,
                        "company_id": late.company_id.id,
                        "kind": "periodic",
                        "sequence": 1,
                        "date_due": date(2026, 2, 15),
                    }
                )
                Voucher.env.flush_all()
            cr.rollback()


@tagged("post_install", "-at_install")
class TestServicePlanDemo(TransactionCase):
    """The demo's fleet customer: half-yearly inspections by the Fuzhou
    station, one truck's readings bringing its inspection forward, one
    warranty ending with an invitation to a last inspection."""

    def setUp(self):
        super().setUp()
        self.plan = self.env.ref(
            "aftersales_service.service_plan_special_vehicles",
            raise_if_not_found=False,
        )
        if not self.plan:
            self.skipTest("demo data not loaded")

    def _demo(self, xmlid):
        return self.env.ref(f"aftersales_service.{xmlid}")

    def test_fleet_story(self):
        # What the daily job does on the day the tests run (again: harmless).
        self.env["aftersales.warranty.voucher"]._cron_plan_inspections()
        self.assertEqual(self.plan.interval_months, 6)
        fleet = self._demo("partner_fleet_minjiang")
        station = self._demo("station_fuzhou")
        self.assertEqual(fleet.aftersales_service_station_id, station)
        driven, recent, ending = (
            self._demo(f"voucher_rt80_fleet_{n}") for n in (1, 2, 3)
        )
        for voucher in driven | recent | ending:
            self.assertEqual(voucher.service_plan_id, self.plan)
        self.assertEqual(len(driven.mileage_reading_ids), 3)
        self.assertGreater(driven.km_per_day, 100)
        requested = driven.service_due_ids.filtered(lambda d: d.kind == "periodic")
        self.assertTrue(requested, "the km came first: requested")
        self.assertLess(
            requested[:1].date_due, driven.date_start + relativedelta(months=6)
        )
        self.assertEqual(requested.ticket_id.station_id, station)
        self.assertEqual(requested.ticket_id.activity_ids.user_id, station.user_id)
        self.assertFalse(recent.service_due_ids, "its half year is months away")
        final = ending.service_due_ids.filtered(lambda d: d.kind == "final")
        self.assertTrue(final.mail_sent)
        self.assertEqual(final.date_due, ending.date_end)


@tagged("post_install", "-at_install")
class TestServicePlanTour(InspectionCommon, HttpCase):
    """A user records an odometer reading on the voucher's Inspections tab and
    sees the voucher re-planned."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_inspection_data()
        cls.plan_vehicles.name = "Tour half-yearly"
        cls.tour_user = new_test_user(
            cls.env,
            login="as_inspection_tour_user",
            groups="aftersales_service.group_aftersales_user",
            tz="UTC",
        )
        today = fields.Date.context_today(cls.env["res.users"])
        cls.truck_voucher = cls._truck_voucher(
            date_delivery=today - relativedelta(days=30)
        )

    def test_reading_replans_from_the_form(self):
        voucher = self.truck_voucher
        before = voucher.service_date_next
        self.assertEqual(before, voucher.date_start + relativedelta(months=6))
        self.start_tour(
            f"/odoo/warranty-vouchers/{voucher.id}",
            "aftersales_inspection_reading_tour",
            login="as_inspection_tour_user",
        )
        reading = voucher.mileage_reading_ids
        self.assertEqual((reading.km, reading.source), (6000, "manual"))
        self.assertEqual(reading.user_id.login, "as_inspection_tour_user")
        # 200 km a day: the other 4,000 km in 20 days, before the half year.
        self.assertEqual(
            voucher.service_date_next, reading.date + relativedelta(days=20)
        )
