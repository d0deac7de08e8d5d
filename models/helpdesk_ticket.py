# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, html2plaintext

SERVICE_TYPES = [
    ("warranty", "Warranty Service"),
    ("spare_parts", "Spare Parts"),
    ("technical", "Technical Service"),
    ("consultation", "Consultation"),
    ("training", "Training"),
]
# Changing these changes which SLA rules apply to a ticket.
SLA_FIELDS = {"priority", "region_id", "aftersales_service_type", "team_id"}
TOP_PRIORITY = "3"


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"
    # Our links (station, serial, voucher) must stay within the ticket's company.
    _check_company_auto = True

    # The customer too: linking another company's contact would show its name.
    partner_id = fields.Many2one(check_company=True)
    aftersales_service_type = fields.Selection(
        selection=SERVICE_TYPES,
        string="Service Type",
        tracking=True,
        help="The five services of the after-sales department (seed 000 §4.3).",
    )
    product_id = fields.Many2one(
        comodel_name="product.product",
        string="Product",
        tracking=True,
        check_company=True,
    )
    lot_id = fields.Many2one(
        comodel_name="stock.lot",
        string="Serial/Lot",
        domain="[('product_id', '=?', product_id)]",
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
    warranty_eligible = fields.Boolean(compute="_compute_warranty_answer")
    warranty_status = fields.Char(
        compute="_compute_warranty_answer",
        help="What the warranty check answers for this serial on the day the "
        "ticket was opened.",
    )
    warranty_remedy = fields.Char(compute="_compute_warranty_answer")
    station_id = fields.Many2one(
        comodel_name="aftersales.station",
        string="Service Station",
        index="btree_not_null",
        tracking=True,
        check_company=True,
    )
    region_id = fields.Many2one(
        comodel_name="aftersales.region",
        string="Region",
        compute="_compute_region_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        tracking=True,
        check_company=True,
    )
    aftersales_response_class = fields.Selection(
        related="region_id.response_class",
        store=True,
        string="Response Class",
    )
    aftersales_reply_deadline = fields.Datetime(
        string="Reply Deadline", compute="_compute_aftersales_deadlines", store=True
    )
    aftersales_onsite_deadline = fields.Datetime(
        string="On-Site Deadline", compute="_compute_aftersales_deadlines", store=True
    )
    aftersales_resolve_deadline = fields.Datetime(
        string="Resolution Deadline",
        compute="_compute_aftersales_deadlines",
        store=True,
    )
    # Whether each step is late (missed, or running past its deadline): a
    # deadline met in time is not, though it lies in the past.
    aftersales_reply_late = fields.Boolean(
        string="Reply Overdue", compute="_compute_aftersales_late"
    )
    aftersales_onsite_late = fields.Boolean(
        string="On-Site Overdue", compute="_compute_aftersales_late"
    )
    aftersales_resolve_late = fields.Boolean(
        string="Resolution Overdue", compute="_compute_aftersales_late"
    )
    aftersales_next_deadline = fields.Datetime(
        string="Next Deadline",
        compute="_compute_aftersales_deadlines",
        store=True,
        index=True,
        help="The earliest deadline still running.",
    )
    return_visit_date = fields.Date(readonly=True, copy=False, tracking=True)
    return_visit_result = fields.Selection(
        selection=[
            ("satisfied", "Satisfied"),
            ("neutral", "Neutral"),
            ("dissatisfied", "Dissatisfied"),
            ("unreachable", "Unreachable"),
        ],
        readonly=True,
        copy=False,
        tracking=True,
    )
    return_visit_note = fields.Text(readonly=True, copy=False)
    claim_ids = fields.One2many(
        comodel_name="aftersales.claim",
        inverse_name="ticket_id",
        string="Warranty Claims",
    )
    claim_count = fields.Integer(compute="_compute_claim_count")

    @api.depends("claim_ids")
    def _compute_claim_count(self):
        for ticket in self:
            ticket.claim_count = len(ticket.claim_ids)

    def action_create_claim(self):
        """Open a new claim filled from the ticket."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "aftersales.claim",
            "view_mode": "form",
            "target": "current",
            "context": {
                "default_ticket_id": self.id,
                "default_partner_id": self.partner_id.commercial_partner_id.id,
                "default_product_id": self.product_id.id,
                "default_lot_id": self.lot_id.id,
                "default_station_id": self.station_id.id,
                "default_company_id": self.company_id.id,
                "default_fault_phenomenon": html2plaintext(self.description or ""),
            },
        }

    def action_view_claims(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "aftersales_service.aftersales_claim_action"
        )
        action.update(
            domain=[("ticket_id", "=", self.id)],
            context={"default_ticket_id": self.id},
        )
        return action

    @api.depends("lot_id")
    def _compute_voucher_id(self):
        found = self.env["aftersales.warranty.voucher"]._find_for_documents(self)
        for ticket in self:
            ticket.voucher_id = found[ticket]

    # Labels in the reader's language, computed when shown (never stored).
    @api.depends("voucher_id", "create_date")
    @api.depends_context("lang")
    def _compute_warranty_answer(self):
        with_voucher = self.filtered("voucher_id")
        # All the tickets shown at once, in the check's two queries.
        vouchers = (
            self.env["aftersales.warranty.voucher"]
            .sudo()
            .browse([ticket.voucher_id.id for ticket in with_voucher])
        )
        questions = [
            {"date": (ticket.create_date or fields.Datetime.now()).date()}
            for ticket in with_voucher
        ]
        answers = dict(zip(with_voucher, vouchers._answers(questions), strict=True))
        unknown = self.env["aftersales.warranty.voucher"]._reason_label(
            "unknown_serial"
        )
        for ticket in self:
            answer = answers.get(ticket)
            if answer is None:
                answer = {"reason_label": unknown} if ticket.lot_id else {}
            ticket.warranty_eligible = answer.get("eligible", False)
            ticket.warranty_status = answer.get("reason_label", False)
            ticket.warranty_remedy = answer.get("remedy_label", False)

    @api.depends("station_id", "partner_id")
    def _compute_region_id(self):
        Region = self.env["aftersales.region"]
        for ticket in self:
            if ticket.station_id.region_id:
                ticket.region_id = ticket.station_id.region_id
            elif not ticket.region_id:
                ticket.region_id = Region._find_for_partner(
                    ticket.partner_id.commercial_partner_id
                )

    @api.depends(
        "ticket_sla_ids.deadline",
        "ticket_sla_ids.state",
        "ticket_sla_ids.sla_id.aftersales_kind",
    )
    def _compute_aftersales_deadlines(self):
        for ticket in self:
            by_kind = {}
            for line in ticket.ticket_sla_ids:
                kind = line.sla_id.aftersales_kind
                if kind and line.deadline:
                    by_kind[kind] = min(by_kind.get(kind, line.deadline), line.deadline)
            ticket.aftersales_reply_deadline = by_kind.get("reply", False)
            ticket.aftersales_onsite_deadline = by_kind.get("on_site", False)
            ticket.aftersales_resolve_deadline = by_kind.get("resolution", False)
            running = ticket.ticket_sla_ids.filtered(
                lambda line: line.state == "in_progress" and line.deadline
            )
            ticket.aftersales_next_deadline = min(
                running.mapped("deadline"), default=False
            )

    @api.depends(
        "ticket_sla_ids.deadline",
        "ticket_sla_ids.state",
        "ticket_sla_ids.sla_id.aftersales_kind",
    )
    def _compute_aftersales_late(self):
        for ticket in self:
            late = {
                line.sla_id.aftersales_kind
                for line in ticket.ticket_sla_ids
                if line.expired
            }
            ticket.aftersales_reply_late = "reply" in late
            ticket.aftersales_onsite_late = "on_site" in late
            ticket.aftersales_resolve_late = "resolution" in late

    @api.constrains("lot_id", "product_id")
    def _check_lot_product(self):
        for ticket in self:
            if (
                ticket.lot_id
                and ticket.product_id
                and ticket.lot_id.product_id != ticket.product_id
            ):
                raise ValidationError(
                    self.env._(
                        "Serial/lot %(lot)s is not a %(product)s.",
                        lot=ticket.lot_id.name,
                        product=ticket.product_id.display_name,
                    )
                )

    @api.onchange("lot_id")
    def _onchange_lot_id(self):
        if self.lot_id and not self.product_id:
            self.product_id = self.lot_id.product_id

    def _get_sla_ticket_domain(self):
        domain = super()._get_sla_ticket_domain()
        priority = self.priority or "0"
        return domain + [
            "|",
            ("aftersales_priority_min", "=", False),
            ("aftersales_priority_min", "<=", priority),
            "|",
            ("aftersales_priority_max", "=", False),
            ("aftersales_priority_max", ">=", priority),
            (
                "aftersales_response_class",
                "in",
                [False, self.aftersales_response_class],
            ),
        ]

    def write(self, vals):
        closing = self.browse()
        if vals.get("stage_id"):
            stage = self.env["helpdesk.ticket.stage"].browse(vals["stage_id"])
            if stage.aftersales_return_visit:
                closing = self.filtered(lambda t: t.stage_id != stage)
        result = super().write(vals)
        if SLA_FIELDS & set(vals) and not self.env.context.get("aftersales_keep_sla"):
            for ticket in self.filtered("team_id.use_sla"):
                ticket.refresh_sla()
        if closing:
            closing._schedule_return_visit()
        return result

    def _schedule_return_visit(self):
        """A return visit (回访) the day after the ticket is closed (seed 004)."""
        activity_type = self.env.ref(
            "aftersales_service.mail_activity_type_return_visit"
        )
        tomorrow = fields.Date.context_today(self) + timedelta(days=1)
        for ticket in self:
            ticket.activity_schedule(
                activity_type_id=activity_type.id,
                date_deadline=tomorrow,
                user_id=(ticket.user_id or self.env.user).id,
                summary=self.env._(
                    "Call %(customer)s back",
                    customer=ticket.partner_name or ticket.partner_id.name,
                ),
            )

    def action_open_return_visit(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Return Visit"),
            "res_model": "helpdesk.ticket.return.visit",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

    def _record_return_visit(self, result, note):
        self.ensure_one()
        self.write(
            {
                "return_visit_date": fields.Date.context_today(self),
                "return_visit_result": result,
                "return_visit_note": note,
            }
        )
        activity_type = self.env.ref(
            "aftersales_service.mail_activity_type_return_visit"
        )
        visits = self.activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        )
        labels = dict(
            self._fields["return_visit_result"]._description_selection(self.env)
        )
        feedback = labels[result] + (f": {note}" if note else "")
        visits.action_feedback(feedback=feedback)

    # ------------------------------------------------------------------
    # Escalation of overdue tickets
    # ------------------------------------------------------------------

    @api.model
    def _cron_escalate_overdue(self, batch_size=200):
        """Escalate each breached SLA once: activity, priority, chatter.

        Lines are locked with SKIP LOCKED, so that two cron workers never
        escalate the same breach; each batch is committed by the cron runner.
        """
        TicketSla = self.env["helpdesk.ticket.sla"]
        domain = [
            ("expired", "=", True),
            ("aftersales_escalated", "=", False),
            ("ticket_id.stage_id.closed", "=", False),
        ]
        candidates = TicketSla.search(domain, limit=batch_size, order="deadline, id")
        locked = TicketSla.browse()
        if candidates:
            self.env.cr.execute(
                SQL(
                    """
                    SELECT id FROM helpdesk_ticket_sla
                     WHERE id IN %s AND NOT COALESCE(aftersales_escalated, FALSE)
                       FOR UPDATE SKIP LOCKED
                    """,
                    tuple(candidates.ids),
                )
            )
            locked = TicketSla.browse([row[0] for row in self.env.cr.fetchall()])
        for ticket, lines in locked.grouped("ticket_id").items():
            ticket._escalate(lines)
        locked.write({"aftersales_escalated": True})
        remaining = (
            TicketSla.search_count(domain) if len(candidates) == batch_size else 0
        )
        self.env["ir.cron"]._notify_progress(done=len(locked), remaining=remaining)
        return locked

    def _escalate(self, breached_lines):
        self.ensure_one()
        manager = self.region_id.manager_id or self.team_id.user_id or self.user_id
        names = ", ".join(breached_lines.mapped("name"))
        if self.priority < TOP_PRIORITY:
            self.with_context(aftersales_keep_sla=True).priority = str(
                int(self.priority) + 1
            )
        self.message_post(
            body=Markup("%s")
            % self.env._(
                "Overdue: %(slas)s. Escalated to %(manager)s.",
                slas=names,
                manager=manager.name or self.env._("nobody"),
            ),
            subtype_xmlid="mail.mt_note",
        )
        if manager:
            self.activity_schedule(
                act_type_xmlid="mail.mail_activity_data_todo",
                user_id=manager.id,
                summary=self.env._("Overdue ticket: %(slas)s", slas=names),
            )
