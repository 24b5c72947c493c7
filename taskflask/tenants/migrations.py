"""Versioned migrations: numbered SQL files for public (sql/public) and tenants (sql/tenant).

Each schema records what it has in its own ``schema_migrations`` table, and
the registry (``public.organizations.schema_version``) keeps a copy of each
tenant's version in the same transaction, so one query finds the schemas
that need work. A schema is migrated in one transaction under an advisory
lock keyed by its name, so two processes migrating at once wait for each
other instead of colliding, and a crash leaves a schema at its old version
or its new one.

Each statement of a migration goes to the server in its own execute: Citus
forwards DDL on a distributed schema to its worker as query text over the
extended protocol, which takes one statement at a time.
"""
import re
from dataclasses import dataclass
from functools import cache

from taskflask.data import migrations as migration_sql
from taskflask.data.tenancy import enter_schema
from taskflask.settings import PROJECT_ROOT

SQL_DIR = PROJECT_ROOT / "sql"
FILE_NAME = re.compile(r"(\d{4})_(\w+)\.sql")
# What a ";" inside does not end: dollar-quoted bodies, literals, quoted names, comments.
NOT_A_SEPARATOR = re.compile(r"\$(\w*)\$.*?\$\1\$|'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|/\*.*?\*/|;", re.DOTALL)
# First key of taskflask's advisory locks; the second is the schema's hash.
LOCK_NAMESPACE = 0x7A5C


@dataclass(frozen=True)
class Migration:
    """One numbered SQL file."""

    version: int
    name: str
    statements: tuple


def split_statements(text):
    """The statements of a SQL text, in order, without their ";" (comment-only parts dropped)."""
    found, start = [], 0
    for match in NOT_A_SEPARATOR.finditer(text):
        if match.group(0) == ";":
            found.append(text[start:match.start()])
            start = match.end()
    found.append(text[start:])
    return tuple(part.strip() for part in found if NOT_A_SEPARATOR.sub("", part).strip())


@cache
def migrations(kind):
    """The migrations of ``kind`` ("public" or "tenant"), oldest first."""
    found = []
    for path in sorted((SQL_DIR / kind).glob("*.sql")):
        match = FILE_NAME.fullmatch(path.name)
        if not match:
            raise RuntimeError(f"migration file name not like 0001_name.sql: {path}")
        found.append(Migration(int(match[1]), match[2], split_statements(path.read_text())))
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise RuntimeError(f"two {kind} migrations share a version number")
    return tuple(found)


def latest_version(kind):
    """The newest version of ``kind``, 0 when there is none."""
    return migrations(kind)[-1].version if migrations(kind) else 0


def migrate_schema(cur, schema, kind, target=None):
    """Bring ``schema`` to version ``target`` (the newest by default) inside the caller's transaction.

    A tenant's registry row gets its new version in the same transaction.
    Returns the versions applied (empty when it was already up to date).
    """
    migration_sql.lock_schema(cur, LOCK_NAMESPACE, schema)
    enter_schema(cur, schema)
    applied = migration_sql.applied_versions(cur)
    done = []
    for migration in migrations(kind):
        if migration.version in applied or (target is not None and migration.version > target):
            continue
        migration_sql.apply_migration(cur, migration)
        done.append(migration.version)
    if done and kind == "tenant":
        migration_sql.record_tenant_version(cur, schema, max(applied | set(done)))
    return done


def new_schema_statements(schema, version=None):
    """The statements creating ``schema`` at ``version`` (the newest by default), for run_statements.

    Returns (statements, params, version).
    """
    chosen = [m for m in migrations("tenant") if version is None or m.version <= version]
    statements, params = migration_sql.new_schema_statements(schema, chosen)
    return statements, params, max(params["versions"], default=0)


def migrate_public(database):
    """Create or upgrade the shared tables in ``public``."""
    with database.transaction() as cur:
        return migrate_schema(cur, "public", "public")
