"""Input no client should send gets a 400 at the field, never a 500; the document says what is refused."""
import base64
import re
import uuid
from datetime import datetime, timedelta, timezone

import jsonschema_rs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taskflask.web.schemas import TRIMMED

SURROGATE = "x\\ud800y"  # JSON text of a lone UTF-16 surrogate: valid JSON, not encodable as UTF-8
NUL = "x\\u0000y"


def send(client, method, path, body_text, headers=None):
    """A request whose JSON body is given as text (so it can carry escapes Python's json would not make)."""
    return client.open(path, method=method, data=body_text, content_type="application/json", headers=headers or {})


def text_fields(tenant):
    """(method, path, headers, body template with {} for the hostile value, field) for every text field."""
    task = tenant.add_task()
    user_body = '{"name": "%s", "email": "ann@example.com"}'
    return [
        ("POST", "/tasks", tenant.as_member, '{"title": "%s"}', "title"),
        ("POST", "/tasks", tenant.as_member, '{"title": "ok", "description": "%s"}', "description"),
        ("PATCH", f"/tasks/{task['id']}", tenant.as_member, '{"title": "%s"}', "title"),
        ("PATCH", f"/tasks/{task['id']}", tenant.as_member, '{"description": "%s"}', "description"),
        ("POST", "/organizations", {}, '{"name": "%s", "schemaName": "s_' + uuid.uuid4().hex[:8] + '"}', "name"),
        ("POST", "/organizations", {}, '{"name": "ok", "schemaName": "%s"}', "schemaName"),
        ("POST", f"/organizations/{tenant.id}/users", {}, user_body, "name"),
        ("POST", f"/organizations/{tenant.id}/users", {}, '{"name": "Ann", "email": "a%s@example.com"}', "email"),
        ("DELETE", f"/organizations/{tenant.id}", tenant.as_admin, '{"schemaName": "%s"}', "schemaName"),
    ]


@pytest.mark.parametrize("value", [SURROGATE, NUL], ids=["lone surrogate", "NUL"])
def test_text_postgresql_cannot_store_is_400_at_its_field(client, db, tenant, value):
    for method, path, headers, template, field in text_fields(tenant):
        response = send(client, method, path, template % value, headers)
        assert response.status_code == 400, (method, path, field, response.json)
        assert list(response.json["errors"]) == [field], (method, path, response.json)
    with db.cursor() as cur:
        cur.execute(f"SELECT count(*) FROM {tenant.schema}.tasks")
        assert cur.fetchone()[0] == 1  # only the one text_fields made
    assert client.get("/tasks", headers=tenant.headers()).status_code == 200


def cursor_of(text):
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@pytest.mark.parametrize("cursor", [
    cursor_of(f"2026-01-01T00:00:00+20:00|{uuid.uuid4()}"),   # offset PostgreSQL refuses
    cursor_of(f"2026-01-01T00:00:00-16:00|{uuid.uuid4()}"),
    cursor_of(f"0001-01-01T00:00:00+15:00|{uuid.uuid4()}"),   # year 0 once in UTC
    cursor_of(f"9999-12-31T23:59:59-15:00|{uuid.uuid4()}"),   # year 10000 once in UTC
    cursor_of(f"2026-01-01T00:00:00|{uuid.uuid4()}"),         # no zone
    cursor_of("2026-01-01T00:00:00+00:00|not-a-uuid"),
    cursor_of("plain text"),
    "%00", "not base64 at all!", "A" * 200,
])
def test_a_cursor_not_made_by_the_server_is_400(client, tenant, cursor):
    response = client.get(f"/tasks?cursor={cursor}", headers=tenant.headers())
    assert response.status_code == 400
    assert response.json["errors"] == {"cursor": ["Not a valid cursor."]}


def test_a_cursor_with_any_offset_postgresql_knows_continues_the_list(client, tenant):
    first, second = tenant.add_task("first"), tenant.add_task("second")
    moment = second["createdAt"].replace("Z", "+00:00")
    shifted = datetime.fromisoformat(moment).astimezone(timezone(timedelta(hours=15, minutes=30)))
    cursor = cursor_of(f"{shifted.isoformat()}|{second['id']}")
    response = client.get(f"/tasks?cursor={cursor}", headers=tenant.headers())
    assert [task["id"] for task in response.json] == [first["id"]]


def test_a_title_is_counted_after_trimming(client, tenant):
    accepted = client.post("/tasks", json={"title": "\n" + "x" * 200 + " \u3000"}, headers=tenant.as_member)
    assert accepted.status_code == 201 and accepted.json["title"] == "x" * 200
    refused = client.post("/tasks", json={"title": "x" * 201}, headers=tenant.as_member)
    assert refused.json["errors"] == {"title": ["Length must be between 1 and 200."]}


def title_pattern(client):
    schema = client.get("/openapi.json").json["components"]["schemas"]["TaskCreate"]
    return jsonschema_rs.validator_for({"type": "string", "pattern": schema["properties"]["title"]["pattern"]})


# Titles near the limits, made of characters that are trimmed or not in one regex engine or another.
EDGE_CHARACTERS = TRIMMED + "\x1c\x1d\x1e\x1f\x85\u180e\u200b\x00ab"
titles = st.builds(lambda a, b, c: a + b + c, st.text(alphabet=EDGE_CHARACTERS, max_size=4),
                   st.text(alphabet=EDGE_CHARACTERS + "é", min_size=0, max_size=203),
                   st.text(alphabet=EDGE_CHARACTERS, max_size=4))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=titles)
def test_the_documented_title_pattern_accepts_exactly_what_the_server_accepts(client, tenant, title):
    server_accepts = client.post("/tasks", json={"title": title}, headers=tenant.as_member).status_code == 201
    assert title_pattern(client).is_valid(title) == server_accepts, repr(title)


def test_a_missing_user_header_is_400_even_for_an_unknown_tenant(client):
    response = client.post("/tasks", json={"title": "x"}, headers={"x-tenant-id": str(uuid.uuid4())})
    assert (response.status_code, response.json["error"]) == (400, "missing_header")


@pytest.mark.parametrize("path, method", [("/tasks", "post"), ("/organizations", "post"),
                                          ("/organizations/{organization_id}/users", "post"),
                                          ("/organizations/{organization_id}", "delete")])
def test_a_body_the_server_needs_is_declared_required(client, path, method):
    assert client.get("/openapi.json").json["paths"][path][method]["requestBody"]["required"] is True


def test_an_empty_patch_body_is_declared_optional(client):
    assert client.get("/openapi.json").json["paths"]["/tasks/{task_id}"]["patch"]["requestBody"]["required"] is False


def test_the_schema_name_pattern_is_declared_and_agrees_with_the_server(client):
    schema = client.get("/openapi.json").json["components"]["schemas"]["OrganizationCreate"]
    pattern = jsonschema_rs.validator_for({"type": "string", "pattern": schema["properties"]["schemaName"]["pattern"]})
    for name in ["acme", " acme\n", "_x", "a" * 63, "pg", "pgx", "public_x", "information_schemas",
                 "a" * 64, "pg_x", "public", " public ", "information_schema", "9a", "Acme", "acme\n\n1", ""]:
        unique = name.replace("acme", f"acme{uuid.uuid4().hex[:6]}")
        response = client.post("/organizations", json={"name": "n", "schemaName": unique})
        assert pattern.is_valid(name) == (response.status_code == 201), (name, response.json)


def test_text_fields_declare_the_nul_refusal(client):
    schemas = client.get("/openapi.json").json["components"]["schemas"]
    for schema, field in [("TaskCreate", "description"), ("TaskUpdate", "title"), ("UserCreate", "name")]:
        pattern = schemas[schema]["properties"][field]["pattern"]
        assert not re.search(pattern, "a\x00b") and re.search(pattern, "ab"), (schema, field)

