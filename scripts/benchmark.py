"""Benchmarks of aftersales_service against Odoo's own baseline, in one run.

Not a test: it prints figures. Run it through scripts/benchmark, which creates
a throwaway database with the module installed (no demo data).

1. Validating a delivery of N serials, with voucher issuing on and off in the
   same database (the ratio is what issuing adds to the validation), and the
   same validation in a throwaway database with ``stock`` alone (what the
   module as a whole adds): median and spread over --rounds, with queries.
2. check_warranty over V vouchers: calls per second beside a raw indexed SQL
   lookup of the same serials, each call on a fresh cache like an RPC request,
   with its queries per call; check_warranty_batch of 1,000 serials beside
   1,000 single calls; median and spread over --rounds.
3. Propose from History (action_propose as a whole, lines written) over P
   spare parts with M months of consumption (P x M done moves), and at 2,000
   parts: time and query count beside Odoo's own on-hand/incoming computation
   (product._compute_quantities_dict) for the same products in the same
   warehouse, which the replenishment report runs.
4. Statistics over V vouchers and C claims: the claims statistics pivot
   (read_group on the SQL view) beside Odoo's own read_group on the claims;
   the monthly statistics workbook beside the list view's xlsx export of the
   same claims (time and peak Python memory); the service-indicator matrix
   (R/1000, TGW, CPU) with its query count at two volumes.
5. The daily jobs (scripts/bench_jobs.py): voucher expiry over 1,000,000
   vouchers, the escalation of 100,000 overdue tickets, the return schedule
   of 5,000 offices; rounds, queries per round, time per 10,000 records.
6. The periodic inspection job (scripts/bench_inspections.py) over 1,000,000
   vouchers on a half-yearly plan: rounds, queries per round, time per
   10,000 vouchers handled, beside the same work on a sample of them done
   with Odoo's per-record API and with its batch API alone; then a change of
   their plan: the manager's save, the re-planning job's rounds, beside the
   ORM re-planning them in one transaction.
7. Over the network (scripts/bench_rpc.py, last: it commits its data): Odoo's
   prefork server with 1, 2 and 4 workers and 8 clients, check_warranty
   beside common.version and search_read over XML-RPC, the batch call, and
   which database (primary or replica) serves each route.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
import tracemalloc
from datetime import date
from types import SimpleNamespace

from dateutil.relativedelta import relativedelta

import odoo
import odoo.http
from odoo import Command, api
from odoo.tools import config


def parse_args(add_rpc_arguments):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--serials", type=int, default=1000)
    parser.add_argument("--vouchers", type=int, default=200_000)
    parser.add_argument("--checks", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--parts", type=int, default=20_000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--claims", type=int, default=300_000)
    parser.add_argument(
        "--no-stock-baseline",
        action="store_true",
        help="skip the delivery in a database with stock alone (minutes to create)",
    )
    parser.add_argument("--stations", type=int, default=200)
    parser.add_argument(
        "--inspection-vouchers",
        type=int,
        default=1_000_000,
        help="vouchers of the periodic inspection job (--only inspections)",
    )
    parser.add_argument("--inspection-batch", type=int, default=500)
    parser.add_argument(
        "--inspection-baseline",
        type=int,
        default=2000,
        help="vouchers Odoo's own way is timed on (--only inspections)",
    )
    parser.add_argument(
        "--replan-rounds",
        type=int,
        default=20,
        help="rounds of the re-planning job timed (--only inspections)",
    )
    parser.add_argument(
        "--replan-baseline",
        type=int,
        default=20_000,
        help="vouchers the ORM re-plans in one transaction (--only inspections)",
    )
    parser.add_argument(
        "--only",
        choices=(
            "delivery",
            "check",
            "proposal",
            "statistics",
            "jobs",
            "inspections",
            "rpc",
        ),
        help="run one benchmark only",
    )
    add_rpc_arguments(parser)
    return parser.parse_args()


def setup_product(env, tag):
    category = env["product.category"].create({"name": f"Bench {tag}"})
    return env["product.product"].create(
        {
            "name": f"Bench truck {tag}",
            "categ_id": category.id,
            "is_storable": True,
            "tracking": "serial",
        }
    )


def setup_catalogue(env, tag):
    product = setup_product(env, tag)
    parts = env["aftersales.warranty.part"].create(
        [
            {"name": f"Chassis {tag}", "code": f"CHS-{tag}"},
            {"name": f"Body {tag}", "code": f"BODY-{tag}"},
        ]
    )
    env["aftersales.warranty.policy"].create(
        {
            "name": f"Bench policy {tag}",
            "categ_id": product.categ_id.id,
            "repair_months": 24,
            "mileage_limit": 50000,
            "coverage_line_ids": [
                Command.create({"part_id": parts[0].id, "provider_id": 1}),
                Command.create(
                    {"part_id": parts[1].id, "provider_id": 1, "months": 12}
                ),
            ],
        }
    )
    return product


def prepare_delivery(env, product, tag, count):
    stock = env.ref("stock.warehouse0").lot_stock_id
    customers = env.ref("stock.stock_location_customers")
    lots = env["stock.lot"].create(
        [{"name": f"B{tag}-{n:06d}", "product_id": product.id} for n in range(count)]
    )
    for lot in lots:
        env["stock.quant"]._update_available_quantity(product, stock, 1, lot_id=lot)
    partner = env["res.partner"].create({"name": f"Bench customer {tag}"})
    picking = env["stock.picking"].create(
        {
            "picking_type_id": env.ref("stock.picking_type_out").id,
            "partner_id": partner.id,
            "location_id": stock.id,
            "location_dest_id": customers.id,
            "move_ids": [
                Command.create(
                    {
                        "name": product.name,
                        "product_id": product.id,
                        "product_uom_qty": count,
                        "product_uom": product.uom_id.id,
                        "location_id": stock.id,
                        "location_dest_id": customers.id,
                    }
                )
            ],
        }
    )
    picking.action_confirm()
    picking.action_assign()
    picking.move_ids.picked = True
    env.flush_all()
    return picking


def validate_delivery(registry, serials, tag, issuing=None):
    """Seconds and queries of validating a delivery of ``serials`` serials
    (rolled back). ``issuing``: the company's voucher switch; None in a
    database without the module."""
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        if issuing is None:
            product = setup_product(env, tag)
        else:
            env.company.aftersales_auto_voucher = issuing
            product = setup_catalogue(env, tag)
        picking = prepare_delivery(env, product, tag, serials)
        env.invalidate_all()
        queries = cr.sql_log_count
        start = time.perf_counter()
        picking.button_validate()
        env.flush_all()
        elapsed = time.perf_counter() - start
        queries = cr.sql_log_count - queries
        assert picking.state == "done"
        if issuing is not None:
            issued = env["aftersales.warranty.voucher"].search_count(
                [("picking_id", "=", picking.id)]
            )
            assert issued == (serials if issuing else 0), issued
        cr.rollback()
    return elapsed, queries


def stock_alone_timings(database, addons_path, serials, rounds):
    """The same validation in a throwaway database with ``stock`` alone."""
    stock_db = f"{database}_stock"
    subprocess.run(["dropdb", "--if-exists", stock_db], check=True)
    try:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "odoo",
                "-d",
                stock_db,
                "--addons-path",
                addons_path,
                "-i",
                "stock",
                "--without-demo=all",
                "--stop-after-init",
                "--max-cron-threads=0",
                "--log-level=warn",
                f"--http-port={8300 + os.getpid() % 1000}",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        registry = odoo.modules.registry.Registry(stock_db)
        runs = [
            validate_delivery(registry, serials, f"{round_no}S")
            for round_no in range(rounds)
        ]
    finally:
        odoo.modules.registry.Registry.delete(stock_db)
        odoo.sql_db.close_db(stock_db)
        subprocess.run(["dropdb", "--if-exists", stock_db], check=False)
    return runs


def spread(values):
    return f"{min(values):.2f}-{max(values):.2f}"


def bench_delivery(registry, serials, rounds, database, addons_path, stock_baseline):
    runs = {True: [], False: []}
    for round_no in range(rounds):
        # Alternated, so that a drift of the machine's load favours neither.
        order = (False, True) if round_no % 2 == 0 else (True, False)
        for issuing in order:
            tag = f"{round_no}{'V' if issuing else 'N'}"
            runs[issuing].append(validate_delivery(registry, serials, tag, issuing))
    seconds = {key: [run[0] for run in value] for key, value in runs.items()}
    queries = {key: [run[1] for run in value] for key, value in runs.items()}
    ratios = [on / off for on, off in zip(seconds[True], seconds[False], strict=True)]
    without, with_ = statistics.median(seconds[False]), statistics.median(seconds[True])
    print(f"Delivery of {serials} serials (median of {rounds}, spread min-max):")
    print(
        f"  validate without vouchers : {without:8.2f} s ({spread(seconds[False])})"
        f" {statistics.median(queries[False]):6.0f} queries"
    )
    print(
        f"  validate issuing vouchers : {with_:8.2f} s ({spread(seconds[True])})"
        f" {statistics.median(queries[True]):6.0f} queries"
    )
    print(
        f"  ratio (per round)         : {statistics.median(ratios):8.2f}x"
        f" ({spread(ratios)})"
    )
    print(f"  issuing cost per serial   : {(with_ - without) / serials * 1000:8.2f} ms")
    if stock_baseline:
        stock_runs = stock_alone_timings(database, addons_path, serials, rounds)
        stock_seconds = [run[0] for run in stock_runs]
        alone = statistics.median(stock_seconds)
        print(
            f"  validate with stock alone : {alone:8.2f} s ({spread(stock_seconds)})"
            f" {statistics.median(run[1] for run in stock_runs):6.0f} queries"
        )
        print(f"  issuing / stock alone     : {with_ / alone:8.2f}x")
        print(f"  module off / stock alone  : {without / alone:8.2f}x")


def fill_vouchers(env, count):
    product = setup_catalogue(env, "V")
    policy = env["aftersales.warranty.policy"].search(
        [("categ_id", "=", product.categ_id.id)]
    )
    partner = env["res.partner"].create({"name": "Bench fleet"})
    cr = env.cr
    env.flush_all()
    cr.execute(
        """
        INSERT INTO stock_lot (name, product_id, company_id, create_date, write_date)
        SELECT 'S' || lpad(n::text, 8, '0'), %s, %s, now(), now()
          FROM generate_series(1, %s) n
        """,
        (product.id, env.company.id, count),
    )
    cr.execute(
        """
        INSERT INTO aftersales_warranty_voucher (
            name, state, company_id, partner_id, holder_type, product_id, lot_id,
            serial, is_serial, quantity, policy_id, date_delivery, date_start,
            date_end, refund_days, exchange_days, dealer_remedy,
            max_failed_repairs, surcharge_percent, mileage_start, mileage_limit,
            create_date, write_date)
        SELECT 'WV/BENCH/' || lot.id, 'active', lot.company_id, %s, 'consumer',
               lot.product_id, lot.id, lot.name, true, 1, %s, d, d,
               d + interval '24 months', 7, 15, 'exchange', 2, 10, 0, 50000,
               now(), now()
          FROM stock_lot lot,
               LATERAL (SELECT date '2025-01-01' + (lot.id %% 700) AS d) start
         WHERE lot.product_id = %s
        """,
        (partner.id, policy.id, product.id),
    )
    for line in policy.coverage_line_ids:
        cr.execute(
            """
            INSERT INTO aftersales_warranty_voucher_coverage (
                voucher_id, company_id, part_id, provider_id, months, date_end)
            SELECT v.id, v.company_id, %s, %s, %s,
                   CASE WHEN %s > 0 THEN v.date_start + make_interval(months => %s)
                        ELSE v.date_end END
              FROM aftersales_warranty_voucher v
             WHERE v.policy_id = %s
            """,
            (
                line.part_id.id,
                line.provider_id.id,
                line.months,
                line.months,
                line.months,
                policy.id,
            ),
        )
    cr.execute("ANALYZE stock_lot")
    cr.execute("ANALYZE aftersales_warranty_voucher")
    cr.execute("ANALYZE aftersales_warranty_voucher_coverage")
    return product


def median_spread(values):
    """'median (min-max)' of a few runs."""
    ordered = sorted(values)
    return ordered[len(ordered) // 2], ordered[0], ordered[-1]


def bench_check(registry, vouchers, checks, rounds):
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        product = fill_vouchers(env, vouchers)
        total = env["aftersales.warranty.voucher"].search_count([])
        rng = random.Random(42)
        serials = [
            f"S{n:08d}" for n in (rng.randint(1, vouchers) for _ in range(checks))
        ]
        # Run as an after-sales user, as station systems do, not as superuser.
        user = env["res.users"].create(
            {
                "name": "Bench RPC",
                "login": "bench_rpc",
                "groups_id": [
                    Command.set(
                        [env.ref("aftersales_service.group_aftersales_user").id]
                    )
                ],
            }
        )
        Voucher = env["aftersales.warranty.voucher"].with_user(user)
        kwargs = {"date": "2026-06-01", "mileage": 1000, "part": "CHS-V"}

        def raw():
            for serial in serials:
                cr.execute(
                    """
                    SELECT v.id, v.state, v.date_start, v.date_end, v.mileage_limit
                      FROM aftersales_warranty_voucher v
                     WHERE v.serial = %s
                    """,
                    (serial,),
                )
                cr.fetchall()

        def single():
            eligible = 0
            for serial in serials:
                # A fresh cache per call, like an RPC request.
                env.invalidate_all()
                eligible += Voucher.check_warranty(serial, **kwargs)["eligible"]
            return eligible

        def batch():
            answers = []
            for start in range(0, len(serials), 1000):
                env.invalidate_all()
                answers += Voucher.check_warranty_batch(
                    [{"serial": s, **kwargs} for s in serials[start : start + 1000]]
                )
            return sum(answer["eligible"] for answer in answers)

        timings = {"raw": [], "single": [], "batch": []}
        queries = {}
        results = {}
        single()  # warm the caches (rules, parts, labels)
        for __ in range(rounds):
            for name, function in (("raw", raw), ("single", single), ("batch", batch)):
                before = cr.sql_log_count
                start = time.perf_counter()
                results[name] = function()
                timings[name].append(time.perf_counter() - start)
                queries[name] = cr.sql_log_count - before
        assert results["single"] == results["batch"], results
        assert results["single"], "no serial answered eligible"
        rates = {
            name: median_spread([checks / seconds for seconds in values])
            for name, values in timings.items()
        }
        ratio = median_spread(
            [r / s for r, s in zip(timings["raw"], timings["single"], strict=True)]
        )
        batch_gain = median_spread(
            [s / b for s, b in zip(timings["single"], timings["batch"], strict=True)]
        )
        print(
            f"check_warranty over {total} vouchers ({checks} random serials, "
            f"median (min-max) of {rounds} runs):"
        )
        for name, label in (
            ("raw", "raw indexed SQL lookup"),
            ("single", "check_warranty"),
            ("batch", "check_warranty_batch"),
        ):
            rate, low, high = rates[name]
            print(
                f"  {label:26s}: {rate:8.0f} /s ({low:.0f}-{high:.0f}), "
                f"{queries[name] / checks:5.2f} queries per serial"
            )
        print(
            f"  check_warranty / raw      : {ratio[0]:8.1%} "
            f"({ratio[1]:.1%}-{ratio[2]:.1%})"
        )
        print(
            f"  batch of 1,000 / singles  : {batch_gain[0]:8.1f}x "
            f"({batch_gain[1]:.1f}-{batch_gain[2]:.1f})"
        )
        print(
            f"  eligible answers          : {results['single']}/{checks} "
            f"({product.name})"
        )
        cr.rollback()


def fill_parts_history(env, parts, months):
    """P spare parts, one done move out of stock per part and month, stock."""
    cr = env.cr
    warehouse = env.ref("stock.warehouse0")
    stock = warehouse.lot_stock_id
    customers = env.ref("stock.stock_location_customers")
    unit = env.ref("uom.product_uom_unit")
    category = env["product.category"].create({"name": "Bench spare parts"})
    company = env.company
    env.flush_all()
    cr.execute(
        """
        INSERT INTO product_template (
            name, type, is_storable, aftersales_spare_part, categ_id, uom_id,
            uom_po_id, tracking, service_tracking, sale_line_warn,
            purchase_line_warn, active, sale_ok, purchase_ok, create_date,
            write_date)
        SELECT jsonb_build_object('en_US', 'Bench part ' || n), 'consu', true,
               true, %s, %s, %s, 'none', 'no', 'no-message', 'no-message', true,
               true, true, now(), now()
          FROM generate_series(1, %s) n
        """,
        (category.id, unit.id, unit.id, parts),
    )
    cr.execute(
        """
        INSERT INTO product_product (
            product_tmpl_id, active, standard_price, create_date, write_date)
        SELECT t.id, true, jsonb_build_object(%s::text, 1 + t.id %% 500),
               now(), now()
          FROM product_template t WHERE t.categ_id = %s
        """,
        (str(company.id), category.id),
    )
    period = date.today().replace(day=1) + relativedelta(months=1)
    cr.execute(
        """
        INSERT INTO stock_move (
            name, company_id, product_id, product_uom, product_uom_qty,
            product_qty, quantity, location_id, location_dest_id, state,
            procure_method, date, create_date, write_date)
        SELECT 'Bench consumption', %s, p.id, %s, q, q, q, %s, %s, 'done',
               'make_to_stock', (%s::date - make_interval(months => m))::date + 3,
               now(), now()
          FROM product_product p
          JOIN product_template t ON t.id = p.product_tmpl_id
         CROSS JOIN generate_series(1, %s) m
         CROSS JOIN LATERAL (SELECT 1 + (p.id * m) %% 40 AS q) qty
         WHERE t.categ_id = %s
        """,
        (
            company.id,
            unit.id,
            stock.id,
            customers.id,
            period,
            months,
            category.id,
        ),
    )
    cr.execute(
        """
        INSERT INTO stock_quant (
            product_id, location_id, company_id, quantity, reserved_quantity,
            in_date, create_date, write_date)
        SELECT p.id, %s, %s, p.id %% 30, 0, now(), now(), now()
          FROM product_product p
          JOIN product_template t ON t.id = p.product_tmpl_id
         WHERE t.categ_id = %s
        """,
        (stock.id, company.id, category.id),
    )
    for table in ("product_template", "product_product", "stock_move", "stock_quant"):
        cr.execute(f"ANALYZE {table}")
    env.invalidate_all()
    return warehouse, category, period


def bench_proposal(registry, parts, months, runs=3, small=2000):
    """Propose from History as a whole (compute, replace lines, write them,
    post the note) at ``parts`` spare parts and at ``small`` ones: time and
    queries of ``runs`` runs each, every run on the same empty plan."""
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        sizes = sorted({small, parts})
        data = {size: fill_parts_history(env, size, months) for size in sizes}
        # Planners run it, with their record rules, not the superuser.
        planner = env["res.users"].create(
            {
                "name": "Bench planner",
                "login": "bench_planner",
                "email": "bench_planner@example.com",
                "groups_id": [
                    Command.set(
                        [env.ref("aftersales_service.group_aftersales_user").id]
                    )
                ],
            }
        )
        env.flush_all()

        def timed(function):
            env.invalidate_all()
            queries = cr.sql_log_count
            start = time.perf_counter()
            result = function()
            env.flush_all()
            return time.perf_counter() - start, cr.sql_log_count - queries, result

        results = {}
        for size in sizes:
            warehouse, category, period = data[size]
            products = env["product.product"].search([("categ_id", "=", category.id)])
            in_warehouse = products.with_context(warehouse_id=warehouse.id)

            def quantities_dict(products=in_warehouse):
                return products._compute_quantities_dict(None, None, None)

            baseline = []
            for _run in range(runs):
                seconds, queries, quantities = timed(quantities_dict)
                assert len(quantities) == size, len(quantities)
                baseline.append((seconds, queries))
            proposal = []
            # One plan per size, rolled back after each run: every run
            # proposes the same lines into an empty plan.
            with cr.savepoint() as plan_savepoint:
                plan = (
                    env["aftersales.parts.plan"]
                    .with_user(planner)
                    .create(
                        {
                            "warehouse_id": warehouse.id,
                            "period_date": period,
                            "history_months": months,
                            "product_categ_id": category.id,
                        }
                    )
                )
                env.flush_all()
                for _run in range(runs):
                    savepoint = cr.savepoint()
                    seconds, queries, _action = timed(plan.action_propose)
                    # Parts covered by their stock are consumed, not proposed.
                    classes = plan.line_ids.mapped("abc_class")
                    assert size * 0.9 < len(classes) <= size, len(classes)
                    proposal.append((seconds, queries))
                    savepoint.close(rollback=True)
                    env.invalidate_all()
                plan_savepoint.rollback()
            results[size] = baseline, proposal, classes

        def median(samples):
            return sorted(samples)[len(samples) // 2]

        def summary(samples):
            seconds = [s for s, _q in samples]
            queries = sorted({q for _s, q in samples})
            return (
                f"{median(seconds):6.2f} s (runs {min(seconds):.2f} to "
                f"{max(seconds):.2f}), {'/'.join(map(str, queries))} queries"
            )

        print(
            f"Propose from History, {months} months of history (one done move "
            f"per part and month), as a planner; median of {runs} runs:"
        )
        for size in sizes:
            baseline, proposal, classes = results[size]
            ratio = median([s for s, _q in proposal]) / median(
                [s for s, _q in baseline]
            )
            split = "/".join(str(classes.count(klass)) for klass in "ABC")
            print(f"  {size} spare parts, {len(classes)} lines (A/B/C {split}):")
            print(f"    Odoo on hand/incoming   : {summary(baseline)}")
            print(f"    action_propose          : {summary(proposal)}")
            print(f"    ratio                   : {ratio:6.2f}x")
        cr.rollback()


def fill_claims(env, product, count, stations):
    """``count`` done claims of 2026 on vouchers of ``product``, spread over
    ``stations`` stations in four regions, the months and three
    responsibilities, written in SQL (the ORM would take hours)."""
    regions = env["aftersales.region"].create(
        [
            {"name": f"Bench region {n}", "code": f"BR{n}", "return_week": str(n + 1)}
            for n in range(4)
        ]
    )
    partners = env["res.partner"].create(
        [{"name": f"Bench station {n}", "is_company": True} for n in range(stations)]
    )
    network = env["aftersales.station"].create(
        [
            {"partner_id": partner.id, "region_id": regions[n % 4].id}
            for n, partner in enumerate(partners)
        ]
    )
    network.action_activate()
    parts = env["aftersales.warranty.part"].search([("code", "like", "%-V")])
    supplier = env["res.partner"].create({"name": "Bench supplier"})
    env.flush_all()
    cr = env.cr
    cr.execute(
        "SELECT min(id), count(*) FROM aftersales_warranty_voucher"
        " WHERE product_id = %s",
        (product.id,),
    )
    first, vouchers = cr.fetchone()
    cr.execute(
        """
        WITH station AS (
            SELECT id, region_id, row_number() OVER (ORDER BY id) - 1 AS k
              FROM aftersales_station WHERE id = ANY(%(stations)s)
        )
        INSERT INTO aftersales_claim (
            name, state, company_id, date, failure_date, station_id, region_id,
            partner_id, product_id, lot_id, voucher_id, part_id, responsibility,
            supplier_id, handling_method, eligible, parts_cost, labour_cost,
            total_cost, surcharge_percent, supplier_amount, create_date,
            write_date)
        SELECT 'CL/BENCH/' || n, 'done', v.company_id, d.day, d.day, st.id,
               st.region_id, v.partner_id, v.product_id, v.lot_id, v.id,
               (%(parts)s)[1 + n %% 2],
               (ARRAY['manufacturing', 'supplier', 'misuse'])[1 + n %% 3],
               CASE WHEN n %% 3 = 1 THEN %(supplier)s END,
               CASE WHEN n %% 7 = 0 THEN 'paid_repair' ELSE 'repair' END,
               n %% 7 <> 0, 100 + (n %% 50) * 10, 200, 300 + (n %% 50) * 10, 10,
               CASE WHEN n %% 3 = 1 THEN 300 + (n %% 50) * 10 ELSE 0 END,
               now(), now()
          FROM generate_series(1, %(count)s) n
          JOIN aftersales_warranty_voucher v
            ON v.id = %(first)s + (n::bigint * 7919) %% %(vouchers)s
          JOIN station st ON st.k = n %% %(nstations)s
         CROSS JOIN LATERAL (
               SELECT LEAST(GREATEST(v.date_start + (n %% 600), date '2026-01-01'),
                            date '2026-11-30') AS day
         ) d
        """,
        {
            "stations": network.ids,
            "nstations": len(network),
            "parts": parts.ids,
            "supplier": supplier.id,
            "count": count,
            "first": first,
            "vouchers": vouchers,
        },
    )
    cr.execute("ANALYZE aftersales_claim")


def measure(function):
    """Seconds of one call, then the peak of Python memory of a second call."""
    start = time.perf_counter()
    result = function()
    seconds = time.perf_counter() - start
    tracemalloc.start()
    function()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return result, seconds, peak / 2**20


def bench_statistics(registry, vouchers, claims, stations):
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        product = fill_vouchers(env, vouchers)
        fill_claims(env, product, claims, stations)
        manager = env["res.users"].create(
            {
                "name": "Bench manager",
                "login": "bench_manager",
                "groups_id": [
                    Command.set(
                        [
                            env.ref("aftersales_service.group_aftersales_manager").id,
                            env.ref("base.group_allow_export").id,
                        ]
                    )
                ],
            }
        )
        env = env(user=manager.id)
        year = [("date", ">=", "2026-01-01"), ("date", "<", "2027-01-01")]
        rows = env["aftersales.claim"].search_count(year)
        print(
            f"Statistics over {env['aftersales.warranty.voucher'].search_count([])}"
            f" vouchers and {env['aftersales.claim'].search_count([])} claims"
            f" ({rows} claims in 2026), as an after-sales manager:"
        )

        def pivot(model, measures):
            def run():
                env.invalidate_all()
                return env[model].read_group(
                    year, measures, ["date:month", "region_id"], lazy=False
                )

            return run

        ours, t_ours, m_ours = measure(
            pivot(
                "aftersales.claim.report",
                [
                    "nbr:sum",
                    "warranty_cost:sum",
                    "customer_amount:sum",
                    "supplier_amount:sum",
                ],
            )
        )
        odoo_, t_odoo, m_odoo = measure(
            pivot("aftersales.claim", ["total_cost:sum", "supplier_amount:sum"])
        )
        assert len(ours) == len(odoo_), (len(ours), len(odoo_))
        print("  pivot month x region      :   time     peak memory")
        print(f"    statistics view         : {t_ours:6.2f} s {m_ours:8.1f} MiB")
        print(f"    Odoo read_group (claims): {t_odoo:6.2f} s {m_odoo:8.1f} MiB")
        print(f"    ratio                   : {t_ours / t_odoo:6.2f}x")
        bench_workbook(env, year, rows)
        bench_indicators(env, product)
        cr.rollback()


def list_export_xlsx(env, domain, field_names):
    """What the list view's Export (xlsx) does for these claims."""
    from odoo.addons.web.controllers.export import ExcelExport

    claims = env["aftersales.claim"].search(domain)
    rows = claims.export_data(field_names)["datas"]
    fields_ = claims._fields
    columns = [{"name": f, "type": fields_[f].type} for f in field_names]
    headers = [fields_[f].string for f in field_names]
    # The writer reads the currency digits through the request's environment.
    odoo.http._request_stack.push(SimpleNamespace(env=env))
    try:
        return ExcelExport().from_data(columns, headers, rows)
    finally:
        odoo.http._request_stack.pop()


def bench_workbook(env, domain, rows):
    wizard = env["aftersales.statistics.wizard"].create(
        {"period": "year", "year": 2026}
    )
    Report = env["ir.actions.report"]

    def ours():
        env.invalidate_all()
        return Report._render(
            "aftersales_service.action_report_aftersales_statistics_xlsx", wizard.ids
        )[0]

    def theirs():
        env.invalidate_all()
        return list_export_xlsx(
            env,
            domain,
            [
                "name",
                "date",
                "station_id",
                "region_id",
                "product_id",
                "responsibility",
                "handling_method",
                "parts_cost",
                "labour_cost",
                "total_cost",
            ],
        )

    workbook, t_ours, m_ours = measure(ours)
    export, t_theirs, m_theirs = measure(theirs)
    print(f"  xlsx of 2026 ({rows} claims):   time     peak memory   size")
    print(
        f"    Monthly Statistics      : {t_ours:6.2f} s {m_ours:8.1f} MiB"
        f" {len(workbook) / 1024:8.0f} KiB"
    )
    print(
        f"    list view export        : {t_theirs:6.2f} s {m_theirs:8.1f} MiB"
        f" {len(export) / 1024:8.0f} KiB"
    )
    print(
        f"    ratio                   : {t_ours / t_theirs:6.2f}x"
        f" {m_ours / m_theirs:8.2f}x"
    )


def bench_indicators(env, product):
    """The cohort x MIS matrix: its queries must not grow with the volume."""
    Run = env["aftersales.indicator.run"]

    def compute(date_from, date_to):
        run = Run.create(
            {
                "categ_id": product.categ_id.id,
                "basis": "sale",
                "date_from": date_from,
                "date_to": date_to,
                "date_as_of": "2026-11-30",
            }
        )
        env.flush_all()
        env.invalidate_all()
        queries = env.cr.sql_log_count
        start = time.perf_counter()
        run.action_compute()
        env.flush_all()
        seconds = time.perf_counter() - start
        units = sum(run.line_ids.filtered(lambda line: line.mis == 0).mapped("units"))
        return env.cr.sql_log_count - queries, seconds, len(run.line_ids), units

    print("  indicator matrix (R/1000, TGW, CPU by cohort x MIS):")
    for label, date_from, date_to in (
        ("one quarter of cohorts", "2025-01-01", "2025-03-31"),
        ("all cohorts", "2025-01-01", "2026-11-30"),
    ):
        queries, seconds, lines, units = compute(date_from, date_to)
        print(
            f"    {label:23s}: {units:9.0f} units, {lines:4d} cells, "
            f"{queries:3d} queries, {seconds:6.2f} s"
        )


def main():
    # Sibling modules (this script's folder is first on sys.path); imported
    # here because they use this module's data builders.
    import bench_inspections
    import bench_jobs
    import bench_rpc

    args = parse_args(bench_rpc.add_arguments)
    config.parse_config(
        ["-d", args.database, "--addons-path", args.addons_path, "--log-level", "warn"]
    )
    registry = odoo.modules.registry.Registry(args.database)
    if args.only in (None, "delivery"):
        bench_delivery(
            registry,
            args.serials,
            args.rounds,
            args.database,
            args.addons_path,
            not args.no_stock_baseline,
        )
    if args.only in (None, "check"):
        bench_check(registry, args.vouchers, args.checks, args.rounds)
    if args.only in (None, "proposal"):
        bench_proposal(registry, args.parts, args.months)
    if args.only in (None, "statistics"):
        bench_statistics(registry, args.vouchers, args.claims, args.stations)
    if args.only in (None, "jobs"):
        bench_jobs.bench_jobs(registry, args)
    if args.only in (None, "inspections"):
        bench_inspections.bench_inspections(registry, args)
    # Last: it commits its data, which another process (Odoo's server) serves.
    if args.only in (None, "rpc"):
        bench_rpc.bench_rpc(registry, args)


if __name__ == "__main__":
    main()
