"""The tenant check: opening a tenant transaction, riding in a read's one statement, made by the read's
entering function, or a switch midway."""
import logging
import threading
from functools import lru_cache

import psycopg2
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

# A read's entry once its process knows the tenant's schema name (SCHEMA_NAMES): public.enter_tenant_checked
# makes the check itself and refuses with an error (REFUSALS), so the read follows it alone, with no check
# columns: they cost the read more than entering does (bench/profile_get_tasks.py).
ENTER_CHECKED = text_of(queries.enter_tenant_checked) + "; "
REFUSALS = {"TF404": "gone", "TF503": "behind", "TF403": "stranger"}

# Organization id -> schema name, as checks have read them from the registry. An organization's schema never
# changes its name, and a deleted organization is refused by the check whatever this holds, so an entry never
# misleads; it only names the schema for logs and connection recycling: the schema a request enters always
# comes from the registry, in SQL.
SCHEMA_NAMES = {}
SCHEMA_NAMES_LIMIT = 100_000
# Set once this process has read every organization's schema name from the registry, which it does at its first
# read of a tenant it cannot name (known_schema): so after a restart each tenant's first read enters checked too,
# rather than carrying the check beside it. Organizations made later are learnt from their first check.
REGISTRY_READ = threading.Event()
_READING_REGISTRY = threading.Lock()

log = logging.getLogger(__name__)


def remember_schema(tenant_id, schema):
    """Note that ``tenant_id``'s schema is named ``schema`` (None: nothing learnt)."""
    if schema is None:
        return
    if len(SCHEMA_NAMES) >= SCHEMA_NAMES_LIMIT:
        SCHEMA_NAMES.clear()  # bounded: the next read of each tenant learns its name again
    SCHEMA_NAMES[tenant_id] = schema


def known_schema(database, tenant_id):
    """``tenant_id``'s schema name as this process knows it, or None; the first miss reads the whole registry."""
    schema = SCHEMA_NAMES.get(tenant_id)
    if schema is None and not REGISTRY_READ.is_set():
        read_schema_names(database)
        schema = SCHEMA_NAMES.get(tenant_id)
    return schema


def read_schema_names(database):
    """Fill SCHEMA_NAMES from the registry in one query, once per process (27-29 ms for 10,000 organizations).

    A thread that finds another one reading goes on without waiting. If the read fails, the request goes
    on by the check beside its read, which needs no names, and a later miss tries again.
    """
    if not _READING_REGISTRY.acquire(blocking=False):
        return
    try:
        if REGISTRY_READ.is_set():
            return
        with database.transaction(read_only=True) as cur:
            rows = list(queries.schema_names(cur.connection, limit=SCHEMA_NAMES_LIMIT))
        for row in rows:
            remember_schema(row["id"], row["schema_name"])
        REGISTRY_READ.set()
    except psycopg2.Error as error:
        log.warning("could not read the organizations' schema names: %s", error)
    finally:
        _READING_REGISTRY.release()


def refusal(error):
    """Which refusal of enter_tenant_checked a psycopg2 ``error`` is ("gone", "behind", "stranger"), else None."""
    return REFUSALS.get(getattr(error, "pgcode", None))


def begin_tenant_request(transaction, tenant_id, user_id, distributed=False):
    """Open ``transaction`` (a db.RequestTransaction) in the tenant's schema with the tenant check, one round trip.

    Returns the registry's schema_name and schema_version (None when the
    organization is gone) and the user's role (None without such a user).
    ``distributed``: on Citus (CITUS=1).
    """
    opening = ENTER_TENANT + CHECKS[distributed, True]
    row = transaction.begin(opening, {"tenant_id": tenant_id, "user_id": user_id})
    remember_schema(tenant_id, row["schema_name"])
    return row


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
    remember_schema(tenant_id, found[0])
    return dict(zip(CHECK_COLUMNS, found)), rows


@lru_cache(maxsize=64)
def entered_read_message(read):
    """ENTER_CHECKED and the SQL text ``read`` (a named query's), composed once per read."""
    return ENTER_CHECKED + read.rstrip().rstrip(";")


def read_in_known_schema(database, schema, tenant_id, user_id, min_version, query, params):
    """Run aiosql ``query`` (a read) in ``tenant_id``'s schema, named ``schema`` (SCHEMA_NAMES), after
    enter_tenant_checked: one round trip, found rows or not. Returns the read's rows as tuples.

    Raises the psycopg2 error whose refusal() names what the check refused: an unknown or deleted
    organization, a schema older than ``min_version``, a ``user_id`` of no user of it. A registered
    organization whose schema is gone raises UndefinedTable, as the check alone does.
    ``params`` must not use tenant_id, user_id or min_version.
    """
    entering = {"tenant_id": tenant_id, "user_id": user_id, "min_version": min_version}
    return database.read_once(entered_read_message(query.sql), {**params, **entering}, schema=schema)


def enter_schema(cur, schema):
    """SET LOCAL search_path to ``schema`` for the rest of the transaction."""
    cur.execute(sql.SQL("SET LOCAL search_path TO {}").format(sql.Identifier(schema)))
