# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models

# The after-sales documents reviewed in tiers (seed 001 §8.8).
AFTERSALES_TIER_MODELS = ("aftersales.claim", "aftersales.supplier.deposit.movement")


class TierDefinition(models.Model):
    _inherit = "tier.definition"

    @api.model
    def _get_tier_validation_model_names(self):
        return super()._get_tier_validation_model_names() + list(AFTERSALES_TIER_MODELS)

    @api.model
    def _aftersales_tier_models(self):
        return AFTERSALES_TIER_MODELS
