"""Dropping a deleted tenant's schema without exhausting the lock table.

``DROP SCHEMA ... CASCADE`` takes a lock on every table, index, sequence and
TOAST table of the schema in one transaction; the shared lock table holds
``max_locks_per_transaction * max_connections`` of them, so a large tenant
fails with "out of shared memory" (and blocks everyone meanwhile). Here
tables go a few at a time, each batch in its own transaction, then the
nearly empty schema. The registry row is already gone and the schema is
queued in ``public.schema_drops``; a background job (taskflask.tenants.jobs)
does the dropping, and ``flask tenants purge`` finishes a drop that job never
ran or left halfway. Every statement tolerates an object that is already
gone, so the job and a purge may meet on one schema.

On Citus a table costs several times that: its worker holds the table twice
(the shell and the shard, each with its indexes and constraints) and Citus
locks its own catalogs, so one table with five indexes takes about 75 locks
there. A distributed schema therefore goes one object per transaction:
foreign keys first, then indexes, then each bare table.
"""
import shutil
from functools import partial

from taskflask.data import schema_drop
from taskflask.exports.files import exports_folder

# Tables per transaction: a table with its indexes, TOAST table, row type and
# constraints takes about 10 locks, so 4 stay under the default 64 per transaction.
TABLES_PER_BATCH = 4


def drop_some_tables(cur, schema, limit=TABLES_PER_BATCH):
    """Drop up to ``limit`` tables of ``schema`` in the caller's transaction; returns how many."""
    names = schema_drop.some_tables(cur, schema, limit)
    if names:
        schema_drop.drop_tables(cur, schema, names)
    return len(names)


def drop_next_object(cur, schema):
    """Drop one object of ``schema`` (a foreign key, else an index, else a table); returns how many (0 or 1)."""
    found = schema_drop.next_object(cur, schema)
    if found is None:
        return 0
    schema_drop.drop_object(cur, schema, found)
    return 1


def purge_schema(database, exports_dir, schema, batch=TABLES_PER_BATCH, citus=False):
    """Drop the tables of ``schema`` batch by batch, its export files, then the schema itself.

    Only a schema still queued for dropping and no longer registered: a job
    that runs late must not touch a new organization that took the name once
    the drop had finished. Returns whether it dropped anything.
    ``citus``: one object per transaction (see above).
    """
    with database.transaction(read_only=True) as cur:
        if not schema_drop.is_pending(cur, schema):
            return False
    drop_batch = drop_next_object if citus else partial(drop_some_tables, limit=batch)
    while True:
        with database.transaction() as cur:
            if not drop_batch(cur, schema):
                break
    shutil.rmtree(exports_folder(exports_dir, schema), ignore_errors=True)
    with database.transaction() as cur:
        schema_drop.drop_schema(cur, schema)
    return True


def pending_drops(database):
    """Schemas of deleted organizations whose drop has not finished."""
    with database.transaction(read_only=True) as cur:
        return schema_drop.pending_drops(cur)
