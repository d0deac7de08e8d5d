# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

MANAGER_GROUP = "aftersales_service.group_aftersales_manager"
STATION_GROUP = "aftersales_service.group_aftersales_station"


class AftersalesKnowledgeMixin(models.AbstractModel):
    """What the after-sales department publishes to its stations.

    Technical documents and case notes (seed 000 §4.2.3.2 b, seed 003 第三条
    8-10) are published for a product category: the active stations
    authorised for that category, or one of its parents, read them in the
    portal. Publishing and withdrawing are the manager's transitions; the
    station record rule reads ``published_partner_ids``.
    """

    _name = "aftersales.knowledge.mixin"
    _description = "After-Sales Knowledge Published to Stations"
    _inherit = ["aftersales.workflow.mixin"]
    _state_transitions = {
        "draft": ("published",),
        "published": ("withdrawn",),
        "withdrawn": ("published",),
    }
    _workflow_fields = frozenset({"state", "date_published"})

    state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("published", "Published"),
            ("withdrawn", "Withdrawn"),
        ],
        string="Status",
        required=True,
        copy=False,
        default="draft",
        readonly=True,
        tracking=True,
        index=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    categ_id = fields.Many2one(
        comodel_name="product.category",
        string="Product Category",
        required=True,
        index=True,
        tracking=True,
        help="Published to the active stations authorised for this category "
        "or one of its parents.",
    )
    date_published = fields.Datetime(string="Published On", readonly=True, copy=False)
    station_ids = fields.Many2many(
        comodel_name="aftersales.station",
        string="Published To",
        compute="_compute_station_ids",
        help="Active stations of the company authorised for the category.",
    )
    published_partner_ids = fields.Many2many(
        comodel_name="res.partner",
        string="Station Partners",
        compute="_compute_station_ids",
        search="_search_published_partner_ids",
        help="The partners of the stations that read it in the portal.",
    )

    @api.depends("state", "categ_id", "company_id")
    def _compute_station_ids(self):
        stations = (
            self.env["aftersales.station"]
            .sudo()
            .search(
                [
                    ("state", "=", "active"),
                    ("company_id", "in", self.company_id.ids),
                    ("categ_ids", "!=", False),
                ]
            )
        )
        for record in self:
            mine = stations.filtered(
                lambda station, record=record: station.company_id == record.company_id
                and record.categ_id
                and any(
                    record.categ_id.parent_path.startswith(categ.parent_path)
                    for categ in station.categ_ids
                )
            )
            published = record.state == "published"
            record.station_ids = mine.with_env(self.env) if published else False
            record.published_partner_ids = mine.partner_id if published else False

    @api.model
    def _search_published_partner_ids(self, operator, value):
        """Records published to the stations of these partners: the station
        record rule. Stations are read with sudo (the rule runs for portal
        users); only active stations read anything."""
        if operator not in ("in", "="):
            raise UserError(
                self.env._("Search the stations' partners with 'in' or '='.")
            )
        partner_ids = [value] if isinstance(value, int) else list(value or ())
        stations = (
            self.env["aftersales.station"]
            .sudo()
            .search([("partner_id", "in", partner_ids), ("state", "=", "active")])
        )
        scopes = [
            [
                ("company_id", "=", station.company_id.id),
                ("categ_id", "child_of", station.categ_ids.ids),
            ]
            for station in stations
            if station.categ_ids
        ]
        if not scopes:
            return expression.FALSE_DOMAIN
        return expression.AND([[("state", "=", "published")], expression.OR(scopes)])

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def _check_manager(self):
        self._check_group(
            MANAGER_GROUP,
            self.env._("Only after-sales managers publish to the stations."),
        )

    def action_publish(self):
        self._check_manager()
        self._check_publishable()
        self._move_to("published", date_published=fields.Datetime.now())
        return True

    def action_withdraw(self):
        self._check_manager()
        self._move_to("withdrawn")
        return True

    def _check_publishable(self):
        """Hook: refuse what cannot be published yet."""
        return True
