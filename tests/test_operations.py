"""Health probes, request ids, the OpenAPI document and the route table."""
import uuid

import pytest
from redis import Redis

from support.tenants import TenantFixture
from taskflask.queue import huey, redis_pool
from taskflask.web.openapi.spec import documented_routes

UNDOCUMENTED_BLUEPRINTS = {"spa", "openapi"}


def test_healthz_answers_without_touching_services(client):
    response = client.get("/healthz")
    assert (response.status_code, response.json) == (200, {"status": "ok"})


def test_readyz_checks_postgres_and_redis(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json["checks"] == {"postgres": "ok", "redis": "ok"}


def test_readyz_names_what_is_down(client, monkeypatch, database_at, point_app_at):
    monkeypatch.setattr(huey.storage, "conn", Redis(connection_pool=redis_pool("redis://127.0.0.1:1/0")))
    point_app_at(database_at("postgresql://postgres@127.0.0.1:1/none?connect_timeout=1", maxsize=1))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"] == {"postgres": "down", "redis": "down"}
    assert "PostgreSQL" in response.json["message"] and "Redis" in response.json["message"]


def test_request_id_is_echoed_or_made(client):
    assert client.get("/healthz", headers={"X-Request-ID": "abc-123"}).headers["X-Request-ID"] == "abc-123"
    made = client.get("/healthz", headers={"X-Request-ID": "bad id with spaces; and more"}).headers["X-Request-ID"]
    assert len(made) == 32 and made.isalnum()


def test_every_api_route_is_documented(app, client):
    spec = client.get("/openapi.json").json
    assert spec["openapi"] == "3.1.0"
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] in UNDOCUMENTED_BLUEPRINTS:
            continue
        path = rule.rule.replace("<uuid:", "{").replace(">", "}")
        assert path in spec["paths"], f"{rule.rule} is missing from /openapi.json"
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert method.lower() in spec["paths"][path], f"{method} {rule.rule} is not documented"


def test_tenant_headers_are_declared_as_uuids(client):
    operation = client.get("/openapi.json").json["paths"]["/tasks"]["post"]
    headers = {p["name"]: p for p in operation["parameters"] if p["in"] == "header"}
    assert headers["x-tenant-id"]["schema"] == {"type": "string", "format": "uuid"}
    assert headers["x-user-id"]["required"] is True
    assert {"400", "403", "404", "503"} <= set(operation["responses"])


def test_docs_page_lists_every_path(client):
    page = client.get("/docs").get_data(as_text=True)
    for path in client.get("/openapi.json").json["paths"]:
        assert path in page


def admin_routes(app):
    return [(rule, method) for rule, method, operation in documented_routes(app) if operation.access == "admin"]


def test_there_are_admin_routes(app):
    assert len(admin_routes(app)) >= 4


def test_a_member_gets_403_on_every_admin_route(app, client):
    tenant = TenantFixture(client, "acl")
    for rule, method in admin_routes(app):
        path = rule.rule.replace("<uuid:export_id>", str(uuid.uuid4())).replace("<uuid:organization_id>", tenant.id)
        response = client.open(path, method=method, headers=tenant.as_member)
        assert response.status_code == 403, f"{method} {rule.rule} answered {response.status_code} to a member"


@pytest.mark.parametrize("access, headers_for", [
    ("tenant", lambda t: {}), ("user", lambda t: t.headers()), ("admin", lambda t: t.headers()),
])
def test_routes_refuse_callers_without_the_declared_headers(app, client, access, headers_for):
    tenant = TenantFixture(client, "hdr")
    for rule, method, operation in documented_routes(app):
        if operation.access != access:
            continue
        path = rule.rule.replace("<uuid:task_id>", str(uuid.uuid4())).replace("<uuid:export_id>", str(uuid.uuid4()))
        path = path.replace("<uuid:organization_id>", tenant.id)
        response = client.open(path, method=method, headers=headers_for(tenant), json={})
        assert response.status_code == 400 and response.json["error"] == "missing_header", (method, rule.rule)


def test_every_link_names_an_operation_and_its_parameters(client):
    """Links are promises too: their target exists and takes each parameter they fill in."""
    document = client.get("/openapi.json").json
    operations = {operation["operationId"]: operation for operations in document["paths"].values()
                  for operation in operations.values()}
    links = [link for operation in operations.values() for response in operation["responses"].values()
             for link in response.get("links", {}).values()]
    assert len(links) >= 10
    for link in links:
        target = operations[link["operationId"]]
        names = {(p["in"], p["name"]) for p in target["parameters"]}
        for name in link["parameters"]:
            where, _, parameter = name.rpartition(".")
            assert (where or "path", parameter) in names, (link["operationId"], name)
