# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError

TRANSITIONS = {
    "new": ("analysis",),
    "analysis": ("action",),
    "action": ("closed",),
    "closed": (),
}


class AftersalesQualityReport(models.Model):
    """Quality information (质量信息报表) sent to the quality department."""

    _name = "aftersales.quality.report"
    _description = "Quality Information Report"
    _kanban_folded_states = frozenset({"closed"})
    _inherit = ["mail.thread", "mail.activity.mixin", "aftersales.workflow.mixin"]
    _order = "create_date desc, id desc"
    _check_company_auto = True
    _state_transitions = TRANSITIONS
    _workflow_fields = frozenset({"state", "claim_id"})
    _final_states = {"closed": frozenset()}

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="New"
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    state = fields.Selection(
        selection=[
            ("new", "New"),
            ("analysis", "In Analysis"),
            ("action", "Corrective Action"),
            ("closed", "Closed"),
        ],
        string="Status",
        required=True,
        default="new",
        readonly=True,
        tracking=True,
        index=True,
        group_expand=True,
    )
    severity = fields.Selection(
        selection=[("minor", "Minor"), ("major", "Major")],
        required=True,
        default="minor",
        tracking=True,
        help="Major issues are closed only with the signed written agreement "
        "attached (seed 000 §4.3.7).",
    )
    claim_id = fields.Many2one(
        comodel_name="aftersales.claim",
        readonly=True,
        index="btree_not_null",
        check_company=True,
    )
    product_id = fields.Many2one(
        comodel_name="product.product", required=True, check_company=True
    )
    lot_id = fields.Many2one(
        comodel_name="stock.lot", string="Serial/Lot", check_company=True
    )
    part_id = fields.Many2one(
        comodel_name="aftersales.warranty.part", string="Part", check_company=True
    )
    supplier_id = fields.Many2one(
        comodel_name="res.partner", string="Supplier", check_company=True
    )
    description = fields.Text(required=True)
    cause_analysis = fields.Text()
    corrective_action = fields.Text(tracking=True)
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Quality Engineer",
        domain="[('share', '=', False)]",
        compute="_compute_user_id",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
    )
    agreement_attachment_id = fields.Many2one(
        comodel_name="ir.attachment",
        string="Signed Agreement",
        help="The written agreement signed with the customer for a major issue.",
    )

    @api.depends("company_id")
    def _compute_user_id(self):
        for report in self:
            if not report.user_id:
                report.user_id = report.company_id.aftersales_quality_user_id

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "New") == "New":
                vals["name"] = (
                    self.env["ir.sequence"].next_by_code("aftersales.quality.report")
                    or "New"
                )
        reports = super().create(vals_list)
        reports._notify_quality_team()
        return reports

    def _notify_quality_team(self):
        for report in self:
            report.activity_schedule(
                act_type_xmlid="mail.mail_activity_data_todo",
                user_id=(report.user_id or self.env.user).id,
                summary=self.env._(
                    "Analyse quality information %(name)s", name=report.name
                ),
            )

    def action_view_claim(self):
        self.ensure_one()
        self.check_access("read")
        return self.claim_id.get_formview_action()

    def action_analyse(self):
        self._check_user()
        self._move_to("analysis")
        return True

    def action_corrective_action(self):
        self._check_user()
        self._move_to("action")
        return True

    def _check_user(self):
        self._check_group(
            "aftersales_service.group_aftersales_user",
            self.env._("Only after-sales users handle quality information."),
        )

    def action_close(self):
        self._check_user()
        for report in self:
            if not report.corrective_action:
                raise UserError(
                    self.env._(
                        "Record the corrective action of %(report)s before "
                        "closing it.",
                        report=report.name,
                    )
                )
            if report.severity == "major" and not report.agreement_attachment_id:
                raise UserError(
                    self.env._(
                        "%(report)s is a major issue: attach the signed written "
                        "agreement before closing it.",
                        report=report.name,
                    )
                )
        self._move_to("closed")
        return True
