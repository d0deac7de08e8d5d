# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..aftersales_service import warranty


class AftersalesWarrantyExchangeCriterion(models.Model):
    """A condition under which a covered repair becomes an exchange.

    The company's exchange criteria for the products of a policy (seed 004
    §1 art. 2, §2 art. 2): a major part replaced, a repair not finished in
    time, the same fault after repeated repairs. Unlike the voucher's terms
    they are the company's current rules, read by ``check_warranty`` from
    its cached lookups: any change clears the cache.
    """

    _name = "aftersales.warranty.exchange.criterion"
    _inherit = ["aftersales.input.mixin", "aftersales.check.cache.mixin"]
    _nonnegative_fields = frozenset({"number"})
    _maximum_fields = {"number": 36500}
    _description = "Warranty Exchange Criterion"
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
    kind = fields.Selection(
        selection=[
            (warranty.CRITERION_REPAIR_DAYS, "Repair Not Finished Within (days)"),
            (warranty.CRITERION_MAJOR_PART, "Major Part Replaced"),
            (warranty.CRITERION_SAME_FAULT, "Same Fault After (failed repairs)"),
        ],
        required=True,
        default=warranty.CRITERION_REPAIR_DAYS,
    )
    number = fields.Integer(
        string="N",
        help="Days a repair may stay open, or failed repairs of the same "
        "fault, before the product is exchanged.",
    )
    part_ids = fields.Many2many(
        comodel_name="aftersales.warranty.part",
        relation="aftersales_warranty_exchange_criterion_part_rel",
        column1="criterion_id",
        column2="part_id",
        string="Major Parts",
        check_company=True,
        help="Parts whose replacement means the product is exchanged.",
    )

    @api.depends("kind", "number", "part_ids")
    def _compute_display_name(self):
        for criterion in self:
            criterion.display_name = criterion._label()

    @api.constrains("kind", "number", "part_ids")
    def _check_criterion(self):
        _ = self.env._
        messages = {
            "unknown_kind": _("Choose the kind of the exchange criterion."),
            "no_major_part": _(
                "Name the major parts whose replacement means exchange."
            ),
            "failed_repairs_below_one": _(
                "At least one failed repair must precede an exchange."
            ),
            "repair_days_below_one": _("A repair must be given at least one day."),
        }
        for criterion in self:
            errors = warranty.criterion_errors(
                criterion.kind, criterion.number, criterion.part_ids.ids
            )
            if errors:
                raise ValidationError(
                    "\n".join(
                        [
                            self.env._(
                                "Exchange criterion of policy %(policy)s is "
                                "inconsistent:",
                                policy=criterion.policy_id.name,
                            ),
                            *(messages[code] for code in errors),
                        ]
                    )
                )

    def _label(self):
        """The criterion in words, as the warranty check's answer shows it."""
        self.ensure_one()
        return self._label_of(
            warranty.ExchangeCriterion(
                self.kind, self.number, frozenset(self.part_ids.ids)
            ),
            self.part_ids.mapped("name"),
        )

    @api.model
    def _label_of(self, criterion, part_names=()):
        _ = self.env._
        if criterion.kind == warranty.CRITERION_REPAIR_DAYS:
            return _("Repair not finished within %(days)s days", days=criterion.number)
        if criterion.kind == warranty.CRITERION_MAJOR_PART:
            return _(
                "Major part replaced: %(parts)s",
                parts=", ".join(sorted(part_names)) or "-",
            )
        if criterion.kind == warranty.CRITERION_SAME_FAULT:
            return _(
                "Same fault after %(count)s failed repairs", count=criterion.number
            )
        return criterion.kind or ""

    @api.model
    def _index(self):
        """{policy id: (ExchangeCriterion, ...)} of every policy, for the
        warranty check's cached lookups, each with its label in words."""
        index = {}
        for criterion in self.sudo().search([]):
            index.setdefault(criterion.policy_id.id, []).append(
                warranty.ExchangeCriterion(
                    criterion.kind,
                    criterion.number,
                    frozenset(criterion.part_ids.ids),
                    label=criterion._label(),
                )
            )
        return {policy: tuple(criteria) for policy, criteria in index.items()}
