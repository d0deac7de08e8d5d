# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class AftersalesProjectHandover(models.TransientModel):
    """Record the provisional or formal handover of a project."""

    _name = "aftersales.project.handover"
    _description = "Project Handover"

    project_id = fields.Many2one(comodel_name="project.project", required=True)
    kind = fields.Selection(
        selection=[
            ("provisional", "Provisional Handover"),
            ("formal", "Formal Handover"),
        ],
        required=True,
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    note = fields.Text(help="Posted on the project with the handover.")

    def action_confirm(self):
        self.ensure_one()
        self.project_id._record_handover(self.kind, self.date, note=self.note)
        return {"type": "ir.actions.act_window_close"}
