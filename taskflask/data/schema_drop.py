"""Dropping a deleted tenant's schema piece by piece: what is left of it, and each DROP.

Every name reaches SQL as an identifier; taskflask.tenants.deletion decides
how much goes in one transaction.
"""
from psycopg2 import sql

from taskflask.data.queries import queries


def is_pending(cur, schema):
    """Whether ``schema`` is queued for dropping and not registered (again): a deleted organization's."""
    return queries.is_pending_drop(cur.connection, schema=schema)


def some_tables(cur, schema, limit):
    """Up to ``limit`` table names of ``schema``, partitions before their parents."""
    return [row["name"] for row in queries.some_tables(cur.connection, schema=schema, limit=limit)]


def drop_tables(cur, schema, names):
    """DROP TABLE ... CASCADE the tables ``names`` of ``schema`` in one statement."""
    cur.execute(sql.SQL("DROP TABLE IF EXISTS {} CASCADE").format(
        sql.SQL(", ").join(sql.Identifier(schema, name) for name in names)))


def next_object(cur, schema):
    """The next object of ``schema`` to drop one at a time (kind, table_name, name), or None."""
    return queries.next_object(cur.connection, schema=schema)


def drop_object(cur, schema, found):
    """Drop what next_object found: a foreign key, an index or a table."""
    table = sql.Identifier(schema, found["table_name"])
    if found["kind"] == "foreign key":
        cur.execute(sql.SQL("ALTER TABLE IF EXISTS {} DROP CONSTRAINT IF EXISTS {}").format(
            table, sql.Identifier(found["name"])))
    elif found["kind"] == "index":
        cur.execute(sql.SQL("DROP INDEX IF EXISTS {}").format(sql.Identifier(schema, found["name"])))
    else:
        cur.execute(sql.SQL("DROP TABLE IF EXISTS {} CASCADE").format(table))


def drop_schema(cur, schema):
    """Drop what is left of ``schema`` (views, types, functions) and its schema_drops entry."""
    cur.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
    queries.finish_drop(cur.connection, schema=schema)


def pending_drops(cur):
    """Schemas queued in schema_drops, oldest request first."""
    return [row["schema_name"] for row in queries.pending_drops(cur.connection)]
