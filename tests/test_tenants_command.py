"""flask tenants: list, status, backup and restore, purge."""
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from psycopg2 import sql

from support.environment import CITUS_DIR, ROOT
from support.migrations import BROKEN, PRIORITY_COLUMN
from support.tenants import TenantFixture, schema_exists, schema_version, unique_schema
from taskflask.data.organizations import create_organization, unregister_organization
from taskflask.db import database
from taskflask.tenants.deletion import purge_schema
from taskflask.tenants.migrations import latest_version

TRICKY_TEXTS = ["", "tab\there", "line\nbreak\r\n", "back\\slash \\N", "žluťoučký kůň 🐴", "=1+2", "'quoted'"]


def table_rows(db, schema, table):
    with db.cursor() as cur:
        cur.execute(sql.SQL("SELECT * FROM {} ORDER BY id").format(sql.Identifier(schema, table)))
        return cur.fetchall()


@pytest.fixture
def busy_tenant(client):
    """A tenant with every kind of row and awkward values in them."""
    tenant = TenantFixture(client, "busy")
    for text in TRICKY_TEXTS:
        tenant.add_task(f"Task {text!r}"[:200], description=text)
    tenant.add_task("No description", description=None)
    done = tenant.add_task("Done")
    assert client.patch(f"/tasks/{done['id']}", headers=tenant.as_member).status_code == 200
    assert client.post("/tasks/export", headers=tenant.as_admin).status_code == 202
    return tenant


def test_list_shows_each_tenants_version_and_task_count(runner, busy_tenant):
    result = runner.invoke(args=["tenants"])
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if line.startswith(busy_tenant.schema))
    assert line.split()[1:3] == [str(latest_version("tenant")), str(len(TRICKY_TEXTS) + 2)]


def test_status_shows_which_schemas_are_behind_and_why_one_failed(runner, client, ship):
    behind, broken = TenantFixture(client, "st1"), TenantFixture(client, "st2")
    ship(PRIORITY_COLUMN)
    lines = runner.invoke(args=["tenants", "status"]).output.splitlines()
    version = latest_version("tenant") - 1
    assert f"{behind.schema} {version} behind".split() == next(line.split() for line in lines if behind.schema in line)

    ship(BROKEN)
    runner.invoke(args=["migrate"])
    result = runner.invoke(args=["tenants", "status"])
    line = next(line for line in result.output.splitlines() if broken.schema in line)
    assert f"{version}  failed: UndefinedTable" in line and "no_such_table" in line
    assert " behind, " in result.output.splitlines()[-1]


def test_backup_and_restore_bring_back_every_row(runner, db, busy_tenant, tmp_path):
    backup = tmp_path / "busy.zip"
    result = runner.invoke(args=["tenants", "backup", busy_tenant.schema, "-o", str(backup)])
    assert result.exit_code == 0, result.output
    copy = unique_schema("copy")
    result = runner.invoke(args=["tenants", "restore", str(backup), "--as", copy, "--name", "Busy again"])
    assert result.exit_code == 0, result.output

    for table in ("users", "tasks", "exports"):
        original = table_rows(db, busy_tenant.schema, table)
        assert original and table_rows(db, copy, table) == original
    assert schema_version(db, copy) == schema_version(db, busy_tenant.schema)
    restored = next(o for o in runner.app.test_client().get("/organizations").json if o["schemaName"] == copy)
    assert restored["name"] == "Busy again" and restored["id"] != busy_tenant.id
    tasks = runner.app.test_client().get("/tasks", headers={"x-tenant-id": restored["id"]})
    assert tasks.status_code == 200 and len(tasks.json) == len(TRICKY_TEXTS) + 2


def test_an_older_backup_is_restored_and_brought_to_the_newest_version(runner, db, busy_tenant, tmp_path, ship):
    backup = tmp_path / "old.zip"
    assert runner.invoke(args=["tenants", "backup", busy_tenant.schema, "-o", str(backup)]).exit_code == 0
    [extra] = ship(PRIORITY_COLUMN)
    copy = unique_schema("newer")
    result = runner.invoke(args=["tenants", "restore", str(backup), "--as", copy])
    assert result.exit_code == 0, result.output
    assert schema_version(db, copy) == (extra, extra, extra)
    rows = table_rows(db, copy, "tasks")
    assert [row[:-1] for row in rows] == table_rows(db, busy_tenant.schema, "tasks")
    assert {row[-1] for row in rows} == {0}


def test_the_status_command_reports_a_schema_behind_and_leaves_it_there(app, db):
    """`flask --app wsgi tenants status` as an operator runs it: building the app must not migrate first."""
    schema = unique_schema("behind")
    with database.transaction() as cur:
        organization = create_organization(cur, f"Org {schema}", schema, version=1, distributed=bool(CITUS_DIR))
    try:
        result = subprocess.run([str(Path(sys.executable).parent / "flask"), "--app", "wsgi", "tenants", "status"],
                                cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stdout + result.stderr
        assert [schema, "1", "behind"] in [line.split() for line in result.stdout.splitlines()]
        assert schema_version(db, schema) == (1, 1, 1)
    finally:
        with database.transaction() as cur:
            unregister_organization(cur, organization["id"], schema)
        purge_schema(database, app.config["EXPORTS_DIR"], schema, citus=bool(CITUS_DIR))


@pytest.mark.parametrize("target, message", [
    ("existing", "already taken"),
    ("Not-A-Schema", "must be 1-63 characters"),
    ("public", "reserved"),
])
def test_restore_refuses_a_schema_name_it_cannot_use(runner, tenant, tmp_path, target, message):
    backup = tmp_path / "b.zip"
    assert runner.invoke(args=["tenants", "backup", tenant.schema, "-o", str(backup)]).exit_code == 0
    result = runner.invoke(args=["tenants", "restore", str(backup), "--as",
                                 tenant.schema if target == "existing" else target])
    assert result.exit_code == 1
    assert message in result.output


def test_restore_refuses_a_file_that_is_not_a_backup(runner, tmp_path):
    bogus = tmp_path / "bogus.zip"
    with zipfile.ZipFile(bogus, "w") as archive:
        archive.writestr("hello.txt", "hi")
    result = runner.invoke(args=["tenants", "restore", str(bogus), "--as", unique_schema()])
    assert result.exit_code == 1 and "not a taskflask tenant backup" in result.output


def test_backup_of_an_unknown_schema_fails_without_leaving_a_file(runner, tmp_path):
    target = tmp_path / "none.zip"
    result = runner.invoke(args=["tenants", "backup", "no_such_tenant", "-o", str(target)])
    assert result.exit_code == 1 and "No organization" in result.output
    assert list(tmp_path.iterdir()) == []


def test_purge_finishes_a_deletion_whose_drop_never_ran(runner, client, db):
    tenant = TenantFixture(client, "halfway")
    with database.transaction() as cur:  # unregistered, and no job queued (Redis was down, or it was lost)
        unregister_organization(cur, tenant.id, tenant.schema)
    assert client.get("/tasks", headers=tenant.headers()).status_code == 404

    result = runner.invoke(args=["tenants", "purge"])
    assert result.exit_code == 0, result.output
    assert f"{tenant.schema}: dropped" in result.output
    assert not schema_exists(db, tenant.schema)
