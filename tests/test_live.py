"""Real processes: gunicorn wsgi:app and huey_consumer huey_worker.huey, driven over HTTP."""
import subprocess
import uuid

import pytest
import requests

from conftest import ROOT, TenantFixture, wait_until

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
        cur.execute(f"""INSERT INTO {tenant.schema}.tasks (title, created_by)
                        SELECT 'bulk ' || i, %s FROM generate_series(1, 20000) AS i""", (tenant.admin["id"],))
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
