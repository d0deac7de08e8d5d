# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare, format_datetime, html2plaintext

USER_GROUP = "aftersales_service.group_aftersales_user"
# state -> states an action may move it to
TRANSITIONS = {
    "draft": ("confirmed", "cancel"),
    "confirmed": ("done", "no_show", "cancel", "draft"),
    "done": (),
    "no_show": (),
    "cancel": ("draft",),
}
# What a confirmed appointment holds: to change them, it goes back to draft
# (which releases its technician, bay and parts) and is confirmed again.
BOOKED_FIELDS = frozenset(
    {"station_id", "technician_id", "bay_id", "date_start", "duration", "company_id"}
)
# What a station may mark from the portal on its own appointments, and what
# a customer may do on theirs.
ARRIVALS = [("on_time", "On Time"), ("late", "Late")]


class AftersalesAppointment(models.Model):
    """A service appointment (预约服务, seed 002 example 3): the customer's
    time at a station, with a technician, a bay and the parts prepared."""

    _name = "aftersales.appointment"
    _description = "Service Appointment"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "portal.mixin",
        "aftersales.workflow.mixin",
    ]
    _order = "date_start desc, id desc"
    _check_company_auto = True
    _state_transitions = TRANSITIONS
    _workflow_fields = frozenset(
        {
            "state",
            "picking_id",
            "calendar_event_id",
            "reminder_sent",
            "arrival",
            "date_confirmed",
        }
    )
    _final_states = {
        "done": frozenset({"note"}),
        "no_show": frozenset({"note"}),
        "cancel": frozenset({"note"}),
    }
    _kanban_folded_states = frozenset({"done", "no_show", "cancel"})
    _positive_fields = frozenset({"duration"})
    _nonnegative_fields = frozenset({"labour_cost"})
    _maximum_fields = {"duration": 24}

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="New"
    )
    state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("confirmed", "Confirmed"),
            ("done", "Done"),
            ("no_show", "No-Show"),
            ("cancel", "Cancelled"),
        ],
        string="Status",
        required=True,
        copy=False,
        default="draft",
        readonly=True,
        tracking=True,
        index=True,
        group_expand=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Service Advisor",
        check_company=True,
        domain="[('share', '=', False)]",
        default=lambda self: self.env.user if not self.env.user.share else False,
        tracking=True,
    )
    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Service Request",
        index="btree_not_null",
        check_company=True,
        tracking=True,
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        index=True,
        check_company=True,
        tracking=True,
    )
    customer_name = fields.Char(
        string="Walk-in Customer",
        help="The customer's name when they are not a contact (a walk-in "
        "booked by the station).",
    )
    phone = fields.Char(
        compute="_compute_phone", store=True, readonly=False, precompute=True
    )
    product_id = fields.Many2one(
        comodel_name="product.product",
        check_company=True,
        tracking=True,
    )
    lot_id = fields.Many2one(
        comodel_name="stock.lot",
        string="Serial/Lot",
        check_company=True,
        domain="[('product_id', '=?', product_id)]",
        tracking=True,
    )
    vehicle_plate = fields.Char(string="Plate Number", tracking=True)
    fault_description = fields.Text(
        string="Fault Described", help="What the customer says is wrong."
    )
    station_id = fields.Many2one(
        comodel_name="aftersales.station",
        string="Service Station",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
    )
    technician_id = fields.Many2one(
        comodel_name="aftersales.station.technician",
        index="btree_not_null",
        check_company=True,
        domain="[('station_id', '=', station_id)]",
        tracking=True,
    )
    bay_id = fields.Many2one(
        comodel_name="aftersales.station.bay",
        string="Bay",
        index="btree_not_null",
        check_company=True,
        domain="[('station_id', '=', station_id)]",
        tracking=True,
    )
    date_wanted = fields.Datetime(
        string="Wanted Time",
        help="When the customer asked to come; the slot may differ.",
    )
    date_start = fields.Datetime(
        string="Appointment Time",
        index=True,
        tracking=True,
        copy=False,
    )
    duration = fields.Float(
        compute="_compute_duration",
        store=True,
        readonly=False,
        precompute=True,
        help="Hours the visit is expected to take.",
    )
    # Precomputed: the database's overlap constraint reads it in the INSERT.
    date_end = fields.Datetime(
        compute="_compute_date_end",
        store=True,
        precompute=True,
        string="Expected End",
    )
    date_local = fields.Date(
        string="Day",
        compute="_compute_date_local",
        store=True,
        index=True,
        help="The day of the appointment in the station's time zone.",
    )
    date_confirmed = fields.Datetime(readonly=True, copy=False)
    currency_id = fields.Many2one(related="company_id.currency_id")
    line_ids = fields.One2many(
        comodel_name="aftersales.appointment.line",
        inverse_name="appointment_id",
        string="Parts",
        copy=True,
    )
    labour_cost = fields.Monetary(
        string="Labour Estimate", currency_field="currency_id", tracking=True
    )
    parts_cost = fields.Monetary(
        string="Parts Estimate",
        compute="_compute_costs",
        store=True,
        currency_field="currency_id",
    )
    estimated_cost = fields.Monetary(
        compute="_compute_costs",
        store=True,
        currency_field="currency_id",
        tracking=True,
        help="Labour and parts, told to the customer before the visit.",
    )
    picking_id = fields.Many2one(
        comodel_name="stock.picking",
        string="Parts Reservation",
        readonly=True,
        copy=False,
        check_company=True,
    )
    reservation_state = fields.Selection(
        selection=[
            ("none", "No Parts"),
            ("reserved", "Reserved"),
            ("partial", "Partly Reserved"),
            ("waiting", "Waiting for Stock"),
            ("released", "Reservation Released"),
            ("issued", "Parts Issued"),
        ],
        compute="_compute_reservation_state",
    )
    calendar_event_id = fields.Many2one(
        comodel_name="calendar.event",
        string="Calendar Event",
        readonly=True,
        copy=False,
    )
    reminder_sent = fields.Boolean(readonly=True, copy=False)
    arrival = fields.Selection(
        selection=ARRIVALS,
        readonly=True,
        copy=False,
        tracking=True,
        help="Whether the customer came on time: their record of kept "
        "appointments counts it.",
    )
    source = fields.Selection(
        selection=[("backend", "After-Sales"), ("portal", "Portal")],
        default="backend",
        readonly=True,
        copy=False,
    )
    note = fields.Text(string="Internal Note")
    station_tz = fields.Char(compute="_compute_station_tz")
    local_time = fields.Char(
        string="Time at the Station",
        compute="_compute_local_time",
        help="The appointment's time on the station's clock, as the customer "
        "is told it.",
    )
    customer_display = fields.Char(
        string="Customer Name", compute="_compute_customer_display"
    )

    _sql_constraints = [
        ("duration_positive", "CHECK(duration > 0)", "The duration must be positive."),
    ]

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("partner_id")
    def _compute_phone(self):
        for appointment in self:
            partner = appointment.partner_id
            appointment.phone = (
                partner.mobile or partner.phone or appointment.phone or False
            )

    @api.depends("station_id")
    def _compute_duration(self):
        for appointment in self:
            appointment.duration = (
                appointment.duration
                or appointment.station_id.appointment_duration
                or 1.0
            )

    @api.depends("date_start", "duration")
    def _compute_date_end(self):
        for appointment in self:
            appointment.date_end = (
                appointment.date_start + timedelta(hours=appointment.duration)
                if appointment.date_start and appointment.duration
                else False
            )

    @api.depends("station_id.resource_calendar_id.tz")
    def _compute_station_tz(self):
        for appointment in self:
            appointment.station_tz = (
                appointment.station_id._appointment_tz()
                if appointment.station_id
                else "UTC"
            )

    @api.depends("date_start", "station_tz")
    @api.depends_context("lang")
    def _compute_local_time(self):
        for appointment in self:
            appointment.local_time = appointment._local_time_label()

    @api.depends("date_start", "station_id.resource_calendar_id.tz")
    def _compute_date_local(self):
        for appointment in self:
            appointment.date_local = (
                fields.Datetime.context_timestamp(
                    appointment.with_context(tz=appointment.station_tz),
                    appointment.date_start,
                ).date()
                if appointment.date_start
                else False
            )

    @api.depends("partner_id.name", "customer_name")
    def _compute_customer_display(self):
        for appointment in self:
            appointment.customer_display = (
                appointment.partner_id.name or appointment.customer_name or ""
            )

    @api.depends("labour_cost", "line_ids.subtotal")
    def _compute_costs(self):
        for appointment in self:
            parts = sum(appointment.line_ids.mapped("subtotal"))
            appointment.parts_cost = parts
            appointment.estimated_cost = parts + appointment.labour_cost

    @api.depends(
        "picking_id.state", "picking_id.move_ids.quantity", "line_ids", "state"
    )
    def _compute_reservation_state(self):
        for appointment in self:
            picking = appointment.picking_id.sudo()
            moves = picking.move_ids
            if not picking:
                state = "none"
            elif picking.state == "done":
                state = "issued"
            elif picking.state == "cancel":
                state = "released"
            elif all(
                float_compare(
                    move.quantity,
                    move.product_uom_qty,
                    precision_rounding=move.product_uom.rounding,
                )
                >= 0
                for move in moves
            ):
                state = "reserved"
            elif any(move.quantity for move in moves):
                state = "partial"
            else:
                state = "waiting"
            appointment.reservation_state = state

    def _compute_access_url(self):
        result = super()._compute_access_url()
        for appointment in self:
            appointment.access_url = f"/my/appointments/{appointment.id}"
        return result

    @api.depends("name", "customer_display")
    def _compute_display_name(self):
        for appointment in self:
            appointment.display_name = " · ".join(
                part
                for part in (appointment.name, appointment.customer_display)
                if part
            )

    # ------------------------------------------------------------------
    # Constraints and onchanges
    # ------------------------------------------------------------------

    @api.constrains("partner_id", "customer_name")
    def _check_customer(self):
        for appointment in self:
            if (
                not appointment.partner_id
                and not (appointment.customer_name or "").strip()
            ):
                raise ValidationError(
                    self.env._(
                        "Appointment %(name)s: give the customer, or their name.",
                        name=appointment.name,
                    )
                )

    @api.constrains("station_id", "technician_id", "bay_id")
    def _check_station_resources(self):
        for appointment in self:
            station = appointment.station_id
            if (
                appointment.technician_id
                and appointment.technician_id.station_id != station
            ):
                raise ValidationError(
                    self.env._(
                        "%(technician)s does not work at %(station)s.",
                        technician=appointment.technician_id.name,
                        station=station.display_name,
                    )
                )
            if appointment.bay_id and appointment.bay_id.station_id != station:
                raise ValidationError(
                    self.env._(
                        "Bay %(bay)s is not at %(station)s.",
                        bay=appointment.bay_id.name,
                        station=station.display_name,
                    )
                )

    @api.constrains("lot_id", "product_id")
    def _check_lot_product(self):
        for appointment in self:
            lot = appointment.lot_id
            if (
                lot
                and appointment.product_id
                and lot.product_id != appointment.product_id
            ):
                raise ValidationError(
                    self.env._(
                        "Serial %(serial)s is not a %(product)s.",
                        serial=lot.name,
                        product=appointment.product_id.display_name,
                    )
                )

    @api.onchange("ticket_id")
    def _onchange_ticket_id(self):
        ticket = self.ticket_id
        if ticket:
            self.partner_id = self.partner_id or ticket.partner_id
            self.product_id = self.product_id or ticket.product_id
            self.lot_id = self.lot_id or ticket.lot_id
            self.station_id = self.station_id or ticket.station_id
            if not self.fault_description:
                self.fault_description = (
                    html2plaintext(ticket.description or "") or ticket.name
                )

    @api.onchange("lot_id")
    def _onchange_lot_id(self):
        if self.lot_id:
            self.product_id = self.lot_id.product_id

    @api.onchange("station_id")
    def _onchange_station_id(self):
        if self.technician_id.station_id != self.station_id:
            self.technician_id = False
        if self.bay_id.station_id != self.station_id:
            self.bay_id = False

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "New") == "New":
                company = self.env["res.company"].browse(vals.get("company_id"))
                # The portal books for customers, who have no sequence rights.
                vals["name"] = (
                    self.env["ir.sequence"]
                    .sudo()
                    .with_company(company or self.env.company)
                    .next_by_code("aftersales.appointment")
                    or "New"
                )
        return super().create(vals_list)

    def write(self, vals):
        if not self._in_transition():
            # Whoever may not write at all hears that first.
            self.check_access("write")
            booked = BOOKED_FIELDS & vals.keys()
            for appointment in self.filtered(lambda a: a.state == "confirmed"):
                changed = [
                    name
                    for name in booked
                    if appointment._fields[name].convert_to_cache(
                        vals[name], appointment
                    )
                    != appointment._fields[name].convert_to_cache(
                        appointment[name], appointment
                    )
                ]
                if changed:
                    raise UserError(
                        self.env._(
                            "%(name)s is confirmed: set it back to draft to change "
                            "its station, time, duration, technician or bay.",
                            name=appointment.display_name,
                        )
                    )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(appointment.state not in ("draft", "cancel") for appointment in self):
            raise UserError(
                self.env._(
                    "Only draft or cancelled appointments can be deleted; cancel "
                    "the others."
                )
            )

    # ------------------------------------------------------------------
    # Transitions
    # ------------------------------------------------------------------

    def _check_user(self, message):
        self._check_group(USER_GROUP, message)

    def action_confirm(self):
        """Book the slot: technician, bay and parts reserved, calendar event."""
        self._check_user(self.env._("Only after-sales users confirm appointments."))
        self._lock_rows()
        self._check_transition("confirmed")
        for appointment in self:
            appointment._book()
        return True

    def action_done(self):
        """The customer came on time and the visit took place."""
        return self._close_visit("on_time")

    def action_done_late(self):
        """The customer came late, and the visit took place."""
        return self._close_visit("late")

    def _close_visit(self, arrival):
        self._check_user(self.env._("Only after-sales users record how a visit went."))
        self._move_to("done", arrival=arrival)
        return True

    def action_no_show(self):
        """The customer did not come: the slot and parts are freed."""
        self._check_user(self.env._("Only after-sales users record a no-show."))
        self._lock_rows()
        self._check_transition("no_show")
        now = fields.Datetime.now()
        for appointment in self:
            if appointment.date_start > now:
                raise UserError(
                    self.env._(
                        "%(name)s has not started yet (%(time)s): a customer "
                        "cannot miss it before it starts.",
                        name=appointment.display_name,
                        time=appointment._local_time_label(),
                    )
                )
        self._release()
        self._move_to("no_show")
        return True

    def action_cancel(self):
        self._check_user(self.env._("Only after-sales users cancel appointments."))
        self._lock_rows()
        self._check_transition("cancel")
        self._release()
        self._move_to("cancel")
        return True

    def action_draft(self):
        """Back to draft to change the slot: what it held is released."""
        self._check_user(
            self.env._("Only after-sales users set appointments back to draft.")
        )
        self._lock_rows()
        self._check_transition("draft")
        self._release()
        self._move_to("draft", reminder_sent=False, date_confirmed=False)
        return True

    def action_find_slots(self):
        """Open the free slots nearest to the wanted time."""
        self.ensure_one()
        self._check_user(self.env._("Only after-sales users book appointments."))
        self.check_access("write")
        if self.state != "draft":
            raise UserError(
                self.env._(
                    "%(name)s is %(state)s: only a draft is booked.",
                    name=self.display_name,
                    state=self._state_label(self.state),
                )
            )
        wizard = self.env["aftersales.appointment.slot.wizard"].create(
            {"appointment_id": self.id, "technician_id": self.technician_id.id}
        )
        wizard._fill()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Free Slots"),
            "res_model": wizard._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_view_picking(self):
        self.ensure_one()
        self._check_user(self.env._("Only after-sales users open the reservation."))
        self.check_access("read")
        return self.picking_id.get_formview_action()

    def action_view_calendar_event(self):
        self.ensure_one()
        self._check_user(self.env._("Only after-sales users open the calendar."))
        self.check_access("read")
        return self.calendar_event_id.get_formview_action()

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _local_time_label(self, value=None, dt_format="medium"):
        """The appointment's time as the station's clock shows it."""
        self.ensure_one()
        return self._format_station_time(
            self.station_id, value or self.date_start, dt_format
        )

    @api.model
    def _format_station_time(self, station, value, dt_format="medium"):
        """``value`` (naive UTC) on ``station``'s clock, in the user's
        language."""
        if not value:
            return ""
        tz = station._appointment_tz() if station else "UTC"
        return format_datetime(self.env, value, tz=tz, dt_format=dt_format)

    def _portal_may_cancel(self):
        """Whether the customer may still cancel it from the portal."""
        self.ensure_one()
        return self.state == "confirmed" and self.date_start > fields.Datetime.now()

    def _portal_may_close(self):
        """Whether the station may record the visit from the portal."""
        self.ensure_one()
        return self.state == "confirmed" and self.date_start <= fields.Datetime.now()
