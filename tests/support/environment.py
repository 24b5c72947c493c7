"""This run's database, Huey queue and export folder, set in the environment at import.

TEST_CITUS_DIR names a running cluster of ../shared/citus/cluster.sh: the run's
database is then made on every node and the app runs on its coordinator with
CITUS=1. TEST_POOLER_URL (make test-pgbouncer) sends the app through a pooler
such as postgresql://postgres@127.0.0.1:6432; the database is still made directly.
"""
import os
import subprocess
import tempfile
import uuid
from pathlib import Path

import psycopg2
import pytest
from psycopg2 import sql

RUN_ID = uuid.uuid4().hex[:10]
ROOT = Path(__file__).resolve().parents[2]
CITUS_DIR = os.environ.get("TEST_CITUS_DIR")
CLUSTER_SH = Path(os.environ.get("CITUS_CLUSTER_SH", ROOT.parent / "shared" / "citus" / "cluster.sh"))
if CITUS_DIR:
    os.environ["CITUS"] = "1"
    os.environ["TEST_POSTGRES_URL"] = subprocess.check_output(
        [str(CLUSTER_SH), "url", CITUS_DIR], text=True).strip()
SERVER_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
TEST_DATABASE = f"taskflask_test_{RUN_ID}"
EXPORTS_DIR = Path(tempfile.mkdtemp(prefix=f"taskflask-exports-{RUN_ID}-"))
# The queue of the real gunicorn and huey_consumer processes; in-process tests run jobs from their own.
LIVE_HUEY_NAME = f"taskflask-test-{RUN_ID}-live"
POOLER_URL = os.environ.get("TEST_POOLER_URL", "").rstrip("/")


def database_url(name):
    """The URL of database ``name`` on the test server (directly, not through a pooler)."""
    return SERVER_URL.rsplit("/", 1)[0] + "/" + name


DIRECT_DATABASE_URL = database_url(TEST_DATABASE)

os.environ.update(
    DATABASE_URL=f"{POOLER_URL}/{TEST_DATABASE}" if POOLER_URL else DIRECT_DATABASE_URL,
    REDIS_URL=os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0"),
    HUEY_NAME=f"taskflask-test-{RUN_ID}",
    EXPORTS_DIR=str(EXPORTS_DIR),
)


def not_on_citus(reason):
    """Skip a test in the Citus pass, saying why it means nothing there."""
    return pytest.mark.skipif(bool(CITUS_DIR), reason=f"not on Citus: {reason}")


def admin_command(statement):
    """Run one statement on the server's maintenance database (CREATE/DROP DATABASE)."""
    conn = psycopg2.connect(SERVER_URL)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(statement)
    finally:
        conn.close()


def create_test_database():
    """This run's database: on every node of the Citus cluster, or on the one server."""
    if CITUS_DIR:
        subprocess.run([str(CLUSTER_SH), "createdb", CITUS_DIR, TEST_DATABASE], check=True)
    else:
        create_database(TEST_DATABASE)


def drop_test_database():
    """Drop this run's database wherever create_test_database made it."""
    if CITUS_DIR:
        subprocess.run([str(CLUSTER_SH), "dropdb", CITUS_DIR, TEST_DATABASE], check=True)
    else:
        drop_database(TEST_DATABASE)


def create_database(name):
    """An empty database ``name`` on the test server (not on Citus workers)."""
    admin_command(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(name):
    admin_command(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
