"""On a real Citus cluster (make test-citus): tenants are distributed schemas, and move, migrate,
back up, export and go away like on one PostgreSQL.

Each test asks the nodes themselves (tests/cluster.py) where a tenant's tables are.
"""
import csv
import io
import os
import threading
import time
import uuid

import pytest
import requests
from psycopg2 import errors as pg_errors

from support.cluster import on_every_node
from support.environment import CITUS_DIR
from support.jobs import run_queued_jobs
from support.tenants import TenantFixture, unique_schema
from taskflask.data.organizations import create_organization, unregister_organization
from taskflask.db import database
from taskflask.tenants.citus import make_reference_tables
from taskflask.tenants.deletion import purge_schema

# How tenants are moved, as the README tells operators. With Citus' default ('auto',
# logical replication) this test lost acknowledged writes in 2 of 8 runs here;
# TEST_CITUS_MOVE_MODE=auto repeats that.
MOVE_MODE = os.environ.get("TEST_CITUS_MOVE_MODE", "block_writes")
pytestmark = [pytest.mark.slow, pytest.mark.skipif(not CITUS_DIR, reason="needs a Citus cluster: make test-citus")]

INDEX_AND_CONSTRAINT = """
-- Titles are looked up by prefix, and 'forbidden' is not a title.
CREATE INDEX tasks_title_idx ON tasks (title);
ALTER TABLE tasks ADD CONSTRAINT tasks_title_allowed CHECK (title <> 'forbidden');
"""


def workers(db):
    """{"host:port"} of the cluster's workers."""
    with db.cursor() as cur:
        cur.execute("SELECT node_name, node_port FROM citus_get_active_worker_nodes()")
        return {f"{host}:{port}" for host, port in cur.fetchall()}


def nodes_of(db, schema):
    """{"host:port"} of the nodes holding a placement of any table of ``schema``."""
    with db.cursor() as cur:
        cur.execute("""SELECT DISTINCT s.nodename, s.nodeport FROM citus_shards s
                       JOIN pg_class c ON c.oid = s.table_name JOIN pg_namespace n ON n.oid = c.relnamespace
                       WHERE n.nspname = %s""", (schema,))
        return {f"{host}:{port}" for host, port in cur.fetchall()}


def is_distributed_schema(db, schema):
    with db.cursor() as cur:
        cur.execute("SELECT count(*) FROM pg_dist_schema WHERE schemaid = to_regnamespace(%s)", (schema,))
        return cur.fetchone()[0] == 1


def move(db, schema, node):
    """citus_schema_move to ``node`` ("host:port"), in MOVE_MODE."""
    host, port = node.rsplit(":", 1)
    with db.cursor() as cur:
        cur.execute("SELECT citus_schema_move(%s, %s, %s, %s)", (schema, host, int(port), MOVE_MODE))


def tenants_on_two_workers(client, db, prefix):
    """Two tenants whose schemas live on different workers (the second moved if needed)."""
    first, second = TenantFixture(client, prefix + "1"), TenantFixture(client, prefix + "2")
    [first_node] = nodes_of(db, first.schema)
    if nodes_of(db, second.schema) == {first_node}:
        move(db, second.schema, (workers(db) - {first_node}).pop())
    return first, second


def all_task_ids(client, tenant):
    response = client.get("/tasks?limit=1000", headers=tenant.headers())
    assert response.status_code == 200 and "Link" not in response.headers
    return [task["id"] for task in response.json]


def test_new_tenants_are_distributed_schemas_spread_over_both_workers(client, db):
    tenants = [TenantFixture(client, f"spread{i}") for i in range(4)]
    placements = {tenant.schema: nodes_of(db, tenant.schema) for tenant in tenants}
    assert all(is_distributed_schema(db, tenant.schema) for tenant in tenants)
    assert all(len(nodes) == 1 for nodes in placements.values()), placements  # a tenant's tables stay together
    assert set().union(*placements.values()) == workers(db)
    for tenant in tenants:
        tenant.add_task("on a worker")
        assert [task["title"] for task in client.get("/tasks", headers=tenant.headers()).json] == ["on a worker"]


def test_a_tenant_moved_to_another_worker_under_reads_and_writes_answers_every_request_and_keeps_every_write(
        client, db, live_server):
    tenant = TenantFixture(client, "move")
    before = [tenant.add_task(f"before {i}")["id"] for i in range(100)]
    [source] = nodes_of(db, tenant.schema)
    target = (workers(db) - {source}).pop()
    answers, written, moved = [], [], threading.Event()

    def reads_and_writes():
        """Alternate POST and GET until 200 requests after the move (at most 5,000 in all)."""
        after_move = 0
        with requests.Session() as session:
            while len(answers) < 5000 and after_move < 200:
                after_move += moved.is_set()
                started = time.monotonic()
                if len(answers) % 2:
                    response = session.post(f"{live_server.url}/tasks", json={"title": f"during {len(answers)}"},
                                            headers=tenant.as_member, timeout=30)
                    if response.status_code == 201:
                        written.append(response.json()["id"])
                else:
                    response = session.get(f"{live_server.url}/tasks?limit=5", headers=tenant.headers(), timeout=30)
                answers.append((started, time.monotonic(), response.status_code))

    traffic = threading.Thread(target=reads_and_writes)
    traffic.start()
    while len(answers) < 20 and traffic.is_alive():
        time.sleep(0.01)
    move_started = time.monotonic()
    move(db, tenant.schema, target)
    move_ended = time.monotonic()
    moved.set()
    traffic.join(timeout=120)

    assert nodes_of(db, tenant.schema) == {target}
    assert any(begin <= move_ended and end >= move_started for begin, end, _ in answers), \
        "no request was in flight while the schema moved"
    assert {status for _, _, status in answers} <= {200, 201}, [a for a in answers if a[2] >= 300]
    assert sorted(all_task_ids(client, tenant)) == sorted(before + written)


def test_a_migration_adding_an_index_and_a_constraint_reaches_distributed_tenants_on_every_worker(
        client, db, runner, ship):
    tenants = tenants_on_two_workers(client, db, "mig")
    [version] = ship(INDEX_AND_CONSTRAINT)
    result = runner.invoke(args=["migrate", "--jobs", "2"])
    assert result.exit_code == 0, result.output
    for tenant in tenants:
        assert f"{tenant.schema}: applied {version}" in result.output
        [node] = nodes_of(db, tenant.schema)
        shard_objects = on_every_node(db, r"""
            SELECT i.relname FROM pg_class i JOIN pg_namespace n ON n.oid = i.relnamespace
            WHERE n.nspname = %(schema)s AND i.relname LIKE 'tasks\_title\_idx\_%%'
            UNION ALL
            SELECT k.conname FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace
            WHERE n.nspname = %(schema)s AND k.conname LIKE 'tasks\_title\_allowed\_%%'""",
                                      {"schema": tenant.schema})[node]
        assert len(shard_objects) == 2, shard_objects  # on the shard itself, where the rows are
        with pytest.raises(pg_errors.CheckViolation), db.cursor() as cur:  # the shard enforces it
            cur.execute(f"INSERT INTO {tenant.schema}.tasks (title, created_by, created_by_name) "
                        "VALUES ('forbidden', %s, %s)", (tenant.member["id"], tenant.member["name"]))


def test_backup_then_restore_on_citus_gives_a_distributed_schema_with_every_row(client, db, runner, tmp_path):
    tenant = TenantFixture(client, "bak")
    for i in range(30):
        tenant.add_task(f"task {i}", description="tab\there\nnewline" if i % 2 else None)
    client.patch(f"/tasks/{tenant.add_task('done')['id']}", headers=tenant.as_member)
    path, copy = tmp_path / "backup.zip", unique_schema("restored")
    assert runner.invoke(args=["tenants", "backup", tenant.schema, "-o", str(path)]).exit_code == 0
    result = runner.invoke(args=["tenants", "restore", str(path), "--as", copy])
    assert result.exit_code == 0, result.output

    assert is_distributed_schema(db, copy)
    assert len(nodes_of(db, copy)) == 1 and nodes_of(db, copy) <= workers(db)
    with db.cursor() as cur:
        for table in ("users", "tasks", "exports", "schema_migrations"):
            columns = "*" if table != "schema_migrations" else "version, name"
            cur.execute(f"SELECT {columns} FROM {tenant.schema}.{table} ORDER BY 1")
            original = cur.fetchall()
            cur.execute(f"SELECT {columns} FROM {copy}.{table} ORDER BY 1")
            assert cur.fetchall() == original, table
        cur.execute("SELECT id FROM public.organizations WHERE schema_name = %s", (copy,))
        restored_id = cur.fetchone()[0]
    assert len(client.get("/tasks?limit=1000", headers={"x-tenant-id": str(restored_id)}).json) == 31


def test_an_export_through_the_coordinator_holds_exactly_its_tenants_rows(client, db):
    tenants = tenants_on_two_workers(client, db, "exp")
    with db.cursor() as cur:
        for count, tenant in zip((300, 200), tenants):
            cur.execute(f"""INSERT INTO {tenant.schema}.tasks (title, description, created_by, created_by_name)
                            SELECT 'task ' || i, %s, %s, %s FROM generate_series(1, %s) AS i""",
                        (f"of {tenant.schema}", tenant.member["id"], tenant.member["name"], count))
    for count, tenant in zip((300, 200), tenants):
        export_id = client.post("/tasks/export", headers=tenant.as_admin).json["exportId"]
        run_queued_jobs()
        export = client.get(f"/exports/{export_id}", headers=tenant.as_admin).json
        assert (export["status"], export["rowCount"]) == ("completed", count)
        body = client.get(f"/exports/{export_id}/download", headers=tenant.as_admin).get_data(as_text=True)
        rows = list(csv.DictReader(io.StringIO(body)))
        assert len(rows) == count
        assert {row["description"] for row in rows} == {f"of {tenant.schema}"}


def test_deleting_an_organization_removes_its_schema_from_every_node(client, db):
    tenant = TenantFixture(client, "gone")
    tenant.add_task()
    assert len(nodes_of(db, tenant.schema)) == 1
    response = client.delete(f"/organizations/{tenant.id}", json={"schemaName": tenant.schema},
                             headers=tenant.as_admin)
    assert response.status_code == 200
    assert run_queued_jobs() >= 1  # the drop, one object per transaction
    left = on_every_node(db, "SELECT nspname FROM pg_namespace WHERE nspname = %s", (tenant.schema,))
    assert left == {node: [] for node in left} and len(left) == 3
    assert nodes_of(db, tenant.schema) == set()
    assert not is_distributed_schema(db, tenant.schema)


def test_migrate_makes_an_older_database_a_cluster_and_a_second_run_changes_nothing(client, db, runner):
    schema = unique_schema("older")
    with database.transaction() as cur:  # an organization made before CITUS=1: an ordinary schema
        older = create_organization(cur, "Older", schema, distributed=False)
    admin = client.post(f"/organizations/{older['id']}/users",
                        json={"name": "Ann", "email": f"ann.{uuid.uuid4().hex[:6]}@example.com", "role": "admin"}).json
    headers = {"x-tenant-id": older["id"], "x-user-id": admin["id"]}
    assert client.post("/tasks", json={"title": "before"}, headers=headers).status_code == 201
    assert nodes_of(db, schema) == set()  # on the coordinator, which Citus does not manage
    with db.cursor() as cur:
        cur.execute("SELECT undistribute_table('public.organizations')")  # and a registry Citus does not know
    try:
        first = runner.invoke(args=["migrate"])
    finally:
        make_reference_tables(database)  # whatever happened, the rest of the suite needs it
    assert first.exit_code == 0, first.output
    assert f"{schema}: now a Citus distributed schema" in first.output
    with db.cursor() as cur:
        cur.execute("SELECT partmethod, repmodel FROM pg_dist_partition "
                    "WHERE logicalrelid = 'public.organizations'::regclass")
        assert cur.fetchone() == ("n", "t")  # a reference table: one copy on every node
        cur.execute(f"SELECT pg_relation_size('{schema}.tasks')")
        assert cur.fetchone()[0] == 0  # the coordinator's old copy of the rows is emptied
    assert is_distributed_schema(db, schema)
    assert len(nodes_of(db, schema)) == 1 and nodes_of(db, schema) <= workers(db)

    second = runner.invoke(args=["migrate"])
    assert second.exit_code == 0 and "now a Citus distributed schema" not in second.output
    assert client.post("/tasks", json={"title": "after"}, headers=headers).status_code == 201
    assert [task["title"] for task in client.get("/tasks", headers=headers).json] == ["after", "before"]


def test_a_schema_citus_refuses_to_distribute_is_reported_and_the_others_are_distributed(app, client, db, runner):
    refused, accepted, outside = unique_schema("refused"), unique_schema("accepted"), unique_schema("outside")
    with database.transaction() as cur:  # two organizations made before CITUS=1
        refused_org = create_organization(cur, "Refused", refused, distributed=False)
        create_organization(cur, "Accepted", accepted, distributed=False)
    with db.cursor() as cur:  # a foreign key out of the tenant's schema, which Citus cannot distribute
        cur.execute(f"CREATE SCHEMA {outside}; CREATE TABLE {outside}.things (id int PRIMARY KEY)")
        cur.execute(f"CREATE TABLE {refused}.links (id int PRIMARY KEY, thing int REFERENCES {outside}.things)")
    try:
        result = runner.invoke(args=["migrate"])
        assert result.exit_code == 1, result.output
        assert f"{refused}: FAILED: not distributed: " in result.output
        assert "foreign keys from distributed schemas" in result.output
        assert f"{accepted}: now a Citus distributed schema" in result.output
        assert is_distributed_schema(db, accepted) and not is_distributed_schema(db, refused)
    finally:
        with database.transaction() as cur:  # no admin of it exists to ask the API
            unregister_organization(cur, refused_org["id"], refused)
        purge_schema(database, app.config["EXPORTS_DIR"], refused, citus=True)
        with db.cursor() as cur:
            cur.execute(f"DROP SCHEMA {outside} CASCADE")
