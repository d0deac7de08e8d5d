# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo import api, fields, models

from .aftersales_bulk_chatter import log_notes, schedule_activities

REMINDER_TEMPLATE = "aftersales_service.mail_template_aftersales_appointment_reminder"


class AftersalesAppointment(models.Model):
    """The reminder the day before (seed 002 example 3: 在返店保养前一天
    收到提醒), sent once per appointment by a daily job."""

    _inherit = "aftersales.appointment"

    @api.model
    def _reminder_domain(self):
        """Confirmed appointments not reminded yet, from now to the end of
        tomorrow: their day in the station's time zone against the UTC day
        (the job runs at 01:00 UTC, when UTC and the stations' zones from
        UTC-1 to UTC+14 name the same day)."""
        tomorrow = fields.Date.today() + timedelta(days=1)
        return [
            ("state", "=", "confirmed"),
            ("reminder_sent", "=", False),
            ("date_start", ">", fields.Datetime.now()),
            ("date_local", "<=", tomorrow),
        ]

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
