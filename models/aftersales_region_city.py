# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class AftersalesRegionCity(models.Model):
    """A city a region covers by name, where a province is split."""

    _name = "aftersales.region.city"
    _description = "After-Sales Region City"
    _order = "region_id, name"

    name = fields.Char(required=True)
    state_id = fields.Many2one(comodel_name="res.country.state", string="Province")
    region_id = fields.Many2one(
        comodel_name="aftersales.region",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="region_id.company_id", store=True)

    @api.constrains("name", "region_id")
    def _check_one_region_per_city(self):
        for city in self:
            clash = self.search(
                [
                    ("id", "!=", city.id),
                    ("name", "=ilike", city.name.strip()),
                    ("company_id", "=", city.company_id.id),
                    ("region_id.active", "=", True),
                ],
                limit=1,
            )
            if clash:
                raise ValidationError(
                    self.env._(
                        "%(city)s already belongs to region %(region)s.",
                        city=city.name,
                        region=clash.region_id.name,
                    )
                )
