"""A tenant request's statements are never JIT-compiled, however large its tenant.

Their plans cost every phase they might run, growing with the table (a search's
58,875-66,641 at 4,000,000 tasks), so a few million more cross jit_above_cost
(100,000), and compiling it would take 30-55 ms of a 3-12 ms search. Here a pool whose sessions have
jit_above_cost = 0 stands in for that tenant: every plan crosses it.
"""
from types import SimpleNamespace

import pytest

from support.environment import CITUS_DIR, DIRECT_DATABASE_URL, not_on_citus
from taskflask.data.queries import queries, text_of
from taskflask.data.tenancy import begin_tenant_request, read_in_known_schema, read_with_tenant_check
from taskflask.db import RequestTransaction
from taskflask.tenants.migrations import latest_version

EVERY_PLAN_CROSSES = "options=-c%20jit_above_cost%3D0"
SEARCH = {"status": None, "pattern": "%report%", "limit": 101, "after_created_at": None, "after_id": None}


@pytest.fixture
def eager_jit(database_at, db):
    """A pool on the test database whose sessions would compile every plan (needs a server with JIT on)."""
    with db.cursor() as cur:
        cur.execute("SELECT pg_jit_available() AND current_setting('jit')::boolean")
        if not cur.fetchone()[0]:
            pytest.skip("this server has no JIT, or has it off")
    separator = "&" if "?" in DIRECT_DATABASE_URL else "?"
    return database_at(DIRECT_DATABASE_URL + separator + EVERY_PLAN_CROSSES, maxsize=1)


# A read (as the query objects of data.queries) of the search's plan, run for real, as one JSON row.
EXPLAINED_SEARCH = SimpleNamespace(sql="EXPLAIN (ANALYZE, FORMAT JSON) " + text_of(queries.search_tasks))


def compiled(document):
    """Whether EXPLAIN's JSON document says the statement was JIT-compiled."""
    return "JIT" in document[0]


@not_on_citus("the statement is planned again on the tenant's worker")
def test_a_search_outside_a_tenant_request_is_compiled_on_that_pool(eager_jit, tenant):
    """The control: the same statement in a plain transaction of that pool is compiled."""
    tenant.add_task("weekly report")
    with eager_jit.transaction(tenant.schema) as cur:
        cur.execute(EXPLAINED_SEARCH.sql, SEARCH)
        assert compiled(cur.fetchone()["QUERY PLAN"])


@not_on_citus("the statement is planned again on the tenant's worker")
def test_a_search_in_a_read_entered_checked_is_not_compiled(eager_jit, tenant):
    tenant.add_task("weekly report")
    [(document,)] = read_in_known_schema(eager_jit, tenant.schema, tenant.id, tenant.member["id"],
                                         latest_version("tenant"), EXPLAINED_SEARCH, SEARCH)
    assert not compiled(document)


@not_on_citus("the statement is planned again on the tenant's worker")
def test_a_search_in_a_request_transaction_is_not_compiled(eager_jit, tenant):
    tenant.add_task("weekly report")
    transaction = RequestTransaction(eager_jit)
    try:
        begin_tenant_request(transaction, tenant.id, tenant.member["id"])
        transaction.cursor.execute(EXPLAINED_SEARCH.sql, SEARCH)
        assert not compiled(transaction.cursor.fetchone()["QUERY PLAN"])
    finally:
        transaction.release()


@pytest.mark.parametrize("entry", ["checked", "check beside", "transaction"])
def test_every_entry_turns_jit_off_for_its_transaction_only(eager_jit, tenant, entry):
    """The read with the check beside it wraps the read in a subquery (no EXPLAIN there): it reads the setting."""
    setting = SimpleNamespace(sql="SELECT current_setting('jit')")
    if entry == "checked":
        [(jit,)] = read_in_known_schema(eager_jit, tenant.schema, tenant.id, None, latest_version("tenant"),
                                        setting, {})
    elif entry == "check beside":
        _, [(jit, *_)] = read_with_tenant_check(eager_jit, tenant.id, None, setting, {}, distributed=bool(CITUS_DIR))
    else:
        transaction = RequestTransaction(eager_jit)
        try:
            begin_tenant_request(transaction, tenant.id, None, distributed=bool(CITUS_DIR))
            transaction.cursor.execute(setting.sql)
            jit = transaction.cursor.fetchone()["current_setting"]
        finally:
            transaction.release()
    assert jit == "off"
    with eager_jit.connection() as conn, conn.cursor() as cur:  # the pool's one connection, after the request
        cur.execute("SHOW jit")
        assert cur.fetchone()[0] == "on"
