"""Real processes: gunicorn wsgi:app and huey_consumer huey_worker.huey, driven over HTTP."""
import csv
import io
import subprocess
import uuid

import pytest
import requests

from support.environment import ROOT
from support.polling import wait_until
from support.tenants import TenantFixture

pytestmark = pytest.mark.slow


def test_seed_curl_walkthrough_passes(live_server):
    schema = f"acme_{uuid.uuid4().hex[:8]}"
    result = subprocess.run(["bash", str(ROOT / "scripts" / "walkthrough.sh"), live_server.url, schema],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "walk-through OK: 2 tasks exported" in result.stdout


def test_consumer_exports_many_rows(client, live_server, db):
    tenant = TenantFixture(client, "live")
    with db.cursor() as cur:
        cur.execute(f"""INSERT INTO {tenant.schema}.tasks (title, created_by, created_by_name)
                        SELECT 'bulk ' || i, %s, %s FROM generate_series(1, 20000) AS i""",
                    (tenant.admin["id"], tenant.admin["name"]))
    started = requests.post(f"{live_server.url}/tasks/export", headers=tenant.as_admin, timeout=10)
    assert started.status_code == 202
    export_url = f"{live_server.url}/exports/{started.json()['exportId']}"

    def finished():
        export = requests.get(export_url, headers=tenant.as_admin, timeout=10).json()
        return export if export["status"] in ("completed", "failed") else None

    export = wait_until(finished, timeout=60, message="the export to finish")
    assert (export["status"], export["rowCount"]) == ("completed", 20000)
    download = requests.get(live_server.url + export["fileUrl"], headers=tenant.as_admin, timeout=30)
    titles = {line.split(",")[1] for line in download.text.splitlines()[1:]}
    assert titles == {f"bulk {i}" for i in range(1, 20001)}


def test_a_10_kb_header_gets_a_clear_json_error(live_server):
    response = requests.get(f"{live_server.url}/tasks", headers={"x-tenant-id": "a" * 10_240}, timeout=10)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_header"


def test_twenty_exports_across_five_tenants_each_hold_only_their_rows(client, db, live_server):
    """Five tenants with 1,000 tagged tasks each; four rounds of five concurrent exports (one
    running export per tenant is the rule), run by the real consumer."""
    tenants = [TenantFixture(client, f"x{i}") for i in range(5)]
    with db.cursor() as cur:
        for tenant in tenants:
            cur.execute(f"""INSERT INTO {tenant.schema}.tasks (title, description, created_by, created_by_name)
                            SELECT 'task ' || i, 'tag ' || %s, %s, %s FROM generate_series(1, 1000) AS i""",
                        (tenant.schema, tenant.admin["id"], tenant.admin["name"]))
    downloads = 0
    for _ in range(4):
        started = [(tenant, requests.post(f"{live_server.url}/tasks/export", headers=tenant.as_admin,
                                          timeout=10).json()["exportId"]) for tenant in tenants]
        for tenant, export_id in started:
            def done():
                export = requests.get(f"{live_server.url}/exports/{export_id}", headers=tenant.as_admin,
                                      timeout=10).json()
                return export if export["status"] in ("completed", "failed") else None
            export = wait_until(done, timeout=60, message="an export to finish")
            assert (export["status"], export["rowCount"]) == ("completed", 1000)
            body = requests.get(live_server.url + export["fileUrl"], headers=tenant.as_admin, timeout=10).text
            rows = list(csv.DictReader(io.StringIO(body)))
            assert len(rows) == 1000
            assert {row["description"] for row in rows} == {f"tag {tenant.schema}"}
            downloads += 1
    assert downloads == 20
