# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from freezegun import freeze_time

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, TransactionCase, new_test_user, tagged

from .test_claims import ClaimCommon

JUNE = date(2026, 6, 1)


class ReturnCommon(ClaimCommon):
    @classmethod
    def setup_return_data(cls):
        cls.setup_claim_data()
        env = cls.env
        cls.company.aftersales_week_rule = "days"
        cls.company.aftersales_settlement_days = 3
        cls.returns_location = env["stock.location"].create(
            {"name": "Test factory returns", "usage": "internal"}
        )
        cls.company.aftersales_returns_location_id = cls.returns_location
        cls.ballast = env["product.product"].create(
            {
                "name": "Test ballast",
                "is_storable": True,
                "standard_price": 10.0,
                "lst_price": 25.0,
            }
        )
        cls.lamp_lot = cls._lot(cls.lamp, "RET-LAMP")
        # Defective goods the stations handed to the office.
        Quant = env["stock.quant"]
        Quant._update_available_quantity(cls.ballast, cls.office_location, 20)
        Quant._update_available_quantity(
            cls.lamp, cls.office_location, 40, lot_id=cls.lamp_lot
        )
        # And new goods in stock for exchanges.
        stock = env.ref("stock.warehouse0").lot_stock_id
        Quant._update_available_quantity(cls.ballast, stock, 50)
        cls.clerk_user = new_test_user(
            env,
            login="as_warehouse_clerk",
            groups="stock.group_stock_user,aftersales_service.group_aftersales_user",
        )

    def _batch(self, period=JUNE, **values):
        vals = {
            "region_id": self.region_east.id,
            "period_date": period,
            "line_ids": [
                Command.create(
                    {"product_id": self.ballast.id, "quantity": 12, "reason": "defect"}
                ),
                Command.create(
                    {
                        "product_id": self.lamp.id,
                        "lot_id": self.lamp_lot.id,
                        "quantity": 30,
                        "reason": "transport",
                        "station_id": self.station.id,
                    }
                ),
            ],
        }
        vals.update(values)
        return self.env["aftersales.return.batch"].create(vals)

    def _approved(self, **values):
        batch = self._batch(**values)
        with freeze_time("2026-06-03"):
            batch.action_submit()
        batch.with_user(self.manager).action_approve()
        return batch

    def _shipped(self, **values):
        batch = self._approved(**values)
        # Region East returns in week 2: 8 to 14 June.
        with freeze_time("2026-06-10"):
            batch.action_ship()
        return batch


@tagged("post_install", "-at_install")
class TestReturnSchedule(ReturnCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_return_data()

    def test_window_follows_the_region_week_and_the_company_rule(self):
        batch = self._batch()
        self.assertEqual(
            (batch.window_start, batch.window_end),
            (date(2026, 6, 8), date(2026, 6, 14)),
        )
        self.company.aftersales_week_rule = "monday"
        # South returns in week 3; July 2026 starts on a Wednesday.
        july = self._batch(period=date(2026, 7, 17), region_id=self.region_south.id)
        self.assertEqual(july.period_date, date(2026, 7, 1), "months start on the 1st")
        self.assertEqual(
            (july.window_start, july.window_end), (date(2026, 7, 20), date(2026, 7, 26))
        )

    def test_region_without_week_is_refused_clearly(self):
        region = self.env["aftersales.region"].create(
            {"name": "No week", "code": "NWK"}
        )
        with self.assertRaisesText(ValidationError, "has no return week"):
            self._batch(region_id=region.id)

    def test_shipping_outside_the_window_needs_a_special_approval(self):
        batch = self._approved()
        with (
            freeze_time("2026-06-15"),
            self.assertRaisesText(UserError, "outside this window"),
        ):
            batch.action_ship()
        self.assertEqual(batch.state, "approved")
        self.assertFalse(batch.picking_id)
        with self.assertRaisesText(UserError, "Only after-sales managers"):
            batch.with_user(self.user)._approve_exception("other", "late truck")
        action = batch.with_user(self.manager).action_open_special_approval()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.manager)
            .with_context(**action["context"])
        )
        wizard.reason = "batch_quality"
        wizard.note = "Batch of failing ballasts"
        wizard.save().action_confirm()
        with freeze_time("2026-06-15"):
            batch.action_ship()
        self.assertEqual(batch.state, "shipped")

    def test_one_batch_per_office_and_month(self):
        self._approved()
        second = self._batch()
        with (
            freeze_time("2026-06-10"),
            self.assertRaisesText(UserError, "second one needs a special approval"),
        ):
            second.action_submit()
        self.assertEqual(second.state, "draft")
        second.with_user(self.manager)._approve_exception("other", "Second truck")
        with freeze_time("2026-06-10"):
            second.action_submit()
        self.assertEqual(second.state, "submitted")
        other_month = self._batch(period=date(2026, 7, 1))
        with freeze_time("2026-07-02"):
            other_month.action_submit()

    def test_nothing_unapproved_is_shipped_or_received(self):
        batch = self._batch()
        for action in ("action_ship", "action_receive", "action_settle"):
            with self.subTest(action=action), self.assertRaises(UserError):
                getattr(batch, action)()
        with freeze_time("2026-06-03"):
            batch.action_submit()
        with freeze_time("2026-06-10"), self.assertRaises(UserError):
            batch.action_ship()

    def test_bad_quantities_are_refused(self):
        for quantity in (0, -2):
            with (
                self.subTest(quantity=quantity),
                self.assertRaisesText(
                    ValidationError, "positive quantity|cannot be negative"
                ),
            ):
                self._batch(
                    line_ids=[
                        Command.create(
                            {"product_id": self.ballast.id, "quantity": quantity}
                        )
                    ]
                )

    def test_lines_must_come_from_stations_when_required(self):
        self.company.aftersales_return_require_claim = True
        with self.assertRaisesText(ValidationError, "was not returned to this office"):
            self._batch()
        claim = self._approved_claim()
        batch = self._batch(
            line_ids=[
                Command.create(
                    {
                        "product_id": self.compressor.id,
                        "quantity": 1,
                        "claim_id": claim.id,
                    }
                )
            ]
        )
        self.assertEqual(batch.total_quantity, 1)
        foreign = self.env["aftersales.claim"].create(
            {
                "partner_id": self.customer.id,
                "product_id": self.truck.id,
                "station_id": self.env["aftersales.station"]
                .create(
                    {
                        "partner_id": self.env["res.partner"]
                        .create({"name": "South station"})
                        .id,
                        "region_id": self.region_south.id,
                    }
                )
                .id,
            }
        )
        with self.assertRaisesText(ValidationError, "was not returned to this office"):
            self._batch(
                line_ids=[
                    Command.create(
                        {
                            "product_id": self.truck.id,
                            "quantity": 1,
                            "claim_id": foreign.id,
                        }
                    )
                ]
            )


@tagged("post_install", "-at_install")
class TestReturnReceiptAndSettlement(ReturnCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_return_data()

    def test_shipping_creates_the_transfer_to_the_factory(self):
        batch = self._shipped()
        picking = batch.picking_id
        self.assertEqual(picking.location_id, self.office_location)
        self.assertEqual(picking.location_dest_id, self.returns_location)
        self.assertEqual(sorted(picking.move_ids.mapped("product_uom_qty")), [12, 30])
        self.assertEqual(batch.date_shipped, date(2026, 6, 10))

    def test_received_quantity_prevails_and_the_difference_is_reported(self):
        batch = self._shipped()
        ballast_line, lamp_line = batch.line_ids.sorted("quantity")
        ballast_line.received_qty = 10
        lamp_line.write({"received_qty": 30, "condition": "damaged"})
        with freeze_time("2026-06-12"):
            batch.with_user(self.clerk_user).action_receive()
        self.assertEqual(batch.state, "received")
        self.assertEqual(ballast_line.difference, -2)
        self.assertEqual(batch.total_difference, -2)
        self.assertEqual(batch.count_deadline, date(2026, 6, 13))
        self.assertEqual(batch.settlement_deadline, date(2026, 6, 15))
        moved = batch.picking_id.move_ids
        self.assertEqual(batch.picking_id.state, "done")
        self.assertEqual(sorted(moved.mapped("quantity")), [10, 30])
        stock = self.env["stock.quant"]._get_available_quantity(
            self.ballast, self.returns_location
        )
        self.assertEqual(stock, 10, "what was counted arrived, not what was announced")
        note = batch.message_ids[0]
        self.assertIn("differs", note.body)
        self.assertIn(self.office, note.partner_ids)

    def test_each_settlement_produces_its_document(self):
        batch = self._shipped(
            line_ids=[
                Command.create(
                    {"product_id": self.ballast.id, "quantity": 2, "reason": "defect"}
                )
                for __ in range(5)
            ]
        )
        with freeze_time("2026-06-12"):
            batch.action_receive()
        exchange, credit, repair, scrap, rejected = batch.line_ids
        exchange.settlement = "exchange"
        credit.write({"settlement": "credit", "station_id": self.station.id})
        repair.settlement = "repair"
        scrap.settlement = "scrap"
        rejected.settlement = "rejected"
        with self.assertRaisesText(UserError, "reason"):
            batch.with_user(self.clerk_user).action_settle()
        self.assertEqual(batch.state, "received")
        self.assertFalse(exchange.settled, "nothing settled when one line fails")
        rejected.rejection_reason = "Lights fine"
        batch.with_user(self.clerk_user).action_settle()
        self.assertEqual(batch.state, "settled")
        stock = self.env.ref("stock.warehouse0").lot_stock_id
        self.assertEqual(exchange.exchange_picking_id.location_id, stock)
        self.assertEqual(
            exchange.exchange_picking_id.location_dest_id, self.office_location
        )
        self.assertEqual(repair.exchange_picking_id.location_id, self.returns_location)
        self.assertEqual(credit.credit_move_id.move_type, "out_refund")
        self.assertEqual(credit.credit_move_id.partner_id, self.station_partner)
        self.assertEqual(credit.credit_move_id.amount_untaxed, 50.0)
        self.assertEqual(scrap.scrap_id.state, "done")
        self.assertEqual(scrap.scrap_id.scrap_qty, 2)
        self.assertTrue(any("Lights fine" in m.body for m in batch.message_ids))
        self.assertTrue(all(batch.line_ids.mapped("settled")))

    def test_deletion_only_before_sign_off(self):
        batch = self._approved()
        with self.assertRaisesText(UserError, "Only draft or cancelled"):
            batch.unlink()
        batch.action_cancel()
        batch.unlink()
        self.assertFalse(batch.exists())

    def test_application_form_and_register(self):
        batch = self._shipped()
        html = str(
            self.env["ir.actions.report"]._render_qweb_html(
                "aftersales_service.action_report_return_batch", batch.ids
            )[0]
        )
        self.assertIn(batch.name, html)
        self.assertIn("Test ballast", html)
        content, report_type = self.env["ir.actions.report"]._render(
            "aftersales_service.action_report_return_register_xlsx", batch.ids
        )
        self.assertEqual(report_type, "xlsx")
        self.assertTrue(content.startswith(b"PK"), "an xlsx file")


@tagged("post_install", "-at_install")
class TestReturnCron(ReturnCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_return_data()

    def test_window_opening_reminds_the_office_once(self):
        Batch = self.env["aftersales.return.batch"]
        with freeze_time("2026-06-08"):
            Batch._cron_return_schedule()
            opened = Batch.search(
                [("region_id", "=", self.region_east.id), ("period_date", "=", JUNE)]
            )
            self.assertEqual(len(opened), 1, "the window opened a draft batch")
            self.assertTrue(opened.reminder_sent)
            self.assertEqual(opened.activity_ids.user_id, self.manager)
            Batch._cron_return_schedule()
        self.assertEqual(len(opened.activity_ids), 1, "reminded once")

    def test_missed_window_postpones_once_and_keeps_history(self):
        batch = self._batch()
        Batch = self.env["aftersales.return.batch"]
        with freeze_time("2026-06-15"):
            Batch._cron_return_schedule()
            Batch._cron_return_schedule()
        self.assertEqual(batch.period_date, date(2026, 7, 1))
        self.assertEqual(batch.window_start, date(2026, 7, 8))
        self.assertEqual(batch.postponed_count, 1)
        self.assertTrue(any("postponed" in m.body for m in batch.message_ids))
        with freeze_time("2026-12-20"):
            Batch._cron_return_schedule()
        self.assertEqual(batch.period_date, date(2027, 1, 1), "December → January")
        self.assertEqual(batch.postponed_count, 2)

    def test_special_and_shipped_batches_are_not_postponed(self):
        special = self._batch(region_id=self.region_south.id)
        special.with_user(self.manager)._approve_exception("other", "Urgent")
        shipped = self._shipped()
        with freeze_time("2026-06-30"):
            self.env["aftersales.return.batch"]._cron_return_schedule()
        self.assertEqual(special.period_date, JUNE)
        self.assertEqual(shipped.postponed_count, 0)

    def test_late_settlement_is_flagged_once(self):
        batch = self._shipped()
        with freeze_time("2026-06-12"):
            batch.action_receive()
        Batch = self.env["aftersales.return.batch"]
        with freeze_time("2026-06-15"):
            Batch._cron_return_schedule()
        self.assertFalse(batch.settlement_overdue, "due on the 15th")
        with freeze_time("2026-06-16"):
            Batch._cron_return_schedule()
            Batch._cron_return_schedule()
        self.assertTrue(batch.settlement_overdue)
        self.assertEqual(len(batch.activity_ids), 1)


@tagged("post_install", "-at_install")
class TestReturnAccess(ReturnCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_return_data()
        clerk_partner = cls.env["res.partner"].create(
            {"name": "Station clerk", "parent_id": cls.station_partner.id}
        )
        cls.station_user = new_test_user(
            cls.env,
            login="as_return_station",
            groups="base.group_portal,aftersales_service.group_aftersales_station",
            partner_id=clerk_partner.id,
        )
        office_staff = cls.env["res.partner"].create(
            {"name": "Office clerk", "parent_id": cls.office.id}
        )
        cls.office_user = new_test_user(
            cls.env,
            login="as_return_office",
            groups="base.group_portal,aftersales_service.group_aftersales_station",
            partner_id=office_staff.id,
        )

    def test_stations_and_offices_see_their_own_batches(self):
        east = self._batch()
        other_office = self.env["res.partner"].create({"name": "Other office"})
        self.region_south.office_partner_id = other_office
        south = self._batch(
            region_id=self.region_south.id,
            line_ids=[Command.create({"product_id": self.ballast.id, "quantity": 1})],
        )
        Batch = self.env["aftersales.return.batch"]
        self.assertEqual(Batch.with_user(self.office_user).search([]), east)
        self.assertEqual(Batch.with_user(self.station_user).search([]), east)
        with self.assertRaises(AccessError):
            south.with_user(self.office_user).read(["name"])
        with self.assertRaises(AccessError):
            east.with_user(self.station_user).write({"note": "x"})


@tagged("post_install", "-at_install")
class TestReturnTour(ReturnCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_return_data()

    def test_clerk_receives_and_settles(self):
        batch = self._shipped()
        self.start_tour(
            f"/odoo/return-batches/{batch.id}",
            "aftersales_return_batch_tour",
            login="as_warehouse_clerk",
        )
        self.assertEqual(batch.state, "settled")
        self.assertEqual(batch.line_ids.sorted("quantity")[0].received_qty, 11)
        self.assertEqual(set(batch.line_ids.mapped("settlement")), {"scrap", "credit"})


@tagged("post_install", "-at_install")
class TestReturnCronConcurrency(TransactionCase):
    """Two cron workers at once: committed data, two real transactions."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            office = env["res.partner"].create({"name": "Concurrency office"})
            location = env["stock.location"].create(
                {"name": "Concurrency office", "usage": "internal"}
            )
            region = env["aftersales.region"].create(
                {
                    "name": "Concurrency region",
                    "code": "T-CONC",
                    "return_week": "1",
                    "office_partner_id": office.id,
                    "office_location_id": location.id,
                }
            )
            product = env["product.product"].create({"name": "Concurrency part"})
            batch = env["aftersales.return.batch"].create(
                {
                    "region_id": region.id,
                    "period_date": JUNE,
                    "line_ids": [Command.create({"product_id": product.id})],
                }
            )
            self.ids = {
                "batch": batch.id,
                "region": region.id,
                "product": product.id,
                "office": office.id,
                "location": location.id,
            }
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["aftersales.return.batch"].browse(self.ids["batch"]).unlink()
            env["aftersales.region"].browse(self.ids["region"]).unlink()
            env["product.product"].browse(self.ids["product"]).unlink()
            env["stock.location"].browse(self.ids["location"]).unlink()
            env["res.partner"].browse(self.ids["office"]).unlink()

    @freeze_time("2026-06-20")
    def test_two_workers_postpone_a_batch_once(self):
        today = date(2026, 6, 20)
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            first = api.Environment(cr1, SUPERUSER_ID, {})["aftersales.return.batch"]
            second = api.Environment(cr2, SUPERUSER_ID, {})["aftersales.return.batch"]
            self.assertEqual(first._postpone_missed_windows(today, 100), 1)
            # The first worker still holds the batch: the second skips it.
            self.assertEqual(second._postpone_missed_windows(today, 100), 0)
            cr1.commit()
            cr2.rollback()
            # Once committed, the batch is in July's window: nothing to postpone.
            self.assertEqual(second._postpone_missed_windows(today, 100), 0)
        with self.registry.cursor() as cr:
            batch = api.Environment(cr, SUPERUSER_ID, {})[
                "aftersales.return.batch"
            ].browse(self.ids["batch"])
            self.assertEqual(batch.postponed_count, 1)
            self.assertEqual(batch.period_date, date(2026, 7, 1))
