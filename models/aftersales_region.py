# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class AftersalesRegion(models.Model):
    """A sales region under a regional office (办事处) and its manager."""

    _name = "aftersales.region"
    _description = "After-Sales Region"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "sequence, name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    office_partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Regional Office",
        check_company=True,
        tracking=True,
        help="The office or logistics partner that collects defective goods "
        "from the stations and returns them to the factory.",
    )
    office_location_id = fields.Many2one(
        comodel_name="stock.location",
        string="Office Location",
        check_company=True,
        domain="[('usage', '=', 'internal')]",
        tracking=True,
        help="Where the office keeps defective goods until they go back to the "
        "factory, and spare parts for its stations.",
    )
    warehouse_id = fields.Many2one(
        comodel_name="stock.warehouse",
        string="Spare-Parts Warehouse",
        check_company=True,
        tracking=True,
        help="The warehouse whose stock serves the office's stations: its "
        "spare-parts plans are raised for it.",
    )
    manager_id = fields.Many2one(
        comodel_name="res.users",
        string="Regional Manager",
        check_company=True,
        domain="[('share', '=', False)]",
        tracking=True,
    )
    state_ids = fields.Many2many(
        comodel_name="res.country.state",
        relation="aftersales_region_country_state_rel",
        column1="region_id",
        column2="state_id",
        string="Provinces",
    )
    city_ids = fields.One2many(
        comodel_name="aftersales.region.city",
        inverse_name="region_id",
        string="Cities",
        help="Cities the region covers outside its provinces, as when a "
        "province is split between regions (Fuzhou, Xiamen, Quanzhou).",
    )
    return_week = fields.Selection(
        selection=[
            ("1", "Week 1"),
            ("2", "Week 2"),
            ("3", "Week 3"),
            ("4", "Week 4"),
        ],
        tracking=True,
        help="Week of the month in which the office returns defective goods "
        "to the factory.",
    )
    response_class = fields.Selection(
        selection=[("near", "Near"), ("far", "Far")],
        required=True,
        default="near",
        tracking=True,
        help="Distance class of the region: on-site deadlines are longer for "
        "far regions.",
    )
    station_ids = fields.One2many(
        comodel_name="aftersales.station",
        inverse_name="region_id",
        string="Stations",
    )
    station_count = fields.Integer(compute="_compute_station_count")
    config_warning = fields.Char(
        compute="_compute_config_warning",
        search="_search_config_warning",
        help="What keeps the region from taking part in the return schedule.",
    )

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "A region code must be unique per company.",
        ),
    ]

    def _compute_station_count(self):
        counts = dict(
            self.env["aftersales.station"]._read_group(
                [("region_id", "in", self.ids)], ["region_id"], ["__count"]
            )
        )
        for region in self:
            region.station_count = counts.get(region, 0)

    @api.depends("return_week", "office_partner_id", "office_location_id")
    def _compute_config_warning(self):
        for region in self:
            missing = region._missing_configuration()
            region.config_warning = (
                self.env._("Missing: %(what)s", what=", ".join(missing))
                if missing
                else False
            )

    def _search_config_warning(self, operator, value):
        if operator not in ("=", "!=") or value is not False:
            raise ValidationError(
                self.env._("Only 'is set' and 'is not set' apply to this field.")
            )
        misconfigured = [
            "|",
            "|",
            ("return_week", "=", False),
            ("office_partner_id", "=", False),
            ("office_location_id", "=", False),
        ]
        if operator == "!=":
            return misconfigured
        return [
            ("return_week", "!=", False),
            ("office_partner_id", "!=", False),
            ("office_location_id", "!=", False),
        ]

    def _missing_configuration(self):
        self.ensure_one()
        labels = []
        if not self.return_week:
            labels.append(self.env._("return week"))
        if not self.office_partner_id:
            labels.append(self.env._("regional office"))
        if not self.office_location_id:
            labels.append(self.env._("office location"))
        return labels

    @api.constrains("state_ids", "company_id", "active")
    def _check_states_in_one_region(self):
        for region in self.filtered("active"):
            clash = self.search(
                [
                    ("id", "!=", region.id),
                    ("company_id", "=", region.company_id.id),
                    ("state_ids", "in", region.state_ids.ids),
                ],
                limit=1,
            )
            if clash:
                shared = region.state_ids & clash.state_ids
                raise ValidationError(
                    self.env._(
                        "%(states)s already belong to region %(region)s; a "
                        "province belongs to one region only (list cities "
                        "to split a province).",
                        states=", ".join(shared.mapped("name")),
                        region=clash.name,
                    )
                )

    def action_view_stations(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "aftersales_service.aftersales_station_action"
        )
        action.update(
            domain=[("region_id", "=", self.id)],
            context={"default_region_id": self.id},
        )
        return action

    def action_view_unassigned_states(self):
        """List the provinces no region covers (from the region list too,
        where the header button calls it without a selection)."""
        states = self._unassigned_states()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Provinces without a Region"),
            "res_model": "res.country.state",
            "views": [
                (
                    self.env.ref(
                        "aftersales_service.aftersales_region_unassigned_state_view_list"
                    ).id,
                    "list",
                )
            ],
            "domain": [("id", "in", states.ids)],
            "context": {"create": False},
            "help": self.env._(
                "<p class='o_view_nocontent_smiling_face'>Every province belongs "
                "to a region</p><p>Provinces listed here belong to no region of "
                "your company: their customers' tickets get no region, and no "
                "office returns their stations' goods. Add them to a region, or "
                "list their cities in one.</p>"
            ),
        }

    @api.model
    def _unassigned_states(self):
        """Provinces of the countries the company's regions cover that no
        active region lists (a province split by cities is listed too: its
        other cities belong to no region)."""
        regions = self.search([("company_id", "=", self.env.company.id)])
        covered = regions.state_ids
        countries = covered.country_id | regions.city_ids.state_id.country_id
        if not countries:
            return self.env["res.country.state"]
        return self.env["res.country.state"].search(
            [("country_id", "in", countries.ids), ("id", "not in", covered.ids)]
        )

    @api.model
    def _find_for_partner(self, partner):
        """Region covering ``partner``'s address: its city first, then province."""
        if not partner:
            return self
        company_domain = [("company_id", "in", self.env.companies.ids)]
        if partner.city:
            city = self.env["aftersales.region.city"].search(
                [
                    ("name", "=ilike", partner.city.strip()),
                    ("region_id.active", "=", True),
                    ("region_id.company_id", "in", self.env.companies.ids),
                ],
                limit=1,
            )
            if city:
                return city.region_id
        if partner.state_id:
            return self.search(
                company_domain + [("state_ids", "in", partner.state_id.ids)], limit=1
            )
        return self
