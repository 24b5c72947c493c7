"""Who may create and delete organizations and add users: an organization's admin, and the operator key."""
import uuid

import pytest

from support.tenants import TenantFixture, unique_schema
from taskflask.web.app import create_app
from taskflask.web.operator_key import exposure_warning

KEY = "s3cret-operator-key"


def delete(client, tenant, headers, body=None):
    return client.delete(f"/organizations/{tenant.id}", json=body or {"schemaName": tenant.schema}, headers=headers)


def test_deleting_needs_an_admin_of_that_organization(client, tenant, other_tenant):
    attempts = [
        ({}, 400),                                                            # anonymous
        ({"x-tenant-id": tenant.id}, 400),                                    # no user
        (tenant.as_member, 403),                                              # a member
        ({"x-tenant-id": tenant.id, "x-user-id": other_tenant.admin["id"]}, 403),  # another tenant's admin
        (other_tenant.as_admin, 403),                                         # x-tenant-id of another org
        ({"x-tenant-id": tenant.id, "x-user-id": str(uuid.uuid4())}, 403),    # nobody
    ]
    for headers, status in attempts:
        response = delete(client, tenant, headers)
        assert response.status_code == status, (headers, response.json)
    assert client.get("/tasks", headers=tenant.headers()).status_code == 200
    assert delete(client, tenant, tenant.as_admin).status_code == 200
    assert client.get("/tasks", headers=tenant.headers()).status_code == 404


def test_the_admin_still_has_to_repeat_the_schema_name(client, tenant):
    response = delete(client, tenant, tenant.as_admin, {"schemaName": "not_" + tenant.schema})
    assert (response.status_code, response.json["error"]) == (409, "confirmation_mismatch")


@pytest.fixture(scope="module")
def keyed_client(app):
    """The same database, served by an app that has an operator key."""
    return create_app({"TESTING": True, "ADMIN_TOKEN": KEY}).test_client()


def bearer(key=KEY):
    return {"Authorization": f"Bearer {key}"}


def test_with_a_key_tenant_management_needs_it(keyed_client):
    schema = unique_schema("key")
    body = {"name": "Keyed", "schemaName": schema}
    for headers in ({}, bearer("wrong"), bearer(KEY + "x"), {"Authorization": KEY}, {"Authorization": "Basic " + KEY},
                    bearer("é")):
        response = keyed_client.post("/organizations", json=body, headers=headers)
        assert response.status_code == 401, headers
        assert response.json["error"] == "unauthorized"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert all(o["schemaName"] != schema for o in keyed_client.get("/organizations").json)

    created = keyed_client.post("/organizations", json=body, headers={"Authorization": f"bearer  {KEY} "})
    assert created.status_code == 201
    org_id = created.json["id"]
    user = {"name": "Ann", "email": "ann@example.com", "role": "admin"}
    assert keyed_client.post(f"/organizations/{org_id}/users", json=user).status_code == 401
    admin = keyed_client.post(f"/organizations/{org_id}/users", json=user, headers=bearer()).json
    as_admin = {"x-tenant-id": org_id, "x-user-id": admin["id"]}
    confirmation = {"schemaName": schema}
    assert keyed_client.delete(f"/organizations/{org_id}", json=confirmation, headers=as_admin).status_code == 401
    assert keyed_client.delete(f"/organizations/{org_id}", json=confirmation,
                               headers={**bearer(), "x-tenant-id": org_id}).status_code == 400
    assert keyed_client.delete(f"/organizations/{org_id}", json=confirmation,
                               headers={**as_admin, **bearer()}).status_code == 200


def test_with_a_key_tenant_work_and_reading_need_no_key(keyed_client, client):
    tenant = TenantFixture(client, "keyless")
    assert keyed_client.get("/organizations").status_code == 200
    assert keyed_client.get(f"/organizations/{tenant.id}/users").status_code == 200
    assert keyed_client.post("/tasks", json={"title": "x"}, headers=tenant.as_member).status_code == 201


def test_the_document_declares_the_key_where_it_is_needed(keyed_client, client):
    keyed = keyed_client.get("/openapi.json").json
    assert keyed["components"]["securitySchemes"]["operatorKey"] == {
        **keyed["components"]["securitySchemes"]["operatorKey"], "type": "http", "scheme": "bearer"}
    guarded = {(path, method) for path, operations in keyed["paths"].items()
               for method, operation in operations.items() if operation.get("security")}
    assert guarded == {("/organizations", "post"), ("/organizations/{organization_id}", "delete"),
                       ("/organizations/{organization_id}/users", "post")}
    for path, method in guarded:
        assert keyed["paths"][path][method]["security"] == [{"operatorKey": []}]
        assert "401" in keyed["paths"][path][method]["responses"]
    delete_parameters = {p["name"]: p["required"] for p in keyed["paths"]["/organizations/{organization_id}"]["delete"]
                         ["parameters"] if p["in"] == "header"}
    assert delete_parameters == {"x-tenant-id": True, "x-user-id": True}

    open_document = client.get("/openapi.json").json  # no key: the routes are open, and it says so
    assert "operatorKey" in open_document["components"]["securitySchemes"]
    assert not any(operation.get("security") or "401" in operation["responses"]
                   for operations in open_document["paths"].values() for operation in operations.values())


@pytest.mark.parametrize("addresses, key, warns", [
    ([("0.0.0.0", 3001)], "", True),
    ([("::", 3001)], "", True),
    ([("192.168.1.5", 3001)], "", True),
    ([("api.example.com", 3001)], "", True),
    ([("127.0.0.1", 3001), ("0.0.0.0", 3002)], "", True),
    ([("0.0.0.0", 3001)], KEY, False),
    ([("127.0.0.1", 3001)], "", False),
    ([("::1", 3001)], "", False),
    ([("localhost", 3001)], "", False),
    (["/run/taskflask.sock"], "", False),
])
def test_listening_beyond_loopback_without_a_key_is_warned_about(addresses, key, warns):
    warning = exposure_warning(addresses, key)
    assert bool(warning) == warns
    if warns:
        assert "ADMIN_TOKEN" in warning
