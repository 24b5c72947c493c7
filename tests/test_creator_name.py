"""Each task keeps its creator's name (tenant migration 0005): a page reads the tasks table alone."""
import uuid

from psycopg2 import sql

from support.environment import CITUS_DIR
from support.tenants import TenantFixture
from taskflask.data.organizations import create_organization
from taskflask.data.queries import queries, text_of
from taskflask.data.tasks import create_task
from taskflask.db import database
from taskflask.tenants.migrations import migrate_schema

# The tenant relations this backend holds a lock on: every one a statement of the transaction opened.
OPENED = """SELECT c.relname FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
            WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation'
              AND c.relnamespace = %s::regnamespace ORDER BY 1"""


def test_the_migration_gives_every_existing_task_its_creator_name(client, db):
    """A tenant made before 0005, with tasks by two users, shows each creator's name once migrated."""
    schema = f"names_{uuid.uuid4().hex[:10]}"
    with database.transaction() as cur:
        organization = create_organization(cur, "Named", schema, version=4, distributed=bool(CITUS_DIR))
    users = {}
    with db.cursor() as cur:
        for name, role in (("Ada Admin", "admin"), ("Max Member", "member")):
            cur.execute(sql.SQL("INSERT INTO {} (name, email, role) VALUES (%s, %s, %s) RETURNING id").format(
                sql.Identifier(schema, "users")), (name, f"{role}@example.com", role))
            users[str(cur.fetchone()[0])] = name
        for user_id in users:
            cur.execute(sql.SQL("INSERT INTO {} (title, created_by) SELECT 'old ' || i, %s "
                                "FROM generate_series(1, 3) AS i").format(sql.Identifier(schema, "tasks")),
                        (user_id,))
    with database.transaction() as cur:
        assert migrate_schema(cur, schema, "tenant") == [5, 6]
    tenant = TenantFixture.__new__(TenantFixture)  # the fixture's headers, for an organization made here
    tenant.client, tenant.id = client, organization["id"]
    page = client.get("/tasks", headers=tenant.headers()).json
    assert len(page) == 6
    assert {(task["createdBy"], task["createdByName"]) for task in page} == set(users.items())
    with db.cursor() as cur:
        cur.execute("SELECT is_nullable FROM information_schema.columns "
                    "WHERE table_schema = %s AND table_name = 'tasks' AND column_name = 'created_by_name'", (schema,))
        assert cur.fetchone()[0] == "NO"


def test_a_new_task_carries_its_creator_name_in_every_answer(client, tenant):
    created = client.post("/tasks", json={"title": "named"}, headers=tenant.as_member)
    assert created.status_code == 201 and created.json["createdByName"] == tenant.member["name"]
    task_id = created.json["id"]
    patched = client.patch(f"/tasks/{task_id}", json={"title": "renamed"}, headers=tenant.as_member)
    assert patched.json["createdByName"] == tenant.member["name"]
    listed = client.get("/tasks?q=renamed", headers=tenant.as_member).json
    assert [task["createdByName"] for task in listed] == [tenant.member["name"]]


def test_a_task_of_no_user_of_the_tenant_is_not_added_nor_counted(client, tenant):
    client.post("/tasks", json={"title": "counted"}, headers=tenant.as_member)
    kept = "SELECT (SELECT count(*) FROM tasks), (SELECT pending FROM task_counts)"
    with database.transaction() as cur:
        cur.execute(sql.SQL("SET LOCAL search_path TO {}").format(sql.Identifier(tenant.schema)))
        cur.execute(kept)
        assert list(cur.fetchone().values()) == [1, 1]
        assert create_task(cur, "orphan", None, str(uuid.uuid4())) is None
        cur.execute(kept)
        assert list(cur.fetchone().values()) == [1, 1]


def test_a_page_of_tasks_opens_no_users_relation(client, tenant):
    """list_tasks plans and reads the tasks table and its indexes only."""
    client.post("/tasks", json={"title": "one"}, headers=tenant.as_member)
    with database.transaction(tenant.schema, read_only=True) as cur:
        cur.execute(text_of(queries.list_tasks),
                    {"status": None, "after_created_at": None, "after_id": None, "limit": 101})
        assert len(cur.fetchall()) == 1
        cur.execute(OPENED, (tenant.schema,))
        opened = [row["relname"] for row in cur.fetchall()]
    assert "tasks" in opened and not [name for name in opened if name.startswith("users")], opened
