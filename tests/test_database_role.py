"""The app runs under a role of its own that cannot create objects in public."""
import os
import uuid
from datetime import timedelta

import pytest
from psycopg2 import errors as pg_errors
from psycopg2 import sql

from support.jobs import run_queued_jobs
from support.tenants import TenantFixture
from taskflask.exports import upkeep
from taskflask.exports.jobs import enqueue_export
from taskflask.queue import huey
from taskflask.tenants import migrations

APP_GRANTS = """
GRANT CONNECT, CREATE ON DATABASE {database} TO {role};
GRANT USAGE ON SCHEMA public TO {role};
GRANT SELECT, INSERT, UPDATE, DELETE ON public.organizations, public.schema_drops, public.active_exports TO {role};
GRANT SELECT ON public.schema_migrations TO {role};
"""


@pytest.fixture
def role_database(app, db, database_at, point_app_at):
    """The app on a login role with the grants the README gives it; the role goes with what it owns afterwards."""
    role = f"taskflask_app_{uuid.uuid4().hex[:8]}"
    database_name = os.environ["DATABASE_URL"].rsplit("/", 1)[1]
    names = {"role": sql.Identifier(role), "database": sql.Identifier(database_name)}
    with db.cursor() as cur:
        cur.execute(sql.SQL("CREATE ROLE {role} LOGIN").format(**names))
        cur.execute(sql.SQL(APP_GRANTS).format(**names))
    role_database = point_app_at(database_at(os.environ["DATABASE_URL"].replace("postgres@", f"{role}@")))
    yield role_database
    role_database.close()  # its connections go before the role does
    with db.cursor() as cur:
        # Two statements: Citus cannot join its reference table with pg_catalog in a DELETE.
        cur.execute("SELECT n.nspname FROM pg_namespace n JOIN pg_roles r ON r.oid = n.nspowner WHERE r.rolname = %s",
                    (role,))
        cur.execute("DELETE FROM public.organizations WHERE schema_name = ANY(%s)", ([row[0] for row in cur],))
        cur.execute(sql.SQL("DROP OWNED BY {role} CASCADE").format(**names))
        cur.execute(sql.SQL("REVOKE ALL ON DATABASE {database} FROM {role}").format(**names))
        cur.execute(sql.SQL("DROP ROLE {role}").format(**names))


def test_the_app_role_serves_tenants_but_cannot_create_in_public(client, role_database):
    tenant = TenantFixture(client, "role")  # CREATE SCHEMA and its tables, as the app role
    task = tenant.add_task("made by the app role")
    assert client.patch(f"/tasks/{task['id']}", headers=tenant.as_member).json["status"] == "completed"
    assert migrations.migrate_public(role_database) == []  # start-up migration: nothing to do, no error
    export_id = client.post("/tasks/export", headers=tenant.as_admin).json["exportId"]
    assert run_queued_jobs() == 1
    assert client.get(f"/exports/{export_id}", headers=tenant.as_admin).json["rowsWritten"] == 1
    assert upkeep.sweep(role_database, huey.name, timedelta(minutes=15), 3, enqueue_export) == (0, 0)

    with pytest.raises(pg_errors.InsufficientPrivilege):
        with role_database.transaction() as cur:
            cur.execute("CREATE TABLE public.smuggled (x int)")
    with pytest.raises(pg_errors.UndefinedTable):  # no tenant chosen: nothing to read
        with role_database.transaction() as cur:
            cur.execute("SELECT * FROM tasks")


def test_public_migrations_revoke_create_from_everyone(db):
    with db.cursor() as cur:
        cur.execute("SELECT has_schema_privilege('public', 'public', 'CREATE')")
        assert cur.fetchone()[0] is False
