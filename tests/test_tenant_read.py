"""GET /tasks in one round trip: the tenant check rides in the page's statement, or, once the process knows the
tenant's schema name, is made by the function that enters it; either way it refuses as it always did."""
import threading
import uuid

import pytest
from psycopg2 import sql

from support.migrations import PRIORITY_COLUMN
from support.pools import record_statements
from support.tenants import TenantFixture
from taskflask.data import tenancy
from taskflask.data.tenancy import ENTER_CHECKED, ENTER_TENANT

# How every tenant request's first message begins: the schema comes from the registry, in SQL.
ENTERS = ENTER_TENANT.split("%(tenant_id)s")[0]
# How a read's message begins once the process knows the tenant's schema name: the check is the entering function's.
ENTERS_CHECKED = ENTER_CHECKED.split("%(tenant_id)s")[0]
# What the check beside a read adds to it.
CHECK_BESIDE = "tenant.schema_version"


@pytest.fixture
def one_connection(app, database_at, point_app_at):
    """The app on a pool of one connection, so every request runs on the same one."""
    return point_app_at(database_at(app.config["DATABASE_URL"], maxsize=1))


@pytest.fixture
def sent(one_connection):
    """The statements the app sends during the test, one per round trip."""
    return record_statements(one_connection)


@pytest.fixture
def forget_schema_names(monkeypatch):
    """Make the process forget every tenant's schema name, as a worker that read the registry before they existed."""
    monkeypatch.setattr(tenancy, "REGISTRY_READ", threading.Event())
    tenancy.REGISTRY_READ.set()
    return tenancy.SCHEMA_NAMES.clear


@pytest.fixture
def new_process(monkeypatch):
    """The process as a new worker starts: it knows no schema name and has not read the registry."""
    monkeypatch.setattr(tenancy, "REGISTRY_READ", threading.Event())
    tenancy.SCHEMA_NAMES.clear()


@pytest.fixture
def server_default_search_path(db):
    """The search_path a fresh session gets: no request may leave anything else on a connection."""
    with db.cursor() as cur:
        cur.execute("SHOW search_path")
        return cur.fetchone()[0]


@pytest.fixture
def doomed(client, db):
    """A tenant that the test may break behind the API's back; removed afterwards."""
    tenant = TenantFixture(client, "doomed")
    yield tenant
    drop_schema(db, tenant)
    unregister(db, tenant)


def search_path_between_requests(database):
    """SHOW search_path on the pool's connection between requests."""
    with database.connection() as conn, conn.cursor() as cur:
        cur.execute("SHOW search_path")
        return cur.fetchone()[0]


def unregister(db, tenant):
    """Remove the tenant's registry row, its schema left as it is."""
    with db.cursor() as cur:
        cur.execute("DELETE FROM public.organizations WHERE id = %s", (tenant.id,))


def drop_schema(db, tenant):
    """Drop the tenant's schema, its registry row left as it is."""
    with db.cursor() as cur:
        cur.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(tenant.schema)))


def rename_a_column_the_page_reads(db, tenant):
    """Make the page's read fail in this schema (UndefinedColumn), as a schema lacking a new column would."""
    with db.cursor() as cur:
        cur.execute(sql.SQL("ALTER TABLE {}.tasks RENAME COLUMN title TO old_title").format(
            sql.Identifier(tenant.schema)))


@pytest.mark.parametrize("as_user", [False, True])
def test_a_page_of_tasks_is_one_round_trip_without_begin_or_commit(client, tenant, one_connection, sent, as_user,
                                                                   server_default_search_path):
    tenant.add_task("only")
    headers = tenant.as_member if as_user else tenant.headers()
    client.get("/tasks", headers=headers)  # the pool's one connection has served the tenant
    sent.clear()

    response = client.get("/tasks", headers=headers)

    assert [task["title"] for task in response.json] == ["only"]
    assert len(sent) == 1, sent
    assert sent[0].startswith(ENTERS_CHECKED) and tenant.schema not in sent[0] and CHECK_BESIDE not in sent[0]
    assert "BEGIN" not in sent[0] and "COMMIT" not in sent[0]
    assert search_path_between_requests(one_connection) == server_default_search_path


@pytest.mark.parametrize("path, answer", [
    ("/tasks/counts", {"total": 1, "pending": 1, "completed": 0}),
    ("/tasks/counts?q=ONL", {"total": 1, "pending": 1, "completed": 0}),
    ("/tasks/counts?q=none", {"total": 0, "pending": 0, "completed": 0}),
])
def test_the_counts_are_one_round_trip_too(client, tenant, one_connection, sent, path, answer,
                                           server_default_search_path):
    tenant.add_task("only")
    client.get(path, headers=tenant.headers())
    sent.clear()

    response = client.get(path, headers=tenant.headers())

    assert response.json == answer
    assert len(sent) == 1, sent
    assert sent[0].startswith(ENTERS_CHECKED) and "BEGIN" not in sent[0] and "COMMIT" not in sent[0]
    assert search_path_between_requests(one_connection) == server_default_search_path


@pytest.mark.parametrize("path", ["/tasks/counts", "/tasks/counts?q=hidden"])
@pytest.mark.parametrize("change, user, status", [
    (None, "stranger", 403),
    (unregister, None, 404),
    (drop_schema, None, 404),
    (None, None, 200),
], ids=["stranger", "unregistered", "schema-dropped", "fine"])
def test_the_counts_refuse_as_the_page_does(client, db, doomed, path, change, user, status):
    doomed.add_task("hidden")
    if change:
        change(db, doomed)
    headers = {**doomed.headers(), **({"x-user-id": str(uuid.uuid4())} if user == "stranger" else {})}
    response = client.get(path, headers=headers)
    assert response.status_code == status, response.json
    if status == 200:
        assert response.json == {"total": 1, "pending": 1, "completed": 0}


def test_the_counts_of_a_tenant_without_tasks(client, doomed):
    """task_counts has no row before the first task: the kept counts are all 0 (the check then asked alone)."""
    assert client.get("/tasks/counts", headers=doomed.headers()).json == {"total": 0, "pending": 0, "completed": 0}
    stranger = {**doomed.headers(), "x-user-id": str(uuid.uuid4())}
    assert client.get("/tasks/counts", headers=stranger).status_code == 403


def test_a_write_keeps_its_transaction(client, tenant, sent):
    """What the count above sees on the other routes: BEGIN with the check, the statement, COMMIT."""
    client.get("/tasks", headers=tenant.headers())
    sent.clear()
    assert client.post("/tasks", json={"title": "w"}, headers=tenant.as_member).status_code == 201
    assert len(sent) == 3, sent
    assert sent[0].startswith("BEGIN; " + ENTERS) and tenant.schema not in sent[0]
    assert sent[1].lstrip().startswith("WITH task AS (") and sent[2] == "COMMIT"


@pytest.mark.parametrize("changes, shipped, user, status, error", [
    ((), False, "stranger", 403, "forbidden"),
    ((unregister,), False, None, 404, "not_found"),
    ((drop_schema,), False, None, 404, "not_found"),
    ((drop_schema, unregister), False, "member", 404, "not_found"),
    ((), True, None, 503, "tenant_upgrading"),
    # behind the code and lacking what the read names: the check alone still says 503
    ((rename_a_column_the_page_reads,), True, "member", 503, "tenant_upgrading"),
    # a current schema where the read fails for its own reason: the error stands
    ((rename_a_column_the_page_reads,), False, None, 500, "internal_error"),
], ids=["stranger", "unregistered", "schema-dropped", "deleted", "behind", "behind-read-fails", "read-fails"])
@pytest.mark.parametrize("name_known", [True, False], ids=["checked-entry", "check-beside"])
def test_the_check_in_the_page_refuses_as_the_check_alone_does(client, db, ship, doomed, one_connection, sent,
                                                               server_default_search_path, forget_schema_names,
                                                               name_known, changes, shipped, user, status, error):
    doomed.add_task("hidden")
    client.get("/tasks", headers=doomed.headers())  # served once: the next request is the fused read as usual
    if not name_known:
        forget_schema_names()
    for change in changes:
        change(db, doomed)
    if shipped:
        ship(PRIORITY_COLUMN)
    user_id = {"stranger": str(uuid.uuid4()), "member": doomed.member["id"], None: None}[user]
    headers = {**doomed.headers(), **({"x-user-id": user_id} if user_id else {})}
    sent.clear()

    response = client.get("/tasks", headers=headers)

    assert (response.status_code, response.json["error"]) == (status, error)
    assert "hidden" not in response.get_data(as_text=True)
    assert sent[0].startswith(ENTERS_CHECKED if name_known else ENTERS)
    if status == 503:
        assert response.headers["Retry-After"]
    assert search_path_between_requests(one_connection) == server_default_search_path


@pytest.mark.parametrize("user, status, answer", [
    (None, 200, []),
    ("member", 200, []),
    ("stranger", 403, "forbidden"),
])
@pytest.mark.parametrize("name_known", [True, False], ids=["checked-entry", "check-beside"])
def test_an_empty_page(client, db, doomed, sent, forget_schema_names, name_known, user, status, answer):
    """With the check beside the read, a read of no rows brings back no check: it follows alone, in autocommit
    too. The checked entry needs no rows to judge: one round trip.

    (An unregistered tenant's read finds no tables at all: test_the_check_in_the_page_refuses...)
    """
    client.get("/tasks", headers=doomed.headers())
    if not name_known:
        forget_schema_names()
    user_id = {"stranger": str(uuid.uuid4()), "member": doomed.member["id"], None: None}[user]
    headers = {**doomed.headers(), **({"x-user-id": user_id} if user_id else {})}
    sent.clear()

    response = client.get("/tasks", headers=headers)

    assert response.status_code == status
    assert (response.json if status == 200 else response.json["error"]) == answer
    if name_known:
        assert len(sent) == 1 and sent[0].startswith(ENTERS_CHECKED), sent
    else:
        assert len(sent) == 2 and all(s.startswith(ENTERS) for s in sent), sent


def test_a_schema_name_the_process_holds_never_chooses_the_schema(client, tenant, other_tenant, sent, monkeypatch):
    """SCHEMA_NAMES only names the schema for logs and recycling: the registry, in SQL, says which one is entered."""
    tenant.add_task("mine")
    other_tenant.add_task("theirs")
    monkeypatch.setitem(tenancy.SCHEMA_NAMES, tenant.id, other_tenant.schema)
    sent.clear()

    response = client.get("/tasks", headers=tenant.as_member)

    assert [task["title"] for task in response.json] == ["mine"]
    assert sent[0].startswith(ENTERS_CHECKED) and other_tenant.schema not in sent[0]


@pytest.mark.parametrize("user, query, status", [
    ("stranger", "limit=0", 403),
    ("stranger", "cursor=not-a-cursor", 403),
    ("unregistered", "limit=0", 404),
    ("member", "limit=0", 400),
    ("member", "cursor=not-a-cursor", 400),
])
def test_the_checks_refusals_come_before_the_views(client, db, doomed, user, query, status):
    """Input the view refuses before its read: the tenant check still answers first, as on every tenant route."""
    client.get("/tasks", headers=doomed.headers())
    if user == "unregistered":
        unregister(db, doomed)
    user_id = str(uuid.uuid4()) if user == "stranger" else doomed.member["id"]
    response = client.get(f"/tasks?{query}", headers={**doomed.headers(), "x-user-id": user_id})
    assert response.status_code == status, response.json


def unseen_tenant(client, db, schema_name):
    """Headers of a new organization's member, who has one task: both made in SQL, so no request has named it."""
    response = client.post("/organizations", json={"name": "Unseen", "schemaName": schema_name})
    assert response.status_code == 201, response.json
    with db.cursor() as cur:
        cur.execute(sql.SQL("INSERT INTO {} (name, email, role) VALUES ('Ann', 'ann@example.com', 'member') "
                            "RETURNING id").format(sql.Identifier(schema_name, "users")))
        user_id = str(cur.fetchone()[0])
        cur.execute(sql.SQL("INSERT INTO {} (title, created_by, created_by_name) VALUES (%s, %s, 'Ann')").format(
            sql.Identifier(schema_name, "tasks")), (f"of {schema_name}", user_id))
    return {"x-tenant-id": response.json["id"], "x-user-id": user_id}


@pytest.mark.parametrize("as_user", [False, True])
def test_a_tenant_no_request_has_named_costs_no_extra_round_trip(client, db, sent, forget_schema_names, as_user):
    """Spread over tenants made after the process read the registry, each page is still its one message."""
    schemas = [f"unseen_{uuid.uuid4().hex[:12]}" for _ in range(5)]
    tenants = [unseen_tenant(client, db, schema) for schema in schemas]
    forget_schema_names()
    sent.clear()

    for schema, headers in zip(schemas, tenants):
        response = client.get("/tasks", headers=headers if as_user else {"x-tenant-id": headers["x-tenant-id"]})
        assert [task["title"] for task in response.json] == [f"of {schema}"]

    assert len(sent) == len(schemas), sent
    assert all(s.startswith(ENTERS) and not any(schema in s for schema in schemas) for s in sent)


@pytest.mark.parametrize("as_user", [False, True])
def test_a_new_process_reads_every_schema_name_once_then_enters_checked(client, db, sent, new_process, as_user):
    """After a restart, the first read of a tenant the process cannot name reads the registry's names once; then
    every tenant's first page is the checked entry and its read, one message, and nothing more is read."""
    schemas = [f"unseen_{uuid.uuid4().hex[:12]}" for _ in range(5)]
    tenants = [unseen_tenant(client, db, schema) for schema in schemas]
    sent.clear()

    for schema, headers in zip(schemas, tenants):
        response = client.get("/tasks", headers=headers if as_user else {"x-tenant-id": headers["x-tenant-id"]})
        assert [task["title"] for task in response.json] == [f"of {schema}"]

    registry_read, pages = sent[:3], sent[3:]
    assert "FROM public.organizations LIMIT" in registry_read[1] and registry_read[2] == "COMMIT", sent
    assert len(pages) == len(schemas) and all(s.startswith(ENTERS_CHECKED) for s in pages), sent
    assert tenancy.REGISTRY_READ.is_set()


def test_a_registry_read_that_fails_leaves_reads_to_the_check_beside(client, tenant, sent, new_process, monkeypatch):
    """The names only save work: when they cannot be read, the page comes with the check beside it, and the next
    miss tries again."""
    tenant.add_task("mine")
    tenancy.SCHEMA_NAMES.clear()
    schema_names = tenancy.queries.schema_names
    monkeypatch.setattr(tenancy.queries, "schema_names", failing_schema_names)
    sent.clear()

    response = client.get("/tasks", headers=tenant.as_member)

    assert [task["title"] for task in response.json] == ["mine"]
    assert not tenancy.REGISTRY_READ.is_set()
    assert sent[-1].startswith(ENTERS) and CHECK_BESIDE in sent[-1], sent

    monkeypatch.setattr(tenancy.queries, "schema_names", schema_names)
    tenancy.SCHEMA_NAMES.clear()
    sent.clear()
    assert client.get("/tasks", headers=tenant.as_member).json == response.json
    assert tenancy.REGISTRY_READ.is_set() and sent[-1].startswith(ENTERS_CHECKED), sent


def failing_schema_names(conn, limit):
    """queries.schema_names run against a relation that is not there, as a registry read that fails does."""
    with conn.cursor() as cur:
        cur.execute("SELECT id, schema_name FROM public.no_such_registry LIMIT %s", (limit,))
        return cur.fetchall()


def remove_organization_named(db, schema_name):
    """Drop an organization an earlier test made with ``schema_name`` (Schemathesis, earlier in the same
    database, makes short valid names such as "user", which would answer 409 here), schema and registry row."""
    with db.cursor() as cur:
        cur.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema_name)))
        cur.execute("DELETE FROM public.organizations WHERE schema_name = %s", (schema_name,))


@pytest.mark.parametrize("schema_name", ["user", "select", "tasks", "_" * 40, "z" * 63])
def test_a_schema_named_like_sql_is_entered_as_a_name(client, db, sent, server_default_search_path,
                                                      one_connection, schema_name):
    """Valid names that are keywords or table names, quoted by quote_ident in SQL: reads and writes stay inside."""
    remove_organization_named(db, schema_name)
    headers = unseen_tenant(client, db, schema_name)

    created = client.post("/tasks", json={"title": "second"}, headers=headers)
    page = client.get("/tasks", headers=headers)

    assert created.status_code == 201, created.json
    assert [task["title"] for task in page.json] == ["second", f"of {schema_name}"]
    with db.cursor() as cur:
        cur.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(schema_name, "tasks")))
        assert cur.fetchone()[0] == 2
    assert search_path_between_requests(one_connection) == server_default_search_path
