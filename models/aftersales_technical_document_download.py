# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class AftersalesTechnicalDocumentDownload(models.Model):
    """Who downloaded which version of a technical document, and when.

    Written by the portal's controller only (sudo, after its checks); the
    after-sales managers read it.
    """

    _name = "aftersales.technical.document.download"
    _description = "Technical Document Download"
    _order = "date desc, id desc"
    _check_company_auto = True
    _log_access = True

    document_id = fields.Many2one(
        comodel_name="aftersales.technical.document",
        required=True,
        index=True,
        readonly=True,
        ondelete="cascade",
    )
    version_id = fields.Many2one(
        comodel_name="aftersales.technical.document.version",
        required=True,
        index=True,
        readonly=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="document_id.company_id", store=True)
    categ_id = fields.Many2one(related="document_id.categ_id", store=True)
    user_id = fields.Many2one(
        comodel_name="res.users", string="User", required=True, readonly=True
    )
    station_id = fields.Many2one(
        comodel_name="aftersales.station",
        required=True,
        index=True,
        readonly=True,
        ondelete="cascade",
    )
    date = fields.Datetime(
        string="Downloaded On",
        required=True,
        readonly=True,
        default=fields.Datetime.now,
    )
