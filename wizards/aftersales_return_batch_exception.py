# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class AftersalesReturnBatchException(models.TransientModel):
    """Special approval of a batch outside its window or a second one (art. 7)."""

    _name = "aftersales.return.batch.exception"
    _description = "Return Batch Special Approval"

    batch_ids = fields.Many2many(
        comodel_name="aftersales.return.batch",
        relation="aftersales_return_batch_exception_rel",
        column1="wizard_id",
        column2="batch_id",
        string="Batches",
        required=True,
    )
    reason = fields.Selection(
        selection=[
            ("batch_quality", "Batch Quality Problem"),
            ("other", "Other Exception"),
        ],
        required=True,
        default="batch_quality",
    )
    note = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.batch_ids._approve_exception(self.reason, self.note)
        return {"type": "ir.actions.act_window_close"}
