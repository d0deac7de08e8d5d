# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import WarrantyCommon

# What a voucher stores, beside its coverage lines.
STORED = [
    "company_id",
    "partner_id",
    "holder_type",
    "product_id",
    "lot_id",
    "serial",
    "is_serial",
    "quantity",
    "policy_id",
    "date_delivery",
    "date_manufacture",
    "date_start",
    "date_end",
    "refund_days",
    "exchange_days",
    "dealer_remedy",
    "max_failed_repairs",
    "surcharge_percent",
    "mileage_start",
    "mileage_limit",
    "excluded_part_ids",
    "user_id",
]


@tagged("post_install", "-at_install")
class TestScaleIssue(WarrantyCommon, TransactionCase):
    """Vouchers issued by a delivery in bulk: the values the computes give,
    numbers in order, and queries that do not grow with the serials."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_warranty_data()
        cls.Voucher = cls.env["aftersales.warranty.voucher"]
        cls.sequence = cls.env.ref("aftersales_service.seq_aftersales_warranty_voucher")

    def _vouchers_of(self, picking):
        return self.Voucher.search([("picking_id", "=", picking.id)], order="id")

    def _coverage(self, voucher):
        return sorted(
            (
                line.part_id.id,
                line.provider_id.id,
                line.months,
                line.date_end,
                line.company_id.id,
            )
            for line in voucher.coverage_line_ids
        )

    def _assert_as_computed(self, voucher):
        """The voucher holds what the ORM computes for a draft of it."""
        draft = self.Voucher.create(
            {
                "company_id": voucher.company_id.id,
                "partner_id": voucher.partner_id.id,
                "product_id": voucher.product_id.id,
                "lot_id": voucher.lot_id.id,
                "quantity": voucher.quantity,
                "date_delivery": voucher.date_delivery,
            }
        )
        self.env.flush_all()
        self.env.invalidate_all()
        for name in STORED:
            self.assertEqual(voucher[name], draft[name], name)
        self.assertEqual(
            len(draft.coverage_line_ids), len(voucher.policy_id.coverage_line_ids)
        )
        self.assertEqual(self._coverage(voucher), self._coverage(draft))

    def _expected_numbers(self, count):
        first = self.sequence.number_next_actual
        return [
            self.sequence.get_next_char(first + step * self.sequence.number_increment)
            for step in range(count)
        ]

    @freeze_time("2026-03-10 09:00:00")
    def test_issued_values_are_the_computed_ones(self):
        trucks = [self._lot(self.truck, f"SC-TRK-{n}") for n in range(3)]
        lamps = [
            self._lot(self.lamp, "SC-LAMP-A", date(2026, 1, 5)),
            self._lot(self.lamp, "SC-LAMP-B"),
        ]
        numbers = self._expected_numbers(5)
        consumer = self._deliver(
            self.customer, [(self.truck, lot, 1) for lot in trucks]
        )
        dealer = self._deliver(self.dealer, [(self.lamp, lot, 40) for lot in lamps])
        vouchers = self._vouchers_of(consumer) | self._vouchers_of(dealer)
        self.assertEqual(len(vouchers), 5)
        # The sequence's numbers, in the order of the delivery lines.
        self.assertEqual(vouchers.mapped("name"), numbers)
        self.assertEqual(set(vouchers.mapped("state")), {"active"})
        # Both rules of the start: the delivery, the manufacture for dealers.
        self.assertEqual(
            vouchers.mapped("date_start"),
            [date(2026, 3, 10)] * 3 + [date(2026, 1, 5)] + [date(2026, 3, 10)],
        )
        for voucher in vouchers:
            self._assert_as_computed(voucher)
        self.assertEqual(
            self._vouchers_of(consumer)[0].coverage_line_ids.mapped("date_end"),
            [date(2028, 3, 10), date(2027, 3, 10)],
        )

    def test_issue_queries_do_not_grow_with_the_serials(self):
        # One coverage line: the ORM inserts rows a hundred at a time, and 80
        # vouchers of two lines would be one more INSERT, not one per serial.
        self.policy_vehicles.coverage_line_ids[1:].unlink()

        def issue(count, tag):
            self.company.aftersales_auto_voucher = False
            lots = [self._lot(self.truck, f"{tag}-{n}") for n in range(count)]
            picking = self._deliver(
                self.customer, [(self.truck, lot, 1) for lot in lots]
            )
            self.company.aftersales_auto_voucher = True
            self.env.flush_all()
            self.env.invalidate_all()
            queries = self.env.cr.sql_log_count
            vouchers = picking.move_ids._issue_warranty_vouchers()
            self.env.flush_all()
            self.assertEqual(len(vouchers), count)
            return self.env.cr.sql_log_count - queries

        issue(1, "SC-WARM")
        self.assertEqual(issue(2, "SC-TWO"), issue(80, "SC-EIGHTY"))

    def test_no_gap_sequence_numbers_in_order(self):
        self.sequence.implementation = "no_gap"
        numbers = self._expected_numbers(3)
        picking = self._deliver(
            self.customer,
            [(self.truck, self._lot(self.truck, f"SC-NG-{n}"), 1) for n in range(3)],
        )
        self.assertEqual(self._vouchers_of(picking).mapped("name"), numbers)
        self.assertEqual(self.sequence.number_next, int(numbers[-1][-6:]) + 1)

    @freeze_time("2026-03-10 09:00:00")
    def test_date_range_sequence_numbers_in_order(self):
        self.sequence.write({"use_date_range": True, "prefix": "WV/%(range_year)s/R/"})
        picking = self._deliver(
            self.customer,
            [(self.truck, self._lot(self.truck, f"SC-DR-{n}"), 1) for n in range(3)],
        )
        self.assertEqual(
            self._vouchers_of(picking).mapped("name"),
            [f"WV/2026/R/{n:06d}" for n in (1, 2, 3)],
        )

    def test_company_check_still_names_the_stranger(self):
        other = self.env["res.company"].create({"name": "SC Other Company"})
        stranger = self.env["res.partner"].create(
            {"name": "SC Stranger", "company_id": other.id}
        )
        lots = [self._lot(self.truck, f"SC-CO-{n}") for n in range(3)]
        with self.assertRaisesText(UserError, "SC Stranger"):
            self.Voucher.create(
                [
                    {
                        "partner_id": partner.id,
                        "product_id": self.truck.id,
                        "lot_id": lot.id,
                    }
                    for partner, lot in zip(
                        (self.customer, stranger, self.customer), lots, strict=True
                    )
                ]
            )
