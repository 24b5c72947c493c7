"""Citus: tenant creation on a cluster beside plain PostgreSQL, and schema moves under requests.

A cluster of ../shared/citus/cluster.sh (a coordinator and two workers on
loopback, PostgreSQL 15 with Citus 13.2) is started for the run and removed
after it; it runs as root or postgres.

Creation: organizations created one after another, each timed from BEGIN to
COMMIT as bench/tenant_create.py does, interleaved three ways: plain
PostgreSQL as the app does it (the schema's statements joined in one round
trip), plain PostgreSQL with one statement per execute (what Citus needs),
and the cluster with CITUS=1 (a distributed schema).

Moves: a tenant with 10,000 tasks is moved between the workers with
citus_schema_move, several times in each transfer mode (block_writes, then
Citus' default auto, which uses logical replication), while 4 clients
alternate GET /tasks and POST /tasks through gunicorn; each move's duration,
the requests answered during it, their errors and the slowest one, and for
each mode whether every acknowledged write is stored.
"""
import os
import shutil
import statistics
import subprocess
import tempfile
import threading
import time

from psycopg2 import sql

from harness import ROOT, Taskflask, drop_database, log, recreate_database, save
from taskflask.data.migrations import run_statements
from taskflask.data.organizations import create_organization
from taskflask.data.queries import queries, text_of
from taskflask.db import Database
from taskflask.tenants.migrate_run import migrate_tenants
from taskflask.tenants.migrations import new_schema_statements

CLUSTER_SH = ROOT.parent / "shared" / "citus" / "cluster.sh"
PORT = int(os.environ.get("BENCH_CITUS_PORT", "59960"))  # and the next two, for the workers
TENANTS = int(os.environ.get("BENCH_CITUS_TENANTS", "100"))
MOVES = int(os.environ.get("BENCH_CITUS_MOVES", "6"))  # per transfer mode
TASKS = 10_000
CLIENTS = 4


class CitusCluster:
    """A throwaway cluster from cluster.sh, in a temporary directory."""

    def __init__(self, port):
        self.port = port
        self.dir = tempfile.mkdtemp(prefix="taskflask-bench-citus-")

    def run(self, *args):
        return subprocess.run([str(CLUSTER_SH), *args], check=True, capture_output=True, text=True).stdout.strip()

    def __enter__(self):
        self.run("start", self.dir, str(self.port))
        return self

    def __exit__(self, *exc):
        self.run("stop", self.dir)
        shutil.rmtree(self.dir, ignore_errors=True)

    def createdb(self, name):
        """A database on every node, with Citus and the workers registered; returns its URL."""
        self.run("createdb", self.dir, name)
        return self.run("url", self.dir, name)


def create_one_by_one(cur, name, schema):
    """create_organization on plain PostgreSQL, but one statement per execute as on Citus."""
    statements, params, version = new_schema_statements(schema)
    run_statements(cur, [*statements, sql.SQL(text_of(queries.insert_organization))],
                   {**params, "name": name, "schema_name": schema, "schema_version": version}, one_by_one=True)


def creation_figures(cluster):
    """p50/p90 ms of creating TENANTS organizations each way, interleaved."""
    ways = {"plain_joined": (recreate_database("taskflask_bench_citus_plain"),
                             lambda cur, n: create_organization(cur, f"Tenant {n}", f"t{n}"), False),
            "plain_one_by_one": (recreate_database("taskflask_bench_citus_split"),
                                 lambda cur, n: create_one_by_one(cur, f"Tenant {n}", f"t{n}"), False),
            "citus": (cluster.createdb("taskflask_bench_citus_create"),
                      lambda cur, n: create_organization(cur, f"Tenant {n}", f"t{n}", distributed=True), True)}
    databases, timings = {}, {way: [] for way in ways}
    for way, (url, _, citus) in ways.items():
        migrate_tenants(url, citus=citus)
        databases[way] = Database()
        databases[way].configure(url, maxsize=1)
    for number in range(1, TENANTS + 1):
        for way, (_, create, _) in ways.items():
            started = time.perf_counter()
            with databases[way].transaction() as cur:
                create(cur, number)
            timings[way].append((time.perf_counter() - started) * 1000)
        if number % 25 == 0:
            log(f"created {number} x 3: " + ", ".join(f"{w} p50 {statistics.median(t):.1f} ms"
                                                      for w, t in timings.items()))
    for database in databases.values():
        database.close()
    drop_database("taskflask_bench_citus_plain")
    drop_database("taskflask_bench_citus_split")
    return {way: {"n": len(t), "p50_ms": statistics.median(t),
                  "p90_ms": statistics.quantiles(t, n=10)[-1]} for way, t in timings.items()}


class Traffic:
    """CLIENTS threads alternating GET /tasks?limit=100 and POST /tasks; every answer is kept."""

    def __init__(self, app, tenant, member):
        self.app, self.tenant, self.member = app, tenant, member
        self.answers = []  # (started, finished, status)
        self.written = 0
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.client, args=(n,)) for n in range(CLIENTS)]

    def client(self, number):
        session, count = self.app.session, 0
        while not self.stop.is_set():
            started = time.monotonic()
            if count % 2:
                response = session.post(f"{self.app.url}/tasks", json={"title": f"client {number} #{count}"},
                                        headers=self.member, timeout=60)
            else:
                response = session.get(f"{self.app.url}/tasks?limit=100", headers=self.tenant, timeout=60)
            with self.lock:
                self.answers.append((started, time.monotonic(), response.status_code))
                self.written += response.status_code == 201
            count += 1

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=120)

    def between(self, start, end):
        """Answers to requests that were in flight at some moment between ``start`` and ``end``."""
        with self.lock:
            return [a for a in self.answers if a[1] >= start and a[0] <= end]


def placement_port(db, schema):
    """The port of the worker holding ``schema``'s tables."""
    with db.transaction() as cur:
        cur.execute("SELECT DISTINCT nodeport FROM citus_shards s JOIN pg_class c ON c.oid = s.table_name "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s", (schema,))
        [port] = [row["nodeport"] for row in cur.fetchall()]
    return port


def stored_tasks(db, schema):
    with db.transaction(schema, read_only=True) as cur:
        cur.execute("SELECT count(*) AS n FROM tasks")
        return cur.fetchone()["n"]


def moves_under_traffic(app, db, tenant, member, mode, workers):
    """MOVES moves of the tenant in ``mode`` while Traffic runs; each move's figures and the writes lost."""
    before = stored_tasks(db, "moving")
    windows = []
    with Traffic(app, tenant, member) as traffic:
        time.sleep(2)
        steady = [(end - begin) * 1000 for begin, end, _ in traffic.between(0, time.monotonic())]
        for number in range(MOVES):
            target = next(worker for worker in workers if worker[1] != placement_port(db, "moving"))
            started = time.monotonic()
            with db.connection() as raw, raw.cursor() as cur:  # autocommit: the move commits as it goes
                cur.execute("SELECT citus_schema_move('moving', %s, %s, %s)", (*target, mode))
            windows.append((started, time.monotonic(), target[1]))
            log(f"{mode} move {number + 1} to {target[1]}: {windows[-1][1] - started:.2f} s")
            time.sleep(2)
    moves = []  # counted once every request has its answer, those held up by the move included
    for started, finished, port in windows:
        during = traffic.between(started, finished)
        latencies = [(end - begin) * 1000 for begin, end, _ in during]
        moves.append({"seconds": finished - started, "to_port": port, "requests": len(during),
                      "errors": sum(status >= 300 for _, _, status in during),
                      "slowest_ms": max(latencies, default=0),
                      "p50_ms": statistics.median(latencies) if latencies else 0})
    return {"moves": moves, "median_move_s": statistics.median(m["seconds"] for m in moves),
            "baseline_p50_ms": statistics.median(steady), "baseline_slowest_ms": max(steady),
            "requests": len(traffic.answers), "errors": sum(status >= 300 for _, _, status in traffic.answers),
            "acknowledged_writes": traffic.written,
            "lost_writes": before + traffic.written - stored_tasks(db, "moving")}


def move_figures(cluster):
    """The tenant moved under traffic in each transfer mode, block_writes first."""
    name = "taskflask_bench_citus_move"
    app = Taskflask(name, server_url=cluster.run("url", cluster.dir))  # its database, on the coordinator
    cluster.createdb(name)  # and on the workers, with Citus and the nodes registered
    app.env["CITUS"] = "1"
    app.start(consumer=False)
    db = Database()
    try:
        tenant, member = app.create_tenant("moving", tasks=TASKS)
        db.configure(app.dsn, maxsize=2)
        with db.transaction() as cur:
            cur.execute("SELECT node_name, node_port FROM citus_get_active_worker_nodes() ORDER BY node_port")
            workers = [(row["node_name"], row["node_port"]) for row in cur.fetchall()]
        return {"tasks": TASKS, "clients": CLIENTS,
                "modes": {mode: moves_under_traffic(app, db, tenant, member, mode, workers)
                          for mode in ("block_writes", "auto")}}
    finally:
        db.close()
        app.stop()


def main():
    if not CLUSTER_SH.exists():
        raise SystemExit(f"bench_citus: {CLUSTER_SH} not found; nothing measured")
    with CitusCluster(PORT) as cluster:
        figures = {"tenants": TENANTS, "create": creation_figures(cluster), "move": move_figures(cluster)}
    log(figures)
    save("citus", figures)


if __name__ == "__main__":
    main()
