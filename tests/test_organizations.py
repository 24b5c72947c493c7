"""Organizations, their schemas, and their users."""
import uuid

import pytest

from support.tenants import unique_schema
from taskflask.web.schemas import OrganizationSchema, UserSchema


def create_org(client, schema_name=None, name="Acme Corp"):
    return client.post("/organizations", json={"name": name, "schemaName": schema_name or unique_schema()})


def test_create_organization_creates_its_schema_at_the_newest_version(client, db):
    response = create_org(client, name="  Acme Corp  ")
    assert response.status_code == 201
    org = response.json
    assert OrganizationSchema().validate(org) == {}
    assert org["name"] == "Acme Corp"
    with db.cursor() as cur:
        cur.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
                    (org["schemaName"],))
        assert {row[0] for row in cur} == {"users", "tasks", "task_counts", "exports", "schema_migrations"}
        cur.execute(f'SELECT max(version) FROM "{org["schemaName"]}".schema_migrations')
        assert cur.fetchone()[0] >= 1


def test_list_organizations_includes_a_new_one(client):
    org = create_org(client).json
    listed = client.get("/organizations")
    assert listed.status_code == 200
    assert org in listed.json


@pytest.mark.parametrize("schema_name", [
    "", "Acme", "1acme", "acme-corp", "acme corp", "a" * 64, "public", "information_schema",
    "pg_acme", "pg_catalog", 'acme"; DROP SCHEMA public CASCADE; --', "acmé", 42, None,
])
def test_invalid_schema_names_are_refused(client, schema_name):
    response = client.post("/organizations", json={"name": "Acme", "schemaName": schema_name})
    assert response.status_code == 400
    assert response.json["error"] == "validation_error"
    assert "schemaName" in response.json["errors"]


@pytest.mark.parametrize("body, field", [
    ({"schemaName": "ok_schema"}, "name"),
    ({"name": "   ", "schemaName": "ok_schema"}, "name"),
    ({"name": "x" * 201, "schemaName": "ok_schema"}, "name"),
    ({"name": "Acme"}, "schemaName"),
])
def test_organization_fields_are_validated(client, body, field):
    response = client.post("/organizations", json=body)
    assert response.status_code == 400
    assert field in response.json["errors"]


def test_longest_allowed_schema_name_works(client):
    name = "z" + uuid.uuid4().hex + "_" * (62 - 32)
    assert len(name) == 63
    assert create_org(client, name).status_code == 201


def test_duplicate_schema_name_conflicts_and_keeps_the_first(client):
    schema = unique_schema()
    first = create_org(client, schema, name="First")
    second = create_org(client, schema, name="Second")
    assert second.status_code == 409
    assert second.json["error"] == "conflict"
    names = [o["name"] for o in client.get("/organizations").json if o["schemaName"] == schema]
    assert names == ["First"] and first.status_code == 201


def test_existing_schema_outside_the_registry_conflicts(client, db):
    schema = unique_schema()
    with db.cursor() as cur:
        cur.execute(f"CREATE SCHEMA {schema}")
    response = create_org(client, schema)
    assert response.status_code == 409
    assert all(o["schemaName"] != schema for o in client.get("/organizations").json)


def test_users_are_created_and_listed(client, tenant):
    response = client.post(f"/organizations/{tenant.id}/users",
                           json={"name": " Carol ", "email": "carol@example.com", "role": "admin"})
    assert response.status_code == 201
    user = response.json
    assert UserSchema().validate(user) == {}
    assert (user["name"], user["role"]) == ("Carol", "admin")
    listed = client.get(f"/organizations/{tenant.id}/users").json
    assert [u["id"] for u in listed] == [tenant.admin["id"], tenant.member["id"], user["id"]]


def test_role_defaults_to_member(client, tenant):
    response = client.post(f"/organizations/{tenant.id}/users", json={"name": "Dan", "email": "dan@example.com"})
    assert response.json["role"] == "member"


def test_duplicate_email_in_a_tenant_conflicts_whatever_its_case(client, tenant):
    body = {"name": "Eve", "email": "eve@example.com", "role": "member"}
    assert client.post(f"/organizations/{tenant.id}/users", json=body).status_code == 201
    again = client.post(f"/organizations/{tenant.id}/users", json=dict(body, email="EVE@example.com"))
    assert again.status_code == 409
    assert "email" in again.json["errors"]


def test_same_email_in_two_tenants_is_fine(client, tenant, other_tenant):
    body = {"name": "Frank", "email": "frank@example.com"}
    assert client.post(f"/organizations/{tenant.id}/users", json=body).status_code == 201
    assert client.post(f"/organizations/{other_tenant.id}/users", json=body).status_code == 201


@pytest.mark.parametrize("body, field", [
    ({"email": "x@example.com"}, "name"),
    ({"name": "X"}, "email"),
    ({"name": "X", "email": "not-an-email"}, "email"),
    ({"name": "X", "email": "x@example.com", "role": "owner"}, "role"),
    ({"name": "X\x00", "email": "x@example.com"}, "name"),
])
def test_user_fields_are_validated(client, tenant, body, field):
    response = client.post(f"/organizations/{tenant.id}/users", json=body)
    assert response.status_code == 400
    assert field in response.json["errors"]


@pytest.mark.parametrize("method", ["get", "post"])
def test_users_of_an_unknown_organization_are_not_found(client, method):
    response = getattr(client, method)(f"/organizations/{uuid.uuid4()}/users",
                                       json={"name": "X", "email": "x@example.com"})
    assert response.status_code == 404
    assert response.json["error"] == "not_found"


def test_users_route_with_a_non_uuid_is_not_found(client):
    assert client.get("/organizations/acme/users").status_code == 404
