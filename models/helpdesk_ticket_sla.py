# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models

# The order in which a ticket's deadlines fall due: the customer is answered
# no later than the technician is on site, who is there before it is solved.
KIND_ORDER = ("reply", "on_site", "resolution")


class HelpdeskTicketSla(models.Model):
    _inherit = "helpdesk.ticket.sla"

    aftersales_escalated = fields.Boolean(
        string="Escalated",
        readonly=True,
        copy=False,
        help="The breach of this deadline was escalated (once).",
    )

    @api.depends(
        "sla_id.aftersales_kind",
        "ticket_id.ticket_sla_ids.hours",
        "ticket_id.ticket_sla_ids.sla_id.aftersales_kind",
    )
    def _compute_deadline(self):
        """A step is due no later than the steps after it.

        Taken one by one, the rules would have a near request visited within
        1 day but answered within 2 (seeds 001-003). A line gets at most the
        hours of the ticket's lines of a later step; they all start with the
        ticket on the same calendar and only the later steps pause (in
        Awaiting), so the deadlines keep their order.
        """
        capped = self.browse()
        caps = {}
        for line in self:
            cap = line._aftersales_hours_cap()
            if cap is not None and cap < line.hours:
                capped |= line
                caps[line] = cap
        res = super(HelpdeskTicketSla, self - capped)._compute_deadline()
        for line in capped:
            # As OCA does: a met or missed deadline stays as it was.
            if line.state in ("accomplished", "expired") and line.deadline:
                continue
            ticket = line.ticket_id
            line.deadline = ticket.team_id.resource_calendar_id.plan_hours(
                caps[line] - line.consumed_time,
                line.last_state_date or ticket.create_date,
                compute_leaves=True,
            )
        return res

    def _aftersales_hours_cap(self):
        """Fewest hours of the ticket's lines of a later step, or None."""
        self.ensure_one()
        kind = self.sla_id.aftersales_kind
        if kind not in KIND_ORDER:
            return None
        later = KIND_ORDER[KIND_ORDER.index(kind) + 1 :]
        hours = [
            sibling.hours
            for sibling in self.ticket_id.ticket_sla_ids
            if sibling.sla_id.aftersales_kind in later
        ]
        return min(hours, default=None)

    def _stage_recompute(self):
        paused = self.state == "on_hold"
        res = super()._stage_recompute()
        # OCA leaves a line that was paused past its planned deadline running
        # when the ticket reaches the line's stage (a done ticket with a
        # deadline ahead). The pause did not count: the stage was reached in
        # time. Keep the deadline the pause moved it to, then close the line.
        if (
            paused
            and self.state == "in_progress"
            and self.ticket_id.stage_id.sequence >= self.expected_stage_id.sequence
        ):
            self._recompute_recordset(["deadline"])
            self.state = "accomplished"
        return res
