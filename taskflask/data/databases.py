"""Databases of a server, for the launcher's embedded PostgreSQL (on an autocommit connection)."""
from psycopg2 import sql

from taskflask.data.queries import queries


def create_database_if_missing(conn, name):
    """Create database ``name`` unless the server has it (CREATE DATABASE cannot run in a transaction)."""
    if not queries.database_exists(conn, name=name):
        with conn.cursor() as cur:
            cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
