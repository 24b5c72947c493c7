"""Exports survive dead, hung and stopped workers: real huey_consumer processes, real signals.

The tenant has a few hundred thousand tasks, so an export runs for a second
or two; a test catches it mid-run by watching for its worker's lock in
pg_locks, the lock PostgreSQL frees when that worker's connection dies. The
tests that start consumers are marked slow; the sweep's and the stale-attempt
guard's tests at the end run in this process.
"""
import csv
import io
import logging
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path

import psycopg2
import pytest
from psycopg2 import sql

from support.environment import EXPORTS_DIR, ROOT, create_database, database_url, drop_database
from support.jobs import run_queued_jobs
from support.polling import wait_until
from support.tenants import TenantFixture
from taskflask.data.exports import EXPORT_LOCK_NAMESPACE, Claim, copy_csv, fail_export, rows_written, start_attempt
from taskflask.data.queries import queries, text_of
from taskflask.data.tenancy import enter_schema
from taskflask.db import database
from taskflask.exports import upkeep
from taskflask.exports.files import export_path
from taskflask.exports.jobs import enqueue_export
from taskflask.exports.writer import run_export
from taskflask.queue import huey
from taskflask.tenants.migrate_run import migrate_tenants

ROWS = 300_000
RECOVERY_TARGET = 10.0  # seconds from kill -9 (or from a new consumer's start) to completed
POOL_LINE = "database pool of"


class Consumer:
    """huey_consumer huey_worker.huey on this run's queue."""

    def __init__(self, log_path, workers=2, worker_type="thread", **env):
        self.log_path = log_path
        self.started_at = time.monotonic()
        with open(log_path, "ab") as log:
            self.process = subprocess.Popen(
                [str(Path(sys.executable).parent / "huey_consumer"), "huey_worker.huey", "--workers", str(workers),
                 "--worker-type", worker_type], cwd=ROOT, env=dict(os.environ, **env), stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True)  # its own group: forked workers too

    def signal(self, sig):
        self.process.send_signal(sig)

    def stop(self, sig, timeout=30):
        self.process.send_signal(sig)
        return self.process.wait(timeout=timeout)

    def log(self):
        return self.log_path.read_text(errors="replace")

    def kill_group(self):
        """The consumer and any worker processes it forked (they outlive a killed parent)."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait()

    def wait_ready(self, processes=1):
        """Until every consumer process has configured its pool (and started its sweeper)."""
        wait_until(lambda: self.log().count(POOL_LINE) >= processes, timeout=30,
                   message=f"the consumer to start\n{self.log()}")


@pytest.fixture
def consumers(tmp_path):
    started = []

    def start(**options):
        started.append(Consumer(tmp_path / f"consumer-{len(started)}.log", **options))
        return started[-1]
    yield start
    for consumer in started:
        consumer.kill_group()
    huey.flush()


@pytest.fixture(scope="module")
def seeded_tenant(app):
    """One tenant with ROWS tasks for the whole module (inserting them takes seconds)."""
    tenant = TenantFixture(app.test_client(), "fault")
    with psycopg2.connect(os.environ["DATABASE_URL"]) as conn, conn.cursor() as cur:
        cur.execute(sql.SQL("""INSERT INTO {}.tasks (title, description, created_by, created_by_name)
                               SELECT 'row ' || i, %s, %s, %s FROM generate_series(1, %s) AS i""").format(
                        sql.Identifier(tenant.schema)),
                    (f"tag {tenant.schema}", tenant.admin["id"], tenant.admin["name"], ROWS))
        cur.execute(sql.SQL("ANALYZE {}.tasks").format(sql.Identifier(tenant.schema)))
    return tenant


@pytest.fixture
def big_tenant(client, seeded_tenant, db):
    """The seeded tenant with no export waiting or running and no attempt's file, whatever an earlier test left."""
    with db.cursor() as cur:
        cur.execute(sql.SQL("UPDATE {}.exports SET status = 'failed' WHERE status IN ('pending', 'processing')")
                    .format(sql.Identifier(seeded_tenant.schema)))
        cur.execute("DELETE FROM public.active_exports WHERE schema_name = %s", (seeded_tenant.schema,))
        cur.execute(sql.SQL("DELETE FROM {}.tasks WHERE title = 'extra'").format(sql.Identifier(seeded_tenant.schema)))
    for part in parts(seeded_tenant.schema):
        part.unlink()
    seeded_tenant.client = client
    return seeded_tenant


@pytest.fixture
def fresh_database():
    """The URL of a new, empty database (a first start before any migration), dropped afterwards."""
    name = f"taskflask_fresh_{uuid.uuid4().hex[:8]}"
    create_database(name)
    yield database_url(name)
    drop_database(name)


def export_state(client, tenant, export_id):
    return client.get(f"/exports/{export_id}", headers=tenant.as_admin).json


def wait_for_status(client, tenant, export_id, *statuses, timeout=30):
    def reached():
        export = export_state(client, tenant, export_id)
        return export if export["status"] in statuses else None
    return wait_until(reached, timeout=timeout, interval=0.05, message=f"export to be {'/'.join(statuses)}")


def lock_holder(db, export_id):
    """The backend pid holding the running attempt's lock, or None."""
    with db.cursor() as cur:
        cur.execute("""SELECT l.pid FROM public.active_exports a
                       JOIN pg_locks l ON l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
                        AND l.classid = %s AND l.objid = a.lock_key::oid
                       WHERE a.export_id = %s""", (EXPORT_LOCK_NAMESPACE, export_id))
        row = cur.fetchone()
    return row[0] if row else None


def caught_running(client, db, tenant, export_id):
    """Wait until a worker holds the export's lock (its COPY is under way); fail if it finished first."""
    def running():
        if lock_holder(db, export_id):
            return True
        assert export_state(client, tenant, export_id)["status"] in ("pending", "processing"), \
            "the export finished before it could be caught running"
    wait_until(running, timeout=30, interval=0.01, message="a worker to hold the export's lock")


def attempts(tenant, export_id):
    with database.transaction(tenant.schema) as cur:
        cur.execute("SELECT attempts FROM exports WHERE id = %s", (export_id,))
        return cur.fetchone()["attempts"]


def parts(schema):
    return list((EXPORTS_DIR / schema).glob(".*.part"))


def assert_whole_file(client, tenant, export_id, rows=ROWS):
    export = export_state(client, tenant, export_id)
    assert (export["status"], export["rowCount"]) == ("completed", rows)
    with open(export_path(EXPORTS_DIR, tenant.schema, export_id), newline="") as handle:
        found = list(csv.DictReader(handle))
    assert len(found) == rows and {row["description"] for row in found} == {f"tag {tenant.schema}"}
    assert not parts(tenant.schema)


def runner_of(job_id, *candidates):
    """The consumer whose log says it executes job ``job_id``."""
    return wait_until(lambda: next((c for c in candidates if job_id in c.log()), None), timeout=10,
                      message="the consumer running the job")


@pytest.mark.slow
def test_kill_9_mid_export_with_another_consumer_alive_completes_within_10s(client, db, big_tenant, consumers):
    tenant = big_tenant
    first, second = consumers(), consumers()
    first.wait_ready()
    second.wait_ready()
    started = tenant.start_export()
    export_id, job_id = started["exportId"], started["jobId"]
    caught_running(client, db, tenant, export_id)
    runner = runner_of(job_id, first, second)

    runner.stop(signal.SIGKILL)
    killed_at = time.monotonic()
    assert export_state(client, tenant, export_id)["status"] == "processing"
    wait_for_status(client, tenant, export_id, "completed", timeout=RECOVERY_TARGET)
    recovered_in = time.monotonic() - killed_at

    assert recovered_in <= RECOVERY_TARGET
    assert_whole_file(client, tenant, export_id)
    assert attempts(tenant, export_id) == 2
    next_id = tenant.start_export()["exportId"]  # the organization is free to export again
    wait_for_status(client, tenant, next_id, "completed")


@pytest.mark.slow
def test_kill_9_of_the_only_consumer_completes_within_10s_of_a_new_consumer(client, db, big_tenant, consumers):
    tenant = big_tenant
    only = consumers()
    only.wait_ready()
    export_id = tenant.start_export()["exportId"]
    caught_running(client, db, tenant, export_id)
    only.stop(signal.SIGKILL)
    wait_until(lambda: lock_holder(db, export_id) is None, timeout=5, message="PostgreSQL to free the lock")
    time.sleep(1)
    assert export_state(client, tenant, export_id)["status"] == "processing"  # nobody is left to notice

    replacement = consumers()
    wait_for_status(client, tenant, export_id, "completed", timeout=RECOVERY_TARGET + 5)
    assert time.monotonic() - replacement.started_at <= RECOVERY_TARGET
    assert_whole_file(client, tenant, export_id)


@pytest.mark.slow
def test_a_hung_worker_is_taken_back_after_stuck_after_and_cannot_overwrite_the_newer_attempt(
        client, db, big_tenant, consumers):
    tenant = big_tenant
    stuck_after = 4
    first = consumers(EXPORT_STUCK_AFTER=f"{stuck_after}s")
    second = consumers(EXPORT_STUCK_AFTER=f"{stuck_after}s")
    first.wait_ready()
    second.wait_ready()
    started = tenant.start_export()
    export_id, job_id = started["exportId"], started["jobId"]
    caught_running(client, db, tenant, export_id)
    hung = runner_of(job_id, first, second)
    hung.signal(signal.SIGSTOP)  # alive, holding its lock, making no progress
    stopped_at = time.monotonic()
    tenant.add_task("extra")  # only the newer attempt's snapshot has this row

    wait_for_status(client, tenant, export_id, "completed", timeout=stuck_after + RECOVERY_TARGET + 5)
    assert time.monotonic() - stopped_at >= stuck_after - 2  # not taken back while its lock was held
    assert attempts(tenant, export_id) == 2
    newer = export_state(client, tenant, export_id)
    assert newer["rowCount"] == ROWS + 1

    hung.signal(signal.SIGCONT)  # the stale attempt finishes its COPY and must not win
    wait_until(lambda: "attempt 1 was taken back" in hung.log(), timeout=30,
               message=f"the stale attempt to give up\n{hung.log()}")
    assert export_state(client, tenant, export_id) == newer
    with open(export_path(EXPORTS_DIR, tenant.schema, export_id), newline="") as handle:
        titles = [row["title"] for row in csv.DictReader(handle)]
    assert len(titles) == ROWS + 1 and "extra" in titles
    assert not parts(tenant.schema)


@pytest.mark.slow
@pytest.mark.parametrize("worker_type, workers, processes", [("thread", 4, 1), ("process", 3, 3)])
def test_every_worker_type_configures_one_pool_per_process(client, db, consumers, worker_type, workers, processes):
    tenants = [TenantFixture(client, f"pool{i}") for i in range(workers + 1)]
    with db.cursor() as cur:
        for tenant in tenants:
            cur.execute(sql.SQL("""INSERT INTO {}.tasks (title, description, created_by, created_by_name)
                                   SELECT 'row ' || i, %s, %s, %s FROM generate_series(1, 20000) AS i""").format(
                            sql.Identifier(tenant.schema)),
                        (f"tag {tenant.schema}", tenant.admin["id"], tenant.admin["name"]))
    consumer = consumers(workers=workers, worker_type=worker_type)
    consumer.wait_ready(processes)
    for _ in range(2):
        started = [(tenant, tenant.start_export()["exportId"]) for tenant in tenants]
        for tenant, export_id in started:
            wait_for_status(client, tenant, export_id, "completed", "failed")
            assert_whole_file(client, tenant, export_id, rows=20000)

    log = consumer.log()
    pool_lines = [line for line in log.splitlines() if POOL_LINE in line]
    assert len(pool_lines) == processes, log
    assert len({line.split("consumer process ")[1].split(":")[0] for line in pool_lines}) == processes
    assert "Semaphore released too many times" not in log and "Traceback" not in log, log


@pytest.mark.slow
def test_the_progress_a_client_sees_grows_monotonically_to_the_total(client, big_tenant, consumers):
    tenant = big_tenant
    consumers().wait_ready()
    export_id = tenant.start_export()["exportId"]
    samples = []
    while not samples or samples[-1][1]["status"] not in ("completed", "failed"):
        samples.append((time.monotonic(), export_state(client, tenant, export_id)))
        time.sleep(0.02)

    final = samples[-1][1]
    assert (final["status"], final["rowCount"], final["rowsWritten"], final["rowsExpected"]) == \
        ("completed", ROWS, ROWS, ROWS)
    running = [(at, export) for at, export in samples if export["status"] == "processing"]
    assert all(export["rowsExpected"] == ROWS for _, export in running)
    written = [export["rowsWritten"] or 0 for _, export in samples]
    assert written == sorted(written), str([(e["status"], e["rowsWritten"]) for _, e in samples])
    partial = {rows for rows in written if 0 < rows < ROWS}
    assert len(partial) >= 3, f"progress seen mid-run: {sorted(partial)}"
    # Once the COPY is under way, the figure moves between any two looks a second apart.
    copying = [(at, export["rowsWritten"]) for at, export in running if export["rowsWritten"]]
    for (at, rows), (later_at, later_rows) in zip(copying, copying[1:]):
        assert later_rows > rows or later_at - at < 1.0


@pytest.mark.slow
def test_sigint_lets_the_running_export_finish(client, db, big_tenant, consumers):
    tenant = big_tenant
    consumer = consumers()
    consumer.wait_ready()
    export_id = tenant.start_export()["exportId"]
    caught_running(client, db, tenant, export_id)
    consumer.signal(signal.SIGINT)
    assert export_state(client, tenant, export_id)["status"] == "processing"
    assert consumer.process.wait(timeout=60) == 0
    assert_whole_file(client, tenant, export_id)
    assert attempts(tenant, export_id) == 1  # finished by the worker that had it, not run again


@pytest.mark.slow
def test_sigterm_puts_the_running_export_back_on_the_queue(client, db, big_tenant, consumers):
    tenant = big_tenant
    consumer = consumers()
    consumer.wait_ready()
    export_id = tenant.start_export()["exportId"]
    caught_running(client, db, tenant, export_id)
    consumer.stop(signal.SIGTERM)
    assert export_state(client, tenant, export_id)["status"] == "pending"
    assert huey.scheduled_count() == 1, consumer.log()
    consumers()
    wait_for_status(client, tenant, export_id, "completed")
    assert_whole_file(client, tenant, export_id)


@pytest.mark.slow
def test_the_same_export_queued_twice_runs_once(client, big_tenant, consumers):
    tenant = big_tenant
    export_id = tenant.start_export()["exportId"]
    enqueue_export(tenant.schema, export_id)  # a duplicate job, as a re-queue race would make
    consumers()
    wait_for_status(client, tenant, export_id, "completed")
    wait_until(lambda: huey.pending_count() == 0, message="both jobs to be taken")
    assert_whole_file(client, tenant, export_id)
    assert attempts(tenant, export_id) == 1


@pytest.mark.slow
def test_a_first_start_before_migrations_waits_quietly(consumers, fresh_database):
    consumer = consumers(DATABASE_URL=fresh_database)
    try:
        consumer.wait_ready()
        wait_until(lambda: "waiting for the database to be migrated" in consumer.log(), timeout=10,
                   message="the sweeper to notice")
        time.sleep(2 * upkeep.SWEEP_INTERVAL)  # more sweeps: the notice is not repeated
        migrate_tenants(fresh_database, citus=False)  # a plain database, also in the Citus pass
        time.sleep(2 * upkeep.SWEEP_INTERVAL)
        log = consumer.log()
        assert log.count("waiting for the database to be migrated") == 1, log
        assert "Traceback" not in log and "ERROR" not in log, log
        assert consumer.process.poll() is None
    finally:
        consumer.kill_group()  # before its database is dropped


def test_the_hourly_expiry_before_migrations_logs_one_line(app, fresh_database, database_at, point_app_at):
    from taskflask.exports.jobs import expire_old_exports
    point_app_at(database_at(fresh_database, maxsize=1))
    lines = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(record.getMessage())
    logging.getLogger("taskflask.exports.jobs").addHandler(handler)
    try:
        expire_old_exports.call_local()  # raises nothing
    finally:
        logging.getLogger("taskflask.exports.jobs").removeHandler(handler)
    assert lines == ["export expiry skipped: the database is not migrated yet"]


# --- the sweep and the stale-attempt guard, driven in this process

def fabricate_claim(tenant, export_id, attempt, claimed_ago):
    """Make ``export_id`` look claimed by attempt ``attempt`` of a worker nobody runs."""
    with database.transaction(tenant.schema) as cur:
        cur.execute("UPDATE exports SET status = 'processing', attempts = %s, started_at = now() - %s WHERE id = %s",
                    (attempt, claimed_ago, export_id))
        cur.execute("""UPDATE public.active_exports
                       SET attempt = %(attempt)s, lock_key = hashtext(%(id)s::text || '/' || %(attempt)s),
                           claimed_at = now() - %(ago)s
                       WHERE export_id = %(id)s RETURNING lock_key""",
                    {"id": export_id, "attempt": attempt, "ago": claimed_ago})
        return cur.fetchone()["lock_key"]


def test_a_copy_that_has_not_started_counts_no_rows_written(db, tenant):
    """Between its COPY's start and the COPY's progress row (here: the COPY waits for a lock on users), a
    worker is starting, not past its COPY: its copy_csv text is longer than pg_stat_activity keeps."""
    tenant.add_task("one")
    export_id = tenant.start_export()["exportId"]
    huey.flush()
    lock_key = fabricate_claim(tenant, export_id, 1, timedelta(seconds=1))
    assert len(text_of(queries.copy_csv).encode()) > 1024  # what made "TO STDOUT" vanish from the view
    worker = psycopg2.connect(os.environ["DATABASE_URL"])
    copying = threading.Thread(target=copy_as_a_worker, args=(worker, tenant.schema, export_id, lock_key))
    with db.cursor() as blocker:
        blocker.execute("BEGIN")
        users = sql.Identifier(tenant.schema, "users")
        blocker.execute(sql.SQL("LOCK TABLE {} IN ACCESS EXCLUSIVE MODE").format(users))
        copying.start()
        try:
            wait_until(lambda: waits_for_a_lock(db, worker.info.backend_pid), timeout=10, interval=0.01,
                       message="the worker's COPY to wait for the users lock")
            with database.transaction(tenant.schema) as cur:
                written = rows_written(cur, {"id": export_id, "rowsExpected": 1})
        finally:
            blocker.execute("ROLLBACK")
            copying.join(timeout=10)
            worker.close()
            forget_claim(tenant, export_id)
    assert written == 0


def forget_claim(tenant, export_id):
    """Fail a fabricated claim of attempt 1 and drop it from public.active_exports, so no later sweep meets it."""
    with database.transaction(tenant.schema) as cur:
        assert fail_export(cur, export_id, "the test is over", attempt=1)


def copy_as_a_worker(conn, schema, export_id, lock_key):
    """A worker's COPY transaction (writer.run_export's): start_attempt's lock, then copy_csv; rolled back."""
    with conn.cursor() as cur:
        enter_schema(cur, schema)
        assert start_attempt(cur, export_id, Claim(1, lock_key))
        copy_csv(cur, io.BytesIO())
    conn.rollback()


def waits_for_a_lock(db, pid):
    with db.cursor() as cur:
        cur.execute("SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = %s", (pid,))
        row = cur.fetchone()
    return bool(row and row[0])


def sweep(stuck_after=timedelta(minutes=15)):
    return upkeep.sweep(database, huey.name, stuck_after, 3, enqueue_export)


def test_the_sweep_takes_back_an_attempt_whose_lock_is_free_and_leaves_a_held_one(client, db, tenant):
    tenant.add_task("one")
    export_id = tenant.start_export()["exportId"]
    huey.flush()
    lock_key = fabricate_claim(tenant, export_id, 1, timedelta(minutes=1))
    holder = psycopg2.connect(os.environ["DATABASE_URL"])  # a live worker: its transaction holds the lock
    try:
        with holder.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s, %s)", (EXPORT_LOCK_NAMESPACE, lock_key))
            assert sweep() == (0, 0)
            assert export_state(client, tenant, export_id)["status"] == "processing"
            assert sweep(stuck_after=timedelta(seconds=30)) == (1, 0)  # alive but hung
        holder.rollback()
    finally:
        holder.close()
    assert export_state(client, tenant, export_id)["status"] == "pending"
    assert run_queued_jobs() == 1
    assert export_state(client, tenant, export_id)["rowCount"] == 1


def test_the_sweep_leaves_a_claim_younger_than_the_grace(client, tenant):
    export_id = tenant.start_export()["exportId"]
    huey.flush()
    fabricate_claim(tenant, export_id, 1, timedelta(0))
    assert sweep() == (0, 0)
    assert upkeep.sweep(database, huey.name, timedelta(minutes=15), 3, enqueue_export, grace=timedelta(0)) \
        == (1, 0)


def test_the_sweep_gives_up_after_the_last_attempt(client, db, tenant):
    export_id = tenant.start_export()["exportId"]
    huey.flush()
    fabricate_claim(tenant, export_id, 3, timedelta(minutes=1))
    assert sweep() == (0, 1)
    export = export_state(client, tenant, export_id)
    assert export["status"] == "failed" and "too many times" in export["error"]
    assert huey.pending_count() == 0
    with db.cursor() as cur:
        cur.execute("SELECT count(*) FROM public.active_exports WHERE export_id = %s", (export_id,))
        assert cur.fetchone()[0] == 0
    assert client.post("/tasks/export", headers=tenant.as_admin).status_code == 202


def test_a_stale_attempt_cannot_complete_a_newer_one(client, tenant):
    tenant.add_task("one")
    export_id = tenant.start_export()["exportId"]
    huey.flush()
    fabricate_claim(tenant, export_id, 1, timedelta(minutes=1))
    assert sweep() == (1, 0)
    huey.flush()
    assert run_export(database, EXPORTS_DIR, tenant.schema, export_id) == "completed"  # attempt 2
    with database.transaction(tenant.schema) as cur:
        from taskflask.data.exports import complete_export
        assert complete_export(cur, export_id, 1, 999) is False  # what the stale attempt 1 would do
    assert export_state(client, tenant, export_id)["rowCount"] == 1


def test_two_workers_racing_for_one_export_write_one_file(client, tenant):
    import threading
    tenant.add_task("one")
    export_id = tenant.start_export()["exportId"]
    huey.flush()
    outcomes = []
    threads = [threading.Thread(target=lambda: outcomes.append(
        run_export(database, EXPORTS_DIR, tenant.schema, export_id))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("completed") == 1 and outcomes.count(None) == 3
    assert export_state(client, tenant, export_id)["rowCount"] == 1
    assert attempts(tenant, export_id) == 1


def test_expired_exports_lose_their_files(client, tenant):
    export_id = tenant.start_export()["exportId"]
    huey.flush()
    run_export(database, EXPORTS_DIR, tenant.schema, export_id)
    assert upkeep.expire(database, EXPORTS_DIR, timedelta(days=7)) == 0
    assert upkeep.expire(database, EXPORTS_DIR, timedelta(0)) >= 1
    assert export_state(client, tenant, export_id)["status"] == "expired"
    assert not export_path(EXPORTS_DIR, tenant.schema, export_id).exists()
    response = client.get(f"/exports/{export_id}/download", headers=tenant.as_admin)
    assert (response.status_code, response.json["error"]) == (410, "export_expired")


def test_the_hourly_expiry_puts_back_an_active_export_the_sweep_could_not_see(client, db, tenant):
    export_id = tenant.start_export()["exportId"]
    huey.flush()
    lock_key = fabricate_claim(tenant, export_id, 1, timedelta(minutes=1))
    with db.cursor() as cur:
        cur.execute("DELETE FROM public.active_exports WHERE export_id = %s", (export_id,))
    assert sweep() == (0, 0)  # nothing to see

    # For this run's queue: the live server's consumer (another queue) must not sweep it first.
    upkeep.expire(database, EXPORTS_DIR, timedelta(days=7), queue=huey.name)
    with db.cursor() as cur:
        cur.execute("SELECT attempt, lock_key, queue FROM public.active_exports WHERE export_id = %s", (export_id,))
        assert cur.fetchone() == (1, lock_key, huey.name)
    assert sweep() == (1, 0)  # its worker holds no lock: queued again
    assert run_queued_jobs() == 1
    assert export_state(client, tenant, export_id)["status"] == "completed"


def test_only_the_expiry_is_a_periodic_job():
    from datetime import datetime

    from taskflask.exports.jobs import expire_old_exports
    expiry = expire_old_exports.s()
    assert not expiry.validate_datetime(datetime(2026, 1, 1, 10, 3))
    assert expiry.validate_datetime(datetime(2026, 1, 1, 10, 17))
    assert {task.name for task in huey._registry.periodic_tasks} == {expiry.name}
