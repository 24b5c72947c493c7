"""The tenant registry in public.organizations, and tenant schema creation."""
from psycopg2 import sql

from taskflask import queries
from taskflask.tenants.migrations import new_schema_statements, run_statements

Q = queries.load("organizations")
# Under Citus (CITUS=1) a schema created with this on becomes a distributed schema.
DISTRIBUTE_SCHEMA = "SET LOCAL citus.enable_schema_based_sharding TO on"


def list_organizations(cur):
    """Every organization, oldest first."""
    cur.execute(Q.list)
    return cur.fetchall()


def create_organization(cur, name, schema_name, version=None, distributed=False):
    """Register an organization and create its schema at ``version`` (the newest by default).

    The schema's DDL, its migration records and the registry row travel in
    one round trip; ``distributed`` makes it a Citus distributed schema, whose
    DDL Citus takes one statement per execute. Runs in the caller's
    transaction, so a failure leaves neither row nor schema.
    """
    statements, params, version = new_schema_statements(schema_name, version)
    if distributed:
        statements.insert(0, sql.SQL(DISTRIBUTE_SCHEMA))
    run_statements(cur, [*statements, sql.SQL(Q.insert)],
                   {**params, "name": name, "schema_name": schema_name, "schema_version": version},
                   one_by_one=distributed)
    return cur.fetchone()


def lock_organization(cur, organization_id):
    """The organization, locked against concurrent deletes; None when there is none."""
    cur.execute(Q.lock, {"id": organization_id})
    return cur.fetchone()


def unregister_organization(cur, organization_id, schema_name):
    """Remove the registry row and queue its schema for dropping (schema_drops)."""
    cur.execute(Q.unregister, {"id": organization_id, "schema_name": schema_name})
