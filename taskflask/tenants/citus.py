"""A Citus cluster made ready for taskflask: the registry a reference table, every tenant a distributed schema.

A migrate run with CITUS=1 does this after the public migrations, so one
command takes a database from one PostgreSQL to a cluster, and running it
again changes nothing. New organizations are distributed as they are
created (``citus.enable_schema_based_sharding``); this catches the schemas
that predate CITUS=1.
"""
import psycopg2

from taskflask.data.citus import distribute_schema, is_distributed, make_reference_table, undistributed_schemas
from taskflask.failures import describe

# Public tables that a tenant's queries join: a copy on every node lets the
# tenant check (registry row and user in one statement) run on the tenant's worker.
REFERENCE_TABLES = ("public.organizations",)


def make_reference_tables(database):
    """Make each of REFERENCE_TABLES a reference table unless Citus holds it already; returns those made."""
    made = []
    with database.transaction() as cur:
        for table in REFERENCE_TABLES:
            if not is_distributed(cur, table):
                make_reference_table(cur, table)
                made.append(table)
    return made


def distribute_schemas(database):
    """Distribute every tenant schema that is not a distributed schema yet, one per transaction.

    Each schema's rows are copied to a worker; the coordinator's copy is
    emptied. Returns {schema: None once distributed, else why Citus refused it}.
    """
    with database.transaction(read_only=True) as cur:
        schemas = undistributed_schemas(cur)
    results = {}
    for schema in schemas:
        try:
            with database.transaction() as cur:
                distribute_schema(cur, schema)
            results[schema] = None
        except psycopg2.Error as error:  # one schema Citus refuses must not stop the others
            if error.pgcode is None:  # the connection broke: not this schema's doing
                raise
            results[schema] = describe(error, limit=1000)
    return results
