"""The tenant check: opening a tenant transaction, riding in a read's one statement, or a switch midway."""
from functools import lru_cache

from psycopg2 import sql

from taskflask.data.queries import queries, text_of

# Sets the search_path to the tenant's schema from the registry (pg_catalog for an unknown tenant), and the
# schema's name and version for the check; PostgreSQL resolves the names of the next statement of the
# message only once this one has run.
ENTER_TENANT = text_of(queries.enter_tenant) + "; "
# The check's text by (on Citus, with x-user-id): without a user it looks up no user; on Citus it reads the
# registry itself, since there it runs on the tenant's worker node (see tenancy.sql).
CHECKS = {
    (False, True): text_of(queries.check_tenant),
    (False, False): text_of(queries.check_organization),
    (True, True): text_of(queries.check_tenant_in_registry),
    (True, False): text_of(queries.check_organization_in_registry),
}

# The check's columns after each row of a read (so the read's columns keep their places and its rows
# need no copying). The check is one row, computed once (OFFSET 0 keeps it a subquery of its own, not
# expressions evaluated again for every row) and joined to every row of the read. A read of no rows
# carries no check, so then the check is asked alone.
CHECKED_READ = """SELECT q.*, tenant.schema_name, tenant.schema_version, tenant.role
FROM ({check} OFFSET 0) AS tenant, (
{read}
) AS q"""
CHECK_COLUMNS = ("schema_name", "schema_version", "role")


def begin_tenant_request(transaction, tenant_id, user_id, distributed=False):
    """Open ``transaction`` (a db.RequestTransaction) in the tenant's schema with the tenant check, one round trip.

    Returns the registry's schema_name and schema_version (None when the
    organization is gone) and the user's role (None without such a user).
    ``distributed``: on Citus (CITUS=1).
    """
    opening = ENTER_TENANT + CHECKS[distributed, True]
    return transaction.begin(opening, {"tenant_id": tenant_id, "user_id": user_id})


@lru_cache(maxsize=64)
def checked_read_message(read, check):
    """ENTER_TENANT and the SQL text ``read`` (a named query's) carrying the ``check``, composed once per read."""
    return ENTER_TENANT + CHECKED_READ.format(check=check, read=read.rstrip().rstrip(";"))


def read_with_tenant_check(database, tenant_id, user_id, query, params, distributed=False):
    """Run aiosql ``query`` (a read) in the tenant's schema with the tenant check in the same message: one round
    trip, two when it finds nothing (the check is then asked alone).

    Returns (the check's row as begin_tenant_request's, the read's rows as
    tuples, which end in the check's columns). ``params`` must not use the
    check's names, tenant_id and user_id.
    A dropped schema or unknown tenant raises UndefinedTable, as the check alone does.
    """
    check = CHECKS[distributed, user_id is not None]
    check_params = {"tenant_id": tenant_id, "user_id": user_id}
    rows = database.read_once(checked_read_message(query.sql, check), {**params, **check_params},
                              schema_column=-len(CHECK_COLUMNS))
    found = rows[0][-len(CHECK_COLUMNS):] if rows else database.read_once(ENTER_TENANT + check, check_params)[0]
    return dict(zip(CHECK_COLUMNS, found)), rows


def enter_schema(cur, schema):
    """SET LOCAL search_path to ``schema`` for the rest of the transaction."""
    cur.execute(sql.SQL("SET LOCAL search_path TO {}").format(sql.Identifier(schema)))
