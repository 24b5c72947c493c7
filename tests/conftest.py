"""Fixtures: one fresh PostgreSQL database and one Huey queue name per test run.

The environment is set before taskflask is imported, because the Huey
instance reads its settings at import time (as the consumer does).
"""
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg2
import pytest
import requests
from huey import RedisHuey
from psycopg2 import sql

RUN_ID = uuid.uuid4().hex[:10]
ROOT = Path(__file__).resolve().parent.parent
# TEST_CITUS_DIR names a running cluster of ../shared/citus/cluster.sh: the run's
# database is created on every node and the app runs on its coordinator with CITUS=1.
CITUS_DIR = os.environ.get("TEST_CITUS_DIR")
CLUSTER_SH = Path(os.environ.get("CITUS_CLUSTER_SH", ROOT.parent / "shared" / "citus" / "cluster.sh"))
if CITUS_DIR:
    os.environ["CITUS"] = "1"
    os.environ["TEST_POSTGRES_URL"] = subprocess.check_output(
        [str(CLUSTER_SH), "url", CITUS_DIR], text=True).strip()
SERVER_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
TEST_DATABASE = f"taskflask_test_{RUN_ID}"
EXPORTS_DIR = Path(tempfile.mkdtemp(prefix=f"taskflask-exports-{RUN_ID}-"))
LIVE_HUEY_NAME = f"taskflask-test-{RUN_ID}-live"
DIRECT_DATABASE_URL = SERVER_URL.rsplit("/", 1)[0] + "/" + TEST_DATABASE
# TEST_POOLER_URL (make test-pgbouncer): the app reaches the test database through this
# pooler, e.g. postgresql://postgres@127.0.0.1:6432; the database is still created directly.
POOLER_URL = os.environ.get("TEST_POOLER_URL", "").rstrip("/")

os.environ.update(
    DATABASE_URL=f"{POOLER_URL}/{TEST_DATABASE}" if POOLER_URL else DIRECT_DATABASE_URL,
    REDIS_URL=os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0"),
    HUEY_NAME=f"taskflask-test-{RUN_ID}",
    EXPORTS_DIR=str(EXPORTS_DIR),
)

from taskflask.db import database as app_database  # noqa: E402
from taskflask.exports.jobs import huey  # noqa: E402
from taskflask.web.app import create_app  # noqa: E402


def not_on_citus(reason):
    """Skip a test in the Citus pass, saying why it means nothing there."""
    return pytest.mark.skipif(bool(CITUS_DIR), reason=f"not on Citus: {reason}")


def create_test_database():
    """This run's database: on every node of the Citus cluster, or on the one server."""
    if CITUS_DIR:
        subprocess.run([str(CLUSTER_SH), "createdb", CITUS_DIR, TEST_DATABASE], check=True)
    else:
        admin_command(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(TEST_DATABASE)))


def drop_test_database():
    """Drop this run's database wherever create_test_database made it."""
    if CITUS_DIR:
        subprocess.run([str(CLUSTER_SH), "dropdb", CITUS_DIR, TEST_DATABASE], check=True)
    else:
        admin_command(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(TEST_DATABASE)))


def admin_command(statement):
    """Run one statement on the server's maintenance database (CREATE/DROP DATABASE)."""
    conn = psycopg2.connect(SERVER_URL)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(statement)
    finally:
        conn.close()


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
    """The app, with public and tenant migrations applied to the test database."""
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


def unique_schema(prefix="t"):
    """A schema name no other test uses."""
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


class TenantFixture:
    """An organization with one admin and one member, and their request headers."""

    def __init__(self, client, prefix="t"):
        self.client = client
        response = client.post("/organizations", json={"name": "Org " + prefix, "schemaName": unique_schema(prefix)})
        assert response.status_code == 201, response.json
        self.org = response.json
        self.id = self.org["id"]
        self.schema = self.org["schemaName"]
        self.admin = self.add_user("Alice", "admin")
        self.member = self.add_user("Bob", "member")

    def add_user(self, name, role):
        email = f"{name.lower()}.{uuid.uuid4().hex[:6]}@example.com"
        response = self.client.post(f"/organizations/{self.id}/users",
                                    json={"name": name, "email": email, "role": role})
        assert response.status_code == 201, response.json
        return response.json

    def headers(self, user=None):
        """Headers of a request as ``user`` (None: tenant header only)."""
        headers = {"x-tenant-id": self.id}
        if user is not None:
            headers["x-user-id"] = user["id"]
        return headers

    @property
    def as_admin(self):
        return self.headers(self.admin)

    @property
    def as_member(self):
        return self.headers(self.member)

    def add_task(self, title="A task", description=None, user=None):
        response = self.client.post("/tasks", json={"title": title, "description": description},
                                    headers=self.headers(user or self.member))
        assert response.status_code == 201, response.json
        return response.json


@pytest.fixture
def tenant(client):
    return TenantFixture(client, "a")


@pytest.fixture
def other_tenant(client):
    return TenantFixture(client, "b")


def run_queued_jobs():
    """Execute every job waiting in this run's real Redis queue, in this process."""
    waiting = huey.pending_count()  # dequeue() on an empty queue would block for a second
    for _ in range(waiting):
        huey.execute(huey.dequeue())
    return waiting


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition, timeout=20.0, interval=0.1, message="condition"):
    """Poll ``condition`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {message}")


class LiveServer:
    """gunicorn (API + built frontend) and a huey_consumer, as separate real processes."""

    def __init__(self, log_dir):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_dir = log_dir
        self.processes = {}

    def start(self):
        bin_dir = Path(sys.executable).parent
        self.processes["gunicorn"] = self._spawn(
            "gunicorn", [str(bin_dir / "gunicorn"), "--config", str(ROOT / "gunicorn.conf.py"),
                         "--bind", f"127.0.0.1:{self.port}", "--workers", "2", "--graceful-timeout", "5",
                         "wsgi:app"])
        self.start_consumer()
        wait_until(self._ready, message="gunicorn to answer")

    def start_consumer(self):
        self.processes["huey"] = self._spawn(
            "huey", [str(Path(sys.executable).parent / "huey_consumer"), "huey_worker.huey",
                     "--workers", "2", "--worker-type", "thread"])

    def stop_consumer(self, sig=signal.SIGINT, timeout=30):
        process = self.processes.pop("huey")
        process.send_signal(sig)
        process.wait(timeout=timeout)

    def _spawn(self, name, argv):
        log = open(self.log_dir / f"{name}.log", "ab")
        # A queue of its own: the in-process tests run their jobs by hand from theirs.
        env = dict(os.environ, HUEY_NAME=LIVE_HUEY_NAME)
        return subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)

    def _ready(self):
        try:
            return requests.get(self.url + "/organizations", timeout=1).status_code == 200
        except (requests.ConnectionError, requests.Timeout):  # a busy machine's workers may still be booting
            return False

    def stop(self):
        for process in self.processes.values():
            process.send_signal(signal.SIGINT if process is self.processes.get("huey") else signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture(scope="session")
def live_server(app, tmp_path_factory):
    """A real deployment of this run: gunicorn wsgi:app + huey_consumer huey_worker.huey."""
    server = LiveServer(tmp_path_factory.mktemp("live-logs"))
    server.start()
    yield server
    server.stop()
