"""New tenants are built from sql/tenant/baseline.sql: it must give the very schema a replay of every migration gives.

If a migration is added without bringing the baseline to the same shape (and
raising its ``-- version:`` line), these fail: see sql/tenant/README.md.
"""
import re
import shutil

import pytest

from support.environment import CITUS_DIR, EXPORTS_DIR
from support.tenants import schema_exists, unique_schema
from taskflask.data.organizations import create_organization, unregister_organization
from taskflask.db import database
from taskflask.tenants import migrations
from taskflask.tenants.deletion import purge_schema
from taskflask.tenants.migrations import latest_version, migrate_schema, new_schema_statements, tenant_baseline

# Every part of a schema that a migration can create, read from pg_catalog. The schema's own
# name, which pg_get_*def prints before its objects, is replaced by "tenant" afterwards.
SHAPE = {
    "relations": """
        SELECT c.relname, c.relkind::text, c.relpersistence::text FROM pg_class c
        WHERE c.relnamespace = %(schema)s::regnamespace ORDER BY 1""",
    "columns": """
        SELECT c.relname, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
               pg_get_expr(d.adbin, d.adrelid), a.attidentity::text, a.attgenerated::text,
                a.attcollation::regcollation::text
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE c.relnamespace = %(schema)s::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
          AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY 1, 2""",
    "constraints": """
        SELECT c.relname, k.conname, k.contype::text, pg_get_constraintdef(k.oid), k.convalidated, k.condeferrable
        FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
        WHERE k.connamespace = %(schema)s::regnamespace ORDER BY 1, 2""",
    "indexes": """
        SELECT c.relname, i.relname, pg_get_indexdef(x.indexrelid)
        FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
        WHERE c.relnamespace = %(schema)s::regnamespace ORDER BY 1, 2""",
    "sequences": """
        SELECT c.relname, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmax, s.seqmin, s.seqcycle
        FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid
        WHERE c.relnamespace = %(schema)s::regnamespace ORDER BY 1""",
    "functions": """
        SELECT p.proname, pg_get_function_identity_arguments(p.oid), pg_get_functiondef(p.oid)
        FROM pg_proc p WHERE p.pronamespace = %(schema)s::regnamespace ORDER BY 1, 2""",
    "triggers": """
        SELECT c.relname, t.tgname, pg_get_triggerdef(t.oid)
        FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        WHERE c.relnamespace = %(schema)s::regnamespace AND NOT t.tgisinternal ORDER BY 1, 2""",
    "views": """
        SELECT c.relname, pg_get_viewdef(c.oid) FROM pg_class c
        WHERE c.relnamespace = %(schema)s::regnamespace AND c.relkind IN ('v', 'm') ORDER BY 1""",
    "types": """
        SELECT t.typname, t.typtype::text FROM pg_type t
        WHERE t.typnamespace = %(schema)s::regnamespace AND t.typrelid = 0 ORDER BY 1""",
}


def shape(schema):
    """{part: rows} of ``schema``, with its name replaced by "tenant" (read with search_path pg_catalog)."""
    own_name = re.compile(rf'(?<![\w"])"?{re.escape(schema)}"?\.')
    found = {}
    with database.transaction(read_only=True) as cur:
        for part, query in SHAPE.items():
            cur.execute(query, {"schema": schema})
            found[part] = [tuple(own_name.sub("tenant.", v) if isinstance(v, str) else v for v in row.values())
                           for row in cur.fetchall()]
        cur.execute(f'SELECT version, name FROM "{schema}".schema_migrations ORDER BY version')
        found["schema_migrations"] = [tuple(row.values()) for row in cur.fetchall()]
    return found


@pytest.fixture
def new_tenant(app, db):
    """``new_tenant(prefix, version=None)``: a new organization's schema at ``version`` (the baseline's by default).

    Each is deleted after the test as the app deletes one (unregistered, then dropped), and none may be left:
    a schema left behind, at an old version, would be work for the next migrate run of another test.
    """
    made = []

    def make(prefix, version=None):
        """A new organization's schema, remembered for the deletion."""
        schema = unique_schema(prefix)
        with database.transaction() as cur:
            organization = create_organization(cur, f"Baseline test {prefix}", schema, version=version,
                                               distributed=bool(CITUS_DIR))
        made.append((organization["id"], schema))
        return schema
    yield make
    for organization_id, schema in made:
        with database.transaction() as cur:
            unregister_organization(cur, organization_id, schema)
        purge_schema(database, EXPORTS_DIR, schema, citus=bool(CITUS_DIR))
    assert [schema for _, schema in made if schema_exists(db, schema)] == []


def create_by_replaying_migrations(new_tenant):
    """An organization whose schema starts empty and is upgraded by every migration, as an old tenant was."""
    schema = new_tenant("replayed", version=0)
    with database.transaction() as cur:
        assert migrate_schema(cur, schema, "tenant") == list(range(1, latest_version("tenant") + 1))
    return schema


def baseline_problem():
    """Why the baseline does not stand for the newest migration, or None."""
    if tenant_baseline().version != latest_version("tenant"):
        return ("a tenant migration is newer than sql/tenant/baseline.sql: write its change into the "
                "baseline and raise the baseline's '-- version:' line (sql/tenant/README.md)")
    return None


def creating_statements():
    """The texts new_schema_statements() sends for a new schema at the newest version."""
    statements, params, version = new_schema_statements("any_schema")
    assert version == latest_version("tenant") and params["versions"] == list(range(1, version + 1))
    return " ".join(statement.string for statement in statements if hasattr(statement, "string"))


def test_the_baseline_stands_for_the_newest_migration():
    assert baseline_problem() is None, baseline_problem()


def test_a_new_schema_is_built_from_the_baseline_without_replaying_migrations():
    assert "ALTER TABLE" not in creating_statements().upper()  # the migrations alter; the baseline creates


def test_a_migration_added_without_the_baseline_is_caught(tmp_path, monkeypatch):
    shutil.copytree(migrations.SQL_DIR, tmp_path / "sql")
    monkeypatch.setattr(migrations, "SQL_DIR", tmp_path / "sql")
    next_version = latest_version("tenant") + 1
    (tmp_path / "sql" / "tenant" / f"{next_version:04d}_task_priority.sql").write_text(
        "ALTER TABLE tasks ADD COLUMN priority integer;\n")
    migrations.migrations.cache_clear()
    try:
        assert baseline_problem() is not None
        assert "ALTER TABLE tasks ADD COLUMN priority" in creating_statements()  # still right, but replayed
    finally:
        migrations.migrations.cache_clear()


def test_a_schema_built_from_the_baseline_is_identical_to_one_built_by_every_migration(new_tenant):
    built, replayed = shape(new_tenant("built")), shape(create_by_replaying_migrations(new_tenant))
    assert {"users", "tasks", "exports"} <= {row[0] for row in built["relations"]}
    for part in (*SHAPE, "schema_migrations"):
        assert built[part] == replayed[part], f"{part} differ between the baseline and the migrations"


def test_the_comparison_sees_a_difference(new_tenant):
    schema = new_tenant("built")
    before = shape(schema)
    with database.transaction() as cur:
        cur.execute(f'ALTER TABLE "{schema}".tasks ALTER COLUMN status SET DEFAULT \'completed\'')
        cur.execute(f'CREATE INDEX tasks_title_idx ON "{schema}".tasks (title)')
    after = shape(schema)
    assert before["columns"] != after["columns"]
    assert before["indexes"] != after["indexes"]


def test_a_schema_older_than_the_baseline_is_made_by_its_migrations(new_tenant):
    """What a restore of an older release's backup starts from, before migrating to the newest."""
    old = shape(new_tenant("older", version=1))
    assert old["schema_migrations"] == [(1, "initial")]
    assert "queued_at" not in {row[2] for row in old["columns"] if row[0] == "exports"}
