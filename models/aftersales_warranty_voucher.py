# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import math
import re
from collections import defaultdict

from psycopg2 import errors

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..aftersales_service import warranty

LIVE_STATES = ("active",)
LIVE_SERIAL_CONSTRAINT = "aftersales_warranty_voucher_live_serial"
# Detail of an exclusion violation: "Key (product_id, lot_id)=(7, 42) ...".
CONFLICT_KEY = re.compile(r"\(product_id, lot_id\)=\((\d+), (\d+)\)")
USER_GROUP = "aftersales_service.group_aftersales_user"
MANAGER_GROUP = "aftersales_service.group_aftersales_manager"


def check_company_by_company(records, fnames, check_records):
    """Odoo's company check of ``records``, a query-free pass per company.

    Odoo filters the linked records of each record, field by field: for the
    thousands of vouchers a delivery issues, and their coverage lines, that
    was a fifth of the issue. The links of all the records of one company
    are checked together instead; ``check_records`` (Odoo's own check) runs
    only on a company whose links fail, to name the culprits as it does.
    """
    if len(records) < 2:
        return check_records(records, fnames)
    if fnames is None or {"company_id", "company_ids"} & set(fnames):
        fnames = records._fields
    checked = [records._fields[name] for name in fnames]
    checked = [field for field in checked if field.relational and field.check_company]
    if any(field.company_dependent for field in checked):
        return check_records(records, fnames)
    for company, group in records.grouped("company_id").items():
        for field in checked:
            linked = group.sudo()[field.name]
            if not linked:
                continue
            domain = linked._check_company_domain(company)
            if domain and linked != linked.with_context(
                active_test=False
            ).filtered_domain(domain):
                return check_records(group, fnames)
    return None


class AftersalesWarrantyVoucher(models.Model):
    """Warranty voucher (三包凭证) held by the customer for one serial or lot."""

    _name = "aftersales.warranty.voucher"
    _description = "Warranty Voucher"
    _inherit = ["mail.thread", "mail.activity.mixin", "aftersales.workflow.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True
    _rec_names_search = ["name", "serial", "partner_id.name"]

    _state_transitions = {
        "draft": frozenset({"active"}),
        "active": frozenset({"expired", "void"}),
        "expired": frozenset({"void"}),
        "void": frozenset(),
    }
    # Written by the issue, the delivery, the expiry and the void only: the
    # state, the number given at issue, the delivery that issued the voucher
    # and the reason it was voided.
    _workflow_fields = frozenset(
        {"state", "name", "move_id", "picking_id", "void_reason"}
    )
    # What the customer was promised is final once issued: only the internal
    # note, the responsible and (while live) the repair record still change.
    _final_states = {
        "active": frozenset({"note", "user_id", "repair_ids"}),
        "expired": frozenset({"note"}),
        "void": frozenset({"note"}),
    }
    # Kanban columns follow the workflow (group_expand on the state, in the
    # selection's order); the void one is folded at the end.
    _kanban_folded_states = frozenset({"void"})

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
        group_expand=True,
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
    # Not precomputed: a readonly precomputed field makes every create build
    # a draft copy of each record to compute it, the issue on delivery too.
    is_serial = fields.Boolean(
        compute="_compute_is_serial",
        store=True,
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
        check_company=True,
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
        check_company=True,
    )
    picking_id = fields.Many2one(
        comodel_name="stock.picking",
        string="Delivery",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
    )
    void_reason = fields.Text(readonly=True, copy=False, tracking=True)
    note = fields.Html()
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        tracking=True,
    )
    claim_count = fields.Integer(compute="_compute_claim_count")
    ticket_count = fields.Integer(compute="_compute_ticket_count")

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
            voucher.date_start = self._start_for(
                voucher.holder_type, voucher.date_delivery, voucher.date_manufacture
            )

    @api.depends("date_start", "holder_type", "policy_id")
    def _compute_date_end(self):
        for voucher in self:
            policy = voucher.policy_id
            if not (voucher.date_start and policy):
                voucher.date_end = voucher.date_end or voucher.date_start
                continue
            voucher.date_end = self._end_for(
                policy, voucher.holder_type, voucher.date_start
            )

    @api.depends("policy_id")
    def _compute_policy_terms(self):
        for voucher in self:
            policy = voucher.policy_id
            for name, value in self._terms_of(policy).items():
                voucher[name] = value
            voucher.excluded_part_ids = policy.excluded_part_ids

    @api.depends("policy_id")
    def _compute_coverage_line_ids(self):
        for voucher in self:
            voucher.coverage_line_ids = [Command.clear()] + [
                Command.create(values)
                for values in self._coverage_of(voucher.policy_id)
            ]

    # The rules of the computes above, shared with the issue on delivery,
    # which gives every value at creation (see _prepare_from_move_lines).

    @api.model
    def _start_for(self, holder_type, date_delivery, date_manufacture):
        """Dealers are covered from the manufacturing date, when known."""
        if holder_type == warranty.DEALER and date_manufacture:
            return date_manufacture
        return date_delivery

    @api.model
    def _end_for(self, policy, holder_type, date_start):
        months = policy.repair_months
        if holder_type == warranty.DEALER and policy.dealer_months:
            months = policy.dealer_months
        return warranty.voucher_end(date_start, months)

    @api.model
    def _terms_of(self, policy):
        """The policy's terms a voucher copies (its parts apart)."""
        return {
            "refund_days": policy.refund_days,
            "exchange_days": policy.exchange_days,
            "dealer_remedy": policy.dealer_remedy or warranty.EXCHANGE,
            "max_failed_repairs": policy.max_failed_repairs or 2,
            "surcharge_percent": policy.surcharge_percent,
            "mileage_limit": policy.mileage_limit,
        }

    @api.model
    def _coverage_of(self, policy):
        """Values of the coverage lines a voucher copies from ``policy``."""
        return [
            {
                "part_id": line.part_id.id,
                "provider_id": line.provider_id.id,
                "months": line.months,
            }
            for line in policy.coverage_line_ids
        ]

    @api.depends("repair_ids.result")
    def _compute_failed_repair_count(self):
        for voucher in self:
            voucher.failed_repair_count = len(
                voucher.repair_ids.filtered(lambda r: r.result == "failed")
            )

    def _compute_claim_count(self):
        counts = self._count_by_voucher("aftersales.claim")
        for voucher in self:
            voucher.claim_count = counts.get(voucher, 0)

    def _compute_ticket_count(self):
        counts = self._count_by_voucher("helpdesk.ticket")
        for voucher in self:
            voucher.ticket_count = counts.get(voucher, 0)

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
            if not math.isfinite(voucher.quantity) or voucher.quantity <= 0:
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

    @api.constrains("mileage_start", "mileage_limit", "surcharge_percent")
    def _check_mileage(self):
        for voucher in self:
            # NaN (which compares false with any limit) is refused by
            # the input mixin before it is written.
            figures = (
                voucher.mileage_start,
                voucher.mileage_limit,
                voucher.surcharge_percent,
            )
            if min(figures) < 0:
                raise ValidationError(
                    self.env._("Mileage and the surcharge cannot be negative.")
                )

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
        # Whoever may not create at all hears that first.
        self.browse().check_access("create")
        # Before a number is spent on it.
        self._check_input(vals_list)
        # Vouchers created issued (delivery, data files) are numbered here.
        # Others are refused by the workflow mixin: no number is spent on them.
        if self._trusted_create():
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

    def write(self, vals):
        self.check_access("write")
        return super().write(vals)

    def _check_company(self, fnames=None):
        return check_company_by_company(
            self,
            fnames,
            lambda records, names: super(
                AftersalesWarrantyVoucher, records
            )._check_company(names),
        )

    def _trusted_create(self):
        """Superuser, or inside ``_workflow_create``: the workflow fields may
        be set (see the mixin) and child lines of issued vouchers created."""
        return self._creating_in_transition()

    def _check_children_editable(self, what):
        """Coverage and repair lines follow their voucher's finality.

        ``what``: ``"coverage"`` (frozen once issued) or ``"repairs"`` (kept
        while the voucher is live). The superuser (claims recording their
        repairs, deliveries issuing vouchers) and the voucher's own
        transitions are not limited.
        """
        if self._trusted_create() or self._in_transition():
            return
        editable = ("draft",) if what == "coverage" else ("draft", "active")
        for voucher in self:
            if voucher.state in editable:
                continue
            values = {
                "voucher": voucher.display_name,
                "state": voucher._state_label(voucher.state),
            }
            if what == "coverage":
                message = self.env._(
                    "Voucher %(voucher)s is %(state)s: its coverage can no "
                    "longer change.",
                    **values,
                )
            else:
                message = self.env._(
                    "Voucher %(voucher)s is %(state)s: its repair record can no "
                    "longer change.",
                    **values,
                )
            raise UserError(message)

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
        """Issue draft vouchers (after-sales users): numbered, then final."""
        self._check_group(
            USER_GROUP, self.env._("Only after-sales users issue warranty vouchers.")
        )
        # The voucher rows, then their serials: a concurrent issue of the same
        # serial waits here, and is checked again once it holds them.
        self._lock_rows()
        self.filtered("is_serial").lot_id._lock_for_vouchers()
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
        self._check_transition("active")
        for voucher in self:
            vals = {"state": "active"}
            if voucher.name == "New":
                vals["name"] = self._next_numbers(voucher.company_id, 1)[0]
            voucher._workflow_write(vals)
        self._check_live_serials_now()
        return True

    def action_void(self):
        """Open the void wizard (after-sales managers)."""
        self._check_void_rights()
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

    def action_view_claims(self):
        return self._action_related(
            "aftersales_service.aftersales_claim_action",
            [("voucher_id", "=", self.id)],
            self._prepare_document_context(),
        )

    def action_view_tickets(self):
        # Every ticket of the voucher, whichever team handled it: the
        # action's default team filter would hide some.
        return self._action_related(
            "aftersales_service.helpdesk_ticket_action_aftersales",
            [("voucher_id", "=", self.id)],
            self._prepare_document_context(),
        )

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

    def _prepare_document_context(self):
        """Defaults of a claim or ticket opened from the voucher."""
        return {
            "default_partner_id": self.partner_id.id,
            "default_product_id": self.product_id.id,
            "default_lot_id": self.lot_id.id,
            "default_company_id": self.company_id.id,
        }

    def _count_by_voucher(self, model):
        """Records of ``model`` per voucher, in one grouped query."""
        if not self.ids:
            return {}
        return dict(
            self.env[model]._read_group(
                [("voucher_id", "in", self.ids)], ["voucher_id"], ["__count"]
            )
        )

    def _check_void_rights(self):
        self._check_group(
            MANAGER_GROUP,
            self.env._("Only after-sales managers void warranty vouchers."),
        )

    def _action_void(self, reason):
        """Void issued vouchers with a reason (after-sales managers)."""
        self._check_void_rights()
        if not isinstance(reason, str) or not reason.strip():
            raise UserError(self.env._("Give the reason for voiding the vouchers."))
        self._lock_rows()
        if any(voucher.state == "void" for voucher in self):
            raise UserError(self.env._("A void voucher cannot be voided again."))
        if any(voucher.state == "draft" for voucher in self):
            raise UserError(
                self.env._(
                    "Draft vouchers were never issued: delete them instead of "
                    "voiding them."
                )
            )
        self._move_to("void", void_reason=reason.strip())

    def _check_live_serials_now(self):
        """Check the live-serial exclusion constraint now, not at commit.

        The deferred constraint sees what concurrent transactions committed,
        which this transaction's snapshot does not: a voucher issued for the
        same serial by another user since this transaction began is only
        found there. Checked here, in a savepoint and without logging the
        database error, it becomes a clear ValidationError instead of an
        IntegrityError at commit.
        """
        if not any(v.state in LIVE_STATES and v.is_serial for v in self):
            return
        self.env.flush_all()
        cr = self.env.cr
        constraint = SQL.identifier(LIVE_SERIAL_CONSTRAINT)
        try:
            with cr.savepoint(flush=False):
                cr.execute(
                    SQL("SET CONSTRAINTS %s IMMEDIATE", constraint),
                    log_exceptions=False,
                )
        except errors.ExclusionViolation as error:
            match = CONFLICT_KEY.search(error.diag.message_detail or "")
            lots = (
                self.env["stock.lot"].sudo().browse(int(match.group(2)))
                if match
                else self.lot_id
            )
            raise ValidationError(
                self.env._(
                    "Serial %(serial)s was given a live voucher by another user "
                    "a moment ago; void it before issuing another.",
                    serial=", ".join(lots.mapped("name")),
                )
            ) from None
        finally:
            cr.execute(SQL("SET CONSTRAINTS %s DEFERRED", constraint))
