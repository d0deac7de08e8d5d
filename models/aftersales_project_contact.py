# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .project_project import CONTACT_ACTIVITY


class AftersalesProjectContact(models.Model):
    """A call or visit of a project's owner (seed 003 第四条 3: every two
    weeks; 第二条 3: at least one return visit in the service period)."""

    _name = "aftersales.project.contact"
    _description = "Owner Contact"
    _inherit = ["aftersales.input.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    project_id = fields.Many2one(
        comodel_name="project.project",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        domain="[('is_aftersales_project', '=', True)]",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        related="project_id.company_id",
        store=True,
        index=True,
        precompute=True,
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    kind = fields.Selection(
        selection=[("call", "Call"), ("visit", "Return Visit")],
        required=True,
        default="call",
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Owner Contact",
        check_company=True,
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="By",
        default=lambda self: self.env.user,
        required=True,
    )
    outcome = fields.Text(
        required=True,
        help="How the equipment runs, what the owner asked, what follows.",
    )

    @api.constrains("date")
    def _check_date(self):
        today = fields.Date.context_today(self)
        for contact in self:
            if contact.date > today:
                raise ValidationError(
                    self.env._(
                        "A contact is recorded once it took place: %(date)s is in "
                        "the future.",
                        date=contact.date,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not (vals.get("outcome") or "").strip():
                raise ValidationError(self.env._("Give the outcome of the contact."))
        contacts = super().create(vals_list)
        contacts._close_contact_activities()
        return contacts

    def _close_contact_activities(self):
        """The scheduled contact is done: its activity closes with the
        outcome, and the daily job schedules the next one."""
        activity_type = self.env.ref(CONTACT_ACTIVITY)
        for project, contacts in self.grouped("project_id").items():
            project = project.sudo()
            open_activities = project.activity_ids.filtered(
                lambda a: a.activity_type_id == activity_type
            )
            last = contacts.sorted("date")[-1]
            if open_activities:
                # Logged already: the activity is not logged a second time.
                open_activities.with_context(
                    aftersales_contact_logged=True
                ).action_feedback(feedback=last.outcome)
            project.write({"aftersales_contact_deadline": False})
