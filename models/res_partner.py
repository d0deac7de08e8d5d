# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    warranty_holder_type = fields.Selection(
        selection=[("consumer", "Consumer"), ("dealer", "Dealer")],
        string="Warranty Terms",
        default="consumer",
        help="Dealers are covered from the manufacturing date with the "
        "policy's dealer period; consumers from the delivery.",
    )
    warranty_voucher_count = fields.Integer(
        compute="_compute_warranty_voucher_count",
        groups="aftersales_service.group_aftersales_user",
    )

    aftersales_claim_count = fields.Integer(
        string="Warranty Claim Count",
        compute="_compute_aftersales_claim_count",
        groups="aftersales_service.group_aftersales_user",
    )
    aftersales_deposit_balance = fields.Monetary(
        string="Warranty Deposits Held",
        compute="_compute_aftersales_deposit_balance",
        currency_field="aftersales_company_currency_id",
        groups="aftersales_service.group_aftersales_finance,"
        "aftersales_service.group_aftersales_manager",
        help="What the open warranty deposits of this supplier hold, in the "
        "company's currency.",
    )
    aftersales_company_currency_id = fields.Many2one(
        comodel_name="res.currency",
        compute="_compute_aftersales_deposit_balance",
        groups="aftersales_service.group_aftersales_finance,"
        "aftersales_service.group_aftersales_manager",
    )
    aftersales_station_ids = fields.One2many(
        comodel_name="aftersales.station",
        inverse_name="partner_id",
        string="Service Stations",
    )
    aftersales_service_station_id = fields.Many2one(
        comodel_name="aftersales.station",
        string="Inspecting Station",
        groups="aftersales_service.group_aftersales_user",
        help="The station that inspects this customer's equipment: it gets the "
        "periodic inspection requests of the customer's vouchers.",
    )

    def write(self, vals):
        # The warranty check names providers from a cache (company partners
        # and the policies' coverage providers): a rename of one clears it.
        if "name" in vals:
            Voucher = self.env["aftersales.warranty.voucher"].sudo()
            names = Voucher._lookups().providers
            if any(partner_id in names for partner_id in self.ids):
                self.env.registry.clear_cache()
        return super().write(vals)

    def _compute_warranty_voucher_count(self):
        counts = dict(
            self.env["aftersales.warranty.voucher"]._read_group(
                [("partner_id", "child_of", self.commercial_partner_id.ids)],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.warranty_voucher_count = sum(
                count
                for holder, count in counts.items()
                if holder.commercial_partner_id == partner.commercial_partner_id
            )

    def action_view_warranty_vouchers(self):
        self.ensure_one()
        return self.env["aftersales.warranty.voucher"]._action_for_domain(
            [("partner_id", "child_of", self.commercial_partner_id.id)],
            {"default_partner_id": self.commercial_partner_id.id},
        )

    def _compute_aftersales_claim_count(self):
        counts = dict(
            self.env["aftersales.claim"]._read_group(
                [("partner_id", "child_of", self.commercial_partner_id.ids)],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.aftersales_claim_count = sum(
                count
                for customer, count in counts.items()
                if customer.commercial_partner_id == partner.commercial_partner_id
            )

    def action_view_aftersales_claims(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "aftersales_service.aftersales_claim_action"
        )
        action.update(
            domain=[("partner_id", "child_of", self.commercial_partner_id.id)],
            context={"default_partner_id": self.commercial_partner_id.id},
        )
        return action

    def _compute_aftersales_deposit_balance(self):
        totals = dict(
            self.env["aftersales.supplier.deposit"]._read_group(
                [
                    ("side", "=", "supplier"),
                    ("partner_id", "child_of", self.commercial_partner_id.ids),
                    ("state", "=", "active"),
                    ("company_id", "=", self.env.company.id),
                ],
                ["partner_id"],
                ["balance_company:sum"],
            )
        )
        for partner in self:
            partner.aftersales_company_currency_id = self.env.company.currency_id
            partner.aftersales_deposit_balance = sum(
                amount
                for supplier, amount in totals.items()
                if supplier.commercial_partner_id == partner.commercial_partner_id
            )

    def _aftersales_statement_deposits(self):
        """The deposits a supplier's statement lists: all but drafts."""
        return self.env["aftersales.supplier.deposit"].search(
            [
                ("partner_id", "child_of", self.commercial_partner_id.ids),
                ("state", "not in", ("draft", "cancel")),
            ],
            order="date_start, id",
        )

    def action_view_aftersales_deposits(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "aftersales_service.aftersales_supplier_deposit_action"
        )
        action.update(
            domain=[("partner_id", "child_of", self.commercial_partner_id.id)],
            context={"default_partner_id": self.commercial_partner_id.id},
        )
        return action

    def action_view_aftersales_station(self):
        self.ensure_one()
        stations = self.commercial_partner_id.aftersales_station_ids
        action = self.env["ir.actions.actions"]._for_xml_id(
            "aftersales_service.aftersales_station_action"
        )
        if len(stations) == 1:
            action.update(res_id=stations.id, view_mode="form", views=[(False, "form")])
        else:
            action.update(
                domain=[("partner_id", "=", self.commercial_partner_id.id)],
                context={"default_partner_id": self.commercial_partner_id.id},
            )
        return action
