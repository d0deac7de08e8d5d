# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue #14: service appointments (seed 002 example 3, 预约服务)."""

from datetime import date, datetime, timedelta

import psycopg2
from freezegun import freeze_time

from odoo import SUPERUSER_ID, Command, api, fields, http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from .test_network import NetworkCommon

# A Monday; the stations of these tests work every day 8-12 and 13-17 UTC.
NOW = "2026-06-01 06:00:00"


def at(day, hour, minute=0):
    return datetime(2026, 6, day, hour, minute)


def station_calendar(env, name="Test station hours", tz="UTC"):
    return env["resource.calendar"].create(
        {
            "name": name,
            "tz": tz,
            "attendance_ids": [Command.clear()]
            + [
                Command.create(
                    {
                        "name": period,
                        "dayofweek": str(day),
                        "hour_from": start,
                        "hour_to": stop,
                        "day_period": period,
                    }
                )
                for day in range(7)
                for period, start, stop in (
                    ("morning", 8, 12),
                    ("afternoon", 13, 17),
                )
            ],
        }
    )


class AppointmentCommon(NetworkCommon):
    @classmethod
    def setup_appointment_data(cls):
        cls.setup_network_data()
        env = cls.env
        cls.station.action_activate()
        cls.calendar = station_calendar(env)
        cls.parts_location = env["stock.location"].create(
            {
                "name": "Test station parts",
                "usage": "internal",
                "location_id": env.ref("stock.stock_location_stock").id,
            }
        )
        cls.station.write(
            {
                "resource_calendar_id": cls.calendar.id,
                "parts_location_id": cls.parts_location.id,
                "appointment_duration": 1.0,
            }
        )
        cls.li_partner = env["res.partner"].create(
            {"name": "Technician Li", "parent_id": cls.station_partner.id}
        )
        cls.li = env["aftersales.station.technician"].create(
            {
                "name": "Li",
                "station_id": cls.station.id,
                "partner_id": cls.li_partner.id,
            }
        )
        cls.bay = env["aftersales.station.bay"].create(
            {"name": "Lift", "station_id": cls.station.id}
        )
        cls.seal = env["product.product"].create(
            {
                "name": "Test door seal",
                "is_storable": True,
                "list_price": 520.0,
                "standard_price": 380.0,
            }
        )
        env["stock.quant"]._update_available_quantity(cls.seal, cls.parts_location, 5)
        cls.customer.email = "fleet@example.com"

    @classmethod
    def _appointment(cls, start=None, **values):
        vals = {
            "partner_id": cls.customer.id,
            "station_id": cls.station.id,
            "phone": "+86 591 0000",
            "fault_description": "Door seal torn",
            "date_start": start,
            "duration": 1.0,
        }
        vals.update(values)
        return cls.env["aftersales.appointment"].create(vals)

    @classmethod
    def _confirmed(cls, start, **values):
        appointment = cls._appointment(start, **values)
        appointment.action_confirm()
        return appointment


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestAppointmentBooking(AppointmentCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_appointment_data()

    def test_number_duration_and_local_time(self):
        shanghai = station_calendar(self.env, "Shanghai hours", "Asia/Shanghai")
        self.station.resource_calendar_id = shanghai
        appointment = self.env["aftersales.appointment"].create(
            {
                "partner_id": self.customer.id,
                "station_id": self.station.id,
                "date_start": at(2, 2),
            }
        )
        self.assertRegex(appointment.name, r"^AP/2026/\d{5}$")
        self.assertEqual(appointment.duration, 1.0, "the station's default")
        self.assertEqual(appointment.date_end, at(2, 3))
        self.assertEqual(appointment.station_tz, "Asia/Shanghai")
        self.assertIn("10:00", appointment.local_time)
        self.assertEqual(appointment.date_local, fields.Date.to_date("2026-06-02"))
        self.assertEqual(appointment.phone, False, "the customer has no phone")

    def test_wanted_time_taken_proposes_at_least_two_alternatives(self):
        self._confirmed(at(2, 9))
        wanted = self._appointment(at(2, 9))
        action = wanted.action_find_slots()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        self.assertFalse(wizard.wanted_free)
        starts = wizard.line_ids.mapped("date_start")
        self.assertGreaterEqual(len(starts), 2)
        self.assertEqual(starts, [at(2, 8), at(2, 10), at(2, 10, 30)])
        for line in wizard.line_ids:
            self.assertEqual((line.technician_id, line.bay_id), (self.li, self.bay))
        # The customer takes 10:00: booked and confirmed at once.
        wizard.line_ids[1].action_book()
        self.assertEqual(wanted.state, "confirmed")
        self.assertEqual(wanted.date_start, at(2, 10))

    def test_free_wanted_time_comes_first(self):
        wanted = self._appointment(date_wanted=at(2, 9))
        action = wanted.action_find_slots()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        self.assertTrue(wizard.wanted_free)
        self.assertEqual(wizard.line_ids[0].date_start, at(2, 9))
        # Another wanted time: search again.
        wizard.date_wanted = at(2, 14)
        wizard.action_search()
        self.assertEqual(wizard.line_ids[0].date_start, at(2, 14))

    def test_technician_calendar_events_and_bay_leaves_make_them_busy(self):
        self.env["calendar.event"].create(
            {
                "name": "Training",
                "start": at(2, 9),
                "stop": at(2, 11),
                "partner_ids": [Command.set(self.li_partner.ids)],
            }
        )
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Lift inspection",
                "resource_id": self.bay.resource_id.id,
                "calendar_id": self.calendar.id,
                "date_from": at(2, 13),
                "date_to": at(2, 15),
            }
        )
        Appointment = self.env["aftersales.appointment"]
        proposals = Appointment._propose_slots(self.station, at(2, 9), 1.0, count=4)
        self.assertEqual(
            [slot.start for slot in proposals],
            [at(2, 8), at(2, 11), at(2, 15), at(2, 15, 30)],
        )
        # A whole-day event (leave) covers the technician's day.
        self.env["calendar.event"].create(
            {
                "name": "Day off",
                "allday": True,
                "start_date": "2026-06-03",
                "stop_date": "2026-06-03",
                "partner_ids": [Command.set(self.li_partner.ids)],
            }
        )
        proposals = Appointment._propose_slots(self.station, at(3, 9), 1.0, count=1)
        self.assertEqual(proposals[0].start, at(2, 16))

    def test_double_booking_is_refused(self):
        first = self._confirmed(at(2, 9), technician_id=self.li.id)
        self.assertEqual((first.technician_id, first.bay_id), (self.li, self.bay))
        second = self._appointment(at(2, 9, 30), technician_id=self.li.id)
        with self.assertRaisesText(UserError, "Li is already booked.*Free instead"):
            second.action_confirm()
        self.assertEqual(second.state, "draft")
        self.assertFalse(second.calendar_event_id)
        # With no technician chosen, the station has nobody free either.
        third = self._appointment(at(2, 9, 30))
        with self.assertRaisesText(UserError, "Every technician"):
            third.action_confirm()
        # A second technician but the only bay is taken.
        self.env["aftersales.station.technician"].create(
            {"name": "Wang", "station_id": self.station.id}
        )
        with self.assertRaisesText(UserError, "Every bay"):
            third.action_confirm()
        # Back to back is no collision.
        self._confirmed(at(2, 10), technician_id=self.li.id)

    def test_outside_hours_or_in_the_past_is_refused(self):
        for start, message in (
            (at(2, 11, 30), "is not open"),
            (at(2, 19), "is not open"),
            (at(1, 5), "has passed"),
        ):
            with self.subTest(start=start):
                appointment = self._appointment(start)
                with self.assertRaisesText(UserError, message):
                    appointment.action_confirm()
                self.assertEqual(appointment.state, "draft")
        with self.assertRaisesText(UserError, "Choose the time"):
            self._appointment().action_confirm()

    def test_confirmed_slot_is_frozen_until_rescheduled(self):
        appointment = self._confirmed(at(2, 9)).with_user(self.user)
        with self.assertRaisesText(UserError, "back to draft"):
            appointment.date_start = at(2, 14)
        appointment.fault_description = "Door seal torn, and a noise"
        appointment.action_draft()
        self.assertFalse(appointment.calendar_event_id.active)
        appointment.date_start = at(2, 14)
        appointment.action_confirm()
        self.assertTrue(appointment.calendar_event_id.active)
        self.assertEqual(appointment.calendar_event_id.start, at(2, 14))

    def test_database_refuses_overlapping_confirmed_bookings(self):
        """The EXCLUDE constraint (btree_gist) backs the check up: a write
        that skipped it still cannot double book."""
        self.env.cr.execute(
            "SELECT 1 FROM pg_constraint WHERE conname = "
            "'aftersales_appointment_technician_no_overlap'"
        )
        if not self.env.cr.fetchone():
            self.skipTest("btree_gist is not available")
        self._confirmed(at(2, 9))
        # Written straight in its state (as data files do): its end is known
        # in the INSERT: not an open range overlapping every later booking.
        self._appointment(
            at(1, 14), technician_id=self.li.id, bay_id=self.bay.id, state="confirmed"
        )
        other = self._appointment(
            at(2, 9, 30), technician_id=self.li.id, bay_id=self.bay.id
        )
        self.env.flush_all()
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.errors.ExclusionViolation),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute(
                "UPDATE aftersales_appointment SET state = 'confirmed' WHERE id = %s",
                (other.id,),
            )

    def test_calendar_event_for_station_technician_and_advisor(self):
        appointment = self._confirmed(
            at(2, 9), vehicle_plate="闽A·12345", user_id=self.user.id
        )
        event = appointment.calendar_event_id
        self.assertEqual((event.start, event.stop), (at(2, 9), at(2, 10)))
        self.assertEqual(
            event.partner_ids,
            self.station_partner | self.li_partner | self.user.partner_id,
        )
        self.assertEqual(
            (event.res_model, event.res_id), (appointment._name, appointment.id)
        )
        self.assertIn("闽A·12345", event.description)
        self.assertFalse(event.activity_ids, "no meeting activity on the appointment")
        appointment.action_cancel()
        self.assertFalse(event.active, "the cancelled visit leaves the calendar")

    def test_parts_are_reserved_and_released(self):
        appointment = self._appointment(
            at(2, 9),
            labour_cost=200.0,
            line_ids=[Command.create({"product_id": self.seal.id, "quantity": 2})],
        )
        self.assertEqual(appointment.estimated_cost, 200.0 + 2 * 520.0)
        appointment.action_confirm()
        picking = appointment.picking_id
        self.assertEqual(picking.location_id, self.parts_location)
        self.assertEqual(picking.state, "assigned")
        self.assertEqual(appointment.reservation_state, "reserved")
        self.assertEqual(picking.origin, appointment.name)
        self.assertEqual(
            self.seal.with_context(location=self.parts_location.id).free_qty, 3
        )
        # One more part while confirmed: reserved again, in one transfer.
        appointment.line_ids[0].quantity = 3
        self.assertNotEqual(appointment.picking_id, picking)
        self.assertEqual(picking.state, "cancel")
        self.assertEqual(
            self.seal.with_context(location=self.parts_location.id).free_qty, 2
        )
        appointment.action_cancel()
        self.assertEqual(appointment.picking_id.state, "cancel")
        self.assertEqual(appointment.reservation_state, "released")
        self.assertEqual(
            self.seal.with_context(location=self.parts_location.id).free_qty, 5
        )
        with self.assertRaisesText(UserError, "can no longer change"):
            appointment.line_ids[0].quantity = 1

    def test_parts_without_stock_wait(self):
        appointment = self._appointment(
            at(2, 9),
            line_ids=[Command.create({"product_id": self.seal.id, "quantity": 9})],
        )
        appointment.action_confirm()
        self.assertIn(appointment.reservation_state, ("partial", "waiting"))
        self.assertEqual(appointment.state, "confirmed", "the visit is still booked")

    def test_parts_come_from_the_region_when_the_station_keeps_none(self):
        self.station.parts_location_id = False
        self.assertEqual(self.station._parts_location(), self.office_location)
        warehouse = self.env["stock.warehouse"].create(
            {"name": "Test East WH", "code": "TEW"}
        )
        self.region_east.warehouse_id = warehouse
        self.assertEqual(self.station._parts_location(), warehouse.lot_stock_id)

    def test_visits_make_the_customers_record(self):
        kept = self._confirmed(at(1, 8))
        late = self._confirmed(at(1, 9))
        missed = self._confirmed(at(1, 10))
        future = self._confirmed(at(3, 9))
        with freeze_time("2026-06-01 12:00:00"):
            kept.action_done()
            late.action_done_late()
            missed.action_no_show()
            with self.assertRaisesText(UserError, "has not started yet"):
                future.action_no_show()
        self.assertEqual((kept.state, kept.arrival), ("done", "on_time"))
        self.assertEqual((late.state, late.arrival), ("done", "late"))
        self.assertEqual(missed.state, "no_show")
        self.assertFalse(missed.calendar_event_id.active)
        contact = self.env["res.partner"].create(
            {"name": "Fleet manager", "parent_id": self.customer.id}
        )
        for partner in (self.customer, contact):
            self.assertEqual(partner.aftersales_appointment_kept_count, 2)
            self.assertEqual(partner.aftersales_appointment_on_time_count, 1)
            self.assertEqual(partner.aftersales_appointment_no_show_count, 1)
            self.assertAlmostEqual(partner.aftersales_appointment_on_time_rate, 100 / 3)
        action = self.customer.action_view_aftersales_appointments()
        self.assertEqual(
            self.env["aftersales.appointment"].search(action["domain"]),
            kept | late | missed | future,
        )
        # Final means final.
        kept = kept.with_user(self.user)
        with self.assertRaisesText(UserError, "Done: .* can no longer change"):
            kept.fault_description = "Rewritten"
        kept.note = "Customer asked for the old part"
        for method in (
            "action_confirm",
            "action_cancel",
            "action_draft",
            "action_no_show",
        ):
            with self.subTest(method=method), self.assertRaises(UserError):
                getattr(kept, method)()

    def test_bad_input_is_refused_in_words(self):
        Appointment = self.env["aftersales.appointment"]
        cases = [
            ({"duration": -1}, "it must be positive"),
            ({"duration": float("nan")}, "a number is expected"),
            ({"labour_cost": -5}, "cannot be negative"),
            ({"date_start": "2026-02-30 10:00:00"}, "a moment"),
            ({"partner_id": False, "customer_name": " "}, "give the customer"),
            ({"state": "confirmed"}, "set by its actions"),
            ({"reminder_sent": True}, "set by its actions"),
        ]
        for values, message in cases:
            with self.subTest(values=values):
                vals = {
                    "partner_id": self.customer.id,
                    "station_id": self.station.id,
                    "date_start": at(2, 9),
                }
                vals.update(values)
                with self.assertRaisesText(UserError, message):
                    Appointment.with_user(self.user).create(vals)
        other_station = self.env["aftersales.station"].create(
            {"partner_id": self.env["res.partner"].create({"name": "Other"}).id}
        )
        stranger = self.env["aftersales.station.technician"].create(
            {"name": "Stranger", "station_id": other_station.id}
        )
        with self.assertRaisesText(ValidationError, "does not work at"):
            self._appointment(at(2, 9), technician_id=stranger.id)
        with self.assertRaisesText(UserError, "positive"):
            self._appointment(
                at(2, 9),
                line_ids=[Command.create({"product_id": self.seal.id, "quantity": 0})],
            )
        self.assertFalse(Appointment.search([("station_id", "=", self.station.id)]))

    def test_only_after_sales_users_move_appointments(self):
        appointment = self._appointment(at(2, 9))
        outsider = new_test_user(
            self.env, login="as_appointment_outsider", groups="base.group_user"
        )
        with self.assertRaises(AccessError):
            appointment.with_user(outsider).action_confirm()
        appointment.with_user(self.user).action_confirm()
        self.assertEqual(appointment.state, "confirmed")

    def test_ticket_books_an_appointment(self):
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Compartment warms up",
                "description": "<p>-5 °C after two hours</p>",
                "partner_id": self.customer.id,
                "station_id": self.station.id,
            }
        )
        action = ticket.with_user(self.user).action_book_appointment()
        form = Form(
            self.env["aftersales.appointment"].with_context(**action["context"])
        )
        self.assertEqual(form.partner_id, self.customer)
        self.assertEqual(form.station_id, self.station)
        self.assertIn("-5 °C", form.fault_description)
        form.date_start = at(2, 9)
        appointment = form.save()
        self.assertEqual(ticket.appointment_count, 1)
        self.assertEqual(appointment.ticket_id, ticket)
        self.assertEqual(self.station.appointment_count, 1)


@tagged("post_install", "-at_install")
class TestAppointmentReminders(AppointmentCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_appointment_data()
        with freeze_time(NOW):
            cls.tomorrow = cls._confirmed(at(2, 9))
            cls.later = cls._confirmed(at(5, 9))
            walk_in = {"partner_id": False, "customer_name": "Mr. Zhang"}
            cls.walk_in = cls._confirmed(at(2, 14), **walk_in)

    def _reminders(self):
        return self.env["mail.mail"].search(
            [("model", "=", "aftersales.appointment"), ("subject", "ilike", "Reminder")]
        )

    @freeze_time(NOW)
    def test_reminder_is_sent_once_the_day_before(self):
        Appointment = self.env["aftersales.appointment"]
        self.assertEqual(Appointment._cron_send_reminders(), 2)
        mail = self._reminders()
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.customer)
        self.assertIn(self.tomorrow.local_time, mail.subject)
        self.assertIn("Expected duration", mail.body_html)
        self.assertIn("Estimated cost", mail.body_html)
        self.assertTrue(self.tomorrow.reminder_sent)
        self.assertFalse(self.later.reminder_sent, "not before the day before")
        self.assertTrue(self.walk_in.reminder_sent)
        self.assertIn("by phone", self.walk_in.activity_ids.summary)
        self.assertIn("Reminder sent", self.tomorrow.message_ids[0].body)
        # Running again sends nothing.
        self.assertEqual(Appointment._cron_send_reminders(), 0)
        self.assertEqual(len(self._reminders()), 1)

    def test_tomorrow_is_the_stations_day_west_of_utc(self):
        Appointment = self.env["aftersales.appointment"]
        self.station.resource_calendar_id = station_calendar(
            self.env, "Los Angeles hours", "America/Los_Angeles"
        )
        # 06:00 UTC is 23:00 on 31 May in Los Angeles: 2 June, the day of
        # both, is the day after tomorrow there.
        with freeze_time(NOW):
            self.assertEqual(self.tomorrow.date_local, date(2026, 6, 2))
            self.assertEqual(Appointment._cron_send_reminders(), 0)
        with freeze_time("2026-06-01 08:00:00"):
            self.assertEqual(Appointment._cron_send_reminders(), 2)
        self.assertTrue(self.tomorrow.reminder_sent)
        self.assertTrue(self.walk_in.reminder_sent)
        self.assertFalse(self.later.reminder_sent)

    def test_tomorrow_is_the_stations_day_east_of_utc(self):
        self.station.resource_calendar_id = station_calendar(
            self.env, "Shanghai hours", "Asia/Shanghai"
        )
        # 17:00 UTC is 01:00 on 2 June in Shanghai: 3 June is tomorrow there.
        with freeze_time("2026-06-01 17:00:00"):
            early = self._confirmed(at(3, 1))
            self.assertEqual(early.date_local, date(2026, 6, 3))
            self.assertEqual(
                self.env["aftersales.appointment"]._cron_send_reminders(), 3
            )
        self.assertTrue(early.reminder_sent)
        self.assertFalse(self.later.reminder_sent)

    def test_rescheduling_reminds_again(self):
        with freeze_time(NOW):
            self.env["aftersales.appointment"]._cron_send_reminders()
            self.tomorrow.action_draft()
            self.assertFalse(self.tomorrow.reminder_sent)
            self.tomorrow.date_start = at(2, 15)
            self.tomorrow.action_confirm()
            self.env["aftersales.appointment"]._cron_send_reminders()
        self.assertEqual(len(self._reminders()), 2)

    def test_cron_record_calls_the_method(self):
        cron = self.env.ref("aftersales_service.ir_cron_appointment_reminders")
        self.assertEqual(cron.code.strip(), "model._cron_send_reminders()")
        self.assertEqual(cron.model_id.model, "aftersales.appointment")


class CommittedStation:
    """A station, its hours, technician and bay committed in the database:
    two real transactions see them."""

    def setup_committed(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            calendar = station_calendar(env, "Concurrency hours")
            partner = env["res.partner"].create(
                {"name": "Concurrency station", "email": "c@example.com"}
            )
            station = env["aftersales.station"].create(
                {
                    "partner_id": partner.id,
                    "resource_calendar_id": calendar.id,
                    "state": "active",
                }
            )
            technician = env["aftersales.station.technician"].create(
                {"name": "Concurrency tech", "station_id": station.id}
            )
            bay = env["aftersales.station.bay"].create(
                {"name": "Concurrency bay", "station_id": station.id}
            )
            self.ids = {
                "calendar": calendar.id,
                "partner": partner.id,
                "station": station.id,
                "technician": technician.id,
                "bay": bay.id,
                "resource": bay.resource_id.id,
            }
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            appointments = env["aftersales.appointment"].search(
                [("station_id", "=", self.ids["station"])]
            )
            appointments.calendar_event_id.unlink()
            env["mail.mail"].search(
                [
                    ("model", "=", "aftersales.appointment"),
                    ("res_id", "in", appointments.ids),
                ]
            ).unlink()
            cr.execute(
                "DELETE FROM aftersales_appointment WHERE id IN %s",
                (tuple(appointments.ids) or (0,),),
            )
            env["aftersales.station.bay"].browse(self.ids["bay"]).unlink()
            env["resource.resource"].browse(self.ids["resource"]).unlink()
            env["aftersales.station.technician"].browse(self.ids["technician"]).unlink()
            cr.execute(
                "DELETE FROM aftersales_station WHERE id = %s", (self.ids["station"],)
            )
            env["resource.calendar"].browse(self.ids["calendar"]).unlink()
            env["res.partner"].browse(self.ids["partner"]).unlink()

    def _new(self, env, start):
        return env["aftersales.appointment"].create(
            {
                "partner_id": self.ids["partner"],
                "station_id": self.ids["station"],
                "date_start": start,
                "duration": 1.0,
            }
        )


@tagged("post_install", "-at_install")
class TestAppointmentConcurrency(CommittedStation, TransactionCase):
    """Two workers at once: committed data, two real transactions."""

    def setUp(self):
        super().setUp()
        self.setup_committed()

    @freeze_time(NOW)
    def test_two_bookings_of_one_slot_the_second_is_retried_and_refused(self):
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            first = api.Environment(cr1, SUPERUSER_ID, {})
            second = api.Environment(cr2, SUPERUSER_ID, {})
            # The second transaction takes its snapshot before the first books.
            late = self._new(second, at(2, 9, 30))
            cr2.flush()
            early = self._new(first, at(2, 9))
            early.action_confirm()
            cr1.commit()
            # Blind to the committed booking, it must not book: the station's
            # row was written, so PostgreSQL refuses it (Odoo retries such a
            # request from the start).
            with self.assertRaises(psycopg2.errors.SerializationFailure):
                late.action_confirm()
            cr2.rollback()
            # The retry sees the booking and refuses in words.
            late = self._new(second, at(2, 9, 30))
            with self.assertRaisesRegex(UserError, "already booked"):
                late.action_confirm()
            cr2.rollback()

    @freeze_time(NOW)
    def test_two_workers_send_a_reminder_once(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            appointment = self._new(env, at(2, 9))
            appointment.action_confirm()
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            first = api.Environment(cr1, SUPERUSER_ID, {})["aftersales.appointment"]
            second = api.Environment(cr2, SUPERUSER_ID, {})["aftersales.appointment"]
            self.assertEqual(first._send_reminders(100), 1)
            # The first worker still holds it: the second skips it.
            self.assertEqual(second._send_reminders(100), 0)
            cr1.commit()
            cr2.rollback()
            # Once committed, it is flagged: nothing left to send.
            self.assertEqual(second._send_reminders(100), 0)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            mails = env["mail.mail"].search(
                [
                    ("model", "=", "aftersales.appointment"),
                    ("res_id", "=", appointment.id),
                ]
            )
            self.assertEqual(len(mails), 1)
            self.assertTrue(
                env["aftersales.appointment"].browse(appointment.id).reminder_sent
            )


@tagged("post_install", "-at_install")
class TestAppointmentDemo(TransactionCase):
    def test_demo_has_an_appointment_in_each_state(self):
        confirmed = self.env.ref(
            "aftersales_service.appointment_confirmed", raise_if_not_found=False
        )
        if not confirmed:
            self.skipTest("demo data not loaded")
        station = self.env.ref("aftersales_service.station_fuzhou")
        states = set(
            self.env["aftersales.appointment"]
            .search([("station_id", "=", station.id)])
            .mapped("state")
        )
        self.assertEqual(states, {"draft", "confirmed", "done", "no_show", "cancel"})
        self.assertEqual(len(station.bay_ids), 3)
        self.assertEqual(station.resource_calendar_id.tz, "Asia/Shanghai")
        self.assertTrue(confirmed.calendar_event_id)
        self.assertEqual(confirmed.reservation_state, "reserved")
        customer = self.env.ref("aftersales_service.partner_cold_chain")
        self.assertEqual(customer.aftersales_appointment_no_show_count, 1)
        self.assertEqual(customer.aftersales_appointment_on_time_count, 2)


@tagged("post_install", "-at_install")
class TestAppointmentPortal(AppointmentCommon, HttpCase):
    """Customers book and read their own appointments, station staff those
    of their station; nobody reaches another's by its id."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_appointment_data()
        env = cls.env
        cls.tomorrow = (fields.Datetime.now() + timedelta(days=1)).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
        contact = env["res.partner"].create(
            {
                "name": "Fleet manager",
                "parent_id": cls.customer.id,
                "email": "fm@example.com",
            }
        )
        cls.portal_customer = new_test_user(
            env,
            login="as_appt_customer",
            groups="base.group_portal",
            partner_id=contact.id,
        )
        rival = env["res.partner"].create(
            {"name": "Rival customer", "is_company": True}
        )
        cls.rival = new_test_user(
            env,
            login="as_appt_rival",
            groups="base.group_portal",
            partner_id=env["res.partner"]
            .create({"name": "Rival buyer", "parent_id": rival.id})
            .id,
        )
        clerk = env["res.partner"].create(
            {"name": "Clerk", "parent_id": cls.station_partner.id}
        )
        cls.clerk = new_test_user(
            env,
            login="as_appt_clerk",
            groups="base.group_portal,aftersales_service.group_aftersales_station",
            partner_id=clerk.id,
        )
        other_station = env["aftersales.station"].create(
            {
                "partner_id": env["res.partner"]
                .create({"name": "Other station", "is_company": True})
                .id,
                "region_id": cls.region_south.id,
            }
        )
        other_station.action_activate()
        other_clerk = env["res.partner"].create(
            {"name": "Other clerk", "parent_id": other_station.partner_id.id}
        )
        cls.other_clerk = new_test_user(
            env,
            login="as_appt_other_clerk",
            groups="base.group_portal,aftersales_service.group_aftersales_station",
            partner_id=other_clerk.id,
        )
        cls.mine = cls._confirmed(cls.tomorrow + timedelta(hours=9))

    def _hour(self, hour, minute=0):
        return self.tomorrow + timedelta(hours=hour, minutes=minute)

    def _post(self, url, **data):
        return self.url_open(
            url, data=dict(data, csrf_token=http.Request.csrf_token(self))
        )

    def _booking(self, **values):
        data = {
            "station_id": str(self.station.id),
            "date": self.tomorrow.strftime("%Y-%m-%d"),
            "time": "09:00",
            "slot": self._hour(10).strftime("%Y-%m-%d %H:%M:%S"),
            "phone": "+86 139 0000 1111",
            "vehicle_plate": "闽A·0001",
            "fault_description": "Rear door seal",
        }
        data.update(values)
        return data

    def test_customer_reads_own_appointment_others_get_404(self):
        self.authenticate("as_appt_customer", "as_appt_customer")
        own = self.url_open(f"/my/appointments/{self.mine.id}")
        self.assertEqual(own.status_code, 200)
        self.assertIn(self.mine.name, own.text)
        self.assertIn("Expected duration", own.text)
        listing = self.url_open("/my/appointments")
        self.assertIn(self.mine.name, listing.text)
        for login in ("as_appt_rival", "as_appt_other_clerk"):
            with self.subTest(login=login):
                self.authenticate(login, login)
                other = self.url_open(f"/my/appointments/{self.mine.id}")
                self.assertEqual(other.status_code, 404)
                self.assertNotIn(self.mine.name, other.text)
                self.assertNotIn(self.mine.name, self.url_open("/my/appointments").text)
                cancel = self._post(f"/my/appointments/{self.mine.id}/cancel")
                self.assertEqual(cancel.status_code, 404)
                self.assertEqual(self.mine.state, "confirmed")
        self.authenticate("as_appt_rival", "as_appt_rival")
        for bad_id in (999999, 2**31):
            self.assertEqual(
                self.url_open(f"/my/appointments/{bad_id}").status_code, 404
            )
        with self.assertRaises(AccessError):
            self.mine.with_user(self.rival).read(["name"])

    def test_station_staff_see_their_station_and_record_the_visit(self):
        self.authenticate("as_appt_clerk", "as_appt_clerk")
        page = self.url_open(f"/my/appointments/{self.mine.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Arrived On Time", page.text)
        bad = self._post(f"/my/appointments/{self.mine.id}/visit", arrival="teleported")
        self.assertEqual(bad.status_code, 400)
        self.assertEqual(self.mine.state, "confirmed")
        self._post(f"/my/appointments/{self.mine.id}/visit", arrival="late")
        self.assertEqual((self.mine.state, self.mine.arrival), ("done", "late"))
        # The customer cannot record visits.
        self.authenticate("as_appt_customer", "as_appt_customer")
        other = self._confirmed(self._hour(14))
        response = self._post(f"/my/appointments/{other.id}/visit", arrival="on_time")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(other.state, "confirmed")

    def test_customer_books_from_proposed_slots(self):
        self.authenticate("as_appt_customer", "as_appt_customer")
        page = self.url_open(
            f"/my/appointments/new?station_id={self.station.id}"
            f"&date={self.tomorrow:%Y-%m-%d}&time=09:00"
        )
        self.assertEqual(page.status_code, 200)
        self.assertIn("The time you want is taken", page.text)
        self.assertIn(self._hour(10).strftime("%Y-%m-%d %H:%M:%S"), page.text)
        response = self._post("/my/appointments/new", **self._booking())
        self.assertEqual(response.status_code, 200)
        booked = self.env["aftersales.appointment"].search([("source", "=", "portal")])
        self.assertEqual(len(booked), 1)
        self.assertEqual(booked.state, "confirmed")
        self.assertEqual(booked.partner_id, self.portal_customer.partner_id)
        self.assertEqual((booked.date_start, booked.duration), (self._hour(10), 1.0))
        self.assertEqual(booked.date_wanted, self._hour(9))
        self.assertTrue(
            response.url.endswith(booked.access_url)
            or booked.access_url in response.url
        )
        # The customer cancels it.
        self._post(f"/my/appointments/{booked.id}/cancel")
        self.assertEqual(booked.state, "cancel")

    def test_bad_bookings_are_refused_and_nothing_is_written(self):
        self.authenticate("as_appt_customer", "as_appt_customer")
        other_station = self.env["aftersales.station"].search(
            [("partner_id.name", "=", "Other station")]
        )
        cases = [
            ({"slot": "tomorrow morning"}, "Choose one of the proposed times"),
            ({"slot": self._hour(9).strftime("%Y-%m-%d %H:%M:%S")}, "already booked"),
            ({"slot": self._hour(12).strftime("%Y-%m-%d %H:%M:%S")}, "is not open"),
            ({"slot": "2020-01-01 09:00:00"}, "has passed"),
            ({"station_id": "abc"}, "Choose the station"),
            ({"station_id": str(other_station.id)}, "Choose the station"),
            ({"station_id": "99999999999"}, "Choose the station"),
            ({"time": "25:99"}, "HH:MM"),
            ({"fault_description": "  "}, "Describe the fault"),
            ({"phone": ""}, "phone number"),
            ({"phone": "1" * 40}, "too long"),
            ({"lot_id": "12345"}, "Choose your product"),
            (
                {
                    "duration": "24",
                    "slot": self._hour(13).strftime("%Y-%m-%d %H:%M:%S"),
                },
                None,
            ),
        ]
        Appointment = self.env["aftersales.appointment"]
        before = Appointment.search_count([])
        for values, message in cases:
            with self.subTest(values=values):
                response = self._post("/my/appointments/new", **self._booking(**values))
                if message is None:
                    # A customer's duration is the station's, whatever is posted.
                    self.assertEqual(response.status_code, 200)
                    booked = Appointment.search([("source", "=", "portal")])
                    self.assertEqual(booked.duration, 1.0)
                    booked.action_cancel()
                    booked.unlink()
                    continue
                self.assertEqual(response.status_code, 400, response.text[:500])
                self.assertIn(message, response.text)
                self.assertEqual(Appointment.search_count([]), before)

    def test_station_books_for_a_walk_in_customer(self):
        self.authenticate("as_appt_clerk", "as_appt_clerk")
        response = self._post(
            "/my/appointments/new",
            **self._booking(
                customer_name="Mr. Zhang",
                duration="2.0",
                slot=self._hour(13).strftime("%Y-%m-%d %H:%M:%S"),
                serial="NO-SUCH-SERIAL",
            ),
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("No product with serial", response.text)
        response = self._post(
            "/my/appointments/new",
            **self._booking(
                customer_name="Mr. Zhang",
                duration="2.0",
                slot=self._hour(13).strftime("%Y-%m-%d %H:%M:%S"),
            ),
        )
        booked = self.env["aftersales.appointment"].search([("source", "=", "portal")])
        self.assertEqual((booked.customer_name, booked.duration), ("Mr. Zhang", 2.0))
        self.assertFalse(booked.partner_id)
        self.assertEqual(booked.station_id, self.station)
        # Another station's staff cannot book here.
        self.authenticate("as_appt_other_clerk", "as_appt_other_clerk")
        page = self.url_open("/my/appointments/new")
        self.assertTrue(page.url.endswith("/my"), "their station takes no bookings")

    def test_portal_tour_customer_books_an_appointment(self):
        self.start_tour(
            "/my/appointments",
            "aftersales_portal_appointment_tour",
            login="as_appt_customer",
        )
        booked = self.env["aftersales.appointment"].search([("source", "=", "portal")])
        self.assertEqual(booked.state, "confirmed")
        self.assertEqual(booked.partner_id, self.portal_customer.partner_id)
        self.assertEqual(booked.fault_description, "Tail lift does not fold")
        self.assertNotEqual(booked.date_start, self.mine.date_start)


@tagged("post_install", "-at_install")
class TestAppointmentTour(AppointmentCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_appointment_data()
        new_test_user(
            cls.env,
            login="as_appt_advisor",
            groups="aftersales_service.group_aftersales_user",
        )
        tomorrow = (fields.Datetime.now() + timedelta(days=1)).replace(
            hour=9, minute=0, second=0, microsecond=0
        )
        cls.taken = cls._confirmed(tomorrow)
        cls.wanted = cls._appointment(date_wanted=tomorrow)

    def test_backend_tour_find_slots_book_and_close(self):
        self.start_tour(
            f"/odoo/service-appointments/{self.wanted.id}",
            "aftersales_appointment_tour",
            login="as_appt_advisor",
        )
        self.assertEqual((self.wanted.state, self.wanted.arrival), ("done", "on_time"))
        self.assertEqual(
            self.wanted.date_start, self.taken.date_start - timedelta(hours=1)
        )
        self.assertEqual(self.customer.aftersales_appointment_on_time_count, 1)
