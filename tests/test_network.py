# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, TransactionCase, new_test_user, tagged

from .common import WarrantyCommon


class NetworkCommon(WarrantyCommon):
    @classmethod
    def setup_network_data(cls):
        cls.setup_warranty_data()
        env = cls.env
        # A country of its own, so that demo regions never overlap these.
        country = env["res.country"].create({"name": "Testland", "code": "QT"})
        State = env["res.country.state"]
        cls.state_fj, cls.state_zj, cls.state_gd = (
            State.create({"name": name, "code": code, "country_id": country.id})
            for name, code in (("Coast", "CO"), ("Lakes", "LA"), ("South", "SO"))
        )
        cls.office_location = env["stock.location"].create(
            {"name": "Test office", "usage": "internal"}
        )
        cls.office = env["res.partner"].create({"name": "Test office partner"})
        cls.region_east = env["aftersales.region"].create(
            {
                "name": "Test East",
                "code": "T-E",
                "office_partner_id": cls.office.id,
                "office_location_id": cls.office_location.id,
                "manager_id": cls.manager.id,
                "return_week": "2",
                "state_ids": [Command.set(cls.state_zj.ids)],
                "city_ids": [
                    Command.create({"name": "Testport", "state_id": cls.state_fj.id})
                ],
            }
        )
        cls.region_south = env["aftersales.region"].create(
            {
                "name": "Test South",
                "code": "T-S",
                "office_partner_id": cls.office.id,
                "office_location_id": cls.office_location.id,
                "return_week": "3",
                "state_ids": [Command.set((cls.state_fj | cls.state_gd).ids)],
            }
        )
        cls.station_partner = env["res.partner"].create(
            {"name": "Test Station Co.", "is_company": True, "city": "Testport"}
        )
        cls.station = env["aftersales.station"].create(
            {"partner_id": cls.station_partner.id, "region_id": cls.region_east.id}
        )


@tagged("post_install", "-at_install")
class TestRegions(NetworkCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_network_data()

    def test_region_without_return_week_is_a_configuration_error(self):
        Region = self.env["aftersales.region"]
        lost = Region.create({"name": "No week", "code": "T-NW"})
        self.assertIn("return week", lost.config_warning)
        self.assertIn("office location", lost.config_warning)
        self.assertFalse(self.region_east.config_warning)
        flagged = Region.search([("config_warning", "!=", False)])
        self.assertIn(lost, flagged)
        self.assertNotIn(self.region_east, flagged)
        self.assertNotIn(lost, Region.search([("config_warning", "=", False)]))

    def test_a_province_belongs_to_one_region(self):
        with self.assertRaisesText(ValidationError, "already belong to region"):
            self.env["aftersales.region"].create(
                {
                    "name": "Clash",
                    "code": "T-C",
                    "state_ids": [Command.set(self.state_zj.ids)],
                }
            )

    def test_region_of_a_partner_city_first_then_province(self):
        Region = self.env["aftersales.region"]
        Partner = self.env["res.partner"]
        fuzhou = Partner.create(
            {"name": "In Fuzhou", "city": " testport ", "state_id": self.state_fj.id}
        )
        xiamen = Partner.create(
            {"name": "In Xiamen", "city": "Testbay", "state_id": self.state_fj.id}
        )
        nowhere = Partner.create({"name": "Nowhere"})
        self.assertEqual(Region._find_for_partner(fuzhou), self.region_east)
        self.assertEqual(Region._find_for_partner(xiamen), self.region_south)
        self.assertFalse(Region._find_for_partner(nowhere))


@tagged("post_install", "-at_install")
class TestStations(NetworkCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_network_data()

    def test_code_and_name_come_from_sequence_and_partner(self):
        self.assertRegex(self.station.code, r"^ST\d{4}$")
        self.assertEqual(self.station.name, "Test Station Co.")
        self.assertEqual(
            self.station.display_name, f"[{self.station.code}] Test Station Co."
        )
        self.assertEqual(
            self.station_partner.action_view_aftersales_station()["res_id"],
            self.station.id,
        )

    def test_life_cycle_with_reasons_in_the_chatter(self):
        station = self.station
        self.assertEqual(station.state, "candidate")
        station.action_activate()
        self.assertEqual(station.state, "active")
        action = station.with_context(new_state="suspended").action_open_state_wizard()
        wizard = Form(self.env[action["res_model"]].with_context(**action["context"]))
        wizard.reason = "Failed inspection"
        wizard.save().action_confirm()
        self.assertEqual(station.state, "suspended")
        self.assertEqual(station.state_reason, "Failed inspection")
        self.assertIn(
            "Failed inspection", station.message_ids[0].body, "reason in the chatter"
        )
        station._change_state("active", "Parts restocked")
        station._change_state("closed", "Contract ended")
        self.assertEqual(station.state, "closed")
        for target in ("active", "suspended", "candidate"):
            with (
                self.subTest(target=target),
                self.assertRaisesText(UserError, "cannot go from"),
            ):
                station._change_state(target, "again")

    def test_activation_needs_a_region(self):
        partner = self.env["res.partner"].create({"name": "No region station"})
        station = self.env["aftersales.station"].create({"partner_id": partner.id})
        with self.assertRaisesText(UserError, "region"):
            station.action_activate()
        self.assertEqual(station.state, "candidate")

    def test_only_candidates_can_be_deleted(self):
        self.station.action_activate()
        with self.assertRaisesText(UserError, "close the others"):
            self.station.unlink()
        partner = self.env["res.partner"].create({"name": "Short-lived"})
        candidate = self.env["aftersales.station"].create({"partner_id": partner.id})
        candidate.unlink()
        self.assertFalse(candidate.exists())

    def test_one_station_per_partner(self):
        with self.assertRaisesText(ValidationError, "is already the service station"):
            self.env["aftersales.station"].create(
                {"partner_id": self.station_partner.id}
            )

    def test_failed_inspection_schedules_one_follow_up(self):
        self.env.company.aftersales_inspection_threshold = 60
        Inspection = self.env["aftersales.station.inspection"]
        good = Inspection.create(
            {"station_id": self.station.id, "score": 75, "date": date(2026, 2, 1)}
        )
        self.assertTrue(good.passed)
        self.assertFalse(good.follow_up_activity_id)
        bad = Inspection.create(
            {"station_id": self.station.id, "score": 40, "date": date(2026, 3, 1)}
        )
        self.assertFalse(bad.passed)
        activity = bad.follow_up_activity_id
        self.assertEqual(activity.res_id, self.station.id)
        self.assertEqual(activity.user_id, self.manager, "the region's manager")
        self.assertEqual(activity.date_deadline, date(2026, 3, 31))
        bad.score = 45
        self.assertEqual(
            self.station.activity_ids.filtered(lambda a: a == activity), activity
        )
        self.assertEqual(len(self.station.activity_ids), 1)
        self.assertEqual(self.station.last_inspection_score, 45)
        self.assertFalse(self.station.last_inspection_passed)
        with self.assertRaisesText(ValidationError, "between 0 and 100"):
            Inspection.create({"station_id": self.station.id, "score": 101})

    def test_technician_certification_follows_passed_trainings(self):
        technician = self.env["aftersales.station.technician"].create(
            {"station_id": self.station.id, "name": "Tech"}
        )
        Training = self.env["aftersales.station.training"]
        Training.create(
            {
                "technician_id": technician.id,
                "course": "Basics",
                "date": date(2026, 1, 10),
                "valid_until": date(2027, 1, 10),
            }
        )
        Training.create(
            {
                "technician_id": technician.id,
                "course": "Advanced",
                "date": date(2026, 2, 10),
                "valid_until": date(2028, 2, 10),
                "result": "failed",
            }
        )
        self.assertEqual(technician.certified_until, date(2027, 1, 10))
        with self.assertRaisesText(ValidationError, "valid until before"):
            Training.create(
                {
                    "technician_id": technician.id,
                    "course": "Backwards",
                    "date": date(2026, 2, 10),
                    "valid_until": date(2026, 1, 1),
                }
            )


@tagged("post_install", "-at_install")
class TestStationDeposit(NetworkCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_network_data()
        cls.deposit_account = cls.env["account.account"].create(
            {
                "name": "Station deposits",
                "code": "219901",
                "account_type": "liability_current",
            }
        )
        cls.bank = cls.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", cls.env.company.id)], limit=1
        )
        cls.env.company.write(
            {
                "aftersales_station_deposit_account_id": cls.deposit_account.id,
                "aftersales_station_deposit_journal_id": cls.bank.id,
            }
        )
        cls.finance = new_test_user(
            cls.env,
            login="as_deposit_finance",
            groups="aftersales_service.group_aftersales_finance,"
            "account.group_account_invoice",
        )

    def _deposit(self, amount, direction="receive"):
        action = self.station.action_register_deposit()
        form = Form(
            self.env[action["res_model"]]
            .with_user(self.finance)
            .with_context(**action["context"])
        )
        form.amount = amount
        form.direction = direction
        form.save().action_confirm()

    def test_deposit_is_posted_in_accounting_and_balance_follows(self):
        self._deposit(5000)
        self.assertEqual(self.station.deposit_balance, 5000)
        move = self.station.deposit_move_ids
        self.assertEqual(move.state, "posted")
        deposit_line = move.line_ids.filtered(
            lambda line: line.account_id == self.deposit_account
        )
        self.assertEqual(deposit_line.credit, 5000)
        self.assertEqual(deposit_line.partner_id, self.station_partner)
        self._deposit(2000, "refund")
        self.station.invalidate_recordset(["deposit_balance"])
        self.assertEqual(self.station.deposit_balance, 3000)

    def test_refund_over_the_balance_or_nothing_is_refused(self):
        self._deposit(1000)
        moves_before = self.env["account.move"].search_count([])
        with self.assertRaisesText(UserError, "cannot be refunded more"):
            self._deposit(1500, "refund")
        with self.assertRaisesText(UserError, "must be positive"):
            self._deposit(0)
        self.assertEqual(self.env["account.move"].search_count([]), moves_before)


@tagged("post_install", "-at_install")
class TestStationRecruitment(NetworkCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_network_data()
        cls.team = cls.env.ref("aftersales_service.crm_team_service_network")
        cls.env.company.aftersales_recruitment_team_id = cls.team
        cls.won_stage = cls.env["crm.stage"].search([("is_won", "=", True)], limit=1)

    def _lead(self, **values):
        vals = {
            "name": "Recruit",
            "type": "opportunity",
            "team_id": self.team.id,
            "partner_name": "Recruited Repair Co.",
        }
        vals.update(values)
        return self.env["crm.lead"].create(vals)

    def test_winning_creates_and_activates_the_station(self):
        lead = self._lead(
            aftersales_region_id=self.region_south.id, aftersales_station_type="dealer"
        )
        self.assertTrue(lead.is_station_recruitment)
        lead.action_set_won()
        station = lead.aftersales_station_id
        self.assertTrue(station)
        self.assertEqual(station.partner_id, lead.partner_id)
        self.assertEqual(
            (station.state, station.region_id, station.station_type),
            ("active", self.region_south, "dealer"),
        )
        self.assertEqual(station.lead_id, lead)

    def test_region_from_the_address_when_the_lead_has_none(self):
        lead = self._lead(city="Testport", state_id=self.state_fj.id)
        lead.write({"stage_id": self.won_stage.id})
        self.assertEqual(lead.aftersales_station_id.region_id, self.region_east)
        self.assertEqual(lead.aftersales_station_id.state, "active")

    def test_winning_does_not_reinstate_a_suspended_station(self):
        """A manager's suspension stands: the deal is noted on the station."""
        self.station.action_activate()
        self.station._change_state("suspended", "Audit")
        lead = self._lead(partner_id=self.station_partner.id)
        lead.action_set_won()
        self.assertEqual(lead.aftersales_station_id, self.station)
        self.assertEqual(self.station.state, "suspended")
        self.assertIn(
            "only an after-sales manager reinstates it",
            self.station.message_ids[0].body,
        )

    def test_winning_activates_a_candidate_station(self):
        self.assertEqual(self.station.state, "candidate")
        lead = self._lead(partner_id=self.station_partner.id)
        lead.action_set_won()
        self.assertEqual(self.station.state, "active")

    def test_other_pipelines_recruit_nothing(self):
        other_team = self.env["crm.team"].create({"name": "Sales"})
        lead = self._lead(team_id=other_team.id)
        self.assertFalse(lead.is_station_recruitment)
        lead.action_set_won()
        self.assertFalse(lead.aftersales_station_id)


@tagged("post_install", "-at_install")
class TestNetworkAccess(NetworkCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_network_data()
        other_partner = cls.env["res.partner"].create(
            {"name": "Other Station Co.", "is_company": True}
        )
        cls.other_station = cls.env["aftersales.station"].create(
            {"partner_id": other_partner.id, "region_id": cls.region_south.id}
        )
        staff = cls.env["res.partner"].create(
            {"name": "Station clerk", "parent_id": cls.station_partner.id}
        )
        cls.portal_user = new_test_user(
            cls.env,
            login="as_station_clerk",
            groups="base.group_portal,aftersales_service.group_aftersales_station",
            partner_id=staff.id,
        )

    def test_station_staff_read_their_own_station_only(self):
        Station = self.env["aftersales.station"].with_user(self.portal_user)
        self.assertEqual(Station.search([]), self.station)
        self.assertTrue(self.station.with_user(self.portal_user).name)
        with self.assertRaises(AccessError):
            self.other_station.with_user(self.portal_user).read(["name"])
        with self.assertRaises(AccessError):
            self.station.with_user(self.portal_user).write({"name": "Mine"})

    def test_users_read_the_network_managers_change_it(self):
        station = self.station.with_user(self.user)
        self.assertTrue(station.deposit_balance == 0)
        with self.assertRaises(AccessError):
            station.write({"station_type": "dealer"})
        with self.assertRaises(AccessError):
            self.region_east.with_user(self.user).write({"return_week": "1"})
        self.station.with_user(self.manager).action_activate()
        self.assertEqual(self.station.state, "active")
        inspection = self.env["aftersales.station.inspection"].with_user(self.user)
        self.assertTrue(inspection.create({"station_id": self.station.id, "score": 90}))
