# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from contextlib import contextmanager
from datetime import date

from odoo import Command
from odoo.tests import new_test_user

# A 1x1 transparent PNG, as the signature widget sends.
SIGNATURE = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8"
    "AAAAASUVORK5CYII="
)


class WarrantyCommon:
    """Data of both seeds' stories, created by each test class itself."""

    @classmethod
    def setup_warranty_data(cls):
        # Days in UTC, as fields.Date.today(): in the user's zone (the demo
        # users' Shanghai, admin's Brussels) "today" is tomorrow for part of
        # every day, and the tests compare days.
        env = cls.env = cls.env(
            context=dict(
                cls.env.context,
                tracking_disable=True,
                no_reset_password=True,
                tz="UTC",
            )
        )
        cls.company = env.company
        cls.company.aftersales_auto_voucher = True
        cls.stock_location = env.ref("stock.warehouse0").lot_stock_id
        cls.customer_location = env.ref("stock.stock_location_customers")
        Part = env["aftersales.warranty.part"]
        cls.part_chassis = Part.create({"name": "Chassis", "code": "T-CHS"})
        cls.part_body = Part.create({"name": "Body", "code": "T-BODY"})
        cls.part_plastic = Part.create({"name": "Plastic parts", "code": "T-PLAS"})
        cls.chassis_maker = env["res.partner"].create(
            {"name": "Test Chassis Maker", "is_company": True}
        )
        cls.customer = env["res.partner"].create(
            {"name": "Test Fleet Customer", "is_company": True}
        )
        cls.dealer = env["res.partner"].create(
            {
                "name": "Test Lamp Dealer",
                "is_company": True,
                "warranty_holder_type": "dealer",
            }
        )
        Category = env["product.category"]
        cls.categ_vehicles = Category.create({"name": "Test vehicles"})
        cls.categ_lighting = Category.create({"name": "Test lighting"})
        cls.categ_lamps = Category.create(
            {"name": "Test lamps", "parent_id": cls.categ_lighting.id}
        )
        cls.truck = cls._create_product("Test Truck", cls.categ_vehicles, "serial")
        cls.lamp = cls._create_product("Test Lamp", cls.categ_lamps, "lot")
        cls.untracked = cls._create_product("Test Cable", cls.categ_vehicles, "none")
        Policy = env["aftersales.warranty.policy"]
        cls.policy_vehicles = Policy.create(
            {
                "name": "Test vehicle policy",
                "categ_id": cls.categ_vehicles.id,
                "refund_days": 7,
                "exchange_days": 15,
                "repair_months": 24,
                "mileage_limit": 50000,
                "coverage_line_ids": [
                    Command.create(
                        {
                            "part_id": cls.part_chassis.id,
                            "provider_id": cls.chassis_maker.id,
                        }
                    ),
                    Command.create(
                        {
                            "part_id": cls.part_body.id,
                            "provider_id": cls.company.partner_id.id,
                            "months": 12,
                        }
                    ),
                ],
                "excluded_part_ids": [Command.link(cls.part_plastic.id)],
            }
        )
        cls.policy_lighting = Policy.create(
            {
                "name": "Test lighting policy",
                "categ_id": cls.categ_lighting.id,
                "refund_days": 7,
                "exchange_days": 15,
                "repair_months": 12,
                "dealer_months": 15,
            }
        )
        cls.user = new_test_user(
            env,
            login="as_user",
            groups="aftersales_service.group_aftersales_user",
        )
        cls.manager = new_test_user(
            env,
            login="as_manager",
            groups="aftersales_service.group_aftersales_manager",
        )
        cls.stock_user = new_test_user(
            env,
            login="as_stock_user",
            groups="stock.group_stock_user",
        )

    @classmethod
    def _create_product(cls, name, category, tracking):
        return cls.env["product.product"].create(
            {
                "name": name,
                "categ_id": category.id,
                "is_storable": True,
                "tracking": tracking,
            }
        )

    @classmethod
    def _lot(cls, product, name, manufacture_date=None):
        return cls.env["stock.lot"].create(
            {
                "name": name,
                "product_id": product.id,
                "manufacture_date": manufacture_date,
            }
        )

    @classmethod
    def _voucher(cls, lot, **values):
        vals = {
            "partner_id": cls.customer.id,
            "product_id": lot.product_id.id,
            "lot_id": lot.id,
            "date_delivery": date(2026, 1, 15),
            "state": "active",
        }
        vals.update(values)
        return cls.env["aftersales.warranty.voucher"].create(vals)

    @contextmanager
    def assertRaisesText(self, exception, pattern):
        """assertRaises (which rolls back what the call wrote) plus its message."""
        with self.assertRaises(exception) as caught:
            yield caught
        self.assertRegex(str(caught.exception), pattern)

    def _deliver(self, partner, lines, user=None):
        """Validate a delivery of ``lines`` from stock to ``partner``."""
        for product, lot, quantity in lines:
            self.env["stock.quant"].sudo()._update_available_quantity(
                product, self.stock_location, quantity, lot_id=lot
            )
        return self._transfer(
            "stock.picking_type_out",
            self.stock_location,
            self.customer_location,
            partner,
            lines,
            user=user,
        )

    def _transfer(self, picking_type, source, destination, partner, lines, user=None):
        """Validate a transfer of ``lines``: (product, lot, quantity) tuples.

        Lines of the same product share one move, with a move line per lot.
        """
        env = self.env(user=user) if user else self.env
        by_product = {}
        for product, lot, quantity in lines:
            by_product.setdefault(product, []).append((lot, quantity))
        picking = env["stock.picking"].create(
            {
                "picking_type_id": self.env.ref(picking_type).id,
                "partner_id": partner.id if partner else False,
                "location_id": source.id,
                "location_dest_id": destination.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": sum(qty for _lot, qty in lots),
                            "product_uom": product.uom_id.id,
                            "location_id": source.id,
                            "location_dest_id": destination.id,
                        }
                    )
                    for product, lots in by_product.items()
                ],
            }
        )
        picking.action_confirm()
        for move in picking.move_ids:
            move.move_line_ids.unlink()
            move.move_line_ids = [
                Command.create(
                    {
                        "product_id": move.product_id.id,
                        "lot_id": lot.id if lot else False,
                        "quantity": quantity,
                        "location_id": source.id,
                        "location_dest_id": destination.id,
                        "picking_id": picking.id,
                    }
                )
                for lot, quantity in by_product[move.product_id]
            ]
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        return picking
