"""Tasks: create, list with keyset pagination, complete and edit."""
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
from psycopg2 import sql

from support.http import next_link
from taskflask.api.tasks import LIST_QUERY
from taskflask.web.input import query_args
from taskflask.web.schemas import TaskSchema


def test_create_task(client, tenant):
    response = client.post("/tasks", json={"title": "  Write tests ", "description": "Unit + integration"},
                           headers=tenant.as_member)
    assert response.status_code == 201
    task = response.json
    assert TaskSchema().validate(task) == {}
    assert task["title"] == "Write tests"
    assert task["status"] == "pending"
    assert task["createdBy"] == tenant.member["id"]
    assert task["completedAt"] is None


def test_description_is_optional(client, tenant):
    task = client.post("/tasks", json={"title": "t"}, headers=tenant.as_member).json
    assert task["description"] is None


@pytest.mark.parametrize("body, field", [
    ({}, "title"),
    ({"title": "   "}, "title"),
    ({"title": "x" * 201}, "title"),
    ({"title": "a\x00b"}, "title"),
    ({"title": 5}, "title"),
    ({"title": "ok", "description": "x" * 10_001}, "description"),
    ({"title": "ok", "description": "nul\x00"}, "description"),
])
def test_task_fields_are_validated(client, tenant, body, field):
    response = client.post("/tasks", json=body, headers=tenant.as_member)
    assert response.status_code == 400
    assert field in response.json["errors"]


def test_limits_are_inclusive(client, tenant):
    response = client.post("/tasks", json={"title": "x" * 200, "description": "y" * 10_000},
                           headers=tenant.as_member)
    assert response.status_code == 201


def test_list_is_newest_first_and_open_to_readers_without_a_user(client, tenant):
    titles = [tenant.add_task(f"task {i}")["title"] for i in range(3)]
    response = client.get("/tasks", headers=tenant.headers())
    assert response.status_code == 200
    assert [t["title"] for t in response.json] == titles[::-1]
    assert "Link" not in response.headers


def test_listed_tasks_read_exactly_as_created_and_updated(client, tenant):
    """The list's JSON is built by PostgreSQL; it must match the Python-encoded answers key for key."""
    created = tenant.add_task("Überprüfen \"quotes\" \\ and\ttabs", description="ligne 1\nligne 2 — ✓")
    completed = client.patch(f"/tasks/{tenant.add_task('done')['id']}", headers=tenant.as_member).json
    without_description = tenant.add_task("no description")
    listed = client.get("/tasks", headers=tenant.headers()).json
    assert listed == [without_description, completed, created]
    assert [list(task) for task in listed] == [list(created)] * 3
    assert all(TaskSchema().validate(task) == {} for task in listed)


def test_listed_json_is_json_build_objects_text(client, tenant, db):
    """list_tasks writes each task's JSON out with format(): byte for byte what json_build_object wrote."""
    tenant.add_task('"quoted" \\ \t\n\x01\x1f \u2028 </script> é 🎉', description="%s %% {} :name \x7f")
    tenant.add_task("no description")
    done = tenant.add_task("done", description="")
    client.patch(f"/tasks/{done['id']}", headers=tenant.as_member)
    with db.cursor() as cur:
        cur.execute(sql.SQL("""
            SELECT json_build_object(
                'id', t.id, 'title', t.title, 'description', t.description, 'status', t.status,
                'createdBy', t.created_by,
                'createdAt', to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                'updatedAt', to_char(t.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                'completedAt', to_char(t.completed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                'createdByName', u.name)::text
            FROM {schema}.tasks t LEFT JOIN {schema}.users u ON u.id = t.created_by
            ORDER BY t.created_at DESC, t.id DESC""").format(schema=sql.Identifier(tenant.schema)))
        expected = "[" + ",".join(text for (text,) in cur.fetchall()) + "]"
    for search in ("", "&q=o"):  # list_tasks, search_tasks
        response = client.get(f"/tasks?limit=100{search}", headers=tenant.headers())
        assert response.get_data(as_text=True) == expected


def test_pages_cover_every_task_once(client, tenant):
    created = {tenant.add_task(f"task {i}")["id"] for i in range(7)}
    seen, url, pages = [], "/tasks?limit=3", 0
    while url:
        response = client.get(url, headers=tenant.headers())
        assert response.status_code == 200
        seen += [t["id"] for t in response.json]
        url, pages = next_link(response), pages + 1
    assert pages == 3
    assert len(seen) == len(set(seen)) and set(seen) == created


def test_next_link_keeps_the_filter(client, tenant):
    for i in range(3):
        task = tenant.add_task(f"task {i}")
        client.patch(f"/tasks/{task['id']}", headers=tenant.as_member)
    tenant.add_task("still pending")
    first = client.get("/tasks?status=completed&limit=2", headers=tenant.headers())
    link = next_link(first)
    assert parse_qs(urlsplit(link).query)["status"] == ["completed"]
    second = client.get(link, headers=tenant.headers())
    statuses = {t["status"] for t in first.json + second.json}
    assert statuses == {"completed"} and len(first.json + second.json) == 3


def test_status_filter(client, tenant):
    done = tenant.add_task("done")
    tenant.add_task("open")
    client.patch(f"/tasks/{done['id']}", headers=tenant.as_member)
    pending = client.get("/tasks?status=pending", headers=tenant.headers()).json
    completed = client.get("/tasks?status=completed", headers=tenant.headers()).json
    assert [t["title"] for t in pending] == ["open"]
    assert [t["title"] for t in completed] == ["done"]


@pytest.mark.parametrize("query, field", [
    ("limit=0", "limit"), ("limit=1001", "limit"), ("limit=ten", "limit"),
    ("status=done", "status"), ("cursor=not-a-cursor", "cursor"), ("cursor=" + "A" * 300, "cursor"),
])
def test_bad_list_parameters_are_refused(client, tenant, query, field):
    response = client.get(f"/tasks?{query}", headers=tenant.headers())
    assert response.status_code == 400
    assert field in response.json["errors"]


def test_a_repeated_list_query_answers_alike_and_a_bad_one_is_refused_each_time(client, tenant):
    """Validated query strings are remembered (web/input.py); that must change no answer."""
    for _ in range(2):
        assert client.get("/tasks?limit=0", headers=tenant.headers()).status_code == 400
    tenant.add_task("one")
    tenant.add_task("two")
    first, second = (client.get("/tasks?limit=1", headers=tenant.headers()) for _ in range(2))
    assert first.json == second.json and [t["title"] for t in first.json] == ["two"]
    assert next_link(first) == next_link(second)


def test_remembered_query_arguments_are_a_fresh_dict_each_time(app):
    with app.test_request_context("/tasks?limit=7"):
        query_args(LIST_QUERY)["limit"] = 1
        assert query_args(LIST_QUERY) == {"limit": 7, "status": None, "cursor": None, "q": ""}


def test_next_link_is_relative_and_names_limit_status_and_cursor(client, tenant):
    for i in range(3):
        tenant.add_task(f"task {i}")
    link = next_link(client.get("/tasks?status=pending&limit=2", headers=tenant.headers()))
    assert link.startswith("/tasks?limit=2&status=pending&cursor=")
    assert len(client.get(link, headers=tenant.headers()).json) == 1


def test_largest_page_is_allowed(client, tenant):
    assert client.get("/tasks?limit=1000", headers=tenant.headers()).status_code == 200


def test_empty_patch_completes_the_task_once(client, tenant):
    task = tenant.add_task()
    first = client.patch(f"/tasks/{task['id']}", headers=tenant.as_member)
    assert first.status_code == 200
    assert first.json["status"] == "completed" and first.json["completedAt"]
    again = client.patch(f"/tasks/{task['id']}", json={}, headers=tenant.as_admin)
    assert again.status_code == 200
    assert again.json == first.json


def test_patch_edits_and_reopens(client, tenant):
    task = tenant.add_task("old", "old text")
    client.patch(f"/tasks/{task['id']}", headers=tenant.as_member)
    response = client.patch(f"/tasks/{task['id']}", headers=tenant.as_member,
                            json={"title": "new", "description": None, "status": "pending"})
    assert response.status_code == 200
    edited = response.json
    assert (edited["title"], edited["description"], edited["status"]) == ("new", None, "pending")
    assert edited["completedAt"] is None
    assert edited["updatedAt"] > task["updatedAt"]


def test_patch_title_only_keeps_the_rest(client, tenant):
    task = tenant.add_task("old", "keep me")
    edited = client.patch(f"/tasks/{task['id']}", json={"title": "new"}, headers=tenant.as_member).json
    assert (edited["description"], edited["status"]) == ("keep me", "pending")


@pytest.mark.parametrize("body, field", [
    ({"status": "done"}, "status"), ({"title": ""}, "title"), ({"title": None}, "title"),
])
def test_patch_is_validated(client, tenant, body, field):
    task = tenant.add_task()
    response = client.patch(f"/tasks/{task['id']}", json=body, headers=tenant.as_member)
    assert response.status_code == 400
    assert field in response.json["errors"]


def test_patch_unknown_task_is_not_found(client, tenant):
    assert client.patch(f"/tasks/{uuid.uuid4()}", headers=tenant.as_member).status_code == 404
    assert client.patch("/tasks/123", headers=tenant.as_member).status_code == 404


def test_pending_reopens_a_completed_task(client, tenant):
    task = tenant.add_task("done, then not")
    completed = client.patch(f"/tasks/{task['id']}", headers=tenant.as_member).json
    assert completed["status"] == "completed" and completed["completedAt"]
    reopened = client.patch(f"/tasks/{task['id']}", json={"status": "pending"}, headers=tenant.as_member)
    assert reopened.status_code == 200
    assert (reopened.json["status"], reopened.json["completedAt"]) == ("pending", None)
    assert reopened.json["updatedAt"] >= completed["updatedAt"]
    assert client.get("/tasks?status=pending", headers=tenant.headers()).json == [reopened.json]


def test_completing_again_after_reopening_sets_a_new_completion_time(client, tenant):
    task = tenant.add_task("twice")
    first = client.patch(f"/tasks/{task['id']}", headers=tenant.as_member).json
    client.patch(f"/tasks/{task['id']}", json={"status": "pending"}, headers=tenant.as_member)
    again = client.patch(f"/tasks/{task['id']}", json={"status": "completed"}, headers=tenant.as_member).json
    assert again["status"] == "completed" and again["completedAt"] >= first["completedAt"]


def test_each_task_carries_its_creators_name(client, tenant):
    created = tenant.add_task("named", user=tenant.admin)
    assert created["createdByName"] == "Alice"
    edited = client.patch(f"/tasks/{created['id']}", json={"title": "renamed"}, headers=tenant.as_member).json
    assert (edited["createdBy"], edited["createdByName"]) == (tenant.admin["id"], "Alice")
    assert client.get("/tasks", headers=tenant.headers()).json[0]["createdByName"] == "Alice"


@pytest.mark.parametrize("deleter", ["creator", "admin"])
def test_the_creator_or_an_admin_deletes_a_task(client, tenant, deleter):
    task = tenant.add_task("to delete")  # created by the member
    kept = tenant.add_task("to keep")
    headers = tenant.as_member if deleter == "creator" else tenant.as_admin
    response = client.delete(f"/tasks/{task['id']}", headers=headers)
    assert response.status_code == 204 and response.get_data() == b""
    assert [t["id"] for t in client.get("/tasks", headers=tenant.headers()).json] == [kept["id"]]
    assert client.delete(f"/tasks/{task['id']}", headers=headers).status_code == 404
    assert client.patch(f"/tasks/{task['id']}", headers=headers).status_code == 404


def test_a_member_cannot_delete_anothers_task(client, tenant):
    task = tenant.add_task("the admin's", user=tenant.admin)
    response = client.delete(f"/tasks/{task['id']}", headers=tenant.as_member)
    assert response.status_code == 403
    assert response.json["error"] == "forbidden"
    assert [t["id"] for t in client.get("/tasks", headers=tenant.headers()).json] == [task["id"]]


@pytest.mark.parametrize("headers, status", [
    ({}, 400),                                          # no x-user-id: deleting needs a user
    ({"x-user-id": "not-a-uuid"}, 400),
    ({"x-user-id": str(uuid.uuid4())}, 403),            # no user of this organization
])
def test_delete_needs_a_user_of_the_organization(client, tenant, headers, status):
    task = tenant.add_task("guarded")
    assert client.delete(f"/tasks/{task['id']}", headers={**tenant.headers(), **headers}).status_code == status
    assert len(client.get("/tasks", headers=tenant.headers()).json) == 1


def test_deleting_an_unknown_or_another_tenants_task_is_404(client, tenant, other_tenant):
    theirs = other_tenant.add_task("theirs", user=other_tenant.admin)
    for task_id in (str(uuid.uuid4()), theirs["id"]):
        response = client.delete(f"/tasks/{task_id}", headers=tenant.as_admin)
        assert response.status_code == 404 and response.json["error"] == "not_found"
    assert client.delete("/tasks/not-a-uuid", headers=tenant.as_admin).status_code == 404
    assert [t["id"] for t in client.get("/tasks", headers=other_tenant.headers()).json] == [theirs["id"]]
