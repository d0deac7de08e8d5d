"""Network benchmark of check_warranty: Odoo's prefork server over XML-RPC.

Not a test: it prints figures. scripts/benchmark.py calls ``bench_rpc`` on a
throwaway database; run alone for development (the database must have the
module installed, the data and the user are reused when present)::

    python3 scripts/bench_rpc.py -d DB --addons-path=... --vouchers 50000

1. Throughput: for 1, 2 and 4 HTTP workers (``--workers``), C client
   processes call for S seconds each of ``common.version`` (Odoo's no-op,
   the floor of an RPC), ``check_warranty`` on random serials and Odoo's own
   ``search_read`` of one voucher by serial; calls/s, p50 and p95 per call,
   the scaling factor (4 workers / 1) and the ratio check / version.
2. One client on one worker: check_warranty beside common.version (the
   issue's goal is for a single call).
3. ``check_warranty_batch`` of N serials in one RPC beside N single calls.
4. Replica routing: a server with ``--db_replica_host`` whose replica pool
   connects as its own read-only PostgreSQL role; pg_stat_activity shows
   which role (primary or replica) runs the voucher queries of each route.

The data is committed (the server is another process); the caller drops the
database.
"""

import argparse
import contextlib
import http.client
import json
import multiprocessing
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import xmlrpc.client

import psycopg2

import odoo
from odoo import Command, api

MODEL = "aftersales.warranty.voucher"
LOGIN = "bench_rpc_net"
PASSWORD = "bench-rpc-net-password"
CHECK_KWARGS = {"date": "2026-06-01", "mileage": 1000, "part": "CHS-V"}
READ_FIELDS = ["name", "state", "date_start", "date_end", "mileage_limit"]


def add_arguments(parser):
    """The options of this benchmark, for scripts/benchmark.py's parser."""
    parser.add_argument("--rpc-seconds", type=float, default=15)
    parser.add_argument("--rpc-warmup", type=float, default=3)
    parser.add_argument("--rpc-clients", type=int, default=8)
    parser.add_argument("--rpc-workers", default="1,2,4")
    parser.add_argument("--rpc-batch", type=int, default=1000)


def option(args, name, default):
    return getattr(args, name, None) or default


# ----------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------


def prepare_data(registry, vouchers):
    """Vouchers S00000001.. and an after-sales user, committed: the server
    is another process. Returns (uid, number of bench serials)."""
    from benchmark import fill_vouchers  # noqa: PLC0415 (scripts dir on sys.path)

    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        user = env["res.users"].search([("login", "=", LOGIN)])
        if not user:
            fill_vouchers(env, vouchers)
            user = env["res.users"].create(
                {
                    "name": "Bench RPC network",
                    "login": LOGIN,
                    "password": PASSWORD,
                    "groups_id": [
                        Command.set(
                            [env.ref("aftersales_service.group_aftersales_user").id]
                        )
                    ],
                }
            )
        cr.execute(
            """
            SELECT count(*) FROM aftersales_warranty_voucher
             WHERE serial ~ '^S[0-9]{8}$'
            """
        )
        [count] = cr.fetchone()
        cr.commit()
        return user.id, count


# ----------------------------------------------------------------------
# Server
# ----------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OdooServer:
    """Odoo's prefork server in a subprocess (its own process group)."""

    def __init__(self, database, addons_path, workers, extra=()):
        self.database = database
        self.workers = workers
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 (kept while running)
            prefix="bench_rpc_", suffix=".log", delete=False
        )
        self.command = [
            sys.executable,
            "-m",
            "odoo",
            f"--addons-path={addons_path}",
            f"--database={database}",
            f"--db-filter=^{database}$",
            f"--workers={workers}",
            "--max-cron-threads=0",
            f"--http-port={self.port}",
            f"--gevent-port={free_port()}",
            "--limit-time-real=600",
            "--limit-time-cpu=600",
            f"--limit-memory-soft={2 * 1024**3}",
            f"--limit-memory-hard={3 * 1024**3}",
            "--log-level=warn",
            *extra,
        ]
        self.process = None

    def __enter__(self):
        self.process = subprocess.Popen(  # noqa: S603 (our own interpreter)
            self.command,
            stdout=subprocess.DEVNULL,
            stderr=self.log,
            start_new_session=True,
        )
        common = xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/common")
        deadline = time.monotonic() + 180
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"Odoo exited, see {self.log.name}")
            with contextlib.suppress(OSError, xmlrpc.client.ProtocolError):
                common.version()
                return self
            if time.monotonic() > deadline:
                raise RuntimeError(f"Odoo does not answer, see {self.log.name}")
            time.sleep(0.5)

    def prime(self, uid):
        """Have each worker check the password once before measuring: the
        check is cached per process (res.users.check is an ormcache), but
        its first run hashes 600,000 PBKDF2 rounds (about 0.5 s of CPU)."""

        def call():
            models = xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/object")
            for _ in range(2):
                models.execute_kw(
                    self.database,
                    uid,
                    PASSWORD,
                    "res.users",
                    "read",
                    [[uid], ["login"]],
                )

        threads = [threading.Thread(target=call) for _ in range(2 * self.workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return self

    def __exit__(self, *exc):
        # SIGTERM: the prefork master stops its workers and exits.
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.log.close()
        if not any(exc):
            os.unlink(self.log.name)


# ----------------------------------------------------------------------
# Clients
# ----------------------------------------------------------------------


class JsonClient:
    """The web client's route: a session, then /web/dataset/call_kw. Unlike
    /xmlrpc/2/object, this route honours @api.readonly (replica cursor)."""

    def __init__(self, url, database):
        self.host, self.port = url.split("//")[1].split(":")
        self.cookie = ""
        self.post(
            "/web/session/authenticate",
            {"db": database, "login": LOGIN, "password": PASSWORD},
        )

    def post(self, path, params):
        # Odoo answers HTTP/1.0 (Connection: close): a connection per call.
        connection = http.client.HTTPConnection(self.host, int(self.port))
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": params})
        headers = {"Content-Type": "application/json"}
        if self.cookie:
            headers["Cookie"] = self.cookie
        connection.request("POST", path, body, headers)
        response = connection.getresponse()
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";")[0]
        payload = json.loads(response.read())
        connection.close()
        if "error" in payload:
            raise xmlrpc.client.Fault(1, payload["error"]["data"]["message"])
        return payload["result"]

    def call_kw(self, method, args, kwargs):
        return self.post(
            f"/web/dataset/call_kw/{MODEL}/{method}",
            {"model": MODEL, "method": method, "args": args, "kwargs": kwargs},
        )


def make_call(kind, url, database, uid):
    """A function serial -> answer for one kind of call, with its own
    connection objects (one per client process)."""
    if kind == "version":
        common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common")
        return lambda serial: common.version()
    if kind.startswith("json_"):
        client = JsonClient(url, database)
        if kind == "json_check":
            return lambda serial: client.call_kw(
                "check_warranty", [serial], CHECK_KWARGS
            )
        return lambda serial: client.call_kw(
            "search_read",
            [[("serial", "=", serial)]],
            {"fields": READ_FIELDS, "limit": 1},
        )
    models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)
    if kind == "check":
        return lambda serial: models.execute_kw(
            database, uid, PASSWORD, MODEL, "check_warranty", [serial], CHECK_KWARGS
        )
    if kind == "floor":
        return lambda serial: models.execute_kw(
            database, uid, PASSWORD, "res.users", "context_get", [], {}
        )
    if kind == "search_read":
        return lambda serial: models.execute_kw(
            database,
            uid,
            PASSWORD,
            MODEL,
            "search_read",
            [[("serial", "=", serial)]],
            {"fields": READ_FIELDS, "limit": 1},
        )
    raise ValueError(kind)


def client_loop(kind, url, database, uid, count, seed, timing, ready, queue):
    """One client process: calls back to back until stop_at; keeps the
    latencies of the calls that end inside [measure_at, stop_at]."""
    warmup, seconds = timing
    rng = random.Random(seed)
    latencies, errors, error = [], 0, ""
    try:
        call = make_call(kind, url, database, uid)
        # Start together once every client is connected (a JSON client's
        # login hashes its password first).
        ready.wait(timeout=600)
        measure_at = time.time() + warmup
        stop_at = measure_at + seconds
        while True:
            serial = f"S{rng.randint(1, count):08d}"
            begin = time.perf_counter()
            try:
                call(serial)
            except (xmlrpc.client.Error, OSError) as exc:
                errors += 1
                error = str(exc)[:300]
            end = time.time()
            if end > stop_at:
                break
            if end >= measure_at:
                latencies.append(time.perf_counter() - begin)
    except Exception as exc:  # noqa: BLE001 (reported by the parent)
        errors, error = errors + 1, repr(exc)[:300]
    queue.put((latencies, errors, error))


def load(kind, url, database, uid, count, clients, warmup, seconds):
    """``clients`` processes calling ``kind`` for warmup + seconds."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    ready = context.Barrier(clients)
    processes = [
        context.Process(
            target=client_loop,
            args=(
                kind,
                url,
                database,
                uid,
                count,
                n,
                (warmup, seconds),
                ready,
                queue,
            ),
        )
        for n in range(clients)
    ]
    for process in processes:
        process.start()
    results = [queue.get(timeout=warmup + seconds + 300) for _ in processes]
    for process in processes:
        process.join()
    latencies = sorted(lat for result in results for lat in result[0])
    errors = sum(result[1] for result in results)
    error = next((result[2] for result in results if result[2]), "")
    return Figures(latencies, seconds, errors, error)


class Figures:
    def __init__(self, latencies, seconds, errors=0, error=""):
        self.calls = len(latencies)
        self.rate = self.calls / seconds
        self.p50 = percentile(latencies, 50)
        self.p95 = percentile(latencies, 95)
        self.errors, self.error = errors, error

    def line(self, label):
        text = (
            f"  {label:28s}: {self.rate:8.1f} calls/s  p50 {self.p50 * 1000:7.1f} ms"
            f"  p95 {self.p95 * 1000:7.1f} ms"
        )
        if self.errors:
            text += f"  ({self.errors} errors: {self.error})"
        return text


def percentile(values, rank):
    if not values:
        return float("nan")
    return values[min(len(values) - 1, int(len(values) * rank / 100))]


def serial_list(count, size, seed):
    rng = random.Random(seed)
    return [f"S{rng.randint(1, count):08d}" for _ in range(size)]


# ----------------------------------------------------------------------
# The benchmark
# ----------------------------------------------------------------------

KINDS = (
    ("version", "common.version (no-op)"),
    ("search_read", "search_read by serial (Odoo)"),
    ("check", "check_warranty"),
)


def bench_throughput(args, uid, count, worker_counts, clients, warmup, seconds):
    rates = {}
    for workers in worker_counts:
        print(f"  {workers} HTTP worker(s), {clients} clients:")
        with OdooServer(args.database, args.addons_path, workers) as server:
            server.prime(uid)
            for kind, label in KINDS:
                figures = load(
                    kind,
                    server.url,
                    args.database,
                    uid,
                    count,
                    clients,
                    warmup,
                    seconds,
                )
                rates[workers, kind] = figures.rate
                print(figures.line(label))
        ratio = rates[workers, "check"] / rates[workers, "version"]
        print(f"  {'check_warranty / version':28s}: {ratio:8.0%}")
    first, last = worker_counts[0], worker_counts[-1]
    if last != first:
        print(f"  scaling {last} workers / {first}:")
        for kind, label in KINDS:
            factor = rates[last, kind] / rates[first, kind]
            print(f"  {label:28s}: {factor:8.2f}x")


def bench_single(args, uid, count, warmup, seconds, batch):
    print("  1 HTTP worker, 1 client:")
    with OdooServer(args.database, args.addons_path, 1) as server:
        server.prime(uid)
        rates = {}
        floor = (("floor", "res.users.context_get"),)
        for kind, label in KINDS[:1] + floor + KINDS[1:]:
            figures = load(
                kind, server.url, args.database, uid, count, 1, warmup, seconds
            )
            rates[kind] = figures.rate
            print(figures.line(label))
        ratio = rates["check"] / rates["version"]
        print(f"  {'check_warranty / version':28s}: {ratio:8.0%}  (goal >= 70 %)")
        bench_batch(server, args.database, uid, count, batch)


def bench_batch(server, database, uid, count, size):
    serials = serial_list(count, size, seed=7)
    models = xmlrpc.client.ServerProxy(f"{server.url}/xmlrpc/2/object", allow_none=True)
    requests = [dict(CHECK_KWARGS, serial=serial) for serial in serials]
    try:
        start = time.perf_counter()
        answers = models.execute_kw(
            database, uid, PASSWORD, MODEL, "check_warranty_batch", [requests]
        )
        batch = time.perf_counter() - start
    except xmlrpc.client.Fault as fault:
        first = fault.faultString.strip().splitlines()[-1][:160]
        print(f"  check_warranty_batch        : not available ({first})")
        return
    start = time.perf_counter()
    singles = [
        models.execute_kw(
            database, uid, PASSWORD, MODEL, "check_warranty", [serial], CHECK_KWARGS
        )
        for serial in serials
    ]
    single = time.perf_counter() - start
    same = len(answers) == len(singles) and all(
        (a["eligible"], a["reason"], a["voucher_id"])
        == (s["eligible"], s["reason"], s["voucher_id"])
        for a, s in zip(answers, singles, strict=False)
    )
    print(f"  batch of {size} serials, 1 client:")
    print(f"  {size} check_warranty calls    : {single:8.2f} s")
    print(f"  1 check_warranty_batch      : {batch:8.2f} s")
    print(f"  ratio                       : {single / batch:8.1f}x  (goal >= 10x)")
    print(f"  same answers in same order  : {'yes' if same else 'NO'}")


# Replica routing -------------------------------------------------------


class ActivitySampler(threading.Thread):
    """Samples pg_stat_activity about every millisecond (a loop inside the
    server, as Python polling is too coarse for 1 ms queries) and tallies,
    per role, the samples where a backend of the database is running a
    query on the vouchers."""

    def __init__(self, database, seconds):
        super().__init__(daemon=True)
        self.database = database
        self.seconds = seconds
        self.counts = {}

    def run(self):
        connection = psycopg2.connect(dbname="postgres")
        connection.autocommit = True
        with connection.cursor() as cr:
            cr.execute("CREATE TEMP TABLE samples (role name)")
            cr.execute(
                """
                DO $$
                DECLARE deadline timestamptz := clock_timestamp()
                                                + make_interval(secs => %s);
                BEGIN
                    WHILE clock_timestamp() < deadline LOOP
                        PERFORM pg_stat_clear_snapshot();
                        INSERT INTO samples
                        SELECT usename FROM pg_stat_activity
                         WHERE datname = %s AND state = 'active'
                           AND pid <> pg_backend_pid()
                           AND query LIKE '%%aftersales_warranty_voucher%%';
                        PERFORM pg_sleep(0.001);
                    END LOOP;
                END $$
                """,
                (self.seconds, self.database),
            )
            cr.execute("SELECT role, count(*) FROM samples GROUP BY role")
            self.counts = dict(cr.fetchall())
        connection.close()

    def result(self):
        self.join()
        return self.counts


@contextlib.contextmanager
def replica_role(database):
    """A login role that can only read, for the replica pool: the same
    server, but the role names whichever pool ran a query."""
    role = f"bench_replica_{os.getpid()}"
    connection = psycopg2.connect(dbname=database)
    connection.autocommit = True
    with connection.cursor() as cr:
        cr.execute(f"CREATE ROLE {role} LOGIN IN ROLE pg_read_all_data")
        cr.execute(f"ALTER ROLE {role} SET default_transaction_read_only = on")
    try:
        yield role
    finally:
        with connection.cursor() as cr:
            cr.execute(f"DROP ROLE IF EXISTS {role}")
        connection.close()


def bench_replica(args, uid, count, seconds):
    with contextlib.ExitStack() as stack:
        role = stack.enter_context(replica_role(args.database))
        primary = psycopg2.connect(dbname="postgres")
        primary_role = primary.info.user
        primary.close()
        # Odoo 18 reads any db_replica_* key of the configuration file
        # (sql_db.connection_info_for); only host and port are CLI options.
        conf = stack.enter_context(
            tempfile.NamedTemporaryFile("w", prefix="bench_rpc_", suffix=".conf")
        )
        conf.write(f"[options]\ndb_replica_user = {role}\n")
        conf.flush()
        extra = (
            f"--config={conf.name}",
            "--db_replica_host=127.0.0.1",
            f"--db_replica_port={os.environ.get('PGPORT', 5432)}",
        )
        server = stack.enter_context(
            OdooServer(args.database, args.addons_path, 2, extra)
        ).prime(uid)
        print(
            f"  2 HTTP workers, --db_replica_host=127.0.0.1, replica role {role}"
            f" (read-only), primary role {primary_role}; 2 clients, {seconds:.0f} s:"
        )
        print(f"  {'route and method':40s} calls/s   samples primary / replica")
        routes = (
            ("search_read", "/xmlrpc/2/object search_read"),
            ("check", "/xmlrpc/2/object check_warranty"),
            ("json_search_read", "/web/dataset/call_kw search_read"),
            ("json_check", "/web/dataset/call_kw check_warranty"),
        )
        for kind, label in routes:
            sampler = ActivitySampler(args.database, seconds + 10)
            sampler.start()
            figures = load(kind, server.url, args.database, uid, count, 2, 0, seconds)
            counts = sampler.result()
            where = f"{counts.get(primary_role, 0):6d} / {counts.get(role, 0):6d}"
            note = (
                f"  ({figures.errors} errors: {figures.error})"
                if figures.errors
                else ""
            )
            print(f"  {label:40s} {figures.rate:7.1f}   {where}{note}")


def bench_rpc(registry, args):
    """Entry point for scripts/benchmark.py (``--only rpc``)."""
    seconds = option(args, "rpc_seconds", 15)
    warmup = option(args, "rpc_warmup", 3)
    clients = option(args, "rpc_clients", 8)
    batch = option(args, "rpc_batch", 1000)
    worker_counts = [
        int(n) for n in str(option(args, "rpc_workers", "1,2,4")).split(",")
    ]
    uid, count = prepare_data(registry, args.vouchers)
    cores = os.cpu_count()
    load_avg = os.getloadavg()[0]
    print(
        f"check_warranty over the network, Odoo prefork server, {count} vouchers "
        f"({cores} cores, load {load_avg:.1f}; clients on the same machine), "
        f"{warmup:.0f} s warm-up + {seconds:.0f} s per line:"
    )
    bench_throughput(args, uid, count, worker_counts, clients, warmup, seconds)
    bench_single(args, uid, count, warmup, seconds, batch)
    print("Replica routing (pg_stat_activity samples of voucher queries per role):")
    bench_replica(args, uid, count, max(3.0, seconds / 3))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--vouchers", type=int, default=50_000)
    add_arguments(parser)
    args = parser.parse_args()
    odoo.tools.config.parse_config(
        ["-d", args.database, "--addons-path", args.addons_path, "--log-level", "warn"]
    )
    registry = odoo.modules.registry.Registry(args.database)
    bench_rpc(registry, args)


if __name__ == "__main__":
    main()
