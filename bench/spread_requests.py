"""GET /tasks over many tenants under gunicorn as the app ships: one tenant against the spread, backend memory.

Used by bench_10k.py. Each tenant gets an admin and a few tasks (seed_tenants). gunicorn
runs with gunicorn.conf.py (WEB_CONCURRENCY workers of 8 threads, each with a pool of
DB_POOL_MAX connections), and wrk c16 asks for GET /tasks?limit=100, either always the same
tenant or the next tenant on every request (bench_tenants.rotating_script: wrk's two threads
start half the list apart, so a 5 s run meets no tenant twice). A round: fresh gunicorn (new
backends, nothing in their caches), one tenant, the spread (its first pass), one tenant, the
spread again over the same tenants (second pass). Rounds alternate connection recycling as
shipped (the default DB_CONNECTION_MAX_SCHEMAS, DB_CONNECTION_LIFETIME=1h) and off
(DB_CONNECTION_MAX_SCHEMAS=0), while bench_backend_memory.Sampler reads every app backend's
/proc/<pid>/status.
"""
import os
import signal
import statistics
import subprocess
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import psycopg2
import requests
from psycopg2 import sql

from bench_backend_memory import Sampler, backend_memory_mb
from bench_organizations import timed_get
from bench_tenants import rotating_script
from common import percentile
from harness import BIN, DESCRIPTION, REDIS_URL, ROOT, WORK, free_port, log, wrk
from taskflask.settings import Settings

TASKS = 20
# At c16 no run reaches 10,000 requests here, so a pass meets each tenant at most once.
SECONDS = 4
CONNECTIONS = 16
# "on" is the app's default policy (bench_10k --max-schemas sets another for a trial).
POLICIES = {"on": {"DB_CONNECTION_MAX_SCHEMAS": str(Settings({}).DB_CONNECTION_MAX_SCHEMAS),
                   "DB_CONNECTION_LIFETIME": "1h"},
            "off": {"DB_CONNECTION_MAX_SCHEMAS": "0", "DB_CONNECTION_LIFETIME": "0"}}
# The picker's searches: one organization, a few hundred, thousands, a schema name, nothing.
SEARCHES = (("one name", "Tenant 7777"), ("a number", "123"), ("common", "Tenant"), ("schema name", "t4242"),
            ("no match", "zzzzqqq"))
SEARCH_REPEATS = 100
# One statement per tenant, after SET LOCAL search_path: an admin, TASKS tasks newest first, their counts.
SEED = """
WITH admin AS (
    INSERT INTO users (name, email, role) VALUES ('Admin', 'admin@example.com', 'admin') RETURNING id, name
), added AS (
    INSERT INTO tasks (title, description, status, created_by, created_by_name, created_at, updated_at, completed_at)
    SELECT 'Task number ' || g, replace(%(description)s, '{g}', g::text),
           CASE WHEN g %% 3 = 2 THEN 'completed' ELSE 'pending' END, admin.id, admin.name,
           now() - make_interval(secs => g * 37), now() - make_interval(secs => g * 37) + interval '1 hour',
           CASE WHEN g %% 3 = 2 THEN now() - make_interval(secs => g * 37) + interval '2 hours' END
    FROM admin, generate_series(1, %(tasks)s) g
    RETURNING status
)
INSERT INTO task_counts (pending, completed)
SELECT count(*) FILTER (WHERE status = 'pending'), count(*) FILTER (WHERE status = 'completed') FROM added;
"""


def seed_tenants(url, jobs=2, batch=250):
    """An admin and TASKS tasks in every tenant: ``jobs`` connections, ``batch`` tenants a round trip."""
    conn = psycopg2.connect(url)
    with conn, conn.cursor() as cur:
        cur.execute("SELECT schema_name FROM public.organizations ORDER BY created_at, id")
        schemas = [schema for (schema,) in cur]
    conn.close()
    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(seed_some, [url] * jobs, [schemas[job::jobs] for job in range(jobs)], [batch] * jobs))


def seed_some(url, schemas, batch):
    """seed_tenants' work for ``schemas`` on one connection."""
    conn = psycopg2.connect(url)
    try:
        for start in range(0, len(schemas), batch):
            statements = sql.SQL("").join(
                sql.SQL("SET LOCAL search_path TO {};").format(sql.Identifier(schema)) + sql.SQL(SEED)
                for schema in schemas[start:start + batch])
            with conn, conn.cursor() as cur:
                cur.execute(statements, {"description": DESCRIPTION, "tasks": TASKS})
    finally:
        conn.close()


class Gunicorn:
    """``gunicorn -c gunicorn.conf.py wsgi:app`` on a free loopback port, restarted with other settings."""

    def __init__(self, url, database_name):
        self.database_name = database_name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = dict(os.environ, DATABASE_URL=url, REDIS_URL=REDIS_URL, GUNICORN_BIND=f"127.0.0.1:{self.port}",
                        HUEY_NAME=f"{database_name}-{uuid.uuid4().hex[:8]}",
                        EXPORTS_DIR=str(WORK / "exports" / database_name))
        self.log = WORK / "logs" / f"{database_name}-gunicorn.log"
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self.process = None

    def start(self, settings):
        """Stop the running one, if any, and start afresh with ``settings`` (environment variables)."""
        self.stop()
        with self.log.open("ab") as out:
            self.process = subprocess.Popen([str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT,
                                            env={**self.env, **settings}, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/organizations?limit=1", timeout=1).status_code == 200:
                    return
            except (requests.ConnectionError, requests.Timeout):  # not listening yet, or still booting
                pass
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not start, see {self.log}")

    def stop(self):
        if self.process is not None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=60)
            self.process = None


def sampled_wrk(app, script, dsn):
    """One wrk c16 run of GET /tasks?limit=100 with ``script``; its figures and the backends' memory."""
    sampler = Sampler(dsn, app.database_name)
    sampler.start()
    run = wrk(app.url + "/tasks?limit=100", CONNECTIONS, script=script, seconds=SECONDS)
    time.sleep(0.3)
    sampler.stop()
    if run["non_2xx"] or run["socket_errors"]:
        raise SystemExit(f"errors in {run}")
    return {"rps": run["rps"], "p50_ms": run["p50_ms"], "p99_ms": run["p99_ms"],
            "peak_rss_mb": sampler.peak_rss, "peak_anon_mb": sampler.peak_anon,
            "peak_shmem_mb": sampler.peak_shmem, "backends_seen": len(sampler.pids),
            "load_1min": os.getloadavg()[0]}


def one_round(app, dsn, policy, one, spread, tenants):
    """Fresh gunicorn under ``policy``: one tenant, first pass, one tenant, second pass."""
    app.start(POLICIES[policy])
    wrk(app.url + "/tasks?limit=100", CONNECTIONS, script=one, seconds=2)  # every pool slot connected
    round_ = {}
    for name, script in (("one_before_first", one), ("first", spread), ("one_before_second", one),
                         ("second", spread)):
        round_[name] = sampled_wrk(app, script, dsn)
        if script is spread and round_[name]["rps"] * SECONDS > tenants:
            log(f"  warning: {round_[name]['rps'] * SECONDS:.0f} requests in a pass of {tenants} tenants: "
                "some met twice (shorten SECONDS)")
        log(f"  {policy:<3} {name:<18} {round_[name]['rps']:7.0f} req/s  p50 {round_[name]['p50_ms']:6.2f} ms  "
            f"p99 {round_[name]['p99_ms']:6.2f} ms  peak backend RSS {round_[name]['peak_rss_mb']:5.0f} MB "
            f"(private {round_[name]['peak_anon_mb']:4.0f})  backends {round_[name]['backends_seen']:3}  "
            f"load {round_[name]['load_1min']:.1f}")
    round_["end_backends"] = sorted(round(rss) for rss, _, _ in backend_memory_mb(dsn, app.database_name).values())
    return round_


def search_figures(app):
    """p50/p95 of GET /organizations?q=...&limit=20, SEARCH_REPEATS times each search, one client."""
    session = requests.Session()
    app.session = session
    for _ in range(20):
        timed_get(app, "/organizations?q=tenant&limit=20")
    found, everything = {}, []
    for label, q in SEARCHES:
        times = [timed_get(app, f"/organizations?q={q}&limit=20")[0] for _ in range(SEARCH_REPEATS)]
        everything += times
        found[label] = {"q": q, "p50_ms": percentile(times, 50), "p95_ms": percentile(times, 95)}
    found["all"] = {"p50_ms": percentile(everything, 50), "p95_ms": percentile(everything, 95)}
    return found


def measure(dsn, database_name, tenant_ids, rounds=2, policies=tuple(POLICIES)):
    """``rounds`` rounds of each of ``policies``, alternating; the searches; medians and every run."""
    one = rotating_script(WORK / "one_tenant_10k.lua", tenant_ids[:1])
    spread = rotating_script(WORK / "rotate_10k.lua", tenant_ids)
    app = Gunicorn(dsn, database_name)
    runs = {policy: [] for policy in policies}
    try:
        for _ in range(rounds):
            for policy in policies:
                runs[policy].append(one_round(app, dsn, policy, one, spread, len(tenant_ids)))
        searches = search_figures(app)
    finally:
        app.stop()
    figures = {"rounds": runs, "searches": searches, "seconds": SECONDS, "connections": CONNECTIONS,
               "tasks_per_tenant": TASKS, "workers": workers_as_shipped(),
               "policies": {policy: POLICIES[policy] for policy in policies}}
    for policy, rounds_ in runs.items():
        figures[policy] = {name: {key: statistics.median(r[name][key] for r in rounds_)
                                  for key in ("rps", "p50_ms", "p99_ms", "peak_rss_mb", "peak_anon_mb",
                                              "peak_shmem_mb", "backends_seen", "load_1min")}
                           for name in ("one_before_first", "first", "one_before_second", "second")}
        for name in ("first", "second"):
            figures[policy][f"{name}_ratio"] = statistics.median(
                r[name]["p50_ms"] / r[f"one_before_{name}"]["p50_ms"] for r in rounds_)
    if "off" in runs:
        figures["on_vs_off_rps"] = {name: statistics.median(on[name]["rps"] / off[name]["rps"]
                                                            for on, off in zip(runs["on"], runs["off"]))
                                    for name in ("first", "second")}
    return figures


def workers_as_shipped():
    """gunicorn.conf.py's workers x threads and the pool size, as this machine runs them."""
    return {"workers": int(os.environ.get("WEB_CONCURRENCY", (os.cpu_count() or 1) * 2)),
            "threads": int(os.environ.get("GUNICORN_THREADS", "8")), "pool": int(os.environ.get("DB_POOL_MAX", "4"))}


RUNS = (("one_before_first", "one tenant"), ("first", "spread, first pass"), ("one_before_second", "one tenant"),
        ("second", "spread, second pass"))


def table(figures):
    """The medians of measure()'s runs as text lines, one a policy and run."""
    w = figures["workers"]
    lines = [f"GET /tasks?limit=100, wrk c{figures['connections']}, {figures['seconds']} s a run, median of "
             f"{len(figures['rounds']['on'])} rounds; gunicorn.conf.py: {w['workers']} workers x {w['threads']} "
             f"threads, pools of {w['pool']}; {figures['tasks_per_tenant']} tasks a tenant",
             f"{'recycling':<10}{'run':<21}{'req/s':>7}{'p50 ms':>8}{'p99 ms':>8}{'p50 ratio':>10}"
             f"{'peak RSS MB':>12}{'private':>8}{'shmem':>7}{'backends':>9}{'load':>6}"]
    for policy in figures["rounds"]:
        for name, label in RUNS:
            r = figures[policy][name]
            ratio = f"{figures[policy][name + '_ratio']:.2f}x" if name in ("first", "second") else ""
            lines.append(f"{policy:<10}{label:<21}{r['rps']:>7.0f}{r['p50_ms']:>8.2f}{r['p99_ms']:>8.2f}{ratio:>10}"
                         f"{r['peak_rss_mb']:>12.0f}{r['peak_anon_mb']:>8.0f}{r['peak_shmem_mb']:>7.0f}"
                         f"{r['backends_seen']:>9.0f}{r['load_1min']:>6.1f}")
    if "on_vs_off_rps" in figures:
        rps = figures["on_vs_off_rps"]
        lines.append(f"throughput with recycling on: {rps['first']:.3f}x of off in the first pass, "
                     f"{rps['second']:.3f}x in the second")
    lines.append("GET /organizations?q=...&limit=20, one client: " + ", ".join(
        f"{label} ({s['q']!r}) p50 {s['p50_ms']:.2f} ms" for label, s in figures["searches"].items() if "q" in s)
        + f"; all p50 {figures['searches']['all']['p50_ms']:.2f} ms, p95 {figures['searches']['all']['p95_ms']:.2f}")
    return lines
