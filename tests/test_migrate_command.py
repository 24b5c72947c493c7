"""taskflask-migrate, the operator's migrate without the web app, as a real process beside `flask --app wsgi migrate`.

The tests share a database of their own, emptied of tenants after each, so what a run finds behind is only
what the test put there.
"""
import os
import subprocess
import sys
import uuid

import pytest
from psycopg2 import sql

from support.environment import ROOT, create_database, database_url, drop_database
from support.pools import pool_at
from support.processes import BIN_DIR
from support.tenants import unique_schema
from taskflask.data.organizations import create_organization, tenant_schemas
from taskflask.tenants.migrate_run import migrate_tenants
from taskflask.tenants.migrations import latest_version

COMMANDS = {
    "taskflask-migrate": [str(BIN_DIR / "taskflask-migrate")],
    "python -m": [sys.executable, "-m", "taskflask.cli.migrate"],
    "flask": [str(BIN_DIR / "flask"), "--app", "wsgi", "migrate"],
}
FAST_AND_FLASK = ["taskflask-migrate", "flask"]


@pytest.fixture(scope="module")
def database_of_this_module():
    """The URL of a new database with public migrated, dropped at the end (one, as a drop takes seconds here)."""
    name = f"taskflask_migrate_{uuid.uuid4().hex[:8]}"
    create_database(name)
    url = database_url(name)
    migrate_tenants(url, citus=False)
    yield url
    drop_database(name)


@pytest.fixture
def own_database(database_of_this_module):
    """(URL, pool) of the module's database with no tenant: the tenants a test makes are dropped after it."""
    database = pool_at(database_of_this_module, maxsize=1)
    yield database_of_this_module, database
    with database.transaction() as cur:
        for schema in tenant_schemas(cur):
            cur.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))
        cur.execute("DELETE FROM public.organizations")
    database.close()


def run(command, url, *args):
    """Run ``command`` (a key of COMMANDS) with ``args`` on the database at ``url``; the finished process."""
    env = dict(os.environ, DATABASE_URL=url, CITUS="0")  # the test's own database is plain PostgreSQL
    return subprocess.run([*COMMANDS[command], *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


def tenant_behind(database, prefix="behind"):
    """A new organization whose schema is one migration behind the newest; its schema name."""
    schema = unique_schema(prefix)
    with database.transaction() as cur:
        create_organization(cur, prefix, schema, version=latest_version("tenant") - 1)
    return schema


def break_schema(database, schema):
    """Lose ``schema``'s own version records: a run replays migration 1 over its tables and fails."""
    with database.transaction() as cur:
        cur.execute(sql.SQL("DELETE FROM {}.schema_migrations").format(sql.Identifier(schema)))


def registry_version(database, schema):
    """The schema version the registry holds for ``schema``."""
    with database.transaction(read_only=True) as cur:
        cur.execute("SELECT schema_version FROM public.organizations WHERE schema_name = %s", (schema,))
        return cur.fetchone()["schema_version"]


@pytest.mark.parametrize("command", COMMANDS)
def test_migrates_a_tenant_behind_then_finds_nothing_pending(own_database, command):
    url, database = own_database
    schema = tenant_behind(database)
    newest = latest_version("tenant")

    first = run(command, url, "--jobs", "2")
    assert first.returncode == 0, first.stderr
    assert "1 tenant schemas behind; 2 jobs." in first.stdout
    assert f"{schema}: applied {newest}" in first.stdout
    assert "1 upgraded, 0 failed, 0 already up to date" in first.stdout
    assert registry_version(database, schema) == newest

    again = run(command, url)
    assert again.returncode == 0, again.stderr
    assert "0 tenant schemas behind: no migration pending." in again.stdout
    assert again.stdout.strip().splitlines()[-1].startswith("0 upgraded, 0 failed, 0 already up to date in ")


@pytest.mark.parametrize("command", FAST_AND_FLASK)
def test_a_failed_tenant_exits_1_unless_tenant_failures_are_tolerated(own_database, command):
    url, database = own_database
    fine = tenant_behind(database, "fine")
    broken = tenant_behind(database, "broken")
    break_schema(database, broken)

    failed = run(command, url, "--jobs", "1")
    assert failed.returncode == 1
    assert f"{broken}: FAILED: DuplicateTable" in failed.stdout
    assert f"{fine}: applied {latest_version('tenant')}" in failed.stdout  # the run went on past it

    tolerated = run(command, url, "--tolerate-tenant-failures")
    assert tolerated.returncode == 0, tolerated.stderr
    assert "1 tenant schemas behind;" in tolerated.stdout
    assert f"{broken}: FAILED: DuplicateTable" in tolerated.stdout
    assert registry_version(database, broken) == latest_version("tenant") - 1


@pytest.mark.parametrize("command", FAST_AND_FLASK)
@pytest.mark.parametrize("jobs", ["0", "65", "two"])
def test_a_bad_jobs_count_is_a_usage_error(own_database, command, jobs):
    url, _ = own_database
    result = run(command, url, "--jobs", jobs)
    assert result.returncode == 2
    assert "Invalid value for '--jobs'" in result.stderr
    assert "Traceback" not in result.stderr
