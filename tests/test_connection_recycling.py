"""Pooled connections are replaced by their RecyclePolicy: after N distinct tenant schemas, or once old.

Each test watches the backend's pid: a replaced connection is a new PostgreSQL backend.
"""
import time

import pytest

from support.environment import DIRECT_DATABASE_URL
from support.tenants import TenantFixture, unique_schema
from taskflask.db import NO_RECYCLING, Database, RecyclePolicy
from taskflask.db import database as app_database
from taskflask.settings import Settings


def backend_pid(database, schema=None):
    """The pid of the backend that ran one transaction in ``schema``."""
    with database.transaction(schema=schema, read_only=True) as cur:
        cur.execute("SELECT pg_backend_pid() AS pid")
        return cur.fetchone()["pid"]


@pytest.fixture
def pool_of_one():
    """A Database of one pooled connection with the given policy (so each transaction gets that one)."""
    made = []

    def make(policy):
        database = Database()
        database.configure(DIRECT_DATABASE_URL, maxsize=1, recycle=policy)
        made.append(database)
        return database

    yield make
    for database in made:
        database.close()


def test_a_connection_is_replaced_after_its_nth_distinct_schema_and_not_before(pool_of_one):
    database = pool_of_one(RecyclePolicy(max_schemas=3))
    a, b, c = (unique_schema("r") for _ in range(3))
    first = backend_pid(database, a)
    # Two distinct schemas, however often: the same backend.
    assert [backend_pid(database, schema) for schema in (b, a, b, a)] == [first] * 4
    # The third distinct one is still served by it; then it is closed.
    assert backend_pid(database, c) == first
    second = backend_pid(database, a)
    assert second != first
    # The new connection starts counting afresh.
    assert [backend_pid(database, schema) for schema in (b, a)] == [second] * 2


def test_transactions_without_a_tenant_schema_do_not_count(pool_of_one):
    database = pool_of_one(RecyclePolicy(max_schemas=2))
    first = backend_pid(database, unique_schema("r"))
    assert [backend_pid(database) for _ in range(10)] == [first] * 10


def test_a_connection_is_replaced_once_older_than_its_lifetime_and_not_before(pool_of_one):
    database = pool_of_one(RecyclePolicy(lifetime=1.5))
    started = time.monotonic()
    first = backend_pid(database, unique_schema("r"))
    while time.monotonic() - started < 1.0:
        assert backend_pid(database, unique_schema("r")) == first
        time.sleep(0.1)
    time.sleep(max(0.0, 1.6 - (time.monotonic() - started)))
    # It grew old while idle in the pool: replaced when next taken out.
    second = backend_pid(database)
    assert second != first
    assert backend_pid(database) == second


def test_without_a_policy_one_connection_serves_every_schema(pool_of_one):
    database = pool_of_one(NO_RECYCLING)
    first = backend_pid(database, unique_schema("r"))
    assert {backend_pid(database, unique_schema("r")) for _ in range(50)} == {first}


def test_the_api_replaces_a_connection_after_it_served_the_limit_of_tenants(app, client):
    tenants = [TenantFixture(client, prefix) for prefix in ("x", "y", "z")]
    app_database.configure(app.config["DATABASE_URL"], maxsize=1, recycle=RecyclePolicy(max_schemas=2))
    try:
        def pid_after(tenant):
            assert client.get("/tasks", headers=tenant.as_member).status_code == 200
            with app_database.connection() as conn:  # the one pooled connection that served it
                return conn.info.backend_pid

        first = pid_after(tenants[0])
        assert pid_after(tenants[0]) == first
        assert pid_after(tenants[1]) != first  # its second tenant: closed after serving it
        third = pid_after(tenants[2])
        assert pid_after(tenants[2]) == third != first
    finally:
        app_database.configure(app.config["DATABASE_URL"], app.config["DB_POOL_MAX"],
                               RecyclePolicy(app.config["DB_CONNECTION_MAX_SCHEMAS"],
                                             app.config["DB_CONNECTION_LIFETIME"]))


@pytest.mark.parametrize("env, schemas, lifetime", [
    ({}, 40, 3600.0),
    ({"DB_CONNECTION_MAX_SCHEMAS": "0", "DB_CONNECTION_LIFETIME": "0"}, 0, 0.0),
    ({"DB_CONNECTION_MAX_SCHEMAS": "100", "DB_CONNECTION_LIFETIME": "15m"}, 100, 900.0),
])
def test_the_policy_comes_from_the_environment(env, schemas, lifetime):
    config = Settings(env)
    assert (config.DB_CONNECTION_MAX_SCHEMAS, config.DB_CONNECTION_LIFETIME) == (schemas, lifetime)
