# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue #11 (daily use): tickets."""

from ast import literal_eval
from datetime import timedelta

from lxml import etree

from odoo import Command
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

from .test_tickets import MONDAY_9, TicketCommon, at

HOURS = timedelta(hours=1)


class DailyTicketCommon(TicketCommon):
    def assertDeadlinesInOrder(self, ticket):
        """The reply is due no later than the visit, the visit no later than
        the resolution (steps a ticket does not have are skipped)."""
        steps = [
            ticket.aftersales_reply_deadline,
            ticket.aftersales_onsite_deadline,
            ticket.aftersales_resolve_deadline,
        ]
        present = [deadline for deadline in steps if deadline]
        self.assertEqual(
            present,
            sorted(present),
            f"{ticket.number}: reply {steps[0]}, on site {steps[1]}, "
            f"resolution {steps[2]}",
        )


@tagged("post_install", "-at_install")
class TestDailyTicketDeadlines(DailyTicketCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_ticket_data()

    def test_reply_is_due_no_later_than_the_visit(self):
        # Rules: reply 2 days (normal) or 1 (urgent); on site 1 day near,
        # 2 far; solve 7 days (normal) or 2 (urgent).
        with at(MONDAY_9):
            near = self._ticket()
            far = self._ticket(region_id=self.region_far.id)
            advice = self._ticket(aftersales_service_type="consultation")
            urgent_far = self._ticket(priority="3", region_id=self.region_far.id)
        self.assertAt(near.aftersales_onsite_deadline, MONDAY_9 + 24 * HOURS)
        # Answered at the latest when the technician is there; on the SLA
        # line itself (escalation reads it), not only in the ticket's figure.
        self.assertAt(near.aftersales_reply_deadline, MONDAY_9 + 24 * HOURS)
        self.assertAt(self._sla(near, "reply").deadline, MONDAY_9 + 24 * HOURS)
        self.assertAt(far.aftersales_reply_deadline, MONDAY_9 + 48 * HOURS)
        self.assertAt(advice.aftersales_reply_deadline, MONDAY_9 + 48 * HOURS)
        self.assertAt(urgent_far.aftersales_onsite_deadline, MONDAY_9 + 48 * HOURS)
        self.assertAt(urgent_far.aftersales_resolve_deadline, MONDAY_9 + 48 * HOURS)
        for ticket in near | far | advice | urgent_far:
            self.assertDeadlinesInOrder(ticket)

    def test_visit_is_due_no_later_than_the_resolution(self):
        self.env.ref("aftersales_service.sla_resolve_urgent").days = 1
        with at(MONDAY_9):
            ticket = self._ticket(priority="3", region_id=self.region_far.id)
        self.assertAt(ticket.aftersales_resolve_deadline, MONDAY_9 + 24 * HOURS)
        self.assertAt(ticket.aftersales_onsite_deadline, MONDAY_9 + 24 * HOURS)
        self.assertDeadlinesInOrder(ticket)

    def test_the_bound_follows_the_region(self):
        with at(MONDAY_9):
            ticket = self._ticket()
            self.assertAt(ticket.aftersales_reply_deadline, MONDAY_9 + 24 * HOURS)
            ticket.region_id = self.region_far
        self.assertAt(ticket.aftersales_onsite_deadline, MONDAY_9 + 48 * HOURS)
        self.assertAt(ticket.aftersales_reply_deadline, MONDAY_9 + 48 * HOURS)

    def test_done_ticket_keeps_its_deadlines_in_order(self):
        with at(MONDAY_9):
            ticket = self._ticket()
        with at(MONDAY_9 + 3 * HOURS):
            ticket.stage_id = self.stage_progress
        with at(MONDAY_9 + 20 * HOURS):
            ticket.stage_id = self.stage_on_site
        with at(MONDAY_9 + 30 * HOURS):
            ticket.stage_id = self.stage_done
        self.assertEqual(set(ticket.ticket_sla_ids.mapped("state")), {"accomplished"})
        self.assertAt(ticket.aftersales_reply_deadline, MONDAY_9 + 24 * HOURS)
        self.assertAt(ticket.aftersales_onsite_deadline, MONDAY_9 + 24 * HOURS)
        self.assertAt(ticket.aftersales_resolve_deadline, MONDAY_9 + 7 * 24 * HOURS)
        self.assertDeadlinesInOrder(ticket)
        self.assertFalse(ticket.aftersales_next_deadline, "nothing runs when done")
        with at(MONDAY_9 + 30 * 24 * HOURS):
            self.env.invalidate_all()
            self.assertFalse(
                ticket.aftersales_reply_late
                or ticket.aftersales_onsite_late
                or ticket.aftersales_resolve_late,
                "deadlines met in time are not overdue, though past",
            )

    def test_done_after_a_long_wait_for_the_customer(self):
        """Time in Awaiting does not count: a ticket done after a wait longer
        than its planned resolution met its deadline and runs no more."""
        with at(MONDAY_9):
            ticket = self._ticket()
        with at(MONDAY_9 + HOURS):
            ticket.stage_id = self.stage_on_site
        with at(MONDAY_9 + 2 * HOURS):
            ticket.stage_id = self.env.ref(
                "helpdesk_mgmt.helpdesk_ticket_stage_awaiting"
            )
        self.assertEqual(self._sla(ticket, "resolution").state, "on_hold")
        with at(MONDAY_9 + 10 * 24 * HOURS):
            ticket.stage_id = self.stage_done
            self.assertEqual(self._sla(ticket, "resolution").state, "accomplished")
            self.assertFalse(ticket.aftersales_next_deadline)
            self.assertFalse(ticket.aftersales_resolve_late)
        self.assertDeadlinesInOrder(ticket)

    def test_late_steps_are_flagged(self):
        with at(MONDAY_9):
            ticket = self._ticket()
        with at(MONDAY_9 + 30 * HOURS):
            self.env.invalidate_all()
            self.assertTrue(ticket.aftersales_reply_late)
            self.assertTrue(ticket.aftersales_onsite_late)
            self.assertFalse(ticket.aftersales_resolve_late)

    def test_demo_tickets(self):
        """HT00014 of the issue: a done technical ticket of a near region."""
        done = self.env.ref("aftersales_service.ticket_technical", False)
        if not done:
            self.skipTest("demo data not installed")
        team = self.env.ref("aftersales_service.helpdesk_team_aftersales")
        tickets = self.env["helpdesk.ticket"].search([("team_id", "=", team.id)])
        self.assertIn(done, tickets)
        self.assertTrue(done.aftersales_onsite_deadline)
        for ticket in tickets:
            self.assertDeadlinesInOrder(ticket)


@tagged("post_install", "-at_install")
class TestDailyTicketScreens(DailyTicketCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_ticket_data()

    def test_warranty_answer_in_the_readers_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        chinese = (
            self.env["aftersales.warranty.voucher"]
            .with_context(lang="zh_CN")
            ._reason_label("unknown_serial")
        )
        self.assertNotEqual(chinese, "No voucher for this serial", "translated")
        ticket = self._ticket(lot_id=self._lot(self.truck, "TCK-LANG").id)
        self.assertEqual(
            ticket.with_context(lang="en_US").warranty_status,
            "No voucher for this serial",
        )
        self.assertEqual(ticket.with_context(lang="zh_CN").warranty_status, chinese)
        self.assertEqual(
            ticket.with_context(lang="en_US").warranty_status,
            "No voucher for this serial",
        )
        self.assertFalse(ticket._fields["warranty_status"].store)
        self.assertFalse(ticket._fields["warranty_remedy"].store)

    def test_service_requests_open_on_the_team(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.helpdesk_ticket_action_aftersales"
        )
        team = self.env.ref("aftersales_service.helpdesk_team_aftersales")
        context = literal_eval(action["context"])
        self.assertEqual(context["search_default_team_id"], team.id)
        self.assertFalse(action.get("domain"), "a facet the user can remove")
        self.assertIn("activity", action["view_mode"].split(","))
        search = self.env["helpdesk.ticket"].get_view(view_type="search")
        fields = etree.fromstring(search["arch"]).xpath("//field/@name")
        self.assertIn("team_id", fields, "search_default_team_id needs the field")

    def test_ticket_list_and_form(self):
        Ticket = self.env["helpdesk.ticket"].with_user(self.user)
        arch = etree.fromstring(Ticket.get_view(view_type="list")["arch"])
        shown = {
            node.get("name")
            for node in arch.xpath("//field")
            if node.get("optional") != "hide"
            and node.get("column_invisible") not in ("1", "True")
        }
        self.assertLessEqual(
            {"commercial_partner_id", "station_id", "region_id"}, shown
        )
        self.assertNotIn("partner_name", shown)
        form = etree.fromstring(Ticket.get_view(view_type="form")["arch"])
        for name in (
            "aftersales_reply_deadline",
            "aftersales_onsite_deadline",
            "aftersales_resolve_deadline",
        ):
            (node,) = form.xpath(f"//field[@name='{name}']")
            self.assertIn("'show_seconds': false", node.get("options"))
            self.assertTrue(node.get("decoration-danger"))
        # Status and remedy in one row of the same alert.
        (alert,) = form.xpath(
            "//div[contains(@class, 'alert-success')]"
            "[.//field[@name='warranty_remedy']]"
        )
        self.assertIn("d-flex", alert.get("class"))
        self.assertTrue(alert.xpath(".//field[@name='warranty_status']"))


@tagged("post_install", "-at_install")
class TestDailyTicketTeamTour(DailyTicketCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_ticket_data()
        new_test_user(
            cls.env,
            login="as_ticket_tour",
            groups="aftersales_service.group_aftersales_user",
        )
        contact = cls.env["res.partner"].create(
            {"name": "Tour Driver", "parent_id": cls.customer.id}
        )
        cls.env["helpdesk.ticket"].create(
            {
                "name": "Tour: team lamp flickers",
                "description": "<p>Flickers</p>",
                "team_id": cls.team.id,
                "partner_id": contact.id,
                "station_id": cls.station.id,
                "aftersales_service_type": "warranty",
            }
        )
        other_team = cls.env["helpdesk.ticket.team"].create(
            {"name": "Tour Accounting Desk", "user_ids": [Command.link(cls.user.id)]}
        )
        cls.env["helpdesk.ticket"].create(
            {
                "name": "Tour: invoice question",
                "description": "<p>Which invoice?</p>",
                "team_id": other_team.id,
                "partner_id": cls.customer.id,
            }
        )

    def test_service_requests_filter_on_the_team(self):
        self.start_tour(
            "/odoo/service-requests",
            "aftersales_ticket_team_tour",
            login="as_ticket_tour",
        )
