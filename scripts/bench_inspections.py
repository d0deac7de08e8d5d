# Copyright 2026 aftersales_service contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The periodic inspection job at volume.

``bench_inspections(registry, args)`` fills one cursor with
``args.inspection_vouchers`` [1,000,000] vouchers (the benchmark's own
builder), puts them on a half-yearly plan with its next inspection set as
the ORM computes it (a few percent due within the lead time, a share of the
rest within 30 days) and the last half year requested as their history,
makes 2% of them end within 30 days (invited to a last inspection), then
runs the job's rounds as the cron runner does and prints
rounds, queries per round, time per round and per 10,000 vouchers handled.

Odoo's own baseline, in the same run: the same work for a sample of the
same vouchers (``args.inspection_baseline`` [2,000]) done with Odoo's
documented per-record API (a ticket ``create``, ``activity_schedule`` and
``message_post`` per voucher, ``send_mail`` per invitation), and the floor of
Odoo's batch API (one ``create`` of the tickets, ``send_mail_batch``); the
job's time per voucher is reported as a ratio of each.

Then a plan change over all of them: the manager's save (the count that
sends it to the job and the job's trigger), the first
``args.replan_rounds`` [20] rounds of the re-planning job (constant work
per round: the rest is extrapolated), beside Odoo's own way, the ORM
recomputing ``args.replan_baseline`` [20,000] of the same vouchers in one
transaction, as every change did before. Everything is rolled back.
"""

import time
from functools import partial

from bench_jobs import report, run_rounds
from benchmark import fill_vouchers

import odoo
from odoo import api, fields

DEFAULTS = {
    "inspection_vouchers": 1_000_000,
    "inspection_batch": 500,
    "inspection_baseline": 2_000,
    "replan_rounds": 20,
    "replan_baseline": 20_000,
}
TEAM = "aftersales_service.helpdesk_team_inspections"
ACTIVITY = "aftersales_service.mail_activity_type_inspection"
TEMPLATE = "aftersales_service.mail_template_final_inspection"


def plan_vouchers(env, product, today):
    """A half-yearly plan with a last inspection on the vouchers' policy,
    and each voucher's next inspection as ``_compute_service_next`` would
    store it (the first half year not before today, not from the end on)."""
    policy = env["aftersales.warranty.policy"].search(
        [("categ_id", "=", product.categ_id.id)]
    )
    # Created before the vouchers are put on it: no ORM re-planning of them.
    plan = env["aftersales.service.plan"].create(
        {
            "name": "Bench half-yearly",
            "policy_id": policy.id,
            "interval_months": 6,
            "final_inspection": True,
        }
    )
    env.flush_all()
    cr = env.cr
    # The vouchers are planned below as the ORM would: not by the
    # re-planning job the new plan of that many vouchers asked for.
    cr.execute(
        "UPDATE aftersales_service_plan SET replan_pending = false WHERE id = %s",
        (plan.id,),
    )
    # 2% end within the notice (30 days): invited to a last inspection.
    cr.execute(
        """
        UPDATE aftersales_warranty_voucher
           SET date_end = %s::date + 1 + (id %% 30)
         WHERE policy_id = %s AND id %% 50 = 0
        """,
        (today, policy.id),
    )
    cr.execute(
        """
        UPDATE aftersales_warranty_voucher v
           SET service_plan_id = %(plan)s,
               service_index_next = CASE WHEN nxt.day < v.date_end THEN nxt.k END,
               service_date_next = CASE WHEN nxt.day < v.date_end THEN nxt.day END
          FROM aftersales_warranty_voucher src
          CROSS JOIN LATERAL (
                SELECT k, (src.date_start + make_interval(months => 6 * k))::date AS day
                  FROM generate_series(1, 12) k
                 WHERE src.date_start + make_interval(months => 6 * k) >= %(today)s
                 ORDER BY k LIMIT 1) nxt
         WHERE v.id = src.id AND v.policy_id = %(policy)s
        """,
        {"plan": plan.id, "today": today, "policy": policy.id},
    )
    # Their history: the last half year requested (as the job records it),
    # which the next inspection is planned after when a voucher re-plans.
    cr.execute(
        """
        INSERT INTO aftersales_service_due (
            voucher_id, company_id, plan_id, kind, sequence, date_due, km_due,
            mail_sent, create_uid, create_date, write_uid, write_date)
        SELECT v.id, v.company_id, %(plan)s, 'periodic', last.k,
               (v.date_start + make_interval(months => 6 * last.k))::date, 0,
               false, 1, now(), 1, now()
          FROM aftersales_warranty_voucher v
          CROSS JOIN LATERAL (
                SELECT max(k) AS k
                  FROM generate_series(1, 12) k
                 WHERE v.date_start + make_interval(months => 6 * k) < %(today)s
               ) last
         WHERE v.policy_id = %(policy)s AND last.k IS NOT NULL
        """,
        {"plan": plan.id, "today": today, "policy": policy.id},
    )
    cr.execute("ANALYZE aftersales_service_due")
    return plan, policy


def set_stations(env, product):
    """Half the vouchers' customer has an inspecting station (with its
    responsible user); the other half's customer has none."""
    user = env["res.users"].create(
        {
            "name": "Bench station coordinator",
            "login": "bench_inspection_coordinator",
            "groups_id": [
                odoo.Command.set(
                    env.ref("aftersales_service.group_aftersales_user").ids
                )
            ],
        }
    )
    station = env["aftersales.station"].create(
        {
            "partner_id": env["res.partner"]
            .create({"name": "Bench inspecting station", "is_company": True})
            .id,
            "user_id": user.id,
            "region_id": env["aftersales.region"]
            .create({"name": "Bench inspection region", "code": "BENCH-INSP"})
            .id,
        }
    )
    station.action_activate()
    fleet = env["res.partner"].search([("name", "=", "Bench fleet")], limit=1)
    fleet.write(
        {
            "email": "fleet@bench.example.com",
            "aftersales_service_station_id": station.id,
        }
    )
    other = env["res.partner"].create(
        {"name": "Bench second fleet", "email": "second@bench.example.com"}
    )
    env.flush_all()
    env.cr.execute(
        """
        UPDATE aftersales_warranty_voucher SET partner_id = %s
         WHERE product_id = %s AND id %% 2 = 1
        """,
        (other.id, product.id),
    )
    return user


def _baseline_entries(env, sample):
    """(voucher, kind, due date) of ``sample`` requested inspections, each
    kind in its share of what the job requested."""
    env.cr.execute(
        """
        WITH requested AS (
            SELECT voucher_id, kind, date_due,
                   row_number() OVER (PARTITION BY kind ORDER BY id) AS rank,
                   count(*) OVER (PARTITION BY kind)::float
                       / count(*) OVER () AS share
              FROM aftersales_service_due
             WHERE ticket_id IS NOT NULL)
        SELECT voucher_id, kind, date_due FROM requested
         WHERE rank <= round(%s * share)
         ORDER BY rank, kind
        """,
        (sample,),
    )
    Voucher = env["aftersales.warranty.voucher"]
    return [(Voucher.browse(vid), kind, day) for vid, kind, day in env.cr.fetchall()]


def _baseline_vals(voucher, kind, day, team):
    return {
        "name": f"Inspection of {voucher.serial} ({kind}) due {day}",
        "description": f"<p>Voucher {voucher.name}</p>",
        "company_id": voucher.company_id.id,
        "partner_id": voucher.partner_id.id,
        "team_id": team.id,
    }


def odoo_per_record(env, entries, batch):
    """What the job does, with Odoo's per-record API."""
    team = env.ref(TEAM)
    template = env.ref(TEMPLATE)
    Ticket = env["helpdesk.ticket"]
    user = env.ref("base.user_admin")
    for offset in range(0, len(entries), batch):
        for voucher, kind, day in entries[offset : offset + batch]:
            ticket = Ticket.create(_baseline_vals(voucher, kind, day, team))
            ticket.activity_schedule(
                ACTIVITY, date_deadline=day, summary=ticket.name, user_id=user.id
            )
            voucher.message_post(body=f"Service request {ticket.number}.")
            if kind == "final" and voucher.partner_id.email:
                template.send_mail(voucher.id)
        env.flush_all()
        env.cr.precommit.run()
        env.invalidate_all()


def odoo_batch_floor(env, entries, batch):
    """The tickets in one ``create`` and the invitations in one
    ``send_mail_batch`` per batch: what Odoo's batch API costs for the
    job's output, with no selection, planning, activities or notes."""
    team = env.ref(TEAM)
    template = env.ref(TEMPLATE)
    Ticket = env["helpdesk.ticket"]
    for offset in range(0, len(entries), batch):
        chunk = entries[offset : offset + batch]
        Ticket.create([_baseline_vals(*entry, team) for entry in chunk])
        invited = [
            voucher.id
            for voucher, kind, _day in chunk
            if kind == "final" and voucher.partner_id.email
        ]
        if invited:
            template.send_mail_batch(invited)
        env.flush_all()
        env.cr.precommit.run()
        env.invalidate_all()


def rolled_back(env, work):
    """Seconds and queries of ``work()``, inside a savepoint rolled back
    after it."""
    env.cr.execute("SAVEPOINT bench_baseline")
    env.invalidate_all()
    before, start = env.cr.sql_log_count, time.perf_counter()
    work()
    env.flush_all()
    seconds, queries = time.perf_counter() - start, env.cr.sql_log_count - before
    env.cr.execute("ROLLBACK TO SAVEPOINT bench_baseline")
    env.invalidate_all()
    return seconds, queries


def baseline(env, sample, batch, job_per_voucher):
    """Both of Odoo's ways on ``sample`` of the vouchers the job handled,
    each rolled back to a savepoint; the ratios of the job's time to them."""
    entries = _baseline_entries(env, sample)
    if not entries:
        return
    finals = sum(1 for entry in entries if entry[1] == "final")
    print(
        f"Odoo's own baseline ({len(entries)} of the same vouchers, "
        f"{finals} of them invitations):"
    )
    for label, way in (
        ("per-record API", odoo_per_record),
        ("batch API floor", odoo_batch_floor),
    ):
        seconds, queries = rolled_back(env, partial(way, env, entries, batch))
        per_voucher = seconds / len(entries)
        print(
            f"  {label:24s}: {per_voucher * 10_000:8.1f} s per 10,000, "
            f"{queries / len(entries):6.1f} queries per voucher; "
            f"job / Odoo {job_per_voucher / per_voucher:5.2f}x"
        )


def bench_replan(env, plan, rounds_wanted, sample):
    """The manager's save, the job's first rounds, and the ORM's recompute
    of ``sample`` vouchers in one transaction (rolled back to a savepoint)."""
    Voucher = env["aftersales.warranty.voucher"]
    Plan = env["aftersales.service.plan"]
    covered = Voucher.search_count([("service_plan_id", "=", plan.id)])
    env.invalidate_all()
    before, start = env.cr.sql_log_count, time.perf_counter()
    plan.write({"interval_months": 4})
    env.flush_all()
    save = time.perf_counter() - start, env.cr.sql_log_count - before
    print(f"Plan change over {covered} vouchers:")
    print(
        f"  the manager's save        : {save[0] * 1000:8.1f} ms, {save[1]} queries "
        f"(re-planning pending: {plan.replan_pending})"
    )
    # The runner's rounds, each as it commits them (the job's own loop
    # would go on through all of them).
    timed = []
    for __ in range(rounds_wanted):
        env.invalidate_all()
        before, start = env.cr.sql_log_count, time.perf_counter()
        done = Plan._cron_replan_vouchers()
        env.flush_all()
        env.cr.precommit.run()
        timed.append(
            (done, 0, env.cr.sql_log_count - before, time.perf_counter() - start)
        )
        if not done:
            break
    report("Re-planning job (first rounds)", timed)
    handled = sum(r[0] for r in timed)
    if not handled:
        return
    job_per_voucher = sum(r[3] for r in timed) / handled
    print(
        f"  all {covered} vouchers      : {job_per_voucher * covered / 60:8.1f} min "
        "in the background (extrapolated)"
    )
    vouchers = Voucher.search(
        [("service_plan_id", "=", plan.id)], order="id desc", limit=sample
    )
    seconds, queries = rolled_back(env, partial(Plan._add_to_replan, vouchers))
    orm_per_voucher = seconds / len(vouchers)
    print(
        f"Odoo's own (the ORM recomputing {len(vouchers)} in one transaction): "
        f"{orm_per_voucher * 10_000:.1f} s per 10,000, "
        f"{queries / len(vouchers):.2f} queries per voucher; "
        f"job / ORM {job_per_voucher / orm_per_voucher:.2f}x"
    )
    print(
        f"  the save before (ORM, all {covered} in the manager's request): "
        f"{orm_per_voucher * covered / 60:.1f} min (extrapolated)"
    )


def bench_inspections(registry, args):
    """Fill, run the job's rounds, print, roll back."""
    options = {name: getattr(args, name, default) for name, default in DEFAULTS.items()}
    count = options["inspection_vouchers"]
    batch = options["inspection_batch"]
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {"tz": "UTC"})
        today = fields.Date.context_today(env["res.users"])
        start = time.perf_counter()
        product = fill_vouchers(env, count)
        plan, _policy = plan_vouchers(env, product, today)
        coordinator = set_stations(env, product)
        cr.execute("ANALYZE aftersales_warranty_voucher")
        filled = time.perf_counter() - start
        cr.execute(
            """
            SELECT count(*) FILTER (WHERE service_date_next <= %(today)s::date + 14),
                   count(*) FILTER (WHERE service_date_next <= %(today)s::date + 30),
                   count(*) FILTER (WHERE date_end <= %(today)s::date + 30)
              FROM aftersales_warranty_voucher WHERE state = 'active'
            """,
            {"today": today},
        )
        due_lead, due_30, ending = cr.fetchone()
        env.invalidate_all()
        print(f"Periodic inspections (filled in {filled:.0f} s, {today}):")
        print(
            f"  {count} vouchers: {due_lead} due within the 14-day lead time, "
            f"{due_30} within 30 days, {ending} ending within 30 days"
        )
        Voucher = env["aftersales.warranty.voucher"]
        rounds = run_rounds(
            env, lambda: Voucher._cron_plan_inspections(batch_size=batch)
        )
        report(
            f"Inspection job ({count} vouchers, batch {batch} of each kind)",
            rounds,
        )
        working = [r for r in rounds if r[0]]
        if working:
            seconds = sorted(r[3] for r in working)
            print(f"  seconds per round median  : {seconds[len(seconds) // 2]:10.2f}")
        cr.execute(
            """
            SELECT count(*) FILTER (WHERE kind = 'periodic'),
                   count(*) FILTER (WHERE kind = 'final'),
                   count(*) FILTER (WHERE mail_sent)
              FROM aftersales_service_due
             WHERE ticket_id IS NOT NULL
            """
        )
        periodic, final, mailed = cr.fetchone()
        activities = env["mail.activity"].search_count(
            [("user_id", "=", coordinator.id)]
        )
        print(
            f"  requested: {periodic} periodic, {final} last inspections "
            f"({mailed} invitations queued), {activities} activities for the "
            "station"
        )
        # A second run finds nothing left.
        again = run_rounds(
            env, lambda: Voucher._cron_plan_inspections(batch_size=batch)
        )
        print(f"  second run: {sum(r[0] for r in again)} vouchers handled")
        handled = sum(r[0] for r in rounds)
        if handled:
            job_seconds = sum(r[3] for r in rounds)
            baseline(env, options["inspection_baseline"], batch, job_seconds / handled)
        bench_replan(env, plan, options["replan_rounds"], options["replan_baseline"])
        cr.rollback()
