# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import math
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.mimetypes import guess_mimetype

from ..aftersales_service import warranty

# state -> states an action may move it to
TRANSITIONS = {
    "draft": ("submitted",),
    "submitted": ("appraised", "draft"),
    "appraised": ("approved", "rejected", "submitted"),
    "approved": ("done",),
    "rejected": ("draft",),
    "done": (),
}
RESPONSIBILITIES = [
    ("manufacturing", "Manufacturing Defect"),
    ("supplier", "Supplier Part"),
    ("misuse", "Misuse"),
    ("transport", "Transport Damage"),
    ("unknown", "Unknown"),
]
# What photos may be: images, sniffed from their bytes, and not huge.
PHOTO_MIMETYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")
PHOTO_MAX_BYTES = 10 * 1024 * 1024
# What a station may still change on its claim, through the portal.
PORTAL_EDITABLE_STATES = ("draft", "submitted")
# What the warranty check makes of each appraised responsibility: a supplier's
# part is a defect of the product the customer bought.
CAUSE_OF = {
    "manufacturing": warranty.MANUFACTURING,
    "supplier": warranty.MANUFACTURING,
    "misuse": "misuse",
    "transport": "transport",
}
# The codes of check_warranty's answer the claim stores; their labels are the
# voucher's, translated when shown, in the reader's language.
REASON_CODES = (
    warranty.COVERED,
    warranty.REPEATED_FAILURE,
    warranty.REPAIR_OVERDUE,
    warranty.UNKNOWN_SERIAL,
    warranty.UNKNOWN_PART,
    warranty.NOT_ISSUED,
    warranty.VOID,
    warranty.NOT_STARTED,
    warranty.EXPIRED,
    warranty.MILEAGE_EXCEEDED,
    warranty.PART_EXCLUDED,
    warranty.PART_EXPIRED,
    warranty.NOT_MANUFACTURING,
    warranty.MAJOR_PART,
)
# The signatures witness the appraisal that was approved: they stay as signed.
SIGNATURE_FIELDS = frozenset(
    {
        "customer_signature",
        "customer_signed_by",
        "station_signature",
        "station_signed_by",
    }
)
SIGNATURE_LOCKED_STATES = ("approved", "done")


class AftersalesClaim(models.Model):
    """Warranty claim with its technical appraisal (三包赔偿技术鉴定单)."""

    _name = "aftersales.claim"
    _description = "Warranty Claim"
    _kanban_folded_states = frozenset({"done", "rejected"})
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "portal.mixin",
        "aftersales.workflow.mixin",
    ]
    _order = "date desc, id desc"
    _check_company_auto = True
    _state_transitions = TRANSITIONS
    _nonnegative_fields = frozenset({"mileage"})
    # Written by the claim's actions only: the state, the eligibility answer,
    # the stamps and the documents the approval and billing generate.
    _workflow_fields = frozenset(
        {
            "state",
            "eligible",
            "eligibility_reason",
            "eligibility_code",
            "remedy",
            "provider_id",
            "rejection_reason",
            "sale_order_id",
            "quality_report_id",
            "compensation_move_id",
            "customer_signed_on",
            "station_signed_on",
        }
    )
    # Appraised: what the eligibility was decided on stays as it was (send
    # the claim back to submitted to change it); the costs, signatures and
    # photos are still completed. Approved: the station does the work and
    # records its outcome. Done: nothing changes any more.
    _final_states = {
        "appraised": frozenset(
            {
                "line_ids",
                "surcharge_percent",
                "handling_note",
                "repair_result",
                "photo_ids",
                "customer_signature",
                "customer_signed_by",
                "station_signature",
                "station_signed_by",
            }
        ),
        "approved": frozenset({"repair_result", "handling_note"}),
        "done": frozenset(),
    }

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
            ("submitted", "Submitted"),
            ("appraised", "Appraised"),
            ("approved", "Approved"),
            ("done", "Done"),
            ("rejected", "Rejected"),
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
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(
        string="Claim Date",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
    )
    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Service Request",
        index="btree_not_null",
        check_company=True,
        copy=False,
    )
    station_id = fields.Many2one(
        comodel_name="aftersales.station",
        string="Service Station",
        index=True,
        check_company=True,
        tracking=True,
    )
    region_id = fields.Many2one(
        related="station_id.region_id", store=True, string="Region"
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        index=True,
        tracking=True,
        check_company=True,
        help="Required to appraise the claim; stations that file a claim for an "
        "unknown customer give the name only.",
    )
    customer_name = fields.Char(
        help="The customer as the station reported them, when not a contact yet."
    )
    product_id = fields.Many2one(
        comodel_name="product.product",
        required=True,
        tracking=True,
        check_company=True,
    )
    lot_id = fields.Many2one(
        comodel_name="stock.lot",
        string="Serial/Lot",
        domain="[('product_id', '=', product_id)]",
        tracking=True,
        check_company=True,
    )
    voucher_id = fields.Many2one(
        comodel_name="aftersales.warranty.voucher",
        string="Warranty Voucher",
        compute="_compute_voucher_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        check_company=True,
    )
    failure_date = fields.Date(
        required=True, default=fields.Date.context_today, tracking=True
    )
    mileage = fields.Float(string="Mileage (km)", digits=(16, 0))
    part_id = fields.Many2one(
        comodel_name="aftersales.warranty.part",
        string="Failed Part",
        tracking=True,
        check_company=True,
    )
    # Appraisal (鉴定)
    fault_phenomenon = fields.Text(tracking=True)
    cause_analysis = fields.Text()
    handling_method = fields.Selection(
        selection=[
            ("repair", "Repair"),
            ("exchange", "Exchange"),
            ("refund", "Refund"),
            ("paid_repair", "Paid Repair"),
            ("none", "No Action"),
        ],
        tracking=True,
    )
    handling_note = fields.Text(string="Handling Details")
    responsibility = fields.Selection(
        selection=RESPONSIBILITIES, tracking=True, index=True
    )
    supplier_id = fields.Many2one(
        comodel_name="res.partner",
        string="Responsible Supplier",
        tracking=True,
        check_company=True,
        groups="aftersales_service.group_aftersales_user",
        help="The supplier whose part failed: its warranty deposit bears the "
        "claim's cost.",
    )
    repair_result = fields.Selection(
        selection=[("fixed", "Fixed"), ("failed", "Not Fixed")],
        tracking=True,
        help="Recorded in the voucher's repair record when the claim is done; "
        "repeated failures of the same part turn repairs into an exchange.",
    )
    # Eligibility decision, as check_warranty answered at appraisal
    eligible = fields.Boolean(readonly=True, copy=False, tracking=True)
    eligibility_reason = fields.Selection(
        selection="_selection_eligibility_reason", readonly=True, copy=False
    )
    eligibility_code = fields.Char(readonly=True, copy=False)
    remedy = fields.Selection(
        selection="_selection_remedy",
        string="Remedy Allowed",
        readonly=True,
        copy=False,
    )
    provider_id = fields.Many2one(
        comodel_name="res.partner",
        string="Warranty Provider",
        readonly=True,
        copy=False,
        check_company=True,
    )
    # Costs
    line_ids = fields.One2many(
        comodel_name="aftersales.claim.line",
        inverse_name="claim_id",
        string="Parts and Labour",
        copy=True,
    )
    parts_cost = fields.Monetary(compute="_compute_costs", store=True)
    labour_cost = fields.Monetary(compute="_compute_costs", store=True)
    total_cost = fields.Monetary(compute="_compute_costs", store=True)
    surcharge_percent = fields.Float(
        string="Surcharge (%)",
        compute="_compute_surcharge_percent",
        store=True,
        readonly=False,
        digits=(16, 2),
        help="Added to the cost of paid service (the voucher's, else 10%).",
    )
    # Signatures (seed 000 §4.4)
    customer_signature = fields.Image(
        copy=False, attachment=True, max_width=1024, max_height=1024
    )
    customer_signed_by = fields.Char(copy=False)
    customer_signed_on = fields.Datetime(copy=False)
    station_signature = fields.Image(
        copy=False, attachment=True, max_width=1024, max_height=1024
    )
    station_signed_by = fields.Char(copy=False)
    station_signed_on = fields.Datetime(copy=False)
    photo_ids = fields.Many2many(
        comodel_name="ir.attachment",
        relation="aftersales_claim_photo_rel",
        column1="claim_id",
        column2="attachment_id",
        string="Photos",
    )
    # Follow-up documents
    sale_order_id = fields.Many2one(
        comodel_name="sale.order",
        string="Quotation",
        readonly=True,
        copy=False,
        check_company=True,
        groups="aftersales_service.group_aftersales_user",
    )
    quotation_state = fields.Selection(
        related="sale_order_id.state",
        string="Quotation Status",
        groups="aftersales_service.group_aftersales_user",
    )
    quality_report_id = fields.Many2one(
        comodel_name="aftersales.quality.report",
        readonly=True,
        copy=False,
        check_company=True,
        groups="aftersales_service.group_aftersales_user",
    )
    compensation_move_id = fields.Many2one(
        comodel_name="account.move",
        string="Repair Fee Bill",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
        groups="aftersales_service.group_aftersales_user",
        help="The station's vendor bill that paid this claim's labour.",
    )
    rejection_reason = fields.Text(readonly=True, copy=False, tracking=True)
    return_line_ids = fields.One2many(
        comodel_name="aftersales.claim.line",
        compute="_compute_return_line_ids",
        string="Parts to Return",
    )
    supplier_amount = fields.Monetary(
        compute="_compute_supplier_amount",
        store=True,
        groups="aftersales_service.group_aftersales_user",
        help="What the responsible supplier owes for this approved claim.",
    )
    deposit_movement_ids = fields.One2many(
        comodel_name="aftersales.supplier.deposit.movement",
        inverse_name="claim_id",
        string="Deposit Deductions",
        readonly=True,
        groups="aftersales_service.group_aftersales_user",
    )

    # ------------------------------------------------------------------
    # Selections and group expansion
    # ------------------------------------------------------------------

    @api.model
    def _selection_eligibility_reason(self):
        Voucher = self.env["aftersales.warranty.voucher"]
        return [(code, Voucher._reason_label(code)) for code in REASON_CODES]

    @api.model
    def _selection_remedy(self):
        Voucher = self.env["aftersales.warranty.voucher"]
        return [(code, Voucher._remedy_label(code)) for code in warranty.REMEDIES]

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("lot_id")
    def _compute_voucher_id(self):
        found = self.env["aftersales.warranty.voucher"]._find_for_documents(self)
        for claim in self:
            claim.voucher_id = found[claim]

    @api.depends("line_ids.subtotal", "line_ids.line_type")
    def _compute_costs(self):
        for claim in self:
            parts = claim.line_ids.filtered(lambda line: line.line_type == "part")
            labour = claim.line_ids - parts
            claim.parts_cost = sum(parts.mapped("subtotal"))
            claim.labour_cost = sum(labour.mapped("subtotal"))
            claim.total_cost = claim.parts_cost + claim.labour_cost

    @api.depends("voucher_id")
    def _compute_surcharge_percent(self):
        for claim in self:
            claim.surcharge_percent = (
                claim.voucher_id.sudo().surcharge_percent if claim.voucher_id else 10.0
            )

    @api.depends("line_ids.return_required")
    def _compute_return_line_ids(self):
        for claim in self:
            claim.return_line_ids = claim.line_ids.filtered("return_required")

    @api.depends("state", "responsibility", "supplier_id", "total_cost")
    def _compute_supplier_amount(self):
        for claim in self:
            claim.supplier_amount = (
                claim.total_cost
                if claim.responsibility == "supplier"
                and claim.supplier_id
                and claim.state in ("approved", "done")
                else 0.0
            )

    # ------------------------------------------------------------------
    # Constraints and CRUD
    # ------------------------------------------------------------------

    @api.constrains("responsibility", "supplier_id")
    def _check_supplier(self):
        for claim in self:
            if claim.responsibility == "supplier" and not claim.supplier_id:
                raise ValidationError(
                    self.env._(
                        "Claim %(claim)s blames a supplier's part: name the "
                        "supplier.",
                        claim=claim.name,
                    )
                )

    @api.constrains("mileage", "failure_date", "date")
    def _check_values(self):
        for claim in self:
            if not math.isfinite(claim.mileage) or claim.mileage < 0:
                raise ValidationError(
                    self.env._("The mileage must be a number of km, not negative.")
                )
            if claim.failure_date > claim.date:
                raise ValidationError(
                    self.env._(
                        "Claim %(claim)s: the failure cannot come after the claim.",
                        claim=claim.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "New") == "New":
                company = self.env["res.company"].browse(vals.get("company_id"))
                # Stations file claims from the portal, without sequence rights.
                vals["name"] = (
                    self.env["ir.sequence"]
                    .sudo()
                    .with_company(company or self.env.company)
                    .next_by_code("aftersales.claim")
                    or "New"
                )
        claims = super().create(vals_list)
        claims._stamp_signatures(vals_list and set().union(*vals_list))
        return claims

    def write(self, vals):
        self._check_signatures_open(vals.keys())
        result = super().write(vals)
        self._stamp_signatures(vals)
        return result

    def _check_signatures_open(self, names):
        """Approved claims keep their signatures, whoever writes (the portal's
        sudo included); only their own transitions stamp them."""
        if not SIGNATURE_FIELDS & set(names) or self._written_by_transition():
            return
        for claim in self:
            if claim.state in SIGNATURE_LOCKED_STATES:
                raise UserError(
                    self.env._(
                        "Claim %(claim)s is %(state)s: its signatures are locked "
                        "and can no longer change.",
                        claim=claim.name,
                        state=claim._state_label(claim.state),
                    )
                )

    def _stamp_signatures(self, names):
        """Signing fills Signed On; clearing a signature clears it."""
        now = fields.Datetime.now()
        for role in ("customer", "station"):
            if f"{role}_signature" not in names:
                continue
            for claim in self:
                signed = bool(claim[f"{role}_signature"])
                if signed != bool(claim[f"{role}_signed_on"]):
                    claim._workflow_write({f"{role}_signed_on": signed and now})

    @api.constrains("photo_ids")
    def _check_photos(self):
        """Photos are images of a sane size, whoever uploads them."""
        for attachment in self.sudo().photo_ids:
            raw = attachment.raw or b""
            if guess_mimetype(raw) not in PHOTO_MIMETYPES:
                raise ValidationError(
                    self.env._(
                        "%(name)s is not a photo: attach PNG, JPEG, GIF or WebP "
                        "images.",
                        name=attachment.name,
                    )
                )
            if len(raw) > PHOTO_MAX_BYTES:
                raise ValidationError(
                    self.env._(
                        "%(name)s is larger than %(size)s MB.",
                        name=attachment.name,
                        size=PHOTO_MAX_BYTES // (1024 * 1024),
                    )
                )

    def _check_lines_editable(self):
        """Parts and labour are the claim's cost: frozen once approved."""
        for claim in self:
            if claim.state in ("approved", "done"):
                raise UserError(
                    self.env._(
                        "Claim %(claim)s is %(state)s: its parts and labour can "
                        "no longer change.",
                        claim=claim.name,
                        state=claim._state_label(claim.state),
                    )
                )

    def _portal_editable_by(self, station):
        """Whether the portal lets ``station`` change these claims now."""
        return all(
            claim.station_id == station and claim.state in PORTAL_EDITABLE_STATES
            for claim in self
        )

    def _portal_check_editable(self, station):
        """The portal edits a claim for its station while it is being filed."""
        for claim in self:
            if claim.station_id != station:
                raise UserError(
                    self.env._(
                        "Claim %(claim)s is not your station's.", claim=claim.name
                    )
                )
            if claim.state not in PORTAL_EDITABLE_STATES:
                raise UserError(
                    self.env._(
                        "Claim %(claim)s can no longer be changed from the "
                        "portal: it is %(state)s.",
                        claim=claim.name,
                        state=claim._state_label(claim.state),
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(claim.state != "draft" for claim in self):
            raise UserError(
                self.env._("Only draft claims can be deleted; reject the others.")
            )

    def _compute_access_url(self):
        result = super()._compute_access_url()
        for claim in self:
            claim.access_url = f"/my/claims/{claim.id}"
        return result

    @api.onchange("ticket_id")
    def _onchange_ticket_id(self):
        ticket = self.ticket_id
        if ticket:
            self.partner_id = self.partner_id or ticket.partner_id
            self.product_id = self.product_id or ticket.product_id
            self.lot_id = self.lot_id or ticket.lot_id
            self.station_id = self.station_id or ticket.station_id

    @api.onchange("lot_id")
    def _onchange_lot_id(self):
        if self.lot_id:
            self.product_id = self.lot_id.product_id

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------

    def _check_user(self):
        self._check_group(
            "aftersales_service.group_aftersales_user",
            self.env._("Only after-sales users handle warranty claims."),
        )

    def action_submit(self):
        self._check_user()
        for claim in self:
            if not claim.fault_phenomenon:
                raise UserError(
                    self.env._(
                        "Describe the fault phenomenon of claim %(claim)s before "
                        "submitting it.",
                        claim=claim.name,
                    )
                )
        self._move_to("submitted")
        return True

    def action_appraise(self):
        self._check_user()
        for claim in self:
            if not (
                claim.responsibility and claim.handling_method and claim.partner_id
            ):
                raise UserError(
                    self.env._(
                        "Claim %(claim)s needs a customer, a responsibility and a "
                        "handling method to be appraised.",
                        claim=claim.name,
                    )
                )
        self._move_to("appraised")
        self._check_eligibility()
        return True

    def action_check_warranty(self):
        """Ask check_warranty again; the answer is decided once approved."""
        self._check_user()
        for claim in self:
            if claim.state not in ("draft", "submitted", "appraised"):
                raise UserError(
                    self.env._(
                        "Claim %(claim)s is %(state)s: its eligibility is decided.",
                        claim=claim.name,
                        state=claim._state_label(claim.state),
                    )
                )
        self._check_eligibility()
        return True

    def action_approve(self):
        self._check_manager()
        self._move_to("approved")
        self._create_quality_reports()
        self._propose_supplier_deductions()
        return True

    def action_reject(self):
        self._check_manager()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reject Claims"),
            "res_model": "aftersales.claim.reject",
            "view_mode": "form",
            "target": "new",
            "context": {"default_claim_ids": self.ids},
        }

    def action_reset_to_draft(self):
        self._check_user()
        self._move_to("draft")
        return True

    def action_done(self):
        self._check_user()
        self._lock_rows()
        for claim in self:
            if claim.handling_method == "paid_repair" and claim.quotation_state != (
                "sale"
            ):
                raise UserError(
                    self.env._(
                        "Claim %(claim)s is paid service: the customer must accept "
                        "its quotation before the work is done.",
                        claim=claim.name,
                    )
                )
        self._move_to("done")
        self._record_repairs()
        return True

    def action_create_quotation(self):
        """Quotation of out-of-warranty work: cost plus the surcharge."""
        self.ensure_one()
        self._check_user()
        self._lock_rows()
        if self.sale_order_id:
            return self.action_view_quotation()
        if self.handling_method != "paid_repair" or self.state not in (
            "appraised",
            "approved",
        ):
            raise UserError(
                self.env._(
                    "Only an appraised claim handled as paid repair is quoted to "
                    "the customer."
                )
            )
        if not self.line_ids:
            raise UserError(self.env._("Add the parts and labour to quote first."))
        order = self.env["sale.order"].create(self._prepare_quotation_vals())
        self._workflow_write({"sale_order_id": order.id})
        self.message_post(
            body=self.env._("Quotation %(order)s created.", order=order.name)
        )
        return self.action_view_quotation()

    def action_view_quotation(self):
        self.ensure_one()
        return self.sale_order_id.get_formview_action()

    def _check_manager(self):
        self._check_group(
            "aftersales_service.group_aftersales_manager",
            self.env._("Only after-sales managers approve or reject claims."),
        )

    def _reject(self, reason):
        self._check_manager()
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason of the rejection."))
        self._move_to("rejected", rejection_reason=reason.strip())

    def _check_eligibility(self):
        for claim in self:
            voucher = claim.voucher_id.sudo()
            if voucher:
                answer = voucher._answer(
                    claim.failure_date,
                    mileage=claim.mileage or None,
                    part=claim.part_id.id or None,
                    cause=CAUSE_OF.get(claim.responsibility),
                )
            else:
                answer = self.env["aftersales.warranty.voucher"].check_warranty(
                    claim.lot_id.name or "", date=claim.failure_date
                )
            claim._workflow_write(
                {
                    "eligible": answer["eligible"],
                    "eligibility_code": answer["reason"],
                    # Codes: the labels are translated when read.
                    "eligibility_reason": answer["reason"],
                    "remedy": answer["remedy"] or False,
                    "provider_id": answer["provider_id"],
                }
            )

    def _propose_supplier_deductions(self):
        """Propose to deduct a supplier's cost from its warranty deposit (seed 003).

        The claim's approval is the authority for the proposal, which the
        after-sales manager confirms and finance posts.
        """
        Deposit = self.env["aftersales.supplier.deposit"].sudo()
        Movement = self.env["aftersales.supplier.deposit.movement"].sudo()
        today = fields.Date.context_today(self)
        for claim in self.filtered(lambda c: c.supplier_amount > 0):
            live = claim.sudo().deposit_movement_ids.filtered(
                lambda m: m.state != "cancel"
                and not m.reversed
                and not m.reversal_of_id
            )
            if live:
                continue
            deposit = Deposit._find_for_claim(claim)
            if not deposit:
                claim.message_post(
                    body=self.env._(
                        "No open warranty deposit of %(supplier)s bears this "
                        "claim's cost: register the deduction by hand.",
                        supplier=claim.supplier_id.display_name,
                    )
                )
                continue
            movement = Movement.create(
                {
                    "name": self.env._(
                        "After-sales cost of claim %(claim)s", claim=claim.name
                    ),
                    "deposit_id": deposit.id,
                    "kind": "deduction",
                    "claim_id": claim.id,
                    "amount": claim.currency_id._convert(
                        claim.supplier_amount,
                        deposit.currency_id,
                        claim.company_id,
                        today,
                    ),
                    "reason": claim.fault_phenomenon or claim.name,
                }
            )
            claim.message_post(
                body=self.env._(
                    "Deduction of %(amount)s proposed on warranty deposit "
                    "%(deposit)s.",
                    amount=deposit.currency_id.format(movement.amount),
                    deposit=deposit.display_name,
                )
            )

    def action_view_deposit_deductions(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Deposit Deductions"),
            "res_model": "aftersales.supplier.deposit.movement",
            "view_mode": "list,form",
            "domain": [("claim_id", "=", self.id)],
        }

    def action_view_quality_report(self):
        self.ensure_one()
        self.check_access("read")
        return self.quality_report_id.get_formview_action()

    def _create_quality_reports(self):
        """A product defect becomes quality information (seed 000 §4.3.3)."""
        Report = self.env["aftersales.quality.report"]
        for claim in self.filtered(
            lambda c: c.responsibility in ("manufacturing", "supplier")
            and not c.quality_report_id
        ):
            report = Report._workflow_create([claim._prepare_quality_report()])
            claim._workflow_write({"quality_report_id": report.id})

    def _prepare_quality_report(self):
        self.ensure_one()
        return {
            "company_id": self.company_id.id,
            "claim_id": self.id,
            "product_id": self.product_id.id,
            "lot_id": self.lot_id.id,
            "part_id": self.part_id.id,
            "supplier_id": self.supplier_id.id,
            "description": self.fault_phenomenon,
            "cause_analysis": self.cause_analysis,
        }

    def _record_repairs(self):
        """Done repairs go to the voucher's repair record."""
        Repair = self.env["aftersales.warranty.voucher.repair"].sudo()
        vals_list = [
            {
                "voucher_id": claim.voucher_id.id,
                "date": claim.date,
                "part_id": claim.part_id.id,
                "fault": claim.fault_phenomenon or claim.name,
                "work": claim.handling_note or claim.name,
                "result": claim.repair_result or "fixed",
                "repaired_by_id": claim.station_id.partner_id.id,
                "mileage": claim.mileage,
            }
            for claim in self
            if claim.voucher_id and claim.handling_method == "repair"
        ]
        Repair.create(vals_list)

    def _prepare_quotation_vals(self):
        self.ensure_one()
        labour = self.env.ref("aftersales_service.product_aftersales_labour")
        lines = []
        for line in self.line_ids:
            product = line.product_id if line.line_type == "part" else labour
            price = warranty.out_of_warranty_quote(
                line.unit_cost,
                self.surcharge_percent,
                rounding=self.currency_id.rounding,
            ).total
            lines.append(
                Command.create(
                    {
                        "product_id": product.id,
                        "name": line.name or product.display_name,
                        "product_uom_qty": line.quantity,
                        "price_unit": price,
                        "tax_id": [Command.clear()],
                    }
                )
            )
        return {
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "origin": self.name,
            "client_order_ref": self.lot_id.name or False,
            "order_line": lines,
        }

    # ------------------------------------------------------------------
    # Repair fees paid to the stations (seed 004 §3 A)
    # ------------------------------------------------------------------

    @api.model
    def _repair_fee_domain(self, date_to):
        """Claims whose labour the company owes their station, until ``date_to``.

        Only covered warranty work: paid service is the customer's, quoted and
        invoiced to them, and work refused as not covered is not paid for.
        """
        return [
            ("state", "in", ("approved", "done")),
            ("eligible", "=", True),
            ("handling_method", "!=", "paid_repair"),
            ("compensation_move_id", "=", False),
            ("station_id", "!=", False),
            ("labour_cost", ">", 0),
            ("date", "<=", date_to),
        ]

    @api.model
    def _bill_repair_fees(self, date_to=None):
        """One vendor bill per station for the labour of its covered claims.

        A claim is billed once: the claims are locked (SKIP LOCKED, so that a
        second run at the same time leaves them to the first) and marked with
        their bill.
        """
        date_to = date_to or fields.Date.context_today(self)
        claims = self._lock_batch(self._repair_fee_domain(date_to), limit=None)
        bills = self.env["account.move"]
        labour = self.env.ref("aftersales_service.product_aftersales_labour")
        for (company, station), station_claims in claims.grouped(
            lambda c: (c.company_id, c.station_id)
        ).items():
            bill = (
                self.env["account.move"]
                .with_company(company)
                .create(
                    {
                        "move_type": "in_invoice",
                        "partner_id": station.partner_id.id,
                        "invoice_date": date_to,
                        "ref": self.env._("Repair fees until %(date)s", date=date_to),
                        "invoice_line_ids": [
                            Command.create(
                                {
                                    "product_id": labour.id,
                                    "name": self.env._(
                                        "Labour of claim %(claim)s", claim=claim.name
                                    ),
                                    "quantity": 1,
                                    "price_unit": claim.labour_cost,
                                    "tax_ids": [Command.clear()],
                                }
                            )
                            for claim in station_claims
                        ],
                    }
                )
            )
            station_claims._workflow_write({"compensation_move_id": bill.id})
            bills |= bill
        return bills

    @api.model
    def _action_bill_repair_fees(self):
        """Bill Repair Fees (menu): bill the fees due and show the bills."""
        self._check_group(
            "aftersales_service.group_aftersales_finance",
            self.env._("Only after-sales finance bills the stations' repair fees."),
        )
        bills = self._bill_repair_fees()
        if not bills:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "info",
                    "title": self.env._("Nothing to bill"),
                    "message": self.env._(
                        "No approved warranty claim has repair fees left to bill."
                    ),
                    "sticky": False,
                },
            }
        action = self.env["ir.actions.actions"]._for_xml_id(
            "account.action_move_in_invoice_type"
        )
        if len(bills) == 1:
            action.update(
                views=[(self.env.ref("account.view_move_form").id, "form")],
                view_mode="form",
                res_id=bills.id,
            )
        else:
            action["domain"] = [("id", "in", bills.ids)]
        return action

    @api.model
    def _cron_bill_repair_fees(self):
        """Monthly: bill the labour of the claims approved until month end."""
        today = fields.Date.context_today(self)
        return self._bill_repair_fees(today.replace(day=1) - timedelta(days=1))
