"""Every error is JSON with the right status, and leaves nothing half-written."""
import uuid

import pytest


def assert_json_error(response, status, code=None):
    assert response.status_code == status
    assert response.is_json, response.data[:200]
    assert set(response.json) >= {"error", "message"}
    if code:
        assert response.json["error"] == code


def test_body_over_one_mebibyte_is_refused(client, tenant):
    body = '{"title": "' + "x" * (1024 * 1024) + '"}'
    response = client.post("/tasks", data=body, content_type="application/json", headers=tenant.as_member)
    assert_json_error(response, 413, "payload_too_large")


def test_body_that_is_not_json_is_refused(client, tenant):
    response = client.post("/tasks", data="title=x", content_type="application/x-www-form-urlencoded",
                           headers=tenant.as_member)
    assert_json_error(response, 415, "unsupported_media_type")


@pytest.mark.parametrize("body", ['{"title": ', "[" * 100_000, "\xff\xfe{}", "{'title': 'x'}"])
def test_malformed_json_is_refused(client, tenant, body):
    response = client.post("/tasks", data=body, content_type="application/json", headers=tenant.as_member)
    assert_json_error(response, 400, "invalid_json")


@pytest.mark.parametrize("body", ["[]", '"title"', "42", "null"])
def test_json_that_is_not_an_object_is_a_validation_error(client, tenant, body):
    response = client.post("/tasks", data=body, content_type="application/json", headers=tenant.as_member)
    assert_json_error(response, 400, "validation_error")


def test_unknown_route_is_json_404(client):
    assert_json_error(client.get("/nope"), 404, "not_found")


@pytest.mark.parametrize("method, path", [("delete", "/tasks"), ("put", "/organizations"),
                                          ("get", "/tasks/export"), ("delete", f"/exports/{uuid.uuid4()}")])
def test_wrong_method_is_json_405(client, method, path):
    response = getattr(client, method)(path)
    assert_json_error(response, 405, "method_not_allowed")
    assert response.headers["Allow"]


@pytest.mark.parametrize("headers, status, code", [
    ({}, 400, "missing_header"),
    ({"x-tenant-id": ""}, 400, "missing_header"),
    ({"x-tenant-id": "acme"}, 400, "invalid_header"),
    ({"x-tenant-id": "1; DROP TABLE tasks"}, 400, "invalid_header"),
    ({"x-tenant-id": str(uuid.uuid4())}, 404, "not_found"),
])
def test_tenant_header_is_checked(client, headers, status, code):
    assert_json_error(client.get("/tasks", headers=headers), status, code)


@pytest.mark.parametrize("user_header", ["bob", "", " ", "{%s}", "%s-ff", "urn:uuid:%s", "%s"])
def test_user_header_must_be_a_uuid_even_where_it_is_optional(client, tenant, user_header):
    if user_header == "%s":  # the usual form with its hyphens removed
        user_header = tenant.admin["id"].replace("-", "")
    elif "%s" in user_header:
        user_header %= tenant.admin["id"]
    response = client.get("/tasks", headers={"x-tenant-id": tenant.id, "x-user-id": user_header})
    assert_json_error(response, 400, "invalid_header")


def test_user_header_in_capitals_is_the_same_user(client, tenant):
    response = client.get("/tasks", headers={"x-tenant-id": tenant.id, "x-user-id": tenant.admin["id"].upper()})
    assert response.status_code == 200


def test_user_of_another_tenant_is_forbidden(client, tenant, other_tenant):
    headers = {"x-tenant-id": tenant.id, "x-user-id": other_tenant.admin["id"]}
    assert_json_error(client.get("/tasks", headers=headers), 403, "forbidden")
    assert_json_error(client.post("/tasks", json={"title": "x"}, headers=headers), 403, "forbidden")


@pytest.mark.parametrize("method, path", [("post", "/tasks"), ("patch", f"/tasks/{uuid.uuid4()}"),
                                          ("post", "/tasks/export"), ("get", "/exports")])
def test_writes_and_exports_need_a_user(client, tenant, method, path):
    response = getattr(client, method)(path, json={"title": "x"}, headers=tenant.headers())
    assert_json_error(response, 400, "missing_header")


def test_failed_write_stores_nothing(client, tenant):
    client.post("/tasks", json={"title": ""}, headers=tenant.as_member)
    client.post("/tasks", json={"title": "ok", "description": "x" * 10_001}, headers=tenant.as_member)
    assert client.get("/tasks", headers=tenant.headers()).json == []
