# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The daily jobs at volume: a round costs the same queries for 2 records as
for 80, every record gets its activity or note, each assignee one digest per
round, progress is reported and a second run does nothing new."""

from datetime import date, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import TransactionCase, new_test_user, tagged

from .common import WarrantyCommon
from .test_return_batches import JUNE, ReturnCommon
from .test_tickets import MONDAY_9, TicketCommon, at

MAY = date(2026, 5, 1)


class ScaleJobsMixin:
    def _run(self, job):
        """Queries of one round of ``job``, and the progress it reported."""
        progress = []

        def notify(cron, done, remaining, deactivate=False):
            progress.append((done, remaining))

        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        with patch.object(type(self.env["ir.cron"]), "_notify_progress", notify):
            job()
            # The commit's work too: Odoo's value tracking runs then.
            self.env.flush_all()
            self.env.cr.precommit.run()
            self.env.flush_all()
        return self.env.cr.sql_log_count - before, progress

    def _digests(self, users):
        """How many digests each of ``users`` has received."""
        return [
            self.env["mail.message"].search_count(
                [
                    ("message_type", "=", "user_notification"),
                    ("partner_ids", "in", user.partner_id.ids),
                ]
            )
            for user in users
        ]


@tagged("post_install", "-at_install")
class TestScaleJobsReturnSchedule(ScaleJobsMixin, ReturnCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_return_data()
        # Tracked as in production: the test data's tracking_disable is off.
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        cls.second_manager = new_test_user(
            cls.env,
            login="as_scale_manager",
            groups="aftersales_service.group_aftersales_manager",
        )
        # Two offices in the third week's window (15 to 21 June), one manager
        # each: two assignees of reminders.
        cls.week3_regions = cls.env["aftersales.region"].create(
            [
                {
                    "name": f"Test week 3 {n}",
                    "code": f"T-W3-{n}",
                    "office_partner_id": cls.office.id,
                    "office_location_id": cls.office_location.id,
                    "manager_id": manager.id,
                    "return_week": "3",
                }
                for n, manager in enumerate((cls.manager, cls.second_manager))
            ]
        )

    def _situations(self, count):
        """``count`` batches to remind, to postpone and to flag on 20 June."""
        Batch = self.env["aftersales.return.batch"]
        managers = (self.manager, self.second_manager)
        remind = Batch.create(
            [
                {"region_id": self.week3_regions[n % 2].id, "period_date": JUNE}
                for n in range(count)
            ]
        )
        # East ships in the second week (8 to 14 June): missed.
        postpone = Batch.create(
            [{"region_id": self.region_east.id, "period_date": JUNE}] * count
        )
        flag = Batch._workflow_create(
            [
                {
                    "region_id": self.region_east.id,
                    "period_date": MAY,
                    "state": "received",
                    "date_received": date(2026, 6, 1),
                    "approved_by_id": managers[n % 2].id,
                }
                for n in range(count)
            ]
        )
        return remind, postpone, flag

    def _round(self, count, warm_up=False):
        remind, postpone, flag = self._situations(count)
        managers = (self.manager, self.second_manager)
        digests = self._digests(managers)
        queries, progress = self._run(
            lambda: self.env["aftersales.return.batch"]._cron_return_schedule()
        )
        if warm_up:
            # Also what the demo data leaves to do on that day.
            return queries
        self.assertEqual(progress, [(3 * count, 0)])
        self.assertEqual(
            [n - m for n, m in zip(self._digests(managers), digests, strict=True)],
            [1, 1],
            "one digest per manager for the round's reminders and flags",
        )
        for batch in remind:
            self.assertEqual(len(batch.activity_ids), 1)
            self.assertEqual(batch.activity_ids.user_id, batch.region_id.manager_id)
            self.assertTrue(batch.reminder_sent)
        for batch in postpone:
            self.assertEqual(batch.period_date, date(2026, 7, 1))
            self.assertEqual(batch.postponed_count, 1)
            note = batch.message_ids[0]
            self.assertIn("postponed", note.body)
            self.assertEqual(
                note.tracking_value_ids.field_id.name, "period_date", "month tracked"
            )
        for batch in flag:
            self.assertTrue(batch.settlement_overdue)
            self.assertEqual(batch.activity_ids.user_id, batch.approved_by_id)
            self.assertEqual(
                batch.message_ids[0].tracking_value_ids.field_id.name,
                "settlement_overdue",
            )
        return queries

    @freeze_time("2026-06-20")
    def test_a_round_costs_the_same_for_2_and_80_batches(self):
        self._round(2, warm_up=True)  # caches of types, models, translations
        few = self._round(2)
        many = self._round(80)
        self.assertEqual(few, many)
        # A second run: nothing left, nothing new.
        messages = self.env["mail.message"].search_count([])
        activities = self.env["mail.activity"].search_count([])
        __, progress = self._run(
            lambda: self.env["aftersales.return.batch"]._cron_return_schedule()
        )
        self.assertEqual(progress, [(0, 0)])
        self.assertEqual(self.env["mail.message"].search_count([]), messages)
        self.assertEqual(self.env["mail.activity"].search_count([]), activities)

    @freeze_time("2026-06-20")
    def test_more_than_a_round_is_reported_and_finished_by_the_next(self):
        self._situations(3)
        Batch = self.env["aftersales.return.batch"]
        rounds = []
        for __ in range(5):
            rounds += self._run(lambda: Batch._cron_return_schedule(batch_size=2))[1]
        # Each of the three situations takes two batches a round.
        self.assertEqual(rounds[:3], [(6, 3), (3, 0), (0, 0)])

    def test_windows_open_in_one_round_for_many_offices(self):
        regions = self.env["aftersales.region"].create(
            [
                {
                    "name": f"Test opening {n}",
                    "code": f"T-OP-{n}",
                    "office_partner_id": self.office.id,
                    "office_location_id": self.office_location.id,
                    "manager_id": self.manager.id,
                    "return_week": "2",
                }
                for n in range(80)
            ]
        )
        Batch = self.env["aftersales.return.batch"]
        day = date(2026, 6, 8)
        with freeze_time(day):
            opened, left = Batch._open_next_windows(day, 50)
            # Ours, East and the demo offices of the second week.
            self.assertEqual(opened, 50)
            self.assertGreaterEqual(left, 31)
            self.assertEqual(Batch._open_next_windows(day, 100), (left, 0))
            self.assertEqual(Batch._open_next_windows(day, 100), (0, 0))
        batches = Batch.search([("region_id", "in", regions.ids)])
        self.assertEqual(len(batches), 80)
        self.assertEqual(set(batches.mapped("period_date")), {JUNE})
        self.assertEqual(len(set(batches.mapped("name"))), 80, "numbered apart")
        self.assertTrue(all(name.startswith("RB/") for name in batches.mapped("name")))


@tagged("post_install", "-at_install")
class TestScaleJobsEscalation(ScaleJobsMixin, TicketCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_ticket_data()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        cls.second_manager = new_test_user(
            cls.env,
            login="as_scale_ticket_manager",
            groups="aftersales_service.group_aftersales_manager",
        )
        cls.region_far_2 = cls.env["aftersales.region"].create(
            {
                "name": "Test Far 2",
                "code": "T-F2",
                "response_class": "far",
                "manager_id": cls.second_manager.id,
            }
        )

    def _round(self, count, start, warm_up=False):
        with at(start):
            tickets = self.env["helpdesk.ticket"].browse()
            for n in range(count):
                tickets |= self._ticket(
                    region_id=(self.region_far, self.region_far_2)[n % 2].id
                )
        managers = (self.manager, self.second_manager)
        digests = self._digests(managers)
        Line = self.env["helpdesk.ticket.sla"]
        escalated = Line.search_count([("aftersales_escalated", "=", True)])
        with at(start + timedelta(hours=49)):
            queries, progress = self._run(
                lambda: self.env["helpdesk.ticket"]._cron_escalate_overdue()
            )
        if warm_up:
            # Also what the demo tickets leave overdue by then.
            return queries
        # The earlier rounds' tickets may breach their resolution by now.
        now = Line.search_count([("aftersales_escalated", "=", True)])
        self.assertEqual(progress, [(now - escalated, 0)])
        self.assertTrue(tickets.ticket_sla_ids.filtered("aftersales_escalated"))
        self.assertEqual(
            [n - m for n, m in zip(self._digests(managers), digests, strict=True)],
            [1, 1],
        )
        for ticket in tickets:
            self.assertEqual(ticket.priority, "2")
            self.assertEqual(ticket.activity_ids.user_id, ticket.region_id.manager_id)
            self.assertIn("Overdue", ticket.message_ids[0].body)
        return queries

    def test_a_round_costs_the_same_for_2_and_80_breaches(self):
        self._round(2, MONDAY_9, warm_up=True)
        few = self._round(2, MONDAY_9 + timedelta(days=7))
        # 80 breaches: the ORM writes 100 rows an UPDATE, so stay below.
        many = self._round(40, MONDAY_9 + timedelta(days=14))
        self.assertEqual(few, many)
        with at(MONDAY_9 + timedelta(days=20)):
            messages = self.env["mail.message"].search_count([])
            __, progress = self._run(
                lambda: self.env["helpdesk.ticket"]._cron_escalate_overdue()
            )
        self.assertEqual(progress, [(0, 0)])
        self.assertEqual(self.env["mail.message"].search_count([]), messages)


@tagged("post_install", "-at_install")
class TestScaleJobsExpiry(ScaleJobsMixin, WarrantyCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_warranty_data()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        cls.lot = cls._lot(cls.lamp, "SCALE-EXPIRY")

    def _round(self, count):
        vouchers = self.env["aftersales.warranty.voucher"].browse()
        for __ in range(count):
            vouchers |= self._voucher(self.lot, date_delivery=date(2024, 1, 1))
        queries, progress = self._run(
            lambda: self.env["aftersales.warranty.voucher"]._cron_expire_vouchers()
        )
        self.assertEqual(progress, [(count, 0)])
        for voucher in vouchers:
            self.assertEqual(voucher.state, "expired")
            tracking = voucher.message_ids[0].tracking_value_ids
            self.assertEqual(tracking.field_id.name, "state", "audit trail kept")
            self.assertEqual(tracking.new_value_char, "Expired")
        return queries

    @freeze_time("2026-06-10")
    def test_a_round_costs_the_same_for_2_and_80_vouchers(self):
        self._round(2)
        self.assertEqual(self._round(2), self._round(80))
        messages = self.env["mail.message"].search_count([])
        __, progress = self._run(
            lambda: self.env["aftersales.warranty.voucher"]._cron_expire_vouchers()
        )
        self.assertEqual(progress, [(0, 0)])
        self.assertEqual(self.env["mail.message"].search_count([]), messages)
