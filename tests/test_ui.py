# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import HttpCase, new_test_user, tagged

from .common import WarrantyCommon


@tagged("post_install", "-at_install")
class TestWarrantyTours(WarrantyCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_warranty_data()
        cls.tour_user = new_test_user(
            cls.env,
            login="as_tour_user",
            groups="aftersales_service.group_aftersales_user",
        )
        fleet = cls.env["res.partner"].create({"name": "Tour Fleet Co."})
        cls._voucher(cls._lot(cls.truck, "TOUR-RT80-0077"), partner_id=fleet.id)
        cls._voucher(cls._lot(cls.truck, "TOUR-RT80-0078"), partner_id=fleet.id)

    def test_find_voucher_by_serial(self):
        self.start_tour(
            "/odoo/warranty-vouchers",
            "aftersales_voucher_search_tour",
            login="as_tour_user",
        )
