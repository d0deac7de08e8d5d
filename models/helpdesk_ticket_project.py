# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError

# The owner's representative signs the service report (服务报告单).
REPORT_SIGNATURE_FIELDS = frozenset(
    {"service_report_signature", "service_report_signed_by"}
)


class HelpdeskTicket(models.Model):
    """Service requests of an engineering project (seed 003).

    Before the project's formal handover a defect is commissioning work of
    the project, not warranty service. An on-site service of a project ends
    only with its service report signed by the owner's representative
    (seed 003 第三章 2(3)).
    """

    _inherit = "helpdesk.ticket"

    project_id = fields.Many2one(
        comodel_name="project.project",
        string="Engineering Project",
        index="btree_not_null",
        check_company=True,
        tracking=True,
        domain="[('is_aftersales_project', '=', True)]",
    )
    aftersales_commissioning = fields.Boolean(
        string="Commissioning",
        compute="_compute_aftersales_commissioning",
        store=True,
        help="Raised before the project's formal handover: a defect handled by "
        "the project as commissioning work, not warranty service.",
    )
    aftersales_on_site = fields.Boolean(
        string="On-Site Service",
        compute="_compute_aftersales_on_site",
        store=True,
        readonly=False,
        precompute=True,
        help="Someone goes to the site: the owner's representative signs the "
        "service report before the request is closed.",
    )
    service_report = fields.Text(
        help="What was found and done on site, as the owner signs it.",
    )
    service_report_signed_by = fields.Char(string="Signed By", copy=False)
    service_report_signature = fields.Image(
        string="Owner's Signature",
        copy=False,
        attachment=True,
        max_width=1024,
        max_height=1024,
    )
    service_report_signed_on = fields.Datetime(
        string="Signed On", readonly=True, copy=False
    )

    # On the project alone: a request raised before the formal handover
    # stays commissioning work once the project is handed over.
    @api.depends("project_id")
    def _compute_aftersales_commissioning(self):
        today = fields.Date.context_today(self)
        for ticket in self:
            project = ticket.project_id
            handover = project.date_formal_handover
            ticket.aftersales_commissioning = bool(
                project.date_provisional_handover
                and not (handover and handover <= today)
            )

    @api.depends("project_id", "aftersales_service_type")
    def _compute_aftersales_on_site(self):
        for ticket in self:
            ticket.aftersales_on_site = bool(
                ticket.project_id
                and ticket.aftersales_service_type in ("warranty", "technical")
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("service_report_signed_on") and not self.env.su:
                raise UserError(self.env._("Signing stamps Signed On, not typing."))
        tickets = super().create(vals_list)
        tickets._stamp_service_report()
        return tickets

    def write(self, vals):
        if "service_report_signed_on" in vals and not self.env.su:
            raise UserError(self.env._("Signing stamps Signed On, not typing."))
        if REPORT_SIGNATURE_FIELDS & set(vals):
            signed_closed = self.filtered(
                lambda t: t.stage_id.closed and t.service_report_signed_on
            )
            if signed_closed:
                raise UserError(
                    self.env._(
                        "Service request %(ticket)s is closed: its signed "
                        "service report can no longer change.",
                        ticket=signed_closed[0].display_name,
                    )
                )
        if vals.get("stage_id"):
            stage = self.env["helpdesk.ticket.stage"].browse(vals["stage_id"])
            if stage.closed:
                self._check_service_report(vals)
        result = super().write(vals)
        if "service_report_signature" in vals:
            self._stamp_service_report()
        return result

    def _check_service_report(self, vals):
        """An on-site service of a project is closed with its service report
        signed by the owner's representative (seed 003 第三章 2(3))."""
        for ticket in self:
            if not (ticket.project_id and ticket.aftersales_on_site):
                continue
            if ticket.stage_id.closed:
                continue
            signature = vals.get(
                "service_report_signature", ticket.service_report_signature
            )
            signed_by = vals.get(
                "service_report_signed_by", ticket.service_report_signed_by
            )
            if not (signature and signed_by):
                raise UserError(
                    self.env._(
                        "Service request %(ticket)s is an on-site service of "
                        "project %(project)s: have the owner's representative "
                        "sign the service report before closing it.",
                        ticket=ticket.display_name,
                        project=ticket.project_id.display_name,
                    )
                )

    def _stamp_service_report(self):
        now = fields.Datetime.now()
        for ticket in self:
            signed = bool(ticket.service_report_signature)
            if signed != bool(ticket.service_report_signed_on):
                ticket.sudo().write({"service_report_signed_on": signed and now})

    def action_print_service_report(self):
        self.ensure_one()
        self.check_access("read")
        return self.env.ref(
            "aftersales_service.action_report_service_report"
        ).report_action(self)

    def action_record_project_cost(self):
        """Record the parts or travel of the request on its project."""
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record a Cost"),
            "res_model": "aftersales.project.cost",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_project_id": self.project_id.id,
                "default_ticket_id": self.id,
                "default_cost_type": "parts",
                "default_name": self.name,
            },
        }
