"""Versioned migrations: idempotent, parallel, resumable, safe to run twice at once, and visible."""
import os
import threading
import uuid

import psycopg2
from psycopg2 import sql

from support.environment import SERVER_URL, admin_command
from support.migrations import BROKEN, PRIORITY_COLUMN
from support.tenants import TenantFixture, schema_version
from taskflask.db import database
from taskflask.tenants import migrate_run, migrations
from taskflask.tenants.migrate_run import RUN_LOCK, migrate_tenants, upgrade_schema
from taskflask.web.app import create_app


def run(**options):
    return migrate_tenants(os.environ["DATABASE_URL"], **options)


def test_a_run_with_nothing_pending_visits_no_schema(app, tenant):
    run()
    assert run().outcomes == []


def test_new_migration_reaches_every_tenant_once_even_with_two_runs_at_once(client, db, ship):
    tenants = [TenantFixture(client, "m1"), TenantFixture(client, "m2")]
    [extra] = ship(PRIORITY_COLUMN)
    summaries, failures = [], []

    def migrate():
        try:
            summaries.append(run(jobs=2))
        except Exception as error:  # reported below; a thread cannot fail the test itself
            failures.append(error)

    threads = [threading.Thread(target=migrate) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    for tenant in tenants:
        applied = [summary.by_schema().get(tenant.schema) for summary in summaries]
        assert sorted(applied, key=str) == [None, [extra]]
        assert schema_version(db, tenant.schema) == (extra, extra, extra)
        with db.cursor() as cur:
            cur.execute(f"SELECT priority FROM {tenant.schema}.tasks LIMIT 0")


def test_an_interrupted_run_resumes_with_the_schemas_it_had_not_reached(client, db, ship):
    done, left = TenantFixture(client, "r1"), TenantFixture(client, "r2")
    [extra] = ship(PRIORITY_COLUMN)
    upgrade_schema(database, done.schema)  # what a run got through before it was killed

    visited = run().by_schema()
    assert done.schema not in visited
    assert visited[left.schema] == [extra]
    assert schema_version(db, left.schema) == (extra, extra, extra)


def test_new_organization_starts_at_the_newest_version(client, db, ship):
    [extra] = ship(PRIORITY_COLUMN)
    tenant = TenantFixture(client, "fresh")
    assert schema_version(db, tenant.schema) == (extra, extra, extra)


def test_failing_migration_leaves_the_schema_at_its_old_version_and_is_recorded(client, db, ship):
    tenant = TenantFixture(client, "broken")
    before = schema_version(db, tenant.schema)
    ship("ALTER TABLE tasks ADD COLUMN x int;", BROKEN)

    summary = run()
    failure = next(o for o in summary.failed if o.schema == tenant.schema)
    assert "no_such_table" in failure.error
    assert schema_version(db, tenant.schema) == before
    with db.cursor() as cur:
        cur.execute("SELECT count(*) FROM information_schema.columns WHERE table_schema = %s AND column_name = 'x'",
                    (tenant.schema,))
        assert cur.fetchone()[0] == 0
        cur.execute("SELECT migration_error FROM public.organizations WHERE schema_name = %s", (tenant.schema,))
        assert "no_such_table" in cur.fetchone()[0]


def test_a_fixed_release_clears_the_recorded_failure(client, db, ship, tmp_path):
    tenant = TenantFixture(client, "fixed")
    [_, broken] = ship("ALTER TABLE tasks ADD COLUMN x int;", BROKEN)
    assert tenant.schema in {o.schema for o in run().failed}
    next(tmp_path.glob(f"sql/tenant/{broken:04d}_*.sql")).write_text("ALTER TABLE tasks ADD COLUMN y int;")
    migrations.migrations.cache_clear()

    assert run().by_schema()[tenant.schema] == [broken - 1, broken]
    with db.cursor() as cur:
        cur.execute("SELECT schema_version, migration_error FROM public.organizations WHERE schema_name = %s",
                    (tenant.schema,))
        assert cur.fetchone() == (broken, None)


def test_a_tenant_whose_schema_is_behind_answers_503_until_migrated(client, ship):
    tenant = TenantFixture(client, "behind")
    ship(PRIORITY_COLUMN)

    response = client.get("/tasks", headers=tenant.headers())
    assert response.status_code == 503
    assert response.json["error"] == "tenant_upgrading"
    assert response.headers["Retry-After"]

    run()
    assert client.get("/tasks", headers=tenant.headers()).status_code == 200


def test_migration_files_are_numbered_without_gaps():
    for kind in ("public", "tenant"):
        versions = [m.version for m in migrations.migrations(kind)]
        assert versions == list(range(1, len(versions) + 1))


def test_migrate_command_reports_each_upgraded_schema_and_a_summary(runner, client, ship):
    tenant = TenantFixture(client, "cli")
    [extra] = ship(PRIORITY_COLUMN)
    result = runner.invoke(args=["migrate", "--jobs", "2"])
    assert result.exit_code == 0, result.output
    assert f"{tenant.schema}: applied {extra}" in result.output
    assert "0 failed" in result.output and "ms per schema" in result.output

    again = runner.invoke(args=["migrate"])
    assert again.exit_code == 0
    assert "0 tenant schemas behind" in again.output


def test_migrate_command_fails_when_a_schema_fails(runner, client, ship):
    tenant = TenantFixture(client, "clifail")
    ship(BROKEN)
    result = runner.invoke(args=["migrate"])
    assert result.exit_code == 1
    assert f"{tenant.schema}: FAILED: UndefinedTable" in result.output


def test_a_start_may_go_on_past_a_failed_tenant_which_then_answers_503(runner, client, ship):
    """What `make run` and compose's migrate do: one broken tenant does not keep the others from being served."""
    broken, fine = TenantFixture(client, "tolerated"), TenantFixture(client, "served")
    broken.add_task("poison")
    ship("ALTER TABLE tasks ADD CONSTRAINT no_poison CHECK (title <> 'poison');")  # fails where such a task exists
    result = runner.invoke(args=["migrate", "--tolerate-tenant-failures"])
    assert result.exit_code == 0, result.output
    assert f"{broken.schema}: FAILED: CheckViolation" in result.output
    assert client.get("/tasks", headers=broken.headers()).json["error"] == "tenant_upgrading"
    assert client.get("/tasks", headers=fine.headers()).status_code == 200


def test_a_second_run_waits_for_the_one_in_progress(app, db):
    waiting = threading.Event()
    finished = []
    with db.cursor() as cur:
        cur.execute("SELECT pg_advisory_lock(%s, %s)", (migrations.LOCK_NAMESPACE, RUN_LOCK))
        thread = threading.Thread(target=lambda: finished.append(run(on_wait=waiting.set)))
        thread.start()
        assert waiting.wait(10)
        thread.join(0.5)
        assert finished == []
        cur.execute("SELECT pg_advisory_unlock(%s, %s)", (migrations.LOCK_NAMESPACE, RUN_LOCK))
    thread.join(10)
    assert len(finished) == 1


def test_a_migration_stuck_behind_a_long_reader_gives_up_and_is_retried(client, db, ship, monkeypatch):
    tenant = TenantFixture(client, "busyread")
    [extra] = ship(PRIORITY_COLUMN)
    monkeypatch.setattr(migrate_run, "LOCK_TIMEOUT", "200ms")
    reader = psycopg2.connect(os.environ["DATABASE_URL"])
    with reader.cursor() as cur:  # an export's transaction, still reading tasks
        cur.execute(f"SELECT count(*) FROM {tenant.schema}.tasks")
        failure = upgrade_schema(database, tenant.schema)
    reader.close()
    assert "lock timeout" in failure.error
    assert upgrade_schema(database, tenant.schema).applied == (extra,)


def test_create_app_on_a_fresh_database_migrates_nothing(app):
    """Every gunicorn worker and flask command builds the app; only `flask migrate` may change the schema."""
    name = f"taskflask_fresh_{uuid.uuid4().hex[:8]}"
    admin_command(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = SERVER_URL.rsplit("/", 1)[0] + "/" + name
    try:
        fresh = create_app({"TESTING": True, "DATABASE_URL": url})
        assert fresh.test_client().get("/readyz").status_code == 200  # it did reach that database
        conn = psycopg2.connect(url)
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace")
                assert cur.fetchone()[0] == 0
        finally:
            conn.close()
    finally:
        database.configure(app.config["DATABASE_URL"], app.config["DB_POOL_MAX"])
        admin_command(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
