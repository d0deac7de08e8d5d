# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


class AftersalesStationBay(models.Model):
    """A service bay (工位) of a station: a material resource of Odoo's
    ``resource`` whose leaves (maintenance) make it unavailable."""

    _name = "aftersales.station.bay"
    _description = "Service Bay"
    _inherit = ["resource.mixin"]
    _order = "station_id, sequence, id"
    _check_company_auto = True

    name = fields.Char(
        related="resource_id.name", store=True, readonly=False, required=True
    )
    active = fields.Boolean(
        related="resource_id.active", default=True, store=True, readonly=False
    )
    sequence = fields.Integer(default=10)
    station_id = fields.Many2one(
        comodel_name="aftersales.station",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    note = fields.Char(
        string="Equipment", help="What the bay is equipped for (lift, pit...)."
    )

    @api.model_create_multi
    def create(self, vals_list):
        stations = self.env["aftersales.station"].browse(
            [vals["station_id"] for vals in vals_list if vals.get("station_id")]
        )
        by_id = {station.id: station for station in stations}
        for vals in vals_list:
            station = by_id.get(vals.get("station_id"))
            if station:
                # The station's company and hours, unless given.
                vals.setdefault("company_id", station.company_id.id)
                calendar = station._appointment_calendar()
                if calendar:
                    vals.setdefault("resource_calendar_id", calendar.id)
        return super().create(vals_list)

    def _prepare_resource_values(self, vals, tz):
        values = super()._prepare_resource_values(vals, tz)
        values["resource_type"] = "material"
        return values

    @api.depends("name", "station_id.code")
    def _compute_display_name(self):
        for bay in self:
            bay.display_name = (
                f"{bay.station_id.code} · {bay.name}" if bay.station_id else bay.name
            )
