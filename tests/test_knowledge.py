# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

from .test_claims import ClaimCommon

V1, V2 = b"%PDF-1.4 manual v1", b"%PDF-1.4 manual v2"
STATION_GROUPS = "base.group_portal,aftersales_service.group_aftersales_station"


class KnowledgeCommon(ClaimCommon):
    @classmethod
    def setup_knowledge_data(cls):
        cls.setup_claim_data()
        env = cls.env
        cls.station.categ_ids = cls.categ_vehicles
        cls.lamp_station = env["aftersales.station"].create(
            {
                "partner_id": env["res.partner"]
                .create({"name": "Lamp Repair Co.", "is_company": True})
                .id,
                "region_id": cls.region_south.id,
                "categ_ids": [Command.set(cls.categ_lighting.ids)],
            }
        )
        cls.lamp_station.action_activate()
        cls.clerk = cls._station_user("kn_truck_clerk", cls.station)
        cls.lamp_clerk = cls._station_user("kn_lamp_clerk", cls.lamp_station)
        Document = env["aftersales.technical.document"]
        cls.manual = Document.create(
            {
                "name": "Vehicles repair manual",
                "kind": "manual",
                "categ_id": cls.categ_vehicles.id,
                "version_ids": [
                    Command.create(cls._version_vals("2026-A", date(2026, 1, 1), V1)),
                    Command.create(cls._version_vals("2026-B", date(2026, 3, 1), V2)),
                ],
            }
        )
        cls.guide = Document.create(
            {
                "name": "Truck repair guide",
                "kind": "repair_guide",
                "product_tmpl_id": cls.truck.product_tmpl_id.id,
                "version_ids": [
                    Command.create(cls._version_vals("1.0", date(2026, 2, 1), V1))
                ],
            }
        )
        cls.lamp_catalogue = Document.create(
            {
                "name": "Lamp parts catalogue",
                "kind": "parts_catalogue",
                "categ_id": cls.categ_lamps.id,
                "version_ids": [
                    Command.create(cls._version_vals("1", date(2026, 2, 1), V1))
                ],
            }
        )
        cls.draft = Document.create(
            {
                "name": "Unreleased bulletin",
                "kind": "other",
                "categ_id": cls.categ_vehicles.id,
                "version_ids": [
                    Command.create(cls._version_vals("0.1", date(2026, 2, 1), V1))
                ],
            }
        )
        (cls.manual | cls.guide | cls.lamp_catalogue).with_user(
            cls.manager
        ).action_publish()

    @classmethod
    def _station_user(cls, login, station):
        contact = cls.env["res.partner"].create(
            {"name": f"{login} contact", "parent_id": station.partner_id.id}
        )
        return new_test_user(
            cls.env, login=login, groups=STATION_GROUPS, partner_id=contact.id
        )

    @staticmethod
    def _version_vals(name, day, raw):
        return {
            "name": name,
            "date": day,
            "datas": base64.b64encode(raw),
            "filename": f"manual-{name}.pdf",
        }

    def _visible(self, user, model="aftersales.technical.document"):
        return self.env[model].with_user(user).search([])


@tagged("post_install", "-at_install")
class TestKnowledge(KnowledgeCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_knowledge_data()

    # ------------------------------------------------------------ documents

    def test_latest_version_is_current_and_older_ones_are_kept(self):
        v1, v2 = self.manual.version_ids.sorted("date")
        self.assertEqual(self.manual.current_version_id, v2)
        self.assertEqual(self.manual.version_count, 2)
        v3 = self.env["aftersales.technical.document.version"].create(
            dict(
                self._version_vals("2026-C", date(2026, 5, 1), b"v3"),
                document_id=self.manual.id,
            )
        )
        self.assertEqual(self.manual.current_version_id, v3)
        self.assertEqual(self.manual.version_ids, v1 | v2 | v3)
        with self.assertRaisesRegex(UserError, "add a new version"):
            v2.with_user(self.manager).write({"datas": base64.b64encode(b"edited")})
        self.assertEqual(base64.b64decode(v2.datas), V2)

    def test_a_product_document_takes_its_products_category(self):
        self.assertEqual(self.guide.categ_id, self.categ_vehicles)
        with self.assertRaises(ValidationError):
            self.guide.categ_id = self.categ_lighting

    def test_stations_read_what_is_published_for_their_categories(self):
        self.assertEqual(self._visible(self.clerk), self.manual | self.guide)
        # A child category of an authorised one is published to the station.
        self.assertEqual(self._visible(self.lamp_clerk), self.lamp_catalogue)
        with self.assertRaises(AccessError):
            self.lamp_catalogue.with_user(self.clerk).check_access("read")
        with self.assertRaises(AccessError):
            self.draft.with_user(self.clerk).check_access("read")
        self.manual.with_user(self.manager).action_withdraw()
        self.assertEqual(self._visible(self.clerk), self.guide)
        self.manual.with_user(self.manager).action_publish()
        self.assertIn(self.manual, self._visible(self.clerk))
        # A station that loses its authorisation, or is suspended, reads
        # nothing any more.
        self.lamp_station.categ_ids = self.categ_vehicles
        self.assertEqual(self._visible(self.lamp_clerk), self.manual | self.guide)
        self.lamp_station._change_state("suspended", "Audit")
        self.assertFalse(self._visible(self.lamp_clerk))

    def test_stations_listed_on_the_document(self):
        self.assertEqual(self.manual.station_ids, self.station)
        self.assertEqual(self.lamp_catalogue.station_ids, self.lamp_station)
        self.assertFalse(self.draft.station_ids)

    def test_publishing_is_for_managers_and_needs_a_version(self):
        with self.assertRaises(AccessError):
            self.draft.with_user(self.user).action_publish()
        with self.assertRaises(UserError):
            self.draft.with_user(self.user).write({"state": "published"})
        empty = self.env["aftersales.technical.document"].create(
            {"name": "Empty", "categ_id": self.categ_vehicles.id}
        )
        with self.assertRaisesRegex(UserError, "first version"):
            empty.with_user(self.manager).action_publish()
        self.assertEqual(empty.state, "draft")

    def test_stations_reach_files_and_logs_only_through_the_portal(self):
        with self.assertRaises(AccessError):
            self.manual.version_ids.with_user(self.clerk).read(["datas"])
        log = self.manual._log_download(self.manual.current_version_id, self.station)
        self.assertEqual(
            (log.user_id, log.station_id, log.version_id),
            (self.env.user, self.station, self.manual.current_version_id),
        )
        with self.assertRaises(AccessError):
            log.with_user(self.clerk).read(["date"])
        with self.assertRaises(AccessError):
            log.with_user(self.user).read(["date"])
        self.assertEqual(log.with_user(self.manager).document_id, self.manual)
        self.assertEqual(self.manual.with_user(self.manager).download_count, 1)
        # A version stations downloaded stays.
        with self.assertRaisesRegex(UserError, "downloaded"):
            self.manual.current_version_id.unlink()

    # ----------------------------------------------------------- case notes

    def test_case_note_of_a_design_defect_reaches_its_categorys_stations(self):
        claim = self._approved_claim(
            cause_analysis="Valve plate cracked: wrong torque.",
            handling_note="Valve plate replaced, torque 28 Nm.",
            part_id=self.part_chassis.id,
        )
        with self.assertRaises(AccessError):
            claim.with_user(self.user).action_publish_case_note()
        action = claim.with_user(self.manager).action_publish_case_note()
        note = self.env["aftersales.case.note"].browse(action["res_id"])
        self.assertEqual(note.state, "published")
        self.assertEqual(note.claim_id, claim)
        self.assertEqual(note.categ_id, self.categ_vehicles)
        self.assertEqual(note.fix, "Valve plate replaced, torque 28 Nm.")
        self.assertIn("wrong torque", note.summary)
        self.assertEqual(note.part_ids, self.compressor)
        self.assertEqual(note.part_id, self.part_chassis)
        self.assertEqual(self._visible(self.clerk, "aftersales.case.note"), note)
        self.assertFalse(self._visible(self.lamp_clerk, "aftersales.case.note"))
        # Publishing again opens the same note.
        again = claim.with_user(self.manager).action_publish_case_note()
        self.assertEqual(again["res_id"], note.id)
        note.with_user(self.manager).action_withdraw()
        self.assertFalse(self._visible(self.clerk, "aftersales.case.note"))

    def test_only_settled_design_or_quality_defects_become_case_notes(self):
        misuse = self._approved_claim(responsibility="misuse")
        with self.assertRaisesRegex(UserError, "design or quality defect"):
            misuse.with_user(self.manager).action_publish_case_note()
        draft = self._claim()
        with self.assertRaisesRegex(UserError, "once it is approved"):
            draft.with_user(self.manager).action_publish_case_note()
        self.assertFalse(self.env["aftersales.case.note"].search([]).claim_id & draft)


@tagged("post_install", "-at_install")
class TestExchangeCriteria(KnowledgeCommon, TransactionCase):
    """The policy's exchange criteria, through check_warranty."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_claim_data()
        cls.Voucher = cls.env["aftersales.warranty.voucher"].with_user(cls.user)

    def _criterion(self, kind, number=0, parts=None):
        return self.env["aftersales.warranty.exchange.criterion"].create(
            {
                "policy_id": self.policy_vehicles.id,
                "kind": kind,
                "number": number,
                "part_ids": [Command.set(parts.ids)] if parts else [],
            }
        )

    def _check(self, day, part=None):
        return self.Voucher.check_warranty(
            "CLM-TRUCK", date=day, mileage=1000, part=part
        )

    def _fail(self, count, part):
        self.env["aftersales.warranty.voucher.repair"].create(
            [
                {
                    "voucher_id": self.voucher.id,
                    "part_id": part.id,
                    "result": "failed",
                    "fault": "Frame crack",
                    "date": date(2026, 3, 1),
                }
            ]
            * count
        )

    def test_no_criteria_keeps_the_answer_and_names_the_vouchers_threshold(self):
        answer = self._check("2026-06-01", "T-CHS")
        self.assertEqual((answer["remedy"], answer["reason"]), ("repair", "covered"))
        self.assertIs(answer["exchange_criterion"], False)
        self._fail(2, self.part_chassis)
        answer = self._check("2026-06-01", "T-CHS")
        self.assertEqual(
            (answer["remedy"], answer["reason"]), ("exchange", "repeated_failure")
        )
        self.assertEqual(
            answer["exchange_criterion"],
            {
                "code": "same_fault_repairs",
                "label": "Same fault after 2 failed repairs",
            },
        )

    def test_major_part_replaced_means_exchange(self):
        self._check("2026-06-01", "T-CHS")  # cached lookups, before the change
        self._criterion("major_part", parts=self.part_chassis)
        answer = self._check("2026-06-01", "T-CHS")
        self.assertEqual(
            (answer["remedy"], answer["reason"]), ("exchange", "major_part")
        )
        self.assertEqual(answer["exchange_criterion"]["code"], "major_part")
        self.assertIn("Chassis", answer["exchange_criterion"]["label"])
        self.assertEqual(
            answer["reason_label"], "Covered: exchange, major part replaced"
        )
        other = self._check("2026-06-01", "T-BODY")
        self.assertEqual(
            (other["remedy"], other["exchange_criterion"]), ("repair", False)
        )

    def test_repair_not_finished_within_n_days(self):
        self._criterion("repair_days", 3)
        claim = self._claim(date=date(2026, 6, 2), handling_method="repair")
        claim.action_submit()
        # Exactly 3 days open: still in time; the 4th day: exchange.
        self.assertEqual(self._check("2026-06-04")["remedy"], "repair")
        self.assertEqual(self._check("2026-06-05")["remedy"], "repair")
        late = self._check("2026-06-06")
        self.assertEqual(
            (late["remedy"], late["reason"]), ("exchange", "repair_overdue")
        )
        self.assertEqual(
            late["exchange_criterion"],
            {"code": "repair_days", "label": "Repair not finished within 3 days"},
        )
        # Once the repair is done it is no longer open.
        claim.action_appraise()
        claim.with_user(self.manager).action_approve()
        claim.action_done()
        self.assertEqual(self._check("2026-06-06")["remedy"], "repair")

    def test_same_fault_after_n_repairs_of_the_policy(self):
        criterion = self._criterion("same_fault_repairs", 1)
        self.assertEqual(self._check("2026-06-01", "T-CHS")["remedy"], "repair")
        self._fail(1, self.part_body)
        self.assertEqual(self._check("2026-06-01", "T-CHS")["remedy"], "repair")
        self._fail(1, self.part_chassis)
        answer = self._check("2026-06-01", "T-CHS")
        self.assertEqual(
            (answer["remedy"], answer["reason"]), ("exchange", "repeated_failure")
        )
        self.assertEqual(
            answer["exchange_criterion"]["label"], "Same fault after 1 failed repairs"
        )
        # Removing the criterion takes effect at once (the cache is cleared).
        criterion.unlink()
        self.assertEqual(self._check("2026-06-01", "T-CHS")["remedy"], "repair")

    def test_criteria_are_validated_and_for_managers(self):
        with self.assertRaises(ValidationError):
            self._criterion("major_part")
        with self.assertRaises(ValidationError):
            self._criterion("repair_days", 0)
        with self.assertRaises(ValidationError):
            self._criterion("same_fault_repairs", 0)
        with self.assertRaises(AccessError):
            self.env["aftersales.warranty.exchange.criterion"].with_user(
                self.user
            ).create(
                {
                    "policy_id": self.policy_vehicles.id,
                    "kind": "repair_days",
                    "number": 3,
                }
            )

    def test_a_call_with_criteria_still_costs_at_most_two_queries(self):
        self._criterion("major_part", parts=self.part_chassis)
        self._criterion("repair_days", 3)
        self._check("2026-06-01", "T-CHS")  # warm the caches
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        answer = self._check("2026-06-01", "T-CHS")
        self.assertLessEqual(self.env.cr.sql_log_count - before, 2)
        self.assertEqual(answer["reason"], "major_part")

    def test_a_claim_stores_the_new_reason(self):
        self._criterion("major_part", parts=self.part_chassis)
        claim = self._claim(part_id=self.part_chassis.id)
        claim.action_submit()
        claim.action_appraise()
        self.assertEqual(
            (claim.eligibility_reason, claim.remedy), ("major_part", "exchange")
        )


@tagged("post_install", "-at_install")
class TestKnowledgePortal(KnowledgeCommon, HttpCase):
    """The portal's routes: a station reads what is published to it, and
    guessing another document's id answers 404."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_knowledge_data()
        cls.outsider = new_test_user(
            cls.env, login="kn_outsider", groups="base.group_portal"
        )

    def _log(self):
        return self.env["aftersales.technical.document.download"].search(
            [], order="id desc"
        )

    def test_station_lists_and_downloads_its_documents(self):
        self.authenticate("kn_truck_clerk", "kn_truck_clerk")
        listing = self.url_open("/my/documents")
        self.assertEqual(listing.status_code, 200)
        self.assertIn(self.manual.name, listing.text)
        self.assertIn(self.guide.name, listing.text)
        self.assertNotIn(self.lamp_catalogue.name, listing.text)
        self.assertNotIn(self.draft.name, listing.text)
        page = self.url_open(f"/my/documents/{self.manual.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("2026-A", page.text)
        self.assertIn("2026-B", page.text)
        latest = self.url_open(f"/my/documents/{self.manual.id}/download")
        self.assertEqual(latest.status_code, 200)
        self.assertEqual(latest.content, V2)
        self.assertIn("attachment", latest.headers["Content-Disposition"])
        log = self._log()
        self.assertEqual(len(log), 1)
        self.assertEqual(
            (log.document_id, log.version_id, log.station_id, log.user_id),
            (self.manual, self.manual.current_version_id, self.station, self.clerk),
        )
        old = self.manual.version_ids - self.manual.current_version_id
        older = self.url_open(
            f"/my/documents/{self.manual.id}/versions/{old.id}/download"
        )
        self.assertEqual(older.content, V1)
        self.assertEqual(self._log()[:1].version_id, old)

    def test_guessing_ids_answers_404_and_logs_nothing(self):
        self.authenticate("kn_truck_clerk", "kn_truck_clerk")
        other = self.lamp_catalogue
        other_version = other.version_ids
        for url in (
            f"/my/documents/{other.id}",
            f"/my/documents/{other.id}/download",
            f"/my/documents/{other.id}/versions/{other_version.id}/download",
            # Someone else's version through a document of one's own.
            f"/my/documents/{self.manual.id}/versions/{other_version.id}/download",
            f"/my/documents/{self.draft.id}/download",
            "/my/documents/999999999/download",
            "/my/documents/99999999999/download",
        ):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 404, url)
            self.assertNotIn(V1, response.content, url)
        self.assertFalse(self._log())
        # The other station reads its own, not this one's.
        self.authenticate("kn_lamp_clerk", "kn_lamp_clerk")
        self.assertEqual(self.url_open(f"/my/documents/{other.id}").status_code, 200)
        response = self.url_open(f"/my/documents/{self.manual.id}/download")
        self.assertEqual(response.status_code, 404)

    def test_portal_users_outside_stations_read_nothing(self):
        self.authenticate("kn_outsider", "kn_outsider")
        listing = self.url_open("/my/documents")
        self.assertTrue(listing.url.endswith("/my"))
        response = self.url_open(f"/my/documents/{self.manual.id}/download")
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self._log())

    def test_case_notes_follow_the_same_rules(self):
        claim = self._approved_claim(handling_note="Compressor replaced.")
        note_id = claim.with_user(self.manager).action_publish_case_note()["res_id"]
        self.authenticate("kn_truck_clerk", "kn_truck_clerk")
        self.assertIn(claim.product_id.name, self.url_open("/my/documents").text)
        page = self.url_open(f"/my/case-notes/{note_id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Compressor replaced.", page.text)
        self.authenticate("kn_lamp_clerk", "kn_lamp_clerk")
        self.assertEqual(self.url_open(f"/my/case-notes/{note_id}").status_code, 404)

    def test_station_reads_a_manual_tour(self):
        self.start_tour(
            "/my/documents", "aftersales_portal_documents_tour", login="kn_truck_clerk"
        )
        self.assertEqual(self._log()[:1].document_id, self.manual)
