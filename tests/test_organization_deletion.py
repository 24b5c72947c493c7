"""Deleting an organization: confirmed by its schema name, 404 at once, its schema and files gone in the background."""
import signal
import uuid

import psycopg2
import pytest
import requests
from psycopg2 import sql
from redis import Redis

from support.cluster import locks_held_everywhere
from support.environment import CITUS_DIR, DIRECT_DATABASE_URL
from support.jobs import run_queued_jobs
from support.polling import wait_until
from support.processes import socket_nobody_listens_on
from support.tenants import TenantFixture, schema_exists
from taskflask.data.organizations import unregister_organization
from taskflask.db import database
from taskflask.exports.files import exports_folder
from taskflask.queue import huey, redis_pool
from taskflask.tenants.deletion import TABLES_PER_BATCH, drop_next_object, drop_some_tables, purge_schema


def delete(client, tenant, body):
    return client.delete(f"/organizations/{tenant.id}", json=body, headers=tenant.as_admin)


def drop_queued(db, schema):
    """True while ``schema`` waits in public.schema_drops."""
    with db.cursor() as cur:
        cur.execute("SELECT count(*) FROM public.schema_drops WHERE schema_name = %s", (schema,))
        return cur.fetchone()[0] == 1


def assert_gone_for_every_route(client, tenant):
    for response in (client.get("/tasks", headers=tenant.headers()),
                     client.get(f"/organizations/{tenant.id}/users"),
                     delete(client, tenant, {"schemaName": tenant.schema})):
        assert response.status_code == 404
        assert response.json["error"] == "not_found"
    assert all(o["id"] != tenant.id for o in client.get("/organizations").json)


def test_deleting_answers_at_once_and_a_job_drops_schema_and_export_files(app, client, db, tenant):
    tenant.add_task()
    client.post("/tasks/export", headers=tenant.as_admin)
    run_queued_jobs()
    folder = exports_folder(app.config["EXPORTS_DIR"], tenant.schema)
    assert any(folder.iterdir())
    assert client.get("/tasks", headers=tenant.headers()).status_code == 200  # now cached

    response = delete(client, tenant, {"schemaName": tenant.schema})
    assert response.status_code == 200
    assert response.json == tenant.org
    assert_gone_for_every_route(client, tenant)
    assert schema_exists(db, tenant.schema) and drop_queued(db, tenant.schema)  # the request dropped nothing

    assert run_queued_jobs() == 1
    assert not schema_exists(db, tenant.schema)
    assert not folder.exists()
    assert not drop_queued(db, tenant.schema)
    assert_gone_for_every_route(client, tenant)


def test_with_redis_down_the_organization_is_still_deleted_and_purge_drops_it(client, runner, db, tenant,
                                                                              monkeypatch):
    """The deletion is committed before the queue is asked, so it holds: 200 as always, 404 from then on,
    and the schema waits in schema_drops for `tenants purge` (the warning in the log says so)."""
    waiting = huey.pending_count()
    with socket_nobody_listens_on() as port:
        monkeypatch.setattr(huey.storage, "conn", Redis(connection_pool=redis_pool(f"redis://127.0.0.1:{port}/0")))
        response = delete(client, tenant, {"schemaName": tenant.schema})
    monkeypatch.undo()
    assert (response.status_code, response.json) == (200, tenant.org)
    assert_gone_for_every_route(client, tenant)
    assert huey.pending_count() == waiting  # nothing was queued
    assert schema_exists(db, tenant.schema) and drop_queued(db, tenant.schema)

    status = runner.invoke(args=["tenants", "status"]).output.splitlines()[-1]
    assert "deleted schemas not yet dropped" in status and "`tenants purge`" in status
    result = runner.invoke(args=["tenants", "purge"])
    assert result.exit_code == 0, result.output
    assert f"{tenant.schema}: dropped" in result.output
    assert not schema_exists(db, tenant.schema) and not drop_queued(db, tenant.schema)


def test_a_late_drop_job_leaves_a_new_organization_of_the_same_schema_name_alone(app, client, db, tenant):
    run_queued_jobs()  # only this test's job waits below
    assert delete(client, tenant, {"schemaName": tenant.schema}).status_code == 200
    # `tenants purge` came first
    purge_schema(database, app.config["EXPORTS_DIR"], tenant.schema, citus=bool(CITUS_DIR))
    again = client.post("/organizations", json={"name": "Same name", "schemaName": tenant.schema})
    assert again.status_code == 201

    assert run_queued_jobs() == 1  # the original job, run late
    assert schema_exists(db, tenant.schema)
    users = client.get(f"/organizations/{again.json['id']}/users")
    assert (users.status_code, users.json) == (200, [])


@pytest.mark.parametrize("body, status, error", [
    (None, 400, "validation_error"),
    ({}, 400, "validation_error"),
    ({"schemaName": ""}, 409, "confirmation_mismatch"),
    ({"schemaName": "someone_else"}, 409, "confirmation_mismatch"),
])
def test_deleting_without_the_right_confirmation_keeps_everything(client, db, tenant, body, status, error):
    response = delete(client, tenant, body)
    assert response.status_code == status
    assert response.json["error"] == error
    assert schema_exists(db, tenant.schema)
    assert client.get("/tasks", headers=tenant.headers()).status_code == 200


def test_deleting_an_unknown_organization_is_404(client):
    unknown = str(uuid.uuid4())
    response = client.delete(f"/organizations/{unknown}", json={"schemaName": "nobody"},
                             headers={"x-tenant-id": unknown, "x-user-id": str(uuid.uuid4())})
    assert response.status_code == 404


def test_an_export_queued_before_the_deletion_ends_cleanly_without_a_file(app, client, tenant):
    run_queued_jobs()  # only this test's jobs wait below
    tenant.add_task()
    client.post("/tasks/export", headers=tenant.as_admin)
    assert delete(client, tenant, {"schemaName": tenant.schema}).status_code == 200
    assert run_queued_jobs() == 2  # the export, then the drop
    assert not exports_folder(app.config["EXPORTS_DIR"], tenant.schema).exists()


@pytest.mark.slow
def test_the_live_worker_drops_the_schema_after_delete(client, db, live_server):
    tenant = TenantFixture(client, "live_del")
    tenant.add_task()
    response = requests.delete(f"{live_server.url}/organizations/{tenant.id}", json={"schemaName": tenant.schema},
                               headers=tenant.as_admin, timeout=10)
    assert (response.status_code, response.json()) == (200, tenant.org)
    assert requests.get(f"{live_server.url}/tasks", headers=tenant.headers(), timeout=10).status_code == 404
    wait_until(lambda: not schema_exists(db, tenant.schema), message="huey_consumer to drop the schema")
    assert not drop_queued(db, tenant.schema)


def tables_in(db, schema):
    with db.cursor() as cur:
        cur.execute("SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = %s AND c.relkind = 'r'", (schema,))
        return {row[0] for row in cur.fetchall()}


def drop_waits_for(db, schema, table):
    """True while some backend waits for a lock on ``schema.table``."""
    with db.cursor() as cur:
        cur.execute("SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = to_regclass(%s)",
                    (f"{schema}.{table}",))
        return cur.fetchone()[0] > 0


@pytest.mark.slow
def test_purge_finishes_a_drop_whose_worker_was_killed_halfway(client, runner, db, live_server):
    tenant = TenantFixture(client, "killed")
    with database.transaction() as cur:  # several batches, the last one a table a reader holds
        for number in range(8):
            cur.execute(sql.SQL("CREATE TABLE {} (id bigint PRIMARY KEY)").format(
                sql.Identifier(tenant.schema, f"extra_{number}")))
        cur.execute(sql.SQL("CREATE TABLE {} (id bigint PRIMARY KEY)").format(sql.Identifier(tenant.schema, "zz_held")))
    reader = psycopg2.connect(DIRECT_DATABASE_URL)
    try:
        with reader.cursor() as cur:  # a long read: the drop of this one table waits for it
            cur.execute(sql.SQL("LOCK TABLE {} IN ACCESS SHARE MODE").format(sql.Identifier(tenant.schema, "zz_held")))
        response = requests.delete(f"{live_server.url}/organizations/{tenant.id}",
                                   json={"schemaName": tenant.schema}, headers=tenant.as_admin, timeout=10)
        assert response.status_code == 200
        # The held table's batch waits for it: the batches before it are gone.
        wait_until(lambda: drop_waits_for(db, tenant.schema, "zz_held")
                   and "zz_held" in tables_in(db, tenant.schema)
                   and len(tables_in(db, tenant.schema)) <= TABLES_PER_BATCH,
                   message="the drop to reach the held table")
        live_server.stop_consumer(signal.SIGKILL)  # the job dies with it; Redis does not give it back
    finally:
        reader.close()
        if "huey" not in live_server.processes:
            live_server.start_consumer()
    assert schema_exists(db, tenant.schema) and drop_queued(db, tenant.schema)

    result = runner.invoke(args=["tenants", "purge"])
    assert result.exit_code == 0, result.output
    assert f"{tenant.schema}: dropped" in result.output
    assert not schema_exists(db, tenant.schema) and not drop_queued(db, tenant.schema)


def locks_held(cur):
    cur.execute("SELECT count(*) AS n FROM pg_locks WHERE pid = pg_backend_pid()")
    return cur.fetchone()["n"]


class Rollback(Exception):
    """Raised to leave a transaction without committing it."""


def locks_held_per_backend(db, cur):
    """{backend: locks} of ``cur``'s transaction: its own backend, and on Citus every node's part of it."""
    return locks_held_everywhere(db, cur) if CITUS_DIR else {"server": locks_held(cur)}


def test_a_large_tenant_is_dropped_within_the_lock_budget_of_one_transaction(app, client, db):
    tenant = TenantFixture(client, "large")
    with database.transaction() as cur:
        for number in range(60):
            cur.execute(sql.SQL("CREATE TABLE {} (id bigint PRIMARY KEY, body text)").format(
                sql.Identifier(tenant.schema, f"extra_{number}")))
        cur.execute("SHOW max_locks_per_transaction")
        budget = int(cur.fetchone()["max_locks_per_transaction"])

    with pytest.raises(Rollback):  # what DROP SCHEMA ... CASCADE would hold at once
        with database.transaction() as cur:
            cur.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(tenant.schema)))
            assert locks_held(cur) > 3 * budget
            raise Rollback

    drop_batch = drop_next_object if CITUS_DIR else drop_some_tables  # as purge_schema(citus=...) does
    batches, most = 0, {}
    while True:
        with database.transaction() as cur:
            if not drop_batch(cur, tenant.schema):
                break
            held = locks_held_per_backend(db, cur)
            most = max(most, held, key=lambda locks: max(locks.values(), default=0))
            batches += 1
    assert max(most.values()) < budget, most
    assert batches >= 8
    with database.transaction() as cur:  # its users are gone with the tables, so no admin can ask
        unregister_organization(cur, tenant.id, tenant.schema)
    purge_schema(database, app.config["EXPORTS_DIR"], tenant.schema, citus=bool(CITUS_DIR))
    assert not schema_exists(db, tenant.schema)
