# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue #11 (daily use): records."""

from lxml import etree

from odoo import Command
from odoo.tests import Form, TransactionCase, new_test_user, tagged

from .test_return_batches import ReturnCommon


class RecordsCommon(ReturnCommon):
    @classmethod
    def setup_records_data(cls):
        cls.setup_return_data()
        env = cls.env
        cls.team = env.ref("aftersales_service.helpdesk_team_aftersales")
        cls.other_team = env["helpdesk.ticket.team"].create({"name": "Test sales"})
        cls.other_lot = cls._lot(cls.truck, "REC-OTHER")
        cls.other_voucher = cls._voucher(cls.other_lot)
        cls.other_station = env["aftersales.station"].create(
            {
                "partner_id": env["res.partner"]
                .create({"name": "Test Other Station", "is_company": True})
                .id,
                "region_id": cls.region_east.id,
            }
        )

    def _ticket(self, **values):
        vals = {
            "name": "Compartment warms up",
            "description": "<p>Customer called.</p>",
            "team_id": self.team.id,
            "partner_id": self.customer.id,
            "aftersales_service_type": "warranty",
        }
        vals.update(values)
        return self.env["helpdesk.ticket"].create(vals)

    def _arch(self, model, view_type, user=None):
        env = self.env(user=user) if user else self.env
        views = env[model].get_views([(False, view_type)])
        return etree.fromstring(views["views"][view_type]["arch"])

    def _queries(self, func):
        """Queries ``func`` runs on a cold cache."""
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        func()
        return self.cr.sql_log_count - before


@tagged("post_install", "-at_install")
class TestRecordLinks(RecordsCommon, TransactionCase):
    """Links both ways, with counts, as core Repair and OCA RMA give them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_records_data()

    def test_voucher_opens_its_claims_and_tickets(self):
        claims = self._claim() | self._claim(fault_phenomenon="Door rattles")
        self.assertEqual(claims.voucher_id, self.voucher)
        # Another team's ticket on the same serial is the voucher's too.
        tickets = self._ticket(lot_id=self.truck_lot.id) | self._ticket(
            lot_id=self.truck_lot.id, team_id=self.other_team.id
        )
        self.assertEqual(tickets.voucher_id, self.voucher)
        self._ticket(lot_id=self.other_lot.id)
        self.assertEqual((self.voucher.claim_count, self.voucher.ticket_count), (2, 2))
        self.assertEqual(
            (self.other_voucher.claim_count, self.other_voucher.ticket_count), (0, 1)
        )

        action = self.voucher.action_view_claims()
        self.assertEqual(action["res_model"], "aftersales.claim")
        self.assertEqual(action["domain"], [("voucher_id", "=", self.voucher.id)])
        self.assertEqual(self.env["aftersales.claim"].search(action["domain"]), claims)
        self.assertEqual(action["context"]["default_lot_id"], self.truck_lot.id)

        action = self.voucher.action_view_tickets()
        self.assertEqual(action["res_model"], "helpdesk.ticket")
        self.assertEqual(action["domain"], [("voucher_id", "=", self.voucher.id)])
        self.assertEqual(self.env["helpdesk.ticket"].search(action["domain"]), tickets)
        self.assertNotIn(
            "search_default_team_id",
            action["context"],
            "the after-sales team filter would hide the other team's ticket",
        )

        form = self._arch("aftersales.warranty.voucher", "form", self.user)
        buttons = form.xpath("//div[@name='button_box']/button/@name")
        self.assertIn("action_view_claims", buttons)
        self.assertIn("action_view_tickets", buttons)

    def test_station_opens_its_tickets_claims_and_batches(self):
        claims = self._claim() | self._claim(fault_phenomenon="Door rattles")
        self._claim(station_id=self.other_station.id)
        tickets = self._ticket(station_id=self.station.id)
        self._ticket(station_id=self.other_station.id)
        # _batch has one line from the station; a batch with two of its
        # lines counts once.
        first = self._batch()
        second = self._batch(
            line_ids=[
                Command.create(
                    {
                        "product_id": self.ballast.id,
                        "quantity": 1,
                        "station_id": self.station.id,
                    }
                ),
                Command.create(
                    {
                        "product_id": self.ballast.id,
                        "quantity": 2,
                        "station_id": self.station.id,
                    }
                ),
            ],
        )
        self._batch(
            line_ids=[
                Command.create(
                    {
                        "product_id": self.ballast.id,
                        "quantity": 1,
                        "station_id": self.other_station.id,
                    }
                )
            ]
        )
        station = self.station.with_user(self.user)
        self.assertEqual(
            (station.ticket_count, station.claim_count, station.return_batch_count),
            (1, 2, 2),
        )
        other = self.other_station.with_user(self.user)
        self.assertEqual(
            (other.ticket_count, other.claim_count, other.return_batch_count),
            (1, 1, 1),
        )

        action = station.action_view_tickets()
        self.assertEqual(action["domain"], [("station_id", "=", self.station.id)])
        self.assertEqual(self.env["helpdesk.ticket"].search(action["domain"]), tickets)
        action = station.action_view_claims()
        self.assertEqual(action["domain"], [("station_id", "=", self.station.id)])
        self.assertEqual(self.env["aftersales.claim"].search(action["domain"]), claims)
        action = station.action_view_return_batches()
        self.assertEqual(action["res_model"], "aftersales.return.batch")
        self.assertEqual(
            action["domain"], [("line_ids.station_id", "=", self.station.id)]
        )
        self.assertEqual(
            self.env["aftersales.return.batch"].search(action["domain"]),
            first | second,
        )

        form = self._arch("aftersales.station", "form", self.user)
        buttons = form.xpath("//div[@name='button_box']/button/@name")
        for name in (
            "action_view_tickets",
            "action_view_claims",
            "action_view_return_batches",
        ):
            self.assertIn(name, buttons)

    def test_counts_take_one_query_per_model_not_per_record(self):
        vouchers = self.voucher | self.other_voucher
        stations = self.station | self.other_station
        for lot in (self.truck_lot, self.other_lot):
            self._claim(lot_id=lot.id)
            self._ticket(lot_id=lot.id, station_id=self.station.id)

        def read(records, names):
            return lambda: records.read(names)

        voucher_fields = ["claim_count", "ticket_count"]
        station_fields = ["ticket_count", "claim_count", "return_batch_count"]
        # Warm the caches of rules and registries first.
        self._queries(read(vouchers, voucher_fields))
        self._queries(read(stations, station_fields))
        self.assertEqual(
            self._queries(read(vouchers, voucher_fields)),
            self._queries(read(vouchers[:1], voucher_fields)),
        )
        self.assertEqual(
            self._queries(read(stations, station_fields)),
            self._queries(read(stations[:1], station_fields)),
        )

    def test_partner_vouchers_and_deposits_come_first_in_the_button_box(self):
        """The form shows 3 to 7 buttons before "More": ours lead the box."""
        finance = new_test_user(
            self.env,
            login="as_records_finance",
            groups="aftersales_service.group_aftersales_finance,"
            "sales_team.group_sale_salesman,purchase.group_purchase_user",
        )
        form = self._arch("res.partner", "form", finance)
        buttons = form.xpath("//div[@name='button_box']/button/@name")
        self.assertGreater(len(buttons), 3, "other modules' buttons are there too")
        self.assertEqual(
            buttons[:2],
            ["action_view_warranty_vouchers", "action_view_aftersales_deposits"],
        )
        # An after-sales user without finance rights still sees the vouchers
        # first.
        form = self._arch("res.partner", "form", self.user)
        buttons = form.xpath("//div[@name='button_box']/button/@name")
        self.assertEqual(buttons[0], "action_view_warranty_vouchers")
        self.assertNotIn("action_view_aftersales_deposits", buttons)


@tagged("post_install", "-at_install")
class TestRecordScreens(RecordsCommon, TransactionCase):
    """Kanban columns, list columns, currencies and activity views."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_records_data()

    def _column_states(self, model, domain):
        groups = self.env[model].web_read_group(domain, [], ["state"])["groups"]
        return [(group["state"], bool(group.get("__fold"))) for group in groups]

    def test_station_kanban_columns_follow_the_life_cycle(self):
        closed = self.env["aftersales.station"].create(
            {
                "partner_id": self.env["res.partner"].create({"name": "Gone"}).id,
                "region_id": self.region_east.id,
            }
        )
        closed.with_user(self.manager)._change_state("closed", "Contract ended")
        candidate = self.env["aftersales.station"].create(
            {"partner_id": self.env["res.partner"].create({"name": "New"}).id}
        )
        stations = self.station | closed | candidate
        self.assertEqual(
            self._column_states("aftersales.station", [("id", "in", stations.ids)]),
            [
                ("candidate", False),
                ("active", False),
                ("suspended", False),
                ("closed", True),
            ],
            "workflow order, empty columns shown, closed folded at the end",
        )
        # A list grouped by status keeps its groups closed by default: only
        # the final one carries a fold flag.
        groups = self.env["aftersales.station"].web_read_group(
            [("id", "in", stations.ids)], [], ["state"]
        )["groups"]
        self.assertEqual([g["state"] for g in groups if "__fold" in g], ["closed"])

    def test_voucher_kanban_columns_follow_the_life_cycle(self):
        void = self._voucher(self._lot(self.truck, "REC-VOID"))
        void.with_user(self.manager)._action_void("Sold back")
        vouchers = self.voucher | void
        self.assertEqual(
            self._column_states(
                "aftersales.warranty.voucher", [("id", "in", vouchers.ids)]
            ),
            [("draft", False), ("active", False), ("expired", False), ("void", True)],
        )

    def test_voucher_list_shows_one_end_date_column(self):
        arch = self._arch("aftersales.warranty.voucher", "list", self.user)
        columns = arch.xpath("//field[@name='date_end']")
        # Optional columns are toggled by field name: a second date_end
        # column (optional="hide") hid the first one.
        self.assertEqual(len(columns), 1)
        self.assertEqual(columns[0].get("optional"), "show")
        self.assertFalse(columns[0].get("invisible"), "shown for every state")
        self.assertFalse(columns[0].get("column_invisible"))
        names = arch.xpath("//field/@name")
        self.assertEqual(len(names), len(set(names)), "no field twice")

    def test_station_deposit_amounts_carry_their_currency(self):
        Station = self.env["aftersales.station"]
        self.assertEqual(Station._fields["deposit_balance"].type, "monetary")
        self.assertEqual(
            Station._fields["deposit_balance"].currency_field, "currency_id"
        )
        finance = new_test_user(
            self.env,
            login="as_records_deposit",
            groups="aftersales_service.group_aftersales_finance",
        )
        for view_type in ("list", "form"):
            arch = self._arch("aftersales.station", view_type, finance)
            self.assertTrue(
                arch.xpath("//field[@name='deposit_balance']"), f"{view_type} amount"
            )
            self.assertTrue(
                arch.xpath("//field[@name='currency_id']"), f"{view_type} currency"
            )
        form = self._arch("aftersales.station", "form", finance)
        (balance,) = form.xpath("//field[@name='deposit_balance']")
        self.assertEqual(balance.get("widget"), "monetary", "statinfo drops currency")

        Wizard = self.env["aftersales.station.deposit"]
        for name in ("amount", "deposit_balance"):
            self.assertEqual(Wizard._fields[name].type, "monetary")
            self.assertEqual(Wizard._fields[name].currency_field, "currency_id")
        wizard_arch = self._arch("aftersales.station.deposit", "form", finance)
        self.assertTrue(wizard_arch.xpath("//field[@name='currency_id']"))
        wizard = Form(
            Wizard.with_user(finance).with_context(default_station_id=self.station.id)
        )
        self.assertEqual(wizard.currency_id, self.company.currency_id)

    def test_activity_views_on_vouchers_stations_and_deposits(self):
        for model, xmlid in (
            ("aftersales.warranty.voucher", "aftersales_warranty_voucher_action"),
            ("aftersales.station", "aftersales_station_action"),
            ("aftersales.supplier.deposit", "aftersales_supplier_deposit_action"),
        ):
            action = self.env.ref(f"aftersales_service.{xmlid}")
            self.assertIn("activity", action.view_mode.split(","), model)
            arch = self._arch(model, "activity")
            self.assertEqual(arch.tag, "activity")
            self.assertNotEqual(arch.get("string"), None, model)


@tagged("post_install", "-at_install")
class TestUnregionedProvinces(RecordsCommon, TransactionCase):
    """Provinces in no region are listed, as regions without a week are."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_network_data()
        State = cls.env["res.country.state"]
        cls.state_hills = State.create(
            {"name": "Hills", "code": "HI", "country_id": cls.state_zj.country_id.id}
        )
        elsewhere = cls.env["res.country"].create({"name": "Elsewhere", "code": "QE"})
        cls.state_elsewhere = State.create(
            {"name": "Far", "code": "FA", "country_id": elsewhere.id}
        )

    def _listed(self, action):
        self.assertEqual(action["res_model"], "res.country.state")
        return self.env["res.country.state"].search(action["domain"])

    def test_province_in_no_region_is_listed(self):
        Region = self.env["aftersales.region"].with_user(self.user)
        listed = self._listed(Region.action_view_unassigned_states())
        self.assertIn(self.state_hills, listed)
        self.assertNotIn(self.state_zj, listed, "in region East")
        self.assertNotIn(self.state_fj, listed, "in region South")
        # Only the countries the regions cover: not every state on earth.
        self.assertNotIn(self.state_elsewhere, listed)
        # The menu's server action and the region list's button list the same.
        server_action = self.env.ref(
            "aftersales_service.aftersales_region_action_unassigned_states"
        )
        self.assertEqual(self._listed(server_action.with_user(self.user).run()), listed)
        arch = self._arch("aftersales.region", "list", self.user)
        self.assertTrue(
            arch.xpath("//header/button[@name='action_view_unassigned_states']")
        )

    def test_province_of_an_archived_region_is_listed(self):
        self.region_east.active = False
        listed = self._listed(
            self.env["aftersales.region"].action_view_unassigned_states()
        )
        self.assertIn(self.state_zj, listed)
        self.assertIn(self.state_hills, listed)
