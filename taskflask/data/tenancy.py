"""The tenant check: the first round trip of a tenant transaction, the companion of a single read, or a switch midway."""
from functools import lru_cache

from psycopg2 import sql

from taskflask.data.queries import queries, text_of

# Sent after BEGIN and SET LOCAL search_path in one statement (db.begin_statement caches the whole).
CHECK_TENANT = text_of(queries.check_tenant)

# The check's one row beside each row of a read (the read's columns NULL, found among them, when it has none).
# A LATERAL join on true can only be a nested loop over the check's row, so the read's rows keep their order.
CHECKED_READ = """SELECT tenant.schema_version, tenant.role, page.*
FROM ({check}) AS tenant
LEFT JOIN LATERAL (SELECT true AS found, q.* FROM (
{read}
) AS q) AS page ON true"""


def begin_tenant_request(transaction, tenant_id, user_id):
    """Open ``transaction`` (a db.RequestTransaction) with the tenant check in the same round trip.

    Returns the registry's schema_version (None when the organization is gone)
    and the user's role (None without such a user).
    """
    return transaction.begin(CHECK_TENANT, {"tenant_id": tenant_id, "user_id": user_id})


@lru_cache(maxsize=64)
def checked_read_text(read):
    """The SQL text ``read`` (a named query's) carrying the tenant check, composed once per read."""
    return CHECKED_READ.format(check=CHECK_TENANT, read=read.rstrip().rstrip(";"))


def read_with_tenant_check(database, schema, tenant_id, user_id, query, params):
    """Run aiosql ``query`` (a read) in ``schema`` with the tenant check in the same statement: one round trip.

    Returns (the check's row as begin_tenant_request's, the read's rows as
    tuples). ``params`` must not use the check's names, tenant_id and user_id.
    A dropped schema raises UndefinedTable, as the check alone does.
    """
    rows = database.read_once(schema, checked_read_text(query.sql),
                              {**params, "tenant_id": tenant_id, "user_id": user_id})
    schema_version, role, found = rows[0][:3]
    return {"schema_version": schema_version, "role": role}, [row[3:] for row in rows] if found else []


def enter_schema(cur, schema):
    """SET LOCAL search_path to ``schema`` for the rest of the transaction."""
    cur.execute(sql.SQL("SET LOCAL search_path TO {}").format(sql.Identifier(schema)))
