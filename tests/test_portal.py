# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
from datetime import date

from odoo import http
from odoo.tests import HttpCase, new_test_user, tagged

from .common import SIGNATURE
from .test_claims import ClaimCommon


@tagged("post_install", "-at_install")
class TestStationPortal(ClaimCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_claim_data()
        other_partner = cls.env["res.partner"].create({"name": "Rival Repair"})
        cls.other_station = cls.env["aftersales.station"].create(
            {"partner_id": other_partner.id, "region_id": cls.region_south.id}
        )
        cls.other_station.action_activate()
        clerk_partner = cls.env["res.partner"].create(
            {"name": "Portal clerk", "parent_id": cls.station_partner.id}
        )
        cls.clerk = new_test_user(
            cls.env,
            login="as_portal_clerk",
            groups="base.group_portal,aftersales_service.group_aftersales_station",
            partner_id=clerk_partner.id,
        )
        cls.mine = cls._claim_for(cls.station)
        cls.theirs = cls._claim_for(cls.other_station)

    @classmethod
    def _claim_for(cls, station):
        return cls.env["aftersales.claim"].create(
            {
                "partner_id": cls.customer.id,
                "product_id": cls.truck.id,
                "lot_id": cls.truck_lot.id,
                "station_id": station.id,
                "fault_phenomenon": f"Fault seen at {station.name}",
            }
        )

    def setUp(self):
        super().setUp()
        self.authenticate("as_portal_clerk", "as_portal_clerk")

    def test_station_sees_its_claims_only_by_url(self):
        own = self.url_open(f"/my/claims/{self.mine.id}")
        self.assertEqual(own.status_code, 200)
        self.assertIn(self.mine.name, own.text)
        other = self.url_open(f"/my/claims/{self.theirs.id}")
        self.assertTrue(other.url.endswith("/my"), "sent back to the portal home")
        self.assertNotIn(self.theirs.name, other.text)
        listing = self.url_open("/my/claims")
        self.assertIn(self.mine.name, listing.text)
        self.assertNotIn(self.theirs.name, listing.text)
        submit = self.url_open(
            f"/my/claims/{self.theirs.id}/submit",
            data={"csrf_token": http.Request.csrf_token(self)},
        )
        self.assertTrue(submit.url.endswith("/my"))
        self.assertEqual(self.theirs.state, "draft")

    def test_signatures_are_stored_for_own_claims_only(self):
        result = self.make_jsonrpc_request(
            f"/my/claims/{self.mine.id}/sign?role=customer",
            {"name": "Lin Guo", "signature": SIGNATURE},
        )
        self.assertTrue(result.get("force_refresh"), result)
        self.assertEqual(self.mine.customer_signed_by, "Lin Guo")
        self.assertTrue(self.mine.customer_signature)
        refused = self.make_jsonrpc_request(
            f"/my/claims/{self.theirs.id}/sign?role=station",
            {"name": "Intruder", "signature": SIGNATURE},
        )
        self.assertIn("error", refused)
        self.assertFalse(self.theirs.station_signature)

    def test_filing_a_claim_with_photos(self):
        response = self.url_open(
            "/my/claims/new",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "serial": "CLM-TRUCK",
                "failure_date": "2026-06-01",
                "mileage": "1200",
                "fault_phenomenon": "Door does not lock",
                "handling_method": "repair",
            },
            files={"photos": ("door.png", base64.b64decode(SIGNATURE), "image/png")},
        )
        self.assertEqual(response.status_code, 200)
        claim = self.env["aftersales.claim"].search(
            [("fault_phenomenon", "=", "Door does not lock")]
        )
        self.assertEqual(claim.station_id, self.station)
        self.assertEqual(claim.partner_id, self.customer, "the voucher's holder")
        self.assertEqual(claim.voucher_id, self.voucher)
        self.assertEqual(claim.failure_date, date(2026, 6, 1))
        self.assertEqual(claim.photo_ids.name, "door.png")
        self.assertIn(claim.name, response.text)
        unknown = self.url_open(
            "/my/claims/new",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "serial": "NO-SUCH",
                "fault_phenomenon": "x",
            },
        )
        self.assertIn("No product with serial or lot", unknown.text)

    def test_warranty_check_page(self):
        page = self.url_open("/my/warranty?serial=CLM-TRUCK&date=2026-06-01")
        self.assertIn("Covered", page.text)
        self.assertNotIn(self.customer.name, page.text, "no customer data")
        page = self.url_open("/my/warranty?serial=NOPE&date=2026-06-01")
        self.assertIn("No voucher for this serial", page.text)

    def test_portal_tour_station_files_a_claim(self):
        self.start_tour(
            "/my/claims/new", "aftersales_portal_claim_tour", login="as_portal_clerk"
        )
        claim = self.env["aftersales.claim"].search(
            [("fault_phenomenon", "=", "Cab light flickers")]
        )
        self.assertEqual(claim.state, "submitted")
        self.assertEqual(claim.station_id, self.station)
        self.assertEqual(claim.line_ids.name, "Replace the connector")
        self.assertEqual(claim.labour_cost, 120.0)


@tagged("post_install", "-at_install")
class TestBackendTour(ClaimCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_claim_data()
        cls.tour_manager = new_test_user(
            cls.env,
            login="as_tour_manager",
            groups="aftersales_service.group_aftersales_manager,stock.group_stock_user",
        )
        cls.env["helpdesk.ticket"].create(
            {
                "name": "Tour: compartment warms up",
                "description": "<p>Warms up</p>",
                "team_id": cls.env.ref(
                    "aftersales_service.helpdesk_team_aftersales"
                ).id,
                "partner_id": cls.customer.id,
                "aftersales_service_type": "warranty",
                "lot_id": cls.truck_lot.id,
                "station_id": cls.station.id,
            }
        )

    def test_ticket_to_claim_to_approval(self):
        self.start_tour(
            "/odoo/service-requests", "aftersales_claim_tour", login="as_tour_manager"
        )
        claim = self.env["aftersales.claim"].search(
            [("ticket_id.name", "=", "Tour: compartment warms up")]
        )
        self.assertEqual(claim.state, "approved")
        self.assertEqual(claim.responsibility, "manufacturing")
        self.assertTrue(claim.eligible)
