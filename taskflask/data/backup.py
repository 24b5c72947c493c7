"""Reading a tenant's tables for a backup, and loading them back: catalog lookups and COPY.

Schema, table and column names reach SQL only as identifiers.
"""
from psycopg2 import sql

from taskflask.data.queries import queries


def read_in_one_snapshot(cur):
    """Make the rest of the (just opened) transaction see one snapshot (REPEATABLE READ)."""
    cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")


def organization_name(cur, schema):
    """The name of the organization whose schema is ``schema``, or None."""
    return queries.backup_organization(cur.connection, schema=schema)


def schema_version(cur):
    """The current schema's migration version (0 with none recorded)."""
    return queries.backup_version(cur.connection)


def table_names(cur, schema):
    """The data tables of ``schema`` (partitions are read through their parent)."""
    return [row["name"] for row in queries.backup_tables(cur.connection, schema=schema)]


def references(cur, schema):
    """(table, referenced table) pairs of the foreign keys inside ``schema``."""
    return [(row["name"], row["referenced"]) for row in queries.backup_references(cur.connection, schema=schema)]


def columns_of(cur, schema, table):
    """The stored columns of a table, in order (generated ones are recomputed on load)."""
    return [row["name"] for row in queries.backup_columns(cur.connection, schema=schema, table=table)]


def _copy_statement(schema, table, columns, direction):
    """``COPY schema.table (columns) TO STDOUT`` or ``FROM STDIN``."""
    return sql.SQL("COPY {} ({}) " + direction).format(
        sql.Identifier(schema, table), sql.SQL(", ").join(map(sql.Identifier, columns)))


def copy_out(cur, schema, table, columns, out):
    """Write the table's rows in COPY text format to the binary file ``out``; returns how many."""
    cur.copy_expert(_copy_statement(schema, table, columns, "TO STDOUT"), out)
    return cur.rowcount


def copy_in(cur, schema, table, columns, rows):
    """Load rows in COPY text format from the binary file ``rows`` into the table."""
    cur.copy_expert(_copy_statement(schema, table, columns, "FROM STDIN"), rows)
