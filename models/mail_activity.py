# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models
from odoo.tools import html2plaintext

from .project_project import CONTACT_ACTIVITY


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _action_done(self, feedback=False, attachment_ids=None):
        """An owner contact marked done from the chatter is logged with its
        feedback as the outcome (seed 003: the call is recorded)."""
        activity_type = self.env.ref(CONTACT_ACTIVITY, raise_if_not_found=False)
        contacts = [
            (activity.res_id, activity.summary or activity_type.name)
            for activity in self
            if activity_type
            and not self.env.context.get("aftersales_contact_logged")
            and activity.res_model == "project.project"
            and activity.activity_type_id == activity_type
        ]
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        if contacts:
            outcome = html2plaintext(feedback or "").strip()
            self.env["aftersales.project.contact"].sudo().create(
                [
                    {
                        "project_id": project_id,
                        "user_id": self.env.user.id,
                        "outcome": outcome or summary,
                    }
                    for project_id, summary in contacts
                ]
            )
        return result
