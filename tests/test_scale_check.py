# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged

from .test_claims import ClaimCommon


@tagged("post_install", "-at_install")
class TestScaleCheck(ClaimCommon, TransactionCase):
    """check_warranty at scale: two queries a call, a batch call, read-only,
    and documents that find their vouchers in one query whatever their
    number."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_claim_data()
        cls.Voucher = cls.env["aftersales.warranty.voucher"].with_user(cls.user)
        cls.lots = [cls._lot(cls.truck, f"SCL-{n:03d}") for n in range(80)]
        for lot in cls.lots:
            cls._voucher(lot, mileage_start=0)
        cls.team = cls.env.ref("aftersales_service.helpdesk_team_aftersales")

    def _queries(self, func):
        """Queries ``func`` runs on a cold cache, as an RPC request would."""
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        result = func()
        return self.env.cr.sql_log_count - before, result

    def _single(self, serial, **kwargs):
        return self.Voucher.check_warranty(serial, **kwargs)

    def test_a_call_costs_at_most_two_queries(self):
        kwargs = {"date": "2026-06-01", "mileage": 1000, "part": "t-chs"}
        self._single("SCL-001", **kwargs)  # warm the caches (rules, parts)
        count, answer = self._queries(lambda: self._single("SCL-002", **kwargs))
        self.assertLessEqual(count, 2)
        self.assertTrue(answer["eligible"])
        self.assertEqual(answer["provider_id"], self.chassis_maker.id)
        count, answer = self._queries(lambda: self._single("NO-SUCH", **kwargs))
        self.assertLessEqual(count, 1)
        self.assertEqual(answer["reason"], "unknown_serial")

    def test_both_calls_are_read_only(self):
        # Odoo serves read-only RPC methods from a read-only cursor (the
        # replica with --db_replica_host).
        self.assertTrue(getattr(type(self.Voucher).check_warranty, "_readonly", False))
        self.assertTrue(
            getattr(type(self.Voucher).check_warranty_batch, "_readonly", False)
        )
        self.env.flush_all()
        cr = self.env.cr
        cr.execute("SAVEPOINT scale_read_only")
        try:
            cr.execute("SET TRANSACTION READ ONLY")
            answers = self.Voucher.check_warranty_batch(
                [{"serial": "SCL-003", "date": "2026-06-01", "part": "T-BODY"}]
            )
        finally:
            cr.execute("ROLLBACK TO SAVEPOINT scale_read_only")
        self.assertTrue(answers[0]["eligible"])

    def test_batch_answers_as_single_calls_in_a_constant_number_of_queries(self):
        requests = [
            {"serial": lot.name, "date": "2026-06-01", "mileage": 500, "part": part}
            for lot, part in zip(
                self.lots,
                ["T-CHS", "T-BODY", "T-PLAS", "Chassis", 999999] * 16,
                strict=True,
            )
        ]
        requests[5]["serial"] = "NO-SUCH"
        requests[6]["date"] = "2028-06-01"
        requests[8]["mileage"] = 60000
        requests[10]["cause"] = "misuse"
        self.Voucher.check_warranty_batch(requests[:2])
        small, __ = self._queries(
            lambda: self.Voucher.check_warranty_batch(requests[:2])
        )
        large, answers = self._queries(
            lambda: self.Voucher.check_warranty_batch(requests)
        )
        self.assertEqual(small, large)
        self.assertLessEqual(large, 2)
        singles = [self._single(**request) for request in requests]
        self.assertEqual(answers, singles)
        reasons = [answer["reason"] for answer in answers[:11]]
        self.assertEqual(
            reasons,
            [
                "covered",
                "covered",
                "part_excluded",
                "covered",
                "unknown_part",
                "unknown_serial",
                "part_expired",
                "part_excluded",
                "mileage_exceeded",
                "unknown_part",
                "not_manufacturing",
            ],
        )

    def test_batch_refuses_bad_requests_clearly(self):
        cases = [
            ("SCL-001", "must be a list"),
            ([{"serial": "SCL-001"}] * 1001, "At most 1000 checks"),
            ([{"serial": "SCL-001"}, "SCL-002"], "Check 2 must be a dict"),
            ([{"serial": "SCL-001", "colour": "red"}], "Check 1 must be a dict"),
            ([{"serial": "SCL-001", "date": "2026-02-30"}], "Check 1: .*real day"),
            ([{}, {"serial": "X", "mileage": -1}], "Check 2: Mileage must be"),
        ]
        for requests, pattern in cases:
            with (
                self.subTest(pattern=pattern),
                self.assertRaisesRegex(ValidationError, pattern),
            ):
                self.Voucher.check_warranty_batch(requests)

    def test_batch_is_for_after_sales_users_only(self):
        clerk = new_test_user(self.env, login="scl_clerk", groups="base.group_user")
        Voucher = self.env["aftersales.warranty.voucher"].with_user(clerk)
        with self.assertRaises(AccessError):
            Voucher.check_warranty_batch([{"serial": "SCL-001"}])

    def test_record_rules_still_hide_other_companies(self):
        other = self.env["res.company"].create({"name": "Scale other company"})
        lot = self.env["stock.lot"].create(
            {"name": "SCL-OTHER", "product_id": self.truck.id, "company_id": other.id}
        )
        partner = self.env["res.partner"].create(
            {"name": "Other customer", "company_id": other.id}
        )
        self.env["aftersales.warranty.voucher"].with_company(other).create(
            {
                "company_id": other.id,
                "partner_id": partner.id,
                "product_id": self.truck.id,
                "lot_id": lot.id,
                "state": "active",
                "date_delivery": date(2026, 1, 15),
            }
        )
        answer = self._single("SCL-OTHER", date="2026-06-01")
        self.assertEqual(answer["reason"], "unknown_serial")
        self.assertFalse(answer["voucher_id"])

    def test_part_catalogue_follows_changes(self):
        self.assertEqual(
            self._single("SCL-001", date="2026-06-01", part="T-CHS2")["reason"],
            "unknown_part",
        )
        self.part_chassis.code = "T-CHS2"
        answer = self._single("SCL-001", date="2026-06-01", part="t-chs2")
        self.assertEqual(answer["reason"], "covered")
        self.assertEqual(answer["provider_id"], self.chassis_maker.id)
        self.part_chassis.active = False
        answer = self._single("SCL-001", date="2026-06-01", part="T-CHS2")
        self.assertEqual(answer["reason"], "unknown_part")

    def test_archived_excluded_part_is_not_excluded_any_more(self):
        # As the ORM reads the voucher's excluded parts: active ones only.
        voucher = self.env["aftersales.warranty.voucher"].search(
            [("serial", "=", "SCL-004")]
        )
        kwargs = {"date": "2026-06-01", "part": self.part_plastic.id}
        self.assertEqual(self._single("SCL-004", **kwargs)["reason"], "part_excluded")
        self.part_plastic.active = False
        self.assertNotIn(self.part_plastic, voucher.excluded_part_ids)
        answer = self._single("SCL-004", **kwargs)
        self.assertNotEqual(answer["reason"], "part_excluded")
        batch = self.Voucher.check_warranty_batch([{"serial": "SCL-004", **kwargs}])
        self.assertEqual(answer, batch[0])

    def test_batch_names_the_check_a_mileage_below_the_start_comes_from(self):
        self._voucher(self._lot(self.truck, "SCL-KM"), mileage_start=1000)
        request = {"serial": "SCL-KM", "date": "2026-06-01", "mileage": 500}
        with self.assertRaisesRegex(ValidationError, r"^Mileage 500\.0 km is below"):
            self._single(**request)
        with self.assertRaisesRegex(
            ValidationError, r"^Check 2: Mileage 500\.0 km is below"
        ):
            self.Voucher.check_warranty_batch([{"serial": "SCL-001"}, request])

    def test_failed_repairs_of_the_part_count(self):
        voucher = self.env["aftersales.warranty.voucher"].search(
            [("serial", "=", "SCL-010")]
        )
        self.env["aftersales.warranty.voucher.repair"].create(
            [
                {
                    "voucher_id": voucher.id,
                    "part_id": self.part_chassis.id,
                    "result": "failed",
                    "fault": "Frame crack",
                    "date": date(2026, 3, 1),
                }
            ]
            * 2
        )
        answers = self.Voucher.check_warranty_batch(
            [
                {"serial": "SCL-010", "date": "2026-06-01", "part": "T-CHS"},
                {"serial": "SCL-010", "date": "2026-06-01", "part": "T-BODY"},
            ]
        )
        self.assertEqual(
            [(a["reason"], a["remedy"]) for a in answers],
            [("repeated_failure", "exchange"), ("covered", "repair")],
        )

    def test_documents_find_their_vouchers_in_constant_queries(self):
        Ticket = self.env["helpdesk.ticket"]
        tickets = Ticket.create(
            [
                {
                    "name": f"Scale {lot.name}",
                    "description": "<p>Compartment warms up.</p>",
                    "team_id": self.team.id,
                    "partner_id": self.customer.id,
                    "product_id": self.truck.id,
                    "lot_id": lot.id,
                }
                for lot in self.lots
            ]
        )
        self.assertEqual(
            tickets.mapped("voucher_id.serial"), [lot.name for lot in self.lots]
        )
        for method in ("_compute_voucher_id", "_compute_warranty_answer"):
            getattr(tickets[:1], method)()  # warm the caches
            counts = [
                self._queries(getattr(tickets[:size], method))[0] for size in (2, 80)
            ]
            self.assertEqual(counts[0], counts[1], method)
        self.assertTrue(all(tickets.mapped("warranty_status")))
        claims = self.env["aftersales.claim"].create(
            [self._claim_vals(lot_id=lot.id) for lot in self.lots[:80]]
        )
        self.assertEqual(claims.mapped("voucher_id.lot_id"), claims.lot_id)
        counts = [
            self._queries(claims[:size]._compute_voucher_id)[0] for size in (2, 80)
        ]
        self.assertEqual(counts[0], counts[1])
