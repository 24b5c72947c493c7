"""Deleting an organization: confirmed by its schema name, its schema and files gone, 404 at once."""
import uuid

import pytest
from psycopg2 import sql

from support.cluster import locks_held_everywhere
from support.environment import CITUS_DIR
from support.jobs import run_queued_jobs
from support.tenants import TenantFixture, schema_exists
from taskflask.data.organizations import unregister_organization
from taskflask.db import database
from taskflask.exports.writer import exports_folder
from taskflask.tenants.deletion import drop_next_object, drop_some_tables, purge_schema


def delete(client, tenant, body):
    return client.delete(f"/organizations/{tenant.id}", json=body, headers=tenant.as_admin)


def test_deleting_removes_schema_registry_row_and_export_files(app, client, db, tenant):
    tenant.add_task()
    client.post("/tasks/export", headers=tenant.as_admin)
    run_queued_jobs()
    folder = exports_folder(app.config["EXPORTS_DIR"], tenant.schema)
    assert any(folder.iterdir())
    assert client.get("/tasks", headers=tenant.headers()).status_code == 200  # now cached

    response = delete(client, tenant, {"schemaName": tenant.schema})
    assert response.status_code == 200
    assert response.json == tenant.org
    assert not schema_exists(db, tenant.schema)
    assert not folder.exists()
    assert all(o["id"] != tenant.id for o in client.get("/organizations").json)
    with db.cursor() as cur:
        cur.execute("SELECT count(*) FROM public.schema_drops WHERE schema_name = %s", (tenant.schema,))
        assert cur.fetchone()[0] == 0
    for response in (client.get("/tasks", headers=tenant.headers()),
                     client.get(f"/organizations/{tenant.id}/users"),
                     delete(client, tenant, {"schemaName": tenant.schema})):
        assert response.status_code == 404
        assert response.json["error"] == "not_found"


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
    tenant.add_task()
    client.post("/tasks/export", headers=tenant.as_admin)
    assert delete(client, tenant, {"schemaName": tenant.schema}).status_code == 200
    assert run_queued_jobs() == 1
    assert not exports_folder(app.config["EXPORTS_DIR"], tenant.schema).exists()


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
