# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import ast
from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, TransactionCase, new_test_user, tagged

from .test_tickets import TicketCommon

# A year no demo record lives in: the demo's tickets, cards and campaign are
# dated at install time.
YEAR = 2031
MARCH = date(YEAR, 3, 1)


@tagged("post_install", "-at_install")
class TestInsightSatisfaction(TicketCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_ticket_data()
        env = cls.env
        other_partner = env["res.partner"].create(
            {"name": "Test Rival Repair", "is_company": True}
        )
        cls.other_station = env["aftersales.station"].create(
            {"partner_id": other_partner.id, "region_id": cls.region_south.id}
        )
        Technician = env["aftersales.station.technician"]
        cls.tech_a = Technician.create({"name": "Tech A", "station_id": cls.station.id})
        cls.tech_b = Technician.create(
            {"name": "Tech B", "station_id": cls.other_station.id}
        )
        Partner = env["res.partner"]
        cls.cust1, cls.cust2, cls.cust3 = (
            Partner.create({"name": f"Test Customer {n}", "email": f"c{n}@example.com"})
            for n in (1, 2, 3)
        )
        Indicator = env["aftersales.satisfaction.indicator"]
        cls.attitude = Indicator.create({"name": "Test attitude", "sequence": 1})
        cls.speed = Indicator.create({"name": "Test speed", "sequence": 2})
        cls.survey = env["survey.survey"].create(
            {
                "title": "Test feedback",
                "survey_type": "survey",
                "access_mode": "token",
                "question_and_page_ids": [
                    Command.create(cls._scale_question(indicator, kind))
                    for indicator in (cls.attitude, cls.speed)
                    for kind in ("expected", "actual")
                ],
            }
        )
        questions = {
            (q.aftersales_indicator_id, q.aftersales_score_kind): q
            for q in cls.survey.question_ids
        }
        cls.q_att_exp = questions[cls.attitude, "expected"]
        cls.q_att_act = questions[cls.attitude, "actual"]
        cls.q_speed_exp = questions[cls.speed, "expected"]
        cls.q_speed_act = questions[cls.speed, "actual"]
        cls.helpdesk_only = new_test_user(
            env, login="as_sat_helpdesk", groups="helpdesk_mgmt.group_helpdesk_user"
        )
        clerk = Partner.create(
            {"name": "Test station clerk", "parent_id": cls.station_partner.id}
        )
        cls.clerk = new_test_user(
            env,
            login="as_sat_clerk",
            groups="base.group_portal,aftersales_service.group_aftersales_station",
            partner_id=clerk.id,
        )
        cls.Score = env["aftersales.satisfaction.score"]

    @classmethod
    def _scale_question(cls, indicator, kind):
        return {
            "title": f"{indicator.name} {kind}",
            "question_type": "scale",
            "scale_min": 1,
            "scale_max": 5,
            "aftersales_indicator_id": indicator.id,
            "aftersales_score_kind": kind,
        }

    def _done_ticket(self, partner, station=None, technician=None, closed=None):
        station = station or self.station
        ticket = self._ticket(
            partner_id=partner.id,
            station_id=station.id,
            region_id=station.region_id.id,
        )
        if technician:
            ticket.technician_id = technician
        ticket.stage_id = self.stage_done
        if closed:
            ticket.closed_date = closed
        return ticket

    def _answer(self, ticket, scores, done=True):
        """A card of ``self.survey`` on ``ticket``: ``scores`` maps questions
        to the customer's answers (None: skipped)."""
        answer = self.survey._create_answer(
            partner=ticket.partner_id,
            check_attempts=False,
            **ticket._prepare_feedback_card_values(),
        )
        for question, value in scores.items():
            answer._save_lines(question, value)
        if done:
            answer._mark_done()
        return answer

    def _march_cards(self):
        """Three cards answered in March (see test_index_on_hand_built_answers)."""
        t1 = self._done_ticket(self.cust1, technician=self.tech_a)
        t2 = self._done_ticket(self.cust2, technician=self.tech_a)
        t3 = self._done_ticket(
            self.cust3, station=self.other_station, technician=self.tech_b
        )
        with freeze_time(datetime(YEAR, 3, 10, 10, 0)):
            self._answer(
                t1,
                {
                    self.q_att_exp: 5,
                    self.q_att_act: 5,
                    self.q_speed_exp: 4,
                    self.q_speed_act: 2,
                },
            )
            self._answer(
                t2,
                {
                    self.q_att_exp: 4,
                    self.q_att_act: 5,
                    self.q_speed_exp: 4,
                    self.q_speed_act: 3,
                },
            )
            self._answer(
                t3,
                {
                    self.q_att_exp: 3,
                    self.q_att_act: 2,
                    self.q_speed_exp: 2,
                    self.q_speed_act: 2,
                },
            )
            # Not counted: an unanswered card, and a skipped answer.
            self._answer(t3, {self.q_att_exp: 1, self.q_att_act: 5}, done=False)
        with freeze_time(datetime(YEAR, 4, 2, 10, 0)):
            # Answered in April: another month; speed skipped.
            self._answer(
                t1, {self.q_att_exp: 1, self.q_att_act: 5, self.q_speed_exp: None}
            )
        return t1, t2, t3

    def _row(self, scope, indicator=False, **targets):
        domain = [
            ("source", "=", "feedback"),
            ("month", "=", MARCH),
            ("scope", "=", scope),
            ("indicator_id", "=", indicator and indicator.id),
        ]
        domain += [(name, "=", record.id) for name, record in targets.items()]
        if scope == "overall":
            domain.append(("company_id", "=", self.company.id))
        row = self.Score.search(domain)
        self.assertEqual(len(row), 1, f"one {scope} row for {targets}")
        return row

    # ------------------------------------------------------------------
    # The index
    # ------------------------------------------------------------------

    def test_index_on_hand_built_answers(self):
        self._march_cards()
        self.Score._compute_feedback_scores([MARCH])
        # Attitude: expected 5 4 3 -> 4, actual 5 5 2 -> 4, C = 1.
        # Speed: expected 4 4 2 -> 10/3, actual 2 3 2 -> 7/3, C = 0.7.
        # W: 4 / (4 + 10/3) = 6/11, (10/3) / (22/3) = 5/11.
        # Index = 6/11 x 1 + 5/11 x 0.7 = 9.5/11 = 19/22 = 0.8636.
        attitude = self._row("overall", self.attitude)
        self.assertAlmostEqual(attitude.expected_mean, 4.0)
        self.assertAlmostEqual(attitude.actual_mean, 4.0)
        self.assertAlmostEqual(attitude.weight, 6 / 11, places=4)
        self.assertAlmostEqual(attitude.satisfaction, 1.0, places=4)
        speed = self._row("overall", self.speed)
        self.assertAlmostEqual(speed.expected_mean, 10 / 3, places=2)
        self.assertAlmostEqual(speed.actual_mean, 7 / 3, places=2)
        self.assertAlmostEqual(speed.weight, 5 / 11, places=4)
        self.assertAlmostEqual(speed.satisfaction, 0.7, places=4)
        self.assertAlmostEqual(speed.index, 5 / 11 * 0.7, places=4)
        overall = self._row("overall")
        self.assertAlmostEqual(overall.index, 19 / 22, places=4)
        self.assertEqual(overall.answer_count, 3, "pending card and April left out")
        # Station X (cards 1, 2): attitude 4.5 / 5 -> C 10/9, speed 4 / 2.5 ->
        # 0.625; index (5 + 2.5) / (4.5 + 4) = 15/17 = 0.8824.
        station = self._row("station", station_id=self.station)
        self.assertAlmostEqual(station.index, 15 / 17, places=4)
        self.assertEqual(station.region_id, self.region_east)
        station_attitude = self._row("station", self.attitude, station_id=self.station)
        self.assertAlmostEqual(station_attitude.satisfaction, 10 / 9, places=4)
        # Station Y (card 3): (2 + 2) / (3 + 2) = 0.8.
        other = self._row("station", station_id=self.other_station)
        self.assertAlmostEqual(other.index, 0.8, places=4)
        self.assertAlmostEqual(
            self._row("region", region_id=self.region_south).index, 0.8, places=4
        )
        tech_a = self._row("technician", technician_id=self.tech_a)
        self.assertAlmostEqual(tech_a.index, 15 / 17, places=4)
        self.assertEqual(tech_a.station_id, self.station)
        # Recomputing replaces the month's rows.
        count = self.Score.search_count([("month", "=", MARCH)])
        self.Score._compute_feedback_scores([MARCH])
        self.assertEqual(self.Score.search_count([("month", "=", MARCH)]), count)
        april = self.Score.search(
            [("month", "=", date(YEAR, 4, 1)), ("scope", "=", "overall")]
        )
        self.assertFalse(april, "April not computed yet")
        self.Score._compute_feedback_scores([date(YEAR, 4, 1)])
        april = self.Score.search(
            [
                ("month", "=", date(YEAR, 4, 1)),
                ("scope", "=", "overall"),
                ("indicator_id", "=", False),
            ]
        )
        # April: attitude only, 5 / 1; speed unanswered leaves the weighing.
        self.assertAlmostEqual(april.index, 5.0, places=4)

    def test_technician_ranking_order(self):
        self._march_cards()
        self.Score._compute_feedback_scores([MARCH])
        action = self.env["ir.actions.actions"]._for_xml_id(
            "aftersales_service.aftersales_satisfaction_ranking_action"
        )
        rows = self.Score.search(
            ast.literal_eval(action["domain"]) + [("month", "=", MARCH)],
            order="month desc, rank, id",
        )
        mine = rows.filtered(lambda r: r.technician_id in self.tech_a | self.tech_b)
        # Tech A 15/17 = 0.88 before Tech B 0.8.
        self.assertEqual(mine.technician_id, self.tech_a | self.tech_b)
        self.assertEqual(mine.mapped("technician_id")[0], self.tech_a)
        self.assertEqual(mine.mapped("rank"), [1, 2])
        # The ranking opens grouped by month and sorted by rank: the groups
        # must sort on it too (a field without aggregate cannot).
        groups = self.Score.read_group(
            ast.literal_eval(action["domain"]),
            ["rank"],
            ["month:month"],
            orderby="month desc, rank",
        )
        self.assertTrue(groups)
        stations = self.Score.search(
            [("month", "=", MARCH), ("scope", "=", "station"), ("rank", "=", 1)]
        )
        self.assertEqual(stations.station_id, self.station)

    # ------------------------------------------------------------------
    # Feedback cards
    # ------------------------------------------------------------------

    def test_feedback_card_from_the_return_visit(self):
        ticket = self._done_ticket(self.cust1, technician=self.tech_a)
        action = ticket.with_user(self.user).action_open_return_visit()
        wizard_env = self.env(user=self.user)[action["res_model"]]
        form = Form(wizard_env.with_context(**action["context"]))
        self.assertTrue(form.send_feedback_card, "proposed once the work is done")
        form.result = "satisfied"
        form.save().action_confirm()
        card = ticket.feedback_input_ids
        self.assertEqual(len(card), 1)
        self.assertEqual(ticket.feedback_count, 1)
        self.assertEqual(
            card.survey_id,
            self.env.ref("aftersales_service.aftersales_survey_feedback_card"),
        )
        self.assertEqual(card.partner_id, self.cust1)
        self.assertEqual(card.station_id, self.station)
        self.assertEqual(card.technician_id, self.tech_a)
        self.assertEqual(card.region_id, self.region_east)
        mail_domain = [
            ("recipient_ids", "in", self.cust1.ids),
            ("body_html", "ilike", card.access_token),
        ]
        self.assertEqual(self.env["mail.mail"].search_count(mail_domain), 1)
        # Sent again, the unanswered card is not doubled.
        ticket.with_user(self.user).action_send_feedback_card()
        self.assertEqual(len(ticket.feedback_input_ids), 1)
        self.assertEqual(self.env["mail.mail"].search_count(mail_domain), 2)
        card._mark_done()
        with self.assertRaisesText(UserError, "already answered"):
            ticket.with_user(self.user).action_send_feedback_card()
        # The wizard no longer proposes one.
        form = Form(wizard_env.with_context(default_ticket_id=ticket.id))
        self.assertFalse(form.send_feedback_card)

    def test_feedback_card_needs_done_work_an_email_and_the_right(self):
        open_ticket = self._ticket(partner_id=self.cust1.id)
        with self.assertRaisesText(UserError, "is not done"):
            open_ticket.with_user(self.user).action_send_feedback_card()
        cancelled = self._ticket(partner_id=self.cust1.id)
        cancelled.stage_id = self.stage_cancelled
        with self.assertRaisesText(UserError, "is not done"):
            cancelled.with_user(self.user).action_send_feedback_card()
        no_mail = self._done_ticket(
            self.env["res.partner"].create({"name": "Test no e-mail"})
        )
        with self.assertRaisesText(UserError, "e-mail address"):
            no_mail.with_user(self.user).action_send_feedback_card()
        done = self._done_ticket(self.cust2)
        with self.assertRaises(AccessError):
            done.with_user(self.helpdesk_only).action_send_feedback_card()
        self.assertFalse(done.feedback_input_ids)

    def test_technician_belongs_to_the_station(self):
        ticket = self._done_ticket(self.cust1, technician=self.tech_a)
        self.assertEqual(ticket.technician_id, self.tech_a)
        ticket.station_id = self.other_station
        self.assertFalse(ticket.technician_id, "another station's technician")

    # ------------------------------------------------------------------
    # The November campaign
    # ------------------------------------------------------------------

    def test_november_cron_invites_each_customer_once(self):
        Campaign = self.env["aftersales.satisfaction.campaign"]
        no_email = self.env["res.partner"].create({"name": "Test silent"})
        last_year = self.env["res.partner"].create(
            {"name": "Test old", "email": "old@example.com"}
        )
        self._done_ticket(self.cust1, closed=datetime(YEAR, 3, 1))
        # cust1's latest request of the year decides their region and station.
        self._done_ticket(
            self.cust1,
            station=self.other_station,
            technician=self.tech_b,
            closed=datetime(YEAR, 6, 1),
        )
        self._done_ticket(self.cust2, closed=datetime(YEAR, 7, 1))
        self._done_ticket(no_email, closed=datetime(YEAR, 7, 1))
        self._done_ticket(last_year, closed=datetime(YEAR - 1, 12, 30))
        cancelled = self._ticket(partner_id=self.cust3.id)
        cancelled.stage_id = self.stage_cancelled
        cancelled.closed_date = datetime(YEAR, 5, 1)
        mine = self.cust1 | self.cust2 | self.cust3 | no_email | last_year

        with freeze_time(datetime(YEAR, 10, 31, 12, 0)):
            Campaign._cron_yearly_campaign()
        self.assertFalse(Campaign.search([("year", "=", YEAR)]), "not in October")

        with freeze_time(datetime(YEAR, 11, 2, 3, 0)):
            Campaign._cron_yearly_campaign()
        campaign = Campaign.search(
            [("year", "=", YEAR), ("company_id", "=", self.company.id)]
        )
        self.assertEqual(len(campaign), 1)
        self.assertEqual(campaign.state, "running")
        self.assertEqual(campaign.date_start, date(YEAR, 11, 2))
        self.assertEqual(
            campaign.survey_id,
            self.env.ref("aftersales_service.aftersales_survey_yearly"),
        )
        invited = campaign.input_ids.filtered(lambda i: i.partner_id in mine)
        self.assertEqual(invited.partner_id, self.cust1 | self.cust2)
        self.assertEqual(len(invited), 2)
        first = invited.filtered(lambda i: i.partner_id == self.cust1)
        self.assertEqual(first.region_id, self.region_south)
        self.assertEqual(first.station_id, self.other_station)
        self.assertEqual(first.technician_id, self.tech_b)
        self.assertTrue(
            self.env["mail.mail"].search([("recipient_ids", "in", self.cust2.ids)])
        )

        with freeze_time(datetime(YEAR, 11, 2, 15, 0)):
            Campaign._cron_yearly_campaign()
        self.assertEqual(Campaign.search_count([("year", "=", YEAR)]), 1)
        self.assertEqual(
            len(campaign.input_ids.filtered(lambda i: i.partner_id in mine)), 2
        )

        # Served in November: invited by the next run, the others not again.
        self._done_ticket(self.cust3, closed=datetime(YEAR, 11, 10))
        with freeze_time(datetime(YEAR, 11, 11, 3, 0)):
            Campaign._cron_yearly_campaign()
        invited = campaign.input_ids.filtered(lambda i: i.partner_id in mine)
        self.assertEqual(invited.partner_id, self.cust1 | self.cust2 | self.cust3)
        self.assertEqual(len(invited), 3)

    def test_one_campaign_a_year(self):
        Campaign = self.env["aftersales.satisfaction.campaign"]
        campaign = Campaign.create({"year": YEAR})
        self.assertEqual(campaign.name, f"Customer Satisfaction {YEAR}")
        with self.assertRaisesText(ValidationError, "one satisfaction campaign a year"):
            Campaign.create({"year": YEAR})

    def test_campaign_index_per_region(self):
        campaign = self.env["aftersales.satisfaction.campaign"].create(
            {"year": YEAR, "survey_id": self.survey.id}
        )
        self._done_ticket(self.cust1, closed=datetime(YEAR, 3, 1))
        self._done_ticket(
            self.cust2, station=self.other_station, closed=datetime(YEAR, 4, 1)
        )
        with self.assertRaises(AccessError):
            campaign.with_user(self.user).action_start()
        campaign.with_user(self.manager).action_start()
        self.assertEqual(len(campaign.input_ids), 2)
        self.assertEqual(campaign.invitation_count, 2)
        east = campaign.input_ids.filtered(lambda i: i.partner_id == self.cust1)
        south = campaign.input_ids - east
        # East: attitude 4 / 5 = 0.8, speed 5 / 5 = 1: index (4 + 5) / (5 + 5).
        for answer, scores in (
            (east, (5, 4, 5, 5)),
            (south, (2, 2, 4, 2)),
        ):
            for question, value in zip(
                (self.q_att_exp, self.q_att_act, self.q_speed_exp, self.q_speed_act),
                scores,
                strict=True,
            ):
                answer._save_lines(question, value)
            answer._mark_done()
        campaign.with_user(self.user).action_compute_index()
        rows = campaign.score_ids.filtered(lambda r: not r.indicator_id)
        by_region = {r.region_id: r.index for r in rows if r.scope == "region"}
        self.assertAlmostEqual(by_region[self.region_east], 0.9, places=4)
        # South: (2 + 2) / (2 + 4) = 2/3.
        self.assertAlmostEqual(by_region[self.region_south], 2 / 3, places=4)
        # All: attitude expected 7/2, actual 3; speed expected 9/2, actual 7/2:
        # index (3 + 3.5) / (3.5 + 4.5) = 13/16.
        self.assertAlmostEqual(campaign.satisfaction_index, 13 / 16, places=4)
        campaign.invalidate_recordset(["answered_count", "invitation_count"])
        self.assertEqual(campaign.answered_count, 2)
        with self.assertRaises(AccessError):
            campaign.with_user(self.user).action_close()
        campaign.with_user(self.manager).action_close()
        self.assertEqual(campaign.state, "closed")
        with self.assertRaises(UserError):
            campaign.with_user(self.manager).unlink()

    # ------------------------------------------------------------------
    # Access
    # ------------------------------------------------------------------

    def test_station_sees_only_its_own_figures(self):
        self._march_cards()
        self.Score._compute_feedback_scores([MARCH])
        theirs = self._row("station", station_id=self.other_station)
        Score = self.Score.with_user(self.clerk)
        visible = Score.search([])
        self.assertTrue(visible)
        self.assertEqual(visible.station_id, self.station)
        self.assertEqual(set(visible.mapped("scope")), {"station", "technician"})
        with self.assertRaises(AccessError):
            theirs.with_user(self.clerk).read(["index"])
        with self.assertRaises(AccessError):
            self._row("overall").with_user(self.clerk).read(["index"])
        with self.assertRaises(AccessError):
            self.env["aftersales.satisfaction.campaign"].with_user(self.clerk).search(
                []
            )
        # After-sales users read every figure and the cards, write none.
        user_scores = self.Score.with_user(self.user)
        self.assertIn(theirs, user_scores.search([]))
        with self.assertRaises(AccessError):
            theirs.with_user(self.user).write({"index": 1.0})
        cards = (
            self.env["survey.user_input"]
            .with_user(self.user)
            .search([("aftersales_ticket_id", "!=", False)])
        )
        self.assertTrue(cards)

    def test_questions_score_an_indicator_with_numbers_once(self):
        Question = self.env["survey.question"]
        with self.assertRaisesText(ValidationError, "Scale or a Numerical"):
            Question.create(
                {
                    "survey_id": self.survey.id,
                    "title": "Comments",
                    "question_type": "char_box",
                    "aftersales_indicator_id": self.attitude.id,
                    "aftersales_score_kind": "actual",
                }
            )
        with self.assertRaisesText(ValidationError, "asks twice"):
            Question.create(
                dict(
                    self._scale_question(self.attitude, "actual"),
                    survey_id=self.survey.id,
                )
            )
        with self.assertRaisesText(ValidationError, "same type and scale"):
            self.q_att_act.scale_max = 10
        with self.assertRaisesText(ValidationError, "both its satisfaction indicator"):
            self.q_att_act.aftersales_score_kind = False
        with self.assertRaisesText(UserError, "archive them instead"):
            self.attitude.with_user(self.manager).unlink()
