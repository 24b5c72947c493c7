"""A transaction entering a tenant's schema: the request's first round trip, or a switch midway."""
from psycopg2 import sql

from taskflask.data.queries import queries, text_of

# Sent after BEGIN and SET LOCAL search_path in one statement (db.begin_statement caches the whole).
CHECK_TENANT = text_of(queries.check_tenant)


def begin_tenant_request(transaction, tenant_id, user_id):
    """Open ``transaction`` (a db.RequestTransaction) with the tenant check in the same round trip.

    Returns the registry's schema_version (None when the organization is gone)
    and the user's role (None without such a user).
    """
    return transaction.begin(CHECK_TENANT, {"tenant_id": tenant_id, "user_id": user_id})


def enter_schema(cur, schema):
    """SET LOCAL search_path to ``schema`` for the rest of the transaction."""
    cur.execute(sql.SQL("SET LOCAL search_path TO {}").format(sql.Identifier(schema)))
