# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class AftersalesClaimReject(models.TransientModel):
    _name = "aftersales.claim.reject"
    _description = "Reject Warranty Claims"

    claim_ids = fields.Many2many(
        comodel_name="aftersales.claim",
        relation="aftersales_claim_reject_rel",
        column1="wizard_id",
        column2="claim_id",
        string="Claims",
        required=True,
    )
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.claim_ids._check_manager()
        self.claim_ids._reject(self.reason.strip())
        for claim in self.claim_ids:
            claim.message_post(body=self.reason.strip(), subtype_xmlid="mail.mt_note")
        return {"type": "ir.actions.act_window_close"}
