# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL, format_date

from ..aftersales_service import inspections
from .aftersales_bulk_chatter import log_notes, schedule_activities
from .aftersales_warranty_voucher import AftersalesWarrantyVoucher as Voucher

INSPECTION_TEAM = "aftersales_service.helpdesk_team_inspections"
INSPECTION_ACTIVITY = "aftersales_service.mail_activity_type_inspection"
FINAL_TEMPLATE = "aftersales_service.mail_template_final_inspection"


class AftersalesWarrantyVoucher(models.Model):
    """Periodic inspections of the voucher's product and its odometer."""

    _inherit = "aftersales.warranty.voucher"

    # Planned by the computes and the daily job, never typed.
    _workflow_fields = Voucher._workflow_fields | {
        "service_plan_id",
        "service_date_next",
        "service_index_next",
    }
    # Readings are added to a live voucher (their own rights apply).
    _final_states = dict(
        Voucher._final_states,
        active=Voucher._final_states["active"] | {"mileage_reading_ids"},
    )

    service_plan_id = fields.Many2one(
        comodel_name="aftersales.service.plan",
        string="Inspection Plan",
        compute="_compute_service_plan_id",
        store=True,
        index="btree_not_null",
        help="The plan of the voucher's policy, else of its product's category.",
    )
    service_date_next = fields.Date(
        string="Next Inspection",
        compute="_compute_service_next",
        store=True,
        index="btree_not_null",
        help="When the next periodic inspection is due: by the plan's months "
        "from the start, or by its km estimated from the readings, whichever "
        "comes first. Empty when none is due before the warranty ends.",
    )
    service_index_next = fields.Integer(
        string="Next Inspection No.",
        compute="_compute_service_next",
        store=True,
    )
    mileage_reading_ids = fields.One2many(
        comodel_name="aftersales.mileage.reading",
        inverse_name="voucher_id",
        string="Mileage Readings",
    )
    mileage_last = fields.Float(
        string="Last Reading (km)",
        digits=(16, 0),
        compute="_compute_mileage_stats",
    )
    km_per_day = fields.Float(
        string="Average (km/day)",
        digits=(16, 1),
        compute="_compute_mileage_stats",
    )
    service_due_ids = fields.One2many(
        comodel_name="aftersales.service.due",
        inverse_name="voucher_id",
        string="Requested Inspections",
        readonly=True,
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("policy_id", "product_id.categ_id", "company_id")
    def _compute_service_plan_id(self):
        found = self.env["aftersales.service.plan"].sudo()._find_for_vouchers(self)
        for voucher in self:
            voucher.service_plan_id = found.get(voucher, False)

    # Not the plan's intervals: a plan change re-plans its vouchers itself,
    # a million of them by a job (aftersales.service.plan._replan_vouchers).
    @api.depends(
        "service_plan_id",
        "date_start",
        "date_end",
        "mileage_start",
        "mileage_reading_ids.date",
        "mileage_reading_ids.km",
        "service_due_ids.kind",
        "service_due_ids.sequence",
        "service_due_ids.date_due",
    )
    def _compute_service_next(self):
        for voucher in self:
            found = voucher._next_inspection()
            voucher.service_index_next = found[0] if found else 0
            voucher.service_date_next = found[1] if found else False

    @api.depends("mileage_start", "date_start", "mileage_reading_ids")
    def _compute_mileage_stats(self):
        for voucher in self:
            readings = voucher._pure_readings()
            voucher.mileage_last = (
                readings[-1].km if readings else voucher.mileage_start
            )
            voucher.km_per_day = (
                (
                    inspections.km_per_day(
                        voucher.date_start, voucher.mileage_start, readings
                    )
                    or 0.0
                )
                if voucher.date_start
                else 0.0
            )

    # ------------------------------------------------------------------
    # Rules
    # ------------------------------------------------------------------

    def _pure_readings(self):
        """The voucher's readings in the order of their days (unchecked)."""
        self.ensure_one()
        return sorted(
            inspections.Reading(reading.date, reading.km)
            for reading in self.mileage_reading_ids
        )

    def _checked_readings(self):
        """The readings, checked: a ValidationError names the one refused."""
        self.ensure_one()
        try:
            return inspections.checked_readings(
                self.date_start, self.mileage_start, self._pure_readings()
            )
        except inspections.ReadingError as error:
            raise self.env["aftersales.mileage.reading"]._reading_error(
                error, self
            ) from None

    def _last_requested(self):
        """(number, due date) of the last periodic inspection requested."""
        periodic = self.service_due_ids.filtered(lambda due: due.kind == "periodic")
        if not periodic:
            return 0, None
        return max(periodic.mapped("sequence")), max(periodic.mapped("date_due"))

    def _next_inspection(self):
        """(number, day) of the next periodic inspection, or None."""
        self.ensure_one()
        plan = self.service_plan_id
        if not (plan and self.date_start):
            return None
        last_index, last_day = self._last_requested()
        return inspections.next_due(
            plan._pure_plan(),
            self.date_start,
            self.mileage_start,
            self._pure_readings(),
            last_index,
            last_day,
            before=self.date_end or None,
        )

    # ------------------------------------------------------------------
    # Issue on delivery: every stored value given at creation
    # ------------------------------------------------------------------

    @api.model
    def _prepare_from_move_lines(self, move_lines):
        vals_list, skipped = super()._prepare_from_move_lines(move_lines)
        if not vals_list:
            return vals_list, skipped
        Plan = self.env["aftersales.service.plan"].sudo()
        products = self.env["product.product"].browse(
            {vals["product_id"] for vals in vals_list}
        )
        finder = Plan._finder(
            self.env["res.company"].browse({vals["company_id"] for vals in vals_list}),
            self.env["aftersales.warranty.policy"].browse(
                {vals["policy_id"] for vals in vals_list}
            ),
            products.categ_id,
        )
        categ_of = {product.id: product.categ_id.id for product in products}
        for vals in vals_list:
            plan = finder(
                vals["company_id"], vals["policy_id"], categ_of[vals["product_id"]]
            )
            found = (
                inspections.next_due(
                    plan._pure_plan(),
                    vals["date_start"],
                    vals.get("mileage_start") or 0.0,
                    [],
                    before=vals["date_end"],
                )
                if plan
                else None
            )
            vals.update(
                service_plan_id=plan.id,
                service_index_next=found[0] if found else 0,
                service_date_next=found[1] if found else False,
            )
        return vals_list, skipped

    # ------------------------------------------------------------------
    # Daily job: inspection requests ahead of their due date, invitations
    # to a last inspection before the warranty ends
    # ------------------------------------------------------------------

    @api.model
    def _cron_plan_inspections(self, batch_size=500):
        """Request the inspections due soon, a batch per call.

        Each voucher's candidates are locked with SKIP LOCKED, so that two
        cron workers never take the same voucher, and re-read under the
        lock; the unique key of the requested inspection (voucher, kind,
        due date) stops a second request should a worker still get there.
        Each batch is committed by the cron runner, which calls again while
        records remain.
        """
        today = fields.Date.context_today(self)
        periodic = self._lock_inspection_candidates("periodic", today, batch_size)
        periodic._request_periodic_inspections(today)
        final = self._lock_inspection_candidates("final", today, batch_size)
        final._invite_final_inspections(today)
        remaining = 0
        if len(periodic) == batch_size or len(final) == batch_size:
            remaining = self._count_inspection_candidates(
                "periodic", today
            ) + self._count_inspection_candidates("final", today)
        self.env["ir.cron"]._notify_progress(
            done=len(periodic) + len(final), remaining=remaining
        )
        return periodic | final

    @api.model
    def _inspection_candidates_sql(self, kind, today):
        """The vouchers whose inspection of ``kind`` is to request by
        ``today``: the company's lead time before it is due, or its notice
        before the warranty ends for the last one. A periodic inspection due
        once the customer is invited to the last one is that one. While a
        changed plan is being re-planned, its vouchers wait for their new
        date.

        Each company has its own days; the longest of them also bounds the
        date by a constant, which the index on it can use (a bound read from
        each row's company would scan every voucher not yet ended, seconds
        at a million, on every call once few candidates are left)."""
        self.env["res.company"].flush_model(
            ["aftersales_service_lead_days", "aftersales_service_final_days"]
        )
        self.env.cr.execute(
            """
            SELECT COALESCE(max(aftersales_service_lead_days), 0),
                   COALESCE(max(aftersales_service_final_days), 0)
              FROM res_company
            """
        )
        most_lead, most_notice = self.env.cr.fetchone()
        if kind == "periodic":
            return SQL(
                """
                FROM aftersales_warranty_voucher v
                JOIN res_company c ON c.id = v.company_id
                JOIN aftersales_service_plan p ON p.id = v.service_plan_id
               WHERE v.state = 'active'
                 AND v.service_date_next <= %(today)s::date + %(most_lead)s
                 AND v.service_date_next <= %(today)s::date
                     + COALESCE(c.aftersales_service_lead_days, 0)
                 AND (p.replan_pending IS NOT TRUE OR v.id <= p.replan_after_id)
                 AND NOT (p.final_inspection
                          AND v.service_date_next >= v.date_end
                              - COALESCE(c.aftersales_service_final_days, 0))
                """,
                today=today,
                most_lead=most_lead,
            )
        return SQL(
            """
            FROM aftersales_warranty_voucher v
            JOIN res_company c ON c.id = v.company_id
            JOIN aftersales_service_plan p ON p.id = v.service_plan_id
           WHERE v.state = 'active'
             AND p.final_inspection
             AND v.date_start <= %(today)s
             AND v.date_end >= %(today)s
             AND v.date_end <= %(today)s::date + %(most_notice)s
             AND v.date_end <= %(today)s::date
                 + COALESCE(c.aftersales_service_final_days, 0)
             AND NOT EXISTS (
                   SELECT 1 FROM aftersales_service_due d
                    WHERE d.voucher_id = v.id AND d.kind = 'final')
            """,
            today=today,
            most_notice=most_notice,
        )

    @api.model
    def _lock_inspection_candidates(self, kind, today, limit):
        order = SQL(
            "v.service_date_next, v.id" if kind == "periodic" else "v.date_end, v.id"
        )
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT v.id %s ORDER BY %s LIMIT %s
                   FOR NO KEY UPDATE OF v SKIP LOCKED
                """,
                self._inspection_candidates_sql(kind, today),
                order,
                limit,
            )
        )
        vouchers = self.browse([row[0] for row in self.env.cr.fetchall()])
        # Re-read under the lock: another worker may have just handled them.
        vouchers.invalidate_recordset()
        if kind == "periodic":
            lead = {
                company: timedelta(days=company.aftersales_service_lead_days)
                for company in vouchers.company_id
            }
            return vouchers.filtered(
                lambda v: v.state == "active"
                and v.service_date_next
                and v.service_date_next <= today + lead[v.company_id]
                and not v._replaced_by_final(v.service_date_next)
            )
        return vouchers.filtered(
            lambda v: v.state == "active"
            and not v.service_due_ids.filtered(lambda due: due.kind == "final")
            and inspections.final_invitation_day(
                v.date_start, v.date_end, v.company_id.aftersales_service_final_days
            )
            <= today
        )

    def _replaced_by_final(self, day):
        """Whether an inspection due on ``day`` is the last one, which the
        customer is invited to before the warranty ends."""
        self.ensure_one()
        return self.service_plan_id.final_inspection and day >= (
            inspections.final_invitation_day(
                self.date_start,
                self.date_end,
                self.company_id.aftersales_service_final_days,
            )
        )

    @api.model
    def _count_inspection_candidates(self, kind, today):
        self.env.cr.execute(
            SQL("SELECT count(*) %s", self._inspection_candidates_sql(kind, today))
        )
        return self.env.cr.fetchone()[0]

    def _request_periodic_inspections(self, today):
        """One service request and one requested inspection per voucher, for
        its next inspection and those due by the same horizon."""
        if not self:
            return
        entries = []
        for voucher in self:
            plan = voucher.service_plan_id
            pure = plan._pure_plan()
            readings = voucher._pure_readings()
            horizon = today + timedelta(
                days=voucher.company_id.aftersales_service_lead_days
            )
            index, day = voucher.service_index_next, voucher.service_date_next
            covered = max(
                index,
                inspections.last_index_due_by(
                    pure, voucher.date_start, voucher.mileage_start, readings, horizon
                ),
            )
            entries.append(
                {
                    "voucher": voucher,
                    "kind": "periodic",
                    "sequence": covered,
                    "date_due": day,
                    "km_due": voucher.mileage_start + pure.km * index
                    if pure.km
                    else 0.0,
                    "index": index,
                }
            )
        self._open_inspection_requests(entries)

    def _invite_final_inspections(self, today):
        """A service request and an invitation to the customer per voucher,
        for a last inspection before its warranty ends."""
        if not self:
            return
        entries = [
            {
                "voucher": voucher,
                "kind": "final",
                "sequence": 0,
                "date_due": voucher.date_end,
                "km_due": 0.0,
                "index": 0,
            }
            for voucher in self
        ]
        dues = self._open_inspection_requests(entries)
        invited = self.filtered(lambda v: v.partner_id.email)
        template = self.env.ref(FINAL_TEMPLATE, raise_if_not_found=False)
        if template and invited:
            template.send_mail_batch(invited.ids)
            dues.filtered(lambda due: due.voucher_id in invited).mail_sent = True

    def _open_inspection_requests(self, entries):
        """The service requests, requested inspections, activities and notes
        of ``entries`` (dicts with voucher, kind, sequence, date_due, km_due
        and index), each in a constant number of queries."""
        vouchers = self.browse([entry["voucher"].id for entry in entries])
        stations = vouchers._inspection_stations()
        team = self.env.ref(INSPECTION_TEAM, raise_if_not_found=False)
        stage = team._get_applicable_stages()[:1] if team else False
        numbers = {}
        for company, group in vouchers.grouped("company_id").items():
            numbers[company] = iter(
                self.env["helpdesk.ticket"]._aftersales_next_numbers(
                    company, len(group)
                )
            )
        ticket_vals = []
        for entry in entries:
            voucher = entry["voucher"]
            station = stations.get(voucher, self.env["aftersales.station"])
            ticket_vals.append(
                voucher._prepare_inspection_ticket(
                    entry, station, team, stage, next(numbers[voucher.company_id])
                )
            )
        # Without the creation message helpdesk posts ticket by ticket (a
        # dozen queries each): the round logs its own notes at once below.
        # The team is set on all of them at once after: at creation, its
        # followers are looked up ticket by ticket, and so is its first stage
        # when the team changes (given here).
        Ticket = self.env["helpdesk.ticket"].with_context(
            mail_create_nolog=True, mail_create_nosubscribe=True, mail_notrack=True
        )
        tickets = Ticket.create(ticket_vals)
        if team:
            with self.env.protecting([Ticket._fields["stage_id"]], tickets):
                tickets.write({"team_id": team.id})
        dues = self.env["aftersales.service.due"].create(
            [
                {
                    "voucher_id": entry["voucher"].id,
                    "company_id": entry["voucher"].company_id.id,
                    "plan_id": entry["voucher"].service_plan_id.id,
                    "kind": entry["kind"],
                    "sequence": entry["sequence"],
                    "date_due": entry["date_due"],
                    "km_due": entry["km_due"],
                    "ticket_id": ticket.id,
                    "station_id": stations.get(entry["voucher"], False)
                    and stations[entry["voucher"]].id,
                }
                for entry, ticket in zip(entries, tickets, strict=True)
            ]
        )
        activities, bodies, ticket_bodies = [], {}, {}
        for entry, ticket in zip(entries, tickets, strict=True):
            voucher = entry["voucher"]
            station = stations.get(voucher)
            user = (station and station.user_id) or voucher.user_id
            summary = voucher._inspection_summary(entry)
            if user:
                activities.append((ticket, user, summary, entry["date_due"]))
            bodies[voucher.id] = Markup("%s") % self.env._(
                "%(summary)s: service request %(ticket)s.",
                summary=summary,
                ticket=ticket.number,
            )
            ticket_bodies[ticket.id] = Markup("%s") % self.env._(
                "Requested by the daily inspection job for voucher %(voucher)s.",
                voucher=voucher.name,
            )
        schedule_activities(tickets, activities, act_type_xmlid=INSPECTION_ACTIVITY)
        log_notes(vouchers, bodies)
        log_notes(tickets, ticket_bodies, message_type="notification")
        return dues

    def _inspection_summary(self, entry):
        due = format_date(self.env, entry["date_due"])
        if entry["kind"] == "final":
            return self.env._(
                "Last inspection of %(serial)s before its warranty ends on %(date)s",
                serial=self.serial,
                date=due,
            )
        return self.env._(
            "Inspection %(number)s of %(serial)s due on %(date)s",
            number=entry["index"],
            serial=self.serial,
            date=due,
        )

    def _prepare_inspection_ticket(self, entry, station, team, stage, number):
        self.ensure_one()
        plan = self.service_plan_id
        lines = [
            self._inspection_summary(entry),
            self.env._(
                "Product: %(product)s, serial %(serial)s, voucher %(voucher)s.",
                product=self.product_id.display_name,
                serial=self.serial,
                voucher=self.name,
            ),
        ]
        if entry["km_due"]:
            km_due = f"{entry['km_due']:,.0f}"  # not inside _(): see the reading
            lines.append(self.env._("Due at %(km)s km.", km=km_due))
        description = Markup("").join(Markup("<p>%s</p>") % line for line in lines)
        if plan.note:
            description += plan.note
        return {
            "number": number,
            "name": self._inspection_summary(entry),
            "description": description,
            "company_id": self.company_id.id,
            "stage_id": stage.id if stage else False,
            "partner_id": self.partner_id.id,
            "partner_name": self.partner_id.name,
            "partner_email": self.partner_id.email,
            "product_id": self.product_id.id,
            "lot_id": self.lot_id.id,
            "voucher_id": self.id,
            "station_id": station.id,
            "region_id": station.region_id.id,
            "aftersales_service_type": "inspection",
        }

    def _inspection_stations(self):
        """The station responsible for each voucher: its customer's
        inspecting station, else the station of its latest claim or service
        request; active stations only."""
        stations = {}
        rest = self.browse()
        for voucher in self:
            station = (
                voucher.partner_id.commercial_partner_id.aftersales_service_station_id
            )
            if station.state == "active":
                stations[voucher] = station
            else:
                rest |= voucher
        if rest:
            self.env.cr.execute(
                SQL(
                    """
                    SELECT DISTINCT ON (served.voucher_id) served.voucher_id,
                           served.station_id
                      FROM (SELECT voucher_id, station_id, create_date, id
                              FROM aftersales_claim
                             WHERE voucher_id IN %(ids)s AND station_id IS NOT NULL
                            UNION ALL
                            SELECT voucher_id, station_id, create_date, id
                              FROM helpdesk_ticket
                             WHERE voucher_id IN %(ids)s AND station_id IS NOT NULL
                           ) served
                      JOIN aftersales_station station
                        ON station.id = served.station_id
                       AND station.state = 'active' AND station.active
                     ORDER BY served.voucher_id, served.create_date DESC,
                           served.id DESC
                    """,
                    ids=tuple(rest.ids),
                )
            )
            Station = self.env["aftersales.station"]
            for voucher_id, station_id in self.env.cr.fetchall():
                stations[self.browse(voucher_id)] = Station.browse(station_id)
        return stations
