# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class AftersalesClaim(models.Model):
    """A claim's case note for the stations (knowledge)."""

    _inherit = "aftersales.claim"

    case_note_ids = fields.One2many(
        comodel_name="aftersales.case.note",
        inverse_name="claim_id",
        string="Case Notes",
        readonly=True,
    )

    def action_publish_case_note(self):
        """Publish the claim's repair case to the stations of its product's
        category (managers); a claim already written up opens its note."""
        self.ensure_one()
        self._check_group(
            "aftersales_service.group_aftersales_manager",
            self.env._("Only after-sales managers publish case notes."),
        )
        Note = self.env["aftersales.case.note"]
        note = self.case_note_ids[:1]
        if not note:
            Note._check_claim_publishable(self)
            note = Note.create(Note._prepare_from_claim(self))
            note.action_publish()
            self.message_post(
                body=self.env._(
                    "Case note %(note)s published to the stations.",
                    note=note.name,
                )
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "aftersales.case.note",
            "res_id": note.id,
            "view_mode": "form",
        }
