# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Chatter for many records at once, for the daily jobs.

Odoo's per-record helpers (``activity_schedule``, ``message_post``, value
tracking) cost a dozen queries per record and mail the assignee of every
activity. The jobs handle thousands of records a round: these helpers insert
the activities, notes and tracking values of a round in one create each, and
send each assignee one digest of their new activities.
"""

from collections import defaultdict

from markupsafe import Markup

from odoo import fields

TODO = "mail.mail_activity_data_todo"


def schedule_activities(model, entries, act_type_xmlid=TODO, digests=None):
    """Create the activities of ``entries`` in one call, then one digest per
    assignee. ``entries``: (record, user, summary, deadline or None) tuples.
    With ``digests`` (a list), the entries are added to it for the caller to
    send once for its whole round instead.

    What ``activity_schedule`` would write, without its mail per activity
    (``mail_activity_quick_update``); the assignee still follows the record.
    """
    if not entries:
        return model.env["mail.activity"]
    env = model.env
    activity_type = env.ref(act_type_xmlid)
    model_id = env["ir.model"]._get(model._name).id
    today = fields.Date.context_today(model)
    activities = (
        env["mail.activity"]
        .with_context(mail_activity_quick_update=True)
        .create(
            [
                {
                    "activity_type_id": activity_type.id,
                    "summary": summary or activity_type.summary,
                    "automated": True,
                    "note": activity_type.default_note,
                    "date_deadline": deadline or today,
                    "res_model_id": model_id,
                    "res_id": record.id,
                    "user_id": user.id,
                }
                for record, user, summary, deadline in entries
            ]
        )
    )
    if digests is None:
        send_digests(model, entries)
    else:
        digests.extend(entries)
    return activities.with_context(mail_activity_quick_update=False)


def send_digests(model, entries):
    """One message per assignee listing the records of their new activities
    (inbox or e-mail, as each user chose), in the assignee's language."""
    by_user = defaultdict(list)
    for record, user, summary, __ in entries:
        if user.partner_id and user != model.env.user:
            by_user[user].append((record, summary))
    for user, items in by_user.items():
        local = model.with_context(lang=user.lang or model.env.lang)
        # Not posted on a record: on the thread model itself, as Odoo's own
        # notifications that belong to no document.
        Thread = local.env["mail.thread"]
        rows = Markup("").join(
            Markup('<li><a href="/mail/view?model=%s&amp;res_id=%s">%s</a>: %s</li>')
            % (record._name, record.id, record.display_name, summary)
            for record, summary in items
        )
        Thread.message_notify(
            partner_ids=user.partner_id.ids,
            subject=local.env._(
                "%(count)s new activities: %(document)s",
                count=len(items),
                document=local.env["ir.model"]._get(model._name).name,
            ),
            body=Markup("<p>%s</p><ul>%s</ul>")
            % (local.env._("New activities assigned to you:"), rows),
            # Queued: the mail queue sends them, not this round.
            force_send=False,
        )


def log_notes(records, bodies, message_type="comment", tracking=None):
    """One internal note per record (``bodies``: id -> body) in one insert,
    with the tracking values ``tracking`` (id -> list of their values)."""
    if not records:
        return records.env["mail.message"]
    messages = records._message_log_batch(bodies=bodies, message_type=message_type)
    if tracking:
        records.env["mail.tracking.value"].sudo().create(
            [
                dict(values, mail_message_id=message.id)
                for message in messages
                for values in tracking.get(message.res_id, ())
            ]
        )
    return messages


def track_values(records, field_name, old_values, new_values):
    """The tracking values of ``field_name`` going from ``old_values`` to
    ``new_values`` (id -> value), as Odoo's tracking would write them."""
    info = records.fields_get(
        [field_name], attributes=("string", "type", "selection", "currency_field")
    )[field_name]
    Tracking = records.env["mail.tracking.value"]
    return {
        record.id: [
            Tracking._create_tracking_values(
                old_values[record.id], new_values[record.id], field_name, info, record
            )
        ]
        for record in records
    }
