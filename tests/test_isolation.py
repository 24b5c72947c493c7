"""A tenant never reads or changes another tenant's data."""
import random
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from psycopg2 import errors as pg_errors

from support.jobs import run_queued_jobs
from support.tenants import TenantFixture
from taskflask.db import begin_statement, database


def test_other_tenant_cannot_see_complete_or_download(client, tenant, other_tenant):
    task = tenant.add_task("secret")
    export_id = client.post("/tasks/export", headers=tenant.as_admin).json["exportId"]
    run_queued_jobs()

    assert client.get("/tasks", headers=other_tenant.headers()).json == []
    assert client.patch(f"/tasks/{task['id']}", headers=other_tenant.as_admin).status_code == 404
    for path in (f"/exports/{export_id}", f"/exports/{export_id}/download"):
        assert client.get(path, headers=other_tenant.as_admin).status_code == 404
    assert client.get("/exports", headers=other_tenant.as_admin).json == []
    assert client.get("/tasks", headers=tenant.headers()).json[0]["status"] == "pending"


def test_another_tenants_user_id_is_refused(client, tenant, other_tenant):
    headers = {"x-tenant-id": other_tenant.id, "x-user-id": tenant.admin["id"]}
    assert client.post("/tasks/export", headers=headers).status_code == 403


def test_a_query_outside_a_tenant_transaction_fails(app):
    with pytest.raises(pg_errors.UndefinedTable):
        with database.transaction() as cur:
            cur.execute("SELECT * FROM tasks")


@pytest.mark.parametrize("schema, read_only, first_query, expected", [
    (None, False, "", "BEGIN; SET LOCAL search_path TO pg_catalog;"),
    (None, True, "SELECT 1", "BEGIN READ ONLY; SET LOCAL search_path TO pg_catalog; SELECT 1"),
    ("acme", True, "", 'BEGIN READ ONLY; SET LOCAL search_path TO "acme";'),
    ("acme", False, "SELECT 1", 'BEGIN; SET LOCAL search_path TO "acme"; SELECT 1'),
    ("beta", False, "SELECT 1", 'BEGIN; SET LOCAL search_path TO "beta"; SELECT 1'),
])
def test_each_schema_gets_its_own_opening_statement(app, schema, read_only, first_query, expected):
    """begin_statement is cached: the cache must key on every argument."""
    with database.connection() as conn:
        assert begin_statement(schema, read_only, first_query).as_string(conn) == expected


def search_path_outside_transactions(pool):
    """search_path of a pooled connection between transactions (behind PgBouncer: any server connection)."""
    with pool.connection() as conn, conn.cursor() as cur:
        cur.execute("SHOW search_path")
        return cur.fetchone()[0]


@pytest.fixture
def server_default_search_path(db):
    """The search_path a fresh session gets: no transaction of ours may leave anything else behind."""
    with db.cursor() as cur:
        cur.execute("SHOW search_path")
        return cur.fetchone()[0]


def test_one_connection_serves_interleaved_tenants_without_leaking(app, client, server_default_search_path,
                                                                  database_at, point_app_at):
    """Pool of one: 1,000 random requests over two tenants, some failing, no row crosses over."""
    only_one = point_app_at(database_at(app.config["DATABASE_URL"], maxsize=1))
    tenants = [TenantFixture(client, "x"), TenantFixture(client, "y")]
    rng = random.Random(7)
    for step in range(1000):
        tenant = rng.choice(tenants)
        action = rng.random()
        if action < 0.4:
            tenant.add_task(f"{tenant.schema} #{step}")
        elif action < 0.55:  # fails validation after the tenant transaction began
            assert client.post("/tasks", json={"title": ""}, headers=tenant.as_member).status_code == 400
        elif action < 0.65:  # fails inside PostgreSQL (unique email) and rolls back
            email = tenant.admin["email"]
            response = client.post(f"/organizations/{tenant.id}/users", json={"name": "Dup", "email": email})
            assert response.status_code == 409
        elif action < 0.7:  # another tenant's user: refused after the tenant transaction began
            stranger = tenants[0] if tenant is tenants[1] else tenants[1]
            headers = {"x-tenant-id": tenant.id, "x-user-id": stranger.member["id"]}
            assert client.post("/tasks", json={"title": "no"}, headers=headers).status_code == 403
        else:
            titles = [t["title"] for t in client.get("/tasks?limit=1000", headers=tenant.headers()).json]
            assert all(title.startswith(tenant.schema + " ") for title in titles)
        assert search_path_outside_transactions(only_one) == server_default_search_path


@pytest.mark.slow
def test_concurrent_requests_on_gunicorn_never_cross_tenants(client, live_server):
    """400 concurrent writes and reads on two tenants through the real server."""
    tenants = [TenantFixture(client, "p"), TenantFixture(client, "q")]

    def request(step):
        tenant = tenants[step % 2]
        headers = tenant.as_member
        if step % 4 < 2:
            response = requests.post(f"{live_server.url}/tasks", json={"title": f"{tenant.schema} #{step}"},
                                     headers=headers, timeout=30)
            assert response.status_code == 201
            return tenant, [response.json()]
        response = requests.get(f"{live_server.url}/tasks?limit=1000", headers=headers, timeout=30)
        assert response.status_code == 200
        return tenant, response.json()

    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(request, range(400)))
    for tenant, tasks in results:
        assert all(task["title"].startswith(tenant.schema + " ") for task in tasks)
    for tenant in tenants:
        assert len(client.get("/tasks?limit=1000", headers=tenant.headers()).json) == 100


def test_schema_names_reach_sql_only_as_identifiers():
    """No module formats SQL text with Python string operations."""
    import re
    from pathlib import Path
    package = Path(__file__).resolve().parent.parent / "taskflask"
    suspicious = re.compile(r"execute\(\s*f[\"']|execute\([^)]*%\s*\(|execute\([^)]*\.format\(")
    offenders = [str(path) for path in package.rglob("*.py") if suspicious.search(path.read_text())]
    assert offenders == []
