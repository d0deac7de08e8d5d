# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Return batches hold against any RPC caller: states move only through
their transitions and roles, final batches and their lines stay as they
are, bad arguments are refused clearly, and concurrent settlements are
served one after the other."""

import re
import threading
import time
from datetime import date

from freezegun import freeze_time

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tests import TransactionCase, new_test_user, tagged

from .test_return_batches import JUNE, ReturnCommon


@tagged("post_install", "-at_install")
class TestReturnBatchIntegrity(ReturnCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_return_data()
        # The factory's warehouse clerk, no after-sales user.
        cls.warehouse = cls.stock_user
        cls.finance = new_test_user(
            cls.env,
            login="as_return_finance",
            groups="aftersales_service.group_aftersales_finance",
        )

    def _received(self, **values):
        batch = self._shipped(**values)
        with freeze_time("2026-06-12"):
            batch.action_receive()
        return batch

    def _settled(self):
        batch = self._received()
        batch.line_ids.write({"settlement": "rejected", "rejection_reason": "Fine"})
        batch.action_settle()
        self.assertEqual(batch.state, "settled")
        return batch

    def _line_vals(self, **values):
        return dict({"product_id": self.ballast.id, "quantity": 1}, **values)

    # ------------------------------------------------------------------
    # States and stamps
    # ------------------------------------------------------------------

    def test_state_and_stamps_change_through_transitions_only(self):
        batch = self._batch()
        for user in (self.user, self.manager, self.clerk_user):
            with (
                self.subTest(user=user.login),
                self.assertRaisesText(UserError, "through its actions only"),
            ):
                batch.with_user(user).write({"state": "approved"})
        # The warehouse may not even try: it only counts and settles.
        with self.assertRaises(AccessError):
            batch.with_user(self.warehouse).write({"state": "approved"})
        other = self._shipped()
        for vals in (
            {"approved_by_id": self.manager.id},
            {"special_approval": True, "special_reason": "other"},
            {"date_shipped": "2026-06-10"},
            {"picking_id": other.picking_id.id},
            {"postponed_count": 5},
            {"settlement_overdue": True},
        ):
            with (
                self.subTest(vals=vals),
                self.assertRaisesText(UserError, "through its actions only"),
            ):
                batch.with_user(self.manager).write(vals)
        self.assertEqual(batch.state, "draft")
        self.assertFalse(batch.special_approval or batch.picking_id)
        Batch = self.env["aftersales.return.batch"].with_user(self.user)
        count = Batch.search_count([])
        with self.assertRaisesText(UserError, "set by its actions"):
            Batch.create(
                {
                    "region_id": self.region_east.id,
                    "period_date": JUNE,
                    "state": "settled",
                    "approved_by_id": self.manager.id,
                }
            )
        self.assertEqual(Batch.search_count([]), count, "nothing created")

    def test_windows_deadlines_and_office_are_computed_not_typed(self):
        batch = self._approved()
        other_office = self.env["res.partner"].create({"name": "Other office"})
        for vals in (
            {"window_end": "2026-12-31"},
            {"office_partner_id": other_office.id},
            {"total_quantity": 1},
        ):
            with (
                self.subTest(vals=vals),
                self.assertRaisesText(UserError, "computed, not typed"),
            ):
                batch.with_user(self.user).write(vals)
        self.assertEqual(batch.window_end, date(2026, 6, 14))
        self.assertEqual(batch.office_partner_id, self.office)
        line = batch.line_ids[:1]
        for vals in ({"difference": 3}, {"period_date": "2026-07-01"}):
            with self.subTest(vals=vals), self.assertRaisesText(UserError, "not typed"):
                line.with_user(self.user).write(vals)

    # ------------------------------------------------------------------
    # Final means final
    # ------------------------------------------------------------------

    def test_signed_off_batch_keeps_its_region_and_month(self):
        batch = self._approved()
        for vals in (
            {"region_id": self.region_south.id},
            {"period_date": "2026-07-01"},
        ):
            with self.subTest(vals=vals), self.assertRaisesText(UserError, "Approved"):
                batch.with_user(self.manager).write(vals)
        with self.assertRaisesText(UserError, "Approved"):
            batch.line_ids[:1].with_user(self.manager).write({"quantity": 1})
        with self.assertRaisesText(UserError, "Approved"):
            batch.with_user(self.user).write(
                {"line_ids": [Command.create(self._line_vals())]}
            )
        self.assertEqual(batch.period_date, JUNE)
        self.assertEqual(len(batch.line_ids), 2)
        # While it is a draft, the office corrects it freely.
        draft = self._batch(period=date(2026, 7, 1))
        draft.with_user(self.user).write(
            {
                "period_date": "2026-08-20",
                "line_ids": [Command.create(self._line_vals())],
            }
        )
        self.assertEqual(draft.period_date, date(2026, 8, 1))

    def test_shipped_and_received_lines_take_the_factory_entries_only(self):
        batch = self._shipped()
        line = batch.line_ids.sorted("quantity")[0]
        clerk = self.clerk_user
        # The count, the way the form saves it: through the batch.
        batch.with_user(self.warehouse).write(
            {"line_ids": [Command.update(line.id, {"received_qty": 11})]}
        )
        line.with_user(clerk).write({"condition": "damaged"})
        for vals in ({"quantity": 1}, {"settlement": "scrap"}):
            with self.subTest(vals=vals), self.assertRaisesText(UserError, "Shipped"):
                line.with_user(clerk).write(vals)
        # The office does not type the factory's count.
        with self.assertRaises(AccessError):
            line.with_user(self.user).write({"received_qty": 12})
        with self.assertRaisesText(UserError, "Shipped"):
            line.with_user(clerk).unlink()
        with freeze_time("2026-06-12"):
            batch.with_user(self.warehouse).action_receive()
        self.assertEqual(line.received_qty, 11)
        line.with_user(self.warehouse).write({"settlement": "scrap"})
        for vals in ({"received_qty": 3}, {"condition": "as_announced"}):
            with self.subTest(vals=vals), self.assertRaisesText(UserError, "Received"):
                line.with_user(clerk).write(vals)
        with self.assertRaisesText(UserError, "Received"):
            batch.with_user(clerk).write(
                {"line_ids": [Command.create(self._line_vals())]}
            )
        self.assertEqual(line.received_qty, 11)

    def test_settled_batch_and_its_lines_are_final(self):
        batch = self._settled()
        line = batch.line_ids[:1]
        clerk = self.clerk_user  # both roles: only the state refuses
        for vals in (
            {"quantity": 1},
            {"received_qty": 1},
            {"settlement": "scrap"},
            {"rejection_reason": "Changed my mind"},
        ):
            with self.subTest(vals=vals), self.assertRaisesText(UserError, "Settled"):
                line.with_user(clerk).write(vals)
        for vals in (
            {"region_id": self.region_south.id},
            {"period_date": "2026-07-01"},
            {"note": "<p>typed later</p>"},
            {"line_ids": [Command.update(line.id, {"settlement": "scrap"})]},
            {"line_ids": [Command.create(self._line_vals())]},
            {"line_ids": [Command.delete(line.id)]},
        ):
            with self.subTest(vals=vals), self.assertRaisesText(UserError, "Settled"):
                batch.with_user(clerk).write(vals)
        with self.assertRaisesText(UserError, "Settled"):
            line.with_user(clerk).unlink()
        with self.assertRaisesText(UserError, "Settled"):
            self.env["aftersales.return.batch.line"].with_user(clerk).create(
                self._line_vals(batch_id=batch.id)
            )
        self.assertEqual(line.settlement, "rejected")
        self.assertEqual(len(batch.line_ids), 2)
        self.assertEqual(batch.region_id, self.region_east)

    def test_a_line_never_moves_to_another_batch(self):
        first = self._batch()
        second = self._batch(period=date(2026, 7, 1))
        line = first.line_ids[:1]
        with self.assertRaisesText(UserError, "cannot move"):
            line.with_user(self.user).write({"batch_id": second.id})
        with self.assertRaisesText(UserError, "cannot move"):
            second.with_user(self.user).write({"line_ids": [Command.link(line.id)]})
        shipped = self._shipped()
        with self.assertRaisesText(UserError, "cannot move"):
            shipped.line_ids[:1].with_user(self.manager).write({"batch_id": first.id})
        self.assertEqual(line.batch_id, first)
        self.assertEqual(len(second.line_ids), 2)
        # Saving its own batch again is no move.
        line.with_user(self.user).write({"batch_id": first.id, "quantity": 5})
        self.assertEqual(line.quantity, 5)

    # ------------------------------------------------------------------
    # Roles on the server
    # ------------------------------------------------------------------

    def test_each_step_checks_its_role(self):
        batch = self._batch()
        with freeze_time("2026-06-03"):
            with self.assertRaises(AccessError):
                batch.with_user(self.warehouse).action_submit()
            batch.with_user(self.user).action_submit()
        self.assertEqual(batch.submitted_by_id, self.user)
        for user in (self.user, self.finance, self.warehouse):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                batch.with_user(user).action_approve()
        batch.with_user(self.manager).action_approve()
        with freeze_time("2026-06-10"):
            with self.assertRaises(AccessError):
                batch.with_user(self.warehouse).action_ship()
            batch.with_user(self.user).action_ship()
        self.assertEqual(batch.state, "shipped")
        # The office does not receive its own goods, nor does the manager.
        for user in (self.user, self.manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                batch.with_user(user).action_receive()
        with freeze_time("2026-06-12"):
            batch.with_user(self.warehouse).action_receive()
        self.assertEqual(batch.state, "received")
        batch.line_ids.write({"settlement": "credit"})
        for user in (self.user, self.manager, self.finance):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                batch.with_user(user).action_settle()
        self.assertEqual(batch.state, "received")
        self.assertFalse(batch.line_ids.credit_move_id, "no credit note created")
        batch.with_user(self.warehouse).action_settle()
        self.assertEqual(batch.state, "settled")
        self.assertEqual(len(batch.line_ids.credit_move_id), 2)

    def test_cancel_reset_and_special_approval_roles(self):
        approved = self._approved()
        with self.assertRaisesText(AccessError, "approved return batch"):
            approved.with_user(self.user).action_cancel()
        approved.with_user(self.manager).action_cancel()
        self.assertEqual(approved.state, "cancel")
        with self.assertRaises(AccessError):
            approved.with_user(self.warehouse).action_draft()
        approved.with_user(self.user).action_draft()
        self.assertEqual(approved.state, "draft")
        self.assertFalse(approved.approved_by_id, "the old approval is gone")
        draft = self._batch(period=date(2026, 7, 1))
        draft.with_user(self.user).action_cancel()
        self.assertEqual(draft.state, "cancel")
        with self.assertRaises(AccessError):
            draft.with_user(self.user).action_open_special_approval()
        with self.assertRaises(AccessError):
            draft.with_user(self.user)._approve_exception("other", "Truck")
        shipped = self._shipped()
        with self.assertRaisesText(UserError, "before shipping"):
            shipped.with_user(self.manager)._approve_exception("other", "Late")
        with self.assertRaisesText(ValidationError, "reason of the special"):
            approved.with_user(self.manager)._approve_exception(12, "Late")
        self.assertFalse(shipped.special_approval or approved.special_approval)

    def test_buttons_follow_the_server_checks(self):
        def buttons(user):
            arch = (
                self.env["aftersales.return.batch"]
                .with_user(user)
                .get_views([(False, "form")])["views"]["form"]["arch"]
            )
            return set(re.findall(r'name="(action_\w+)"', arch))

        office = buttons(self.user)
        self.assertTrue({"action_submit", "action_ship", "action_cancel"} <= office)
        self.assertFalse(
            {"action_approve", "action_receive", "action_settle"} & office,
            "the office neither approves, receives nor settles",
        )
        self.assertIn("action_approve", buttons(self.manager))
        warehouse = buttons(self.warehouse)
        self.assertTrue({"action_receive", "action_settle"} <= warehouse)
        self.assertFalse({"action_submit", "action_ship", "action_approve"} & warehouse)

    # ------------------------------------------------------------------
    # Arguments
    # ------------------------------------------------------------------

    def test_bad_month_is_refused_clearly_and_creates_nothing(self):
        Batch = self.env["aftersales.return.batch"].with_user(self.user)
        Line = self.env["aftersales.return.batch.line"]
        batches, lines = Batch.search_count([]), Line.search_count([])
        bad = ("2026-02-30", 20260601, ["2026-06-01"], "June", 3.5, True, False)
        for value in bad:
            with (
                self.subTest(value=value),
                self.assertRaisesText(ValidationError, "real day|Give the month"),
            ):
                Batch.create(
                    {
                        "region_id": self.region_east.id,
                        "period_date": value,
                        "line_ids": [Command.create(self._line_vals())],
                    }
                )
        self.assertEqual(Batch.search_count([]), batches)
        self.assertEqual(Line.search_count([]), lines)
        batch = self._batch().with_user(self.user)
        for value in bad:
            with (
                self.subTest(value=value),
                self.assertRaisesText(ValidationError, "real day|Give the month"),
            ):
                batch.write({"period_date": value})
        self.assertEqual(batch.period_date, JUNE)

    def test_quantities_are_finite(self):
        batch = self._batch()
        for quantity in (float("nan"), float("inf"), "nan", [1], -1.0):
            with (
                self.subTest(quantity=quantity),
                self.assertRaisesText(
                    ValidationError, "a number is expected|cannot be negative"
                ),
            ):
                batch.with_user(self.user).write(
                    {"line_ids": [Command.create(self._line_vals(quantity=quantity))]}
                )
        shipped = self._shipped()
        for quantity in (float("nan"), float("-inf"), True, -1.0):
            with (
                self.subTest(received=quantity),
                self.assertRaisesText(
                    ValidationError, "a number is expected|cannot be negative"
                ),
            ):
                shipped.line_ids[:1].with_user(self.warehouse).write(
                    {"received_qty": quantity}
                )

    # ------------------------------------------------------------------
    # The schedule's job and the companies
    # ------------------------------------------------------------------

    def test_the_schedule_still_postpones_a_signed_off_batch(self):
        batch = self._batch()
        with freeze_time("2026-06-03"):
            batch.action_submit()
        with freeze_time("2026-06-15"):
            self.env["aftersales.return.batch"]._cron_return_schedule()
        self.assertEqual(batch.period_date, date(2026, 7, 1))
        self.assertEqual(batch.postponed_count, 1)
        self.assertEqual(batch.state, "submitted")

    def test_company_owned_links_are_checked(self):
        for model in ("aftersales.return.batch", "aftersales.return.batch.line"):
            Model = self.env[model]
            for name, field in Model._fields.items():
                if (
                    field.type != "many2one"
                    or field.related
                    or field.comodel_name in ("res.company", "res.users")
                    or "company_id" not in self.env[field.comodel_name]._fields
                ):
                    continue
                with self.subTest(field=f"{model}.{name}"):
                    self.assertTrue(field.check_company)


@tagged("post_install", "-at_install")
class TestReturnBatchSettleConcurrency(TransactionCase):
    """Two warehouse clerks settle the same batch at once: the second waits
    for the first, then is told the batch was settled; nothing is created
    twice and no ERROR is logged. Committed data, two real transactions."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            office = env["res.partner"].create({"name": "Settle race office"})
            location = env["stock.location"].create(
                {"name": "Settle race office", "usage": "internal"}
            )
            region = env["aftersales.region"].create(
                {
                    "name": "Settle race region",
                    "code": "T-RACE",
                    "return_week": "1",
                    "office_partner_id": office.id,
                    "office_location_id": location.id,
                }
            )
            product = env["product.product"].create({"name": "Settle race part"})
            batch = env["aftersales.return.batch"].create(
                {
                    "region_id": region.id,
                    "period_date": date(2026, 6, 1),
                    "line_ids": [Command.create({"product_id": product.id})],
                }
            )
            # Received with nothing counted: settling it creates no document.
            batch.line_ids.write({"received_qty": 0, "settlement": "scrap"})
            batch._workflow_write({"state": "received"})
            self.refs = {
                "batch": batch.id,
                "region": region.id,
                "product": product.id,
                "office": office.id,
                "location": location.id,
            }
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            batch = env["aftersales.return.batch"].browse(self.refs["batch"])
            batch._workflow_write({"state": "cancel"})
            batch.unlink()
            env["aftersales.region"].browse(self.refs["region"]).unlink()
            env["product.product"].browse(self.refs["product"]).unlink()
            env["stock.location"].browse(self.refs["location"]).unlink()
            env["res.partner"].browse(self.refs["office"]).unlink()

    def _settle_in_another_transaction(self, env, outcome):
        batch = env["aftersales.return.batch"].browse(self.refs["batch"])
        try:
            for __ in range(5):
                try:
                    batch.action_settle()
                    env.cr.commit()
                    outcome["result"] = "settled"
                    return
                except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                    # What the RPC layer does (odoo.service.model.retrying,
                    # whose registry reset cannot run beside the test runner):
                    # roll back and try again on a fresh snapshot.
                    env.cr.rollback()
                    outcome["retries"] = outcome.get("retries", 0) + 1
        except Exception as error:  # noqa: BLE001 - the outcome is asserted
            outcome["error"] = error
        finally:
            env.cr.close()

    def _wait_until_blocked(self):
        with self.registry.cursor() as cr:
            for __ in range(200):
                cr.execute(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
                if cr.fetchone()[0]:
                    return True
                # pg_stat_activity is read once per transaction.
                cr.rollback()
                time.sleep(0.05)
        return False

    def test_second_settlement_waits_then_is_told(self):
        outcome = {}
        with (
            self.assertNoLogs("odoo.sql_db", level="ERROR"),
            self.registry.cursor() as cr1,
        ):
            env = api.Environment(cr1, SUPERUSER_ID, {"tracking_disable": True})
            env["aftersales.return.batch"].browse(self.refs["batch"]).action_settle()
            # The second transaction's environment is made here: the registry
            # is not to be looked up from another thread while tests run.
            env2 = api.Environment(
                self.registry.cursor(), SUPERUSER_ID, {"tracking_disable": True}
            )
            second = threading.Thread(
                target=self._settle_in_another_transaction, args=(env2, outcome)
            )
            second.start()
            self.assertTrue(self._wait_until_blocked(), "the second one waits")
            cr1.commit()
            second.join(timeout=60)
        self.assertFalse(second.is_alive())
        self.assertEqual(outcome.get("retries"), 1, "it waited, then read again")
        error = outcome.get("error")
        self.assertIsInstance(error, UserError, outcome)
        self.assertNotIsInstance(error, AccessError)
        self.assertIn("already settled", str(error))
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            batch = env["aftersales.return.batch"].browse(self.refs["batch"])
            self.assertEqual(batch.state, "settled")
            self.assertTrue(batch.line_ids.settled)
