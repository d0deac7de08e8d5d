# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import contextvars
from contextlib import contextmanager

from odoo import api, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ..aftersales_service import periods, schedule

# (model, id) pairs a transition is writing right now. A context variable of
# the server, not an Odoo context key: no RPC client can set it.
_IN_TRANSITION = contextvars.ContextVar("aftersales_in_transition", default=frozenset())
_CREATING = object()

# Bookkeeping that any reader of a record may cause (followers, activities,
# portal token): never a business change.
ALWAYS_WRITABLE = frozenset(
    {
        "message_follower_ids",
        "message_ids",
        "message_main_attachment_id",
        "activity_ids",
        "website_message_ids",
        "access_token",
    }
)


class AftersalesWorkflowMixin(models.AbstractModel):
    """A document's state machine, and the one authority over its state.

    Each document declares:

    - ``_state_transitions``: state -> the states it may move to;
    - ``_workflow_fields``: the fields only its transitions write (the state,
      approval and signature stamps, links to the documents a transition
      generates). A plain ``write`` or ``create`` of them is refused;
    - ``_final_states``: state -> the fields that stay editable in it (an
      empty set: nothing). Any other change of a final record is refused
      with a message naming its state.

    Transitions write through :meth:`_move_to` / :meth:`_workflow_write` /
    :meth:`_workflow_create`, after checking the user's role on the server
    with :meth:`_check_group`. Only ``self.env.su`` (crons, data files,
    controllers after their own checks) bypasses the role and field checks.
    """

    _name = "aftersales.workflow.mixin"
    _description = "After-Sales Workflow"
    _inherit = ["aftersales.input.mixin"]

    _state_transitions = {}
    _workflow_fields = frozenset({"state"})
    _final_states = {}

    # ------------------------------------------------------------------
    # States
    # ------------------------------------------------------------------

    # Kanban columns of these states fold, as core folds its closed stages
    # (only these: marking the others open would open every list group).
    _kanban_folded_states = frozenset()

    @api.model
    def _web_read_group(
        self, domain, fields, groupby, limit=None, offset=0, orderby=False, lazy=True
    ):
        groups = super()._web_read_group(
            domain, fields, groupby, limit, offset, orderby, lazy
        )
        if groupby and groupby[0] == "state":
            for group in groups:
                if group.get("state") in self._kanban_folded_states:
                    group["__fold"] = True
        return groups

    def _action_related(self, action_xmlid, domain, context):
        """The list of ``action_xmlid`` limited to what relates to this record
        (stat buttons): only for a reader of the record."""
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.actions"]._for_xml_id(action_xmlid)
        action.update(domain=domain, context=context)
        return action

    def _state_label(self, state):
        return dict(self._fields["state"]._description_selection(self.env)).get(
            state, state or ""
        )

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

    def _lock_rows(self, key="UPDATE"):
        """Lock the records' rows until the end of the transaction, waiting
        for a concurrent transition instead of failing on its write."""
        if self.ids:
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM %s WHERE id IN %s FOR %s",
                    SQL.identifier(self._table),
                    tuple(self.ids),
                    SQL(key),
                ),
                # A serialization failure is retried by Odoo, not an error.
                log_exceptions=False,
            )
            # What the other transaction committed is what we decide on.
            self.invalidate_recordset()
        return self

    def _move_to(self, new_state, **values):
        """The transition: rows locked, state checked under the lock, written."""
        self._lock_rows()
        self._check_transition(new_state)
        self._workflow_write(dict(values, state=new_state))

    @contextmanager
    def _transition_scope(self, keys):
        token = _IN_TRANSITION.set(_IN_TRANSITION.get() | frozenset(keys))
        try:
            yield
        finally:
            _IN_TRANSITION.reset(token)

    def _workflow_write(self, values):
        """Write workflow fields as the transition that owns them."""
        with self._transition_scope((self._name, rid) for rid in self.ids):
            return self.write(values)

    def _workflow_create(self, vals_list):
        """Create records whose workflow fields a transition sets."""
        with self._transition_scope([(self._name, _CREATING)]):
            return self.create(vals_list)

    @api.model
    def _creating_in_transition(self):
        """Whether records of this model are being created by a transition."""
        return self.env.su or (self._name, _CREATING) in _IN_TRANSITION.get()

    def _written_by_transition(self):
        """Whether a transition of these records is writing them now (the
        superuser included: for what not even it may do outside one)."""
        allowed = _IN_TRANSITION.get()
        return all((self._name, rid) in allowed for rid in self.ids)

    def _in_transition(self):
        return self.env.su or self._written_by_transition()

    # ------------------------------------------------------------------
    # Guards
    # ------------------------------------------------------------------

    def _field_labels(self, names):
        return ", ".join(
            sorted(
                self._fields[name].get_description(self.env)["string"]
                for name in names
                if name in self._fields
            )
        )

    @api.model
    def _document_label(self):
        """The model's name in the user's language, for messages."""
        return self.env["ir.model"]._get(self._name).name

    @api.model_create_multi
    def create(self, vals_list):
        if not self._creating_in_transition():
            # Whoever may not create at all hears that first.
            self.browse().check_access("create")
            default_state = self._fields["state"].default
            default_state = default_state(self) if callable(default_state) else None
            for vals in vals_list:
                forced = {
                    name
                    for name in vals.keys() & self._workflow_fields
                    if vals[name]
                    and not (name == "state" and vals[name] == default_state)
                }
                if forced:
                    raise UserError(
                        self.env._(
                            "%(fields)s of a new %(document)s are set by its "
                            "actions, not typed.",
                            fields=self._field_labels(forced),
                            document=self._document_label(),
                        )
                    )
        return super().create(vals_list)

    def write(self, vals):
        if not self._in_transition():
            self.check_access("write")
            forced = vals.keys() & self._workflow_fields
            if forced:
                raise UserError(
                    self.env._(
                        "%(fields)s of %(document)s change through its actions "
                        "only.",
                        fields=self._field_labels(forced),
                        document=self._document_label(),
                    )
                )
            self._check_final(vals.keys())
        return super().write(vals)

    def _check_final(self, names):
        """Refuse changes of final records, naming the state."""
        changed = set(names) - ALWAYS_WRITABLE
        if not changed:
            return
        for record in self:
            editable = self._final_states.get(record.state)
            if editable is None:
                continue
            refused = changed - editable
            if refused:
                raise UserError(
                    self.env._(
                        "%(record)s is %(state)s: %(fields)s can no longer " "change.",
                        record=record.display_name,
                        state=record._state_label(record.state),
                        fields=self._field_labels(refused) or ", ".join(refused),
                    )
                )

    @api.model
    def _month_from(self, value):
        """The first day of the month ``value`` names (a date, a datetime or
        a ``YYYY-MM-DD`` string of a real day); anything else is refused."""
        if value is None or value is False or value == "":
            raise ValidationError(
                self.env._(
                    "Give the month of the %(document)s.",
                    document=self._document_label(),
                )
            )
        try:
            day = periods.parse_day(value)
        except ValueError:
            raise ValidationError(
                self.env._(
                    "%(value)s is not a real day: give the month of the "
                    "%(document)s as a date (YYYY-MM-DD).",
                    value=repr(value),
                    document=self._document_label(),
                )
            ) from None
        return schedule.month_of(day)

    def _check_group(self, xmlid, message):
        """Refuse a step to users outside ``xmlid``; only the superuser
        environment (crons, controllers after their checks) skips it."""
        if self.env.su or self.env.user.has_group(xmlid):
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
