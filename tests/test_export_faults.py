"""Exports survive worker crashes and shutdowns: real huey_consumer processes, real signals.

A test holds a lock on the tenant's tasks table, so the worker's COPY waits and
the export is caught mid-run deterministically.
"""
import csv
import os
import signal
import subprocess
import sys
import threading
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import psycopg2
import pytest

from conftest import EXPORTS_DIR, ROOT, TenantFixture, wait_until
from taskflask import maintenance
from taskflask.db import database
from taskflask.exporter import export_path, run_export
from taskflask.jobs import enqueue_export, huey

pytestmark = pytest.mark.slow
ROWS = 3000


class Consumer:
    """huey_consumer huey_worker.huey on this run's queue."""

    def __init__(self, log_path):
        self.log_path = log_path
        with open(log_path, "ab") as log:
            self.process = subprocess.Popen(
                [str(Path(sys.executable).parent / "huey_consumer"), "huey_worker.huey", "--workers", "2",
                 "--worker-type", "thread"], cwd=ROOT, env=os.environ.copy(), stdout=log, stderr=subprocess.STDOUT)

    def stop(self, sig, timeout=30):
        self.process.send_signal(sig)
        return self.process.wait(timeout=timeout)

    def log(self):
        return self.log_path.read_text(errors="replace")


@pytest.fixture
def consumers(tmp_path):
    started = []

    def start():
        started.append(Consumer(tmp_path / f"consumer-{len(started)}.log"))
        return started[-1]
    yield start
    for consumer in started:
        if consumer.process.poll() is None:
            consumer.process.kill()
            consumer.process.wait()
    huey.flush()


@pytest.fixture
def big_tenant(client, db):
    tenant = TenantFixture(client, "fault")
    with db.cursor() as cur:
        cur.execute(f"""INSERT INTO {tenant.schema}.tasks (title, description, created_by)
                        SELECT 'row ' || i, 'tag ' || %s, %s FROM generate_series(1, %s) AS i""",
                    (tenant.schema, tenant.admin["id"], ROWS))
    return tenant


@contextmanager
def tasks_locked(schema):
    """Hold an exclusive lock on the tenant's tasks table: a COPY of it waits until the block ends."""
    conn = psycopg2.connect(os.environ["DATABASE_URL"])
    try:
        with conn.cursor() as cur:
            cur.execute(f"LOCK TABLE {schema}.tasks IN ACCESS EXCLUSIVE MODE")
            yield
        conn.rollback()
    finally:
        conn.close()


@contextmanager
def export_caught_running(client, tenant, consumers):
    """Start an export and a consumer; yield (export id, consumer) while the export is processing."""
    with tasks_locked(tenant.schema):
        export_id = start_export(client, tenant)
        consumer = consumers()
        wait_for_status(client, tenant, export_id, "processing")
        yield export_id, consumer


def export_state(client, tenant, export_id):
    return client.get(f"/exports/{export_id}", headers=tenant.as_admin).json


def wait_for_status(client, tenant, export_id, *statuses, timeout=30):
    return wait_until(lambda: export_state(client, tenant, export_id)["status"] in statuses and
                      export_state(client, tenant, export_id), timeout=timeout,
                      message=f"export to be {'/'.join(statuses)}")


def parts(schema):
    return list((EXPORTS_DIR / schema).glob(".*.part"))


def assert_whole_file(client, tenant, export_id):
    export = export_state(client, tenant, export_id)
    assert (export["status"], export["rowCount"]) == ("completed", ROWS)
    with open(export_path(EXPORTS_DIR, tenant.schema, export_id), newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == ROWS and {row["description"] for row in rows} == {f"tag {tenant.schema}"}
    assert not parts(tenant.schema)


def start_export(client, tenant):
    response = client.post("/tasks/export", headers=tenant.as_admin)
    assert response.status_code == 202
    return response.json["exportId"]


def test_kill_9_mid_export_is_reaped_and_retried_into_a_whole_file(client, big_tenant, consumers):
    tenant = big_tenant
    with export_caught_running(client, tenant, consumers) as (export_id, consumer):
        wait_until(lambda: parts(tenant.schema), message="the worker's temporary file")
        consumer.stop(signal.SIGKILL)
    assert not export_path(EXPORTS_DIR, tenant.schema, export_id).exists()
    assert client.get(f"/exports/{export_id}/download", headers=tenant.as_admin).status_code == 409
    assert export_state(client, tenant, export_id)["status"] == "processing"

    # What the periodic reaper does once EXPORT_STUCK_AFTER has passed (zero here).
    requeued, failed = maintenance.reap(database, EXPORTS_DIR, timedelta(0), 3, enqueue_export)
    assert (requeued, failed) == (1, 0)
    assert export_state(client, tenant, export_id)["status"] == "pending"
    assert not parts(tenant.schema)

    consumers()
    wait_for_status(client, tenant, export_id, "completed")
    assert_whole_file(client, tenant, export_id)


def test_sigint_lets_the_running_export_finish(client, big_tenant, consumers):
    tenant = big_tenant
    with export_caught_running(client, tenant, consumers) as (export_id, consumer):
        consumer.process.send_signal(signal.SIGINT)
        threading.Event().wait(0.5)
        assert consumer.process.poll() is None, "the consumer must wait for its running export"
    assert consumer.process.wait(timeout=30) == 0
    assert_whole_file(client, tenant, export_id)


def test_sigterm_puts_the_running_export_back_on_the_queue(client, big_tenant, consumers):
    tenant = big_tenant
    with export_caught_running(client, tenant, consumers) as (export_id, consumer):
        consumer.stop(signal.SIGTERM)
        assert export_state(client, tenant, export_id)["status"] == "pending"
        assert huey.scheduled_count() == 1, consumer.log()
    consumers()
    wait_for_status(client, tenant, export_id, "completed")
    assert_whole_file(client, tenant, export_id)


def test_the_same_export_queued_twice_runs_once(client, big_tenant, consumers):
    tenant = big_tenant
    with tasks_locked(tenant.schema):
        export_id = start_export(client, tenant)
        enqueue_export(tenant.schema, export_id)  # a duplicate job, as a re-queue race would make
        consumers()
        wait_for_status(client, tenant, export_id, "processing")
    wait_for_status(client, tenant, export_id, "completed")
    wait_until(lambda: huey.pending_count() == 0, message="both jobs to be taken")
    assert_whole_file(client, tenant, export_id)
    with database.transaction(tenant.schema) as cur:
        cur.execute("SELECT attempts FROM exports WHERE id = %s", (export_id,))
        assert cur.fetchone()["attempts"] == 1


def test_two_workers_racing_for_one_export_write_one_file(client, big_tenant):
    tenant = big_tenant
    export_id = start_export(client, tenant)
    huey.flush()
    outcomes = []
    threads = [threading.Thread(target=lambda: outcomes.append(
        run_export(database, EXPORTS_DIR, tenant.schema, export_id))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("completed") == 1 and outcomes.count(None) == 3
    assert_whole_file(client, tenant, export_id)


def test_reaper_gives_up_after_the_last_attempt(client, big_tenant):
    tenant = big_tenant
    export_id = start_export(client, tenant)
    huey.flush()
    with database.transaction(tenant.schema) as cur:
        cur.execute("UPDATE exports SET status = 'processing', attempts = 3, started_at = now() WHERE id = %s",
                    (export_id,))
    assert maintenance.reap(database, EXPORTS_DIR, timedelta(0), 3, enqueue_export) == (0, 1)
    export = export_state(client, tenant, export_id)
    assert export["status"] == "failed" and "too many times" in export["error"]
    assert huey.pending_count() == 0


def test_expired_exports_lose_their_files(client, big_tenant):
    tenant = big_tenant
    export_id = start_export(client, tenant)
    huey.flush()
    run_export(database, EXPORTS_DIR, tenant.schema, export_id)
    assert maintenance.expire(database, EXPORTS_DIR, timedelta(days=7)) == 0
    assert maintenance.expire(database, EXPORTS_DIR, timedelta(0)) >= 1
    assert export_state(client, tenant, export_id)["status"] == "expired"
    assert not export_path(EXPORTS_DIR, tenant.schema, export_id).exists()
    response = client.get(f"/exports/{export_id}/download", headers=tenant.as_admin)
    assert (response.status_code, response.json["error"]) == (410, "export_expired")


def test_periodic_upkeep_is_scheduled():
    from datetime import datetime
    from taskflask.jobs import expire_old_exports, reap_stuck_exports
    every_minute = datetime(2026, 1, 1, 10, 3)
    reaper, expiry = reap_stuck_exports.s(), expire_old_exports.s()
    assert reaper.validate_datetime(every_minute)
    assert not expiry.validate_datetime(every_minute)
    assert expiry.validate_datetime(datetime(2026, 1, 1, 10, 17))
    assert {task.name for task in huey._registry.periodic_tasks} == {reaper.name, expiry.name}
