"""The SQL of migrating: version records, the schema and run locks, applying a migration's statements.

Which migrations exist and which a schema needs is decided in
taskflask.tenants.migrations; here they run. Each statement of a migration
goes in its own execute (Citus forwards DDL one statement at a time); a new
tenant schema is composed whole (see new_schema_statements).
"""
from psycopg2 import sql

from taskflask.data.queries import queries, text_of
from taskflask.db import begin_statement


def enter_to_migrate(cur, namespace, schema):
    """Hold ``schema``'s migration lock until the transaction ends, enter the schema, and return the
    versions it has recorded (its ``schema_migrations`` created when missing).

    The lock, the search_path and the look for the version table travel in one
    round trip: over thousands of schemas, round trips are most of a run's time.
    """
    cur.execute(sql.SQL(";\n").join([
        sql.SQL(text_of(queries.lock_schema)),
        sql.SQL("SET LOCAL search_path TO {}").format(sql.Identifier(schema)),
        sql.SQL(text_of(queries.version_table_missing)),
    ]), {"namespace": namespace, "schema": schema})
    # Only when missing: the app's role may not create in public.
    if cur.fetchone()["missing"]:
        queries.create_version_table(cur.connection)
    return {row["version"] for row in queries.applied_versions(cur.connection)}


def apply_migrations(cur, pending, tenant_schema=None, tenant_version=None, one_by_one=True):
    """Run the statements of the migrations ``pending`` and record their versions.

    For a tenant schema its registry row gets ``tenant_version`` in the same
    transaction. ``one_by_one``: each statement in its own execute (Citus);
    otherwise all of them travel in one round trip.
    """
    statements = [*(literal_sql(statement) for m in pending for statement in m.statements),
                  sql.SQL(text_of(queries.record_migrations))]
    params = {"versions": [m.version for m in pending], "names": [m.name for m in pending]}
    if tenant_schema is not None:
        statements.append(sql.SQL(text_of(queries.record_tenant_version)))
        params.update(schema=tenant_schema, version=tenant_version)
    run_statements(cur, statements, params, one_by_one)


def record_tenant_version(cur, schema, version):
    """The registry's copy of a tenant's version, set in the migrating transaction."""
    queries.record_tenant_version(cur.connection, schema=schema, version=version)


def record_failure(cur, schema, error):
    """Keep why the last migration of ``schema`` failed, for ``tenants status``."""
    queries.record_migration_failure(cur.connection, schema=schema, error=error)


def set_lock_timeout(cur, timeout):
    """Give up waiting for a table lock after ``timeout`` (e.g. "5s") in this transaction."""
    queries.set_lock_timeout(cur.connection, timeout=timeout)


def schemas_behind(cur, version):
    """Schemas whose registry version is older than ``version``."""
    return [row["schema_name"] for row in queries.schemas_behind(cur.connection, version=version)]


def migration_status(cur):
    """Every organization with its schema version and last migration failure."""
    return list(queries.migration_status(cur.connection))


def literal_sql(text):
    """A fixed SQL text that can travel with %(name)s parameters (its % signs doubled)."""
    return sql.SQL(text.replace("%", "%%"))


def new_schema_statements(schema, body, recorded):
    """The statements creating ``schema`` from the statements ``body``, recording the migrations ``recorded``.

    Returns (statements, params) for run_statements. A new schema needs no
    lock and no look at what it has: it has nothing.
    """
    statements = [
        sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)),
        sql.SQL("SET LOCAL search_path TO {}").format(sql.Identifier(schema)),
        sql.SQL(text_of(queries.create_version_table)),
        *(literal_sql(statement) for statement in body),
        sql.SQL(text_of(queries.record_migrations)),
    ]
    return statements, {"versions": [m.version for m in recorded], "names": [m.name for m in recorded]}


def run_statements(cur, statements, params, one_by_one=False):
    """Execute composed ``statements`` with ``params``: joined in one round trip, or one per execute (Citus)."""
    if one_by_one:
        for statement in statements:
            cur.execute(statement, params)
    else:
        cur.execute(sql.SQL(";\n").join(statements), params)


def begin_holding_run_lock(cur, namespace, key):
    """Open a transaction on ``cur`` that takes the run lock if it is free, in one round trip; True if it got it."""
    cur.execute(begin_statement(first_query=text_of(queries.try_run_lock)), {"namespace": namespace, "key": key})
    return cur.fetchone()[0]


def end_run_transaction(cur):
    """Roll back the transaction begin_holding_run_lock opened, and with it the lock."""
    cur.execute("ROLLBACK")
