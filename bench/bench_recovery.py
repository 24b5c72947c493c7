"""Export recovery after kill -9, and what watching an export's progress costs it.

Recovery: a tenant of 1M tasks; an export starts, and once its worker holds
the attempt's lock (its COPY is under way) that huey_consumer is killed with
SIGKILL. With another consumer alive: seconds from the kill until the export
runs again (a new attempt's worker holds its lock) and until it is completed.
With none left: the same, from a new consumer's start. Median of REPEATS each.

Cost: POST /tasks/export -> completed of the same 1M tasks while a client
reads GET /exports/<id> every second (as the Export tab does) and ten times
a second, against the same export nobody watches; and, in this process, the
export job's run_export (claim and row count, lock, COPY, completion) against
a bare COPY of the same query into a file (fsynced, renamed), as the export
was before progress and liveness; interleaved.

Targets: running again within 10 s of the kill (or of the new consumer's
start); watched every second / unwatched and run_export / bare COPY within 1.1x.
"""
import os
import signal
import statistics
import threading
import time

import psycopg2

from harness import BIN, REPEATS, SERVER_START_TIMEOUT, WORK, Taskflask, log, save, wait_until
from taskflask.data.exports import EXPORT_LOCK_NAMESPACE, copy_csv, create_export
from taskflask.db import Database
from taskflask.exports.writer import WRITE_BUFFER, run_export

ROWS = 1_000_000
WATCH_POLLS = {"watched_1s": 1.0, "watched_100ms": 0.1}
# The attempt whose worker holds the export's lock, as the API's progress finds it.
LOCK_HOLDER = f"""SELECT x.attempt FROM public.active_exports x
                  JOIN pg_locks l ON l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
                   AND l.classid = {EXPORT_LOCK_NAMESPACE} AND l.objid = x.lock_key::oid
                  WHERE x.export_id = %s"""


class Consumers:
    """huey_consumer processes of one deployment, each with its own log."""

    def __init__(self, app):
        self.app = app
        self.started = 0
        self.processes = []

    def start(self):
        self.started += 1
        name = f"huey-{self.started}"
        process = self.app._spawn(name, [str(BIN / "huey_consumer"), "huey_worker.huey", "--workers", "2",
                                         "--worker-type", "thread"])
        process.log_path = self.app.logs / f"{self.app.name}-{name}.log"
        process.started_at = time.monotonic()
        self.processes.append(process)
        wait_until(lambda: "database pool of" in process.log_path.read_text(), timeout=SERVER_START_TIMEOUT,
                   interval=0.05, message="a consumer to start")
        return process

    def kill_all(self):
        for process in self.processes:
            process.kill()
            process.wait()


def running_attempt(conn, export_id):
    """The attempt whose worker holds the export's lock, or None."""
    with conn.cursor() as cur:
        cur.execute(LOCK_HOLDER, (export_id,))
        row = cur.fetchone()
    return row[0] if row else None


def kill_mid_export(app, conn, admin, candidates):
    """Start an export, SIGKILL the consumer running it mid-COPY; returns (export id, kill time, that consumer)."""
    started = app.post("/tasks/export", headers=admin)
    export_id, job_id = started["exportId"], started["jobId"]
    wait_until(lambda: running_attempt(conn, export_id) == 1, timeout=60, interval=0.005, message="the export to run")
    runner = next(p for p in candidates if job_id in p.log_path.read_text())
    runner.send_signal(signal.SIGKILL)
    runner.wait()
    return export_id, time.monotonic(), runner


def recovered(app, conn, admin, export_id, since):
    """Seconds from ``since`` until attempt 2 runs, and until the export is completed."""
    wait_until(lambda: running_attempt(conn, export_id) == 2, timeout=60, interval=0.01,
               message="the export to run again")
    running_again = time.monotonic() - since
    wait_until(lambda: app.get(f"/exports/{export_id}", admin)["status"] == "completed", timeout=60,
               interval=0.02, message="the export to complete")
    return running_again, time.monotonic() - since


def watched_export(app, admin, poll_seconds):
    """POST -> completed while another client reads the export every ``poll_seconds``; returns seconds."""
    done = threading.Event()
    export_id = {}

    def watch():
        while not done.wait(poll_seconds):
            if "id" in export_id:
                app.get(f"/exports/{export_id['id']}", admin)

    watcher = threading.Thread(target=watch)
    watcher.start()
    start = time.perf_counter()
    export_id["id"] = app.post("/tasks/export", headers=admin)["exportId"]
    while app.get(f"/exports/{export_id['id']}", admin)["status"] != "completed":
        time.sleep(0.02)
    seconds = time.perf_counter() - start
    done.set()
    watcher.join()
    return seconds


def bare_copy_seconds(database, schema, folder):
    """The export as it was: the COPY streamed into a file, fsynced and renamed, nothing else."""
    path, temporary = folder / "bare.csv", folder / ".bare.part"
    start = time.perf_counter()
    with open(temporary, "wb", buffering=WRITE_BUFFER) as out, database.transaction(schema, read_only=True) as cur:
        cur.execute("SET LOCAL TimeZone TO 'UTC'")
        copy_csv(cur, out)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, path)
    seconds = time.perf_counter() - start
    path.unlink()
    return seconds


def run_export_seconds(database, schema, folder, admin_id):
    """The export job's work, in this process: claim and count, lock, COPY, completion."""
    with database.transaction(schema) as cur:
        export_id = create_export(cur, schema, admin_id, queue=None)
    start = time.perf_counter()
    if run_export(database, folder, schema, export_id) != "completed":
        raise RuntimeError("the export did not complete")
    seconds = time.perf_counter() - start
    (folder / schema / f"{export_id}.csv").unlink()
    return seconds


def measure(app, consumers):
    """The runs: another consumer alive, no consumer left, watched against not, run_export against bare COPY."""
    _, admin = app.create_tenant("recovery", tasks=ROWS)
    conn = psycopg2.connect(app.dsn)
    conn.autocommit = True

    alive = []
    for repeat in range(REPEATS):
        pair = [consumers.start(), consumers.start()]
        export_id, killed_at, _ = kill_mid_export(app, conn, admin, pair)
        alive.append(recovered(app, conn, admin, export_id, killed_at))
        log(f"#{repeat} another consumer alive: running again {alive[-1][0]:.2f} s, completed "
            f"{alive[-1][1]:.2f} s after the kill")
        for process in pair:
            process.kill()
            process.wait()

    alone = []
    for repeat in range(REPEATS):
        only = consumers.start()
        export_id, _, _ = kill_mid_export(app, conn, admin, [only])
        replacement = consumers.start()
        alone.append(recovered(app, conn, admin, export_id, replacement.started_at))
        log(f"#{repeat} no consumer left: running again {alone[-1][0]:.2f} s, completed "
            f"{alone[-1][1]:.2f} s after a new consumer's start")
        replacement.kill()
        replacement.wait()

    consumers.start()
    app.export(admin)  # warm the cache
    watched = []
    for repeat in range(REPEATS):
        variants = ["unwatched", *WATCH_POLLS]
        run = {}
        for name in variants[repeat % 3:] + variants[:repeat % 3]:  # each goes first in turn
            run[name] = app.export(admin)[0] if name == "unwatched" else watched_export(app, admin, WATCH_POLLS[name])
        watched.append(run)
        log(f"#{repeat} {ROWS:,} rows, POST -> completed: " + ", ".join(f"{k} {v:.2f} s" for k, v in run.items()))

    database = Database()
    database.configure(app.dsn, maxsize=2)
    folder = WORK / "recovery-inprocess"
    (folder / "recovery").mkdir(parents=True, exist_ok=True)
    admin_id = admin["x-user-id"]
    bare = []
    for repeat in range(REPEATS):
        if repeat % 2:  # each goes first in turn
            copy_s = bare_copy_seconds(database, "recovery", folder / "recovery")
            export_s = run_export_seconds(database, "recovery", folder, admin_id)
        else:
            export_s = run_export_seconds(database, "recovery", folder, admin_id)
            copy_s = bare_copy_seconds(database, "recovery", folder / "recovery")
        bare.append((export_s, copy_s))
        log(f"#{repeat} {ROWS:,} rows in this process: run_export {bare[-1][0]:.2f} s, bare COPY {bare[-1][1]:.2f} s")
    database.close()
    conn.close()
    return alive, alone, watched, bare


def main():
    app = Taskflask("taskflask_bench_recovery").start(consumer=False)
    consumers = Consumers(app)
    try:
        alive, alone, watched, bare = measure(app, consumers)
    finally:
        consumers.kill_all()
        app.stop()

    def medians(pairs, index):
        return statistics.median(p[index] for p in pairs)

    figures = {
        "rows": ROWS, "repeats": REPEATS,
        "alive_running_again_s": medians(alive, 0), "alive_completed_s": medians(alive, 1),
        "alive_max_running_again_s": max(p[0] for p in alive),
        "alone_running_again_s": medians(alone, 0), "alone_completed_s": medians(alone, 1),
        "alone_max_running_again_s": max(p[0] for p in alone),
        "unwatched_s": statistics.median(run["unwatched"] for run in watched),
        **{f"{name}_s": statistics.median(run[name] for run in watched) for name in WATCH_POLLS},
        **{f"{name}_ratio": statistics.median(run[name] / run["unwatched"] for run in watched)
           for name in WATCH_POLLS},
        "run_export_s": medians(bare, 0), "bare_copy_s": medians(bare, 1),
        "run_export_ratio": statistics.median(r / b for r, b in bare),
    }
    log(figures)
    save("recovery", figures)


if __name__ == "__main__":
    main()
