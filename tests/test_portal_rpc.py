# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What a station user (or any logged-in client) can do over HTTP: JSON-RPC
on the ORM and the portal's routes, as a script would, not through the
screens."""

import base64
import json

from odoo import Command, http
from odoo.tests import HttpCase, new_test_user, tagged

from .test_claims import ClaimCommon

# A 1x1 transparent PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8"
    "AAAAASUVORK5CYII="
)
NOT_AN_IMAGE = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"
REFUSED = ("odoo.exceptions.AccessError", "odoo.exceptions.UserError")
ARGUMENT_ERRORS = ("odoo.exceptions.ValidationError", "odoo.exceptions.UserError")


@tagged("post_install", "-at_install")
class TestPortalRpc(ClaimCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_claim_data()
        env = cls.env
        other_partner = env["res.partner"].create(
            {"name": "Rival Repair", "is_company": True}
        )
        cls.other_station = env["aftersales.station"].create(
            {"partner_id": other_partner.id, "region_id": cls.region_south.id}
        )
        cls.other_station.action_activate()
        cls.clerk_partner = env["res.partner"].create(
            {"name": "RPC clerk", "parent_id": cls.station_partner.id}
        )
        cls.clerk = new_test_user(
            env,
            login="as_rpc_clerk",
            groups="base.group_portal,aftersales_service.group_aftersales_station",
            partner_id=cls.clerk_partner.id,
        )
        cls.spare = env["product.product"].create(
            {
                "name": "Test door lock",
                "standard_price": 80.0,
                "aftersales_spare_part": True,
            }
        )
        cls.other_company = env["res.company"].create({"name": "Other Maker"})
        cls.foreign_part = env["aftersales.warranty.part"].create(
            {
                "name": "Foreign chassis",
                "code": "F-CHS",
                "company_id": cls.other_company.id,
            }
        )
        cls.foreign_spare = env["product.product"].create(
            {
                "name": "Foreign lock",
                "aftersales_spare_part": True,
                "company_id": cls.other_company.id,
            }
        )
        cls.mine = cls._station_claim(cls.station)
        cls.theirs = cls._station_claim(cls.other_station)
        cls.their_line = cls.theirs.line_ids

    @classmethod
    def _station_claim(cls, station):
        return cls.env["aftersales.claim"].create(
            {
                "partner_id": cls.customer.id,
                "product_id": cls.truck.id,
                "lot_id": cls.truck_lot.id,
                "station_id": station.id,
                "fault_phenomenon": f"Fault seen at {station.name}",
                "line_ids": [
                    Command.create(
                        {"line_type": "labour", "name": "Labour", "unit_cost": 50.0}
                    )
                ],
            }
        )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _call_kw(self, model, method, args, kwargs=None):
        """The JSON-RPC answer (result or error) of an ORM call."""
        response = self.url_open(
            "/web/dataset/call_kw",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 1,
                    "params": {
                        "model": model,
                        "method": method,
                        "args": args,
                        "kwargs": kwargs or {},
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        return response.json()

    def assertRefused(self, answer, names=REFUSED):
        self.assertIn("error", answer, f"not refused: {answer}")
        self.assertIn(answer["error"]["data"]["name"], names, answer["error"])
        return answer["error"]["data"]["message"]

    def _post(self, url, data=None, files=None):
        return self.url_open(
            url,
            data=dict(data or {}, csrf_token=http.Request.csrf_token(self)),
            files=files,
        )

    def _file_claim(self, **values):
        data = {
            "serial": "CLM-TRUCK",
            "failure_date": "2026-06-01",
            "mileage": "1200",
            "fault_phenomenon": "Door does not lock",
            "handling_method": "repair",
        }
        data.update(values)
        files = data.pop("files", None)
        return self._post("/my/claims/new", data, files)

    def _claim_count(self):
        return self.env["aftersales.claim"].search_count([])

    def assertFormError(self, response, message):
        """Status 200, the message in words in the page, no Python text."""
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_aftersales_claim_form", response.text, "the form again")
        self.assertIn(message, response.text)
        for python in ("invalid literal", "could not convert", "Traceback"):
            self.assertNotIn(python, response.text)

    # ------------------------------------------------------------------
    # The ORM over JSON-RPC: the station reads, it does not write
    # ------------------------------------------------------------------

    def test_station_cannot_write_its_claims_over_rpc(self):
        self.authenticate("as_rpc_clerk", "as_rpc_clerk")
        read = self._call_kw("aftersales.claim", "read", [self.mine.ids, ["state"]])
        self.assertEqual(read["result"][0]["state"], "draft", "it reads its claim")
        for vals in (
            {"state": "approved"},
            {"station_id": self.other_station.id},
            {"fault_phenomenon": "Rewritten"},
        ):
            self.assertRefused(
                self._call_kw("aftersales.claim", "write", [self.mine.ids, vals])
            )
        self.assertRefused(
            self._call_kw(
                "aftersales.claim.line",
                "write",
                [self.mine.line_ids.ids, {"claim_id": self.theirs.id}],
            )
        )
        self.assertRefused(
            self._call_kw(
                "aftersales.claim.line",
                "create",
                [
                    {
                        "claim_id": self.mine.id,
                        "line_type": "labour",
                        "name": "Overtime",
                        "unit_cost": 500000,
                    }
                ],
            )
        )
        self.assertRefused(
            self._call_kw("aftersales.claim", "action_submit", [self.mine.ids])
        )
        self.assertRefused(
            self._call_kw(
                "aftersales.claim",
                "create",
                [
                    {
                        "product_id": self.truck.id,
                        "station_id": self.other_station.id,
                        "fault_phenomenon": "Filed for another station",
                    }
                ],
            )
        )
        self.env.invalidate_all()
        self.assertEqual(self.mine.state, "draft")
        self.assertEqual(self.mine.station_id, self.station)
        self.assertEqual(self.mine.fault_phenomenon, "Fault seen at Test Station Co.")
        self.assertEqual(self.mine.line_ids.unit_cost, 50.0)
        self.assertEqual(len(self.mine.line_ids), 1)
        self.assertEqual(self.theirs.line_ids, self.their_line)
        self.assertEqual(self.theirs.total_cost, 50.0)

    def test_check_warranty_bad_arguments_answer_in_words(self):
        self.authenticate("as_user", "as_user")
        good = self._call_kw(
            "aftersales.warranty.voucher",
            "check_warranty",
            ["CLM-TRUCK"],
            {"date": "2026-06-01"},
        )
        self.assertTrue(good["result"]["eligible"], good)
        for kwargs in (
            {"date": 12},
            {"date": [1]},
            {"date": "2026-02-30"},
            {"product_id": "x"},
            {"mileage": "far"},
        ):
            message = self.assertRefused(
                self._call_kw(
                    "aftersales.warranty.voucher",
                    "check_warranty",
                    ["CLM-TRUCK"],
                    kwargs,
                ),
                ARGUMENT_ERRORS,
            )
            self.assertNotIn("TypeError", message, kwargs)
            self.assertNotIn("object", message, kwargs)

    # ------------------------------------------------------------------
    # Filing a claim: errors in words, nothing saved
    # ------------------------------------------------------------------

    def test_claim_form_refuses_bad_input_and_saves_nothing(self):
        self.authenticate("as_rpc_clerk", "as_rpc_clerk")
        before = self._claim_count()
        cases = [
            ({"failure_date": "2026-02-30"}, "2026-02-30 is not a real day"),
            ({"failure_date": "1st of June"}, "in the YYYY-MM-DD format"),
            ({"failure_date": "2099-01-01"}, "cannot be later than today"),
            ({"mileage": "-5"}, "Enter the mileage as a number of km"),
            ({"mileage": "nan"}, "Enter the mileage as a number of km"),
            ({"mileage": "1e999"}, "Enter the mileage as a number of km"),
            ({"mileage": "twelve"}, "Enter the mileage as a number of km"),
            ({"part_id": "abc"}, "Choose the part from the list."),
            ({"part_id": "99999999999"}, "Choose the part from the list."),
            ({"part_id": str(self.foreign_part.id)}, "Choose the part from the list."),
            ({"handling_method": "approve"}, "Choose the handling method"),
            ({"serial": "NO-SUCH"}, "No product with serial or lot NO-SUCH."),
            (
                {"files": {"photos": ("door.png", NOT_AN_IMAGE, "image/png")}},
                "door.png is not an image",
            ),
        ]
        for values, message in cases:
            with self.subTest(values=values):
                self.assertFormError(self._file_claim(**values), message)
        self.assertEqual(self._claim_count(), before, "nothing saved")
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("res_model", "=", "aftersales.claim"), ("name", "=", "door.png")]
            )
        )

    def test_portal_forms_offer_and_accept_the_station_company_parts_only(self):
        self.authenticate("as_rpc_clerk", "as_rpc_clerk")
        form = self.url_open("/my/claims/new")
        self.assertIn(self.part_body.name, form.text)
        self.assertNotIn(self.foreign_part.name, form.text)
        check = self.url_open("/my/warranty")
        self.assertIn(self.part_body.name, check.text)
        self.assertNotIn(self.foreign_part.name, check.text)
        for query, message in (
            ("date=2026-02-30", "2026-02-30 is not a real day."),
            ("date=2026-06-01&mileage=-5", "Enter the mileage as a number of km"),
            ("date=2026-06-01&part=abc", "Choose the part from the list."),
            (
                f"date=2026-06-01&part={self.foreign_part.id}",
                "Choose the part from the list.",
            ),
        ):
            with self.subTest(query=query):
                page = self.url_open(f"/my/warranty?serial=CLM-TRUCK&{query}")
                self.assertEqual(page.status_code, 200)
                self.assertIn(message, page.text)
                self.assertNotIn("o_aftersales_check_answer", page.text)
        page = self.url_open(
            f"/my/warranty?serial=CLM-TRUCK&date=2026-06-01&part={self.part_body.id}"
        )
        self.assertIn("o_aftersales_check_answer", page.text)

    def test_claim_form_sets_the_station_from_the_user(self):
        self.authenticate("as_rpc_clerk", "as_rpc_clerk")
        response = self._file_claim(
            station_id=str(self.other_station.id),
            state="approved",
            company_id=str(self.other_company.id),
            part_id=str(self.part_body.id),
            files={"photos": ("door.png", PNG, "image/png")},
        )
        self.assertEqual(response.status_code, 200)
        claim = self.env["aftersales.claim"].search(
            [("fault_phenomenon", "=", "Door does not lock")]
        )
        self.assertEqual(claim.station_id, self.station)
        self.assertEqual(claim.company_id, self.station.company_id)
        self.assertEqual(claim.state, "draft")
        self.assertEqual(claim.part_id, self.part_body)
        self.assertEqual(claim.mileage, 1200)
        self.assertEqual(claim.photo_ids.mimetype, "image/png")

    # ------------------------------------------------------------------
    # Changing a claim through the portal
    # ------------------------------------------------------------------

    def test_lines_through_the_portal_own_editable_claims_only(self):
        self.authenticate("as_rpc_clerk", "as_rpc_clerk")
        url = f"/my/claims/{self.mine.id}"
        self._post(f"{url}/lines", {"line_type": "part", "product_id": self.spare.id})
        self._post(
            f"{url}/lines",
            {
                "line_type": "labour",
                "name": "Replace the lock",
                "quantity": "2",
                "unit_cost": "40",
                "claim_id": self.theirs.id,
                "subtotal": "999999",
            },
        )
        self.assertEqual(
            sorted(self.mine.line_ids.mapped("subtotal")), [50.0, 80.0, 80.0]
        )
        self.assertEqual(self.theirs.line_ids, self.their_line)
        for values, message in (
            ({"line_type": "part", "product_id": "x"}, "Choose the part"),
            (
                {"line_type": "part", "product_id": self.foreign_spare.id},
                "Choose the part",
            ),
            (
                {"line_type": "labour", "name": "Hours", "unit_cost": "-1"},
                "labour cost",
            ),
            ({"line_type": "labour", "name": "Hours", "quantity": "inf"}, "quantity"),
            ({"line_type": "bonus", "name": "Tip"}, "part or labour"),
        ):
            with self.subTest(values=values):
                response = self._post(f"{url}/lines", values)
                self.assertEqual(response.status_code, 200)
                self.assertIn(message, response.text)
        self.assertEqual(len(self.mine.line_ids), 3, "the refused lines not added")
        # Someone else's claim, someone else's line: back to the portal home.
        response = self._post(
            f"/my/claims/{self.theirs.id}/lines",
            {"line_type": "labour", "name": "Intrusion", "unit_cost": "1"},
        )
        self.assertTrue(response.url.endswith("/my"))
        for path in ("", "/lines"):
            response = self._post(f"/my/claims/99999999999{path}")
            self.assertTrue(response.url.endswith("/my"), path)
        response = self._post(
            f"{url}/lines/{self.their_line.id}/delete",
        )
        self.assertIn("This line is not on the claim.", response.text)
        self.assertTrue(self.their_line.exists())
        # Submitted: still the station's to complete; appraised: no more.
        self._post(f"{url}/submit")
        self.assertEqual(self.mine.state, "submitted")
        labour = self.mine.line_ids.filtered(lambda line: line.unit_cost == 50.0)
        self._post(f"{url}/lines/{labour.id}/delete")
        self.assertFalse(labour.exists())
        self.mine.write(
            {"responsibility": "manufacturing", "handling_method": "repair"}
        )
        self.mine.with_user(self.user).action_appraise()
        response = self._post(
            f"{url}/lines",
            {"line_type": "labour", "name": "More hours", "unit_cost": "500000"},
        )
        self.assertIn("can no longer be changed from the portal", response.text)
        self.assertNotIn(500000.0, self.mine.line_ids.mapped("unit_cost"))

    def test_uploads_are_images(self):
        self.authenticate("as_rpc_clerk", "as_rpc_clerk")
        url = f"/my/claims/{self.mine.id}"
        response = self._post(
            f"{url}/photos",
            files={"photos": ("lock.jpg", NOT_AN_IMAGE, "image/jpeg")},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("lock.jpg is not an image", response.text)
        self._post(f"{url}/photos", files={"photos": ("lock.png", PNG, "image/png")})
        self.assertEqual(self.mine.photo_ids.mapped("name"), ["lock.png"])
        refused = self.make_jsonrpc_request(
            f"{url}/sign?role=customer",
            {"name": "Lin Guo", "signature": base64.b64encode(NOT_AN_IMAGE).decode()},
        )
        self.assertIn("is not an image", refused["error"])
        refused = self.make_jsonrpc_request(
            f"{url}/sign?role=customer", {"name": "Lin Guo", "signature": "@@@"}
        )
        self.assertEqual(refused["error"], "Invalid signature data.")
        refused = self.make_jsonrpc_request(
            f"{url}/sign?role=approval",
            {"name": "Lin Guo", "signature": base64.b64encode(PNG).decode()},
        )
        self.assertIn("error", refused)
        self.assertFalse(self.mine.customer_signature)
        signed = self.make_jsonrpc_request(
            f"{url}/sign?role=customer",
            {"name": "Lin Guo", "signature": base64.b64encode(PNG).decode()},
        )
        self.assertTrue(signed.get("force_refresh"), signed)
        self.assertTrue(self.mine.customer_signed_on, "stamped by the claim")
        again = self.make_jsonrpc_request(
            f"{url}/sign?role=customer",
            {"name": "Someone else", "signature": base64.b64encode(PNG).decode()},
        )
        self.assertIn("already signed", again["error"])
        self.assertEqual(self.mine.customer_signed_by, "Lin Guo")

    # ------------------------------------------------------------------
    # OCA helpdesk_mgmt's /ticket/close
    # ------------------------------------------------------------------

    def test_ticket_close_only_by_its_customer(self):
        team = self.env.ref("aftersales_service.helpdesk_team_aftersales")
        done = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        done.close_from_portal = True
        Ticket = self.env["helpdesk.ticket"]
        # The station reads this one (its station's) but is not the customer.
        stations = Ticket.create(
            {
                "name": "Fleet ticket handled by the station",
                "description": "<p>Noise</p>",
                "team_id": team.id,
                "partner_id": self.customer.id,
                "station_id": self.station.id,
            }
        )
        foreign = Ticket.create(
            {
                "name": "Somebody else's ticket",
                "description": "<p>Noise</p>",
                "team_id": team.id,
                "partner_id": self.customer.id,
            }
        )
        own = Ticket.create(
            {
                "name": "The station's own request",
                "description": "<p>Manual</p>",
                "team_id": team.id,
                "partner_id": self.station_partner.id,
            }
        )
        opened = stations.stage_id
        self.assertFalse(opened.closed)
        self.authenticate("as_rpc_clerk", "as_rpc_clerk")
        page = self.url_open(f"/my/ticket/{stations.id}")
        self.assertIn(stations.name, page.text, "the station reads it")
        self.assertNotIn('action="/ticket/close"', page.text, "no close button")
        page = self.url_open(f"/my/ticket/{own.id}")
        self.assertIn('action="/ticket/close"', page.text)
        for ticket in (stations, foreign):
            response = self.url_open(
                f"/ticket/close?ticket_id={ticket.id}&stage_id={done.id}"
            )
            self.assertTrue(response.url.endswith("/my"), ticket.name)
            self.assertEqual(ticket.stage_id, opened, ticket.name)
        response = self.url_open("/ticket/close?ticket_id=abc&stage_id=x")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.url.endswith("/my"))
        rejected = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_rejected")
        self.url_open(f"/ticket/close?ticket_id={own.id}&stage_id={rejected.id}")
        self.assertEqual(own.stage_id, opened, "not a stage closed from the portal")
        response = self.url_open(
            f"/ticket/close?ticket_id={own.id}&stage_id={done.id}",
            allow_redirects=False,
        )
        self.assertTrue(response.headers["Location"].endswith(f"/my/ticket/{own.id}"))
        self.assertEqual(own.stage_id, done)
