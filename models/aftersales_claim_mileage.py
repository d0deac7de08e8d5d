# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models

# Changing these changes the reading the claim gives its voucher.
READING_FIELDS = {"mileage", "failure_date", "lot_id", "voucher_id"}


class AftersalesClaim(models.Model):
    """The mileage of a claim is a reading of its voucher, on the failure day."""

    _inherit = "aftersales.claim"

    @api.model_create_multi
    def create(self, vals_list):
        claims = super().create(vals_list)
        with_mileage = claims.filtered("mileage")
        if with_mileage:
            with_mileage._record_mileage()
        return claims

    def write(self, vals):
        result = super().write(vals)
        if "mileage" in vals:
            self._record_mileage()
        elif READING_FIELDS & set(vals):
            # Only those that read a mileage (the voucher's compute writes
            # many documents one by one).
            with_mileage = self.filtered("mileage")
            if with_mileage:
                with_mileage._record_mileage()
        return result

    def _record_mileage(self):
        self.env["aftersales.mileage.reading"]._record_from(
            self, "claim", lambda claim: claim.failure_date
        )
