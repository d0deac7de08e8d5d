# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

# Allowed moves of the station's life cycle: state -> states it can go to.
TRANSITIONS = {
    "candidate": ("active", "closed"),
    "active": ("suspended", "closed"),
    "suspended": ("active", "closed"),
    "closed": (),
}


class AftersalesStation(models.Model):
    """An authorised service station or repair point (服务站, 特约维修点)."""

    _name = "aftersales.station"
    _description = "Service Station"
    _inherit = ["mail.thread", "mail.activity.mixin", "aftersales.workflow.mixin"]
    _order = "region_id, name"
    _check_company_auto = True
    _state_transitions = TRANSITIONS
    _workflow_fields = frozenset({"state", "state_reason", "lead_id"})
    # A closed station keeps its history; it can only be archived.
    _final_states = {"closed": frozenset({"active"})}
    # Kanban columns follow the life cycle; closed stations fold at the end.
    _kanban_folded_states = frozenset({"closed"})
    _rec_names_search = ["name", "code", "partner_id.name"]

    name = fields.Char(
        compute="_compute_name",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        tracking=True,
    )
    code = fields.Char(
        required=True,
        readonly=True,
        copy=False,
        default="New",
        index=True,
        tracking=True,
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Partner",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
        help="The station's company; its contacts with portal access are the "
        "station's staff.",
    )
    region_id = fields.Many2one(
        comodel_name="aftersales.region",
        index=True,
        check_company=True,
        tracking=True,
    )
    station_type = fields.Selection(
        selection=[
            ("company", "Company-Owned"),
            ("authorised", "Authorised Station"),
            ("dealer", "Dealer Repair Point"),
        ],
        string="Type",
        required=True,
        default="authorised",
        tracking=True,
    )
    state = fields.Selection(
        selection=[
            ("candidate", "Candidate"),
            ("active", "Active"),
            ("suspended", "Suspended"),
            ("closed", "Closed"),
        ],
        string="Status",
        required=True,
        copy=False,
        default="candidate",
        readonly=True,
        tracking=True,
        index=True,
        group_expand=True,
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Responsible",
        check_company=True,
        domain="[('share', '=', False)]",
        default=lambda self: self.env.user,
        tracking=True,
    )
    categ_ids = fields.Many2many(
        comodel_name="product.category",
        relation="aftersales_station_product_category_rel",
        column1="station_id",
        column2="categ_id",
        string="Authorised Categories",
        help="Product categories the station may service under warranty.",
    )
    technician_ids = fields.One2many(
        comodel_name="aftersales.station.technician",
        inverse_name="station_id",
        string="Technicians",
    )
    inspection_ids = fields.One2many(
        comodel_name="aftersales.station.inspection",
        inverse_name="station_id",
        string="Inspections",
    )
    last_inspection_date = fields.Date(compute="_compute_last_inspection", store=True)
    last_inspection_score = fields.Integer(
        compute="_compute_last_inspection", store=True
    )
    last_inspection_passed = fields.Boolean(
        compute="_compute_last_inspection", store=True
    )
    lead_id = fields.Many2one(
        comodel_name="crm.lead",
        string="Recruitment Opportunity",
        readonly=True,
        copy=False,
        check_company=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    deposit_move_ids = fields.One2many(
        comodel_name="account.move",
        inverse_name="aftersales_station_id",
        string="Deposit Entries",
        readonly=True,
    )
    deposit_balance = fields.Monetary(
        compute="_compute_deposit_balance",
        currency_field="currency_id",
        help="Spare-parts deposit the station has paid, from the posted entries "
        "of the station deposit account.",
    )
    phone = fields.Char(related="partner_id.phone")
    email = fields.Char(related="partner_id.email")
    city = fields.Char(related="partner_id.city")
    state_reason = fields.Text(
        string="Reason of Last Change",
        readonly=True,
        copy=False,
    )
    ticket_count = fields.Integer(
        compute="_compute_document_counts",
        groups="aftersales_service.group_aftersales_user",
    )
    claim_count = fields.Integer(
        compute="_compute_document_counts",
        groups="aftersales_service.group_aftersales_user",
    )
    return_batch_count = fields.Integer(
        compute="_compute_document_counts",
        groups="aftersales_service.group_aftersales_user",
    )

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "A station code must be unique per company.",
        ),
    ]

    @api.depends("partner_id")
    def _compute_name(self):
        for station in self:
            if station.partner_id and not station.name:
                station.name = station.partner_id.name

    @api.depends("inspection_ids.date", "inspection_ids.score", "inspection_ids.passed")
    def _compute_last_inspection(self):
        for station in self:
            last = station.inspection_ids.sorted(lambda i: (i.date, i.id))[-1:]
            station.last_inspection_date = last.date
            station.last_inspection_score = last.score
            station.last_inspection_passed = last.passed

    def _compute_deposit_balance(self):
        account = self.env.company.aftersales_station_deposit_account_id
        balances = {}
        if account and self.ids:
            # Shown to after-sales staff, who need no accounting rights.
            groups = (
                self.env["account.move.line"]
                .sudo()
                ._read_group(
                    [
                        ("account_id", "=", account.id),
                        ("parent_state", "=", "posted"),
                        ("move_id.aftersales_station_id", "in", self.ids),
                    ],
                    ["partner_id"],
                    ["balance:sum"],
                )
            )
            balances = {partner.id: -balance for partner, balance in groups}
        for station in self:
            partner = station.partner_id.commercial_partner_id
            station.deposit_balance = balances.get(partner.id, 0.0)

    def _compute_document_counts(self):
        # One grouped query per linked model, for the whole recordset.
        domain = [("station_id", "in", self.ids)]
        tickets = dict(
            self.env["helpdesk.ticket"]._read_group(domain, ["station_id"], ["__count"])
        )
        claims = dict(
            self.env["aftersales.claim"]._read_group(
                domain, ["station_id"], ["__count"]
            )
        )
        # A batch gathers the goods of several stations, line by line.
        batches = dict(
            self.env["aftersales.return.batch.line"]._read_group(
                domain, ["station_id"], ["batch_id:count_distinct"]
            )
        )
        for station in self:
            station.ticket_count = tickets.get(station, 0)
            station.claim_count = claims.get(station, 0)
            station.return_batch_count = batches.get(station, 0)

    @api.constrains("partner_id", "company_id", "active")
    def _check_one_station_per_partner(self):
        for station in self.filtered("active"):
            other = self.search(
                [
                    ("id", "!=", station.id),
                    ("company_id", "=", station.company_id.id),
                    ("partner_id", "=", station.partner_id.id),
                ],
                limit=1,
            )
            if other:
                raise ValidationError(
                    self.env._(
                        "%(partner)s is already the service station %(station)s.",
                        partner=station.partner_id.display_name,
                        station=other.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("code", "New") == "New":
                company = self.env["res.company"].browse(vals.get("company_id"))
                vals["code"] = (
                    self.env["ir.sequence"]
                    .with_company(company or self.env.company)
                    .next_by_code("aftersales.station")
                    or "New"
                )
        return super().create(vals_list)

    @api.depends("code", "name")
    def _compute_display_name(self):
        for station in self:
            station.display_name = (
                f"[{station.code}] {station.name}"
                if station.code and station.code != "New"
                else station.name
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_only_candidates(self):
        if any(station.state != "candidate" for station in self):
            raise UserError(
                self.env._(
                    "Only candidate stations can be deleted; close the others "
                    "so their history is kept."
                )
            )

    # ------------------------------------------------------------------
    # Life cycle
    # ------------------------------------------------------------------

    def action_activate(self):
        self._change_state("active")
        return True

    def action_open_state_wizard(self):
        """Suspend or close with a reason (the wizard asks for it)."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Change Station Status"),
            "res_model": "aftersales.station.state.change",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_station_ids": self.ids,
                "default_new_state": self.env.context.get("new_state", "suspended"),
            },
        }

    def action_register_deposit(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Station Deposit"),
            "res_model": "aftersales.station.deposit",
            "view_mode": "form",
            "target": "new",
            "context": {"default_station_id": self.id},
        }

    def action_view_deposit_entries(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "account.action_move_journal_line"
        )
        action.update(
            domain=[("aftersales_station_id", "=", self.id)],
            context={"default_move_type": "entry"},
        )
        return action

    def action_view_tickets(self):
        # All the station's tickets, not only the after-sales team's.
        return self._action_related(
            "aftersales_service.helpdesk_ticket_action_aftersales",
            [("station_id", "=", self.id)],
            {"default_station_id": self.id},
        )

    def action_view_claims(self):
        return self._action_related(
            "aftersales_service.aftersales_claim_action",
            [("station_id", "=", self.id)],
            {"default_station_id": self.id},
        )

    def action_view_return_batches(self):
        return self._action_related(
            "aftersales_service.aftersales_return_batch_action",
            [("line_ids.station_id", "=", self.id)],
            {"default_region_id": self.region_id.id},
        )

    def _change_state(self, new_state, reason=None):
        self._check_group(
            "aftersales_service.group_aftersales_manager",
            self.env._("Only after-sales managers change a station's status."),
        )
        self._check_transition(new_state)
        for station in self:
            if new_state == "active" and not station.region_id:
                raise UserError(
                    self.env._(
                        "Give station %(station)s a region before activating it.",
                        station=station.display_name,
                    )
                )
        self._move_to(new_state, state_reason=reason or False)
        if reason:
            for station in self:
                station.message_post(
                    body=self.env._(
                        "%(state)s: %(reason)s",
                        state=self._state_label(new_state),
                        reason=reason,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
