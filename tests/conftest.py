"""Fixtures: one fresh PostgreSQL database and one Huey queue name per test run.

The helpers they build on live in tests/support; importing it points the
environment at this run's database and queue before taskflask is imported
(the Huey instance reads its settings at import time, as the consumer does).
"""
import os
import shutil

import psycopg2
import pytest
from huey import RedisHuey

from support.environment import (
    CITUS_DIR,
    DIRECT_DATABASE_URL,
    EXPORTS_DIR,
    LIVE_HUEY_NAME,
    create_test_database,
    drop_test_database,
)
from support.pools import names_of_the_app_pool, pool_at
from support.processes import LiveServer
from support.tenants import TenantFixture
from taskflask.db import database as app_database
from taskflask.queue import huey
from taskflask.tenants import migrations
from taskflask.tenants.migrate_run import migrate_tenants
from taskflask.web.app import create_app


@pytest.fixture(scope="session", autouse=True)
def test_database():
    """Create this run's database, drop it (and the queue keys and files) at the end."""
    create_test_database()
    yield os.environ["DATABASE_URL"]
    app_database.close()
    huey.storage.flush_all()
    RedisHuey(LIVE_HUEY_NAME, connection_pool=huey.storage.pool).storage.flush_all()
    drop_test_database()
    shutil.rmtree(EXPORTS_DIR, ignore_errors=True)


@pytest.fixture(scope="session")
def app(test_database):
    """The app on the test database, migrated first as a deployment does (create_app never migrates)."""
    migrate_tenants(test_database, citus=bool(CITUS_DIR))
    return create_app({"TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db(app):
    """A direct connection to the test database, for checking state behind the API."""
    conn = psycopg2.connect(DIRECT_DATABASE_URL)
    conn.autocommit = True
    yield conn
    conn.close()


@pytest.fixture(autouse=True)
def empty_queue():
    """Each test starts with this run's queue empty, whatever jobs an earlier test left waiting."""
    huey.flush()


@pytest.fixture
def tenant(client):
    return TenantFixture(client, "a")


@pytest.fixture
def other_tenant(client):
    return TenantFixture(client, "b")


@pytest.fixture
def database_at():
    """``database_at(url, maxsize=2)``: a fresh taskflask.db.Database on ``url``, closed when the test ends."""
    made = []

    def make(url, maxsize=2):
        made.append(pool_at(url, maxsize))
        return made[-1]
    yield make
    for database in made:
        database.close()


@pytest.fixture
def point_app_at(monkeypatch):
    """``point_app_at(database)``: requests and in-process jobs use ``database`` until the test ends.

    The process's own pool is left as it is, and is back in use afterwards.
    """
    def point(database):
        for module, attribute in names_of_the_app_pool():
            monkeypatch.setattr(module, attribute, database)
        return database
    return point


@pytest.fixture
def ship(tmp_path, monkeypatch):
    """Installs a copy of sql/ with more tenant migrations, as the next release would ship.

    ``ship(sql_a, sql_b, ...)`` adds them after the newest; returns their versions.
    """
    shutil.copytree(migrations.SQL_DIR, tmp_path / "sql")
    monkeypatch.setattr(migrations, "SQL_DIR", tmp_path / "sql")

    def install(*statements):
        first = migrations.latest_version("tenant") + 1
        for version, text in enumerate(statements, start=first):
            (tmp_path / "sql" / "tenant" / f"{version:04d}_shipped_{version}.sql").write_text(text)
        migrations.migrations.cache_clear()
        return list(range(first, first + len(statements)))
    yield install
    migrations.migrations.cache_clear()


@pytest.fixture(scope="session")
def live_server(app, tmp_path_factory):
    """A real deployment of this run: gunicorn wsgi:app + huey_consumer huey_worker.huey."""
    server = LiveServer(tmp_path_factory.mktemp("live-logs"))
    try:  # a start that times out must not leave its processes running
        server.start()
        yield server
    finally:
        server.stop()
