"""Benchmark: 10,000 tenants on one PostgreSQL: creation from the baseline, then one migration to all of them.

    python bench/bench_10k.py [--tenants 10000]

In its own scratch database (dropped at the end): organizations are created one
after another through create_organization (what POST /organizations runs), each
timed from BEGIN to COMMIT; the p50/p95 of the first and last 500 are set
against the p50 of 100 made in a fresh database beside each of them (one
after every fifth, so that both see the same load on a shared machine). Then one migration, written the
fast way (sql/tenant/README.md: a column without a default, SET DEFAULT,
backfill, SET NOT NULL) plus an index, goes to every tenant with the real
command, ``flask --app wsgi migrate --jobs 2``, run from a copy of this checkout
that has the extra file (bench/.work/taskflask-10k; sql/tenant is not touched),
and again with nothing pending. RSS of the PostgreSQL backends: the one that
created every tenant, and the migrate run's (sampled while it runs).
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg2

from harness import ROOT, WORK, drop_database, log, recreate_database, save
from results import machine
from taskflask.data.organizations import create_organization
from taskflask.db import Database
from taskflask.tenants.migrate_run import migrate_tenants
from taskflask.tenants.migrations import latest_version

DATABASE = "taskflask_bench_10k"
FRESH_DATABASE = "taskflask_bench_10k_fresh"
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
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "migrate", "--jobs", str(jobs)],
                          cwd=NEXT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode:
        raise RuntimeError(f"migrate failed: {done.stdout[-2000:]} {done.stderr[-2000:]}")
    return wall, done.stdout.strip().splitlines()[-1]


def catalog_size(url):
    conn = psycopg2.connect(url)
    with conn, conn.cursor() as cur:
        cur.execute("SELECT (SELECT count(*) FROM pg_class), (SELECT count(*) FROM pg_index), "
                    "pg_database_size(current_database())")
        classes, indexes, size = cur.fetchone()
    conn.close()
    return {"pg_class_rows": classes, "pg_index_rows": indexes, "database_mb": size / 2**20}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tenants", type=int, default=10_000)
    args = parser.parse_args()
    started = time.perf_counter()
    figures = {"tenants": args.tenants, "window": WINDOW, "fresh_count": FRESH_COUNT,
               "baseline_version": latest_version("tenant"), "migration": MIGRATION}
    url, fresh_url = recreate_database(DATABASE), recreate_database(FRESH_DATABASE)
    try:
        migrate_tenants(url)
        migrate_tenants(fresh_url)
        fresh = Creator(fresh_url, "fresh")
        try:
            timings, fresh_first, fresh_last, memory = create_all(url, fresh, args.tenants)
        finally:
            fresh.close()
            drop_database(FRESH_DATABASE)
        figures["create_seconds"] = sum(timings) / 1000
        figures["first"], figures["last"] = window(timings[:WINDOW]), window(timings[-WINDOW:])
        figures["fresh_first"], figures["fresh_last"] = window(fresh_first), window(fresh_last)
        figures["creating_backend"] = memory
        figures["first_vs_fresh"] = figures["first"]["p50_ms"] / figures["fresh_first"]["p50_ms"]
        figures["last_vs_fresh"] = figures["last"]["p50_ms"] / figures["fresh_last"]["p50_ms"]
        figures["catalog"] = catalog_size(url)
        log(f"creation: first {WINDOW} p50 {figures['first']['p50_ms']:.2f} ms (fresh beside it "
            f"{figures['fresh_first']['p50_ms']:.2f}), last {WINDOW} p50 {figures['last']['p50_ms']:.2f} ms "
            f"(fresh beside it {figures['fresh_last']['p50_ms']:.2f})")

        version = next_release()
        with BackendSampler(url, DATABASE) as sampler:
            wall, said = migrate(url)
        assert f"{args.tenants} upgraded, 0 failed" in said, said
        seconds = float(re.search(r"in ([\d.]+) s", said)[1])
        noop_wall, noop_said = migrate(url)
        assert noop_said.startswith("0 upgraded, 0 failed, 0 already"), noop_said
        figures["migrate"] = {"version": version, "wall_s": wall, "run_s": seconds,
                              "per_schema_ms": seconds / args.tenants * 1000, "says": said,
                              "noop_wall_s": noop_wall, "noop_run_s": float(re.search(r"in ([\d.]+) s", noop_said)[1]),
                              "noop_says": noop_said}
        peaks = sorted(sampler.peaks.values(), key=lambda m: m["rss_mb"], reverse=True)
        figures["migrate_backends"] = {"count": len(peaks), "max": peaks[0] if peaks else None}
        conn = psycopg2.connect(url)
        with conn, conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM public.organizations WHERE schema_version = %s", (version,))
            figures["migrate"]["schemas_at_new_version"] = cur.fetchone()[0]
        conn.close()
    finally:
        shutil.rmtree(NEXT, ignore_errors=True)
        drop_database(DATABASE)
        drop_database(FRESH_DATABASE)
    figures["bench_seconds"] = time.perf_counter() - started
    figures["machine"] = machine()
    figures["load_average"] = " / ".join(f"{load:.1f}" for load in os.getloadavg()) + " over 1 / 5 / 15 min at the end"
    print_results(figures)
    save("tenants10k", figures)


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
