"""Backend memory: the RSS of taskflask's PostgreSQL backends over GET /tasks spread across K tenants,
with the connection recycling policy off and on, and what the policy costs in throughput.

K organizations (default 2,000) are created through the API (POST /organizations and an admin,
as a client would). Then, for each policy, gunicorn starts afresh (2 workers of gunicorn.conf.py's
8 threads, each with a pool of DB_POOL_MAX=4: up to eight backends) and wrk sends GET
/tasks?limit=100 naming the next tenant on every request (16 connections). While it runs, a
sampler reads /proc/<pid>/status of every backend that pg_stat_activity shows for the app
(application_name taskflask) and keeps the peak of any backend. VmRSS counts the shared buffers a
backend has touched (RssShmem: at most shared_buffers, and the same pages for every backend) and
its private memory (RssAnon), where the catalog caches grow. Runs alternate off, on, off, on, ...
so that load from elsewhere hits both alike. Runs as root on the database server's machine (it
reads other processes' /proc).

    .venv/bin/python bench/bench_backend_memory.py [--tenants 2000] [--seconds 20] [--repeats 2]
                                                  [--max-schemas 100 [500 ...]]
"""
import argparse
import signal
import statistics
import threading
import time
from pathlib import Path

import psycopg2

from bench_tenants import rotating_script
from harness import WORK, api_only, log, wrk

SCRIPT = WORK / "rotate_memory_tenants.lua"


def backend_memory_mb(dsn, database):
    """{pid: (VmRSS, RssAnon, RssShmem) in MB} of the app's backends in ``database`` now."""
    conn = psycopg2.connect(dsn)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s AND application_name = 'taskflask'",
                        (database,))
            pids = [row[0] for row in cur]
    finally:
        conn.close()
    found = {}
    for pid in pids:
        try:
            fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines())
        except FileNotFoundError:  # ended between the query and the read
            continue
        if "VmRSS" not in fields:  # exiting: its memory is gone already
            continue
        found[pid] = tuple(int(fields[name].split()[0]) / 1024 for name in ("VmRSS", "RssAnon", "RssShmem"))
    return found


class Sampler(threading.Thread):
    """Reads the backends' memory every quarter second until stopped; keeps the peaks and the pids seen."""

    def __init__(self, dsn, database):
        super().__init__(daemon=True)
        self.dsn, self.database = dsn, database
        self.peak_rss = self.peak_anon = self.peak_shmem = 0.0
        self.pids = set()
        self.done = threading.Event()

    def run(self):
        while not self.done.wait(0.25):
            for pid, (rss, anon, shmem) in backend_memory_mb(self.dsn, self.database).items():
                self.pids.add(pid)
                self.peak_rss, self.peak_anon = max(self.peak_rss, rss), max(self.peak_anon, anon)
                self.peak_shmem = max(self.peak_shmem, shmem)

    def stop(self):
        self.done.set()
        self.join()


def restart(app, env):
    """gunicorn again with ``env`` added (fresh workers, so fresh pools and backends)."""
    if app.gunicorn is not None:
        app.gunicorn.send_signal(signal.SIGTERM)
        app.gunicorn.wait(timeout=60)
        app.gunicorn = None
    app.env.update(env)
    app.start(consumer=False)


def measure(app, env, script, seconds):
    """One wrk run spread over every tenant under ``env``; throughput, latency and backend memory."""
    restart(app, env)
    sampler = Sampler(app.dsn, app.name)
    sampler.start()
    run = wrk(app.url + "/tasks?limit=100", 16, script=script, seconds=seconds)
    time.sleep(0.3)
    sampler.stop()
    end = backend_memory_mb(app.dsn, app.name)
    return {"rps": run["rps"], "p50_ms": run["p50_ms"], "p99_ms": run["p99_ms"],
            "errors": run["non_2xx"] + bool(run["socket_errors"]),
            "peak_rss_mb": sampler.peak_rss, "peak_anon_mb": sampler.peak_anon, "peak_shmem_mb": sampler.peak_shmem,
            "end_rss_mb": sorted(round(rss, 1) for rss, _, _ in end.values()),
            "backends_seen": len(sampler.pids)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tenants", type=int, default=2000)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--max-schemas", type=int, nargs="+", default=[100],
                        help="DB_CONNECTION_MAX_SCHEMAS of the runs with the policy on (one policy each)")
    args = parser.parse_args()
    policies = {"off": {"DB_CONNECTION_MAX_SCHEMAS": "0", "DB_CONNECTION_LIFETIME": "0"}}
    for limit in args.max_schemas:
        policies[f"on {limit}"] = {"DB_CONNECTION_MAX_SCHEMAS": str(limit), "DB_CONNECTION_LIFETIME": "1h"}
    with api_only("taskflask_bench_backend_memory") as app:
        started = time.monotonic()
        tenant_ids = []
        for n in range(args.tenants):
            reader, _ = app.create_tenant(f"mem_{n:05d}")
            tenant_ids.append(reader["x-tenant-id"])
            if n % 500 == 499:
                log(f"{n + 1} tenants created ({time.monotonic() - started:.0f} s)")
        script = rotating_script(SCRIPT, tenant_ids)
        runs = {name: [] for name in policies}
        for repeat in range(args.repeats):
            for name, env in policies.items():
                figures = measure(app, env, script, args.seconds)
                runs[name].append(figures)
                log(f"run {repeat + 1}, policy {name}: {figures}")
    log(f"\n{args.tenants} tenants, GET /tasks?limit=100 spread over all of them, wrk 16 connections, "
        f"{args.seconds} s a run, {args.repeats} runs a policy; gunicorn 2 workers x 8 threads, pools of 4")
    log("on N: DB_CONNECTION_MAX_SCHEMAS=N (lifetime 1 h, never reached); off: no recycling")
    log(f"{'policy':<8}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'peak RSS MB':>13}{'peak anon MB':>14}"
        f"{'peak shmem MB':>15}{'backends':>10}")
    for name, results in runs.items():
        median = {key: statistics.median(run[key] for run in results)
                  for key in ("rps", "p50_ms", "p99_ms", "peak_rss_mb", "peak_anon_mb", "peak_shmem_mb",
                              "backends_seen")}
        log(f"{name:<8}{median['rps']:>9.0f}{median['p50_ms']:>9.2f}{median['p99_ms']:>9.2f}"
            f"{median['peak_rss_mb']:>13.1f}{median['peak_anon_mb']:>14.1f}{median['peak_shmem_mb']:>15.1f}"
            f"{median['backends_seen']:>10.0f}")
    off = statistics.median(run["rps"] for run in runs["off"])
    for name, results in runs.items():
        if name != "off":
            log(f"throughput with policy {name}: {statistics.median(run['rps'] for run in results) / off:.3f}x of off")
    log("scratch database dropped")


if __name__ == "__main__":
    main()
