# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL


class AftersalesWorkflowMixin(models.AbstractModel):
    """A document's state machine: the moves each state allows, others refused."""

    _name = "aftersales.workflow.mixin"
    _description = "After-Sales Workflow"

    # state -> the states it may move to; each document sets its own.
    _state_transitions = {}

    def _state_label(self, state):
        return dict(self._fields["state"]._description_selection(self.env))[state]

    def _check_transition(self, new_state):
        for record in self:
            if new_state not in self._state_transitions[record.state]:
                raise UserError(
                    self.env._(
                        "%(record)s cannot go from %(from)s to %(to)s.",
                        record=record.display_name,
                        **{
                            "from": record._state_label(record.state),
                            "to": record._state_label(new_state),
                        },
                    )
                )

    def _move_to(self, new_state, **values):
        self._check_transition(new_state)
        self.write(dict(values, state=new_state))

    def _check_group(self, xmlid, message):
        """Refuse a step to users outside ``xmlid``; jobs run it as the system."""
        if self.env.context.get("aftersales_system") or self.env.user.has_group(xmlid):
            return
        raise AccessError(message)

    def _lock_batch(self, domain, limit, order="id"):
        """Up to ``limit`` records of ``domain`` that no other worker holds.

        ``FOR UPDATE SKIP LOCKED``: two cron workers never process the same
        record; what one holds, the other leaves for a later run.
        """
        candidates = self.search(domain, limit=limit, order=order)
        if not candidates:
            return candidates
        self.env.cr.execute(
            SQL(
                "SELECT id FROM %s WHERE id IN %s FOR UPDATE SKIP LOCKED",
                SQL.identifier(self._table),
                tuple(candidates.ids),
            )
        )
        locked = self.browse([row[0] for row in self.env.cr.fetchall()])
        # Re-read under the lock: another worker may have just changed them.
        locked.invalidate_recordset()
        return locked.filtered_domain(domain)
