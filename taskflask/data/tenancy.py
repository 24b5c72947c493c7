"""The tenant check: opening a tenant transaction, riding in a read's one statement, or a switch midway."""
from functools import lru_cache

from psycopg2 import sql

from taskflask.data.queries import queries, text_of

# Sent after BEGIN and SET LOCAL search_path in one statement (db.begin_statement caches the whole).
CHECK_TENANT = text_of(queries.check_tenant)
# What a read carries without x-user-id: the registry's half of the check.
CHECK_ORGANIZATION = text_of(queries.check_organization)

# The check's columns beside each row of a read. The check is a subquery without FROM, which the
# planner pulls up: its lookups run once, as InitPlans, with no join. A read of no rows carries
# no check, so then the check is asked alone.
CHECKED_READ = """SELECT tenant.schema_version, tenant.role, q.*
FROM ({check}) AS tenant, (
{read}
) AS q"""


def begin_tenant_request(transaction, tenant_id, user_id):
    """Open ``transaction`` (a db.RequestTransaction) with the tenant check in the same round trip.

    Returns the registry's schema_version (None when the organization is gone)
    and the user's role (None without such a user).
    """
    return transaction.begin(CHECK_TENANT, {"tenant_id": tenant_id, "user_id": user_id})


@lru_cache(maxsize=64)
def checked_read_text(read, check):
    """The SQL text ``read`` (a named query's) carrying the ``check``, composed once per read."""
    return CHECKED_READ.format(check=check, read=read.rstrip().rstrip(";"))


def read_with_tenant_check(database, schema, tenant_id, user_id, query, params):
    """Run aiosql ``query`` (a read) in ``schema`` with the tenant check in the same statement: one round trip,
    two when it finds nothing (the check is then asked alone).

    Returns (the check's row as begin_tenant_request's, the read's rows as
    tuples). ``params`` must not use the check's names, tenant_id and user_id.
    A dropped schema raises UndefinedTable, as the check alone does.
    """
    check = CHECK_TENANT if user_id is not None else CHECK_ORGANIZATION
    check_params = {"tenant_id": tenant_id, "user_id": user_id}
    rows = database.read_once(schema, checked_read_text(query.sql, check), {**params, **check_params})
    schema_version, role = rows[0][:2] if rows else database.read_once(schema, check, check_params)[0]
    return {"schema_version": schema_version, "role": role}, [row[2:] for row in rows]


def enter_schema(cur, schema):
    """SET LOCAL search_path to ``schema`` for the rest of the transaction."""
    cur.execute(sql.SQL("SET LOCAL search_path TO {}").format(sql.Identifier(schema)))
