# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import defaultdict, namedtuple
from datetime import date

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL

from ..aftersales_service import money, periods, warranty
from .aftersales_warranty_voucher import USER_GROUP

# Which voucher of a serial answers a warranty check when there are several.
STATE_PRIORITY = {"active": 0, "expired": 1, "void": 2, "draft": 3}

# A provider as the answer names it; the check reads no partner record.
Provider = namedtuple("Provider", "id name")
# Columns of a voucher row the check reads, in the order of VOUCHER_ROW_SQL.
ROW_COLUMNS = (
    "id",
    "serial",
    "name",
    "state",
    "company_id",
    "partner_id",
    "product_id",
    "holder_type",
    "date_start",
    "date_end",
    "refund_days",
    "exchange_days",
    "dealer_remedy",
    "max_failed_repairs",
    "surcharge_percent",
    "mileage_start",
    "mileage_limit",
    "awaiting_handover",
    "coverages",
    "excluded_parts",
    "failed_repair_parts",
    "policy_id",
    "open_repair_since",
)
# The voucher rows with their terms in one query, small and plannable: on
# this path planning costs more than reading, so no join (providers come
# from a cache), one subquery per table (a coverage line as an array of
# integers: part, provider, end as days since 1970) and the order applied in
# Python. The record rules come as SQL on the table's own name: no alias.
VOUCHER_ROW_SQL = """
    SELECT {v}.id, {v}.serial, {v}.name, {v}.state,
           {v}.company_id, {v}.partner_id, {v}.product_id,
           {v}.holder_type, {v}.date_start, {v}.date_end,
           {v}.refund_days, {v}.exchange_days, {v}.dealer_remedy,
           {v}.max_failed_repairs, {v}.surcharge_percent,
           {v}.mileage_start, {v}.mileage_limit, {v}.awaiting_handover,
           ARRAY(SELECT ARRAY[c.part_id, c.provider_id, c.date_end - DATE '1970-01-01']
                   FROM aftersales_warranty_voucher_coverage c
                  WHERE c.voucher_id = {v}.id),
           ARRAY(SELECT x.part_id
                   FROM aftersales_warranty_voucher_excluded_part_rel x
                  WHERE x.voucher_id = {v}.id),
           ARRAY(SELECT r.part_id FROM aftersales_warranty_voucher_repair r
                  WHERE r.voucher_id = {v}.id AND r.result = 'failed'),
           {v}.policy_id,
           (SELECT MIN(cl.date) FROM aftersales_claim cl
             WHERE cl.voucher_id = {v}.id
               AND cl.state IN ('submitted', 'appraised', 'approved')
               AND (cl.handling_method IS NULL OR cl.handling_method = 'repair'))
      FROM %(from)s
     WHERE %(condition)s AND %(rules)s
""".format(v='"aftersales_warranty_voucher"')
EPOCH = date(1970, 1, 1).toordinal()
# What a call takes from one cache, once: the record rules as SQL (FROM and
# WHERE), each company's partner, the providers by partner id and the parts
# catalogue (every id, the ids the user sees, {lower code or name: ids}) and
# the policies' exchange criteria ({policy id: criteria}).
# Whether the user may check at all comes with them: group changes clear the
# cache, as they clear the user's group ids.
Lookups = namedtuple(
    "Lookups",
    "may_check from_clause rules companies providers parts labels criteria",
)
# What a station system may send in one check_warranty_batch call.
BATCH_KEYS = frozenset({"serial", "date", "mileage", "part", "product_id", "cause"})
BATCH_LIMIT = 1000
# =ilike wildcards: a part key holding them is searched, not looked up.
LIKE_WILDCARDS = ("%", "_", "\\")


class AftersalesWarrantyVoucher(models.Model):
    """The warranty check stations call (RPC contract) and its answer.

    The hot path of station systems: a call reads its voucher row (record
    rules applied in SQL) with the voucher's terms in one query, resolves
    parts from a cached catalogue and decides with the pure rules; no record
    is browsed. Both RPC methods are read-only, so that Odoo may serve them
    from a read-only cursor (a replica with ``--db_replica_host``).
    """

    _inherit = "aftersales.warranty.voucher"

    # ------------------------------------------------------------------
    # Warranty check (RPC)
    # ------------------------------------------------------------------

    @api.model
    @api.readonly
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
        lookups = self._check_rights_to_check()
        request = self._check_request(
            serial=serial,
            date=date,
            mileage=mileage,
            part=part,
            product_id=product_id,
            cause=cause,
        )
        return self._check_requests([request], lookups, batch=False)[0]

    @api.model
    @api.readonly
    def check_warranty_batch(self, requests):
        """Answer many warranty checks in one call (station systems).

        :param requests: list of dicts with the arguments of
            :meth:`check_warranty` (``serial`` required; ``date``,
            ``mileage``, ``part``, ``product_id``, ``cause`` optional), at
            most 1,000 per call
        :return: the answers, in the order of the requests
        """
        lookups = self._check_rights_to_check()
        if not isinstance(requests, list | tuple):
            raise ValidationError(
                self.env._(
                    "The requests must be a list of checks, not %(value)r.",
                    value=requests,
                )
            )
        if len(requests) > BATCH_LIMIT:
            raise ValidationError(
                self.env._(
                    "At most %(limit)s checks per call, not %(count)s: split the "
                    "list.",
                    limit=BATCH_LIMIT,
                    count=len(requests),
                )
            )
        checked = []
        for position, request in enumerate(requests, start=1):
            if not isinstance(request, dict) or not set(request) <= BATCH_KEYS:
                raise ValidationError(
                    self.env._(
                        "Check %(position)s must be a dict with the keys %(keys)s, "
                        "not %(value)r.",
                        position=position,
                        keys=", ".join(sorted(BATCH_KEYS)),
                        value=request,
                    )
                )
            try:
                checked.append(self._check_request(**request))
            except ValidationError as error:
                raise ValidationError(
                    self.env._(
                        "Check %(position)s: %(error)s",
                        position=position,
                        error=error.args[0],
                    )
                ) from None
        return self._check_requests(checked, lookups)

    def _check_rights_to_check(self):
        """The check's lookups, once the user may check (after-sales users;
        the superuser environment always may)."""
        lookups = self._lookups()
        if not (self.env.su or lookups.may_check):
            raise AccessError(self.env._("Only after-sales users check warranties."))
        return lookups

    @api.model
    def _check_request(
        self,
        serial=None,
        date=None,
        mileage=None,
        part=None,
        product_id=None,
        cause=None,
    ):
        """The arguments of one check, validated (see the RPC contract)."""
        return {
            "serial": self._check_text_argument("serial", serial),
            "date": self._parse_check_date(date),
            "mileage": self._check_mileage_argument(mileage),
            "part": self._check_part_argument(part),
            "product_id": self._check_id_argument("product_id", product_id),
            "cause": self._check_text_argument("cause", cause),
        }

    @api.model
    def _check_requests(self, requests, lookups, batch=True):
        """Answers of validated requests: one query for the vouchers of all
        their serials and their terms, within the user's record rules. An
        error of a batch names the check it comes from."""
        rows = self._voucher_rows_by_serial({r["serial"] for r in requests}, lookups)
        answers = []
        for position, request in enumerate(requests, start=1):
            row = self._best_row(rows.get(request["serial"], ()), request["product_id"])
            if not row:
                answers.append(self._unknown_answer(request, lookups))
                continue
            try:
                answers.append(self._decide(row, request, lookups))
            except ValidationError as error:
                if not batch:
                    raise
                raise ValidationError(
                    self.env._(
                        "Check %(position)s: %(error)s",
                        position=position,
                        error=error.args[0],
                    )
                ) from None
        return answers

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

    # ------------------------------------------------------------------
    # Reading the vouchers and their terms
    # ------------------------------------------------------------------

    def _voucher_rows(self, condition, lookups, company=None):
        """Rows of the vouchers matching ``condition`` (SQL on the voucher
        table) that the user may read, with their terms; per serial, live
        before expired, void and draft, then the latest start first."""
        if lookups.rules is None:
            self.browse().check_access("read")  # raises, as a search would
        # Raw SQL reads what this transaction wrote only once flushed.
        self.env.flush_all()
        if company:
            condition = SQL(
                '%s AND "aftersales_warranty_voucher".company_id = %s',
                condition,
                company.id,
            )
        self.env.cr.execute(
            SQL(
                VOUCHER_ROW_SQL,
                condition=condition,
                rules=lookups.rules,
                **{"from": lookups.from_clause},
            )
        )
        rows = [
            dict(zip(ROW_COLUMNS, row, strict=True)) for row in self.env.cr.fetchall()
        ]
        rows.sort(
            key=lambda row: (
                STATE_PRIORITY[row["state"]],
                -row["date_start"].toordinal(),
                -row["id"],
            )
        )
        return rows

    @api.model
    def _voucher_rows_by_serial(self, serials, lookups, company=None):
        """{serial: [row, ...]} for ``serials``, best voucher first."""
        serials = tuple(serial for serial in serials if serial)
        if not serials:
            return {}
        by_serial = defaultdict(list)
        condition = SQL('"aftersales_warranty_voucher".serial IN %s', serials)
        for row in self._voucher_rows(condition, lookups, company):
            by_serial[row["serial"]].append(row)
        return by_serial

    @staticmethod
    def _best_row(rows, product_id=None):
        """The voucher that answers: rows come best first."""
        for row in rows:
            if not product_id or row["product_id"] == product_id:
                return row
        return None

    @api.model
    @tools.ormcache(
        "self.env.uid",
        "self.env.su",
        "self.env.context.get('lang')",
        "tuple(self.env.context.get('allowed_company_ids') or ())",
    )
    def _lookups(self):
        """What every call needs besides its vouchers, computed once per
        user, language and companies.

        The record rules as SQL (``ir.rule`` caches their domain the same
        way: rule, group and user changes clear both caches), the companies'
        partners and the providers answers name (companies and the policies'
        coverage providers; renaming one clears it, res.partner.write), and
        the parts catalogue as the user sees it (cleared when it changes),
        and the answers' labels in the user's language.
        """
        from_clause = rules = None
        if self.browse().has_access("read"):
            query = self._search([])
            from_clause, rules = query.from_clause, query.where_clause or SQL("TRUE")
        companies = {
            company.id: company.partner_id.id
            for company in self.env["res.company"].sudo().search([])
        }
        coverages = self.env["aftersales.warranty.policy.coverage"].sudo().search([])
        partners = (
            self.env["res.partner"]
            .sudo()
            .browse(set(companies.values()) | set(coverages.provider_id.ids))
        )
        return Lookups(
            self.env.su or self.env.user._has_group(USER_GROUP),
            from_clause,
            rules,
            companies,
            {p.id: Provider(p.id, p.name) for p in partners},
            self.env["aftersales.warranty.part"]._catalogue_index(),
            (self._reason_labels(), self._remedy_labels()),
            self.env["aftersales.warranty.exchange.criterion"]._index(),
        )

    def _provider(self, partner_id, lookups):
        """A provider by partner id; one the cache does not hold yet (added
        to a policy since) is read."""
        provider = lookups.providers.get(partner_id)
        if provider is None:
            partner = self.env["res.partner"].sudo().browse(partner_id)
            provider = Provider(partner.id, partner.name) if partner_id else None
        return provider

    def _decide(self, row, request, lookups):
        """check_warranty's answer for a voucher row."""
        company_partner = lookups.companies.get(row["company_id"])
        if company_partner is None:
            company = self.env["res.company"].sudo().browse(row["company_id"])
            company_partner = company.partner_id.id
        coverages = tuple(
            warranty.Coverage(
                part,
                self._provider(provider, lookups),
                date.fromordinal(EPOCH + end) if end is not None else None,
            )
            for part, provider, end in row["coverages"]
        )
        # As the ORM reads the many2many: the active parts the user may read.
        excluded = frozenset(row["excluded_parts"]) & lookups.parts[1]
        terms = warranty.VoucherTerms(
            state=row["state"],
            date_start=row["date_start"],
            date_end=row["date_end"],
            provider=self._provider(company_partner, lookups),
            holder_type=row["holder_type"],
            refund_days=row["refund_days"] or 0,
            exchange_days=row["exchange_days"] or 0,
            dealer_remedy=row["dealer_remedy"] or warranty.EXCHANGE,
            mileage_start=row["mileage_start"] or 0.0,
            mileage_limit=row["mileage_limit"] or 0.0,
            max_failed_repairs=row["max_failed_repairs"] or 2,
            coverages=coverages,
            excluded_parts=excluded,
            awaiting_start=bool(row["awaiting_handover"]),
            exchange_criteria=lookups.criteria.get(row["policy_id"], ()),
        )
        on_date, mileage = request["date"], request["mileage"]
        part_id = None
        if request["part"] is not None:
            named = {coverage.part for coverage in coverages} | excluded
            part_id = self._find_part_id(request["part"], named, lookups.parts)
            if not part_id:
                decision = warranty.Decision(
                    False,
                    warranty.UNKNOWN_PART,
                    provider=terms.provider,
                    date_end=row["date_end"],
                )
                return self._answer_dict(decision, on_date, row, lookups)
        try:
            decision = warranty.check_eligibility(
                terms,
                on_date,
                mileage=mileage,
                part=part_id,
                cause=request["cause"] or None,
                # Failed repairs of the same fault: the same part, or none named.
                failed_repairs=row["failed_repair_parts"].count(part_id),
                # The oldest repair still open on the product (a claim
                # handled as repair, not done yet).
                open_repair_since=row["open_repair_since"],
            )
        except ValueError as error:
            raise ValidationError(
                self.env._(
                    "Mileage %(mileage)s km is below the %(start)s km recorded "
                    "when voucher %(voucher)s started.",
                    mileage=mileage,
                    start=row["mileage_start"],
                    voucher=row["name"],
                )
            ) from error
        return self._answer_dict(decision, on_date, row, lookups)

    def _unknown_answer(self, request, lookups):
        decision = warranty.Decision(False, warranty.UNKNOWN_SERIAL)
        return self._answer_dict(decision, request["date"], None, lookups)

    def _answer_dict(self, decision, on_date, row, lookups):
        row = row or {}
        provider = decision.provider
        reasons, remedies = lookups.labels
        date_start, date_end = row.get("date_start"), decision.date_end
        return {
            "eligible": decision.eligible,
            "reason": decision.reason,
            "reason_label": reasons.get(decision.reason, decision.reason),
            "voucher_id": row.get("id") or False,
            "voucher_name": row.get("name") or False,
            "state": row.get("state") or False,
            "product_id": row.get("product_id") or False,
            "partner_id": row.get("partner_id") or False,
            "remedy": decision.remedy or False,
            "remedy_label": remedies.get(decision.remedy, False),
            "provider_id": provider.id if provider else False,
            "provider_name": (provider.name if provider else False) or False,
            # isoformat() is Odoo's date format, without strftime's cost.
            "date": on_date.isoformat(),
            "date_start": date_start.isoformat() if date_start else False,
            "date_end": date_end.isoformat() if date_end else False,
            "mileage_limit": row.get("mileage_limit") or False,
            "surcharge_percent": row["surcharge_percent"] if row else False,
            "exchange_criterion": self._criterion_answer(decision.criterion),
        }

    def _criterion_answer(self, criterion):
        """The exchange criterion that fired, as the answer names it:
        ``{"code": kind, "label": words}``, or False."""
        if not criterion:
            return False
        label = criterion.label or self.env[
            "aftersales.warranty.exchange.criterion"
        ]._label_of(criterion)
        return {"code": criterion.kind, "label": label}

    # ------------------------------------------------------------------
    # Parts
    # ------------------------------------------------------------------

    @api.model
    def _find_part_id(self, part, preferred_ids, catalogue):
        """Id of the part given as id, code or name (case-insensitive), or
        None. A code or name can match parts of several catalogues; the parts
        the voucher's terms name come first."""
        every_id, _visible, by_key = catalogue
        if isinstance(part, int):
            return part if part in every_id else None
        key = str(part).strip()
        if any(wildcard in key for wildcard in LIKE_WILDCARDS):
            return self._find_part(key, preferred_ids).id or None
        candidates = by_key.get(key.lower(), ())
        preferred = [pid for pid in candidates if pid in preferred_ids]
        return (preferred or candidates or [None])[0]

    @api.model
    def _find_part(self, part, preferred_ids=()):
        """Part records matching ``part`` (id, code or name, =ilike)."""
        Part = self.env["aftersales.warranty.part"]
        if isinstance(part, int):
            return Part.browse(part).exists()
        key = str(part).strip()
        matches = Part.search(
            ["|", ("code", "=ilike", key), ("name", "=ilike", key)], limit=10
        )
        preferred = matches.filtered(lambda p: p.id in preferred_ids)
        return (preferred or matches)[:1]

    # ------------------------------------------------------------------
    # Answers for documents (claims, tickets, portal)
    # ------------------------------------------------------------------

    def _find_for_serial(self, serial, product_id=None, company=None):
        """The voucher that answers for ``serial`` (record rules apply)."""
        if not serial or not isinstance(serial, str) or not serial.strip():
            return self.browse()
        rows = self._voucher_rows_by_serial({serial.strip()}, self._lookups(), company)
        row = self._best_row(rows.get(serial.strip(), ()), product_id)
        return self.browse(row["id"]) if row else self.browse()

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
    def _find_for_documents(self, documents):
        """{document: voucher} for records with ``lot_id`` and
        ``company_id`` (claims, tickets), in one query; sudo, as
        :meth:`_find_for_lot`."""
        Voucher = self.sudo()
        with_lot = documents.filtered("lot_id")
        rows = Voucher._voucher_rows_by_serial(
            set(with_lot.lot_id.mapped("name")), Voucher._lookups()
        )
        found = {}
        for document in documents:
            lot = document.lot_id
            candidates = [
                row
                for row in rows.get(lot.name, ())
                if not document.company_id
                or row["company_id"] == document.company_id.id
            ]
            row = lot and self._best_row(candidates, lot.product_id.id)
            found[document] = Voucher.browse(row["id"]) if row else Voucher.browse()
        return found

    def _answer(self, on_date, mileage=None, part=None, cause=None):
        """check_warranty's answer for this voucher."""
        self.ensure_one()
        question = {"date": on_date, "mileage": mileage, "part": part, "cause": cause}
        return self._answers([question])[0]

    def _answers(self, questions):
        """check_warranty's answers for these vouchers (the same voucher may
        come more than once), one per question, a dict with ``date`` and
        optionally ``mileage``, ``part`` and ``cause``; in one query."""
        self.check_access("read")
        condition = SQL(
            '"aftersales_warranty_voucher".id IN %s', tuple(set(self.ids)) or (0,)
        )
        Voucher = self.sudo()
        found = Voucher._voucher_rows(condition, Voucher._lookups())
        rows = {row["id"]: row for row in found}
        lookups = self._lookups()
        answers = []
        for voucher, question in zip(self, questions, strict=True):
            request = {
                "date": question["date"],
                "mileage": self._check_mileage_argument(question.get("mileage")),
                "part": self._check_part_argument(question.get("part")),
                "cause": question.get("cause"),
            }
            answers.append(self._decide(rows[voucher.id], request, lookups))
        return answers

    # ------------------------------------------------------------------
    # Labels and quote
    # ------------------------------------------------------------------

    def _reason_labels(self):
        """{reason code: label} in the user's language."""
        _ = self.env._
        return {
            warranty.COVERED: _("Covered"),
            warranty.REPEATED_FAILURE: _("Covered: exchange after failed repairs"),
            warranty.REPAIR_OVERDUE: _("Covered: exchange, repair overdue"),
            warranty.UNKNOWN_SERIAL: _("No voucher for this serial"),
            warranty.UNKNOWN_PART: _("Unknown part"),
            warranty.NOT_ISSUED: _("Voucher not issued yet"),
            warranty.VOID: _("Voucher void"),
            warranty.NOT_STARTED: _("Warranty not started on that date"),
            warranty.EXPIRED: _("Warranty expired"),
            warranty.MILEAGE_EXCEEDED: _("Mileage limit exceeded"),
            warranty.PART_EXCLUDED: _("Part not covered"),
            warranty.PART_EXPIRED: _("Part warranty expired"),
            warranty.NOT_MANUFACTURING: _("Not a manufacturing defect"),
            warranty.MAJOR_PART: _("Covered: exchange, major part replaced"),
        }

    def _reason_label(self, reason):
        return self._reason_labels().get(reason, reason)

    def _remedy_labels(self):
        """{remedy code: label} in the user's language."""
        _ = self.env._
        return {
            warranty.REFUND: _("Refund"),
            warranty.EXCHANGE: _("Exchange"),
            warranty.REPAIR: _("Repair"),
        }

    def _remedy_label(self, remedy):
        return self._remedy_labels().get(remedy, False)

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
