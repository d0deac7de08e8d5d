# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


class AftersalesWarrantyPart(models.Model):
    """A part of a product that warranty terms name: chassis, body, lamp tube."""

    _name = "aftersales.warranty.part"
    _inherit = ["aftersales.check.cache.mixin"]
    _description = "Warranty Part"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        index=True,
        help="Short code station systems send to the warranty check.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        index=True,
        help="Leave empty to share the part between companies.",
    )
    description = fields.Text(translate=True)

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "A part code must be unique per company.",
        ),
    ]

    @api.model
    def _catalogue_index(self):
        """(every part id, visible ids, {lower code or name: ids in catalogue
        order}); the warranty check caches it (voucher ``_lookups``).

        Every id is every part, archived included, as ``browse(id).exists()``
        sees them; visible ids, codes and names are the active parts the user
        may read, in ``_order``, names in the user's language.
        """
        every_id = frozenset(self.sudo().with_context(active_test=False).search([]).ids)
        visible = self.search_fetch([], ["code", "name"])
        index = {}
        for part in visible:
            for key in {(part.code or "").lower(), (part.name or "").lower()} - {""}:
                index.setdefault(key, []).append(part.id)
        return (
            every_id,
            frozenset(visible.ids),
            {key: tuple(ids) for key, ids in index.items()},
        )
