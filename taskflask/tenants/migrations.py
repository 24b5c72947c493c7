"""Versioned migrations: numbered SQL files for public (sql/public) and tenants (sql/tenant).

Each schema records what it has in its own ``schema_migrations`` table, and
the registry (``public.organizations.schema_version``) keeps a copy of each
tenant's version in the same transaction, so one query finds the schemas
that need work. A schema is migrated in one transaction under an advisory
lock keyed by its name, so two processes migrating at once wait for each
other instead of colliding, and a crash leaves a schema at its old version
or its new one.

On Citus each statement of a migration goes to the server in its own
execute: Citus forwards DDL on a distributed schema to its worker as query
text over the extended protocol, which takes one statement at a time. On
plain PostgreSQL a tenant's pending migrations travel in one round trip.

A new tenant schema is not built by replaying every migration: it is made
from sql/tenant/baseline.sql, the current shape written out by hand, and
recorded as having every migration up to the baseline's version.
"""
import re
from dataclasses import dataclass
from functools import cache

from taskflask.data import migrations as migration_sql
from taskflask.settings import PROJECT_ROOT

SQL_DIR = PROJECT_ROOT / "sql"
FILE_NAME = re.compile(r"(\d{4})_(\w+)\.sql")
# sql/tenant/baseline.sql: not a migration; its "-- version: N" line says which migrations it stands for.
BASELINE_FILE = "baseline.sql"
BASELINE_VERSION = re.compile(r"^--\s*version:\s*(\d+)\s*$", re.MULTILINE)
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
        if path.name == BASELINE_FILE:
            continue
        match = FILE_NAME.fullmatch(path.name)
        if not match:
            raise RuntimeError(f"migration file name not like 0001_name.sql: {path}")
        found.append(Migration(int(match[1]), match[2], split_statements(path.read_text())))
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise RuntimeError(f"two {kind} migrations share a version number")
    return tuple(found)


@dataclass(frozen=True)
class Baseline:
    """The tenant schema as migrations 1..version leave it, as statements."""

    version: int
    statements: tuple


@cache
def read_baseline(path):
    """The baseline in ``path`` (cached per path, as migrations() is per SQL_DIR)."""
    text = path.read_text()
    match = BASELINE_VERSION.search(text)
    if not match:
        raise RuntimeError(f"{path} has no '-- version: N' line")
    return Baseline(int(match[1]), split_statements(text))


def tenant_baseline():
    """The baseline new tenant schemas are built from."""
    return read_baseline(SQL_DIR / "tenant" / BASELINE_FILE)


def latest_version(kind):
    """The newest version of ``kind``, 0 when there is none."""
    return migrations(kind)[-1].version if migrations(kind) else 0


def migrate_schema(cur, schema, kind, target=None, one_by_one=True):
    """Bring ``schema`` to version ``target`` (the newest by default) inside the caller's transaction.

    A tenant's registry row gets its new version in the same transaction.
    ``one_by_one`` sends each statement in its own execute (what Citus needs);
    without it the pending migrations and their records travel in one round
    trip, which is most of a schema's time in a run over thousands of them.
    Returns the versions applied (empty when it was already up to date).
    """
    applied = migration_sql.enter_to_migrate(cur, LOCK_NAMESPACE, schema)
    pending = [m for m in migrations(kind)
               if m.version not in applied and (target is None or m.version <= target)]
    if not pending:
        return []
    done = [m.version for m in pending]
    migration_sql.apply_migrations(cur, pending, tenant_schema=schema if kind == "tenant" else None,
                                   tenant_version=max(applied | set(done)), one_by_one=one_by_one)
    return done


def new_schema_statements(schema, version=None):
    """The statements creating ``schema`` at ``version`` (the newest by default), for run_statements.

    Returns (statements, params, version). A new schema needs no lock and no
    look at what it has: it has nothing. It starts from the baseline unless
    ``version`` is older than the baseline (a backup of an older release),
    then takes the migrations the baseline does not cover; the schema records
    every migration up to ``version`` either way.
    """
    chosen = [m for m in migrations("tenant") if version is None or m.version <= version]
    baseline = tenant_baseline()
    if version is None or version >= baseline.version:
        body = [*baseline.statements, *(s for m in chosen if m.version > baseline.version for s in m.statements)]
    else:
        body = [s for m in chosen for s in m.statements]
    statements, params = migration_sql.new_schema_statements(schema, body, chosen)
    return statements, params, max(params["versions"], default=0)


def migrate_public(database):
    """Create or upgrade the shared tables in ``public``."""
    with database.transaction() as cur:
        return migrate_schema(cur, "public", "public")
