# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging
from datetime import datetime, time, timedelta

import psycopg2
import pytz

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..aftersales_service import slots

_logger = logging.getLogger(__name__)

# How many slots are proposed when the wanted one is taken: the seed asks
# for "two or more" (两个以上时间以供选择), the wanted one's neighbours first.
PROPOSED_SLOTS = 3
# The database's own guard against double booking (btree_gist): no two
# confirmed appointments of one technician, or one bay, overlap in time.
EXCLUSIONS = {
    "aftersales_appointment_technician_no_overlap": "technician_id",
    "aftersales_appointment_bay_no_overlap": "bay_id",
}


def _naive_utc(moment):
    return moment.astimezone(pytz.utc).replace(tzinfo=None)


class AftersalesAppointment(models.Model):
    """Booking: free slots, the no-double-booking rule, and what a confirmed
    appointment holds (technician, bay, parts, calendar event)."""

    _inherit = "aftersales.appointment"

    def init(self):
        result = super().init()
        self._init_exclusion_constraints()
        return result

    def _init_exclusion_constraints(self):
        """EXCLUDE constraints when PostgreSQL has ``btree_gist`` (a trusted
        extension since PostgreSQL 13): the database itself then refuses
        overlapping confirmed bookings, whatever writes them. Without it the
        check under the station's lock (:meth:`_book`) is the guard."""
        cr = self.env.cr
        try:
            with cr.savepoint(flush=False):
                cr.execute(
                    "CREATE EXTENSION IF NOT EXISTS btree_gist", log_exceptions=False
                )
        except psycopg2.Error:
            _logger.warning(
                "btree_gist is not available: double bookings of appointments "
                "are refused by the application only."
            )
            return
        for name, column in EXCLUSIONS.items():
            cr.execute(
                "SELECT 1 FROM pg_constraint WHERE conname = %s AND conrelid = "
                "'aftersales_appointment'::regclass",
                (name,),
            )
            if cr.fetchone():
                continue
            cr.execute(
                SQL(
                    "ALTER TABLE aftersales_appointment ADD CONSTRAINT %s "
                    "EXCLUDE USING gist (%s WITH =, "
                    "tsrange(date_start, date_end, '[)') WITH &&) "
                    "WHERE (state = 'confirmed' AND %s IS NOT NULL "
                    "AND date_start IS NOT NULL AND date_end IS NOT NULL)",
                    SQL.identifier(name),
                    SQL.identifier(column),
                    SQL.identifier(column),
                )
            )

    # ------------------------------------------------------------------
    # Free slots
    # ------------------------------------------------------------------

    @api.model
    def _propose_slots(
        self,
        station,
        wanted,
        duration,
        technician=None,
        bay=None,
        count=PROPOSED_SLOTS,
        exclude=None,
    ):
        """Free slots of ``station`` nearest to ``wanted`` (naive UTC), for
        ``duration`` hours: a list of :class:`slots.Slot` whose technician and
        bay are records. The wanted time comes first when it is free."""
        context = self._slot_context(
            station, wanted, duration, technician, bay, exclude
        )
        found = slots.propose(
            context["open"],
            context["duration"],
            context["technicians"],
            context["bays"],
            wanted,
            count=count,
            step=timedelta(minutes=station.appointment_step or 30),
            earliest=context["earliest"],
        )
        return [self._slot_records(slot) for slot in found]

    @api.model
    def _slot_records(self, slot):
        return slots.Slot(
            start=slot.start,
            end=slot.end,
            technician=self.env["aftersales.station.technician"].browse(
                slot.technician
            ),
            bay=self.env["aftersales.station.bay"].browse(slot.bay),
        )

    @api.model
    def _slot_context(self, station, wanted, duration, technician, bay, exclude):
        """What the slot rule needs around ``wanted``: the station's open
        hours, the technicians' and bays' busy times, the earliest start."""
        if not duration or duration <= 0:
            raise UserError(self.env._("Give the visit's duration in hours."))
        length = timedelta(hours=duration)
        horizon = timedelta(days=station.appointment_horizon or 14)
        now = fields.Datetime.now().replace(second=0, microsecond=0)
        start = max(now, wanted - horizon)
        end = max(wanted, now) + horizon + length
        technicians = technician or station.technician_ids
        bays = bay or station.bay_ids
        return {
            "open": self._open_intervals(station, start, end),
            "duration": length,
            "technicians": self._busy_technicians(technicians, start, end, exclude),
            "bays": self._busy_bays(bays, start, end, exclude),
            "earliest": now,
        }

    @api.model
    def _open_intervals(self, station, start, end):
        """The station's working hours between ``start`` and ``end`` (naive
        UTC), less the calendar's closed days."""
        calendar = station._appointment_calendar()
        if not calendar:
            return []
        intervals = calendar.sudo()._work_intervals_batch(
            pytz.utc.localize(start), pytz.utc.localize(end)
        )[False]
        return [
            (_naive_utc(begin), _naive_utc(stop)) for begin, stop, _meta in intervals
        ]

    def _booked_domain(self, start, end, exclude):
        domain = [
            ("state", "=", "confirmed"),
            ("date_start", "<", end),
            ("date_end", ">", start),
        ]
        if exclude:
            domain.append(("id", "not in", exclude.ids))
        return domain

    @api.model
    def _busy_technicians(self, technicians, start, end, exclude=None):
        """technician id -> busy intervals: their confirmed appointments and
        the busy calendar events they attend (leave, training...)."""
        busy = {technician.id: [] for technician in technicians}
        if not technicians:
            return busy
        # Availability, not the bookings' content: read whatever the caller
        # may see (customers book without reading others' appointments).
        booked = self.sudo().search_fetch(
            self._booked_domain(start, end, exclude)
            + [("technician_id", "in", technicians.ids)],
            ["technician_id", "date_start", "date_end"],
        )
        for appointment in booked:
            busy[appointment.technician_id.id].append(
                (appointment.date_start, appointment.date_end)
            )
        by_partner = {}
        for technician in technicians.sudo().filtered("partner_id"):
            by_partner.setdefault(technician.partner_id.id, []).append(technician.id)
        if by_partner:
            events = (
                self.env["calendar.event"]
                .sudo()
                .search_fetch(
                    [
                        ("partner_ids", "in", list(by_partner)),
                        ("show_as", "=", "busy"),
                        ("start", "<", end + timedelta(days=1)),
                        ("stop", ">", start - timedelta(days=1)),
                        ("res_model", "!=", self._name),
                    ],
                    [
                        "partner_ids",
                        "start",
                        "stop",
                        "allday",
                        "start_date",
                        "stop_date",
                    ],
                )
            )
            for event in events:
                interval = self._event_interval(event, technicians)
                for partner in event.partner_ids:
                    for technician_id in by_partner.get(partner.id, ()):
                        busy[technician_id].append(interval)
        return busy

    @api.model
    def _event_interval(self, event, technicians):
        """An event's busy time; a whole-day event covers its days in the
        station's time zone."""
        if not event.allday:
            return event.start, event.stop
        tz = pytz.timezone(technicians[:1].station_id._appointment_tz())
        begin = tz.localize(datetime.combine(event.start_date, time.min))
        stop = tz.localize(
            datetime.combine(event.stop_date + timedelta(days=1), time.min)
        )
        return _naive_utc(begin), _naive_utc(stop)

    @api.model
    def _busy_bays(self, bays, start, end, exclude=None):
        """bay id -> busy intervals: confirmed appointments and the bay's own
        leaves (maintenance) of its resource calendar."""
        busy = {bay.id: [] for bay in bays}
        if not bays:
            return busy
        booked = self.sudo().search_fetch(
            self._booked_domain(start, end, exclude) + [("bay_id", "in", bays.ids)],
            ["bay_id", "date_start", "date_end"],
        )
        for appointment in booked:
            busy[appointment.bay_id.id].append(
                (appointment.date_start, appointment.date_end)
            )
        bays = bays.sudo()
        bay_of = {bay.resource_id.id: bay.id for bay in bays}
        leaves = (
            self.env["resource.calendar.leaves"]
            .sudo()
            .search_fetch(
                [
                    ("resource_id", "in", list(bay_of)),
                    ("date_from", "<", end),
                    ("date_to", ">", start),
                ],
                ["resource_id", "date_from", "date_to"],
            )
        )
        for leave in leaves:
            busy[bay_of[leave.resource_id.id]].append((leave.date_from, leave.date_to))
        return busy

    # ------------------------------------------------------------------
    # Booking a slot
    # ------------------------------------------------------------------

    def _lock_station(self):
        """One booking at a time per station.

        The station's row is written (not only locked): a transaction that
        started before another's booking was committed then fails with a
        serialisation error when it books at the same station, and Odoo
        retries it on a fresh snapshot, which sees that booking. A plain
        ``FOR UPDATE`` would let it go on with its old snapshot, blind to
        the booking it waited for.
        """
        self.env.cr.execute(
            SQL(
                "UPDATE aftersales_station SET write_date = write_date WHERE id IN %s",
                tuple(self.station_id.ids),
            ),
            log_exceptions=False,
        )

    def _book(self):
        """Confirm one draft: its slot checked under the station's lock
        (technician and bay assigned when not chosen), then the calendar
        event and the parts reservation."""
        self.ensure_one()
        if not self.date_start:
            raise UserError(
                self.env._(
                    "Choose the time of %(name)s first (Find Slots proposes "
                    "free ones).",
                    name=self.display_name,
                )
            )
        self._lock_station()
        slot = self._check_slot_free()
        self._workflow_write(
            {
                "state": "confirmed",
                "technician_id": slot.technician.id,
                "bay_id": slot.bay.id,
                "date_confirmed": fields.Datetime.now(),
                "reminder_sent": False,
            }
        )
        self._sync_calendar_event()
        self._reserve_parts()

    def _check_slot_free(self):
        """The appointment's own slot, or a UserError that says why it is
        not free and proposes the nearest free ones."""
        context = self._slot_context(
            self.station_id,
            self.date_start,
            self.duration,
            self.technician_id,
            self.bay_id,
            self,
        )
        args = (
            self.date_start,
            context["duration"],
            context["open"],
            context["technicians"],
            context["bays"],
        )
        reason = slots.refusal(*args, earliest=context["earliest"])
        if not reason:
            return self._slot_records(slots.slot_at(*args))
        text = self._refusal_text(reason)
        proposals = self._propose_slots(
            self.station_id,
            self.date_start,
            self.duration,
            self.technician_id,
            self.bay_id,
            exclude=self,
        )
        if proposals:
            text += " " + self.env._(
                "Free instead: %(slots)s.",
                slots="; ".join(
                    self._local_time_label(slot.start, "short") for slot in proposals
                ),
            )
        raise UserError(text)

    def _refusal_text(self, reason):
        """Why the appointment's slot cannot be booked, in words."""
        self.ensure_one()
        when = self._local_time_label()
        if reason == slots.PAST:
            return self.env._("%(time)s has passed.", time=when)
        if reason == slots.CLOSED:
            return self.env._(
                "%(station)s is not open from %(time)s to %(end)s.",
                station=self.station_id.display_name,
                time=when,
                end=self._local_time_label(self.date_end, "short"),
            )
        if reason == slots.TECHNICIAN_BUSY:
            return self.env._(
                "%(technician)s is already booked at %(time)s.",
                technician=self.technician_id.name
                or self.env._("Every technician of the station"),
                time=when,
            )
        return self.env._(
            "%(bay)s is already booked at %(time)s.",
            bay=self.bay_id.name or self.env._("Every bay of the station"),
            time=when,
        )

    def _release(self):
        """Free what confirmed appointments held: their calendar event and
        their parts reservation."""
        for appointment in self.filtered(lambda a: a.state == "confirmed"):
            appointment._release_parts()
            if appointment.calendar_event_id:
                appointment.calendar_event_id.sudo().active = False

    # ------------------------------------------------------------------
    # Calendar
    # ------------------------------------------------------------------

    def _calendar_partners(self):
        self.ensure_one()
        return (
            self.station_id.partner_id
            | self.technician_id.sudo().partner_id
            | self.user_id.partner_id
        )

    def _prepare_calendar_event(self):
        self.ensure_one()
        lines = [
            self.env._("Customer: %(name)s", name=self.customer_display),
            self.env._("Phone: %(phone)s", phone=self.phone or ""),
        ]
        if self.vehicle_plate:
            lines.append(self.env._("Plate: %(plate)s", plate=self.vehicle_plate))
        if self.lot_id:
            lines.append(
                self.env._(
                    "Product: %(product)s (%(serial)s)",
                    product=self.product_id.display_name,
                    serial=self.lot_id.name,
                )
            )
        if self.fault_description:
            lines.append(self.fault_description)
        return {
            "name": self.env._(
                "%(number)s: %(customer)s",
                number=self.name,
                customer=self.customer_display,
            ),
            "start": self.date_start,
            "stop": self.date_end,
            "allday": False,
            "show_as": "busy",
            "location": self.station_id.partner_id.contact_address_inline
            or self.station_id.display_name,
            "description": "<br/>".join(lines),
            "user_id": self.user_id.id or False,
            "partner_ids": [Command.set(self._calendar_partners().ids)],
            "res_model_id": self.env["ir.model"]._get_id(self._name),
            "res_id": self.id,
            "active": True,
        }

    def _sync_calendar_event(self):
        """The confirmed appointment in the calendar of the station, the
        technician and the service advisor (they attend its event)."""
        Event = (
            self.env["calendar.event"]
            .sudo()
            .with_context(no_mail_to_attendees=True, active_test=False)
        )
        for appointment in self:
            values = appointment._prepare_calendar_event()
            event = appointment.calendar_event_id.sudo()
            if event:
                event.with_context(no_mail_to_attendees=True).write(values)
            else:
                event = Event.create(values)
                appointment._workflow_write({"calendar_event_id": event.id})

    # ------------------------------------------------------------------
    # Parts
    # ------------------------------------------------------------------

    def _reserve_parts(self):
        """Reserve the parts on the station's (or its office's) stock: a
        delivery of the parts to the customer, confirmed and reserved. The
        warehouse validates it when the parts are used."""
        for appointment in self:
            lines = appointment.line_ids.filtered(
                lambda line: line.product_id.type == "consu"
            )
            if not lines:
                continue
            # After-sales staff and the portal book without stock rights: the
            # confirmation is the authority for the reservation it makes.
            picking = appointment.sudo()._create_reservation(lines)
            appointment._workflow_write({"picking_id": picking.id})

    def _create_reservation(self, lines):
        self.ensure_one()
        source = self.station_id._parts_location()
        if not source:
            raise UserError(
                self.env._(
                    "%(station)s has no stock to reserve parts from: give it a "
                    "parts location, or its region a warehouse.",
                    station=self.station_id.display_name,
                )
            )
        warehouse = source.warehouse_id or self.env["stock.warehouse"].search(
            [("company_id", "=", self.company_id.id)], limit=1
        )
        destination = self.env.ref("stock.stock_location_customers")
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": warehouse.out_type_id.id,
                "location_id": source.id,
                "location_dest_id": destination.id,
                "partner_id": (self.partner_id or self.station_id.partner_id).id,
                "origin": self.name,
                "scheduled_date": self.date_start,
                "company_id": self.company_id.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": line.product_id.display_name,
                            "product_id": line.product_id.id,
                            "product_uom_qty": line.quantity,
                            "product_uom": line.product_uom_id.id,
                            "location_id": source.id,
                            "location_dest_id": destination.id,
                            "company_id": self.company_id.id,
                            "date": self.date_start,
                        }
                    )
                    for line in lines
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        return picking

    def _release_parts(self):
        pickings = self.picking_id.sudo().filtered(
            lambda p: p.state not in ("done", "cancel")
        )
        if pickings:
            pickings.action_cancel()

    def _sync_reservation(self):
        """The parts of a confirmed appointment changed: reserve them again."""
        for appointment in self.filtered(lambda a: a.state == "confirmed"):
            appointment._release_parts()
            appointment._workflow_write({"picking_id": False})
            appointment._reserve_parts()
