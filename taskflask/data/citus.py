"""What makes a Citus cluster ready: reference tables and distributed tenant schemas."""
from taskflask.data.queries import queries


def is_distributed(cur, table):
    """Whether Citus already holds ``table`` (a reference or distributed table)."""
    return queries.is_distributed(cur.connection, table=table)


def make_reference_table(cur, table):
    """Copy ``table`` to every node, kept in step from now on."""
    queries.create_reference_table(cur.connection, table=table)


def undistributed_schemas(cur):
    """Registered tenant schemas that exist but are not distributed schemas yet."""
    return [row["schema_name"] for row in queries.undistributed_schemas(cur.connection)]


def distribute_schema(cur, schema):
    """Make ``schema`` a distributed schema and empty the coordinator's leftover copy of its rows."""
    queries.distribute_schema(cur.connection, schema=schema)
    queries.drop_local_copies(cur.connection, schema=schema)
