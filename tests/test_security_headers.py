"""Security headers, CORS for configured origins only, and downloads that cannot be steered."""
import pytest

from support.jobs import run_queued_jobs

ALLOWED_ORIGIN = "http://localhost:5173"


@pytest.mark.parametrize("path", ["/healthz", "/organizations", "/nope", "/docs", "/openapi.json"])
def test_every_response_carries_the_security_headers(client, path):
    headers = client.get(path).headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "script-src 'self'" in headers["Content-Security-Policy"]


def test_api_answers_are_not_cached(client, tenant):
    assert client.get("/tasks", headers=tenant.headers()).headers["Cache-Control"] == "no-store"


def test_cors_only_for_the_configured_origin(client):
    allowed = client.get("/organizations", headers={"Origin": ALLOWED_ORIGIN})
    assert allowed.headers["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN
    assert "Link" in allowed.headers["Access-Control-Expose-Headers"]
    other = client.get("/organizations", headers={"Origin": "http://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers


def test_preflight_from_the_dev_server_succeeds(client):
    response = client.options("/tasks", headers={
        "Origin": ALLOWED_ORIGIN, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type, x-tenant-id, x-user-id"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN
    allowed = response.headers["Access-Control-Allow-Headers"].lower()
    assert "x-tenant-id" in allowed and "x-user-id" in allowed


def test_download_is_an_attachment(client, tenant):
    export_id = client.post("/tasks/export", headers=tenant.as_admin).json["exportId"]
    run_queued_jobs()
    response = client.get(f"/exports/{export_id}/download", headers=tenant.as_admin)
    assert response.headers["Content-Disposition"] == f"attachment; filename=tasks-{export_id}.csv"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", [
    "/exports/../../etc/passwd/download",
    "/exports/..%2F..%2Fetc%2Fpasswd/download",
    "/exports/%2Fetc%2Fpasswd/download",
    "/exports/%252e%252e%252fetc/download",
    "/exports//etc/passwd/download",
    "/exports/00000000-0000-0000-0000-000000000000%2F..%2F..%2Fx/download",
])
def test_downloads_cannot_be_steered_to_another_path(client, tenant, path):
    response = client.get(path, headers=tenant.as_admin)
    assert response.status_code == 404
    assert response.is_json
