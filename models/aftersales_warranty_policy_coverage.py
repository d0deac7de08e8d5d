# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


class AftersalesWarrantyPolicyCoverage(models.Model):
    """Who covers one part of the product, and for how long."""

    _name = "aftersales.warranty.policy.coverage"
    _inherit = ["aftersales.input.mixin"]
    _nonnegative_fields = frozenset({"months"})
    _maximum_fields = {"months": 1200}
    _description = "Warranty Policy Coverage Line"
    _order = "policy_id, sequence, id"
    _check_company_auto = True

    policy_id = fields.Many2one(
        comodel_name="aftersales.warranty.policy",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="policy_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    part_id = fields.Many2one(
        comodel_name="aftersales.warranty.part",
        required=True,
        ondelete="restrict",
        check_company=True,
    )
    provider_id = fields.Many2one(
        comodel_name="res.partner",
        string="Provider",
        required=True,
        check_company=True,
        default=lambda self: self.env.company.partner_id,
        help="Who repairs or replaces this part under warranty: the company, "
        "or a third party such as the chassis maker.",
    )
    months = fields.Integer(
        string="Period (months)",
        help="Warranty period of this part; 0 uses the policy's period.",
    )

    _sql_constraints = [
        (
            "part_policy_uniq",
            "unique(policy_id, part_id)",
            "A part can appear only once in a policy's coverage.",
        ),
        ("months_positive", "CHECK(months >= 0)", "A period cannot be negative."),
    ]

    @api.depends("part_id", "provider_id")
    def _compute_display_name(self):
        for line in self:
            line.display_name = f"{line.part_id.name} / {line.provider_id.name}"
