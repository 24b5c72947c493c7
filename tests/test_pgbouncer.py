"""Behind PgBouncer in transaction mode (make test-pgbouncer): nothing relies on a session's state.

Each transaction may run on any server connection, and a server connection
serves many clients' transactions one after another, so every transaction
states its own search_path and the migration run's lock is transaction-scoped.
"""
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg2
import pytest
from psycopg2 import errors as pg_errors

from support.environment import DIRECT_DATABASE_URL, POOLER_URL, ROOT, TEST_DATABASE
from support.tenants import TenantFixture, unique_schema
from taskflask.data.organizations import create_organization
from taskflask.db import database
from taskflask.tenants import migrations
from taskflask.tenants.migrate_run import RUN_LOCK, run_lock

pytestmark = pytest.mark.skipif(not POOLER_URL, reason="runs behind PgBouncer: make test-pgbouncer")


def pooler_console(command):
    """Rows of a PgBouncer admin console command (SHOW POOLS, ...) as dicts."""
    conn = psycopg2.connect(f"{POOLER_URL}/pgbouncer")
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(command)
            names = [column.name for column in cur.description]
            return [dict(zip(names, row)) for row in cur.fetchall()]
    finally:
        conn.close()


def test_the_app_reaches_the_database_through_a_pool_smaller_than_its_clients(app, client, tenant):
    """The app's DSN is the pooler's, in transaction mode, with fewer server connections than clients."""
    assert database.dsn == f"{POOLER_URL}/{TEST_DATABASE}"

    def request(step):
        return client.get("/tasks", headers=tenant.headers()).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert set(pool.map(request, range(200))) == {200}
    [pool_row] = [row for row in pooler_console("SHOW POOLS") if row["database"] == TEST_DATABASE]
    assert pool_row["pool_mode"] == "transaction"
    [config] = [row for row in pooler_console("SHOW CONFIG") if row["key"] == "default_pool_size"]
    assert int(config["value"]) < 8
    assert pool_row["sv_active"] + pool_row["sv_idle"] + pool_row["sv_used"] <= int(config["value"])


def test_no_server_connection_carries_a_tenant_search_path(app, client):
    """After many tenant requests, no connection through the pooler sees a tenant schema outside a
    transaction: its search_path (and jit, which a request turns off) is the server's default, an unqualified
    tenant table is unknown and public.enter_tenant's settings for the check are unset."""
    tenants = [TenantFixture(client, f"pb{i}") for i in range(3)]
    for tenant in tenants:
        tenant.add_task(f"{tenant.schema} only")

    def tenant_requests(step):
        tenant = tenants[step % len(tenants)]
        titles = [task["title"] for task in client.get("/tasks", headers=tenant.headers()).json]
        return titles == [f"{tenant.schema} only"]

    with ThreadPoolExecutor(max_workers=6) as pool:
        assert all(pool.map(tenant_requests, range(300)))

    direct = psycopg2.connect(DIRECT_DATABASE_URL)
    with direct.cursor() as cur:
        cur.execute("SHOW search_path")
        default_path = cur.fetchone()[0]
        cur.execute("SHOW jit")
        default_jit = cur.fetchone()[0]
    direct.close()
    clients = [psycopg2.connect(database.dsn) for _ in range(10)]
    try:
        for conn in clients:
            conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute("SHOW search_path")
                assert cur.fetchone()[0] == default_path
                cur.execute("SHOW jit")
                assert cur.fetchone()[0] == default_jit
                cur.execute("SELECT current_setting('taskflask.schema_name', true), "
                            "current_setting('taskflask.schema_version', true)")
                assert not any(cur.fetchone())
                with pytest.raises(pg_errors.UndefinedTable):
                    cur.execute("SELECT count(*) FROM tasks")
        with pytest.raises(pg_errors.UndefinedTable):  # and the app's own non-tenant transactions
            with database.transaction() as cur:
                cur.execute("SELECT count(*) FROM tasks")
    finally:
        for conn in clients:
            conn.close()


def run_lock_holders(db):
    """How many sessions hold the migration run's advisory lock (looked at directly, not through the pooler)."""
    with db.cursor() as cur:
        cur.execute("""SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted
                       AND classid = %s AND objid = %s AND objsubid = 2""", (migrations.LOCK_NAMESPACE, RUN_LOCK))
        return cur.fetchone()[0]


def test_the_run_lock_excludes_a_second_run_and_ends_with_the_run(app, db):
    """A second holder waits while the first is inside; afterwards no server connection keeps the lock.
    (A session lock failed both here: the second run reused the first's server connection and
    went straight in, and the unlock could land on another connection, leaving the lock behind.)"""
    events = []
    first_inside, release_first = threading.Event(), threading.Event()

    def first():
        with run_lock(database):
            events.append("first in")
            first_inside.set()
            release_first.wait(10)
            events.append("first out")

    def second():
        first_inside.wait(10)
        with run_lock(database, on_wait=lambda: events.append("second waits")):
            events.append("second in")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    first_inside.wait(10)
    threading.Event().wait(1.0)
    assert run_lock_holders(db) == 1
    release_first.set()
    for thread in threads:
        thread.join(20)
    assert events == ["first in", "second waits", "first out", "second in"]
    assert run_lock_holders(db) == 0


def migrate_process():
    """``flask --app wsgi migrate`` as its own process, through the pooler."""
    flask = Path(sys.executable).parent / "flask"
    return subprocess.Popen([str(flask), "--app", "wsgi", "migrate", "--jobs", "2"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_two_concurrent_migrate_runs_one_waits_neither_hangs_each_schema_once(app, db):
    """Both runs start while a third holder has the run lock; once it lets go, one run upgrades
    every schema and the other finds nothing left. A run after them starts at once (no lock is
    left behind on some server connection)."""
    behind = [unique_schema("old") for _ in range(12)]
    with database.transaction() as cur:
        for schema in behind:
            create_organization(cur, f"Org {schema}", schema, version=1)
    newest = migrations.latest_version("tenant")
    assert newest > 1

    with db.cursor() as cur:
        cur.execute("SELECT pg_advisory_lock(%s, %s)", (migrations.LOCK_NAMESPACE, RUN_LOCK))
        runs = [migrate_process() for _ in range(2)]
        outputs = [[] for _ in runs]
        readers = [threading.Thread(target=lambda p=p, out=out: out.extend(p.stdout)) for p, out in zip(runs, outputs)]
        for reader in readers:
            reader.start()
        waiting = "Waiting for another migrate run to finish...\n"
        deadline = 30
        for _ in range(deadline * 10):
            if all(waiting in out for out in outputs):
                break
            threading.Event().wait(0.1)
        assert all(waiting in out for out in outputs), outputs
        cur.execute("SELECT pg_advisory_unlock(%s, %s)", (migrations.LOCK_NAMESPACE, RUN_LOCK))
    for process in runs:
        assert process.wait(timeout=60) == 0
    for reader in readers:
        reader.join()
    texts = sorted(("".join(out) for out in outputs), key=lambda text: "12 tenant schemas behind" in text)
    assert "0 tenant schemas behind" in texts[0] and "0 upgraded, 0 failed" in texts[0], texts
    assert "12 tenant schemas behind" in texts[1] and "12 upgraded, 0 failed" in texts[1], texts

    with db.cursor() as cur:
        for schema in behind:
            cur.execute(f"SELECT version, count(*) FROM {schema}.schema_migrations GROUP BY version")
            assert sorted(cur.fetchall()) == [(version, 1) for version in range(1, newest + 1)]
        cur.execute("SELECT count(*) FROM public.organizations WHERE schema_name = ANY(%s) AND schema_version = %s",
                    (behind, newest))
        assert cur.fetchone()[0] == len(behind)

    assert run_lock_holders(db) == 0
    after = migrate_process()
    output, _ = after.communicate(timeout=30)
    assert after.returncode == 0 and "0 tenant schemas behind" in output and "Waiting" not in output
