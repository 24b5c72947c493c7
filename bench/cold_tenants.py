"""What a request costs in a tenant its connection has never served: GET /tasks's SQL, cold against warm.

Used by bench_10k.py, and runnable alone on a kept database:

    python bench/cold_tenants.py DATABASE_URL [--sample 200]

The app's own code path on a pool of one connection (data.tasks.list_tasks through
data.tenancy.read_in_known_schema, as GET /tasks without x-user-id once its process knows the tenant's
schema name: one message in autocommit, entering with the check), over a sample of tenants spread over
the registry:
  cold     a new backend, tenants no backend has served since the server started;
  warm     the same backend and tenants again (its relation and catalog caches hold them);
  rebuilt  a new backend, the same tenants (caches empty again, their pages now in shared_buffers).
Each request is timed by the client, from sending the message to its rows; pg_stat_database counts the shared
buffers each pass found and read (read: not in shared_buffers, asked of the kernel), and
/proc/<pid>/io how much the backend read from storage (not the page cache). Then, on other tenants of the sample,
EXPLAIN (ANALYZE, BUFFERS) of list_tasks cold and warm: planning and execution time, and the
shared buffers planning found (hit) or had to read; and the tenant relations a request locks,
each one opened (a relation cache entry built from the catalogs, a file opened). Last, a new
backend's connection and first request (what recycling a connection costs). The tenant's schema
comes from the registry inside the first round trip (data.tenancy.ENTER_TENANT), so a worker that
has never served a tenant makes no lookup of its own.
"""
import argparse
import statistics
import time
from pathlib import Path

import psycopg2

from common import percentile
from taskflask.data.queries import queries, text_of
from taskflask.data.tasks import list_tasks
from taskflask.data.tenancy import CHECKS, ENTER_TENANT, read_in_known_schema
from taskflask.db import Database, RequestTransaction
from taskflask.tenants.migrations import latest_version

EXPLAIN = "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + text_of(queries.list_tasks)
LIST_PARAMS = {"status": None, "pattern": None, "after_created_at": None, "after_id": None, "limit": 101}
# Tenant relations (not catalogs, not the registry) this backend holds a lock on: every one the request opened.
OPENED = """SELECT c.relname, c.relkind FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
            WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation'
              AND c.relnamespace = current_schema()::regnamespace ORDER BY 1"""


class PageReader:
    """data.tasks' reader as GET /tasks has it (web.tenancy.TenantRead without Flask), the schema's name known."""

    def __init__(self, database, tenant):
        self.database, (self.schema, self.tenant_id) = database, tenant

    def rows(self, query, params):
        """The read's rows, after the entry that checks the tenant, in one message."""
        return read_in_known_schema(self.database, self.schema, self.tenant_id, None, latest_version("tenant"),
                                    query, params)


def request(database, tenant):
    """GET /tasks's SQL in ``tenant`` (schema, id) on ``database``'s one connection; milliseconds at the client."""
    started = time.perf_counter()
    list_tasks(PageReader(database, tenant), 100)
    return (time.perf_counter() - started) * 1000


def timed_pass(database, tenants, monitor):
    """One request in each of ``tenants`` ((schema, id) pairs), in order: the milliseconds of each,
    and per request the shared buffers found and read and the bytes the backend read from storage."""
    before, io_before = database_blocks(monitor), storage_read_bytes(database)
    times = [request(database, tenant) for tenant in tenants]
    io_after = storage_read_bytes(database)
    with database.transaction() as cur:
        cur.execute("SELECT pg_stat_force_next_flush()")  # its counts reach pg_stat_database when it idles
    time.sleep(0.2)
    after = database_blocks(monitor)
    return {"times": times, "hit": (after[0] - before[0]) / len(tenants),
            "read": (after[1] - before[1]) / len(tenants), "storage_kb": (io_after - io_before) / 1024 / len(tenants)}


def database_blocks(monitor):
    """(blocks hit, blocks read) of the database so far, on the ``monitor`` connection."""
    with monitor.cursor() as cur:
        cur.execute("SELECT pg_stat_clear_snapshot()")
        cur.execute("SELECT blks_hit, blks_read FROM pg_stat_database WHERE datname = current_database()")
        return cur.fetchone()


def storage_read_bytes(database):
    """Bytes the pool's one backend has read from storage, not the page cache (/proc/<pid>/io read_bytes)."""
    with database.connection() as conn:
        pid = conn.info.backend_pid
    fields = dict(line.split(": ") for line in Path(f"/proc/{pid}/io").read_text().splitlines())
    return int(fields["read_bytes"])


def new_backend_ms(database, tenant, repeats=20):
    """Median milliseconds of connecting and serving one request in ``tenant``, whose pages are in buffers."""
    times = []
    for _ in range(repeats):
        database.close()
        started = time.perf_counter()
        request(database, tenant)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def explained(database, tenant_id):
    """Planning/execution ms, planning's shared buffers hit and read, and the tenant relations opened."""
    transaction = RequestTransaction(database)
    # GET /tasks's check without x-user-id (no users lookup), as the timed requests run it.
    transaction.begin(ENTER_TENANT + CHECKS[False, False], {"tenant_id": tenant_id, "user_id": None})
    cur = transaction.cursor
    cur.execute(EXPLAIN, LIST_PARAMS)
    plan = cur.fetchone()["QUERY PLAN"][0]
    cur.execute(OPENED)
    opened = [row["relname"] for row in cur]
    transaction.release()
    planning = plan.get("Planning", {})
    return {"planning_ms": plan["Planning Time"], "execution_ms": plan["Execution Time"],
            "planning_hit": planning.get("Shared Hit Blocks", 0),
            "planning_read": planning.get("Shared Read Blocks", 0),
            "execution_hit": plan["Plan"].get("Shared Hit Blocks", 0),
            "execution_read": plan["Plan"].get("Shared Read Blocks", 0), "opened": opened}


def sample_tenants(database, size):
    """Two lists of ``size`` (schema, id) pairs spread evenly over the registry, half a step apart."""
    with database.transaction(read_only=True) as cur:
        cur.execute("SELECT schema_name, id::text FROM public.organizations ORDER BY created_at, id")
        everyone = [(row["schema_name"], row["id"]) for row in cur]
    step = max(2, len(everyone) // size)
    return everyone[::step][:size], everyone[step // 2::step][:size]


def fresh_backend(database):
    """Close the pool's connection, so that the next request starts a new backend."""
    database.close()
    with database.connection():
        pass  # connected: the backend's start-up is not in the first request's time


def summary(run):
    times = run.pop("times")
    return {"p50_ms": percentile(times, 50), "mean_ms": statistics.fmean(times), "p90_ms": percentile(times, 90),
            **run}


def measure(url, size=200):
    """The three timed passes over ``size`` tenants, the EXPLAIN figures over ``size // 4`` others, and
    a new backend's first request."""
    database = Database()
    database.configure(url, maxsize=1)
    monitor = psycopg2.connect(url)
    monitor.autocommit = True
    try:
        tenants, others = sample_tenants(database, size)
        fresh_backend(database)
        cold = timed_pass(database, tenants, monitor)
        warm = timed_pass(database, tenants, monitor)
        fresh_backend(database)
        rebuilt = timed_pass(database, tenants, monitor)
        fresh_backend(database)
        explain_cold = [explained(database, tenant_id) for _, tenant_id in others[:size // 4]]
        explain_warm = [explained(database, tenant_id) for _, tenant_id in others[:size // 4]]
        connect_and_first = new_backend_ms(database, tenants[0])
    finally:
        database.close()
        monitor.close()
    figures = {"sample": size, "cold": summary(cold), "warm": summary(warm), "rebuilt": summary(rebuilt),
               "opened": explain_cold[0]["opened"], "opened_by": "read", "new_backend_ms": connect_and_first}
    for name, runs in (("explain_cold", explain_cold), ("explain_warm", explain_warm)):
        figures[name] = {key: statistics.median(run[key] for run in runs)
                         for key in ("planning_ms", "execution_ms", "planning_hit", "planning_read",
                                     "execution_hit", "execution_read")}
    return figures


def table(f):
    """measure()'s figures as text lines."""
    lines = [f"GET /tasks's SQL on one connection, {f['sample']} tenants spread over the registry, "
             "its one message at the client:",
             f"{'':<47}{'p50 ms':>8}{'mean ms':>9}{'p90 ms':>8}{'buffers hit':>12}{'read':>6}"
             f"{'from storage KB':>16}"]
    for name, label in (("cold", "cold: new backend, tenants none has served"),
                        ("warm", "warm: same backend and tenants again"),
                        ("rebuilt", "new backend, same tenants (pages in buffers)")):
        r = f[name]
        lines.append(f"{label:<47}{r['p50_ms']:>8.3f}{r['mean_ms']:>9.3f}{r['p90_ms']:>8.3f}{r['hit']:>12.0f}"
                     f"{r['read']:>6.0f}{r['storage_kb']:>16.1f}")
    lines.append(f"EXPLAIN (ANALYZE, BUFFERS) of list_tasks, median over {f['sample'] // 4} other tenants:")
    for name in ("explain_cold", "explain_warm"):
        e = f[name]
        lines.append(f"  {name[8:]:<5} planning {e['planning_ms']:.3f} ms (shared hit {e['planning_hit']:.0f}, "
                     f"read {e['planning_read']:.0f}), execution {e['execution_ms']:.3f} ms (hit "
                     f"{e['execution_hit']:.0f}, read {e['execution_read']:.0f})")
    lines.append(f"tenant relations a request opens: {len(f['opened'])} ({', '.join(f['opened'])})")
    lines.append(f"a new backend: connecting and its first request (in a tenant whose pages are in buffers) "
                 f"{f['new_backend_ms']:.2f} ms, against {f['warm']['p50_ms']:.2f} ms for a warm request")
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--sample", type=int, default=200)
    args = parser.parse_args()
    print("\n".join(table(measure(args.url, args.sample))))


if __name__ == "__main__":
    main()
