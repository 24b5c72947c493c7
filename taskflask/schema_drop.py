"""Dropping a deleted tenant's schema without exhausting the lock table.

``DROP SCHEMA ... CASCADE`` takes a lock on every table, index, sequence and
TOAST table of the schema in one transaction; the shared lock table holds
``max_locks_per_transaction * max_connections`` of them, so a large tenant
fails with "out of shared memory" (and blocks everyone meanwhile). Here
tables go a few at a time, each batch in its own transaction, then the
nearly empty schema. The registry row is already gone and the schema is
queued in ``public.schema_drops``, so an interrupted drop is finished by
``flask tenants purge``.
"""
import shutil

from psycopg2 import sql

from taskflask import queries
from taskflask.exporter import exports_folder

Q = queries.load("schema_drop")
# Tables per transaction: a table with its indexes, TOAST table, row type and
# constraints takes about 10 locks, so 4 stay under the default 64 per transaction.
TABLES_PER_BATCH = 4


def drop_some_tables(cur, schema, limit=TABLES_PER_BATCH):
    """Drop up to ``limit`` tables of ``schema`` in the caller's transaction; returns how many."""
    cur.execute(Q.some_tables, {"schema": schema, "limit": limit})
    names = [row["name"] for row in cur.fetchall()]
    if names:
        cur.execute(sql.SQL("DROP TABLE IF EXISTS {} CASCADE").format(
            sql.SQL(", ").join(sql.Identifier(schema, name) for name in names)))
    return len(names)


def purge_schema(database, exports_dir, schema, batch=TABLES_PER_BATCH):
    """Drop the tables of ``schema`` batch by batch, its export files, then the schema itself."""
    while True:
        with database.transaction() as cur:
            if not drop_some_tables(cur, schema, batch):
                break
    shutil.rmtree(exports_folder(exports_dir, schema), ignore_errors=True)
    with database.transaction() as cur:
        cur.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
        cur.execute(Q.finish, {"schema": schema})


def pending_drops(database):
    """Schemas of deleted organizations whose drop has not finished."""
    with database.transaction(read_only=True) as cur:
        cur.execute(Q.pending)
        return [row["schema_name"] for row in cur.fetchall()]
