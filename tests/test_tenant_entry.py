"""public.enter_tenant (public migration 0007) and public.enter_tenant_checked (0008): what a tenant request's first
statement sets, for how long, and what the checked one refuses."""
import uuid
from types import SimpleNamespace

import psycopg2
import pytest
from psycopg2 import sql

from support.environment import not_on_citus
from taskflask.data.tenancy import begin_tenant_request, read_in_known_schema, read_with_tenant_check, refusal
from taskflask.db import RequestTransaction
from taskflask.tenants.migrations import latest_version

SETTINGS = ("SELECT current_setting('search_path'), current_setting('taskflask.schema_name', true), "
            "current_setting('taskflask.schema_version', true)")
# The registry's relations locked by the statements so far in this transaction: the planner locks every index
# of a table it plans, the execution of a kept plan only the index it uses.
REGISTRY_LOCKS = """SELECT c.relname FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_class c ON c.oid = l.relation
WHERE l.pid = pg_catalog.pg_backend_pid() AND l.locktype = 'relation' AND c.relname LIKE 'organizations%%'
  AND c.relnamespace = 'public'::pg_catalog.regnamespace"""


@pytest.fixture
def session(db):
    """A cursor on db's connection, in autocommit: each execute is its own transaction unless BEGIN."""
    with db.cursor() as cur:
        yield cur


def settings(cur):
    cur.execute(SETTINGS)
    return cur.fetchone()


def unset(found):
    """What a session holds outside a tenant transaction: the default search_path, no tenant settings."""
    path, schema_name, schema_version = found
    return path == '"$user", public' and not schema_name and not schema_version


@pytest.mark.parametrize("ending", ["COMMIT", "ROLLBACK", "an error"])
def test_what_enter_tenant_sets_ends_with_the_transaction(session, tenant, ending):
    session.execute("BEGIN")
    session.execute("SELECT public.enter_tenant(%s)", (tenant.id,))
    assert settings(session) == (tenant.schema, tenant.schema, str(latest_version("tenant")))
    if ending == "an error":
        with pytest.raises(psycopg2.errors.DivisionByZero):
            session.execute("SELECT 1 / 0")
        ending = "ROLLBACK"
    session.execute(ending)
    assert unset(settings(session))


def test_one_message_in_autocommit_keeps_them_for_its_statements_only(session, tenant):
    """The reads_once form: the message is one implicit transaction."""
    session.execute(f"SELECT public.enter_tenant(%s); {SETTINGS}", (tenant.id,))
    assert session.fetchone()[:2] == (tenant.schema, tenant.schema)
    assert unset(settings(session))


@pytest.mark.parametrize("tenant_id", [str(uuid.uuid4()), str(uuid.UUID(int=0)), None])
def test_an_unknown_organization_gets_pg_catalog_and_no_schema(session, tenant_id):
    session.execute(f"SELECT public.enter_tenant(%s); {SETTINGS}", (tenant_id,))
    assert session.fetchone() == ("pg_catalog", "", "")


def test_the_settings_and_path_do_not_outlive_a_request_on_its_pooled_connection(client, tenant, one_connection):
    """Every form of tenant request, then the connection they shared (behind PgBouncer: the next client's)."""
    tenant.add_task("mine")
    stranger = {**tenant.headers(), "x-user-id": str(uuid.uuid4())}
    answers = [client.get("/tasks", headers=tenant.headers()).status_code,  # one message in autocommit
               client.get("/tasks", headers=tenant.as_member).status_code,
               client.post("/tasks", json={"title": "w"}, headers=tenant.as_member).status_code,  # a transaction
               client.get("/tasks", headers=stranger).status_code,  # refused
               client.post("/tasks", json={"title": "w"}, headers=stranger).status_code]
    assert answers == [200, 200, 201, 403, 403]
    with one_connection.connection() as conn, conn.cursor() as cur:
        assert unset(settings(cur))


@pytest.fixture
def one_connection(app, database_at, point_app_at):
    """The app on a pool of one connection, so every request runs on the same one."""
    return point_app_at(database_at(app.config["DATABASE_URL"], maxsize=1))


def test_an_organization_deleted_between_requests_answers_404(client, tenant, one_connection):
    """The same connection served it often enough for plpgsql to keep a generic plan: the plan, not the row."""
    tenant.add_task("gone soon")
    for _ in range(8):
        assert client.get("/tasks", headers=tenant.headers()).status_code == 200
        assert client.get("/tasks", headers=tenant.as_member).status_code == 200
    deleted = client.delete(f"/organizations/{tenant.id}", json={"schemaName": tenant.schema},
                            headers=tenant.as_admin)
    assert deleted.status_code == 200, deleted.json

    answers = [client.get("/tasks", headers=tenant.headers()), client.get("/tasks", headers=tenant.as_member),
               client.get("/tasks/counts", headers=tenant.headers()),
               client.post("/tasks", json={"title": "late"}, headers=tenant.as_member)]
    assert [(r.status_code, r.json["error"]) for r in answers] == [(404, "not_found")] * 4


@pytest.mark.parametrize("value, status", [
    ("{other_schema}", 400),
    ("{tenant_id}; SET search_path TO {other_schema}", 400),
    ("{tenant_id}') OR true --", 400),
    ("' OR id IS NOT NULL --", 400),
    ("{{{other_id}}}", 400),
    ("urn:uuid:{other_id}", 400),
    ("{other_hex}", 400),
    ("00000000-0000-0000-0000-000000000000", 404),
    ("ffffffff-ffff-ffff-ffff-ffffffffffff", 404),
])
def test_no_tenant_header_reaches_another_tenants_schema(client, tenant, other_tenant, value, status):
    """Only the other organization's own id names its schema: a header is a UUID or refused before any SQL."""
    other_tenant.add_task("the other's secret")
    header = value.format(tenant_id=tenant.id, other_id=other_tenant.id, other_schema=other_tenant.schema,
                          other_hex=uuid.UUID(other_tenant.id).hex)
    for response in (client.get("/tasks", headers={"x-tenant-id": header}),
                     client.get("/tasks", headers={"x-tenant-id": header, "x-user-id": other_tenant.member["id"]})):
        assert response.status_code == status, response.json
        assert "secret" not in response.get_data(as_text=True)


@pytest.fixture
def hostile_schema(db, tenant, other_tenant):
    """A schema that shadows every unqualified name enter_tenant could use, and maps every id to other_tenant."""
    schema = f"hostile_{uuid.uuid4().hex[:12]}"
    statements = [
        "CREATE SCHEMA {s}",
        "CREATE TABLE {s}.organizations (id uuid, schema_name text, schema_version integer)",
        "INSERT INTO {s}.organizations VALUES (%(tenant)s, %(other)s, 999)",
        "CREATE FUNCTION {s}.quote_ident(text) RETURNS text LANGUAGE sql AS $$SELECT %(other)s::text$$",
        "CREATE FUNCTION {s}.set_config(text, text, boolean) RETURNS text LANGUAGE sql AS $$SELECT ''::text$$",
        "CREATE FUNCTION {s}.same(uuid, uuid) RETURNS boolean LANGUAGE sql AS $$SELECT true$$",
        "CREATE OPERATOR {s}.= (LEFTARG = uuid, RIGHTARG = uuid, FUNCTION = {s}.same)",
    ]
    with db.cursor() as cur:
        for statement in statements:
            cur.execute(sql.SQL(statement).format(s=sql.Identifier(schema)),
                        {"tenant": tenant.id, "other": other_tenant.schema})
    yield schema
    with db.cursor() as cur:
        cur.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


@pytest.mark.parametrize("who", ["tenant", "unknown"])
def test_enter_tenant_reads_the_registry_whatever_the_callers_search_path(session, hostile_schema, tenant, who):
    """Called with the hostile schema first (before pg_catalog too): the answer is the registry's, not its."""
    tenant_id, expected = {"tenant": (tenant.id, (tenant.schema, tenant.schema, str(latest_version("tenant")))),
                           "unknown": (str(uuid.uuid4()), ("pg_catalog", "", ""))}[who]
    session.execute(sql.SQL("SET search_path TO {}, pg_catalog, public").format(sql.Identifier(hostile_schema)))
    for _ in range(7):  # the first plans, and plpgsql's generic plan after five
        session.execute(f"SELECT public.enter_tenant(%s); {SETTINGS}", (tenant_id,))
        assert session.fetchone() == expected


ENTER_CHECKED = "SELECT public.enter_tenant_checked(%(tenant)s, %(version)s, %(user)s); "
PATH = "SELECT current_setting('search_path')"


def enter_checked(session, tenant_id, user_id=None, version=None, then=PATH):
    """One message in autocommit: enter_tenant_checked, then ``then``; its one row."""
    version = latest_version("tenant") if version is None else version
    session.execute(ENTER_CHECKED + then, {"tenant": tenant_id, "version": version, "user": user_id})
    return session.fetchone()


@pytest.mark.parametrize("as_user", [False, True])
def test_the_checked_entry_sets_the_path_for_its_message_only(session, tenant, as_user):
    user_id = tenant.member["id"] if as_user else None
    assert enter_checked(session, tenant.id, user_id, then=SETTINGS) == (tenant.schema, None, None)
    assert unset(settings(session))


@pytest.mark.parametrize("case, code", [
    ("unknown organization", "gone"),
    ("no organization id", "gone"),
    ("schema behind the code", "behind"),
    ("no such user", "stranger"),
    ("a user of another organization", "stranger"),
])
def test_the_checked_entry_refuses_before_the_read_runs(session, tenant, other_tenant, case, code):
    tenant_id, user_id, version = {
        "unknown organization": (str(uuid.uuid4()), None, None),
        "no organization id": (None, None, None),
        "schema behind the code": (tenant.id, None, latest_version("tenant") + 1),
        "no such user": (tenant.id, str(uuid.uuid4()), None),
        "a user of another organization": (tenant.id, other_tenant.member["id"], None),
    }[case]
    with pytest.raises(psycopg2.DatabaseError) as raised:
        enter_checked(session, tenant_id, user_id, version, then="SELECT 1 / 0")  # never run
    assert refusal(raised.value) == code, raised.value
    assert unset(settings(session))


@pytest.mark.parametrize("who", ["tenant", "unknown", "stranger"])
def test_the_checked_entry_reads_the_registry_whatever_the_callers_search_path(session, hostile_schema, tenant, who):
    """The hostile schema first: its registry, quote_ident, set_config and an = that matches any id change nothing."""
    tenant_id, user_id = {"tenant": (tenant.id, tenant.member["id"]), "unknown": (str(uuid.uuid4()), None),
                          "stranger": (tenant.id, str(uuid.uuid4()))}[who]
    session.execute(sql.SQL("SET search_path TO {}, pg_catalog, public").format(sql.Identifier(hostile_schema)))
    for _ in range(7):  # the first plans, and plpgsql's generic plan after five
        if who == "tenant":
            assert enter_checked(session, tenant_id, user_id) == (tenant.schema,)
        else:
            with pytest.raises(psycopg2.DatabaseError) as raised:
                enter_checked(session, tenant_id, user_id)
            assert refusal(raised.value) == {"unknown": "gone", "stranger": "stranger"}[who]
            session.connection.rollback()


def registry_locks_of_a_checked_page(database, tenant, user_id):
    """GET /tasks's message once the schema name is known, its read replaced by the registry's locks."""
    locks = SimpleNamespace(sql=REGISTRY_LOCKS)
    rows = read_in_known_schema(database, tenant.schema, tenant.id, user_id, latest_version("tenant"), locks, {})
    return {row[0] for row in rows}


def registry_locks_of_a_page(database, tenant, user_id):
    """GET /tasks's message, its read replaced by one of the registry's locks in this transaction."""
    locks = SimpleNamespace(sql=REGISTRY_LOCKS)
    _, rows = read_with_tenant_check(database, tenant.id, user_id, locks, {})
    return {row[0] for row in rows}


def registry_locks_of_a_transaction(database, tenant, user_id):
    """A write's opening (BEGIN, enter, check), then the registry's locks in its transaction."""
    transaction = RequestTransaction(database)
    try:
        begin_tenant_request(transaction, tenant.id, user_id)
        transaction.cursor.execute(REGISTRY_LOCKS, {})
        return {row["relname"] for row in transaction.cursor.fetchall()}
    finally:
        transaction.release()


@not_on_citus("the check joins the registry there (sql/queries/tenancy.sql)")
@pytest.mark.parametrize("request_form", [registry_locks_of_a_page, registry_locks_of_a_checked_page,
                                          registry_locks_of_a_transaction])
@pytest.mark.parametrize("as_user", [False, True])
def test_a_tenant_request_plans_nothing_of_the_registry(app, tenant, one_connection, request_form, as_user):
    """Only enter_tenant's kept plan touches the registry: its table and primary key, none of its other indexes."""
    user_id = tenant.member["id"] if as_user else None
    for _ in range(7):  # past plpgsql's first five custom plans
        locked = request_form(one_connection, tenant, user_id)
    assert locked == {"organizations", "organizations_pkey"}
