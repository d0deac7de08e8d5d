# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command, api, fields, models
from odoo.exceptions import UserError


class AftersalesStationDeposit(models.TransientModel):
    """Record the spare-parts deposit a station pays, or its refund (seed 004 §3)."""

    _name = "aftersales.station.deposit"
    _inherit = ["aftersales.input.mixin"]
    _positive_fields = frozenset({"amount"})
    _description = "Service Station Deposit"

    station_id = fields.Many2one(comodel_name="aftersales.station", required=True)
    company_id = fields.Many2one(related="station_id.company_id")
    currency_id = fields.Many2one(related="company_id.currency_id")
    direction = fields.Selection(
        selection=[("receive", "Deposit Received"), ("refund", "Deposit Refunded")],
        required=True,
        default="receive",
    )
    deposit_balance = fields.Monetary(
        related="station_id.deposit_balance",
        currency_field="currency_id",
    )
    amount = fields.Monetary(required=True, currency_field="currency_id")
    date = fields.Date(required=True, default=fields.Date.context_today)
    # Required on the form and checked on confirming, not by a NOT NULL
    # that an RPC create without a journal would hit as a failed query.
    journal_id = fields.Many2one(
        comodel_name="account.journal",
        domain="[('type', 'in', ('bank', 'cash')), ('company_id', '=', company_id)]",
        compute="_compute_journal_id",
        store=True,
        readonly=False,
    )
    memo = fields.Char()

    @api.depends("company_id")
    def _compute_journal_id(self):
        for wizard in self:
            wizard.journal_id = wizard.company_id.aftersales_station_deposit_journal_id

    def action_confirm(self):
        self.ensure_one()
        if self.amount <= 0:
            raise UserError(self.env._("The deposit amount must be positive."))
        if not self.journal_id:
            raise UserError(self.env._("Choose the bank or cash journal."))
        station = self.station_id
        company = station.company_id
        deposit_account = company.aftersales_station_deposit_account_id
        cash_account = self.journal_id.default_account_id
        if not (deposit_account and cash_account):
            raise UserError(
                self.env._(
                    "Set the station deposit account in the After-Sales settings "
                    "and a default account on journal %(journal)s first.",
                    journal=self.journal_id.display_name,
                )
            )
        if self.direction == "refund" and self.amount > station.deposit_balance:
            raise UserError(
                self.env._(
                    "Station %(station)s has paid %(balance)s; it cannot be "
                    "refunded more.",
                    station=station.display_name,
                    balance=station.currency_id.format(station.deposit_balance),
                )
            )
        sign = 1 if self.direction == "receive" else -1
        label = self.memo or self.env._(
            "Spare-parts deposit of %(station)s", station=station.display_name
        )
        partner = station.partner_id.commercial_partner_id
        move = self.env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": self.journal_id.id,
                "date": self.date,
                "ref": label,
                "aftersales_station_id": station.id,
                "line_ids": [
                    Command.create(
                        {
                            "name": label,
                            "account_id": cash_account.id,
                            "partner_id": partner.id,
                            "balance": sign * self.amount,
                        }
                    ),
                    Command.create(
                        {
                            "name": label,
                            "account_id": deposit_account.id,
                            "partner_id": partner.id,
                            "balance": -sign * self.amount,
                        }
                    ),
                ],
            }
        )
        move.action_post()
        return {"type": "ir.actions.act_window_close"}
