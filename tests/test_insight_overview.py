# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .test_claims import ClaimCommon
from .test_tickets import at


@tagged("post_install", "-at_install")
class TestInsightOverview(ClaimCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_claim_data()
        env = cls.env
        cls.finance = new_test_user(
            env,
            login="as_overview_finance",
            groups="aftersales_service.group_aftersales_finance",
        )
        clerk_partner = env["res.partner"].create(
            {"name": "Overview station clerk", "parent_id": cls.station_partner.id}
        )
        cls.station_clerk = new_test_user(
            env,
            login="as_overview_station_clerk",
            groups="base.group_portal,aftersales_service.group_aftersales_station",
            partner_id=clerk_partner.id,
        )
        cls.Overview = env["aftersales.overview"]

    def _tiles(self, user):
        return {
            tile["key"]: tile
            for tile in self.Overview.with_user(user).get_work_overview()
        }

    def _submitted_claim(self, **values):
        claim = self._claim(**values)
        claim.action_submit()
        return claim

    def test_tour_overview_dashboard_and_statistics(self):
        self._submitted_claim(name="CL/INSIGHT/TOUR")
        # Approved this year: the statistics and the dashboard have data.
        today = fields.Date.context_today(self.env["aftersales.claim"])
        self._approved_claim(failure_date=today, date=today)
        self.start_tour("/odoo", "aftersales_insight_tour", login="admin", timeout=180)

    def test_submitted_claim_waits_for_appraisal(self):
        before = self._tiles(self.user)["claims_to_appraise"]["count"]
        claim = self._submitted_claim()
        tiles = self._tiles(self.user)
        self.assertEqual(tiles["claims_to_appraise"]["count"], before + 1)
        self.assertEqual(tiles["claims_to_appraise"]["title"], "Claims to Appraise")
        self.assertFalse(tiles["claims_to_appraise"]["alert"])
        # Approving and the plans are the manager's, the deposits finance's.
        self.assertNotIn("claims_to_approve", tiles)
        self.assertNotIn("plans_to_approve", tiles)
        self.assertNotIn("deposits_due", tiles)
        to_approve = self._tiles(self.manager)["claims_to_approve"]["count"]
        claim.action_appraise()
        self.assertEqual(self._tiles(self.user)["claims_to_appraise"]["count"], before)
        self.assertEqual(
            self._tiles(self.manager)["claims_to_approve"]["count"], to_approve + 1
        )

    def test_tile_opens_the_records_it_counts(self):
        claim = self._submitted_claim()
        Overview = self.Overview.with_user(self.user)
        action = Overview.action_open_tile("claims_to_appraise")
        self.assertEqual(action["res_model"], "aftersales.claim")
        self.assertEqual(action["name"], "Claims to Appraise")
        self.assertEqual(action["views"][0][1], "list")
        listed = (
            self.env["aftersales.claim"].with_user(self.user).search(action["domain"])
        )
        self.assertIn(claim, listed)
        self.assertEqual(set(listed.mapped("state")), {"submitted"})
        self.assertEqual(
            len(listed), self._tiles(self.user)["claims_to_appraise"]["count"]
        )

    def test_tickets_past_their_deadline(self):
        team = self.env.ref("aftersales_service.helpdesk_team_aftersales")
        with at(fields.Datetime.now() - timedelta(days=30)):
            ticket = self.env["helpdesk.ticket"].create(
                {
                    "name": "Overview: lamp still dark",
                    "description": "<p>Customer called.</p>",
                    "team_id": team.id,
                    "partner_id": self.customer.id,
                    "aftersales_service_type": "warranty",
                    "region_id": self.region_east.id,
                    "priority": "1",
                }
            )
        self.assertLess(ticket.aftersales_next_deadline, fields.Datetime.now())
        Ticket = self.env["helpdesk.ticket"].with_user(self.user)
        action = self.Overview.with_user(self.user).action_open_tile("tickets_overdue")
        overdue = Ticket.search(action["domain"])
        self.assertIn(ticket, overdue)
        tile = self._tiles(self.user)["tickets_overdue"]
        self.assertEqual(tile["count"], len(overdue))
        self.assertTrue(tile["alert"], "late work turns the tile red")
        # The list opens on every late ticket, not only the team's default.
        self.assertEqual(action["context"].get("default_team_id"), team.id)
        self.assertNotIn("search_default_team_id", action["context"])
        ticket.stage_id = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        self.assertNotIn(ticket, Ticket.search(action["domain"]))

    def test_return_batch_in_its_window(self):
        batch = self.env["aftersales.return.batch"].create(
            {"region_id": self.region_east.id, "period_date": date(2026, 12, 1)}
        )
        self.assertTrue(batch.window_start)
        Batch = self.env["aftersales.return.batch"]

        def in_window():
            domain = self.Overview._tile_domain("batches_in_window")
            return batch in Batch.search(domain)

        with freeze_time(batch.window_start):
            self.assertTrue(in_window())
        with freeze_time(batch.window_start - timedelta(days=1)):
            self.assertFalse(in_window())
        with freeze_time(batch.window_end + timedelta(days=1)):
            self.assertFalse(in_window())

    def test_deposits_are_finance_work(self):
        self.assertNotIn("deposits_due", self._tiles(self.user))
        self.assertIn("deposits_due", self._tiles(self.finance))
        with self.assertRaises(AccessError):
            self.Overview.with_user(self.user).action_open_tile("deposits_due")
        action = self.Overview.with_user(self.finance).action_open_tile("deposits_due")
        self.assertEqual(action["res_model"], "aftersales.supplier.deposit")
        self.assertEqual(
            action["domain"], [("is_due", "=", True), ("side", "=", "supplier")]
        )

    def test_station_portal_user_gets_nothing(self):
        Overview = self.Overview.with_user(self.station_clerk)
        with self.assertRaises(AccessError):
            Overview.get_work_overview()
        with self.assertRaises(AccessError):
            Overview.action_open_tile("claims_to_appraise")

    def test_unknown_tile_is_a_user_error(self):
        with self.assertRaisesText(UserError, "no tile"):
            self.Overview.with_user(self.user).action_open_tile("coffee_breaks")

    def test_dashboard_is_shipped_for_after_sales_users(self):
        dashboard = self.env.ref("aftersales_service.spreadsheet_dashboard_aftersales")
        self.assertIn(
            self.env.ref("aftersales_service.group_aftersales_user"),
            dashboard.group_ids,
        )
        data = dashboard.with_user(self.user).get_readonly_dashboard()
        snapshot = data["snapshot"]
        models = {pivot["model"] for pivot in snapshot["pivots"].values()}
        self.assertEqual(
            models,
            {
                "aftersales.claim.report",
                "aftersales.return.report",
                "aftersales.voucher.report",
            },
        )
        self.assertEqual(
            [f["label"] for f in snapshot["globalFilters"]], ["Period", "Region"]
        )
