# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

DOCUMENT_KINDS = [
    ("manual", "Repair Manual"),
    ("parts_catalogue", "Parts Catalogue"),
    ("price_list", "Parts Price List"),
    ("repair_guide", "Repair Guide"),
    ("user_manual", "User Manual"),
    ("other", "Other"),
]


class AftersalesTechnicalDocument(models.Model):
    """A technical document for the stations (seed 000 §4.2.3.2 b: repair
    manuals and parts catalogues for service staff and stations; seed 003
    第三条 8-9: manuals, parts lists and price lists kept up to date).

    A document belongs to a product or to a whole category and keeps all its
    versions; stations read the latest one by default and may still fetch
    the older ones. Files are reached only through the portal's controller,
    which logs each download.
    """

    _name = "aftersales.technical.document"
    _description = "Technical Document"
    _inherit = ["mail.thread", "mail.activity.mixin", "aftersales.knowledge.mixin"]
    _order = "categ_id, kind, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    kind = fields.Selection(
        selection=DOCUMENT_KINDS,
        required=True,
        default="manual",
        tracking=True,
        index=True,
    )
    product_tmpl_id = fields.Many2one(
        comodel_name="product.template",
        string="Product",
        index=True,
        tracking=True,
        check_company=True,
        help="Leave empty for a document of the whole category.",
    )
    categ_id = fields.Many2one(
        compute="_compute_categ_id", store=True, readonly=False, precompute=True
    )
    description = fields.Text()
    version_ids = fields.One2many(
        comodel_name="aftersales.technical.document.version",
        inverse_name="document_id",
        string="Versions",
    )
    current_version_id = fields.Many2one(
        comodel_name="aftersales.technical.document.version",
        string="Latest Version",
        compute="_compute_current_version_id",
        store=True,
    )
    version_count = fields.Integer(compute="_compute_current_version_id", store=True)
    download_count = fields.Integer(
        compute="_compute_download_count",
        groups="aftersales_service.group_aftersales_manager",
    )

    @api.depends("product_tmpl_id")
    def _compute_categ_id(self):
        for document in self:
            if document.product_tmpl_id:
                document.categ_id = document.product_tmpl_id.categ_id

    @api.depends("version_ids.date", "version_ids.sequence")
    def _compute_current_version_id(self):
        for document in self:
            versions = document.version_ids
            document.current_version_id = versions.sorted(
                lambda version: (
                    version.date,
                    version.sequence,
                    version._origin.id or 0,
                ),
                reverse=True,
            )[:1]
            document.version_count = len(versions)

    def _compute_download_count(self):
        counts = dict(
            self.env["aftersales.technical.document.download"]._read_group(
                [("document_id", "in", self.ids)], ["document_id"], ["__count"]
            )
        )
        for document in self:
            document.download_count = counts.get(document, 0)

    @api.constrains("product_tmpl_id", "categ_id")
    def _check_product_category(self):
        for document in self:
            product = document.product_tmpl_id
            if product and product.categ_id != document.categ_id:
                raise ValidationError(
                    self.env._(
                        "Document %(document)s is for %(product)s: its category "
                        "must be the product's, %(category)s.",
                        document=document.display_name,
                        product=product.display_name,
                        category=product.categ_id.display_name,
                    )
                )

    def _check_publishable(self):
        for document in self:
            if not document.version_ids:
                raise UserError(
                    self.env._(
                        "Upload a first version of %(document)s before "
                        "publishing it.",
                        document=document.display_name,
                    )
                )

    def action_view_downloads(self):
        self.ensure_one()
        self._check_manager()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "aftersales_service.aftersales_technical_document_download_action"
        )
        action["domain"] = [("document_id", "=", self.id)]
        return action

    def _portal_version(self, version_id=None):
        """The version a station downloads: the latest, or the one named if
        it is one of this document's (sudo, after the caller's check)."""
        self.ensure_one()
        if version_id is None:
            return self.sudo().current_version_id
        return self.sudo().version_ids.filtered(
            lambda version: version.id == version_id
        )

    def _log_download(self, version, station):
        """Record who fetched which version, when (the portal's controller,
        after its checks)."""
        return (
            self.env["aftersales.technical.document.download"]
            .sudo()
            .create(
                {
                    "document_id": self.id,
                    "version_id": version.id,
                    "user_id": self.env.uid,
                    "station_id": station.id,
                }
            )
        )
