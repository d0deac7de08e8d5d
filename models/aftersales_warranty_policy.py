# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..aftersales_service import periods, warranty


class AftersalesWarrantyPolicy(models.Model):
    """Warranty terms (三包) for a product or a product category."""

    _name = "aftersales.warranty.policy"
    _description = "Warranty Policy"
    _inherit = ["mail.thread", "aftersales.input.mixin"]
    # A century of warranty is already more than any product has.
    _nonnegative_fields = frozenset(
        {"refund_days", "exchange_days", "repair_months", "dealer_months"}
    )
    _maximum_fields = {
        "refund_days": 36500,
        "exchange_days": 36500,
        "repair_months": 1200,
        "dealer_months": 1200,
    }
    _order = "sequence, name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    product_tmpl_id = fields.Many2one(
        comodel_name="product.template",
        string="Product",
        index=True,
        check_company=True,
        tracking=True,
        domain="[('tracking', '!=', 'none')]",
        help="Set a product to override the policy of its category.",
    )
    categ_id = fields.Many2one(
        comodel_name="product.category",
        string="Product Category",
        index=True,
        tracking=True,
        help="Applies to the products of this category and of its children.",
    )
    date_from = fields.Date(
        string="Valid From",
        tracking=True,
        help="First delivery date the policy applies to.",
    )
    date_to = fields.Date(
        string="Valid To",
        tracking=True,
        help="Last delivery date the policy applies to.",
    )
    refund_days = fields.Integer(
        string="Refund Window (days)",
        default=7,
        tracking=True,
        help="Days after the start during which a faulty product is refunded.",
    )
    exchange_days = fields.Integer(
        string="Exchange Window (days)",
        default=15,
        tracking=True,
        help="Days after the start during which a faulty product is exchanged.",
    )
    repair_months = fields.Integer(
        string="Warranty Period (months)",
        default=12,
        required=True,
        tracking=True,
        help="Months of free repair for consumers, counted from the delivery.",
    )
    dealer_months = fields.Integer(
        string="Dealer Period (months)",
        tracking=True,
        help="Months of warranty for dealers, counted from the manufacturing "
        "date; 0 gives dealers the consumer period from delivery.",
    )
    dealer_remedy = fields.Selection(
        selection=[
            (warranty.EXCHANGE, "Exchange"),
            (warranty.REPAIR, "Repair"),
        ],
        default=warranty.EXCHANGE,
        required=True,
        help="What a dealer gets for a covered fault within the dealer period.",
    )
    mileage_limit = fields.Float(
        string="Mileage Limit (km)",
        digits=(16, 0),
        tracking=True,
        help="Distance covered after the start beyond which the warranty "
        "ends; 0 means no limit.",
    )
    max_failed_repairs = fields.Integer(
        string="Exchange After Failed Repairs",
        default=2,
        required=True,
        help="Number of failed repairs of the same fault after which the "
        "product is exchanged instead of repaired again.",
    )
    surcharge_percent = fields.Float(
        string="Out-of-Warranty Surcharge (%)",
        default=10.0,
        digits=(16, 2),
        tracking=True,
        help="Added to the parts cost of paid service.",
    )
    coverage_line_ids = fields.One2many(
        comodel_name="aftersales.warranty.policy.coverage",
        inverse_name="policy_id",
        string="Coverage",
        copy=True,
    )
    excluded_part_ids = fields.Many2many(
        comodel_name="aftersales.warranty.part",
        relation="aftersales_warranty_policy_excluded_part_rel",
        column1="policy_id",
        column2="part_id",
        string="Excluded Parts",
        check_company=True,
        help="Parts never covered, such as plastic parts.",
    )
    exchange_criterion_ids = fields.One2many(
        comodel_name="aftersales.warranty.exchange.criterion",
        inverse_name="policy_id",
        string="Exchange Criteria",
        copy=True,
        help="Conditions under which a covered repair becomes an exchange, "
        "besides the failed repairs printed on the voucher.",
    )
    note = fields.Html(
        string="Terms",
        translate=True,
        help="Printed on the customer's warranty voucher.",
    )
    voucher_count = fields.Integer(compute="_compute_voucher_count")

    def _compute_voucher_count(self):
        counts = dict(
            self.env["aftersales.warranty.voucher"]._read_group(
                [("policy_id", "in", self.ids)], ["policy_id"], ["__count"]
            )
        )
        for policy in self:
            policy.voucher_count = counts.get(policy, 0)

    @api.constrains("product_tmpl_id", "categ_id")
    def _check_scope(self):
        for policy in self:
            if bool(policy.product_tmpl_id) == bool(policy.categ_id):
                raise ValidationError(
                    self.env._(
                        "Policy %(policy)s must apply to either a product or a "
                        "product category, not both and not neither.",
                        policy=policy.display_name,
                    )
                )

    @api.constrains(
        "refund_days",
        "exchange_days",
        "repair_months",
        "dealer_months",
        "mileage_limit",
        "surcharge_percent",
        "max_failed_repairs",
        "date_from",
        "date_to",
    )
    def _check_terms(self):
        messages = self._term_error_messages()
        for policy in self:
            errors = warranty.policy_errors(
                policy.refund_days,
                policy.exchange_days,
                policy.repair_months,
                dealer_months=policy.dealer_months,
                mileage_limit=policy.mileage_limit,
                surcharge_percent=policy.surcharge_percent,
                max_failed_repairs=policy.max_failed_repairs,
            )
            if (
                policy.date_from
                and policy.date_to
                and policy.date_from > policy.date_to
            ):
                errors.append("dates_reversed")
            if errors:
                raise ValidationError(
                    "\n".join(
                        [
                            self.env._(
                                "Policy %(policy)s is inconsistent:",
                                policy=policy.name,
                            ),
                            *(messages[code] for code in errors),
                        ]
                    )
                )

    @api.constrains("coverage_line_ids", "excluded_part_ids")
    def _check_parts(self):
        for policy in self:
            both = policy.coverage_line_ids.part_id & policy.excluded_part_ids
            if both:
                raise ValidationError(
                    self.env._(
                        "Parts %(parts)s are both covered and excluded in policy "
                        "%(policy)s.",
                        parts=", ".join(both.mapped("name")),
                        policy=policy.name,
                    )
                )

    @api.constrains(
        "product_tmpl_id", "categ_id", "date_from", "date_to", "active", "company_id"
    )
    def _check_overlap(self):
        for policy in self.filtered("active"):
            domain = [
                ("id", "!=", policy.id),
                ("company_id", "=", policy.company_id.id),
            ]
            if policy.product_tmpl_id:
                domain.append(("product_tmpl_id", "=", policy.product_tmpl_id.id))
            else:
                domain += [
                    ("product_tmpl_id", "=", False),
                    ("categ_id", "=", policy.categ_id.id),
                ]
            for other in self.search(domain):
                if periods.ranges_overlap(
                    (policy.date_from or None, policy.date_to or None),
                    (other.date_from or None, other.date_to or None),
                ):
                    raise ValidationError(
                        self.env._(
                            "Policies %(policy)s and %(other)s apply to the same "
                            "products over overlapping dates; end one before "
                            "the other starts.",
                            policy=policy.name,
                            other=other.name,
                        )
                    )

    def _term_error_messages(self):
        _ = self.env._
        return {
            "negative_value": _(
                "Windows, periods, mileage and surcharge cannot be negative."
            ),
            "failed_repairs_below_one": _(
                "At least one failed repair must precede an exchange."
            ),
            "refund_after_exchange": _(
                "The refund window must not be longer than the exchange window."
            ),
            "no_repair_period": _("The warranty period must be at least one month."),
            "exchange_after_repair": _(
                "The exchange window must end within the warranty period."
            ),
            "dates_reversed": _("The validity must end after it starts."),
        }

    def action_view_vouchers(self):
        self.ensure_one()
        return self.env["aftersales.warranty.voucher"]._action_for_domain(
            [("policy_id", "=", self.id)], {"default_policy_id": self.id}
        )

    @api.model
    def _find_for_products(self, products, on_date, company):
        """Map each product to the policy in force for it, in one query."""
        # parent_path reads "1/4/9/": the category last, its root first.
        chains = {
            category.id: [int(cid) for cid in category.parent_path.split("/")[-2::-1]]
            for category in products.categ_id
        }
        all_categories = {cid for chain in chains.values() for cid in chain}
        policies = self.search(
            [
                ("company_id", "=", company.id),
                "|",
                ("product_tmpl_id", "in", products.product_tmpl_id.ids),
                ("categ_id", "in", list(all_categories)),
            ]
        )
        scopes = [
            warranty.PolicyScope(
                key=policy,
                product=policy.product_tmpl_id.id or None,
                category=None if policy.product_tmpl_id else policy.categ_id.id,
                date_from=policy.date_from or None,
                date_to=policy.date_to or None,
            )
            for policy in policies
        ]
        return {
            product: warranty.pick_policy(
                scopes,
                product.product_tmpl_id.id,
                chains.get(product.categ_id.id, []),
                on_date,
            )
            or self
            for product in products
        }
