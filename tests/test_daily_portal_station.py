# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue #11 (daily use): the station portal."""

import shutil
from datetime import date

from odoo import http
from odoo.tests import Form, HttpCase, new_test_user, tagged

from .common import SIGNATURE
from .test_claims import ClaimCommon

CLAIM_REPORT = "aftersales_service.action_report_claim_appraisal"


class DailyPortalCommon(ClaimCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_claim_data()
        rival_partner = cls.env["res.partner"].create({"name": "Rival Repair"})
        cls.other_station = cls.env["aftersales.station"].create(
            {"partner_id": rival_partner.id, "region_id": cls.region_south.id}
        )
        cls.other_station.action_activate()
        cls.clerk = cls._station_user("as_daily_clerk", cls.station_partner)
        cls.rival = cls._station_user("as_daily_rival", rival_partner)
        cls.other_lot = cls._lot(cls.truck, "CLM-OTHER")
        cls.mine = cls._portal_claim(
            cls.station, fault_phenomenon="Door rattles at speed"
        )
        cls.mine_other_lot = cls._portal_claim(
            cls.station,
            lot_id=cls.other_lot.id,
            fault_phenomenon="Heater blows cold air",
        )
        cls.theirs = cls._portal_claim(
            cls.other_station, fault_phenomenon="Door rattles on their side"
        )

    @classmethod
    def _station_user(cls, login, company):
        clerk_partner = cls.env["res.partner"].create(
            {"name": f"Clerk {login}", "parent_id": company.id}
        )
        return new_test_user(
            cls.env,
            login=login,
            groups="base.group_portal,aftersales_service.group_aftersales_station",
            partner_id=clerk_partner.id,
        )

    @classmethod
    def _portal_claim(cls, station, **values):
        vals = {
            "partner_id": cls.customer.id,
            "product_id": cls.truck.id,
            "lot_id": cls.truck_lot.id,
            "station_id": station.id,
            "failure_date": date(2026, 6, 1),
            "date": date(2026, 6, 2),
            "responsibility": "manufacturing",
            "handling_method": "repair",
            "fault_phenomenon": f"Fault seen at {station.name}",
        }
        vals.update(values)
        return cls.env["aftersales.claim"].create(vals)

    def _reject(self, claim):
        claim.action_submit()
        claim.action_appraise()
        action = claim.with_user(self.manager).action_reject()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.manager)
            .with_context(**action["context"])
        )
        wizard.reason = "No proof of purchase"
        wizard.save().action_confirm()
        self.assertEqual(claim.state, "rejected")

    def _assert_pdf_response(self, response, claim):
        """The claim's appraisal form, as a PDF download."""
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        disposition = response.headers["Content-Disposition"]
        self.assertIn("attachment", disposition)
        self.assertIn(claim.name.replace("/", "-"), disposition)
        if not response.content.startswith(b"%PDF"):
            # Tests render reports as HTML (no wkhtmltopdf call): the claim's.
            self.assertIn(claim.name, response.text)
            self.assertIn("Warranty Claim Appraisal", response.text)

    def _assert_refused(self, response, claim):
        self.assertNotEqual(response.headers.get("Content-Type"), "application/pdf")
        self.assertTrue(response.url.endswith("/my"), "sent back to the portal home")
        self.assertNotIn(claim.name, response.text)


@tagged("post_install", "-at_install")
class TestDailyPortalStation(DailyPortalCommon, HttpCase):
    def setUp(self):
        super().setUp()
        self.authenticate("as_daily_clerk", "as_daily_clerk")

    def test_home_counters_count_the_station_claims(self):
        self._reject(self.mine_other_lot)
        self._reject(self._portal_claim(self.other_station))
        # Before any count: the session does not know yet which tiles show.
        home = self.url_open("/my")
        for counter in ("claim_count", "claim_draft_count", "claim_rejected_count"):
            self.assertIn(f'data-placeholder_count="{counter}"', home.text)
        self.assertIn("/my/claims?filterby=draft", home.text)
        counters = self.make_jsonrpc_request(
            "/my/counters",
            {"counters": ["claim_count", "claim_draft_count", "claim_rejected_count"]},
        )
        self.assertEqual(
            counters,
            {"claim_count": 2, "claim_draft_count": 1, "claim_rejected_count": 1},
            "the station's own claims only",
        )

    def test_claims_list_searches_sorts_and_filters(self):
        self._reject(self.mine_other_lot)

        def listed(query):
            response = self.url_open(f"/my/claims?{query}")
            self.assertEqual(response.status_code, 200, query)
            return [
                claim
                for claim in (self.mine, self.mine_other_lot, self.theirs)
                if claim.name in response.text
            ]

        mine, other = self.mine, self.mine_other_lot
        self.assertEqual(listed("search=CLM-OTHER&search_in=serial"), [other])
        self.assertEqual(listed("search=rattles&search_in=fault"), [mine])
        self.assertEqual(listed("search=rattles"), [mine], "never another's")
        self.assertEqual(listed(f"search={mine.name}&search_in=name"), [mine])
        self.assertEqual(listed("search=Heater&search_in=name"), [])
        self.assertEqual(listed("filterby=draft"), [mine])
        self.assertEqual(listed("filterby=rejected"), [other])
        self.assertEqual(listed("filterby=approved"), [])
        none_found = self.url_open("/my/claims?filterby=approved")
        self.assertIn("No claim matches your search.", none_found.text)
        # Newest number first when sorted by number.
        by_name = self.url_open("/my/claims?sortby=name").text
        self.assertLess(by_name.index(other.name), by_name.index(mine.name))
        # Unknown options fall back to the defaults: all the station's claims.
        self.assertEqual(
            listed("sortby=xyz&filterby=xyz&search_in=xyz&page=xyz"), [mine, other]
        )

    def test_bad_arguments_answer_in_words(self):
        self.assertEqual(self.url_open("/my/claims/abc").status_code, 404)
        huge = self.url_open("/my/claims/99999999999")
        self.assertTrue(huge.url.endswith("/my"))
        page = self.url_open("/my/claims/page/xyz")
        self.assertEqual(page.status_code, 404)
        csrf = http.Request.csrf_token(self)
        answers = {
            "line product": self.url_open(
                f"/my/claims/{self.mine.id}/lines",
                data={"csrf_token": csrf, "line_type": "part", "product_id": "abc"},
            ),
            "claim part": self.url_open(
                "/my/claims/new",
                data={
                    "csrf_token": csrf,
                    "serial": "CLM-TRUCK",
                    "fault_phenomenon": "Cab light flickers",
                    "part_id": "1e3",
                },
            ),
        }
        for what, response in answers.items():
            with self.subTest(what=what):
                self.assertEqual(response.status_code, 200)
                self.assertIn("Choose the part from the list.", response.text)
                self.assertNotIn("invalid literal", response.text)
        self.assertFalse(self.mine.line_ids)
        self.assertFalse(
            self.env["aftersales.claim"].search(
                [("fault_phenomenon", "=", "Cab light flickers")]
            )
        )
        report = self.url_open(f"/my/claims/{self.mine.id}?report_type=xyz")
        self.assertEqual(report.status_code, 400)
        self.assertIn("This document cannot be printed that way.", report.text)
        tickets = self.url_open(
            "/my/tickets?sortby=xyz&groupby=xyz&search_in=xyz"
            "&date_begin=abc&date_end=2026-13-40&page=xyz"
        )
        self.assertEqual(tickets.status_code, 200)
        Ticket = self.env["helpdesk.ticket"]
        before = Ticket.search_count([])
        for field, message in (
            ("category", "Choose the category from the list."),
            ("team", "Choose the team from the list."),
        ):
            with self.subTest(field=field):
                response = self.url_open(
                    "/submitted/ticket",
                    data={
                        "csrf_token": csrf,
                        "subject": "Door rattles",
                        "description": "Since Monday",
                        field: "abc",
                    },
                )
                self.assertEqual(response.status_code, 400)
                self.assertIn(message, response.text)
                self.assertNotIn("invalid literal", response.text)
        self.assertEqual(Ticket.search_count([]), before, "no ticket filed")

    def test_station_downloads_its_own_claim_pdf_only(self):
        url = self.mine.get_portal_url(report_type="pdf", download=True)
        self._assert_pdf_response(self.url_open(url), self.mine)
        theirs = self.theirs.get_portal_url(report_type="pdf", download=True)
        self._assert_refused(self.url_open(theirs), self.theirs)
        # A token does not print another station's claim either.
        self.theirs._portal_ensure_token()
        with_token = f"{theirs}&access_token={self.theirs.access_token}"
        self._assert_refused(self.url_open(with_token), self.theirs)
        self.authenticate("as_daily_rival", "as_daily_rival")
        self._assert_refused(self.url_open(url), self.mine)

    def test_appraisal_pdf_bytes_for_the_station(self):
        if not shutil.which("wkhtmltopdf"):
            self.skipTest("wkhtmltopdf is not installed: no PDF to check")
        # As the portal prints it: the station user's report, with sudo.
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_user(self.clerk)
            .sudo()
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(CLAIM_REPORT, self.mine.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))

    def test_dates_in_the_user_format_and_missing_signatures(self):
        self.env.ref("base.lang_en").date_format = "%d.%m.%Y"
        page = self.url_open(self.mine.get_portal_url()).text
        self.assertIn("01.06.2026", page, "failure date")
        self.assertIn("02.06.2026", page, "claim date")
        self.assertNotIn("06/01/2026", page)
        self.assertEqual(page.count("o_claim_not_signed"), 2)
        listing = self.url_open("/my/claims").text
        self.assertIn("01.06.2026", listing)
        self.assertIn("02.06.2026", listing)
        result = self.make_jsonrpc_request(
            f"/my/claims/{self.mine.id}/sign?role=customer",
            {"name": "Lin Guo", "signature": SIGNATURE},
        )
        self.assertTrue(result.get("force_refresh"), result)
        page = self.url_open(self.mine.get_portal_url()).text
        self.assertEqual(page.count("o_claim_not_signed"), 1, "the station's")
        self.assertIn("Lin Guo", page)
        html = str(
            self.env["ir.actions.report"]._render_qweb_html(
                CLAIM_REPORT, self.mine.ids
            )[0]
        )
        self.assertEqual(html.count("Not signed"), 1)


@tagged("post_install", "-at_install")
class TestDailyPortalPdfTour(DailyPortalCommon, HttpCase):
    def test_station_downloads_the_claim_pdf(self):
        self.start_tour(
            self.mine.get_portal_url(),
            "aftersales_portal_claim_pdf_tour",
            login="as_daily_clerk",
        )
        url = self.mine.get_portal_url(report_type="pdf", download=True)
        self.authenticate("as_daily_clerk", "as_daily_clerk")
        self._assert_pdf_response(self.url_open(url), self.mine)
        self.authenticate("as_daily_rival", "as_daily_rival")
        self._assert_refused(self.url_open(url), self.mine)
