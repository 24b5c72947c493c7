"""Versioned migrations: idempotent, safe to run twice at once, and applied to every tenant."""
import shutil
import threading

import pytest

from conftest import TenantFixture
from taskflask import migrations
from taskflask.db import database


@pytest.fixture
def ship_migration(tmp_path, monkeypatch):
    """Installs a copy of sql/ with one more tenant migration, as the next release would ship."""
    def install():
        shutil.copytree(migrations.SQL_DIR, tmp_path / "sql")
        version = migrations.latest_version("tenant") + 1
        (tmp_path / "sql" / "tenant" / f"{version:04d}_task_priority.sql").write_text(
            "ALTER TABLE tasks ADD COLUMN priority integer NOT NULL DEFAULT 0;")
        monkeypatch.setattr(migrations, "SQL_DIR", tmp_path / "sql")
        migrations.migrations.cache_clear()
        return version
    yield install
    migrations.migrations.cache_clear()


def tenant_version(db, schema):
    with db.cursor() as cur:
        cur.execute(f"SELECT max(version), count(*) FROM {schema}.schema_migrations")
        return cur.fetchone()


def test_migrate_twice_applies_nothing_the_second_time(app, tenant):
    migrations.migrate_all(database)
    again = migrations.migrate_all(database)
    assert again[tenant.schema] == []


def test_new_migration_reaches_every_tenant_once_even_with_two_runs_at_once(client, db, ship_migration):
    tenants = [TenantFixture(client, "m1"), TenantFixture(client, "m2")]
    extra_migration = ship_migration()
    results, failures = [], []

    def run():
        try:
            results.append(migrations.migrate_all(database))
        except Exception as error:  # reported below; a thread cannot fail the test itself
            failures.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    for tenant in tenants:
        applied = [summary[tenant.schema] for summary in results]
        assert sorted(applied, key=len) == [[], [extra_migration]]
        assert tenant_version(db, tenant.schema) == (extra_migration, extra_migration)
        with db.cursor() as cur:
            cur.execute(f"SELECT priority FROM {tenant.schema}.tasks LIMIT 0")


def test_new_organization_starts_at_the_newest_version(client, db, ship_migration):
    extra_migration = ship_migration()
    tenant = TenantFixture(client, "fresh")
    assert tenant_version(db, tenant.schema)[0] == extra_migration


def test_failing_migration_leaves_the_schema_at_its_old_version(client, db, tmp_path, monkeypatch):
    tenant = TenantFixture(client, "broken")
    before = tenant_version(db, tenant.schema)
    shutil.copytree(migrations.SQL_DIR, tmp_path / "sql")
    (tmp_path / "sql" / "tenant" / "9998_ok_part.sql").write_text("ALTER TABLE tasks ADD COLUMN x int;")
    (tmp_path / "sql" / "tenant" / "9999_broken.sql").write_text("ALTER TABLE no_such_table ADD COLUMN y int;")
    monkeypatch.setattr(migrations, "SQL_DIR", tmp_path / "sql")
    migrations.migrations.cache_clear()
    try:
        with pytest.raises(Exception):
            with database.transaction() as cur:
                migrations.migrate_schema(cur, tenant.schema, "tenant")
    finally:
        migrations.migrations.cache_clear()
    assert tenant_version(db, tenant.schema) == before
    with db.cursor() as cur:
        cur.execute("SELECT count(*) FROM information_schema.columns WHERE table_schema = %s AND column_name = 'x'",
                    (tenant.schema,))
        assert cur.fetchone()[0] == 0


def test_migration_files_are_numbered_without_gaps():
    for kind in ("public", "tenant"):
        versions = [m.version for m in migrations.migrations(kind)]
        assert versions == list(range(1, len(versions) + 1))


def test_migrate_command_reports_every_tenant(runner, tenant):
    result = runner.invoke(args=["migrate"])
    assert result.exit_code == 0, result.output
    assert f"{tenant.schema}: up to date" in result.output
