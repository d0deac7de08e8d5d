# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from contextlib import contextmanager
from datetime import date, datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import ValidationError
from odoo.sql_db import Cursor
from odoo.tests import Form, TransactionCase, new_test_user, tagged

from .test_network import NetworkCommon

# A Monday; the team works around the clock so that deadlines read as hours.
MONDAY_9 = datetime(2026, 6, 1, 9, 0, 0)


@contextmanager
def at(moment):
    """Freeze Python's clock and the transaction's timestamp (create_date)."""

    def now(cr):
        return moment

    with freeze_time(moment), patch.object(Cursor, "now", now):
        yield


class TicketCommon(NetworkCommon):
    @classmethod
    def setup_ticket_data(cls):
        cls.setup_network_data()
        env = cls.env
        cls.calendar = env["resource.calendar"].create(
            {
                "name": "Around the clock",
                "tz": "UTC",
                "hours_per_day": 24,
                "attendance_ids": [
                    Command.clear(),
                    *(
                        Command.create(
                            {
                                "name": f"Day {day}",
                                "dayofweek": str(day),
                                "hour_from": 0,
                                "hour_to": 24,
                            }
                        )
                        for day in range(7)
                    ),
                ],
            }
        )
        cls.team = env.ref("aftersales_service.helpdesk_team_aftersales")
        cls.team.write(
            {
                "resource_calendar_id": cls.calendar.id,
                "user_ids": [Command.link(cls.user.id)],
            }
        )
        cls.region_far = env["aftersales.region"].create(
            {
                "name": "Test Far",
                "code": "T-F",
                "response_class": "far",
                "manager_id": cls.manager.id,
            }
        )
        cls.stage_new = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
        cls.stage_progress = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress")
        cls.stage_on_site = env.ref("aftersales_service.helpdesk_ticket_stage_on_site")
        cls.stage_done = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.stage_cancelled = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_cancelled")

    def _ticket(self, **values):
        vals = {
            "name": "Lamp does not light",
            "description": "<p>Customer called.</p>",
            "team_id": self.team.id,
            "partner_id": self.customer.id,
            "aftersales_service_type": "warranty",
            "region_id": self.region_east.id,
            "priority": "1",
        }
        vals.update(values)
        return self.env["helpdesk.ticket"].create(vals)

    def assertAt(self, value, expected):
        # OCA's calendar planning leaves microseconds on deadlines.
        self.assertAlmostEqual(value, expected, delta=timedelta(seconds=1))

    def _sla(self, ticket, kind):
        return ticket.ticket_sla_ids.filtered(
            lambda s: s.sla_id.aftersales_kind == kind
        )


@tagged("post_install", "-at_install")
class TestTicketDeadlines(TicketCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_ticket_data()

    def test_deadlines_by_priority_and_region_class(self):
        with at(MONDAY_9):
            normal = self._ticket()
            urgent = self._ticket(priority="3")
            far = self._ticket(region_id=self.region_far.id)
            advice = self._ticket(aftersales_service_type="consultation")
        hours = timedelta(hours=1)
        # The reply is due by the visit, however long the reply rule allows.
        self.assertAt(normal.aftersales_reply_deadline, MONDAY_9 + 24 * hours)
        self.assertAt(advice.aftersales_reply_deadline, MONDAY_9 + 48 * hours)
        self.assertAt(urgent.aftersales_reply_deadline, MONDAY_9 + 24 * hours)
        self.assertAt(normal.aftersales_onsite_deadline, MONDAY_9 + 24 * hours)
        self.assertAt(far.aftersales_onsite_deadline, MONDAY_9 + 48 * hours)
        self.assertAt(normal.aftersales_resolve_deadline, MONDAY_9 + 7 * 24 * hours)
        self.assertAt(urgent.aftersales_resolve_deadline, MONDAY_9 + 48 * hours)
        self.assertFalse(advice.aftersales_onsite_deadline, "no visit for advice")
        self.assertAt(normal.aftersales_next_deadline, MONDAY_9 + 24 * hours)

    def test_deadline_boundary(self):
        with at(MONDAY_9):
            ticket = self._ticket(priority="3")
        reply = self._sla(ticket, "reply")
        with at(MONDAY_9 + timedelta(hours=24)):
            self.assertFalse(reply.expired, "due at the very minute, not late")
        reply.invalidate_recordset(["expired"])
        with at(MONDAY_9 + timedelta(hours=24, seconds=1)):
            self.assertTrue(reply.expired)

    def test_reaching_the_stage_meets_the_deadline(self):
        with at(MONDAY_9):
            ticket = self._ticket()
        with at(MONDAY_9 + timedelta(hours=5)):
            ticket.stage_id = self.stage_on_site
        self.assertEqual(self._sla(ticket, "reply").state, "accomplished")
        self.assertEqual(self._sla(ticket, "on_site").state, "accomplished")
        self.assertEqual(self._sla(ticket, "resolution").state, "in_progress")

    def test_raising_the_priority_shortens_the_deadlines(self):
        with at(MONDAY_9):
            ticket = self._ticket()
            ticket.priority = "3"
        self.assertAt(ticket.aftersales_reply_deadline, MONDAY_9 + timedelta(hours=24))
        with at(MONDAY_9):
            ticket.region_id = self.region_far
        self.assertAt(ticket.aftersales_onsite_deadline, MONDAY_9 + timedelta(hours=48))

    def test_on_site_rules_cannot_exceed_the_cap(self):
        self.env.company.aftersales_max_onsite_hours = 72
        sla = self.env.ref("aftersales_service.sla_on_site_far")
        with self.assertRaisesText(ValidationError, "72"):
            sla.write({"days": 0, "hours": 73})
        with self.assertRaisesText(ValidationError, "lowest priority"):
            self.env.ref("aftersales_service.sla_reply_normal").write(
                {"aftersales_priority_min": "3", "aftersales_priority_max": "1"}
            )


@tagged("post_install", "-at_install")
class TestTicketEscalation(TicketCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_ticket_data()

    def test_overdue_ticket_is_escalated_once(self):
        with at(MONDAY_9):
            ticket = self._ticket(region_id=self.region_far.id)
        Ticket = self.env["helpdesk.ticket"]
        with at(MONDAY_9 + timedelta(hours=47)):
            self.assertFalse(Ticket._cron_escalate_overdue())
        with at(MONDAY_9 + timedelta(hours=49)):
            escalated = Ticket._cron_escalate_overdue()
        self.assertEqual(escalated.ticket_id, ticket)
        self.assertEqual(
            set(escalated.mapped("sla_id.aftersales_kind")), {"reply", "on_site"}
        )
        self.assertEqual(ticket.priority, "2")
        todo = ticket.activity_ids.filtered(lambda a: a.user_id == self.manager)
        self.assertEqual(len(todo), 1, "one activity for the region's manager")
        self.assertIn("Overdue", ticket.message_ids[0].body)
        with at(MONDAY_9 + timedelta(hours=60)):
            self.assertFalse(Ticket._cron_escalate_overdue(), "never twice")
        self.assertEqual(ticket.priority, "2")
        self.assertEqual(len(ticket.activity_ids), 1)

    def test_closed_tickets_are_not_escalated(self):
        with at(MONDAY_9):
            ticket = self._ticket()
            ticket.stage_id = self.stage_cancelled
        with at(MONDAY_9 + timedelta(days=30)):
            self.assertFalse(self.env["helpdesk.ticket"]._cron_escalate_overdue())


@tagged("post_install", "-at_install")
class TestTicketService(TicketCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_ticket_data()
        cls.helpdesk_only = new_test_user(
            cls.env,
            login="as_helpdesk_only",
            groups="helpdesk_mgmt.group_helpdesk_user",
        )

    def test_closing_schedules_a_return_visit_the_next_day(self):
        with at(MONDAY_9):
            ticket = self._ticket(user_id=self.user.id)
            ticket.stage_id = self.stage_done
        visit_type = self.env.ref("aftersales_service.mail_activity_type_return_visit")
        visit = ticket.activity_ids.filtered(lambda a: a.activity_type_id == visit_type)
        self.assertEqual(len(visit), 1)
        self.assertEqual(visit.date_deadline, date(2026, 6, 2))
        self.assertEqual(visit.user_id, self.user)
        ticket.stage_id = self.stage_done
        self.assertEqual(len(ticket.activity_ids), 1, "not twice for the same close")
        action = ticket.action_open_return_visit()
        form = Form(self.env[action["res_model"]].with_context(**action["context"]))
        form.result = "dissatisfied"
        form.note = "Lamp failed again"
        form.save().action_confirm()
        self.assertEqual(ticket.return_visit_result, "dissatisfied")
        self.assertEqual(ticket.return_visit_note, "Lamp failed again")
        self.assertFalse(ticket.activity_ids, "the visit is done")
        self.assertTrue(
            any("Lamp failed again" in (m.body or "") for m in ticket.message_ids)
        )

    def test_cancelling_schedules_no_visit(self):
        ticket = self._ticket()
        ticket.stage_id = self.stage_cancelled
        self.assertFalse(ticket.activity_ids)

    def test_ticket_shows_the_warranty_answer(self):
        lot = self._lot(self.truck, "TCK-TRUCK")
        voucher = self._voucher(lot, date_delivery=fields.Date.today())
        ticket = self._ticket(lot_id=lot.id)
        self.assertEqual(ticket.voucher_id, voucher)
        self.assertTrue(ticket.warranty_eligible)
        self.assertEqual(ticket.warranty_remedy, "Refund")
        other = self._ticket(lot_id=self._lot(self.truck, "TCK-NONE").id)
        self.assertFalse(other.voucher_id)
        self.assertFalse(other.warranty_eligible)
        self.assertEqual(other.warranty_status, "No voucher for this serial")
        seen_by_helpdesk = ticket.with_user(self.helpdesk_only)
        self.assertTrue(seen_by_helpdesk.warranty_eligible)

    def test_form_fills_product_and_region(self):
        lot = self._lot(self.lamp, "TCK-LAMP")
        form = Form(self.env["helpdesk.ticket"])
        form.name = "Flicker"
        form.description = "<p>Flicker</p>"
        form.team_id = self.team
        form.station_id = self.station
        form.lot_id = lot
        self.assertEqual(form.product_id, self.lamp)
        self.assertEqual(form.region_id, self.region_east)
        ticket = form.save()
        self.assertEqual(ticket.aftersales_response_class, "near")

    def test_region_from_the_customer_address(self):
        customer = self.env["res.partner"].create(
            {"name": "Coastal customer", "city": "Testport"}
        )
        vals = {"partner_id": customer.id}
        ticket = self.env["helpdesk.ticket"].create(
            {"name": "x", "description": "x", "team_id": self.team.id, **vals}
        )
        self.assertEqual(ticket.region_id, self.region_east)

    def test_serial_of_another_product_is_refused(self):
        lot = self._lot(self.lamp, "TCK-MISMATCH")
        with self.assertRaisesText(ValidationError, "is not a"):
            self._ticket(lot_id=lot.id, product_id=self.truck.id)
