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
rounds, queries per round, time per round and per 10,000 vouchers handled;
everything is rolled back.
"""

import time

from bench_jobs import report, run_rounds
from benchmark import fill_vouchers

import odoo
from odoo import api, fields

DEFAULTS = {"inspection_vouchers": 1_000_000, "inspection_batch": 500}


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
        plan_vouchers(env, product, today)
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
        cr.rollback()
