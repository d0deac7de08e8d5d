# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..aftersales_service import money, periods, warranty
from .aftersales_warranty_voucher import CHECK_FIELDS, STATE_PRIORITY, USER_GROUP


class AftersalesWarrantyVoucher(models.Model):
    """The warranty check stations call (RPC contract) and its answer."""

    _inherit = "aftersales.warranty.voucher"

    # ------------------------------------------------------------------
    # Warranty check (RPC)
    # ------------------------------------------------------------------

    @api.model
    def check_warranty(
        self, serial, date=None, mileage=None, part=None, product_id=None, cause=None
    ):
        """Tell whether a fault on ``serial`` is covered (RPC contract).

        :param serial: serial or lot number as printed on the product
        :param date: day of the fault (``YYYY-MM-DD`` or date), today if empty
        :param mileage: odometer reading in km, when the policy has a limit
        :param part: code, name or id of the failed part
        :param product_id: narrows the search when the serial is not unique
        :param cause: appraised cause; anything else than ``manufacturing``
            is not covered
        :return: dict with ``eligible``, ``reason``, ``voucher_id``,
            ``remedy``, ``provider_id``, ``date_end`` and details
        """
        self._check_group(
            USER_GROUP,
            self.env._("Only after-sales users check warranties."),
        )
        serial = self._check_text_argument("serial", serial)
        on_date = self._parse_check_date(date)
        mileage = self._check_mileage_argument(mileage)
        part = self._check_part_argument(part)
        product_id = self._check_id_argument("product_id", product_id)
        cause = self._check_text_argument("cause", cause)
        voucher = self._find_for_serial(serial, product_id)
        if not voucher:
            return self._check_answer(
                warranty.Decision(False, warranty.UNKNOWN_SERIAL), on_date
            )
        return voucher._answer(on_date, mileage=mileage, part=part, cause=cause)

    # Arguments of the RPC contract: anything else than what the README
    # documents is a ValidationError saying what is expected, never a
    # traceback. "Not given" is None, False or "" (XML-RPC has no None).

    @api.model
    def _check_text_argument(self, name, value):
        if value is None or value is False:
            return ""
        if not isinstance(value, str):
            raise ValidationError(
                self.env._(
                    "%(argument)s must be text, not %(value)r.",
                    argument=name,
                    value=value,
                )
            )
        return value.strip()

    @api.model
    def _check_id_argument(self, name, value):
        if value is None or value is False:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValidationError(
                self.env._(
                    "%(argument)s must be a record id (a whole number), not "
                    "%(value)r.",
                    argument=name,
                    value=value,
                )
            )
        return value or None

    @api.model
    def _check_part_argument(self, part):
        if part is None or part is False:
            return None
        if isinstance(part, str):
            return part.strip() or None
        return self._check_id_argument("part", part)

    @api.model
    def _check_mileage_argument(self, mileage):
        """A reading in km: a finite number, zero or more (None: not given)."""
        if mileage is None or mileage is False:
            return None
        number = money.as_number(mileage)
        if number is None or number < 0:
            raise ValidationError(
                self.env._(
                    "Mileage must be a number of km, zero or more, not %(value)r.",
                    value=mileage,
                )
            )
        return float(mileage)

    def _answer(self, on_date, mileage=None, part=None, cause=None):
        """check_warranty's answer for this voucher."""
        self.ensure_one()
        mileage = self._check_mileage_argument(mileage)
        terms = self._warranty_terms()
        part_record = self.env["aftersales.warranty.part"]
        if part not in (None, False, ""):
            named = {c.part for c in terms.coverages} | terms.excluded_parts
            part_record = self._find_part(part, named)
            if not part_record:
                decision = warranty.Decision(
                    False,
                    warranty.UNKNOWN_PART,
                    provider=terms.provider,
                    date_end=self.date_end,
                )
                return self._check_answer(decision, on_date)
        try:
            decision = warranty.check_eligibility(
                terms,
                on_date,
                mileage=mileage,
                part=part_record.id or None,
                cause=cause or None,
                failed_repairs=self._failed_repairs(part_record),
            )
        except ValueError as error:
            raise ValidationError(
                self.env._(
                    "Mileage %(mileage)s km is below the %(start)s km recorded "
                    "when voucher %(voucher)s started.",
                    mileage=mileage,
                    start=self.mileage_start,
                    voucher=self.name,
                )
            ) from error
        return self._check_answer(decision, on_date)

    def _parse_check_date(self, value):
        """The day asked about: a date, a datetime or a ``YYYY-MM-DD`` string
        of a real day (an Odoo datetime string is read as its day); today
        when not given."""
        if value is None or value is False or value == "":
            return fields.Date.context_today(self)
        try:
            return periods.parse_day(value)
        except ValueError as error:
            if str(error) == periods.NOT_A_REAL_DAY:
                raise ValidationError(
                    self.env._("%(value)s is not a real day.", value=value.strip())
                ) from None
            raise ValidationError(
                self.env._(
                    "The date must be a day in the YYYY-MM-DD format, not %(value)r.",
                    value=value,
                )
            ) from None

    def _find_for_serial(self, serial, product_id=None, company=None):
        if not serial or not isinstance(serial, str) or not serial.strip():
            return self.browse()
        domain = [("serial", "=", serial.strip())]
        if product_id:
            domain.append(("product_id", "=", int(product_id)))
        if company:
            domain.append(("company_id", "=", company.id))
        # One query for the vouchers and every field the answer reads: this
        # is the hot path of station systems.
        candidates = self.search_fetch(
            domain, CHECK_FIELDS, order="date_start desc, id desc", limit=20
        )
        if not candidates:
            return candidates
        return min(candidates, key=lambda v: STATE_PRIORITY[v.state])

    @api.model
    def _find_for_lot(self, lot, company):
        """The voucher covering ``lot``, for documents that show it.

        Helpdesk agents and stations need not read vouchers to see which one
        covers a product: sudo, bounded by the document's company.
        """
        if not lot:
            return self.browse()
        return self.sudo()._find_for_serial(lot.name, lot.product_id.id, company)

    @api.model
    def _find_part(self, part, preferred_ids=()):
        """Resolve a part given as id, code or name (case-insensitive).

        A code or name can match parts of several catalogues; the parts the
        voucher's terms name come first.
        """
        Part = self.env["aftersales.warranty.part"]
        if isinstance(part, int):
            return Part.browse(part).exists()
        key = str(part).strip()
        matches = Part.search(
            ["|", ("code", "=ilike", key), ("name", "=ilike", key)], limit=10
        )
        preferred = matches.filtered(lambda p: p.id in preferred_ids)
        return (preferred or matches)[:1]

    def _warranty_terms(self):
        self.ensure_one()
        coverages = self.env["aftersales.warranty.voucher.coverage"].search_fetch(
            [("voucher_id", "=", self.id)], ["part_id", "provider_id", "date_end"]
        )
        # Only what is read: company and partner rows are wide.
        self.company_id.fetch(["partner_id"])
        return warranty.VoucherTerms(
            state=self.state,
            date_start=self.date_start,
            date_end=self.date_end,
            provider=self.company_id.partner_id,
            holder_type=self.holder_type,
            refund_days=self.refund_days,
            exchange_days=self.exchange_days,
            dealer_remedy=self.dealer_remedy or warranty.EXCHANGE,
            mileage_start=self.mileage_start,
            mileage_limit=self.mileage_limit,
            max_failed_repairs=self.max_failed_repairs or 2,
            coverages=tuple(
                warranty.Coverage(line.part_id.id, line.provider_id, line.date_end)
                for line in coverages
            ),
            excluded_parts=frozenset(self.excluded_part_ids.ids),
        )

    def _failed_repairs(self, part):
        """Failed repairs of the same fault: the same part, or none named."""
        self.ensure_one()
        return self.env["aftersales.warranty.voucher.repair"].search_count(
            [
                ("voucher_id", "=", self.id),
                ("result", "=", "failed"),
                ("part_id", "=", part.id or False),
            ]
        )

    def _check_answer(self, decision, on_date):
        provider = decision.provider or self.env["res.partner"]
        # The provider is named by the voucher's own terms; reading its name
        # needs no partner rule (whose parent_of costs a query per call).
        provider.sudo().fetch(["name"])
        return {
            "eligible": decision.eligible,
            "reason": decision.reason,
            "reason_label": self._reason_label(decision.reason),
            "voucher_id": self.id or False,
            "voucher_name": self.name or False,
            "state": self.state or False,
            "product_id": self.product_id.id or False,
            "partner_id": self.partner_id.id or False,
            "remedy": decision.remedy or False,
            "remedy_label": self._remedy_label(decision.remedy),
            "provider_id": provider.id or False,
            "provider_name": provider.name or False,
            "date": fields.Date.to_string(on_date),
            "date_start": fields.Date.to_string(self.date_start) or False,
            "date_end": fields.Date.to_string(decision.date_end) or False,
            "mileage_limit": self.mileage_limit or False,
            "surcharge_percent": self.surcharge_percent if self else False,
        }

    def _reason_label(self, reason):
        _ = self.env._
        # Lambdas, so that only the label asked for is translated.
        labels = {
            warranty.COVERED: lambda: _("Covered"),
            warranty.REPEATED_FAILURE: lambda: _(
                "Covered: exchange after failed repairs"
            ),
            warranty.REPAIR_OVERDUE: lambda: _("Covered: exchange, repair overdue"),
            warranty.UNKNOWN_SERIAL: lambda: _("No voucher for this serial"),
            warranty.UNKNOWN_PART: lambda: _("Unknown part"),
            warranty.NOT_ISSUED: lambda: _("Voucher not issued yet"),
            warranty.VOID: lambda: _("Voucher void"),
            warranty.NOT_STARTED: lambda: _("Warranty not started on that date"),
            warranty.EXPIRED: lambda: _("Warranty expired"),
            warranty.MILEAGE_EXCEEDED: lambda: _("Mileage limit exceeded"),
            warranty.PART_EXCLUDED: lambda: _("Part not covered"),
            warranty.PART_EXPIRED: lambda: _("Part warranty expired"),
            warranty.NOT_MANUFACTURING: lambda: _("Not a manufacturing defect"),
        }
        return labels[reason]() if reason in labels else reason

    def _remedy_label(self, remedy):
        _ = self.env._
        labels = {
            warranty.REFUND: lambda: _("Refund"),
            warranty.EXCHANGE: lambda: _("Exchange"),
            warranty.REPAIR: lambda: _("Repair"),
        }
        return labels[remedy]() if remedy in labels else False

    def out_of_warranty_quote(self, cost):
        """Paid-service price for ``cost`` of parts, in the company currency.

        Readers of the voucher (after-sales users) may ask; ``cost`` is a
        finite amount, zero or more.
        """
        self.ensure_one()
        number = money.as_number(cost)
        if number is None or number < 0:
            raise ValidationError(
                self.env._(
                    "The cost must be an amount, zero or more, not %(value)r.",
                    value=cost,
                )
            )
        quote = warranty.out_of_warranty_quote(
            cost,
            self.surcharge_percent,
            rounding=self.company_id.currency_id.rounding,
        )
        return {"cost": quote.cost, "surcharge": quote.surcharge, "total": quote.total}
