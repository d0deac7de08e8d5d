# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL

from .aftersales_bulk_chatter import log_notes, schedule_activities

REMINDER_TEMPLATE = "aftersales_service.mail_template_aftersales_appointment_reminder"


class AftersalesAppointment(models.Model):
    """The reminder the day before (seed 002 example 3: 在返店保养前一天
    收到提醒), sent once per appointment by a daily job."""

    _inherit = "aftersales.appointment"

    reminder_due = fields.Boolean(
        string="Due for Reminder",
        compute="_compute_reminder_due",
        search="_search_reminder_due",
        help="Confirmed, not reminded yet, and at the latest tomorrow in the "
        "station's time zone.",
    )

    # Not stored: it turns true as the days pass.
    @api.depends("state", "reminder_sent", "date_start", "date_local", "station_tz")
    def _compute_reminder_due(self):
        now = fields.Datetime.now()
        for appointment in self:
            today = fields.Datetime.context_timestamp(
                appointment.with_context(tz=appointment.station_tz), now
            ).date()
            appointment.reminder_due = bool(
                appointment.state == "confirmed"
                and not appointment.reminder_sent
                and appointment.date_start
                and appointment.date_start > now
                and appointment.date_local <= today + timedelta(days=1)
            )

    def _search_reminder_due(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on Due for Reminder."))
        now = fields.Datetime.now()
        bound = now.date() + timedelta(days=2)
        # Read by the SQL below, not by the domain: flushed here.
        self.env["aftersales.station"].flush_model(
            ["resource_calendar_id", "company_id"]
        )
        self.env["res.company"].flush_model(["resource_calendar_id"])
        self.env["resource.calendar"].flush_model(["tz"])
        # The day of each appointment against tomorrow in the zone its day is
        # counted in (``_compute_date_local``: the station's hours, else its
        # company's, else UTC), whatever hour the job runs at: at 20:00 UTC,
        # tomorrow is already the day after in Beijing.
        due = SQL(
            """(
            SELECT a.id
              FROM aftersales_appointment a
              LEFT JOIN aftersales_station s ON s.id = a.station_id
              LEFT JOIN resource_calendar sc ON sc.id = s.resource_calendar_id
              LEFT JOIN res_company co ON co.id = s.company_id
              LEFT JOIN resource_calendar cc ON cc.id = co.resource_calendar_id
             WHERE a.state = 'confirmed'
               AND a.date_local <= %(bound)s
               AND a.date_local <= (%(now)s::timestamp AT TIME ZONE 'UTC'
                     AT TIME ZONE COALESCE(sc.tz, cc.tz, 'UTC'))::date + 1
            )""",
            now=now,
            bound=bound,
        )
        domain = [
            ("state", "=", "confirmed"),
            ("reminder_sent", "=", False),
            ("date_start", ">", now),
            # No zone is more than a day ahead of UTC: the index narrows first.
            ("date_local", "<=", bound),
            ("id", "in", due),
        ]
        if (operator == "=") == value:
            return domain
        return ["!", *expression.AND([[leaf] for leaf in domain])]

    @api.model
    def _reminder_domain(self):
        """Confirmed appointments not reminded yet, from now to the end of
        tomorrow in their station's time zone."""
        return [("reminder_due", "=", True)]

    @api.model
    def _cron_send_reminders(self, batch_size=200):
        """Remind up to ``batch_size`` customers per call, in a constant
        number of queries: the runner calls again while ``_notify_progress``
        reports more, committing between rounds.

        Each appointment is locked (``FOR UPDATE SKIP LOCKED``) and flagged
        ``reminder_sent`` in the transaction that queues its e-mail: a second
        worker skips what the first holds, and once committed the flag keeps
        every later run from sending it again.
        """
        done = self._send_reminders(batch_size)
        remaining = self.search_count(self._reminder_domain())
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done

    @api.model
    def _send_reminders(self, limit):
        appointments = self._lock_batch(self._reminder_domain(), limit)
        if not appointments:
            return 0
        mailed = appointments.filtered(lambda a: a.partner_id.email)
        if mailed:
            template = self.env.ref(REMINDER_TEMPLATE).sudo()
            template.send_mail_batch(mailed.ids)
            log_notes(
                mailed,
                {
                    appointment.id: self.env._(
                        "Reminder sent to %(email)s.",
                        email=appointment.partner_id.email,
                    )
                    for appointment in mailed
                },
            )
        # No address to write to: the service advisor calls them.
        schedule_activities(
            self,
            [
                (
                    appointment,
                    appointment.user_id
                    or appointment.station_id.user_id
                    or self.env.user,
                    self.env._(
                        "Remind %(customer)s by phone: %(phone)s",
                        customer=appointment.customer_display,
                        phone=appointment.phone or "",
                    ),
                    appointment.date_local,
                )
                for appointment in appointments - mailed
            ],
        )
        appointments._workflow_write({"reminder_sent": True})
        return len(appointments)
