"""The tenant registry in public.organizations, and tenant schema creation."""
from psycopg2 import sql

from taskflask import queries
from taskflask.migrations import migrate_schema

Q = queries.load("organizations")


def list_organizations(cur):
    """Every organization, oldest first."""
    cur.execute(Q.list)
    return cur.fetchall()


def create_organization(cur, name, schema_name):
    """Register an organization and create its schema at the newest version.

    Runs in the caller's transaction, so a failure leaves neither row nor schema.
    """
    cur.execute(Q.insert, {"name": name, "schema_name": schema_name})
    organization = cur.fetchone()
    cur.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema_name)))
    migrate_schema(cur, schema_name, "tenant")
    return organization
