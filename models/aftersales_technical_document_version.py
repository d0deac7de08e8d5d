# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError

# What a released version keeps: its file and its name. A correction is a
# new version; the older ones stay, as the stations may have printed them.
FROZEN_FIELDS = frozenset({"datas", "filename", "name", "document_id"})


class AftersalesTechnicalDocumentVersion(models.Model):
    """One released version of a technical document, with its file."""

    _name = "aftersales.technical.document.version"
    _description = "Technical Document Version"
    _order = "document_id, date desc, sequence desc, id desc"
    _check_company_auto = True

    document_id = fields.Many2one(
        comodel_name="aftersales.technical.document",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="document_id.company_id", store=True)
    name = fields.Char(string="Version", required=True)
    sequence = fields.Integer(default=10)
    date = fields.Date(
        string="Release Date", required=True, default=fields.Date.context_today
    )
    datas = fields.Binary(string="File", required=True, attachment=True)
    filename = fields.Char(required=True)
    note = fields.Text(string="Changes")
    download_count = fields.Integer(
        compute="_compute_download_count",
        groups="aftersales_service.group_aftersales_manager",
    )

    _sql_constraints = [
        (
            "name_document_uniq",
            "unique(document_id, name)",
            "A version name must be unique per document.",
        ),
    ]

    def _compute_download_count(self):
        counts = dict(
            self.env["aftersales.technical.document.download"]._read_group(
                [("version_id", "in", self.ids)], ["version_id"], ["__count"]
            )
        )
        for version in self:
            version.download_count = counts.get(version, 0)

    @api.depends("name", "date")
    def _compute_display_name(self):
        for version in self:
            version.display_name = f"{version.name} ({version.date or ''})"

    def write(self, vals):
        frozen = vals.keys() & FROZEN_FIELDS
        if frozen and not self.env.su:
            self.check_access("write")
            raise UserError(
                self.env._(
                    "A released version keeps its file and name: add a new "
                    "version instead."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never_downloaded(self):
        logged = (
            self.env["aftersales.technical.document.download"]
            .sudo()
            .search([("version_id", "in", self.ids)], limit=1)
        )
        if logged:
            raise UserError(
                self.env._(
                    "Version %(version)s was downloaded by stations: keep it; "
                    "archive the document or add a new version instead.",
                    version=logged.version_id.display_name,
                )
            )
