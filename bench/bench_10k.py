"""Benchmark: 10,000 tenants on one PostgreSQL: creation from the baseline, requests spread over all, one migration.

    python bench/bench_10k.py [--tenants 10000] [--keep DIR [--fast-build]]

Everything runs on a private PostgreSQL server of this machine's version (harness.PrivatePostgres,
as root), so that its settings can change between the request runs. In a scratch database,
organizations are created one after another through create_organization (what POST
/organizations runs), each timed from BEGIN to COMMIT; the p50/p95 of the first and last 500 are
set against the p50 of 100 made in a fresh database beside each of them (one after every fifth,
so that both see the same load on a shared machine). Each tenant then gets an admin and 20 tasks.

GET /tasks spread over every tenant (spread_requests.py: gunicorn as shipped, wrk c16, one
tenant against the spread, first and second pass, connection recycling on and off, backend
memory; cold_tenants.py: what a tenant a backend has not served costs, and why) runs twice: with
PostgreSQL's default settings, and with docker-compose.yml's. Before each, the server restarts
with them, pg_prewarm reads every table and index, and the kernel's cache of the database's files
is dropped, so that what shared_buffers does not hold comes from storage. Then the organization
search, ``GET /organizations?q=``.

Last, one migration, written the fast way (sql/tenant/README.md: a column without a default, SET
DEFAULT, backfill, SET NOT NULL) plus an index, goes to every tenant with the real command,
``python -m taskflask.cli.migrate --jobs 2`` (what ``taskflask-migrate`` runs), from a copy
of this checkout that has the extra file (bench/.work/taskflask-10k; sql/tenant is not touched),
and again with nothing pending. RSS of the PostgreSQL backends: the one that created every
tenant, and the migrate run's.

--keep DIR keeps the server (stopped) in DIR without migrating, saves nothing, and on the next
run with it measures only the requests; --fast-build builds with fsync=off, to iterate quickly.
"""
import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg2

import cold_tenants
import spread_requests
from harness import ROOT, WORK, PrivatePostgres, database_url, drop_database, log, recreate_database, save
from results import machine
from taskflask.data.organizations import create_organization
from taskflask.db import Database
from taskflask.tenants.migrate_run import migrate_tenants
from taskflask.tenants.migrations import latest_version

DATABASE = "taskflask_bench_10k"
FRESH_DATABASE = "taskflask_bench_10k_fresh"
# The private server's settings for the requests: PostgreSQL's defaults (the shared server's), then the
# ones docker-compose.yml sets (README, Deployment, "Many tenants").
CONFIGS = {"defaults": {}, "tuned": {"shared_buffers": "1GB", "max_files_per_process": "10000"}}
NEXT = WORK / "taskflask-10k"
WINDOW = 500
FRESH_COUNT = 100
# The fast pattern: nothing here makes PostgreSQL queue a value for every row.
MIGRATION = """\
ALTER TABLE tasks ADD COLUMN priority integer;
ALTER TABLE tasks ALTER COLUMN priority SET DEFAULT 0;
UPDATE tasks SET priority = 0 WHERE priority IS NULL;
ALTER TABLE tasks ALTER COLUMN priority SET NOT NULL;
CREATE INDEX tasks_priority_idx ON tasks (priority, created_at DESC, id DESC);
"""


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round((len(ordered) - 1) * p / 100))]


def backend_memory_mb(pid):
    """{rss, hwm, anon} MB of one PostgreSQL backend (anon: its private memory, caches included)."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines())
    kb = {name: int(fields[key].split()[0]) for name, key in (("rss", "VmRSS"), ("hwm", "VmHWM"), ("anon", "RssAnon"))}
    return {f"{name}_mb": value / 1024 for name, value in kb.items()}


class Creator:
    """Creates organizations one after another on one connection, each timed from BEGIN to COMMIT."""

    def __init__(self, url, prefix):
        self.database = Database()
        self.database.configure(url, maxsize=1)
        self.prefix, self.made = prefix, 0

    def create(self):
        """Milliseconds to create the next organization."""
        self.made += 1
        started = time.perf_counter()
        with self.database.transaction() as cur:
            create_organization(cur, f"Tenant {self.made}", f"{self.prefix}{self.made}")
        return (time.perf_counter() - started) * 1000

    def backend_memory(self):
        with self.database.transaction(read_only=True) as cur:
            cur.execute("SELECT pg_backend_pid() AS pid")
            return backend_memory_mb(cur.fetchone()["pid"])

    def close(self):
        self.database.close()


def create_all(url, fresh, count):
    """``count`` organizations in ``url``, and one in ``fresh`` after every fifth of the first and the last WINDOW.

    So each window has a fresh-database figure measured beside it: the machine is shared, and its load
    changes over a run. Returns (timings, fresh timings of the first window, of the last, backend memory).
    """
    creator = Creator(url, "t")
    every = WINDOW // FRESH_COUNT
    timings, fresh_first, fresh_last = [], [], []
    try:
        for number in range(1, count + 1):
            timings.append(creator.create())
            if number % every == 0 and number <= WINDOW:
                fresh_first.append(fresh.create())
            elif number % every == 0 and number > count - WINDOW:
                fresh_last.append(fresh.create())
            if number % 1000 == 0:
                log(f"  {number:,} tenants, last 1,000 p50 {statistics.median(timings[-1000:]):.2f} ms")
        return timings, fresh_first, fresh_last, creator.backend_memory()
    finally:
        creator.close()


def window(timings):
    return {"p50_ms": percentile(timings, 50), "p95_ms": percentile(timings, 95)}


def next_release():
    """A copy of this checkout with MIGRATION as the next tenant migration; returns its version."""
    shutil.rmtree(NEXT, ignore_errors=True)
    for part in ("taskflask", "sql"):
        shutil.copytree(ROOT / part, NEXT / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "wsgi.py", NEXT / "wsgi.py")
    version = latest_version("tenant") + 1
    (NEXT / "sql" / "tenant" / f"{version:04d}_task_priority.sql").write_text(MIGRATION)
    return version


class BackendSampler:
    """Peak memory of every backend connected to a database, sampled while a command runs."""

    def __init__(self, url, database_name, interval=0.5):
        self.url, self.name, self.interval = url, database_name, interval
        self.peaks, self._stop = {}, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        conn = psycopg2.connect(self.url)
        conn.autocommit = True
        try:
            with conn.cursor() as cur:
                while not self._stop.is_set():
                    cur.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid() "
                                "AND application_name = 'taskflask'", (self.name,))
                    for (pid,) in cur.fetchall():
                        try:
                            memory = backend_memory_mb(pid)
                        except (FileNotFoundError, ProcessLookupError):
                            continue
                        peak = self.peaks.setdefault(pid, memory)
                        for key, value in memory.items():
                            peak[key] = max(peak[key], value)
                    self._stop.wait(self.interval)
        finally:
            conn.close()

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def migrate(url, jobs=2):
    """Run the next release's migrate command; (wall seconds, its summary line)."""
    env = {**os.environ, "DATABASE_URL": url, "MIGRATE_ON_START": "0"}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "taskflask.cli.migrate", "--jobs", str(jobs)],
                          cwd=NEXT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode:
        raise RuntimeError(f"migrate failed: {done.stdout[-2000:]} {done.stderr[-2000:]}")
    return wall, done.stdout.strip().splitlines()[-1]


def catalog_size(url):
    conn = psycopg2.connect(url)
    with conn, conn.cursor() as cur:
        cur.execute("SELECT (SELECT count(*) FROM pg_class), (SELECT count(*) FROM pg_index), "
                    "pg_database_size(current_database()), "
                    "(SELECT sum(pg_total_relation_size(oid)) FROM pg_class "
                    " WHERE relnamespace = 'pg_catalog'::regnamespace AND relkind = 'r')")
        classes, indexes, size, catalogs = cur.fetchone()
    conn.close()
    return {"pg_class_rows": classes, "pg_index_rows": indexes, "database_mb": size / 2**20,
            "catalog_mb": float(catalogs) / 2**20}  # sum() is numeric: a Decimal


def build(server_url, url, tenants, figures):
    """Create ``tenants`` organizations (timed, beside a fresh database) and give each an admin and tasks."""
    fresh_url = recreate_database(FRESH_DATABASE, server_url)
    migrate_tenants(url)
    migrate_tenants(fresh_url)
    fresh = Creator(fresh_url, "fresh")
    try:
        timings, fresh_first, fresh_last, memory = create_all(url, fresh, tenants)
    finally:
        fresh.close()
        drop_database(FRESH_DATABASE, server_url)
    figures["create_seconds"] = sum(timings) / 1000
    figures["first"], figures["last"] = window(timings[:WINDOW]), window(timings[-WINDOW:])
    figures["fresh_first"], figures["fresh_last"] = window(fresh_first), window(fresh_last)
    figures["creating_backend"] = memory
    figures["first_vs_fresh"] = figures["first"]["p50_ms"] / figures["fresh_first"]["p50_ms"]
    figures["last_vs_fresh"] = figures["last"]["p50_ms"] / figures["fresh_last"]["p50_ms"]
    log(f"creation: first {WINDOW} p50 {figures['first']['p50_ms']:.2f} ms (fresh beside it "
        f"{figures['fresh_first']['p50_ms']:.2f}), last {WINDOW} p50 {figures['last']['p50_ms']:.2f} ms "
        f"(fresh beside it {figures['fresh_last']['p50_ms']:.2f})")
    seeding = time.perf_counter()
    spread_requests.seed_tenants(url)
    figures["seed_seconds"] = time.perf_counter() - seeding
    log(f"an admin and {spread_requests.TASKS} tasks in every tenant: {figures['seed_seconds']:.0f} s")


def migrate_all(url, database_name, tenants, figures):
    """The next release's migration to every tenant, then again with nothing pending; into ``figures``."""
    version = next_release()
    with BackendSampler(url, database_name) as sampler:
        wall, said = migrate(url)
    assert f"{tenants} upgraded, 0 failed" in said, said
    seconds = float(re.search(r"in ([\d.]+) s", said)[1])
    noop_wall, noop_said = migrate(url)
    assert noop_said.startswith("0 upgraded, 0 failed, 0 already"), noop_said
    figures["migrate"] = {"version": version, "wall_s": wall, "run_s": seconds,
                          "per_schema_ms": seconds / tenants * 1000, "says": said,
                          "noop_wall_s": noop_wall, "noop_run_s": float(re.search(r"in ([\d.]+) s", noop_said)[1]),
                          "noop_says": noop_said}
    peaks = sorted(sampler.peaks.values(), key=lambda m: m["rss_mb"], reverse=True)
    figures["migrate_backends"] = {"count": len(peaks), "max": peaks[0] if peaks else None}
    conn = psycopg2.connect(url)
    with conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM public.organizations WHERE schema_version = %s", (version,))
        figures["migrate"]["schemas_at_new_version"] = cur.fetchone()[0]
    conn.close()


def tenant_ids(url):
    conn = psycopg2.connect(url)
    with conn, conn.cursor() as cur:
        cur.execute("SELECT id::text FROM public.organizations ORDER BY created_at, id")
        ids = [row[0] for row in cur]
    conn.close()
    return ids


def database_exists(server_url, name):
    conn = psycopg2.connect(server_url)
    with conn, conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        found = cur.fetchone() is not None
    conn.close()
    return found


def warm_buffers(url, batch=10_000):
    """pg_prewarm every table and index, tenants' first, then the catalogs: a server that has run a while.

    Each connection prewarms ``batch`` relations (it opens each one, and keeps its cache entry).
    """
    conn = psycopg2.connect(url)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        cur.execute("SELECT c.oid FROM pg_class c WHERE c.relkind IN ('r', 'i', 't', 'm') AND c.relpersistence = 'p' "
                    "ORDER BY c.relnamespace = 'pg_catalog'::regnamespace, c.oid")
        oids = [oid for (oid,) in cur]
    conn.close()
    started = time.perf_counter()
    for first in range(0, len(oids), batch):
        conn = psycopg2.connect(url)
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("SELECT count(pg_prewarm(oid)) FROM unnest(%s::oid[]) AS oid", (oids[first:first + batch],))
        conn.close()
    return time.perf_counter() - started


def evict_page_cache(server, url):
    """Ask the kernel to drop its cached pages of the database's files (posix_fadvise DONTNEED).

    What shared_buffers does not hold must then come from storage, as on a server whose
    database outgrew the page cache, or as on this machine's shared server, whose cold requests
    read ~180 KB each from storage at 10,000 tenants (the kernel had dropped those pages).
    Returns the number of files.
    """
    conn = psycopg2.connect(url)
    with conn, conn.cursor() as cur:
        cur.execute("SELECT oid FROM pg_database WHERE datname = current_database()")
        oid = cur.fetchone()[0]
    conn.close()
    files = [path for path in (server.dir / "data" / "base" / str(oid)).iterdir() if path.is_file()]
    for path in files:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)
    return len(files)


def measure_requests(server, url, database_name, ids, config, policies):
    """Restart the server with CONFIGS[config], warm its buffers and empty the kernel's cache of the
    database, then the cold diagnosis and the wrk rounds."""
    server.restart(**CONFIGS[config])
    warmed = warm_buffers(url)
    log(f"\n--- server settings {config}: {CONFIGS[config] or 'PostgreSQL defaults'}; buffers warmed in "
        f"{warmed:.0f} s, then the kernel's cache of {evict_page_cache(server, url):,} files dropped")
    figures = {"settings": CONFIGS[config], "cold": cold_tenants.measure(url)}
    log("\n".join(cold_tenants.table(figures["cold"])))
    figures["requests"] = spread_requests.measure(url, database_name, ids, policies=policies)
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tenants", type=int, default=10_000)
    parser.add_argument("--keep", metavar="DIR",
                        help="keep the private server in DIR, without the migration, and save nothing; if it holds "
                             "the tenants already, only measure the requests")
    parser.add_argument("--shared-buffers", default=CONFIGS["tuned"]["shared_buffers"],
                        help="shared_buffers of the second request runs (docker-compose.yml's by default)")
    parser.add_argument("--fast-build", action="store_true",
                        help="build with fsync=off (the creation and migration figures then mean nothing; "
                             "for iterating on the requests with --keep)")
    parser.add_argument("--max-schemas", type=int, default=None,
                        help="DB_CONNECTION_MAX_SCHEMAS of the runs with recycling on (the app's default otherwise)")
    args = parser.parse_args()
    CONFIGS["tuned"]["shared_buffers"] = args.shared_buffers
    if args.max_schemas is not None:
        spread_requests.POLICIES["on"]["DB_CONNECTION_MAX_SCHEMAS"] = str(args.max_schemas)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # clean up on the way out: gunicorn, server, database
    started = time.perf_counter()
    figures = {"tenants": args.tenants, "window": WINDOW, "fresh_count": FRESH_COUNT,
               "baseline_version": latest_version("tenant"), "migration": MIGRATION}
    build_settings = {"fsync": "off"} if args.fast_build else {}
    with PrivatePostgres(directory=args.keep, **CONFIGS["defaults"], **build_settings) as server:
        reuse = bool(args.keep) and database_exists(server.url, DATABASE)
        url = database_url(DATABASE, server.url) if reuse else recreate_database(DATABASE, server.url)
        try:
            if not reuse:
                build(server.url, url, args.tenants, figures)
            figures["catalog"] = catalog_size(url)
            ids = tenant_ids(url)
            figures["tenants"] = len(ids)
            for config, policies in (("defaults", ("on",)), ("tuned", ("on", "off"))):
                figures[config] = measure_requests(server, url, DATABASE, ids, config, policies)
            if not args.keep:  # a kept database stays in the shape the app ships
                migrate_all(url, DATABASE, args.tenants, figures)
        finally:
            shutil.rmtree(NEXT, ignore_errors=True)
            if not args.keep:
                drop_database(DATABASE, server.url)
    figures["bench_seconds"] = time.perf_counter() - started
    figures["machine"] = machine()
    figures["load_average"] = " / ".join(f"{load:.1f}" for load in os.getloadavg()) + " over 1 / 5 / 15 min at the end"
    print_requests(figures)
    if args.keep:  # figures of a kept server are not the benchmark's: kept aside for a look
        (WORK / "tenants10k-kept.json").write_text(json.dumps(figures, indent=1, default=str))
    else:
        print_results(figures)
        save("tenants10k", figures)


def print_requests(f):
    log(f"\n=== GET /tasks spread over {f['tenants']:,} tenants (pg_class {f['catalog']['pg_class_rows']:,} rows, "
        f"{f['catalog']['database_mb']:,.0f} MB) ===")
    for config in ("defaults", "tuned"):
        log(f"\n-- server settings {config}: {f[config]['settings'] or 'PostgreSQL defaults'}")
        log("\n".join(cold_tenants.table(f[config]["cold"]) + spread_requests.table(f[config]["requests"])))


def print_results(f):
    m, b, c = f["migrate"], f["migrate_backends"]["max"] or {}, f["creating_backend"]
    log(f"""
=== {f["tenants"]:,} tenants: results ===
tenants                          {f['tenants']:,} (pg_class {f['catalog']['pg_class_rows']:,} rows, pg_index {f['catalog']['pg_index_rows']:,})
create, first {f['window']}               p50 {f['first']['p50_ms']:.2f} ms, p95 {f['first']['p95_ms']:.2f} ms; fresh database beside it p50 {f['fresh_first']['p50_ms']:.2f} ms ({f['first_vs_fresh']:.2f}x)
create, last {f['window']}                p50 {f['last']['p50_ms']:.2f} ms, p95 {f['last']['p95_ms']:.2f} ms; fresh database beside it p50 {f['fresh_last']['p50_ms']:.2f} ms ({f['last_vs_fresh']:.2f}x)
creating backend                 RSS {c['rss_mb']:.0f} MB (private {c['anon_mb']:.0f} MB, peak {c['hwm_mb']:.0f} MB)
migrate --jobs 2                 {m['run_s']:.1f} s ({m['per_schema_ms']:.2f} ms a schema), {m['wall_s']:.1f} s with start-up
migrate, nothing pending         {m['noop_run_s']:.2f} s, {m['noop_wall_s']:.2f} s with start-up
migrate backends (peak)          RSS {b.get('rss_mb', 0):.0f} MB (private {b.get('anon_mb', 0):.0f} MB), {f['migrate_backends']['count']} backends
whole benchmark                  {f['bench_seconds']:.0f} s""")  # noqa: E501


if __name__ == "__main__":
    main()
