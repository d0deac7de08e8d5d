# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..aftersales_service import warranty
from .aftersales_bulk_chatter import log_notes, track_values
from .aftersales_warranty_voucher import LIVE_STATES


class AftersalesWarrantyVoucher(models.Model):
    """Vouchers issued by validated deliveries, and their expiry."""

    _inherit = "aftersales.warranty.voucher"

    # ------------------------------------------------------------------
    # Issue on delivery, expiry
    # ------------------------------------------------------------------

    @api.model
    def _issue_for_move_lines(self, move_lines):
        """Issue the vouchers of validated delivery lines (server code).

        The delivered serials are locked first: a voucher being issued for one
        of them elsewhere is waited for, and the serial then skipped (or, when
        it was committed after this transaction began, refused clearly).
        Returns the vouchers and the move lines skipped.
        """
        move_lines.filtered(
            lambda ml: ml.lot_id and ml.product_id.tracking == "serial"
        ).lot_id._lock_for_vouchers()
        vals_list, skipped = self._prepare_from_move_lines(move_lines)
        vouchers = self._workflow_create(vals_list)
        vouchers._check_live_serials_now()
        self._link_project_equipment(vouchers)
        return vouchers, skipped

    @api.model
    def _prepare_from_move_lines(self, move_lines):
        """Values of the vouchers a validated delivery gives its customer.

        One voucher per serial; one per lot and quantity for lot-tracked goods.
        Serials that already have a live voucher are returned apart.

        Every stored value is given, computed by the rules the computes use:
        a delivery issues thousands of vouchers at once, and the ORM would
        otherwise compute them on a draft copy of each record before the
        insert, then again after it.
        """
        lines = move_lines.filtered("lot_id")
        serial_lots = lines.filtered(
            lambda ml: ml.product_id.tracking == "serial"
        ).lot_id
        taken = self.sudo().search(
            [("state", "in", LIVE_STATES), ("lot_id", "in", serial_lots.ids)]
        )
        taken_keys = {(v.product_id.id, v.lot_id.id) for v in taken}
        Coverage = self.env["aftersales.warranty.voucher.coverage"]
        terms, coverage = {}, {}
        vals_list, skipped_ids = [], []
        groups = lines.grouped(
            lambda ml: (
                ml.move_id.company_id,
                fields.Date.context_today(self, ml.date or fields.Datetime.now()),
            )
        )
        for (company, day), group in groups.items():
            policies = self.env["aftersales.warranty.policy"]._find_for_products(
                group.product_id, day, company
            )
            for line in group:
                move = line.move_id
                policy = policies.get(line.product_id)
                partner = (
                    move.picking_id.partner_id or move.partner_id
                ).commercial_partner_id
                if not (policy and partner):
                    continue
                if (line.product_id.id, line.lot_id.id) in taken_keys:
                    skipped_ids.append(line.id)
                    continue
                if policy not in terms:
                    terms[policy] = dict(
                        self._terms_of(policy),
                        excluded_part_ids=[Command.set(policy.excluded_part_ids.ids)],
                    )
                    coverage[policy] = self._coverage_of(policy)
                holder_type = partner.warranty_holder_type or warranty.CONSUMER
                date_manufacture = line.lot_id.manufacture_date
                date_start = self._start_for(holder_type, day, date_manufacture)
                date_end = self._end_for(policy, holder_type, date_start)
                vals_list.append(
                    {
                        "state": "active",
                        "company_id": company.id,
                        "partner_id": partner.id,
                        "holder_type": holder_type,
                        "product_id": line.product_id.id,
                        "lot_id": line.lot_id.id,
                        "serial": line.lot_id.name,
                        "is_serial": line.product_id.tracking == "serial",
                        "quantity": line.product_uom_id._compute_quantity(
                            line.quantity, line.product_id.uom_id
                        ),
                        "policy_id": policy.id,
                        "date_delivery": day,
                        "date_manufacture": date_manufacture,
                        "date_start": date_start,
                        "date_end": date_end,
                        **terms[policy],
                        "coverage_line_ids": [
                            Command.create(
                                dict(
                                    values,
                                    company_id=company.id,
                                    date_end=Coverage._end_for(
                                        values["months"], date_start, date_end
                                    ),
                                )
                            )
                            for values in coverage[policy]
                        ],
                        "move_id": move.id,
                        "picking_id": move.picking_id.id,
                    }
                )
        return vals_list, self.env["stock.move.line"].browse(skipped_ids)

    @api.model
    def _cron_expire_vouchers(self, batch_size=1000):
        """Expire active vouchers past their end, a batch per call."""
        domain = [
            ("state", "=", "active"),
            ("date_end", "<", fields.Date.context_today(self)),
            # A project's voucher starts at the formal handover (seed 003).
            ("awaiting_handover", "=", False),
        ]
        # Locked, skipping what another worker holds, and re-read under the
        # lock: a voucher voided meanwhile is not expired.
        vouchers = self._lock_batch(domain, batch_size, order="date_end, id")
        # The chatter keeps its "Status: Active → Expired" line per voucher,
        # inserted for the round at once instead of tracked voucher by voucher.
        before = {voucher.id: voucher.state for voucher in vouchers}
        vouchers.with_context(mail_notrack=True)._move_to("expired")
        log_notes(
            vouchers,
            {},
            message_type="notification",
            tracking=track_values(
                vouchers, "state", before, dict.fromkeys(before, "expired")
            ),
        )
        remaining = self.search_count(domain) if len(vouchers) == batch_size else 0
        self.env["ir.cron"]._notify_progress(done=len(vouchers), remaining=remaining)
        return vouchers

    def _next_numbers(self, company, count):
        """``count`` voucher numbers of ``company``'s sequence.

        The sequence is looked up once, not once per voucher as next_by_code
        would: a delivery can issue thousands of vouchers.
        """
        sequence = self.env["ir.sequence"].search(
            [
                ("code", "=", "aftersales.warranty.voucher"),
                ("company_id", "in", [company.id, False]),
            ],
            order="company_id",
            limit=1,
        )
        if not sequence:
            raise UserError(
                self.env._(
                    "No sequence numbers the warranty vouchers of %(company)s; "
                    "create one with the code aftersales.warranty.voucher.",
                    company=company.name,
                )
            )
        return sequence._next_many(count)
