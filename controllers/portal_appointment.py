# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import datetime, timedelta

import pytz
from werkzeug.exceptions import NotFound

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.portal.controllers.portal import pager as portal_pager

from .portal import MAX_ID, AftersalesPortal, _parse_id, _text

APPOINTMENTS_PER_PAGE = 20
# What a booking form may set on the appointment; the server sets the rest
# (station, company, customer, technician, bay, state, number). Station staff
# also give the walk-in customer's name and the visit's duration; customers
# get the station's default duration.
PORTAL_APPOINTMENT_FIELDS = frozenset({"phone", "vehicle_plate", "fault_description"})
PORTAL_STATION_FIELDS = PORTAL_APPOINTMENT_FIELDS | {"customer_name", "duration"}
BOOKING_FORM_INPUTS = (
    "station_id",
    "date",
    "time",
    "slot",
    "lot_id",
    "serial",
    "customer_name",
    "duration",
    "phone",
    "vehicle_plate",
    "fault_description",
)
# Durations station staff may choose (hours).
DURATIONS = (0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0)
TEXT_LIMITS = {
    "phone": 32,
    "vehicle_plate": 32,
    "customer_name": 128,
    "fault_description": 4000,
    "serial": 128,
}
SLOT_FORMAT = "%Y-%m-%d %H:%M:%S"
# What the station marks from the portal: its transition on the appointment.
VISIT_ACTIONS = {
    "on_time": "action_done",
    "late": "action_done_late",
    "no_show": "action_no_show",
}
APPOINTMENT_COUNTERS = {
    "appointment_count": [],
    "appointment_upcoming_count": [("state", "=", "confirmed")],
}


class AftersalesAppointmentPortal(AftersalesPortal):
    """Service appointments in the portal: customers book and follow theirs,
    station staff book for walk-in customers and record the visits.

    Portal users only read appointments (ACL and record rules); these routes
    check the user's role, the station and every posted value, then write
    for them with sudo.
    """

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        wanted = [name for name in APPOINTMENT_COUNTERS if name in counters]
        if wanted:
            Appointment = request.env["aftersales.appointment"]
            readable = Appointment.has_access("read")
            for name in wanted:
                values[name] = (
                    Appointment.search_count(APPOINTMENT_COUNTERS[name])
                    if readable
                    else 0
                )
        return values

    # ------------------------------------------------------------------
    # Who books where
    # ------------------------------------------------------------------

    def _bookable_stations(self, station_id=None):
        """The stations the user may book: station staff their own station,
        customers the bookable stations of their companies."""
        Station = request.env["aftersales.station"].sudo()
        domain = Station._bookable_domain()
        own = self._station()
        if own:
            domain.append(("id", "=", own.id))
        elif request.env.user.has_group("base.group_portal"):
            domain.append(("company_id", "in", request.env.user.company_ids.ids))
        else:
            return Station
        if station_id:
            domain.append(("id", "=", station_id))
        return Station.search(domain, order="name, id")

    def _customer_lots(self, lot_id=None):
        """The serials the customer holds a voucher for (their products)."""
        user = request.env.user
        domain = [
            ("partner_id", "child_of", user.commercial_partner_id.id),
            ("state", "in", ("active", "expired")),
            ("lot_id", "!=", False),
        ]
        if lot_id:
            domain.append(("lot_id", "=", lot_id))
        vouchers = request.env["aftersales.warranty.voucher"].sudo().search(domain)
        return vouchers.lot_id

    # ------------------------------------------------------------------
    # Reading
    # ------------------------------------------------------------------

    def _appointment_filters(self):
        env = request.env
        now = fields.Datetime.now()
        return {
            "upcoming": {
                "label": env._("Upcoming"),
                "domain": [("state", "=", "confirmed"), ("date_end", ">=", now)],
                "order": "date_start asc, id",
            },
            "past": {
                "label": env._("Past"),
                "domain": [("state", "in", ("done", "no_show", "cancel"))],
                "order": "date_start desc, id desc",
            },
            "all": {
                "label": env._("All"),
                "domain": [],
                "order": "date_start desc, id desc",
            },
        }

    @http.route(
        ["/my/appointments", "/my/appointments/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_appointments(self, page=1, filterby=None, **kw):
        Appointment = request.env["aftersales.appointment"]
        if not Appointment.has_access("read"):
            return request.redirect("/my")
        filters = self._appointment_filters()
        filterby = filterby if filterby in filters else "all"
        domain = filters[filterby]["domain"]
        pager = portal_pager(
            url="/my/appointments",
            url_args={"filterby": filterby},
            total=Appointment.search_count(domain),
            page=page,
            step=APPOINTMENTS_PER_PAGE,
        )
        # The rules choose the appointments; sudo only reads what they show
        # (station, technician and bay names).
        appointments = Appointment.search(
            domain,
            order=filters[filterby]["order"],
            limit=APPOINTMENTS_PER_PAGE,
            offset=pager["offset"],
        ).sudo()
        request.session["my_appointments_history"] = appointments.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="appointments",
            appointments=appointments,
            pager=pager,
            default_url="/my/appointments",
            searchbar_filters=filters,
            filterby=filterby,
            can_book=bool(self._bookable_stations()),
        )
        return request.render("aftersales_service.portal_my_appointments", values)

    @http.route(
        "/my/appointments/<int:appointment_id>",
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_appointment(self, appointment_id, access_token=None, **kw):
        try:
            appointment_sudo = self._appointment_check_access(
                appointment_id, access_token
            )
        except (AccessError, MissingError):
            raise NotFound() from None
        return self._render_appointment(appointment_sudo, access_token)

    def _appointment_check_access(self, appointment_id, access_token=None):
        if appointment_id > MAX_ID:
            raise MissingError(request.env._("This document does not exist."))
        return self._document_check_access(
            "aftersales.appointment", appointment_id, access_token
        )

    def _render_appointment(self, appointment_sudo, access_token=None, error=None):
        role = self._appointment_role(appointment_sudo)
        values = self._get_page_view_values(
            appointment_sudo, access_token, {}, "my_appointments_history", False
        )
        values.update(
            page_name="appointment",
            appointment=appointment_sudo,
            error=error,
            can_cancel=role in ("customer", "station")
            and appointment_sudo._portal_may_cancel(),
            can_close=role == "station" and appointment_sudo.state == "confirmed",
        )
        return request.render(
            "aftersales_service.portal_my_appointment",
            values,
            status=400 if error else 200,
        )

    def _appointment_role(self, appointment_sudo):
        """'station' for the staff of its station, 'customer' for its
        customer, else None (a reader by a shared link)."""
        user = request.env.user
        station = self._station()
        if station and appointment_sudo.station_id == station:
            return "station"
        customer = appointment_sudo.partner_id.commercial_partner_id
        if customer and customer == user.commercial_partner_id:
            return "customer"
        return None

    # ------------------------------------------------------------------
    # Changing: cancel, record the visit
    # ------------------------------------------------------------------

    def _appointment_to_change(self, appointment_id):
        """(appointment sudo, role) of an appointment the user reads by the
        record rules (never by a token) and may change; locked."""
        appointment = request.env["aftersales.appointment"].browse(appointment_id)
        if appointment_id > MAX_ID or not appointment.exists():
            raise MissingError(request.env._("This document does not exist."))
        appointment.check_access("read")
        appointment_sudo = appointment.sudo()._lock_rows()
        role = self._appointment_role(appointment_sudo)
        if not role:
            raise AccessError(request.env._("This appointment is not yours."))
        return appointment_sudo, role

    @http.route(
        "/my/appointments/<int:appointment_id>/cancel",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_appointment_cancel(self, appointment_id, **kw):
        try:
            appointment_sudo, __ = self._appointment_to_change(appointment_id)
        except (AccessError, MissingError):
            raise NotFound() from None
        try:
            if not appointment_sudo._portal_may_cancel():
                raise UserError(
                    request.env._(
                        "%(name)s can no longer be cancelled from the portal.",
                        name=appointment_sudo.name,
                    )
                )
            with request.env.cr.savepoint():
                appointment_sudo.action_cancel()
        except UserError as error:
            return self._render_appointment(appointment_sudo, error=error.args[0])
        appointment_sudo.message_post(
            body=request.env._("Cancelled in the portal."),
            author_id=request.env.user.partner_id.id,
        )
        return request.redirect(appointment_sudo.access_url)

    @http.route(
        "/my/appointments/<int:appointment_id>/visit",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_appointment_visit(self, appointment_id, arrival=None, **kw):
        try:
            appointment_sudo, role = self._appointment_to_change(appointment_id)
        except (AccessError, MissingError):
            raise NotFound() from None
        if role != "station":
            raise NotFound()
        method = VISIT_ACTIONS.get(_text(arrival))
        if not method:
            return self._render_appointment(
                appointment_sudo,
                error=request.env._("Choose how the visit went from the buttons."),
            )
        try:
            with request.env.cr.savepoint():
                # The station's own appointment, checked above: the controller
                # makes the transition for staff who cannot call it.
                getattr(appointment_sudo, method)()
        except UserError as error:
            return self._render_appointment(appointment_sudo, error=error.args[0])
        return request.redirect(appointment_sudo.access_url)

    # ------------------------------------------------------------------
    # Booking
    # ------------------------------------------------------------------

    @http.route("/my/appointments/new", type="http", auth="user", website=True)
    def portal_appointment_new(self, **post):
        stations = self._bookable_stations()
        if not stations:
            return request.redirect("/my")
        own = self._station()
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="appointment_new",
            stations=stations,
            is_station=bool(own),
            lots=self._customer_lots() if not own else [],
            durations=DURATIONS,
            post={key: _text(post.get(key)) for key in BOOKING_FORM_INPUTS},
            proposals=[],
            error=None,
            status=200,
        )
        try:
            if request.httprequest.method == "POST":
                appointment = self._book_from_post(own, post)
                return request.redirect(appointment.access_url)
            self._fill_proposals(values, post)
        except UserError as error:
            values["error"] = error.args[0]
            values["status"] = 400
            try:
                self._fill_proposals(values, post)
            except UserError:
                values["proposals"] = []
        return request.render(
            "aftersales_service.portal_appointment_new",
            values,
            status=values["status"],
        )

    def _fill_proposals(self, values, post):
        """The free slots around the wanted day and time, when given."""
        station = self._posted_station(post, required=False)
        if not station or not (_text(post.get("date")) and _text(post.get("time"))):
            return
        wanted = self._parse_wanted(station, post)
        duration = self._posted_duration(station, post)
        Appointment = request.env["aftersales.appointment"].sudo()
        proposals = Appointment._propose_slots(station, wanted, duration)
        values.update(
            station=station,
            station_tz=station._appointment_tz(),
            wanted=wanted,
            wanted_free=bool(proposals) and proposals[0].start == wanted,
            proposals=[
                {
                    "value": slot.start.strftime(SLOT_FORMAT),
                    "label": self._slot_label(station, slot.start),
                    "wanted": slot.start == wanted,
                }
                for slot in proposals
            ],
        )

    def _slot_label(self, station, moment):
        return request.env["aftersales.appointment"]._format_station_time(
            station, moment
        )

    def _posted_station(self, post, required=True):
        env = request.env
        station_id = _parse_id(
            post.get("station_id"), env._("Choose the station from the list.")
        )
        if not station_id:
            if required:
                raise UserError(env._("Choose the station from the list."))
            return env["aftersales.station"]
        station = self._bookable_stations(station_id)
        if not station:
            raise UserError(env._("Choose the station from the list."))
        return station

    def _parse_wanted(self, station, post):
        """The wanted day and time, on the station's clock, as naive UTC."""
        env = request.env
        text = f"{_text(post.get('date'))} {_text(post.get('time'))}"
        try:
            local = datetime.strptime(text, "%Y-%m-%d %H:%M")
        except ValueError:
            raise UserError(
                env._("Enter the day as YYYY-MM-DD and the time as HH:MM.")
            ) from None
        if not 2000 <= local.year <= 2999:
            raise UserError(env._("Enter a day of this century."))
        zone = pytz.timezone(station._appointment_tz())
        return zone.localize(local).astimezone(pytz.utc).replace(tzinfo=None)

    def _posted_duration(self, station, post):
        """Customers get the station's duration; staff choose one."""
        if not self._station():
            return station.appointment_duration or 1.0
        text = _text(post.get("duration"))
        if not text:
            return station.appointment_duration or 1.0
        try:
            duration = float(text)
        except ValueError:
            duration = None
        if duration not in DURATIONS:
            raise UserError(request.env._("Choose the duration from the list."))
        return duration

    def _posted_text(self, post, name, required_message=None):
        env = request.env
        text = _text(post.get(name))
        if required_message and not text:
            raise UserError(required_message)
        if len(text) > TEXT_LIMITS[name]:
            raise UserError(
                env._(
                    "%(field)s is too long: %(limit)s characters at most.",
                    field=name.replace("_", " ").capitalize(),
                    limit=TEXT_LIMITS[name],
                )
            )
        return text

    def _posted_slot(self, post):
        env = request.env
        try:
            slot = datetime.strptime(_text(post.get("slot")), SLOT_FORMAT)
        except ValueError:
            raise UserError(env._("Choose one of the proposed times.")) from None
        if slot < fields.Datetime.now() - timedelta(minutes=1):
            raise UserError(env._("This time has passed: choose another one."))
        return slot

    def _book_from_post(self, own_station, post):
        """Check the posted booking, then create and confirm it for the user.
        Nothing is written when a check fails; the confirmation checks the
        slot again under the station's lock (someone may have just taken it)."""
        vals = self._prepare_appointment_vals(own_station, post)
        Appointment = request.env["aftersales.appointment"].sudo()
        with request.env.cr.savepoint():
            appointment = Appointment.create(vals)
            appointment.action_confirm()
        if appointment.partner_id:
            appointment.message_subscribe(partner_ids=appointment.partner_id.ids)
        appointment.message_post(
            body=request.env._("Booked in the portal."),
            author_id=request.env.user.partner_id.id,
        )
        return appointment

    def _prepare_appointment_vals(self, own_station, post):
        env = request.env
        station = self._posted_station(post)
        slot = self._posted_slot(post)
        duration = self._posted_duration(station, post)
        posted = {
            "phone": self._posted_text(
                post, "phone", env._("Enter a phone number to reach you.")
            ),
            "vehicle_plate": self._posted_text(post, "vehicle_plate") or False,
            "fault_description": self._posted_text(
                post, "fault_description", env._("Describe the fault or the service.")
            ),
            "duration": duration,
        }
        server = {
            "company_id": station.company_id.id,
            "station_id": station.id,
            "user_id": station.user_id.id or False,
            "date_wanted": self._parse_wanted(station, post)
            if _text(post.get("date")) and _text(post.get("time"))
            else slot,
            "date_start": slot,
            "source": "portal",
        }
        if own_station:
            posted["customer_name"] = self._posted_text(
                post, "customer_name", env._("Enter the customer's name.")
            )
            allowed = PORTAL_STATION_FIELDS
            serial = self._posted_text(post, "serial")
            if serial:
                lot = (
                    env["stock.lot"]
                    .sudo()
                    .search(
                        [
                            ("name", "=", serial),
                            ("company_id", "in", [station.company_id.id, False]),
                        ],
                        limit=1,
                    )
                )
                if not lot:
                    raise UserError(
                        env._(
                            "No product with serial or lot %(serial)s.", serial=serial
                        )
                    )
                server.update(lot_id=lot.id, product_id=lot.product_id.id)
        else:
            allowed = PORTAL_APPOINTMENT_FIELDS | {"duration"}
            server["partner_id"] = env.user.partner_id.id
            lot_id = _parse_id(
                post.get("lot_id"), env._("Choose your product from the list.")
            )
            if lot_id:
                lot = self._customer_lots(lot_id)
                if not lot:
                    raise UserError(env._("Choose your product from the list."))
                server.update(lot_id=lot.id, product_id=lot.product_id.id)
        return dict({key: posted[key] for key in allowed if key in posted}, **server)
