# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The daily jobs at volume: voucher expiry, ticket escalation, return schedule.

``bench_jobs(registry, args)`` fills one cursor by SQL bulk inserts, runs each
job's rounds as the cron runner does (the method again while it reports
records remaining), prints records, rounds, queries per round and time per
10,000 records, and rolls everything back. ``args`` may carry (defaults in
brackets) ``jobs_vouchers`` [1,000,000], ``jobs_expired`` [100,000],
``jobs_tickets`` [100,000], ``jobs_offices`` [5,000] and ``jobs_managers``
[50]; a missing attribute takes its default.
"""

import time
from datetime import timedelta
from unittest.mock import patch

from benchmark import fill_vouchers

import odoo
from odoo import api, fields

DEFAULTS = {
    "jobs_vouchers": 1_000_000,
    "jobs_expired": 100_000,
    "jobs_tickets": 100_000,
    "jobs_offices": 5_000,
    "jobs_managers": 50,
}


def run_rounds(env, job):
    """Call ``job`` until it reports nothing remaining (or no progress), as
    ``ir.cron`` does; (done, remaining, queries, seconds) per round."""
    rounds = []
    progress = []

    def notify(cron, done, remaining, deactivate=False):
        progress.append((done, remaining))

    with patch.object(type(env["ir.cron"]), "_notify_progress", notify):
        while True:
            env.invalidate_all()
            before = env.cr.sql_log_count
            start = time.perf_counter()
            job()
            # What the commit between rounds runs too: Odoo's value tracking.
            env.flush_all()
            env.cr.precommit.run()
            env.flush_all()
            seconds = time.perf_counter() - start
            done, remaining = progress[-1] if progress else (0, 0)
            rounds.append((done, remaining, env.cr.sql_log_count - before, seconds))
            if not remaining or not done:
                return rounds


def report(label, rounds):
    records = sum(r[0] for r in rounds)
    seconds = sum(r[3] for r in rounds)
    # Rounds that did something: the last one only checks there is no more.
    working = [r for r in rounds if r[0]] or rounds
    queries = [r[2] for r in working]
    per_10k = seconds / records * 10_000 if records else 0.0
    print(f"{label}:")
    print(f"  records handled           : {records:10d}")
    print(f"  rounds                    : {len(rounds):10d}")
    print(f"  queries per round min/max : {min(queries):5d} / {max(queries):d}")
    print(f"  queries per record        : {sum(queries) / max(records, 1):10.2f}")
    print(f"  time                      : {seconds:10.1f} s")
    print(f"  time per 10,000 records   : {per_10k:10.1f} s")


def make_managers(env, count):
    group = env.ref("aftersales_service.group_aftersales_manager")
    return env["res.users"].create(
        [
            {
                "name": f"Bench manager {n}",
                "login": f"bench_jobs_manager_{n}",
                "groups_id": [odoo.Command.set(group.ids)],
            }
            for n in range(count)
        ]
    )


def fill_regions(env, count, managers, week):
    """``count`` scheduled offices, their managers taken in turn."""
    office = env["res.partner"].create({"name": "Bench jobs office"})
    env.flush_all()
    env.cr.execute(
        """
        INSERT INTO aftersales_region (
            name, code, company_id, response_class, return_week,
            office_partner_id, manager_id, create_uid, create_date, write_uid,
            write_date)
        SELECT jsonb_build_object('en_US', 'Bench region ' || n), 'BJ-' || n, %s,
               'far', %s, %s, (%s::int[])[1 + n %% %s], 1, now(), 1, now()
          FROM generate_series(1, %s) n
        RETURNING id
        """,
        (env.company.id, week, office.id, managers.ids, len(managers), count),
    )
    return env["aftersales.region"].browse(sorted(r[0] for r in env.cr.fetchall()))


def fill_batches(env, regions, today, week, rule):
    """A quarter of the offices in each situation of ``today``: window opening
    (their week starts today, no batch yet), to remind (window open), to
    postpone (window missed), settlement overdue."""
    schedule = _schedule()
    ids = regions.ids
    opening, remind, postpone, flag = (ids[n::4] for n in range(4))
    month = schedule.month_of(today)
    last_month = schedule.month_of(month - timedelta(days=1))
    if week:
        env.cr.execute(
            "UPDATE aftersales_region SET return_week = %s WHERE id = ANY(%s)",
            (week, opening),
        )
        env.cr.execute(
            "UPDATE res_company SET aftersales_week_rule = %s WHERE id = %s",
            (rule, env.company.id),
        )
    rows = [
        (remind, "draft", month, today - timedelta(1), today + timedelta(5), None),
        (
            postpone,
            "draft",
            last_month,
            today - timedelta(9),
            today - timedelta(3),
            None,
        ),
        (flag, "received", last_month, None, None, today - timedelta(5)),
    ]
    for region_ids, state, period, start, end, received in rows:
        env.cr.execute(
            """
            INSERT INTO aftersales_return_batch (
                name, company_id, region_id, office_partner_id, state,
                period_date, window_start, window_end, date_received,
                count_deadline, settlement_deadline, approved_by_id,
                special_approval, settlement_overdue, reminder_sent,
                postponed_count, total_quantity, total_received,
                total_difference, create_uid, create_date, write_uid,
                write_date)
            SELECT 'RB/BENCH/' || r.id || '/' || %s, r.company_id, r.id,
                   r.office_partner_id, %s, %s, %s, %s, %s, %s, %s,
                   CASE WHEN %s = 'received' THEN r.manager_id END,
                   false, false, false, 0, 0, 0, 0, 1, now(), 1, now()
              FROM aftersales_region r
             WHERE r.id = ANY(%s)
            """,
            (
                state,
                state,
                period,
                start,
                end,
                received,
                received and received + timedelta(1),
                received and received + timedelta(3),
                state,
                region_ids,
            ),
        )
    return {
        "opening": len(opening) if week else 0,
        "remind": len(remind),
        "postpone": len(postpone),
        "flag": len(flag),
    }


def fill_tickets(env, count, regions):
    """``count`` open tickets, each with a reply SLA breached yesterday."""
    team = env.ref("aftersales_service.helpdesk_team_aftersales")
    stage = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
    sla = env.ref("aftersales_service.sla_reply_normal")
    env.cr.execute(
        """
        INSERT INTO helpdesk_ticket (
            name, description, number, company_id, team_id, stage_id,
            priority, region_id, create_uid, create_date, write_uid, write_date)
        SELECT 'Bench ticket ' || n, '', 'BT' || n, %s, %s, %s, '1',
               (%s::int[])[1 + n %% %s], 1, now(), 1, now()
          FROM generate_series(1, %s) n
        """,
        (env.company.id, team.id, stage.id, regions.ids, len(regions), count),
    )
    env.cr.execute(
        """
        INSERT INTO helpdesk_ticket_sla (
            ticket_id, sla_id, state, deadline, aftersales_escalated,
            consumed_time, create_uid, create_date, write_uid, write_date)
        SELECT t.id, %s, 'in_progress', now() - interval '1 day'
               - (t.id %% 1000) * interval '1 minute', false, 0, 1, now(), 1, now()
          FROM helpdesk_ticket t
         WHERE t.name LIKE 'Bench ticket %%'
        """,
        (sla.id,),
    )
    env.cr.execute("ANALYZE helpdesk_ticket")
    env.cr.execute("ANALYZE helpdesk_ticket_sla")


def expire_some(env, count):
    """``count`` active vouchers ended before today."""
    env.cr.execute(
        """
        UPDATE aftersales_warranty_voucher
           SET date_end = current_date - 1 - (id %% 365)
         WHERE id IN (SELECT id FROM aftersales_warranty_voucher
                       WHERE state = 'active' ORDER BY id LIMIT %s)
        """,
        (count,),
    )
    env.cr.execute("ANALYZE aftersales_warranty_voucher")


def _schedule():
    # The add-on's package is importable once Odoo knows the addons path.
    from odoo.addons.aftersales_service.aftersales_service import schedule

    return schedule


def opening_week(today):
    """A (rule, week) whose window opens ``today``, if any does."""
    schedule = _schedule()
    for rule in schedule.RULES:
        for week in range(1, schedule.MAX_WEEK + 1):
            if schedule.window_for(today, str(week), rule)[1].start == today:
                return rule, str(week)
    return None, None


def bench_jobs(registry, args):
    """Fill, run each job's rounds, print, roll back."""
    options = {name: getattr(args, name, default) for name, default in DEFAULTS.items()}
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {"tz": "UTC"})
        today = fields.Date.context_today(env["res.users"])
        start = time.perf_counter()
        fill_vouchers(env, options["jobs_vouchers"])
        expire_some(env, options["jobs_expired"])
        managers = make_managers(env, options["jobs_managers"])
        rule, week = opening_week(today)
        regions = fill_regions(env, options["jobs_offices"], managers, week or "1")
        situations = fill_batches(env, regions, today, week, rule)
        fill_tickets(env, options["jobs_tickets"], regions)
        env.flush_all()
        env.invalidate_all()
        print(f"Daily jobs (filled in {time.perf_counter() - start:.0f} s, {today}):")

        Voucher = env["aftersales.warranty.voucher"]
        total = Voucher.search_count([])
        report(
            f"Voucher expiry ({total} vouchers, batch 1000)",
            run_rounds(env, Voucher._cron_expire_vouchers),
        )
        Ticket = env["helpdesk.ticket"]
        report(
            f"Ticket escalation ({options['jobs_tickets']} open tickets, batch 200)",
            run_rounds(env, Ticket._cron_escalate_overdue),
        )
        Batch = env["aftersales.return.batch"]
        shown = ", ".join(f"{k} {v}" for k, v in situations.items())
        if not week:
            shown += "; no window opens today: opening not measured"
        report(
            f"Return schedule ({options['jobs_offices']} offices: {shown}; batch 100)",
            run_rounds(env, Batch._cron_return_schedule),
        )
        digests = env["mail.message"].search_count(
            [
                ("message_type", "=", "user_notification"),
                ("partner_ids", "in", managers.partner_id.ids),
            ]
        )
        print(f"  digests to the {len(managers)} managers, all jobs: {digests}")
        cr.rollback()
