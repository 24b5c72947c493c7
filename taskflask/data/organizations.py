"""The tenant registry in public.organizations, and tenant schema creation."""
import re

from psycopg2 import sql

from taskflask.data.migrations import run_statements
from taskflask.data.queries import queries, text_of
from taskflask.tenants.migrations import new_schema_statements

# Under Citus (CITUS=1) a schema created with this on becomes a distributed schema.
DISTRIBUTE_SCHEMA = "SET LOCAL citus.enable_schema_based_sharding TO on"
TRIGRAM = re.compile(r"[^\W_]{3}")


def list_organizations(cur):
    """Every organization, oldest first."""
    return list(queries.list_organizations(cur.connection))


def like_pattern(text):
    """An ILIKE pattern matching ``text`` anywhere, its own %, _ and \\ taken literally."""
    return "%" + re.sub(r"([\\%_])", r"\\\1", text) + "%"


def has_trigram(text):
    """Whether pg_trgm finds a trigram in ``text`` for its indexes: three letters or digits in a row."""
    return TRIGRAM.search(text) is not None


def search_organizations(cur, q, limit, after=None):
    """Up to ``limit`` organizations whose name or schema name contains ``q`` (any case; all when empty),
    in name order, after the (name, id) key ``after``.

    Returns (organizations, the key of the page's last one when more follow, else None).
    """
    after_name, after_id = after or (None, None)
    query = queries.search_organizations_by_trigrams if q and has_trigram(q) else queries.search_organizations
    rows = list(query(cur.connection, pattern=like_pattern(q) if q else None, limit=limit + 1,
                      after_name=after_name, after_id=after_id))
    next_key = (rows[limit - 1]["name"], rows[limit - 1]["id"]) if len(rows) > limit else None
    return rows[:limit], next_key


def get_organization(cur, organization_id):
    """One organization, or None."""
    return queries.get_organization(cur.connection, id=organization_id)


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
    run_statements(cur, [*statements, sql.SQL(text_of(queries.insert_organization))],
                   {**params, "name": name, "schema_name": schema_name, "schema_version": version},
                   one_by_one=distributed)
    return cur.fetchone()


def tenant_schemas(cur):
    """Every tenant schema named in the registry."""
    return [row["schema_name"] for row in queries.tenant_schemas(cur.connection)]


def schema_by_id_or_name(cur, key):
    """The schema of the organization whose id or schema name is ``key``, or None."""
    return queries.schema_by_id_or_name(cur.connection, key=key)


def lock_organization(cur, organization_id):
    """The organization, locked against concurrent deletes; None when there is none."""
    return queries.lock_organization(cur.connection, id=organization_id)


def unregister_organization(cur, organization_id, schema_name):
    """Remove the registry row and queue its schema for dropping (schema_drops)."""
    queries.unregister_organization(cur.connection, id=organization_id, schema_name=schema_name)
