# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..aftersales_service import warranty

LIVE_STATES = ("active",)
# What check_warranty reads of a voucher, fetched with the search.
CHECK_FIELDS = [
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
]
LIVE_SERIAL_CONSTRAINT = "aftersales_warranty_voucher_live_serial"
# Which voucher of a serial answers a warranty check when there are several.
STATE_PRIORITY = {"active": 0, "expired": 1, "void": 2, "draft": 3}


class AftersalesWarrantyVoucher(models.Model):
    """Warranty voucher (三包凭证) held by the customer for one serial or lot."""

    _name = "aftersales.warranty.voucher"
    _description = "Warranty Voucher"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True
    _rec_names_search = ["name", "serial", "partner_id.name"]

    name = fields.Char(
        string="Number",
        required=True,
        readonly=True,
        copy=False,
        default="New",
        index="trigram",
    )
    state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("active", "Active"),
            ("expired", "Expired"),
            ("void", "Void"),
        ],
        string="Status",
        required=True,
        copy=False,
        default="draft",
        readonly=True,
        tracking=True,
        index=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
    )
    holder_type = fields.Selection(
        selection=[
            (warranty.CONSUMER, "Consumer"),
            (warranty.DEALER, "Dealer"),
        ],
        compute="_compute_holder_type",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        tracking=True,
        help="Consumers are covered from the delivery, dealers from the "
        "manufacturing date, each with the policy's period.",
    )
    product_id = fields.Many2one(
        comodel_name="product.product",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
        domain="[('tracking', '!=', 'none')]",
    )
    lot_id = fields.Many2one(
        comodel_name="stock.lot",
        string="Serial/Lot",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
        domain="[('product_id', '=', product_id)]",
    )
    serial = fields.Char(
        related="lot_id.name",
        string="Serial/Lot Number",
        store=True,
        index=True,
    )
    is_serial = fields.Boolean(
        compute="_compute_is_serial",
        store=True,
        precompute=True,
        help="Serial vouchers are unique per serial; lot vouchers cover a quantity.",
    )
    quantity = fields.Float(
        default=1.0,
        digits="Product Unit of Measure",
        required=True,
    )
    product_uom_id = fields.Many2one(related="product_id.uom_id")
    policy_id = fields.Many2one(
        comodel_name="aftersales.warranty.policy",
        compute="_compute_policy_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        check_company=True,
        tracking=True,
    )
    date_delivery = fields.Date(
        string="Delivery Date",
        default=fields.Date.context_today,
        tracking=True,
    )
    date_manufacture = fields.Date(
        string="Manufacturing Date",
        compute="_compute_date_manufacture",
        store=True,
        readonly=False,
        precompute=True,
    )
    date_start = fields.Date(
        string="Start Date",
        compute="_compute_date_start",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        index=True,
        tracking=True,
    )
    date_end = fields.Date(
        string="End Date",
        compute="_compute_date_end",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        index=True,
        tracking=True,
    )
    # The terms below are copied from the policy when it is chosen and then
    # belong to the voucher: later changes to the policy do not alter what
    # was promised to the customer, so they depend on policy_id alone.
    refund_days = fields.Integer(
        string="Refund Window (days)",
        compute="_compute_policy_terms",
        store=True,
        readonly=False,
        precompute=True,
    )
    exchange_days = fields.Integer(
        string="Exchange Window (days)",
        compute="_compute_policy_terms",
        store=True,
        readonly=False,
        precompute=True,
    )
    dealer_remedy = fields.Selection(
        selection=[
            (warranty.EXCHANGE, "Exchange"),
            (warranty.REPAIR, "Repair"),
        ],
        compute="_compute_policy_terms",
        store=True,
        readonly=False,
        precompute=True,
    )
    max_failed_repairs = fields.Integer(
        string="Exchange After Failed Repairs",
        compute="_compute_policy_terms",
        store=True,
        readonly=False,
        precompute=True,
    )
    surcharge_percent = fields.Float(
        string="Out-of-Warranty Surcharge (%)",
        compute="_compute_policy_terms",
        store=True,
        readonly=False,
        precompute=True,
        digits=(16, 2),
    )
    mileage_start = fields.Float(
        string="Mileage at Start (km)",
        digits=(16, 0),
        tracking=True,
    )
    mileage_limit = fields.Float(
        string="Mileage Limit (km)",
        compute="_compute_policy_terms",
        store=True,
        readonly=False,
        precompute=True,
        digits=(16, 0),
        tracking=True,
        help="Distance after the start beyond which the warranty ends; 0 means "
        "no limit.",
    )
    coverage_line_ids = fields.One2many(
        comodel_name="aftersales.warranty.voucher.coverage",
        inverse_name="voucher_id",
        string="Coverage",
        compute="_compute_coverage_line_ids",
        store=True,
        readonly=False,
        precompute=True,
        copy=True,
    )
    excluded_part_ids = fields.Many2many(
        comodel_name="aftersales.warranty.part",
        relation="aftersales_warranty_voucher_excluded_part_rel",
        column1="voucher_id",
        column2="part_id",
        string="Excluded Parts",
        compute="_compute_policy_terms",
        store=True,
        readonly=False,
        precompute=True,
    )
    repair_ids = fields.One2many(
        comodel_name="aftersales.warranty.voucher.repair",
        inverse_name="voucher_id",
        string="Repair Record",
    )
    failed_repair_count = fields.Integer(compute="_compute_failed_repair_count")
    move_id = fields.Many2one(
        comodel_name="stock.move",
        string="Delivery Move",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    picking_id = fields.Many2one(
        comodel_name="stock.picking",
        string="Delivery",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    void_reason = fields.Text(readonly=True, copy=False, tracking=True)
    note = fields.Html()
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        tracking=True,
    )

    def init(self):
        # _check_single_live_voucher reports a duplicate clearly; this
        # constraint makes it hold when two deliveries of the same serial are
        # validated at once. Deferred, so that voiding a voucher and issuing
        # its replacement can be flushed in one statement.
        self.env.cr.execute(
            "SELECT 1 FROM pg_constraint WHERE conname = %s", [LIVE_SERIAL_CONSTRAINT]
        )
        if not self.env.cr.fetchone():
            self.env.cr.execute(
                SQL(
                    """
                    ALTER TABLE aftersales_warranty_voucher
                      ADD CONSTRAINT %s
                      EXCLUDE USING btree (product_id WITH =, lot_id WITH =)
                      WHERE (state = 'active' AND is_serial)
                      DEFERRABLE INITIALLY DEFERRED
                    """,
                    SQL.identifier(LIVE_SERIAL_CONSTRAINT),
                )
            )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("partner_id")
    def _compute_holder_type(self):
        for voucher in self:
            voucher.holder_type = (
                voucher.partner_id.commercial_partner_id.warranty_holder_type
                or warranty.CONSUMER
            )

    @api.depends("product_id.tracking")
    def _compute_is_serial(self):
        for voucher in self:
            voucher.is_serial = voucher.product_id.tracking == "serial"

    @api.depends("product_id", "company_id", "date_delivery")
    def _compute_policy_id(self):
        for (company, day), vouchers in self.grouped(
            lambda v: (v.company_id, v.date_delivery or fields.Date.today())
        ).items():
            found = self.env["aftersales.warranty.policy"]._find_for_products(
                vouchers.product_id, day, company
            )
            for voucher in vouchers:
                voucher.policy_id = found.get(voucher.product_id, False)

    @api.depends("lot_id")
    def _compute_date_manufacture(self):
        for voucher in self:
            voucher.date_manufacture = voucher.lot_id.manufacture_date

    @api.depends("holder_type", "date_delivery", "date_manufacture")
    def _compute_date_start(self):
        for voucher in self:
            if voucher.holder_type == warranty.DEALER and voucher.date_manufacture:
                voucher.date_start = voucher.date_manufacture
            else:
                voucher.date_start = voucher.date_delivery

    @api.depends("date_start", "holder_type", "policy_id")
    def _compute_date_end(self):
        for voucher in self:
            policy = voucher.policy_id
            if not (voucher.date_start and policy):
                voucher.date_end = voucher.date_end or voucher.date_start
                continue
            months = policy.repair_months
            if voucher.holder_type == warranty.DEALER and policy.dealer_months:
                months = policy.dealer_months
            voucher.date_end = warranty.voucher_end(voucher.date_start, months)

    @api.depends("policy_id")
    def _compute_policy_terms(self):
        for voucher in self:
            policy = voucher.policy_id
            voucher.refund_days = policy.refund_days
            voucher.exchange_days = policy.exchange_days
            voucher.dealer_remedy = policy.dealer_remedy or warranty.EXCHANGE
            voucher.max_failed_repairs = policy.max_failed_repairs or 2
            voucher.surcharge_percent = policy.surcharge_percent
            voucher.mileage_limit = policy.mileage_limit
            voucher.excluded_part_ids = policy.excluded_part_ids

    @api.depends("policy_id")
    def _compute_coverage_line_ids(self):
        for voucher in self:
            voucher.coverage_line_ids = [Command.clear()] + [
                Command.create(
                    {
                        "part_id": line.part_id.id,
                        "provider_id": line.provider_id.id,
                        "months": line.months,
                    }
                )
                for line in voucher.policy_id.coverage_line_ids
            ]

    @api.depends("repair_ids.result")
    def _compute_failed_repair_count(self):
        for voucher in self:
            voucher.failed_repair_count = len(
                voucher.repair_ids.filtered(lambda r: r.result == "failed")
            )

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("lot_id", "product_id")
    def _check_lot_product(self):
        for voucher in self:
            if voucher.lot_id.product_id != voucher.product_id:
                raise ValidationError(
                    self.env._(
                        "Serial/lot %(lot)s belongs to %(lot_product)s, not to "
                        "%(product)s.",
                        lot=voucher.lot_id.name,
                        lot_product=voucher.lot_id.product_id.display_name,
                        product=voucher.product_id.display_name,
                    )
                )

    @api.constrains("quantity", "is_serial")
    def _check_quantity(self):
        for voucher in self:
            if voucher.quantity <= 0:
                raise ValidationError(
                    self.env._(
                        "The quantity of voucher %(voucher)s must be positive.",
                        voucher=voucher.name,
                    )
                )
            if voucher.is_serial and voucher.quantity != 1:
                raise ValidationError(
                    self.env._(
                        "A voucher for serial %(serial)s covers exactly one unit.",
                        serial=voucher.serial,
                    )
                )

    @api.constrains("state", "lot_id", "product_id")
    def _check_single_live_voucher(self):
        live = self.filtered(lambda v: v.state in LIVE_STATES and v.is_serial)
        if not live:
            return
        others = self.sudo().search(
            [
                ("state", "in", LIVE_STATES),
                ("lot_id", "in", live.lot_id.ids),
                ("id", "not in", live.ids),
            ]
        )
        seen = {(v.product_id, v.lot_id): v for v in others}
        for voucher in live:
            key = (voucher.product_id, voucher.lot_id)
            if key in seen:
                raise ValidationError(
                    self.env._(
                        "Serial %(serial)s of %(product)s already has the live "
                        "voucher %(voucher)s; void it before issuing another.",
                        serial=voucher.serial,
                        product=voucher.product_id.display_name,
                        voucher=seen[key].name,
                    )
                )
            seen[key] = voucher

    @api.constrains("mileage_start", "mileage_limit")
    def _check_mileage(self):
        for voucher in self:
            if voucher.mileage_start < 0 or voucher.mileage_limit < 0:
                raise ValidationError(self.env._("Mileage cannot be negative."))

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for voucher in self:
            if voucher.date_end < voucher.date_start:
                raise ValidationError(
                    self.env._(
                        "Voucher %(voucher)s cannot end (%(end)s) before it "
                        "starts (%(start)s).",
                        voucher=voucher.name,
                        end=voucher.date_end,
                        start=voucher.date_start,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        to_number = defaultdict(list)
        for vals in vals_list:
            if (
                vals.get("state", "draft") != "draft"
                and vals.get("name", "New") == "New"
            ):
                company = self.env["res.company"].browse(vals.get("company_id"))
                to_number[company or self.env.company].append(vals)
        for company, company_vals in to_number.items():
            numbers = self._next_numbers(company, len(company_vals))
            for vals, number in zip(company_vals, numbers, strict=True):
                vals["name"] = number
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(voucher.state != "draft" for voucher in self):
            raise UserError(
                self.env._(
                    "Issued vouchers cannot be deleted; void them instead so "
                    "their history is kept."
                )
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_issue(self):
        for voucher in self:
            if voucher.state != "draft":
                raise UserError(
                    self.env._(
                        "Voucher %(voucher)s is already issued.", voucher=voucher.name
                    )
                )
            if not voucher.policy_id:
                raise UserError(
                    self.env._(
                        "No warranty policy applies to %(product)s; choose one "
                        "before issuing the voucher.",
                        product=voucher.product_id.display_name,
                    )
                )
            vals = {"state": "active"}
            if voucher.name == "New":
                vals["name"] = self._next_numbers(voucher.company_id, 1)[0]
            voucher.write(vals)
        return True

    def action_void(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Void Vouchers"),
            "res_model": "aftersales.warranty.voucher.void",
            "view_mode": "form",
            "target": "new",
            "context": {"active_ids": self.ids, "active_model": self._name},
        }

    def action_view_picking(self):
        self.ensure_one()
        return self.picking_id.get_formview_action()

    def action_print(self):
        return self.env.ref(
            "aftersales_service.action_report_warranty_voucher"
        ).report_action(self)

    @api.model
    def _action_for_domain(self, domain, context=None):
        action = self.env["ir.actions.actions"]._for_xml_id(
            "aftersales_service.aftersales_warranty_voucher_action"
        )
        action.update(domain=domain, context=context or {})
        return action

    def _action_void(self, reason):
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason for voiding the vouchers."))
        if any(voucher.state == "void" for voucher in self):
            raise UserError(self.env._("A void voucher cannot be voided again."))
        self.write({"state": "void", "void_reason": reason.strip()})

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
        on_date = self._parse_check_date(date)
        if mileage is not None and (
            not isinstance(mileage, int | float) or mileage < 0
        ):
            raise ValidationError(
                self.env._("Mileage must be a number of km, zero or more.")
            )
        voucher = self._find_for_serial(serial, product_id)
        if not voucher:
            return self._check_answer(
                warranty.Decision(False, warranty.UNKNOWN_SERIAL), on_date
            )
        return voucher._answer(on_date, mileage=mileage, part=part, cause=cause)

    def _answer(self, on_date, mileage=None, part=None, cause=None):
        """check_warranty's answer for this voucher."""
        self.ensure_one()
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
        if not value:
            return fields.Date.context_today(self)
        try:
            return fields.Date.to_date(value)
        except ValueError as error:
            raise ValidationError(
                self.env._(
                    "%(value)s is not a date; use the YYYY-MM-DD format.",
                    value=value,
                )
            ) from error

    def _find_for_serial(self, serial, product_id=None, company=None):
        if not serial or not isinstance(serial, str):
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
        """Paid-service price for ``cost`` of parts, in the company currency."""
        self.ensure_one()
        quote = warranty.out_of_warranty_quote(
            cost,
            self.surcharge_percent,
            digits=self.company_id.currency_id.decimal_places,
        )
        return {"cost": quote.cost, "surcharge": quote.surcharge, "total": quote.total}

    # ------------------------------------------------------------------
    # Issue on delivery, expiry
    # ------------------------------------------------------------------

    @api.model
    def _prepare_from_move_lines(self, move_lines):
        """Values of the vouchers a validated delivery gives its customer.

        One voucher per serial; one per lot and quantity for lot-tracked goods.
        Serials that already have a live voucher are returned apart.
        """
        lines = move_lines.filtered("lot_id")
        serial_lots = lines.filtered(
            lambda ml: ml.product_id.tracking == "serial"
        ).lot_id
        taken = self.sudo().search(
            [("state", "in", LIVE_STATES), ("lot_id", "in", serial_lots.ids)]
        )
        taken_keys = {(v.product_id.id, v.lot_id.id) for v in taken}
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
                vals_list.append(
                    {
                        "state": "active",
                        "company_id": company.id,
                        "partner_id": partner.id,
                        "product_id": line.product_id.id,
                        "lot_id": line.lot_id.id,
                        "quantity": line.product_uom_id._compute_quantity(
                            line.quantity, line.product_id.uom_id
                        ),
                        "policy_id": policy.id,
                        "date_delivery": day,
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
        ]
        vouchers = self.search(domain, limit=batch_size, order="date_end, id")
        vouchers.write({"state": "expired"})
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
        return [sequence._next() for __ in range(count)]
